from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "materials"
    verbose_name = _("Materials")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import gdpr, permissions  # noqa: F401 (gdpr registers the export and erasure)

        # ``contribute_material``, ``comment_material``, ``view_material_version``,
        # ``open_validation``, ``answer_validation``, ``follow_validation``,
        # ``publish_material`` answer in ``cms.access.can``.
        permissions.install()
