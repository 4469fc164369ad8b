from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The applicant's data rights: download their data, delete their account, retention."""

    name = "privacy"
    verbose_name = _("Data rights")
