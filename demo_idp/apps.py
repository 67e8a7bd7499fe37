from django.apps import AppConfig
from django.conf import settings


class DemoIdPConfig(AppConfig):
    name = "demo_idp"
    label = "demo_idp"
    verbose_name = "Demo identity provider"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The SP trusts the demo IdP only where this app is installed (dev/demo/test settings),
        # and not when DEMO_IDP_ENABLED is False.
        from membership.idp_registry import register_provider

        from . import idp

        def demo_provider(kind):
            if not getattr(settings, "DEMO_IDP_ENABLED", True):
                return None
            return idp.identity_provider(kind), idp.metadata_xml(kind)

        register_provider(demo_provider)
