from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "membership"
    verbose_name = _("Membership")

    def ready(self):
        from .security import connect_signals

        connect_signals()  # membership/security.py: sign-in failures, lockouts, idle stamp

        from cms import retention as core_retention

        from . import (
            gdpr,  # noqa: F401  (this app's exporters, erasers and the third-party declarations)
            retention,
            signal_handlers,  # noqa: F401  (audit of API tokens)
        )

        core_retention.register("sign_in_failures", retention.purge_sign_in_failures)
