from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EqualityConfig(AppConfig):
    """The optional equality questionnaire: kept apart from applications, seen only by its owner.

    Depends on accounts only. Nothing reads these answers per person except the owner's own
    pages and data download; reports read them only through suppressed aggregates.
    """

    name = "equality"
    verbose_name = _("Equality monitoring")
