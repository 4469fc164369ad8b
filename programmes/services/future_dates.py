"""Writes in the catalogue: the "tell me about future dates" subscriptions.

Double opt-in: signing up stores the address and the consent given, and emails
a signed confirmation link; nothing else is ever sent until it is confirmed.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from notifications.outbox import email_queue

from ..models import Cohort, CohortAnnouncement, FutureDatesSubscription, Programme

# However often someone presses the button, an address gets at most one
# confirmation email per programme in this time: the form cannot be used to
# flood an inbox.
CONFIRMATION_RESEND_AFTER = dt.timedelta(minutes=10)


class SubscriptionEnded(Exception):
    """The person unsubscribed after this confirmation link was sent."""


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def future_dates_subscribe(
    *, programme: Programme, email: str, consent_text: str
) -> FutureDatesSubscription:
    """Record the sign-up (one row per programme and address) and send the confirmation.

    Signing up again renews the consent; someone who unsubscribed must confirm
    afresh. An address already confirmed gets no email: it is already on the list.
    """
    email = email.strip().lower()
    now = timezone.now()
    with transaction.atomic():
        subscription, created = FutureDatesSubscription.objects.select_for_update().get_or_create(
            programme=programme,
            email=email,
            defaults={"consent_text": consent_text, "consented_at": now},
        )
        if not created:
            if subscription.is_active:
                return subscription
            subscription.consent_text = consent_text
            subscription.consented_at = now
            if subscription.unsubscribed_at is not None:
                subscription.unsubscribed_at = None
                subscription.confirmed_at = None
                subscription.confirmation_sent_at = None
        recently_sent = (
            subscription.confirmation_sent_at is not None
            and now - subscription.confirmation_sent_at < CONFIRMATION_RESEND_AFTER
        )
        if not recently_sent:
            email_queue(
                to=email,
                template="future_dates_confirm",
                context={
                    "programme_title": programme.title,
                    "confirm_url": _absolute(
                        reverse(
                            "programmes:future_dates_confirm",
                            kwargs={"slug": programme.slug, "token": subscription.confirm_token},
                        )
                    ),
                    "unsubscribe_url": _absolute(
                        reverse(
                            "programmes:future_dates_unsubscribe",
                            kwargs={
                                "slug": programme.slug,
                                "token": subscription.unsubscribe_token,
                            },
                        )
                    ),
                },
            )
            subscription.confirmation_sent_at = now
        subscription.save(
            update_fields=[
                "consent_text",
                "consented_at",
                "unsubscribed_at",
                "confirmed_at",
                "confirmation_sent_at",
                "updated_at",
            ]
        )
    return subscription


def future_dates_confirm(*, subscription: FutureDatesSubscription) -> FutureDatesSubscription:
    """Confirm the address. Idempotent; refused once the person has unsubscribed."""
    with transaction.atomic():
        subscription = FutureDatesSubscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.unsubscribed_at is not None:
            raise SubscriptionEnded
        if subscription.confirmed_at is None:
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["confirmed_at", "updated_at"])
    return subscription


def future_dates_unsubscribe(*, subscription: FutureDatesSubscription) -> FutureDatesSubscription:
    """Stop all emails to this address about this programme. Idempotent."""
    now = timezone.now()
    updated = FutureDatesSubscription.objects.filter(
        pk=subscription.pk, unsubscribed_at__isnull=True
    ).update(unsubscribed_at=now, updated_at=now)
    if updated:
        subscription.refresh_from_db()
    return subscription


# A run sends at most this many "new dates" emails, so a big list goes out
# over several runs instead of one long job.
ANNOUNCEMENT_BATCH = 200
# Each transaction claims this many subscribers: their rows are locked only
# while their emails are written to the outbox.
ANNOUNCEMENT_CLAIM = 20


def _subscribers_to_tell(cohort: Cohort) -> QuerySet[FutureDatesSubscription]:
    return FutureDatesSubscription.objects.filter(
        programme_id=cohort.programme_id,
        confirmed_at__isnull=False,
        unsubscribed_at__isnull=True,
    ).exclude(announcements__cohort=cohort)


def _announce(cohort: Cohort, subscription: FutureDatesSubscription) -> None:
    CohortAnnouncement.objects.create(subscription=subscription, cohort=cohort)
    email_queue(
        to=subscription.email,
        template="cohort_open",
        context={
            "programme": cohort.programme.title,
            "cohort": cohort.name,
            "starts": cohort.starts_on,
            "closes": cohort.applications_close_at,
            "programme_url": _absolute(cohort.programme.get_absolute_url()),
            "team_email": cohort.programme.contact_email,
            "unsubscribe_url": _absolute(
                reverse(
                    "programmes:future_dates_unsubscribe",
                    kwargs={"slug": cohort.programme.slug, "token": subscription.unsubscribe_token},
                )
            ),
        },
    )


def _claim_and_announce(cohort: Cohort, limit: int) -> tuple[int, int]:
    """Claim up to `limit` subscribers and tell them about `cohort`, in one short
    transaction. Returns (claimed, told).

    Only the subscription rows are locked (SKIP LOCKED, so a second worker takes
    the next ones instead of waiting). The cohort row is never locked: its
    applications open at this moment and submissions lock it to take places.
    """
    with transaction.atomic():
        claimed = list(
            _subscribers_to_tell(cohort)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")[:limit]
        )
        if not claimed:
            return 0, 0
        # Re-check on the locked rows: another worker may have told some of them
        # and committed after this query's snapshot was taken. Whoever tells a
        # subscriber holds their row, so nobody else can be doing it now.
        told = set(
            CohortAnnouncement.objects.filter(cohort=cohort, subscription__in=claimed).values_list(
                "subscription_id", flat=True
            )
        )
        for subscription in claimed:
            if subscription.pk not in told:
                _announce(cohort, subscription)
    return len(claimed), len(claimed) - len(told)


def cohort_announcements_send(
    *, now: dt.datetime | None = None, batch: int = ANNOUNCEMENT_BATCH
) -> int:
    """Tell confirmed subscribers that a cohort of their programme is open for applications.

    Each subscriber hears about each cohort once: a CohortAnnouncement row is written
    with the email while their subscription row is locked, and a unique constraint
    refuses a second. Safe to run often and from several workers at once.
    """
    now = now or timezone.now()
    sent = 0
    due = Cohort.objects.filter(
        announced_at__isnull=True,
        cancelled_at__isnull=True,
        programme__is_published=True,
        applications_open_at__lte=now,
        applications_close_at__gt=now,
    ).select_related("programme")
    for cohort in due:
        while sent < batch:
            claimed, told = _claim_and_announce(cohort, min(ANNOUNCEMENT_CLAIM, batch - sent))
            if not claimed:
                break
            sent += told
        # Rows another worker holds (or told but has not committed) still count as
        # waiting here, so the cohort is marked done only once every email exists.
        if not _subscribers_to_tell(cohort).exists():
            Cohort.objects.filter(pk=cohort.pk, announced_at__isnull=True).update(announced_at=now)
        if sent >= batch:
            break
    return sent
