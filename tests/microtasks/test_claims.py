"""Claiming: slots, limits, expiry (beat job and lazily on read) and release."""

from datetime import timedelta

import pytest
from django.utils import timezone

from microtasks import claims
from microtasks.live import task_board_entries
from microtasks.models import Campaign, Claim
from microtasks.rules import Refusal
from tests.factories import UserFactory
from tests.microtasks.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def _taken(campaign) -> int:
    return Campaign.objects.get(pk=campaign.pk).slots_taken


def test_a_claim_takes_a_slot_for_the_time_limit(campaign, citizen):
    claim = claims.claim_create(citizen=citizen, campaign_id=campaign.pk)
    assert claim.status == Claim.Status.ACTIVE
    assert timedelta(minutes=59) < claim.expires_at - timezone.now() <= timedelta(minutes=60)
    assert _taken(campaign) == 1


def test_a_full_campaign_refuses_with_409_and_stores_nothing(agency):
    campaign = CampaignFactory(agency=agency, slots=2)
    for _ in range(2):
        claims.claim_create(citizen=UserFactory(), campaign_id=campaign.pk)
    with pytest.raises(Refusal) as refused:
        claims.claim_create(citizen=UserFactory(), campaign_id=campaign.pk)
    assert refused.value.status == 409
    assert Claim.objects.filter(campaign=campaign).count() == 2
    assert _taken(campaign) == 2


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ({"starts_at": timezone.now() + timedelta(days=1)}, "has not started"),
        ({"starts_at": timezone.now() - timedelta(days=9), "ends_at": timezone.now() - timedelta(days=1)}, "ended"),
    ],
)
def test_claims_outside_the_dates_are_refused(agency, citizen, dates, message):
    campaign = CampaignFactory(agency=agency, **dates)
    with pytest.raises(Refusal, match=message):
        claims.claim_create(citizen=citizen, campaign_id=campaign.pk)
    assert not Claim.objects.exists()


def test_a_field_task_cannot_be_taken_twice_by_one_person(campaign, citizen):
    claim = claims.claim_create(citizen=citizen, campaign_id=campaign.pk)
    with pytest.raises(Refusal, match="already working"):
        claims.claim_create(citizen=citizen, campaign_id=campaign.pk)
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.SUBMITTED)
    with pytest.raises(Refusal, match="already taken"):
        claims.claim_create(citizen=citizen, campaign_id=campaign.pk)
    assert _taken(campaign) == 1


def test_the_open_claims_limit_holds(agency, citizen, settings):
    settings.MICROTASKS_OPEN_CLAIMS_LIMIT = 2
    campaigns = [CampaignFactory(agency=agency) for _ in range(3)]
    claims.claim_create(citizen=citizen, campaign_id=campaigns[0].pk)
    claims.claim_create(citizen=citizen, campaign_id=campaigns[1].pk)
    with pytest.raises(Refusal, match="already hold 2 open tasks") as refused:
        claims.claim_create(citizen=citizen, campaign_id=campaigns[2].pk)
    assert refused.value.status == 409
    assert _taken(campaigns[2]) == 0


def test_unverified_people_and_missing_badges_or_experience_are_refused(agency, unverified_user, citizen):
    with pytest.raises(Refusal) as refused:
        claims.claim_create(citizen=unverified_user, campaign_id=CampaignFactory(agency=agency).pk)
    assert refused.value.status == 403
    with pytest.raises(Refusal, match="badge"):
        claims.claim_create(citizen=citizen, campaign_id=CampaignFactory(agency=agency, required_badge="first_task").pk)
    with pytest.raises(Refusal, match="needs 2 approved tasks first; you have 0"):
        claims.claim_create(citizen=citizen, campaign_id=CampaignFactory(agency=agency, min_approved=2).pk)
    assert not Claim.objects.exists()


def test_release_gives_the_slot_back(campaign, citizen):
    claim = claims.claim_create(citizen=citizen, campaign_id=campaign.pk)
    claims.claim_release(citizen=citizen, claim_id=claim.pk)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.RELEASED
    assert _taken(campaign) == 0
    with pytest.raises(Refusal) as refused:
        claims.claim_release(citizen=UserFactory(), claim_id=claim.pk)
    assert refused.value.status == 404


def test_expired_claims_free_their_slot_by_the_job_and_lazily(agency, citizen):
    campaign = CampaignFactory(agency=agency, slots=1, claim_minutes=5)
    claim = claims.claim_create(citizen=citizen, campaign_id=campaign.pk)
    later = timezone.now() + timedelta(minutes=6)
    # Read lazily: the board counts the overdue claim as free before any job ran.
    [entry] = [e for e in task_board_entries(now=later) if e["campaign_id"] == campaign.pk]
    assert entry["slots_left"] == 1
    # A claim attempt expires it on the way and takes the slot.
    other = claims.claim_create(citizen=UserFactory(), campaign_id=campaign.pk, now=later)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.EXPIRED
    assert _taken(campaign) == 1
    # The beat job frees the second one later; running it twice frees nothing more.
    much_later = later + timedelta(minutes=6)
    assert claims.claims_expire(now=much_later) == 1
    assert claims.claims_expire(now=much_later) == 0
    assert Claim.objects.get(pk=other.pk).status == Claim.Status.EXPIRED
    assert _taken(campaign) == 0


def test_the_expiry_reminder_is_sent_once(campaign, citizen, settings):
    from notifications.models import Notification

    settings.MICROTASKS_REMINDER_MINUTES = 10
    claim = claims.claim_create(citizen=citizen, campaign_id=campaign.pk)
    soon = claim.expires_at - timedelta(minutes=8)
    assert claims.claims_remind_expiring(now=soon) == 1
    assert claims.claims_remind_expiring(now=soon) == 0
    [notification] = Notification.objects.filter(recipient=citizen, kind="task_claim_expiring")
    from notifications.kinds import notification_text

    assert "expires in 8 minutes" in notification_text(notification)
