from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingConfig(AppConfig):
    name = "mailing"
    verbose_name = _("Mailing list")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            gdpr,  # noqa: F401  (own-data export and erasure)
            permissions,
            signal_handlers,  # noqa: F401  (memberships, notices, publication)
        )

        permissions.install()
