"""Quarantine end to end: held ballots leave the ranking, managers release or void them with a reason, the report tells."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from contests.models import Contest
from integrity.models import BallotContext, QuarantinedBallot
from integrity.services import ballot_context_record, contest_scan, network_prefix
from record.models import RecordEntry
from record.services import record_verify
from tests.factories import ContestFactory, ProposalFactory, UserFactory
from voting import services
from voting.leaderboard import leaderboard_entries
from voting.models import ApprovalBudget, ProposalTally, Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def attacked(agency):
    """An approval contest where five fresh accounts on one network support the same two proposals."""
    contest = ContestFactory(agency=agency, voting=True, voting_method="approval", slug="attacked")
    target, other, honest_pick = (ProposalFactory(contest=contest) for _ in range(3))
    now = timezone.now()
    for number in range(5):
        puppet = UserFactory(date_joined=now - timedelta(hours=1))
        for proposal in (target, other):
            vote = services.vote_cast(voter=puppet, proposal=proposal, value=1)
            ballot_context_record(
                vote_id=vote.pk,
                voter_id=puppet.pk,
                proposal_id=proposal.pk,
                contest_id=contest.pk,
                value=1,
                network=f"198.51.100.{number}",
                device="Bot/1.0|en",
            )
    voter = UserFactory(date_joined=now - timedelta(days=400))
    vote = services.vote_cast(voter=voter, proposal=honest_pick, value=1)
    ballot_context_record(
        vote_id=vote.pk,
        voter_id=voter.pk,
        proposal_id=honest_pick.pk,
        contest_id=contest.pk,
        value=1,
        network="192.0.2.7",
        device="Firefox|zh-CN",
    )
    return contest, target, honest_pick


def test_network_prefixes_are_24_and_48_bits():
    assert network_prefix("203.0.113.77") == "203.0.113.0/24"
    assert network_prefix("2001:db8:1234:5678::1") == "2001:db8:1234::/48"
    assert network_prefix("not an address") == "not an address"


def test_no_address_is_stored_only_keyed_hashes(attacked):
    contest, *_ = attacked
    stored = list(BallotContext.objects.values_list("network", "device"))
    assert stored and all("198.51" not in network and "Bot" not in device for network, device in stored)


def test_suspicious_ballots_leave_the_ranking_and_budget_stays_used(attacked):
    contest, target, honest_pick = attacked
    assert leaderboard_entries(contest=contest, limit=3)[0].proposal_id == target.pk
    assert contest_scan(contest=contest) == 10
    assert contest_scan(contest=contest) == 0  # safe to run twice
    held = QuarantinedBallot.objects.filter(contest=contest)
    assert held.count() == 10 and set(held.values_list("status", flat=True)) == {"pending"}
    assert {"new_account", "shared_network", "co_voting"} <= set(held.first().reasons)
    assert not Vote.objects.filter(proposal=target).exists()
    assert ProposalTally.objects.get(proposal=target).ballots == 0
    assert leaderboard_entries(contest=contest, limit=3)[0].proposal_id == honest_pick.pk
    assert ApprovalBudget.objects.filter(contest=contest, used=2).count() == 5


def test_release_counts_the_ballot_again_and_void_returns_the_support_both_recorded(attacked, agency_manager):
    contest, target, _honest = attacked
    contest_scan(contest=contest)
    from integrity.services import ballot_release, ballot_void

    first, second = QuarantinedBallot.objects.filter(proposal=target)[:2]
    ballot_release(ballot=first, manager=agency_manager, reason="Known neighbour, checked by phone")
    assert Vote.objects.filter(voter=first.voter, proposal=target).exists()
    assert ProposalTally.objects.get(proposal=target).ballots == 1
    ballot_void(ballot=second, manager=agency_manager, reason="Sock puppet")
    assert ApprovalBudget.objects.get(voter=second.voter, contest=contest).used == 1
    contest_scan(contest=contest)
    assert Vote.objects.filter(voter=first.voter, proposal=target).exists()  # released ballots stay released
    kinds = list(RecordEntry.objects.filter(scope=f"contest:{contest.pk}").values_list("kind", "payload"))
    assert [kind for kind, _ in kinds] == ["integrity.ballot_released", "integrity.ballot_voided"]
    assert kinds[1][1]["reason"] == "Sock puppet"
    assert record_verify().ok


def test_the_queue_page_lets_a_manager_decide_with_a_reason(client, attacked, agency_manager, citizen):
    contest, target, _honest = attacked
    contest_scan(contest=contest)
    url = reverse("integrity:queue", kwargs={"slug": contest.slug})
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(agency_manager)
    page = client.get(url).content.decode()
    assert "Ballots under review" in page and "identical ballots across accounts" in page
    ballot = QuarantinedBallot.objects.filter(proposal=target).first()
    response = client.post(url, {"ballot": ballot.pk, "decision": "void", "reason": ""}, follow=True)
    assert "Give the reason for your decision" in response.content.decode()
    response = client.post(url, {"ballot": ballot.pk, "decision": "void", "reason": "Bot farm"}, follow=True)
    assert "The ballot was voided." in response.content.decode()
    assert QuarantinedBallot.objects.get(pk=ballot.pk).status == "voided"
    assert client.post(url, {"ballot": 10**12, "decision": "void", "reason": "x"}).status_code == 404


def test_the_report_is_public_with_the_results_and_shows_both_rankings(client, attacked, agency_manager):
    contest, target, honest_pick = attacked
    contest_scan(contest=contest)
    api = APIClient()
    url = f"/api/v1/contests/{contest.slug}/integrity/"
    assert api.get(url).status_code == 403  # not before the results
    assert client.get(reverse("integrity:report", kwargs={"slug": contest.slug})).status_code == 403
    api.force_authenticate(agency_manager)
    ballot = api.get(f"{url}queue/").json()[0]
    decided = api.post(f"{url}queue/{ballot['id']}/", {"decision": "void", "reason": "Bot farm"}, format="json")
    assert decided.json()["status"] == "voided"
    now = timezone.now()
    Contest.objects.filter(pk=contest.pk).update(
        voting_closes_at=now - timedelta(days=3),
        review_closes_at=now - timedelta(days=2),
        results_at=now - timedelta(days=1),
    )
    report = APIClient().get(url).json()
    assert (report["ballots_cast"], report["ballots_counted"], report["under_review"], report["voided"]) == (
        11,
        1,
        9,
        1,
    )
    assert report["voided_reasons"] == [["Bot farm", 1]]
    assert report["ranking"][0]["proposal_id"] == honest_pick.pk
    # Side by side: with the nine held supports back, a puppet-backed proposal would lead.
    assert report["ranking_with_held"][0]["proposal_id"] != honest_pick.pk
    page = client.get(reverse("integrity:report", kwargs={"slug": contest.slug})).content.decode()
    assert "Integrity report" in page and "Ranking without and with the ballots under review" in page


def test_a_contest_without_monitoring_holds_nothing(attacked):
    contest, *_ = attacked
    Contest.objects.filter(pk=contest.pk).update(integrity_monitoring=False)
    contest.refresh_from_db()
    assert contest_scan(contest=contest) == 0
    assert not QuarantinedBallot.objects.exists()


def test_a_vote_through_the_page_is_recorded_and_scanned(client, agency, django_capture_on_commit_callbacks):
    contest = ContestFactory(agency=agency, voting=True, voting_method="updown")
    proposal = ProposalFactory(contest=contest)
    voter = UserFactory()
    client.force_login(voter)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("voting:vote", kwargs={"pk": proposal.pk}), {"value": "1"}, REMOTE_ADDR="192.0.2.9")
    context = BallotContext.objects.get(voter=voter)
    assert context.proposal_id == proposal.pk and context.value == 1
    assert not QuarantinedBallot.objects.exists()  # one new account alone is not suspicious


def test_the_leaderboard_shows_the_ballots_under_review_and_managers_get_the_queue(client, attacked, agency_manager):
    contest, *_ = attacked
    contest_scan(contest=contest)
    from django.core.cache import cache

    cache.clear()
    page = client.get(reverse("voting:leaderboard", kwargs={"slug": contest.slug})).content.decode()
    assert "10 ballots under review (not counted until a manager releases them)." in page
    assert reverse("integrity:queue", kwargs={"slug": contest.slug}) not in page
    client.force_login(agency_manager)
    page = client.get(reverse("voting:leaderboard", kwargs={"slug": contest.slug})).content.decode()
    assert reverse("integrity:queue", kwargs={"slug": contest.slug}) in page
