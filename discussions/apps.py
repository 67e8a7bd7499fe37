from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = _("Discussions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms import retention

        from . import (
            gate,  # noqa: F401  (connects the comment-posting gate)
            gdpr,  # noqa: F401  (own-data export and erasure of the discussions)
            notifications,  # noqa: F401  (follow & notify receivers)
            permissions,
        )

        # The rules on topics and replies answer in ``cms.access.can``.
        permissions.install()

        retention.register("reply_ip_addresses", gdpr.purge_reply_ips)
