"""Claims and redemptions under real parallel connections on PostgreSQL: no slot or stock oversells.

Each worker thread has its own database connection (Django's connections are per thread); a
Barrier releases them together, and each then makes its share of the 1,000 claims.
"""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from engagement import rewards
from engagement.models import PointsEntry, Redemption, Reward
from engagement.selectors import points_total
from microtasks import claims
from microtasks.models import Campaign, Claim
from microtasks.rules import Refusal
from tests.factories import AgencyFactory, UserFactory
from tests.microtasks.factories import CampaignFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real parallel PostgreSQL connections"),
]

THREADS = 32


def _parallel(jobs: list, work) -> Counter:
    """Run work(job) for every job on THREADS threads released together; Counter of the outcomes."""
    barrier = threading.Barrier(THREADS)
    shares = [jobs[n::THREADS] for n in range(THREADS)]

    def worker(share):
        try:
            barrier.wait(timeout=30)
            return [work(job) for job in share]
        finally:
            connections.close_all()  # this thread's connection only

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = [outcome for outcomes in pool.map(worker, shares, timeout=120) for outcome in outcomes]
    return Counter(results)


def _claim(job) -> str:
    citizen, campaign_id = job
    try:
        claims.claim_create(citizen=citizen, campaign_id=campaign_id)
    except Refusal as refusal:
        return f"refused {refusal.status}"
    return "claimed"


def test_a_thousand_simultaneous_claims_on_fifty_slots_make_exactly_fifty_claims():
    campaign = CampaignFactory(agency=AgencyFactory(), slots=50)
    citizens = UserFactory.create_batch(1000)
    outcomes = _parallel([(citizen, campaign.pk) for citizen in citizens], _claim)
    assert outcomes == Counter({"claimed": 50, "refused 409": 950})
    assert Claim.objects.filter(campaign=campaign).count() == 50
    assert Claim.objects.filter(campaign=campaign).values("citizen").distinct().count() == 50
    assert Campaign.objects.get(pk=campaign.pk).slots_taken == 50


def test_one_citizen_clicking_in_parallel_gets_one_claim_and_keeps_the_limit(settings):
    settings.MICROTASKS_OPEN_CLAIMS_LIMIT = 2
    agency = AgencyFactory()
    campaigns = [CampaignFactory(agency=agency, slots=10) for _ in range(4)]
    citizen = UserFactory()
    outcomes = _parallel([(citizen, campaigns[n % 4].pk) for n in range(64)], _claim)
    assert outcomes["claimed"] == 2
    assert Claim.objects.filter(citizen=citizen, status=Claim.Status.ACTIVE).count() == 2
    assert sum(Campaign.objects.filter(agency=agency).values_list("slots_taken", flat=True)) == 2


def _award(user, points: int) -> None:
    # A citizen's balance, as approved work would leave it.
    from microtasks.points import TASK_APPROVED

    PointsEntry.objects.create(
        user=user,
        action=TASK_APPROVED.key,
        content_type_id=_content_type_id(),
        object_id=user.pk,
        points=points,
    )


def _content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Campaign).pk


def _redeem(job) -> str:
    user, reward_id = job
    try:
        rewards.reward_redeem(user=user, reward_id=reward_id)
    except Exception as error:  # noqa: BLE001 - a refusal is a ValidationError
        return type(error).__name__
    return "redeemed"


def test_parallel_redemptions_never_oversell_stock_nor_overdraw_points():
    agency = AgencyFactory()
    ticket = Reward.objects.create(agency=agency, name="Museum ticket", points_price=30, stock=20)
    # 40 citizens with 100 points each (3 tickets' worth) all try 5 times: stock 20 is the limit.
    citizens = UserFactory.create_batch(40)
    for citizen in citizens:
        _award(citizen, 100)
    outcomes = _parallel([(citizen, ticket.pk) for citizen in citizens for _ in range(5)], _redeem)
    assert outcomes["redeemed"] == 20
    assert Redemption.objects.filter(reward=ticket).count() == 20
    assert Reward.objects.get(pk=ticket.pk).stock == 0
    assert all(points_total(user=citizen) >= 0 for citizen in citizens)
    spent = -sum(PointsEntry.objects.filter(action="reward_redeemed").values_list("points", flat=True))
    assert spent == 20 * 30


def test_one_citizen_redeeming_in_parallel_never_goes_below_zero():
    ticket = Reward.objects.create(agency=AgencyFactory(), name="Transit pass", points_price=30, stock=100)
    citizen = UserFactory()
    _award(citizen, 100)
    outcomes = _parallel([(citizen, ticket.pk)] * 64, _redeem)
    assert outcomes["redeemed"] == 3
    assert points_total(user=citizen) == 10
    assert Reward.objects.get(pk=ticket.pk).stock == 97
