"""factory_boy factories for every model. Use .build() when no database is needed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import (
    CareerEntry,
    CurrentRole,
    EmployerType,
    LocalAuthority,
    Nation,
    Profile,
    Sector,
    Seniority,
    User,
)
from applications.models import (
    Application,
    ApplicationEvent,
    ApplicationState,
    EligibilityRule,
    RuleKind,
)
from programmes.models import (
    AdmissionMode,
    Audience,
    Cohort,
    CostType,
    DeliveryFormat,
    FutureDatesSubscription,
    Programme,
    ProgrammeTeamMember,
    Provider,
    ProviderMembership,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Provider {n}")
    slug = factory.Sequence(lambda n: f"provider-{n}")
    kind = Provider.Kind.PROVIDER


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Leadership programme {n}")
    slug = factory.Sequence(lambda n: f"leadership-programme-{n}")
    summary = "A programme for senior leaders in children's services."
    description = "Sessions on systems leadership, partnerships and leading change."
    audience = Audience.SENIOR_LEADER
    format = DeliveryFormat.BLENDED
    duration = "Six months"
    cost_type = CostType.PAID
    cost_amount = Decimal("450.00")
    admission_mode = AdmissionMode.SELECTIVE
    is_published = True

    @factory.post_generation
    def providers(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.providers.set(extracted if extracted is not None else [ProviderFactory()])


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=120))
    applications_open_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    applications_close_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    capacity = 20
    delivery_mode = DeliveryFormat.BLENDED
    venue = "Online and Birmingham"
    offer_deadline_days = 14


class ProgrammeTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeTeamMember

    user = factory.SubFactory(UserFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    role = ProgrammeTeamMember.Role.MANAGER
    can_see_reports = factory.LazyAttribute(lambda o: o.role == ProgrammeTeamMember.Role.MANAGER)


class ProviderMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderMembership

    user = factory.SubFactory(UserFactory)
    provider = factory.SubFactory(ProviderFactory)


class FutureDatesSubscriptionFactory(factory.django.DjangoModelFactory):
    """An unconfirmed sign-up; pass confirmed_at=... for a confirmed one."""

    class Meta:
        model = FutureDatesSubscription

    programme = factory.SubFactory(ProgrammeFactory)
    email = factory.Sequence(lambda n: f"subscriber{n}@example.org")
    consent_text = "Email me when new dates are announced."
    consented_at = factory.LazyFunction(timezone.now)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted application; pass state=... for any other point of the lifecycle."""

    class Meta:
        model = Application

    cohort = factory.SubFactory(CohortFactory)
    applicant = factory.SubFactory(UserFactory)
    state = ApplicationState.SUBMITTED
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.state == ApplicationState.DRAFT else timezone.now()
    )


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Borough Council {n}")
    nation = Nation.ENGLAND


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    phone = "01632 960000"
    job_title = "Assistant director, children's social care"
    current_role = CurrentRole.ASSISTANT_DIRECTOR
    current_role_since = dt.date(2021, 4, 1)
    employer_type = EmployerType.LOCAL_AUTHORITY
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    sector = Sector.CHILDRENS_SOCIAL_CARE
    nation = Nation.ENGLAND


class CareerEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareerEntry

    user = factory.SubFactory(UserFactory)
    role_title = "Assistant director"
    organisation = "Borough Council"
    sector = Sector.CHILDRENS_SOCIAL_CARE
    seniority = Seniority.SENIOR_STRATEGIC
    started_on = dt.date(2019, 4, 1)
    ended_on = None


class EligibilityRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityRule

    programme = factory.SubFactory(ProgrammeFactory)
    kind = RuleKind.MIN_SENIOR_YEARS
    params = factory.LazyFunction(lambda: {"years": 3})
    message = "At least three years of senior strategic leadership"
    position = factory.Sequence(lambda n: n)


class ApplicationEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationEvent

    application = factory.SubFactory(ApplicationFactory)
    from_state = ApplicationState.DRAFT
    to_state = ApplicationState.SUBMITTED
    reason = "Submitted by the applicant"


class SupportingDocumentFactory(factory.django.DjangoModelFactory):
    """A document row whose file name points nowhere: no file is written to disk."""

    class Meta:
        model = "applications.SupportingDocument"

    application = factory.SubFactory(ApplicationFactory)
    kind = "cv"
    file = factory.Sequence(lambda n: f"documents/test/document-{n}.pdf")
    original_name = "cv.pdf"
    content_type = "application/pdf"
    size = 1024
