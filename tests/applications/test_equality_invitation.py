"""After submitting, the applicant is invited to the optional equality questions."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from post_office.models import Email

from .conftest import Ready

pytestmark = pytest.mark.django_db

QUESTIONNAIRE = reverse("equality:questionnaire")


def test_the_confirmation_page_and_email_invite_to_the_equality_questions(
    client: Any, ready: Ready, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SITE_URL = "https://portal.example.org"
    client.force_login(ready.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("applications:submit", args=[ready.application.pk]), follow=True
        )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "applications:submitted", args=[ready.application.pk]
    )
    assert "data-equality-invitation" in page
    assert f'href="{QUESTIONNAIRE}"' in page
    assert "never affect screening or selection" in page

    [email] = Email.objects.filter(subject__startswith="Application received")
    assert f"https://portal.example.org{QUESTIONNAIRE}" in email.message
    assert f"https://portal.example.org{QUESTIONNAIRE}" in email.html_message
