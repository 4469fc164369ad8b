"""The catalogue: providers, programmes, cohorts, and who runs each programme."""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .tokens import future_dates_confirm_token, future_dates_unsubscribe_token


class DeliveryFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    FACE_TO_FACE = "face_to_face", _("Face to face")
    BLENDED = "blended", _("Blended")
    RESIDENTIAL = "residential", _("Residential")


class Audience(models.TextChoices):
    ASPIRING_DIRECTOR = "aspiring_director", _("Aspiring directors")
    NEW_DIRECTOR = "new_director", _("New directors")
    SENIOR_LEADER = "senior_leader", _("Senior leaders")
    ELECTED_MEMBER = "elected_member", _("Elected members")
    COMMISSIONER = "commissioner", _("Commissioners")


class CostType(models.TextChoices):
    FUNDED = "funded", _("Funded (free to participants)")
    PAID = "paid", _("Paid")


class AdmissionMode(models.TextChoices):
    SELECTIVE = "selective", _("Apply and be selected")
    FIRST_COME = "first_come", _("Book a place")
    INVITATION = "invitation", _("By invitation")


class CohortStatus(models.TextChoices):
    """Where a cohort stands for someone who wants a place. Computed, never stored:
    see programmes.selectors.cohort_availability."""

    UPCOMING_NOT_OPEN = "upcoming_not_open", _("Applications not open yet")
    OPEN = "open", _("Open for applications")
    FULL_WAITLIST = "full_waitlist", _("Full: waiting list open")
    CLOSED = "closed", _("Applications closed")
    RUNNING = "running", _("Running now")
    FINISHED = "finished", _("Finished")
    INVITATION_ONLY = "invitation_only", _("By invitation only")
    CANCELLED = "cancelled", _("Cancelled")


class Provider(models.Model):
    class Kind(models.TextChoices):
        PROVIDER = "provider", _("Programme provider")
        FUNDER = "funder", _("Funder")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.PROVIDER)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")

    def __str__(self) -> str:
        return self.name


# What forms and the admin show when a programme breaks a CHECK constraint.
PROGRAMME_FEE_NEGATIVE = _("The fee cannot be less than £0.")
PROGRAMME_FUNDED_WITH_FEE = _("A funded programme has no fee: clear the fee, or choose “Paid”.")


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def published(self) -> ProgrammeQuerySet:
        return self.filter(is_published=True)


