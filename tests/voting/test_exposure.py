"""Exposure-aware ranking: the maths against the worked example, counting what viewers are shown, the leaderboard."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from contests.models import Contest
from tests.factories import ContestFactory, ProposalFactory, UserFactory
from voting import services
from voting.exposure import exposures_record
from voting.exposure_ranking import ExposureRow, contest_rate, rank_by_exposure, shrunk_rate
from voting.leaderboard import leaderboard_entries
from voting.models import ProposalExposure


def _rows():
    # The worked example of docs/voting-and-ranking.md.
    return [
        ExposureRow(1, "A", None, exposures=30, up=6),
        ExposureRow(2, "B", None, exposures=6, up=3),
        ExposureRow(3, "C", None, exposures=2, up=0),
        ExposureRow(4, "D", None, exposures=2, up=1),
    ]


def test_the_worked_example_ranks_by_support_per_viewer_shrunk_to_the_contest_rate():
    rows = _rows()
    assert contest_rate(rows, "approval") == pytest.approx(0.25)
    assert shrunk_rate(6, 30, 0.25) == pytest.approx(6.75 / 33)
    ranked = rank_by_exposure(rows, "approval")
    assert [(entry.title, entry.rank, entry.score) for entry in ranked] == [
        ("B", 1, 41.67),
        ("D", 2, 35.0),
        ("A", 3, 20.45),
        ("C", 4, 15.0),
    ]


def test_a_proposal_nobody_saw_scores_the_contest_rate_and_ballots_floor_the_exposures():
    ranked = rank_by_exposure(
        [ExposureRow(1, "seen", None, exposures=10, up=5), ExposureRow(2, "unseen", None, exposures=0)], "approval"
    )
    assert {entry.title: entry.score for entry in ranked}["unseen"] == 50.0
    # Two supports with no counted view are two trials, not a division by zero.
    assert rank_by_exposure([ExposureRow(1, "api", None, exposures=0, up=2)], "approval")[0].score == 100.0


def test_updown_ranks_net_votes_per_viewer():
    rows = [
        ExposureRow(1, "loved by few", None, exposures=8, up=6, down=0),
        ExposureRow(2, "seen by all", None, exposures=100, up=30, down=10),
        ExposureRow(3, "disliked", None, exposures=20, up=2, down=8),
    ]
    assert [entry.title for entry in rank_by_exposure(rows, "updown")] == ["loved by few", "seen by all", "disliked"]


@pytest.mark.django_db
def test_list_and_proposal_pages_count_each_signed_in_viewer_once_a_day(client, citizen):
    contest = ContestFactory(voting=True, voting_method="approval", public_ranking="exposure")
    proposals = [ProposalFactory(contest=contest) for _ in range(3)]
    list_url = reverse("proposals:list", kwargs={"contest_slug": contest.slug})
    client.get(list_url)  # anonymous viewers are not counted
    assert not ProposalExposure.objects.exists()
    client.force_login(citizen)
    client.get(list_url)
    client.get(list_url)
    client.get(proposals[0].get_absolute_url())
    assert dict(ProposalExposure.objects.values_list("proposal_id", "exposures")) == {p.pk: 1 for p in proposals}
    other = UserFactory()
    client.force_login(other)
    client.get(proposals[0].get_absolute_url())
    assert ProposalExposure.objects.get(proposal=proposals[0]).exposures == 2


@pytest.mark.django_db
def test_nothing_is_counted_outside_voting_or_for_stars():
    viewer = UserFactory()
    closed = ContestFactory(results=True, voting_method="approval")
    stars = ContestFactory(voting=True, voting_method="stars")
    for contest in (closed, stars):
        proposal = ProposalFactory(contest=contest)
        assert exposures_record(viewer=viewer, contest=contest, proposal_ids=[proposal.pk]) == 0
    assert not ProposalExposure.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["approval", "updown"])
def test_the_leaderboard_follows_the_contest_setting(method):
    contest = ContestFactory(voting=True, voting_method=method, public_ranking="exposure", approval_limit=5)
    widely_seen, rarely_seen = ProposalFactory(contest=contest), ProposalFactory(contest=contest)
    voters = UserFactory.create_batch(12)
    for voter in voters:
        exposures_record(viewer=voter, contest=contest, proposal_ids=[widely_seen.pk])
    for voter in voters[:3]:
        exposures_record(viewer=voter, contest=contest, proposal_ids=[rarely_seen.pk])
        services.vote_cast(voter=voter, proposal=rarely_seen, value=1)
    for voter in voters[3:8]:
        services.vote_cast(voter=voter, proposal=widely_seen, value=1)
    by_exposure = [entry.proposal_id for entry in leaderboard_entries(contest=contest, limit=10)]
    assert by_exposure == [rarely_seen.pk, widely_seen.pk]
    Contest.objects.filter(pk=contest.pk).update(public_ranking="counts")
    contest.refresh_from_db()
    cache.clear()
    assert [entry.proposal_id for entry in leaderboard_entries(contest=contest, limit=10)] == [
        widely_seen.pk,
        rarely_seen.pk,
    ]


@pytest.mark.django_db
def test_the_leaderboard_and_results_pages_state_the_formula(client, agency):
    contest = ContestFactory(agency=agency, results=True, voting_method="approval", public_ranking="exposure")
    page = client.get(reverse("voting:leaderboard", kwargs={"slug": contest.slug})).content.decode()
    assert "How the public score is computed" in page
    assert "score = 100 × (s + m·μ) / (n + m)" in page
    results = client.get(reverse("jury:results", kwargs={"slug": contest.slug})).content.decode()
    assert "score = 100 × (s + m·μ) / (n + m)" in results
    Contest.objects.filter(pk=contest.pk).update(public_ranking="counts")
    results = client.get(reverse("jury:results", kwargs={"slug": contest.slug})).content.decode()
    assert "ranked by their number of supports" in results
