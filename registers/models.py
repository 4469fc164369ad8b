"""A cohort's sessions, and who was there: the register the programme team keeps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from programmes.models import Cohort

ENDS_AFTER_START = _("A session must end after it starts.")


class CohortSession(models.Model):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("cohort")
    )
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    online = models.BooleanField(_("online"), default=False)
    venue = models.CharField(
        _("venue or joining details"),
        max_length=300,
        blank=True,
        help_text=_("For example: Birmingham Council House, or 'Teams link sent by email'."),
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_it_starts",
                violation_error_message=ENDS_AFTER_START,
            )
        ]

    def __str__(self) -> str:
        return f"{self.cohort}: {self.title}"


class Mark(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    APOLOGIES = "apologies", _("Sent apologies")


class SessionAttendance(models.Model):
    session = models.ForeignKey(CohortSession, on_delete=models.CASCADE, related_name="attendance")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="session_attendance"
    )
    mark = models.CharField(_("attendance"), max_length=12, choices=Mark)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance marks")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "application"], name="one_mark_per_person_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} at {self.session_id}: {self.mark}"
