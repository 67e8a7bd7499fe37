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

        from . import audit, retention

        retention.register("audit_trail", audit.purge_expired)

        # The overrides of library internals that have no public hook (cms/overrides.py):
        # Wagtail's locale look-up from the snapshot, formula escaping in Wagtail's own reports.
        from . import overrides

        overrides.install()
