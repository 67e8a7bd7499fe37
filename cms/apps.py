from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Portal")

    def ready(self):
        from . import cache

        # Publishing, moving, deleting pages (and restrictions, settings...) invalidate the
        # page cache (cms/cache.py).
        cache.connect_signals()

        from . import admin_permissions, audit, retention, signal_handlers

        # Who may enter the admin is a snapshot: changes of groups and permissions bump it.
        signal_handlers.connect_admin_access_signals()
        # Editors' admin permissions stop at the reserved spaces (cms/admin_permissions.py).
        admin_permissions.install()

        retention.register("audit_trail", audit.purge_expired)

        # The overrides of library internals that have no public hook (cms/overrides.py):
        # Wagtail's locale look-up from the snapshot, formula escaping in Wagtail's own reports.
        from . import overrides

        overrides.install()
