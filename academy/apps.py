from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademyConfig(AppConfig):
    name = "academy"
    verbose_name = _("Academy")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            gdpr,  # noqa: F401  (own-data export and erasure of enrolments and badges)
            permissions,
            signal_handlers,  # noqa: F401  (attendance of a course's sessions completes it)
        )

        # ``enrol_course``, ``view_learning_record`` and ``manage_academy`` answer in
        # ``cms.access.can``.
        permissions.install()
