"""Reference figures a cohort's make-up is shown beside, kept with their date and source."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceFigure(models.Model):
    """One published figure about a comparison population, e.g. all directors of
    children's services: "81% identify as white British (2022, source …)".

    `group` names which of the reports' reference groups it is about
    (reports.breakdowns.REFERENCE_GROUPS); an administrator keeps them up to date
    in the admin, and each report shows the newest figure of each group.
    """

    class Group(models.TextChoices):
        WHITE_BRITISH = "white_british", _("White British")
        BLACK_OR_MIXED = (
            "black_or_mixed",
            _("Black African, Black Caribbean, White and Black Caribbean or White and Asian"),
        )
        DISABLED = "disabled", _("Disabled")

    population = models.CharField(
        _("population"), max_length=200, default="Directors of children's services in England"
    )
    group = models.CharField(_("group"), max_length=30, choices=Group)
    percent = models.DecimalField(_("per cent"), max_digits=5, decimal_places=1)
    as_of = models.DateField(_("figure as of"))
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source address"), blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group", "-as_of", "-id"]
        verbose_name = _("reference figure")
        verbose_name_plural = _("reference figures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__gte=0) & models.Q(percent__lte=100),
                name="reference_figure_percent_0_to_100",
                violation_error_message=_("A percentage must be from 0 to 100."),
            ),
            models.UniqueConstraint(
                fields=["population", "group", "as_of"], name="one_reference_figure_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()}: {self.percent}% ({self.as_of:%Y})"
