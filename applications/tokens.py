"""Signed links in emails: leaving a waiting list in one click, without signing in."""

from __future__ import annotations

from django.core import signing

from .models import Application

_SALT = "applications.waitlist-leave"
# A waiting list rarely lasts longer than a cohort's recruitment round.
LEAVE_LINK_MAX_AGE = 60 * 60 * 24 * 180


def waitlist_leave_token(application: Application) -> str:
    return signing.dumps({"a": application.pk, "u": application.applicant_id}, salt=_SALT)


def application_from_leave_token(token: str) -> Application | None:
    """The application the link was made for, or None if it is forged, altered or too old."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=LEAVE_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        Application.objects.select_related("cohort__programme", "applicant")
        .filter(pk=data.get("a"), applicant_id=data.get("u"))
        .first()
    )
