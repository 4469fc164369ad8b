"""A peer network profile is the person's own data: in their download, gone when they go."""

from __future__ import annotations

import pytest

from network.models import NetworkProfile
from privacy.selectors import personal_data
from privacy.services.erasure import account_delete
from tests import factories
from tests.resources.factories import NetworkProfileFactory, participant

pytestmark = pytest.mark.django_db


def test_download_your_data_includes_the_network_profile() -> None:
    cohort = factories.CohortFactory(programme__title="Upon new directors")
    user = participant(cohort=cohort, state="completed")
    NetworkProfileFactory(user=user, programme=cohort.programme, contact_email="me@work.example")
    shared = personal_data(user=user).data["peer_network_profiles"]
    assert [(p["programme"], p["contact_email"]) for p in shared] == [
        ("Upon new directors", "me@work.example")
    ]


def test_deleting_the_account_deletes_the_network_profile() -> None:
    cohort = factories.CohortFactory()
    user = participant(cohort=cohort, state="completed")
    NetworkProfileFactory(user=user, programme=cohort.programme)
    account_delete(user=user)
    assert not NetworkProfile.objects.exists()
