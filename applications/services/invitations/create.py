"""Invite one person to a cohort: an account if needed, an offer, and an email.

A person invited for the first time gets an account with no usable password;
the email carries a password-reset link, which doubles as the account-claim
link and, because it reaches their mailbox, confirms their address when used.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from accounts.models import CurrentRole, EmployerType, LocalAuthority, Profile, User
from notifications.outbox import email_queue
from portal.validators import formula_start, shown_character
from programmes.models import COHORT_CANCELLED as CANCELLED
from programmes.models import AdmissionMode, Cohort

from ...errors import ApplicationError
from ...models import Application
from ...models import ApplicationState as S
from ...selectors import current_application
from .. import places
from ..places.locking import lock_cohort

NOT_BY_INVITATION = _(
    "Invitations are only for programmes that people join by invitation. "
    "This programme takes applications instead."
)
ACCOUNT_CLOSED = _("The account for this email address is closed, so it cannot be invited.")
# One sentence for a cancelled cohort wherever it is refused (the places lock uses it too).
COHORT_CANCELLED = CANCELLED
NAME_LOOKS_LIKE_A_FORMULA = _(
    "The name starts with “%(character)s”, so a spreadsheet could run it as a formula. "
    "Remove the character at the start."
)
INVITATION_REASON = "Invited by the programme team."


class InvitationError(ApplicationError):
    pass


class NotByInvitation(InvitationError):
    pass


class AccountClosed(InvitationError):
    pass


class CohortCancelled(InvitationError):
    pass


class NameLooksLikeAFormula(InvitationError):
    pass


# --- Invite one person -------------------------------------------------------


def invitation_create(
    *,
    cohort: Cohort,
    full_name: str,
    email: str,
    local_authority: LocalAuthority | None,
    appointed_on: dt.date | None,
    by: User,
) -> tuple[Application, bool]:
    """Invite one person to `cohort`: an account if needed, an offer, and an email.

    Returns (application, created). created is False when the person already
    has an application for this cohort: nothing changes and no email is sent.
    Raises an InvitationError (not by invitation, cancelled, a closed account, a
    name a spreadsheet would run) or a places.PlacesError (full, offers closed,
    a place held on another cohort of the programme).
    """
    email = User.objects.normalize_email(email.strip()).lower()
    full_name = full_name.strip()
    character = formula_start(full_name)
    if character is not None:
        raise NameLooksLikeAFormula(
            NAME_LOOKS_LIKE_A_FORMULA % {"character": shown_character(character)}
        )
    with transaction.atomic():
        # Lock the cohort first (the same order as the places services) so two
        # invitations of one person to one cohort queue rather than both insert.
        locked = lock_cohort(cohort.pk)
        if locked.programme.admission_mode != AdmissionMode.INVITATION:
            raise NotByInvitation(NOT_BY_INVITATION)
        if locked.is_cancelled:
            raise CohortCancelled(COHORT_CANCELLED)
        user = _user_get_or_create(email=email, full_name=full_name)
        existing = current_application(cohort=locked, user=user)
        if existing is not None:
            return existing, False
        _profile_fill(user=user, local_authority=local_authority, appointed_on=appointed_on)
        application = Application.objects.create(
            cohort=locked, applicant=user, state=S.DRAFT, invited=True
        )
        application = places.application_offer(
            application=application, by=by, reason=INVITATION_REASON, notify=False
        )
        _invitation_email_queue(application=application, user=user)
    return application, True


def _user_get_or_create(*, email: str, full_name: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        try:
            # A savepoint, so losing a race for the address keeps the outer transaction usable.
            with transaction.atomic():
                user = User.objects.create_user(email, None, full_name=full_name)
        except IntegrityError:
            user = User.objects.get(email__iexact=email)
    if not user.is_active:
        raise AccountClosed(ACCOUNT_CLOSED)
    if not user.full_name and full_name:
        user.full_name = full_name
        user.save(update_fields=["full_name"])
    return user


def _profile_fill(
    *, user: User, local_authority: LocalAuthority | None, appointed_on: dt.date | None
) -> None:
    """Record what the team told us, without overwriting anything the person wrote."""
    profile, _created = Profile.objects.get_or_create(user=user)
    changed: list[str] = []
    if not profile.current_role:
        profile.current_role = CurrentRole.DCS
        changed.append("current_role")
    # The appointment date is the start of the DCS role, so it only belongs with that role.
    if profile.current_role == CurrentRole.DCS and not profile.current_role_since and appointed_on:
        profile.current_role_since = appointed_on
        changed.append("current_role_since")
    if local_authority is not None and profile.employer_type in ("", EmployerType.LOCAL_AUTHORITY):
        # Only a council employee names a council; keep the three answers consistent.
        if not profile.employer_type:
            profile.employer_type = EmployerType.LOCAL_AUTHORITY
            changed.append("employer_type")
        if profile.local_authority_id is None:
            profile.local_authority = local_authority
            changed.append("local_authority")
        if not profile.nation and profile.local_authority is not None:
            profile.nation = profile.local_authority.nation
            changed.append("nation")
    if changed:
        profile.save(update_fields=[*changed, "updated_at"])


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _invitation_email_queue(*, application: Application, user: User) -> None:
    cohort = application.cohort
    application_path = reverse("applications:detail", args=[application.pk])
    context: dict[str, Any] = {
        "name": user.get_short_name(),
        "programme": cohort.programme.title,
        "cohort": cohort.name,
        "starts_on": cohort.starts_on,
        "deadline": timezone.localtime(application.offer_expires_at),
        "application_link": _absolute(application_path),
        "claim_link": "",
        "claim_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
        "new_link": _absolute(reverse("accounts:password_reset")),
        "sign_in_link": "",
        "team_email": cohort.programme.contact_email,
    }
    if user.has_usable_password():
        query = urlencode({"next": application_path})
        context["sign_in_link"] = _absolute(f"{reverse('accounts:login')}?{query}")
    else:
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        context["claim_link"] = _absolute(path)
    email_queue(to=user.email, template="invitation", context=context)
