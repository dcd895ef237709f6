"""Voting pages without JavaScript: the ballot forms, the pairwise page and the server-rendered leaderboard."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from proposals.models import Proposal
from tests.factories import ContestFactory, ProposalCoAuthorFactory, ProposalFactory, UserFactory
from tests.voting.conftest import assert_tallies_match_votes
from voting import services
from voting.models import PairwiseComparison, PairwiseOffer, Vote

pytestmark = pytest.mark.django_db


def vote_url(proposal) -> str:
    return reverse("voting:vote", kwargs={"pk": proposal.pk})


def withdraw_url(proposal) -> str:
    return reverse("voting:withdraw", kwargs={"pk": proposal.pk})


def list_url(contest) -> str:
    return reverse("proposals:list", kwargs={"contest_slug": contest.slug})


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def ballots(contest) -> list[tuple]:
    return sorted(Vote.objects.filter(contest=contest).values_list("voter_id", "proposal_id", "value"))


def post_vote(client, proposal, follow=False, **data):
    data.setdefault("next", proposal.get_absolute_url())
    return client.post(vote_url(proposal), data, follow=follow)


@pytest.fixture
def updown(db):
    contest = ContestFactory(voting=True, voting_method="updown")
    return contest, ProposalFactory(contest=contest, title="Plant river trees")


@pytest.fixture
def voter_client(client, citizen):
    client.force_login(citizen)
    return client


# --- Casting and withdrawing ----------------------------------------------------------------


def test_vote_up_form_records_the_ballot_and_comes_back_with_a_message(voter_client, citizen, updown):
    contest, proposal = updown
    response = post_vote(voter_client, proposal, value="1")
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert messages_of(response) == ["Your vote up was recorded."]
    assert ballots(contest) == [(citizen.pk, proposal.pk, 1)]
    assert_tallies_match_votes(contest)


def test_the_proposal_page_shows_the_pressed_vote_and_the_new_count(voter_client, updown):
    contest, proposal = updown
    response = post_vote(voter_client, proposal, follow=True, value="-1")
    html = response.content.decode()
    assert "Your vote down was recorded." in html
    withdraw = reverse("voting:withdraw", kwargs={"pk": proposal.pk})
    # Without JavaScript, pressing the pressed button withdraws the vote.
    assert re.search(rf'value="-1"[^>]*aria-label="Vote down"[^>]*\s+aria-pressed="true" formaction="{withdraw}"', html)
    assert re.search(r'value="1"[^>]*aria-label="Vote up"[^>]*\s+aria-pressed="false"', html)
    assert 'data-count="net">-1<' in html
    assert "Withdraw vote" in html


def test_changing_then_withdrawing_a_vote_keeps_the_tallies_exact(voter_client, citizen, updown):
    contest, proposal = updown
    post_vote(voter_client, proposal, value="1")
    post_vote(voter_client, proposal, value="-1")
    assert ballots(contest) == [(citizen.pk, proposal.pk, -1)]
    response = voter_client.post(withdraw_url(proposal), {"next": proposal.get_absolute_url()})
    assert response.status_code == 302
    assert messages_of(response)[-1] == "Your vote was withdrawn."
    assert ballots(contest) == []
    assert_tallies_match_votes(contest)


def test_withdrawing_without_a_vote_says_so(voter_client, updown):
    contest, proposal = updown
    response = voter_client.post(withdraw_url(proposal))
    assert messages_of(response) == ["You have no vote on this proposal to withdraw."]


def test_approval_support_counts_down_the_supports_left(voter_client, citizen):
    contest = ContestFactory(voting=True, voting_method="approval", approval_limit=2)
    first, second, third = ProposalFactory.create_batch(3, contest=contest)
    assert messages_of(post_vote(voter_client, first, value="1")) == [
        "Your support was recorded. You have 1 support left."
    ]
    post_vote(voter_client, second, value="1")
    response = post_vote(voter_client, third, follow=True, value="1")
    html = response.content.decode()
    assert "You have used all 2 of your supports in this contest." in html
    assert "0 supports left" in html
    assert sorted(Vote.objects.filter(voter=citizen).values_list("proposal_id", flat=True)) == [first.pk, second.pk]
    response = voter_client.post(withdraw_url(first), {"next": list_url(contest)}, follow=True)
    html = response.content.decode()
    assert "Your support was withdrawn." in html
    assert "1 support left" in html
    assert_tallies_match_votes(contest)


def test_stars_rating_is_recorded_and_shown_as_the_checked_radio(voter_client, citizen):
    contest = ContestFactory(voting=True, voting_method="stars")
    proposal = ProposalFactory(contest=contest)
    response = post_vote(voter_client, proposal, follow=True, value="4")
    html = response.content.decode()
    assert "Your rating of 4 stars was recorded." in html
    assert re.search(rf'id="rate-{proposal.pk}-4" name="value" value="4" checked', html)
    assert "Rate 1 star" in html
    assert "Rate 5 stars" in html
    assert 'data-count="mean">4.0<' in html
    assert ballots(contest) == [(citizen.pk, proposal.pk, 4)]


@pytest.mark.parametrize("value", ["0", "6", "x", "1.5", ""])
def test_a_bad_star_value_is_refused_with_the_reason(voter_client, value):
    contest = ContestFactory(voting=True, voting_method="stars")
    proposal = ProposalFactory(contest=contest)
    response = post_vote(voter_client, proposal, value=value)
    assert response.status_code == 302
    assert messages_of(response) == ["A rating is a whole number of stars from 1 to 5."]
    assert ballots(contest) == []


def test_a_bad_updown_value_is_refused(voter_client, updown):
    contest, proposal = updown
    assert messages_of(post_vote(voter_client, proposal, value="2")) == ["A vote is +1 or -1."]
    assert ballots(contest) == []


def test_the_same_vote_twice_says_it_is_already_recorded(voter_client, updown):
    contest, proposal = updown
    post_vote(voter_client, proposal, value="1")
    assert messages_of(post_vote(voter_client, proposal, value="1"))[-1] == "This vote is already recorded."
    assert_tallies_match_votes(contest)


# --- Refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trait", "reason"),
    [("upcoming", "Voting opens on"), ("results", "Voting has closed.")],
)
def test_outside_the_voting_phase_the_form_is_refused_and_the_page_says_why(voter_client, trait, reason):
    contest = ContestFactory(**{trait: True}, voting_method="updown")
    proposal = ProposalFactory(contest=contest)
    response = post_vote(voter_client, proposal, value="1")
    assert messages_of(response) == ["Voting is not open for this contest."]
    assert ballots(contest) == []
    html = voter_client.get(proposal.get_absolute_url()).content.decode()
    assert reason in html
    assert "Vote up" not in html


def test_own_and_coauthored_proposals_have_no_controls_and_refuse_votes(client, citizen):
    contest = ContestFactory(voting=True, voting_method="updown")
    own = ProposalFactory(contest=contest, author=citizen)
    coauthored = ProposalCoAuthorFactory(proposal__contest=contest, user=citizen).proposal
    client.force_login(citizen)
    for proposal in (own, coauthored):
        html = client.get(proposal.get_absolute_url()).content.decode()
        assert "You cannot vote on your own proposal." in html
        assert "Vote up" not in html
        assert messages_of(post_vote(client, proposal, value="1")) == ["You cannot vote on your own proposal."]
    assert ballots(contest) == []


def test_hidden_proposals_cannot_receive_votes(client, citizen, agency, agency_manager):
    contest = ContestFactory(voting=True, voting_method="updown", agency=agency)
    proposal = ProposalFactory(contest=contest, is_hidden=True)
    client.force_login(citizen)
    # A citizen cannot see it at all; a manager of the agency can, and is told why there is no vote.
    assert post_vote(client, proposal, value="1").status_code == 404
    client.force_login(agency_manager)
    assert messages_of(post_vote(client, proposal, value="1")) == ["This proposal cannot receive votes."]
    assert ballots(contest) == []


def test_unverified_users_are_told_to_verify_first(client, unverified_user, updown):
    contest, proposal = updown
    client.force_login(unverified_user)
    assert messages_of(post_vote(client, proposal, value="1")) == ["Verify your email address before voting."]
    assert "Verify your email address before voting." in client.get(proposal.get_absolute_url()).content.decode()
    assert ballots(contest) == []


def test_anonymous_votes_go_to_sign_in_and_the_page_offers_it(client, updown):
    contest, proposal = updown
    response = post_vote(client, proposal, value="1")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert ballots(contest) == []
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Sign in to vote" in html
    assert "Vote up" not in html


@pytest.mark.parametrize("target", ["https://evil.example.com/", "//evil.example.com/x", "javascript:alert(1)"])
def test_next_never_leaves_the_site(voter_client, updown, target):
    contest, proposal = updown
    response = post_vote(voter_client, proposal, value="1", next=target)
    assert response["Location"] == proposal.get_absolute_url()


def test_a_local_next_is_followed(voter_client, updown):
    contest, proposal = updown
    response = post_vote(voter_client, proposal, value="1", next=list_url(contest) + "?sort=title")
    assert response["Location"] == list_url(contest) + "?sort=title"


def test_the_forms_are_throttled_like_the_api(voter_client, citizen, updown, settings):
    contest, proposal = updown
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "vote": "2/min"},
    }
    post_vote(voter_client, proposal, value="1")
    post_vote(voter_client, proposal, value="-1")
    response = post_vote(voter_client, proposal, value="1")
    assert messages_of(response)[-1] == "You are voting too fast. Wait a moment and try again."
    assert ballots(contest) == [(citizen.pk, proposal.pk, -1)]


# --- Proposal list ----------------------------------------------------------------------------


def test_the_list_shows_each_rows_controls_and_the_voters_own_votes(voter_client, citizen):
    contest = ContestFactory(voting=True, voting_method="updown")
    voted, other = ProposalFactory.create_batch(2, contest=contest)
    mine = ProposalFactory(contest=contest, author=citizen)
    services.vote_cast(voter=citizen, proposal=voted, value=1)
    html = voter_client.get(list_url(contest)).content.decode()
    assert html.count('aria-label="Vote up"') == 2
    assert re.search(rf'id="proposal-{voted.pk}-votes"[^>]*data-value="1"', html)
    assert re.search(rf'id="proposal-{other.pk}-votes"[^>]*data-value=""', html)
    assert re.search(rf'id="proposal-{mine.pk}-votes"', html)
    assert "You cannot vote on your own proposal." in html
    assert reverse("voting:leaderboard", kwargs={"slug": contest.slug}) in html


def test_before_voting_opens_the_list_says_when(client, citizen):
    contest = ContestFactory(voting_method="updown")
    ProposalFactory(contest=contest)
    client.force_login(citizen)
    html = client.get(list_url(contest)).content.decode()
    assert "Voting opens on" in html
    assert "Vote up" not in html


@pytest.mark.parametrize("method", ["updown", "approval", "stars"])
def test_the_voting_list_page_runs_a_constant_number_of_queries(client, citizen, django_assert_max_num_queries, method):
    contest = ContestFactory(voting=True, voting_method=method, approval_limit=20)
    authors = UserFactory.create_batch(3)
    now = timezone.now()
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                contest=contest,
                author=authors[index % 3],
                title=f"Idea {index:03d}",
                summary="A summary.",
                body="A body.",
                status=Proposal.Status.SUBMITTED,
                submitted_at=now - timezone.timedelta(minutes=index),
            )
            for index in range(30)
        ]
    )
    for proposal in proposals[:10]:
        services.vote_cast(voter=citizen, proposal=proposal, value=1)
        ProposalCoAuthorFactory(proposal=proposal)
    client.force_login(citizen)
    client.get(list_url(contest))
    # The proposal page's 11 queries, plus the page's tallies and the viewer's ballots in one query each,
    # plus the supports left in approval contests: the same for 20 rows as for 1.
    with django_assert_max_num_queries(14 if method == "approval" else 13):
        response = client.get(list_url(contest), {"sort": "newest"})
    assert response.status_code == 200
    assert response.content.decode().count("data-vote-widget") == 20


# --- Most voted sort --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["updown", "approval", "stars"])
def test_most_voted_sort_orders_by_the_tally(client, method):
    contest = ContestFactory(voting=True, voting_method=method)
    low, high, none = (ProposalFactory(contest=contest, title=title) for title in ("Low", "High", "None"))
    voters = UserFactory.create_batch(3)
    good, bad = {"updown": (1, -1), "approval": (1, None), "stars": (5, 1)}[method]
    for voter in voters:
        services.vote_cast(voter=voter, proposal=high, value=good)
    if bad is not None:
        services.vote_cast(voter=voters[0], proposal=low, value=bad)
    else:
        services.vote_cast(voter=voters[0], proposal=low, value=good)
    response = client.get(list_url(contest), {"sort": "most_voted"})
    titles = [proposal.title for proposal in response.context["proposals"]]
    if method == "updown":
        assert titles == ["High", "None", "Low"]
    else:
        assert titles == ["High", "Low", "None"]
    assert none.pk  # unvoted proposals are listed too


# --- Pairwise page ----------------------------------------------------------------------------


@pytest.fixture
def pairwise(db):
    contest = ContestFactory(voting=True, voting_method="pairwise")
    return contest, [ProposalFactory(contest=contest, title=f"Idea {n}") for n in range(2)]


def compare_url(contest) -> str:
    return reverse("voting:compare", kwargs={"slug": contest.slug})


def test_the_compare_page_shows_the_offered_pair_and_records_a_choice(voter_client, citizen, pairwise):
    contest, (first, second) = pairwise
    html = voter_client.get(compare_url(contest)).content.decode()
    assert "Choose Idea 0" in html
    assert "Choose Idea 1" in html
    assert "Skip this pair" in html
    offer = PairwiseOffer.objects.get(voter=citizen)
    response = voter_client.post(
        compare_url(contest),
        {"first": offer.proposal_low_id, "second": offer.proposal_high_id, "choice": second.pk},
        follow=True,
    )
    html = response.content.decode()
    assert "Your choice was recorded." in html
    comparison = PairwiseComparison.objects.get(voter=citizen)
    assert comparison.winner_id == second.pk
    assert "You have compared every pair available to you." in html
    assert_tallies_match_votes(contest)


def test_skipping_a_pair_records_no_winner(voter_client, citizen, pairwise):
    contest, (first, second) = pairwise
    voter_client.get(compare_url(contest))
    response = voter_client.post(compare_url(contest), {"first": first.pk, "second": second.pk, "choice": "skip"})
    assert messages_of(response) == ["You skipped that pair."]
    assert PairwiseComparison.objects.get(voter=citizen).winner_id is None


def test_a_forged_pair_is_refused_and_changes_nothing(voter_client, citizen, pairwise):
    contest, (first, second) = pairwise
    third = ProposalFactory(contest=contest)
    voter_client.get(compare_url(contest))
    offer = PairwiseOffer.objects.get(voter=citizen)
    (forged,) = {first.pk, second.pk, third.pk} - {offer.proposal_low_id, offer.proposal_high_id}
    response = voter_client.post(
        compare_url(contest), {"first": offer.proposal_low_id, "second": forged, "choice": forged}
    )
    assert messages_of(response) == ["This pair was not offered to you. Ask for a new pair."]
    assert not PairwiseComparison.objects.exists()


def test_only_verified_citizens_compare(client, unverified_user, pairwise):
    contest, _proposals = pairwise
    response = client.get(compare_url(contest))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(unverified_user)
    response = client.get(compare_url(contest))
    assert response.status_code == 403
    assert "Verify your email address before voting." in response.content.decode()
    assert not PairwiseOffer.objects.exists()


def test_the_compare_page_of_another_method_says_why(voter_client, updown):
    contest, _proposal = updown
    response = voter_client.get(compare_url(contest))
    assert response.status_code == 403
    assert "This contest does not use pairwise comparison." in response.content.decode()


# --- Leaderboard page -------------------------------------------------------------------------


def leaderboard_url(contest) -> str:
    return reverse("voting:leaderboard", kwargs={"slug": contest.slug})


def test_the_leaderboard_is_public_and_server_rendered(client, updown):
    contest, proposal = updown
    loser = ProposalFactory(contest=contest, title="Pave the meadow")
    for voter in UserFactory.create_batch(2):
        services.vote_cast(voter=voter, proposal=proposal, value=1)
        services.vote_cast(voter=voter, proposal=loser, value=-1)
    response = client.get(leaderboard_url(contest))
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r'<tr data-proposal-id="(\d+)">', html)
    assert rows == [str(proposal.pk), str(loser.pk)]
    assert f'<a href="{proposal.get_absolute_url()}">Plant river trees</a>' in html
    assert re.search(r"data-leaderboard-total>4<", html)
    assert 'data-cell="votes">2<' in html
    assert 'aria-live="polite"' in html
    assert 'id="leaderboard-snapshot"' in html
    assert "js/leaderboard.js" in html


def test_the_leaderboard_of_a_draft_contest_is_not_found(client):
    assert client.get(leaderboard_url(ContestFactory(draft=True))).status_code == 404


def test_the_contest_page_links_to_the_leaderboard(client, updown):
    contest, _proposal = updown
    html = client.get(contest.get_absolute_url()).content.decode()
    assert leaderboard_url(contest) in html


def test_the_leaderboard_page_runs_few_queries(client, updown, django_assert_max_num_queries):
    contest, _proposal = updown
    ProposalFactory.create_batch(30, contest=contest)
    client.get(leaderboard_url(contest))
    with django_assert_max_num_queries(3):
        # The snapshot is cached (one second): the contest, and the session-less anonymous page.
        assert client.get(leaderboard_url(contest)).status_code == 200
