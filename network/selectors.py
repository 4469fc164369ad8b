"""Reads of the peer network. Each page is a fixed number of queries, whatever its size.

Who counts is decided here, on every read: a participant is someone enrolled on,
or who has completed, a cohort of the programme (applications.lifecycle.PARTICIPANT).
A profile whose owner is no longer one (withdrawn, did not complete) is never shown,
and its owner can no longer see anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import User
from applications.lifecycle import PARTICIPANT
from applications.models import Application
from programmes.models import Programme

from .models import NetworkProfile


@dataclass(frozen=True)
class Membership:
    """Where the viewer stands in one programme's network."""

    programme: Programme
    cohort_id: int
    profile: NetworkProfile | None


def participant_cohort_id(*, user: User, programme: Programme) -> int | None:
    """The viewer's cohort on the programme (the latest, if they have done it twice)."""
    if not user.is_authenticated or not user.is_active:
        return None
    cohort_id: int | None = (
        Application.objects.filter(
            applicant=user, cohort__programme=programme, state__in=PARTICIPANT
        )
        .order_by("-cohort__starts_on", "-pk")
        .values_list("cohort_id", flat=True)
        .first()
    )
    return cohort_id


def network_membership(*, user: User, slug: str) -> Membership | None:
    """The viewer's membership of the network of the published programme `slug`, or None
    when they are not a participant of it (the views answer 404). Three queries."""
    programme = Programme.objects.published().filter(slug=slug).first()
    if programme is None:
        return None
    cohort_id = participant_cohort_id(user=user, programme=programme)
    if cohort_id is None:
        return None
    profile = (
        NetworkProfile.objects.filter(user=user, programme=programme)
        .select_related("local_authority")
        .first()
    )
    return Membership(programme=programme, cohort_id=cohort_id, profile=profile)


def _participant_on(**where: object) -> Exists:
    return Exists(
        Application.objects.filter(applicant=OuterRef("user"), state__in=PARTICIPANT, **where)
    )


def network_members(
    *,
    membership: Membership,
    alumni: bool,
    local_authority_id: int | None = None,
    region: str = "",
    role: str = "",
) -> QuerySet[NetworkProfile]:
    """Opted-in members of the viewer's cohort, or (alumni=True) of the programme's other
    cohorts, still participants, the viewer left out; one query."""
    profiles = NetworkProfile.objects.filter(programme=membership.programme)
    if membership.profile is not None:
        profiles = profiles.exclude(pk=membership.profile.pk)
    same_cohort = _participant_on(cohort_id=membership.cohort_id)
    if alumni:
        profiles = profiles.filter(
            _participant_on(cohort__programme=membership.programme), ~same_cohort
        )
    else:
        profiles = profiles.filter(same_cohort)
    if local_authority_id:
        profiles = profiles.filter(local_authority_id=local_authority_id)
    if region:
        profiles = profiles.filter(region=region)
    for word in role.split()[:10]:
        profiles = profiles.filter(Q(job_title__icontains=word) | Q(can_help_with__icontains=word))
    return profiles.select_related("local_authority").order_by("name", "pk")


def network_programmes(*, user: User) -> list[tuple[Programme, bool]]:
    """The published programmes the user is a participant of, each with whether they have
    joined its network. One query."""
    if not user.is_authenticated:
        return []
    programmes = (
        Programme.objects.published()
        .filter(
            Exists(
                Application.objects.filter(
                    applicant=user, cohort__programme=OuterRef("pk"), state__in=PARTICIPANT
                )
            )
        )
        .annotate(joined=Exists(NetworkProfile.objects.filter(user=user, programme=OuterRef("pk"))))
        .order_by("title")
    )
    return [(programme, programme.joined) for programme in programmes]  # type: ignore[attr-defined]


def network_profiles_left_behind(*, user: User) -> list[NetworkProfile]:
    """Profiles the user still has on programmes they are no longer a participant of
    (withdrawn, or did not complete). Hidden from everyone; listed to their owner so
    they can delete them. One query."""
    if not user.is_authenticated:
        return []
    return list(
        NetworkProfile.objects.filter(user=user)
        .exclude(_participant_on(cohort__programme=OuterRef("programme")))
        .select_related("programme")
        .order_by("programme__title")
    )


def network_names_for_staff(*, programme: Programme) -> list[str]:
    """Only the names of who has joined (and is still a participant): nothing else of
    their profile reaches the programme's team. One query."""
    return list(
        NetworkProfile.objects.filter(programme=programme)
        .filter(_participant_on(cohort__programme=programme))
        .order_by("name", "pk")
        .values_list("name", flat=True)
    )