class Programme(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"))
    themes = models.TextField(_("themes"), blank=True, help_text=_("One theme per line."))
    audience = models.CharField(_("audience"), max_length=30, choices=Audience)
    format = models.CharField(_("format"), max_length=20, choices=DeliveryFormat)
    duration = models.CharField(_("duration"), max_length=120)
    cost_type = models.CharField(_("cost"), max_length=10, choices=CostType)
    cost_amount = models.DecimalField(
        _("fee (£)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    cost_note = models.CharField(_("cost note"), max_length=200, blank=True)
    accreditation = models.CharField(
        _("accreditation"),
        max_length=300,
        blank=True,
        help_text=_("Leave blank when the programme offers no accreditation."),
    )
    admission_mode = models.CharField(_("admission mode"), max_length=20, choices=AdmissionMode)
    # Shown on the programme page and in every email an applicant gets about it, so
    # people can reach the team that runs it rather than the portal.
    contact_email = models.EmailField(
        _("team email"),
        blank=True,
        help_text=_("Applicants see this on the programme page and in every email we send."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    providers = models.ManyToManyField(
        Provider, related_name="programmes", verbose_name=_("providers")
    )
    funder = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funded_programmes",
        verbose_name=_("funder"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Title, summary, themes, provider names and description as one weighted text
    # vector for the directory's search. Written only by the database: on PostgreSQL a
    # trigger recomputes it on every write of the row, of its providers and of a
    # provider's name, and GIN indexes cover it and the trigram fields (migration 0009,
    # docs/adr/0011). Empty on SQLite, where search falls back to LIKE.
    search_vector = SearchVectorField(null=True, editable=False)
    # The earliest start, on or after `next_start_checked_on`, of the programme's cohorts
    # not cancelled (None: none from that day on). Written only by the database, on every
    # write of the row and of its cohorts (migration 0011); the directory reads it instead
    # of a subquery per programme whenever it is still true for today, which is whenever
    # checked_on <= today <= next_start_on (selectors._annotate_programme_availability).
    next_start_on = models.DateField(null=True, editable=False)
    next_start_checked_on = models.DateField(null=True, editable=False)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_amount__isnull=True) | Q(cost_amount__gte=0),
                name="programme_cost_not_negative",
                violation_error_message=PROGRAMME_FEE_NEGATIVE,
            ),
            models.CheckConstraint(
                condition=~Q(cost_type=CostType.FUNDED) | Q(cost_amount__isnull=True),
                name="programme_funded_has_no_fee",
                violation_error_message=PROGRAMME_FUNDED_WITH_FEE,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", kwargs={"slug": self.slug})

    @property
    def has_accreditation(self) -> bool:
        return bool(self.accreditation)

    # The labels of the coded fields, for lists. Django's get_FOO_display() hashes (and so
    # translates) every label of the field's choices on each call; a directory page of 20
    # cards made ~60 such calls.
    @property
    def audience_label(self) -> str:
        return str(Audience(self.audience).label)

    @property
    def format_label(self) -> str:
        return str(DeliveryFormat(self.format).label)

    @property
    def cost_type_label(self) -> str:
        return str(CostType(self.cost_type).label)

    @property
    def theme_list(self) -> list[str]:
        return [line.strip() for line in self.themes.splitlines() if line.strip()]


# What the admin shows when a cohort breaks one of its CHECK constraints, instead of
# the constraint's name.
COHORT_NEEDS_A_PLACE = _("A cohort needs at least one place.")
COHORT_PLACES_OVER_CAPACITY = _("A cohort cannot have fewer places than are already taken.")
COHORT_ENDS_BEFORE_IT_STARTS = _("A cohort cannot end before it starts.")
COHORT_WINDOW_CLOSES_BEFORE_IT_OPENS = _("Applications must close after they open.")
COHORT_OFFER_DEADLINE_OUT_OF_RANGE = _("The days to accept an offer must be from 1 to 90.")
COHORT_NAME_TAKEN = _("This programme already has a cohort with that name.")
# Every refusal to act on a cancelled cohort says this, whichever app refuses: the
# places services, submission, registers and the console's cohort editing.
COHORT_CANCELLED = _(
    "This cohort has been cancelled. Nobody can apply to it, and its places and "
    "details can no longer change."
)


class CohortQuerySet(models.QuerySet["Cohort"]):
    def of_published_programmes(self) -> CohortQuerySet:
        return self.filter(programme__is_published=True)


class Cohort(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="cohorts", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    applications_open_at = models.DateTimeField(_("applications open"), null=True, blank=True)
    applications_close_at = models.DateTimeField(_("applications close"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    delivery_mode = models.CharField(_("delivery mode"), max_length=20, choices=DeliveryFormat)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    offer_deadline_days = models.PositiveSmallIntegerField(_("days to accept an offer"), default=14)
    offer_cutoff_at = models.DateTimeField(
        _("no offers after"),
        null=True,
        blank=True,
        help_text=_("Leave blank to allow offers until the cohort starts."),
    )
    # A cancelled cohort keeps its rows for the record; nobody can apply or be offered a
    # place, and everyone who held or waited for one was told (places.cohort_cancel).
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    cancellation_reason = models.TextField(_("why it was cancelled"), blank=True, editable=False)
    # Set once everyone who asked to hear about new dates has been told this cohort is open.
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Enrolled people plus outstanding offers. Changed only by the places services,
    # under a row lock on this cohort; the CHECK below is the last line of defence.
    places_taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="cohort_capacity_positive",
                violation_error_message=COHORT_NEEDS_A_PLACE,
            ),
            models.CheckConstraint(
                condition=Q(places_taken__gte=0) & Q(places_taken__lte=F("capacity")),
                name="cohort_places_taken_within_capacity",
                violation_error_message=COHORT_PLACES_OVER_CAPACITY,
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="cohort_ends_after_it_starts",
                violation_error_message=COHORT_ENDS_BEFORE_IT_STARTS,
            ),
            models.CheckConstraint(
                condition=Q(applications_open_at__isnull=True)
                | Q(applications_close_at__isnull=True)
                | Q(applications_close_at__gt=F("applications_open_at")),
                name="cohort_window_closes_after_it_opens",
                violation_error_message=COHORT_WINDOW_CLOSES_BEFORE_IT_OPENS,
            ),
            models.CheckConstraint(
                condition=Q(offer_deadline_days__gte=1) & Q(offer_deadline_days__lte=90),
                name="cohort_offer_deadline_between_1_and_90_days",
                violation_error_message=COHORT_OFFER_DEADLINE_OUT_OF_RANGE,
            ),
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="cohort_name_unique_per_programme",
                violation_error_message=COHORT_NAME_TAKEN,
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "starts_on"]),
            # The API's cohort list, soonest first, reads a page from here instead of
            # sorting every cohort.
            models.Index(fields=["starts_on"], name="cohort_starts_on"),
            # The directory's default order reads each programme's next start from here.
            models.Index(
                fields=["programme", "starts_on"],
                condition=Q(cancelled_at__isnull=True),
                name="cohort_not_cancelled_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.title}: {self.name}"

    def save(self, **kwargs: Any) -> None:
        """Save, but never write `places_taken` back over an existing row.

        The places services change the counter with F() updates under a row lock. A
        full save of an instance loaded before one of those would put the old count
        back, so an UPDATE without update_fields names every other field instead.
        """
        if (
            self.pk is not None
            and not self._state.adding
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
        ):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key
                and field.name != "places_taken"
                and field.attname not in deferred
            ]
        super().save(**kwargs)

    def get_additional_data(self) -> dict[str, Any]:
        """Stored with each audit entry, so a programme's history can list its cohorts'."""
        return {"programme_id": self.programme_id}

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class ProgrammeTeamMember(models.Model):
    """A person who runs or screens for one programme. Staff see only these programmes."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Programme team (makes offers)")
        SCREENER = "screener", _("Screener (reviews applications)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_roles"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="team")
    role = models.CharField(_("role"), max_length=20, choices=Role)
    # Sees the programme's reports (aggregate figures, small numbers suppressed). Managers
    # are given it when they join or are made managers; a manager may give it to a screener.
    can_see_reports = models.BooleanField(_("sees reports"), default=False)

    class Meta:
        verbose_name = _("programme team member")
        verbose_name_plural = _("programme team members")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"],
                name="one_role_per_programme",
                violation_error_message=_("This person is already in the programme's team."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.programme})"

    def get_additional_data(self) -> dict[str, Any]:
        """Kept with each audit entry, so the programme's history still shows a removal."""
        return {"programme_id": self.programme_id}


class ProviderMembership(models.Model):
    """Ties a person to the provider organisation they work for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_memberships"
    )
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        verbose_name = _("provider staff member")
        verbose_name_plural = _("provider staff members")
        constraints = [
            models.UniqueConstraint(fields=["user", "provider"], name="one_membership_per_provider")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.provider})"


class FutureDatesSubscription(models.Model):
    """Someone who asked to hear when a programme announces new dates.

    One row per programme and (lower-cased) email address, so repeated sign-ups
    never pile up. Nothing is sent to an address until it is confirmed through
    the signed link we email to it.
    """

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="future_dates_subscriptions",
        verbose_name=_("programme"),
    )
    email = models.EmailField(_("email address"))
    # What the person agreed to, word for word, and when: the record of consent.
    consent_text = models.TextField(_("consent given"))
    consented_at = models.DateTimeField(_("consent given at"))
    confirmation_sent_at = models.DateTimeField(_("confirmation sent at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("future dates subscription")
        verbose_name_plural = _("future dates subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "email"], name="one_future_dates_subscription_per_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.programme})"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None

    @property
    def confirm_token(self) -> str:
        return future_dates_confirm_token(self)

    @property
    def unsubscribe_token(self) -> str:
        return future_dates_unsubscribe_token(self)


class CohortAnnouncement(models.Model):
    """One "new dates are open" email to one subscriber about one cohort: sent once, ever."""

    subscription = models.ForeignKey(
        FutureDatesSubscription, on_delete=models.CASCADE, related_name="announcements"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="announcements")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("new dates email")
        verbose_name_plural = _("new dates emails")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "cohort"], name="one_announcement_per_subscriber_cohort"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cohort} → {self.subscription.email}"


# Every change the team makes to a programme, cohort or team is logged with who made it
# and the values before and after (docs/adr/0006-audit-log-library.md). The places
# counter and timestamps change as a matter of course and would only bury what matters.
auditlog.register(
    Programme,
    exclude_fields=["created_at", "updated_at", "search_vector"],
    m2m_fields={"providers"},
)
auditlog.register(
    Cohort, exclude_fields=["places_taken", "announced_at", "created_at", "updated_at"]
)
auditlog.register(ProgrammeTeamMember)
