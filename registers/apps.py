from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "registers"
    verbose_name = "Sessions and registers"
    default_auto_field = "django.db.models.BigAutoField"
