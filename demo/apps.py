from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark data. Sits above every other app; nothing imports it."""

    name = "demo"
    verbose_name = "Demo data"
