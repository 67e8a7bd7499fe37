from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = _("Discussions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms import retention

        from . import (
            gdpr,  # noqa: F401  (own-data export and erasure of the discussions)
            permissions,
            signal_handlers,  # noqa: F401  (the comment gate's, search's and notifications' receivers)
        )

        # The rules on topics and replies answer in ``cms.access.can``.
        permissions.install()

        retention.register("reply_ip_addresses", gdpr.purge_reply_ips)
