from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            gdpr,  # noqa: F401  (the export and erasure of the members' drafts and responses)
            permissions,
            signal_handlers,  # noqa: F401  (publishing a questionnaire freezes a new version)
        )

        # ``answer_survey``, ``manage_survey`` and ``view_survey_results`` answer in
        # ``cms.access.can``.
        permissions.install()
