"""Applications and their lifecycle. The allowed transitions live in applications/lifecycle.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programmes.models import Cohort


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ELIGIBLE = "eligible", _("Eligible")
    NEEDS_REVIEW = "needs_review", _("Needs review")
    INELIGIBLE = "ineligible", _("Not eligible")
    OFFERED = "offered", _("Offered a place")
    WAITLISTED = "waitlisted", _("On the waiting list")
    REJECTED = "rejected", _("Not offered a place")
    ENROLLED = "enrolled", _("Enrolled")
    DECLINED = "declined", _("Offer declined")
    EXPIRED = "expired", _("Offer expired")
    COMPLETED = "completed", _("Completed")
    DID_NOT_COMPLETE = "did_not_complete", _("Did not complete")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="applications", verbose_name=_("cohort")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ApplicationState, default=ApplicationState.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "applicant"], name="one_application_per_person_per_cohort"
            ),
            models.CheckConstraint(
                condition=Q(state=ApplicationState.DRAFT) | Q(submitted_at__isnull=False),
                name="application_submitted_has_a_time",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "state"])]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.cohort}"
