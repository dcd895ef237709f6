"""The voting API refuses every bad ballot with a clear 4xx and changes nothing; good ones keep tallies exact."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import ContestFactory, ProposalCoAuthorFactory, ProposalFactory, UserFactory
from tests.voting.conftest import assert_tallies_match_votes
from voting import services
from voting.models import ApprovalBudget, ContestTallyShard, PairwiseComparison, PairwiseOffer, ProposalTally, Vote

pytestmark = pytest.mark.django_db


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _vote_url(proposal) -> str:
    return f"/api/v1/proposals/{proposal.pk}/vote/"


def _pair_url(contest) -> str:
    return f"/api/v1/contests/{contest.slug}/pair/"


def _state(contest) -> tuple:
    """Everything a ballot could change, to compare before and after a refused request."""
    return (
        sorted(Vote.objects.filter(contest=contest).values_list("voter_id", "proposal_id", "value")),
        sorted(
            ProposalTally.objects.filter(contest=contest).values_list("proposal_id", "ballots", "value_sum", "score")
        ),
        sorted(ContestTallyShard.objects.filter(contest=contest).values_list("shard", "ballots", "value_sum")),
        sorted(ApprovalBudget.objects.filter(contest=contest).values_list("voter_id", "used")),
        sorted(PairwiseComparison.objects.filter(contest=contest).values_list("voter_id", "proposal_low_id")),
    )


@pytest.fixture
def updown():
    contest = ContestFactory(voting=True, voting_method="updown")
    return contest, ProposalFactory(contest=contest)


@pytest.fixture
def voter(db):
    return UserFactory()


def _refused(client, method, url, data, contest, status):
    before = _state(contest)
    response = getattr(client, method)(url, data, format="json")
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json(), "a refusal says why"
    assert _state(contest) == before
    assert_tallies_match_votes(contest)
    return response


# --- who and when ----------------------------------------------------------------------------


def test_anonymous_vote_is_refused_with_401(updown):
    contest, proposal = updown
    _refused(_client(), "post", _vote_url(proposal), {"value": 1}, contest, 401)


def test_unverified_citizen_vote_is_refused_with_403(updown, unverified_user):
    contest, proposal = updown
    response = _refused(_client(unverified_user), "post", _vote_url(proposal), {"value": 1}, contest, 403)
    assert "Verify your email" in response.json()["detail"]


@pytest.mark.parametrize(
    "dates",
    [
        # before voting opens (submission phase)
        {"voting_opens_at": timedelta(days=1), "voting_closes_at": timedelta(days=5)},
        # after voting closed (review phase)
        {"voting_opens_at": timedelta(days=-5), "voting_closes_at": timedelta(seconds=-1)},
    ],
    ids=["before-voting-opens", "after-voting-closes"],
)
def test_vote_outside_the_voting_window_is_refused(voter, dates):
    now = timezone.now()
    contest = ContestFactory(
        voting_method="updown",
        submission_opens_at=now - timedelta(days=10),
        submission_closes_at=now - timedelta(days=6),
        review_closes_at=now + timedelta(days=15),
        results_at=now + timedelta(days=20),
        **{field: now + delta for field, delta in dates.items()},
    )
    proposal = ProposalFactory(contest=contest)
    response = _refused(_client(voter), "post", _vote_url(proposal), {"value": 1}, contest, 403)
    assert "not open" in response.json()["detail"]


def test_withdrawing_after_voting_closes_is_refused(voter):
    contest = ContestFactory(voting=True, voting_method="updown")
    proposal = ProposalFactory(contest=contest)
    services.vote_cast(voter=voter, proposal=proposal, value=1)
    contest.voting_closes_at = timezone.now() - timedelta(seconds=1)
    contest.save()
    _refused(_client(voter), "delete", _vote_url(proposal), None, contest, 403)
    assert Vote.objects.filter(voter=voter).count() == 1


def test_results_phase_contest_refuses_votes(voter):
    contest = ContestFactory(results=True, voting_method="updown")
    proposal = ProposalFactory(contest=contest)
    _refused(_client(voter), "post", _vote_url(proposal), {"value": 1}, contest, 403)


def test_author_cannot_vote_on_own_proposal(updown):
    contest, proposal = updown
    response = _refused(_client(proposal.author), "post", _vote_url(proposal), {"value": 1}, contest, 403)
    assert "own proposal" in response.json()["detail"]


def test_accepted_coauthor_cannot_vote_on_the_proposal(updown):
    contest, proposal = updown
    coauthor = ProposalCoAuthorFactory(proposal=proposal).user
    response = _refused(_client(coauthor), "post", _vote_url(proposal), {"value": 1}, contest, 403)
    assert "own proposal" in response.json()["detail"]


@pytest.mark.parametrize(
    "change",
    [
        {"status": "draft", "submitted_at": None},
        {"status": "withdrawn"},
        {"is_hidden": True, "hidden_reason": "Spam"},
    ],
    ids=["draft", "withdrawn", "hidden"],
)
def test_vote_on_a_proposal_that_is_not_public_is_not_found(voter, change):
    contest = ContestFactory(voting=True, voting_method="updown")
    proposal = ProposalFactory(contest=contest, **change)
    _refused(_client(voter), "post", _vote_url(proposal), {"value": 1}, contest, 404)


def test_vote_on_a_merged_proposal_is_not_found(voter):
    contest = ContestFactory(voting=True, voting_method="updown")
    target = ProposalFactory(contest=contest)
    merged = ProposalFactory(contest=contest, merged_into=target)
    _refused(_client(voter), "post", _vote_url(merged), {"value": 1}, contest, 404)


def test_vote_on_a_proposal_hidden_after_the_vote_cannot_be_changed(voter, updown):
    contest, proposal = updown
    services.vote_cast(voter=voter, proposal=proposal, value=1)
    proposal.is_hidden = True
    proposal.save()
    _refused(_client(voter), "post", _vote_url(proposal), {"value": -1}, contest, 404)


def test_vote_on_an_unknown_proposal_is_not_found(voter, updown):
    contest, _proposal = updown
    response = _client(voter).post("/api/v1/proposals/999999/vote/", {"value": 1}, format="json")
    assert response.status_code == 404


def test_vote_on_a_draft_contests_proposal_is_not_found(voter):
    contest = ContestFactory(voting=True, draft=True, voting_method="updown")
    proposal = ProposalFactory(contest=contest)
    _refused(_client(voter), "post", _vote_url(proposal), {"value": 1}, contest, 404)


# --- values ----------------------------------------------------------------------------------

BAD_COMMON = [0, 6, "x", 1.5, True, False, None, -2, "1.5", "+-1", "²", "", [1], {"v": 1}, 10**20]


@pytest.mark.parametrize("method", ["updown", "approval", "stars"])
@pytest.mark.parametrize("value", BAD_COMMON, ids=repr)
def test_bad_values_are_refused_with_400(voter, method, value):
    contest = ContestFactory(voting=True, voting_method=method)
    proposal = ProposalFactory(contest=contest)
    _refused(_client(voter), "post", _vote_url(proposal), {"value": value}, contest, 400)


@pytest.mark.parametrize(
    ("method", "value"),
    [("updown", 2), ("updown", 5), ("approval", -1), ("approval", 2), ("stars", -1)],
)
def test_values_outside_the_methods_range_are_refused(voter, method, value):
    contest = ContestFactory(voting=True, voting_method=method)
    proposal = ProposalFactory(contest=contest)
    _refused(_client(voter), "post", _vote_url(proposal), {"value": value}, contest, 400)


@pytest.mark.parametrize("method", ["updown", "approval", "stars"])
def test_missing_value_is_refused(voter, method):
    contest = ContestFactory(voting=True, voting_method=method)
    proposal = ProposalFactory(contest=contest)
    _refused(_client(voter), "post", _vote_url(proposal), {}, contest, 400)


def test_malformed_json_body_is_refused(voter, updown):
    contest, proposal = updown
    before = _state(contest)
    response = _client(voter).post(_vote_url(proposal), "{value: ", content_type="application/json")
    assert response.status_code == 400
    assert _state(contest) == before


@pytest.mark.parametrize(("method", "value"), [("updown", -1), ("updown", "1"), ("approval", 1), ("stars", "4")])
def test_good_values_are_accepted_and_counted(voter, method, value):
    contest = ContestFactory(voting=True, voting_method=method)
    proposal = ProposalFactory(contest=contest)
    response = _client(voter).post(_vote_url(proposal), {"value": value}, format="json")
    assert response.status_code == 201
    assert response.json()["value"] == int(value)
    assert Vote.objects.get(voter=voter, proposal=proposal).value == int(value)
    assert_tallies_match_votes(contest)


# --- replay, change, withdraw --------------------------------------------------------------------


def test_replayed_vote_is_a_409_and_changes_nothing(voter, updown):
    contest, proposal = updown
    client = _client(voter)
    assert client.post(_vote_url(proposal), {"value": 1}, format="json").status_code == 201
    response = _refused(client, "post", _vote_url(proposal), {"value": 1}, contest, 409)
    assert "already recorded" in response.json()["detail"]
    assert ProposalTally.objects.get(proposal=proposal).ballots == 1


def test_change_then_withdraw_while_open_keeps_tallies_exact(voter, updown):
    contest, proposal = updown
    other = UserFactory()
    client = _client(voter)
    assert _client(other).post(_vote_url(proposal), {"value": 1}, format="json").status_code == 201
    assert client.post(_vote_url(proposal), {"value": 1}, format="json").status_code == 201
    assert_tallies_match_votes(contest)
    response = client.post(_vote_url(proposal), {"value": -1}, format="json")
    assert response.status_code == 200
    tally = ProposalTally.objects.get(proposal=proposal)
    assert (tally.ballots, tally.positive, tally.negative, tally.value_sum) == (2, 1, 1, 0)
    assert_tallies_match_votes(contest)
    assert client.delete(_vote_url(proposal)).status_code == 204
    assert not Vote.objects.filter(voter=voter).exists()
    tally.refresh_from_db()
    assert (tally.ballots, tally.positive, tally.negative, tally.value_sum) == (1, 1, 0, 1)
    assert_tallies_match_votes(contest)
    # Withdrawing twice is a replay.
    _refused(client, "delete", _vote_url(proposal), None, contest, 409)


def test_stars_change_moves_the_sum_not_the_count(voter):
    contest = ContestFactory(voting=True, voting_method="stars")
    proposal = ProposalFactory(contest=contest)
    client = _client(voter)
    client.post(_vote_url(proposal), {"value": 2}, format="json")
    assert client.post(_vote_url(proposal), {"value": 5}, format="json").status_code == 200
    tally = ProposalTally.objects.get(proposal=proposal)
    assert (tally.ballots, tally.value_sum) == (1, 5)
    assert_tallies_match_votes(contest)


# --- approval limit ----------------------------------------------------------------------------


def test_approval_limit_refuses_the_support_over_k_and_withdrawal_gives_one_back(voter):
    contest = ContestFactory(voting=True, voting_method="approval", approval_limit=2)
    proposals = [ProposalFactory(contest=contest) for _ in range(3)]
    client = _client(voter)
    first = client.post(_vote_url(proposals[0]), {"value": 1}, format="json")
    assert first.json()["remaining_supports"] == 1
    assert client.post(_vote_url(proposals[1]), {"value": 1}, format="json").json()["remaining_supports"] == 0
    response = _refused(client, "post", _vote_url(proposals[2]), {"value": 1}, contest, 400)
    assert "all 2 of your supports" in response.json()["detail"]
    assert client.delete(_vote_url(proposals[0])).status_code == 204
    third = client.post(_vote_url(proposals[2]), {"value": 1}, format="json")
    assert third.status_code == 201
    assert third.json()["remaining_supports"] == 0
    assert ApprovalBudget.objects.get(voter=voter, contest=contest).used == 2
    assert_tallies_match_votes(contest)


# --- pairwise -----------------------------------------------------------------------------------


@pytest.fixture
def pairwise():
    contest = ContestFactory(voting=True, voting_method="pairwise")
    return contest, [ProposalFactory(contest=contest) for _ in range(4)]


def _offered(client, contest) -> tuple[int, int]:
    response = client.get(_pair_url(contest))
    assert response.status_code == 200
    first, second = response.json()["pair"]
    return first["id"], second["id"]


def test_pairwise_judgement_of_the_offered_pair_is_counted_once(voter, pairwise):
    contest, _proposals = pairwise
    client = _client(voter)
    winner, loser = _offered(client, contest)
    response = client.post(_pair_url(contest), {"winner": winner, "loser": loser}, format="json")
    assert response.status_code == 201
    assert ProposalTally.objects.get(proposal_id=winner).wins == 1
    assert_tallies_match_votes(contest)
    # Replaying the same judgement: 409, nothing changes.
    _refused(client, "post", _pair_url(contest), {"winner": winner, "loser": loser}, contest, 409)
    _refused(client, "post", _pair_url(contest), {"winner": loser, "loser": winner}, contest, 409)


def test_pairwise_forged_pair_is_refused(voter, pairwise):
    contest, proposals = pairwise
    client = _client(voter)
    offered = set(_offered(client, contest))
    forged = [p.pk for p in proposals if p.pk not in offered]
    response = _refused(client, "post", _pair_url(contest), {"winner": forged[0], "loser": forged[1]}, contest, 400)
    assert "not offered" in response.json()["detail"]
    # Half-forged: one of the offered proposals against another one.
    _refused(client, "post", _pair_url(contest), {"winner": min(offered), "loser": forged[0]}, contest, 400)
    # The offer is still valid afterwards.
    assert PairwiseOffer.objects.filter(voter=voter, contest=contest).exists()


def test_pairwise_without_any_offer_is_refused(voter, pairwise):
    contest, proposals = pairwise
    _refused(
        _client(voter), "post", _pair_url(contest), {"winner": proposals[0].pk, "loser": proposals[1].pk}, contest, 400
    )


@pytest.mark.parametrize(
    "body",
    [
        {"winner": "same", "loser": "same"},
        {"winner": "x", "loser": 1},
        {"winner": 1.5, "loser": 2},
        {"winner": None, "loser": 2},
        {"winner": [1], "loser": 2},
        {"loser": 2},
        {},
    ],
    ids=["winner-equals-loser", "text", "float", "null", "list", "no-winner", "empty"],
)
def test_pairwise_bad_ids_are_refused(voter, pairwise, body):
    contest, _proposals = pairwise
    client = _client(voter)
    winner, _loser = _offered(client, contest)
    body = {key: (winner if value == "same" else value) for key, value in body.items()}
    _refused(client, "post", _pair_url(contest), body, contest, 400)


def test_pairwise_judgement_on_a_non_pairwise_contest_is_refused(voter, updown):
    contest, proposal = updown
    other = ProposalFactory(contest=contest)
    client = _client(voter)
    assert client.get(_pair_url(contest)).status_code == 403
    _refused(client, "post", _pair_url(contest), {"winner": proposal.pk, "loser": other.pk}, contest, 403)


def test_updown_vote_on_a_pairwise_contest_is_refused(voter, pairwise):
    contest, proposals = pairwise
    response = _refused(_client(voter), "post", _vote_url(proposals[0]), {"value": 1}, contest, 400)
    assert "pairwise" in response.json()["detail"]


def test_pairwise_anonymous_and_unverified_are_refused(unverified_user, pairwise):
    contest, proposals = pairwise
    body = {"winner": proposals[0].pk, "loser": proposals[1].pk}
    _refused(_client(), "post", _pair_url(contest), body, contest, 401)
    _refused(_client(unverified_user), "post", _pair_url(contest), body, contest, 403)


def test_pairwise_outside_voting_is_refused(voter):
    contest = ContestFactory(voting_method="pairwise")  # submission phase
    proposals = [ProposalFactory(contest=contest) for _ in range(2)]
    assert _client(voter).get(_pair_url(contest)).status_code == 403
    body = {"winner": proposals[0].pk, "loser": proposals[1].pk}
    _refused(_client(voter), "post", _pair_url(contest), body, contest, 403)


def test_pairwise_skip_is_recorded_but_not_counted(voter, pairwise):
    contest, _proposals = pairwise
    client = _client(voter)
    winner, loser = _offered(client, contest)
    response = client.post(_pair_url(contest), {"winner": winner, "loser": loser, "skip": True}, format="json")
    assert response.status_code == 201
    assert PairwiseComparison.objects.get(voter=voter).winner_id is None
    assert not ProposalTally.objects.filter(contest=contest, comparisons__gt=0).exists()
    assert_tallies_match_votes(contest)


def test_pairwise_never_offers_own_proposal(pairwise):
    contest, proposals = pairwise
    author = proposals[0].author
    client = _client(author)
    for _ in range(6):
        response = client.get(_pair_url(contest))
        if response.json()["pair"] is None:
            break
        ids = {item["id"] for item in response.json()["pair"]}
        assert proposals[0].pk not in ids
        client.post(_pair_url(contest), {"winner": min(ids), "loser": max(ids)}, format="json")
    assert response.json()["pair"] is None


# --- throttling and the leaderboard endpoint --------------------------------------------------------


def test_vote_throttle_answers_429(settings, updown):
    contest, proposal = updown
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "vote": "3/min"},
    }
    client = _client(UserFactory())
    statuses = [
        client.post(_vote_url(proposal), {"value": value}, format="json").status_code for value in (1, -1, 1, -1)
    ]
    assert statuses == [201, 200, 200, 429]
    assert Vote.objects.get(proposal=proposal).value == 1
    assert_tallies_match_votes(contest)


def test_vote_throttle_lets_ballots_through_when_the_cache_is_down(monkeypatch, updown, voter):
    contest, proposal = updown

    def cache_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    from django.core.cache import cache

    monkeypatch.setattr(cache, "get", cache_down)
    monkeypatch.setattr(cache, "set", cache_down)
    response = _client(voter).post(_vote_url(proposal), {"value": 1}, format="json")
    assert response.status_code == 201
    assert Vote.objects.filter(voter=voter, proposal=proposal).exists()
    assert_tallies_match_votes(contest)


def test_leaderboard_endpoint_is_public_and_reflects_votes(updown):
    contest, proposal = updown
    services.vote_cast(voter=UserFactory(), proposal=proposal, value=1)
    response = _client().get(f"/api/v1/contests/{contest.slug}/leaderboard/")
    assert response.status_code == 200
    body = response.json()
    assert body["total_votes"] == 1
    assert body["entries"][0]["proposal_id"] == proposal.pk
    assert body["entries"][0]["votes"] == 1


def test_leaderboard_of_a_draft_contest_is_not_found():
    contest = ContestFactory(draft=True)
    assert _client().get(f"/api/v1/contests/{contest.slug}/leaderboard/").status_code == 404
