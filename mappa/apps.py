from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MappaConfig(AppConfig):
    name = "mappa"
    verbose_name = _("Mappa dei Comuni Digitali")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            gdpr,  # noqa: F401  (the export and erasure of the compilers' data)
            permissions,
        )

        permissions.install()
