from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "membership"
    verbose_name = _("Membership")

    def ready(self):
        from .security import connect_signals

        connect_signals()  # membership/security.py: sign-in failures, lockouts, idle stamp

        from . import (
            gdpr,  # noqa: F401  (this app's exporters, erasers and the third-party declarations)
            signal_handlers,  # noqa: F401  (audit of API tokens)
        )
