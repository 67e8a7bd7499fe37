from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            gdpr,  # noqa: F401  (own-data export and erasure of registrations and feed tokens)
            permissions,
            signal_handlers,  # noqa: F401  (publishing an event promotes the waiting list)
        )

        # ``register_event`` and ``manage_event`` answer in ``cms.access.can``.
        permissions.install()
