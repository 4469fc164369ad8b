"""People who use the portal. Everyone logs in with their email address."""

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        # Addresses are stored lower-cased, so "Jo@Example.com" finds jo@example.com.
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("site administrator"),
        default=False,
        help_text=_("Can use the Django admin."),
    )
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Part of every session's auth hash: adding one signs the person out everywhere
    # (accounts.services.user_sessions_end), e.g. when they lose a role.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django's hash covers the password only; the epoch lets us end sessions for
        # other reasons too. Every session signed in before a change stops matching.
        return salted_hmac(
            "accounts.User.session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Nation(models.TextChoices):
    ENGLAND = "england", _("England")
    WALES = "wales", _("Wales")
    SCOTLAND = "scotland", _("Scotland")
    NORTHERN_IRELAND = "northern_ireland", _("Northern Ireland")
    OUTSIDE_UK = "outside_uk", _("Outside the UK")


class EmployerType(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    NHS = "nhs", _("NHS body")
    CENTRAL_GOVERNMENT = "central_government", _("Central government or an agency")
    CHARITY = "charity", _("Charity or voluntary organisation")
    PRIVATE = "private", _("Private company")
    EDUCATION = "education", _("School, college or university")
    OTHER = "other", _("Other organisation")


class Sector(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", _("Children's social care")
    EDUCATION = "education", _("Education")
    EARLY_HELP = "early_help", _("Early help and family support")
    YOUTH_JUSTICE = "youth_justice", _("Youth justice")
    ADULT_SOCIAL_CARE = "adult_social_care", _("Adult social care")
    HEALTH = "health", _("Health")
    COMMISSIONING = "commissioning", _("Commissioning")
    INCLUSION = "inclusion", _("Inclusion and SEND")
    OTHER = "other", _("Other")


class Seniority(models.TextChoices):
    SENIOR_STRATEGIC = "senior_strategic", _("Senior strategic leadership")
    SENIOR_OPERATIONAL = "senior_operational", _("Senior operational management")
    MIDDLE_MANAGEMENT = "middle_management", _("Middle management")
    PRACTITIONER = "practitioner", _("Practitioner or specialist")


class CurrentRole(models.TextChoices):
    DCS = "dcs", _("Director of children's services")
    DEPUTY_DCS = "deputy_dcs", _("Deputy director of children's services")
    ASSISTANT_DIRECTOR = "assistant_director", _("Assistant director")
    HEAD_OF_SERVICE = "head_of_service", _("Head of service")
    OTHER_SENIOR_LEADER = "other_senior_leader", _("Other senior leader")
    LEAD_MEMBER = "lead_member", _("Lead member for children's services (councillor)")
    SCRUTINY_CHAIR = "scrutiny_chair", _("Chair of a children's services scrutiny committee")
    OTHER = "other", _("Other role")


class LocalAuthority(models.Model):
    """English and Welsh councils with children's services responsibilities."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    nation = models.CharField(_("nation"), max_length=20, choices=Nation)

    class Meta:
        ordering = ["name"]
        verbose_name = _("local authority")
        verbose_name_plural = _("local authorities")

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """What an applicant tells us once and reuses in every application."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    current_role = models.CharField(
        _("current role"), max_length=30, choices=CurrentRole, blank=True
    )
    current_role_since = models.DateField(_("in this role since"), null=True, blank=True)
    employer_type = models.CharField(
        _("type of employer"), max_length=30, choices=EmployerType, blank=True
    )
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("local authority"),
    )
    employer_name = models.CharField(
        _("employer"),
        max_length=200,
        blank=True,
        help_text=_("If you do not work for a local authority."),
    )
    sector = models.CharField(_("sector"), max_length=30, choices=Sector, blank=True)
    nation = models.CharField(_("nation you work in"), max_length=20, choices=Nation, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def employer_display(self) -> str:
        return self.local_authority.name if self.local_authority else self.employer_name


class CareerEntry(models.Model):
    """One role in an applicant's career; senior experience is computed from these."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="career_entries")
    role_title = models.CharField(_("role"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector)
    seniority = models.CharField(_("level"), max_length=30, choices=Seniority)
    started_on = models.DateField(_("started"))
    ended_on = models.DateField(
        _("ended"), null=True, blank=True, help_text=_("Leave blank if current.")
    )

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("career history entry")
        verbose_name_plural = _("career history")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="career_entry_ends_after_it_starts",
                violation_error_message=_("A role cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.role_title}, {self.organisation}"
