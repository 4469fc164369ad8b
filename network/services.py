"""Joining and leaving a programme's peer network.

Joining needs a place, enrolled or completed, on one of the programme's cohorts,
checked here whoever calls. Leaving deletes the profile row at once: nothing of it
is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from accounts.models import User
from programmes.models import Programme

from .errors import NOT_A_PARTICIPANT, NotAParticipant
from .models import NetworkProfile
from .selectors import participant_cohort_id

PROFILE_FIELDS: tuple[str, ...] = (
    "name",
    "job_title",
    "employer",
    "local_authority",
    "region",
    "contact_email",
    "can_help_with",
    "see_alumni",
)


def network_opt_in(*, user: User, programme: Programme, data: Mapping[str, Any]) -> NetworkProfile:
    """Join the network with the profile in `data`, or change the profile already shared."""
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not a profile field: {sorted(unknown)}")
    if participant_cohort_id(user=user, programme=programme) is None:
        raise NotAParticipant(NOT_A_PARTICIPANT)
    with transaction.atomic():
        profile, _created = NetworkProfile.objects.select_for_update().get_or_create(
            user=user, programme=programme, defaults=dict(data)
        )
        if not _created:
            for name, value in data.items():
                setattr(profile, name, value)
            profile.full_clean(validate_unique=False)
            profile.save()
    return profile


def network_opt_out(*, user: User, programme: Programme) -> bool:
    """Leave the network: the profile is deleted. True if there was one to delete."""
    deleted, _by_model = NetworkProfile.objects.filter(user=user, programme=programme).delete()
    return deleted > 0
