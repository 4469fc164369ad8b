"""Applications and their lifecycle. The allowed transitions live in applications/lifecycle.py."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programmes.models import Cohort

from .storage import private_document_storage


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


class EligibilityOutcome(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    NEEDS_REVIEW = "needs_review", _("Needs review")
    INELIGIBLE = "ineligible", _("Not eligible")


class RuleKind(models.TextChoices):
    MIN_SENIOR_YEARS = "min_senior_years", _("Minimum years of senior leadership")
    CURRENT_ROLE = "current_role", _("Current role")
    NATION = "nation", _("Nation of employment")
    EMPLOYER_TYPE = "employer_type", _("Type of employer")
    SELF_DECLARATION = "self_declaration", _("Self-declared statement")
    REQUIRED_DOCUMENT = "required_document", _("Supporting document")
    ENDORSEMENT = "endorsement", _("Endorsement from a sponsor or line manager")


class EligibilityRule(models.Model):
    """One declarative rule of a programme. `params` depend on `kind` (see eligibility.rules).

    `version` goes up whenever kind, params or message change, and applications
    store the versions they were screened against.
    """

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="eligibility_rules",
        verbose_name=_("programme"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=RuleKind)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    message = models.CharField(
        _("summary shown to applicants"),
        max_length=300,
        help_text=_("For example: at least three years of senior strategic leadership."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "position", "id"]
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")

    def __str__(self) -> str:
        return f"{self.programme}: {self.message}"

    def get_additional_data(self) -> dict[str, object]:
        """Kept with each audit entry, so the programme's history lists its rules' changes."""
        return {"programme_id": self.programme_id}


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
    # A short code people can quote ("LP-7K3M9Q"), given at submission; drafts have none.
    reference = models.CharField(
        _("reference"), max_length=12, unique=True, null=True, blank=True, editable=False
    )

    # Task-list sections; each is saved as a draft on its own.
    sections_done = models.JSONField(_("sections completed"), default=list, blank=True)
    # Answers to this programme's self-declaration questions: {rule key: true/false}.
    declarations = models.JSONField(_("eligibility answers"), default=dict, blank=True)
    supporting_statement = models.TextField(_("supporting statement"), blank=True)
    endorser_name = models.CharField(_("sponsor or line manager"), max_length=150, blank=True)
    endorser_role = models.CharField(_("their role"), max_length=150, blank=True)
    endorser_email = models.EmailField(_("their email address"), blank=True)
    # What the applicant told us, frozen at submission, so later profile edits
    # do not rewrite a submitted application.
    snapshot = models.JSONField(_("details at submission"), default=dict, blank=True)

    eligibility_outcome = models.CharField(
        _("automatic screening outcome"), max_length=20, choices=EligibilityOutcome, blank=True
    )
    # One entry per rule: {rule_id, version, kind, outcome, reason}.
    eligibility_results = models.JSONField(_("rule outcomes"), default=list, blank=True)
    screened_at = models.DateTimeField(_("screened at"), null=True, blank=True)

    # Places. An outstanding offer holds a place until it is accepted, declined or expires.
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer deadline"), null=True, blank=True)
    offer_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The waiting list is ordered by priority (higher first), then by when people joined.
    waitlisted_at = models.DateTimeField(_("joined the waiting list"), null=True, blank=True)
    waitlist_priority = models.SmallIntegerField(
        _("waiting-list priority"),
        default=0,
        help_text=_("Higher goes first; equal priorities keep the order people joined in."),
    )
    invited = models.BooleanField(_("invited by the programme team"), default=False)
    # The team member asked to screen this application; a label for sharing out the
    # queue, not a permission: every screener of the programme may still decide.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_applications",
        verbose_name=_("assigned to"),
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            # One current application per person per cohort. Withdrawn ones stay in
            # the history, and the person may apply again.
            models.UniqueConstraint(
                fields=["cohort", "applicant"],
                condition=~models.Q(state="withdrawn"),
                name="one_current_application_per_person_per_cohort",
                violation_error_message=_("You already have an application for this cohort."),
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "state"]),
            models.Index(fields=["state", "offer_expires_at"], name="application_offer_due"),
            # "Holds a place elsewhere in the programme" is asked of every person on a
            # waiting list while a submission holds the cohort lock (their position) and of
            # each booking; without it each question read the whole cohort (lifecycle's
            # ACTIVE_PLACE, written out: models cannot import the lifecycle).
            models.Index(
                fields=["applicant"],
                condition=models.Q(state__in=["offered", "enrolled"]),
                name="application_holding_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.cohort}"


class ApplicationEvent(models.Model):
    """The audit trail: every change of state, who made it, when and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the system made the change."),
    )
    from_state = models.CharField(max_length=20, choices=ApplicationState)
    to_state = models.CharField(max_length=20, choices=ApplicationState)
    reason = models.TextField(blank=True)
    is_override = models.BooleanField(
        default=False, help_text=_("A person overrode the automatic screening outcome.")
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("application history entry")
        verbose_name_plural = _("application history")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_state} → {self.to_state}"


class ApplicationNote(models.Model):
    """A note the programme team keeps on an application. Never shown to the applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("team note")
        verbose_name_plural = _("team notes")

    def __str__(self) -> str:
        return f"Note {self.pk} on {self.application_id}"


class InvitationImport(models.Model):
    """One CSV file of invitations: checked and previewed first, invited only when confirmed.

    The checked rows are kept here between the preview and the confirmation, so
    the file is read once and what is confirmed is exactly what was shown. The
    background job counts `processed` up as it goes, for the progress page.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting for you to confirm")
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Inviting")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Stopped with an error")
        DISCARDED = "discarded", _("Cancelled before inviting")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitation_imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Any manager of the programme may confirm; the invitations are recorded as theirs.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.PREVIEW)
    # [{"line": n, "full_name": …, "email": …, "local_authority": …, "local_authority_id": …,
    #   "appointed_on": …, "verdict": "invite" | "skip" | "refuse", "why": …}]
    rows = models.JSONField(default=list)
    # How many rows are to be invited, and how many of those the job has dealt with.
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    # What the job did with each "invite" row, in order: the row's line, name, email,
    # local authority and date, with "outcome": "invited" | "not_invited" and "why".
    report = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation import")
        verbose_name_plural = _("invitation imports")

    def __str__(self) -> str:
        return f"Invitation import {self.pk} ({self.get_status_display()})"


class DocumentKind(models.TextChoices):
    CV = "cv", _("CV")
    ENDORSEMENT_LETTER = "endorsement_letter", _("Letter of endorsement")
    OTHER = "other", _("Other supporting document")


class SupportingDocument(models.Model):
    """A file kept outside any public URL; served only to its applicant and screeners."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("type of document"), max_length=30, choices=DocumentKind)
    file = models.FileField(
        upload_to="documents/%Y/%m/", max_length=300, storage=private_document_storage
    )
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")

    def __str__(self) -> str:
        return self.original_name


# Rule changes are audited beside their version number (docs/adr/0006-audit-log-library.md).
auditlog.register(EligibilityRule, exclude_fields=["updated_at"])
