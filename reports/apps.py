from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Participation figures")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import permissions

        # Who may see the figures is answered in ``cms.access.can``.
        permissions.install()
