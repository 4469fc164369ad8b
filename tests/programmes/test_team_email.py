"""The programme team's email: on the programme page and in the emails applicants get."""

from __future__ import annotations

import pytest
from django.core import mail

from applications.models import ApplicationState as S
from applications.services.places import application_offer
from applications.services.withdrawal import application_withdraw
from tests import factories

pytestmark = pytest.mark.django_db

TEAM = "upon.team@example.org"


def test_the_programme_page_says_how_to_contact_the_team(client) -> None:
    programme = factories.ProgrammeFactory(contact_email=TEAM)

    body = client.get(programme.get_absolute_url()).content.decode()

    assert f'Contact the programme team: <a href="mailto:{TEAM}">{TEAM}</a>' in body


def test_a_programme_without_a_team_email_shows_no_contact_line(client) -> None:
    programme = factories.ProgrammeFactory(contact_email="")

    body = client.get(programme.get_absolute_url()).content.decode()

    assert "Contact the programme team" not in body


def test_a_sent_offer_email_gives_the_team_email(django_capture_on_commit_callbacks) -> None:
    cohort = factories.CohortFactory(programme__contact_email=TEAM)
    application = factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE)

    with django_capture_on_commit_callbacks(execute=True):
        application_offer(application=application, by=factories.UserFactory())

    [email] = mail.outbox
    assert email.to == [application.applicant.email]
    assert f"Contact the programme team: {TEAM}" in email.body
    html, _mimetype = email.alternatives[0]
    assert f'<a href="mailto:{TEAM}"' in html


def test_an_offer_email_without_a_team_email_has_no_contact_line(
    django_capture_on_commit_callbacks,
) -> None:
    cohort = factories.CohortFactory(programme__contact_email="")
    application = factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE)

    with django_capture_on_commit_callbacks(execute=True):
        application_offer(application=application, by=factories.UserFactory())

    [email] = mail.outbox
    assert "Contact the programme team" not in email.body


def test_the_withdrawal_email_gives_the_team_email(django_capture_on_commit_callbacks) -> None:
    cohort = factories.CohortFactory(programme__contact_email=TEAM)
    application = factories.ApplicationFactory(cohort=cohort, state=S.ELIGIBLE)

    with django_capture_on_commit_callbacks(execute=True):
        application_withdraw(application=application, by=application.applicant)

    [email] = mail.outbox
    assert f"Contact the programme team: {TEAM}" in email.body
