"""Factories for the resource library and the peer network."""

from __future__ import annotations

import factory
from django.utils import timezone

from network.models import NetworkProfile
from resources.models import Resource, ResourceKind, ResourceStatus, Visibility
from tests import factories


class ResourceFactory(factory.django.DjangoModelFactory):
    """A published, open resource with a web link, listed under its own programme."""

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"A guide to leading change {n}")
    summary = "Practical steps for leaders taking on a new service."
    kind = ResourceKind.GUIDE
    topics = "|innovation|"
    programme = factory.SubFactory(factories.ProgrammeFactory)
    link = factory.Sequence(lambda n: f"https://example.org/resources/{n}")
    status = ResourceStatus.PUBLISHED
    visibility = Visibility.OPEN
    published_on = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def programmes(obj, create, extracted, **kwargs):
        if create:
            obj.programmes.set(extracted if extracted is not None else [obj.programme])


class NetworkProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkProfile

    user = factory.SubFactory(factories.UserFactory)
    programme = factory.SubFactory(factories.ProgrammeFactory)
    name = factory.LazyAttribute(lambda o: o.user.full_name or "A participant")
    job_title = "Assistant director, children's services"
    employer = "Borough Council"
    contact_email = factory.LazyAttribute(lambda o: o.user.email)
    can_help_with = "Ofsted inspections"


def participant(*, cohort, state: str = "enrolled", **user_fields):  # type: ignore[no-untyped-def]
    """A person with a place (enrolled by default) on `cohort`."""
    user = factories.UserFactory(**user_fields)
    factories.ApplicationFactory(cohort=cohort, applicant=user, state=state)
    return user
