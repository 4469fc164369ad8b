from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    """Provider staff: their programmes, enrolment lists, exports and API tokens."""

    name = "providers"
    verbose_name = _("Providers")
