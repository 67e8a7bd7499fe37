from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "membership"
    verbose_name = _("Membership")

    def ready(self):
        from .security import connect_signals

        connect_signals()  # log failed staff sign-ins and lockouts (membership/security.py)
