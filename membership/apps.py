from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "membership"
    verbose_name = _("Membership")

    def ready(self):
        from .security import connect_signals

        connect_signals()  # membership/security.py: sign-in failures, lockouts, idle stamp
