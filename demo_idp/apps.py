from django.apps import AppConfig


class DemoIdPConfig(AppConfig):
    name = "demo_idp"
    label = "demo_idp"
    verbose_name = "Demo identity provider"
    default_auto_field = "django.db.models.BigAutoField"
