from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    """The programme team's console at /manage/. Depends on applications and programmes."""

    name = "console"
    verbose_name = _("Staff console")
