"""Claiming (抢单): a claim takes one slot for the claim time limit, and slots never oversell.

A slot is taken with one conditional `UPDATE campaign SET slots_taken = slots_taken + 1 WHERE
slots_taken < slots`: PostgreSQL re-checks the condition after waiting for a parallel claim's
row lock, so 1,000 simultaneous claims on 50 slots make exactly 50 claims (and the check
constraint `microtasks_no_oversell` would refuse a 51st). Each citizen's claims are serialised
on their user row, so the open-claims limit and "one field task once" hold under parallel clicks.
Overdue claims give their slot back: the beat job `claims_expire` every minute, and each claim
attempt on a campaign first expires its overdue claims; readers count overdue claims as free.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from microtasks.live import task_board_changed
from microtasks.models import Campaign, Claim
from microtasks.notifications import CLAIM_EXPIRING
from microtasks.rules import Refusal, claim_refusal
from notifications.services import notification_notify


def slots_free(*, campaign_counts: dict[int, int]) -> None:
    """Give back slots: {campaign id: how many}. Call inside the transaction that closed the claims."""
    for campaign_id, count in campaign_counts.items():
        if count:
            Campaign.objects.filter(pk=campaign_id).update(slots_taken=F("slots_taken") - count)
    if any(campaign_counts.values()):
        task_board_changed()


@transaction.atomic
def claims_expire(*, campaign_id: int | None = None, now: datetime | None = None) -> int:
    """Expire active claims past their time limit and free their slots; the number expired. Safe to run twice.

    Rows being expired by a parallel call are skipped (SKIP LOCKED), so no slot is freed twice.
    """
    now = now or timezone.now()
    overdue = Claim.objects.overdue(now)
    if campaign_id is not None:
        overdue = overdue.filter(campaign_id=campaign_id)
    rows = list(overdue.select_for_update(skip_locked=True).values_list("pk", "campaign_id"))
    if not rows:
        return 0
    Claim.objects.filter(pk__in=[pk for pk, _campaign in rows]).update(status=Claim.Status.EXPIRED, closed_at=now)
    slots_free(campaign_counts=Counter(campaign for _pk, campaign in rows))
    return len(rows)


@transaction.atomic
def claim_create(*, citizen: User, campaign_id: int, now: datetime | None = None) -> Claim:
    """Take one slot of the campaign for its claim time limit. Refusal (nothing stored) when the citizen may
    not claim (dates, eligibility, limit, already taken) or the campaign is full."""
    now = now or timezone.now()
    # Serialise this citizen's claims: the limit and "once per field task" are checked under this lock.
    User.objects.select_for_update().filter(pk=citizen.pk).values_list("pk").first()
    campaign = Campaign.objects.select_related("agency").filter(pk=campaign_id).first()
    if campaign is None:
        raise Refusal(_("No such task."), 404)
    # A full campaign with no overdue claim to free is refused before the eligibility queries: in a rush on
    # the last slots most attempts end here. (The conditional UPDATE below is what guarantees no oversell.)
    if (
        campaign.is_published
        and campaign.starts_at <= now < campaign.ends_at
        and campaign.slots_taken >= campaign.slots
        and not Claim.objects.filter(campaign=campaign).overdue(now).exists()
    ):
        raise Refusal(_("All slots of this task are taken."), 409)
    refusal = claim_refusal(citizen, campaign, now)
    if refusal is not None:
        raise refusal
    claims_expire(campaign_id=campaign.pk, now=now)
    taken = Campaign.objects.filter(pk=campaign.pk, slots_taken__lt=F("slots")).update(slots_taken=F("slots_taken") + 1)
    if not taken:
        raise Refusal(_("All slots of this task are taken."), 409)
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                campaign=campaign,
                citizen=citizen,
                claimed_at=now,
                expires_at=now + timedelta(minutes=campaign.claim_minutes),
            )
    except IntegrityError as error:  # a parallel claim of the same citizen won; the slot is given back too
        raise Refusal(_("You are already working on this task."), 409) from error
    task_board_changed()
    return claim


@transaction.atomic
def claim_release(*, citizen: User, claim_id: int, now: datetime | None = None) -> Claim:
    """Give up an active claim of the citizen; its slot goes back to the campaign."""
    now = now or timezone.now()
    claim = Claim.objects.select_for_update().filter(pk=claim_id, citizen=citizen).first()
    if claim is None:
        raise Refusal(_("No such claim."), 404)
    if claim.status != Claim.Status.ACTIVE:
        raise Refusal(_("Only a task in progress can be released."), 409)
    claim.status, claim.closed_at = Claim.Status.RELEASED, now
    claim.save(update_fields=["status", "closed_at"])
    slots_free(campaign_counts={claim.campaign_id: 1})
    return claim


def claims_remind_expiring(*, now: datetime | None = None) -> int:
    """Notify citizens whose claim expires within MICROTASKS_REMINDER_MINUTES (once per claim); how many."""
    now = now or timezone.now()
    minutes = settings.MICROTASKS_REMINDER_MINUTES
    due = Claim.objects.filter(
        status=Claim.Status.ACTIVE, reminded=False, expires_at__gt=now, expires_at__lte=now + timedelta(minutes=minutes)
    ).select_related("campaign", "citizen")
    sent = 0
    for claim in due:
        with transaction.atomic():
            # The conditional update makes a second run (or a parallel one) skip this claim.
            if not Claim.objects.filter(pk=claim.pk, reminded=False).update(reminded=True):
                continue
            left = max(1, int((claim.expires_at - now).total_seconds() // 60))
            notification_notify(
                recipients=[claim.citizen],
                kind=CLAIM_EXPIRING.key,
                data={"campaign_title": claim.campaign.title, "minutes": left},
                url=claim.campaign.get_absolute_url(),
            )
            sent += 1
    return sent
