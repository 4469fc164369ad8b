from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Site information")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .navigation import remember_areas

        user_logged_in.connect(remember_areas, dispatch_uid="pages.navigation")
