from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Communities of practice")

    def ready(self):
        from . import (
            gdpr,  # noqa: F401  (own-data export, erasure, the acts' files)
            permissions,
            signals,  # noqa: F401
        )

        # The communities answer their actions in ``cms.access.can``.
        permissions.install()

        # The groups kept in sync with the memberships are not edited by hand.
        if apps.is_installed("wagtail.users"):
            users_app = apps.get_app_config("wagtailusers")
            if users_app.group_viewset == "wagtail.users.views.groups.GroupViewSet":
                users_app.group_viewset = "communities.admin_groups.GroupViewSet"
