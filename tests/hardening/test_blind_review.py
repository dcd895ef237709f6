"""While a blind contest is in review, no page or API a reviewer can reach names a proposal's authors;
review points stay off the boards until the results are out."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from contests.models import Contest
from discussion.services import comment_post
from engagement.services import points_sync
from jury.models import ContestReviewSettings, Review
from tests.factories import (
    ContestFactory,
    ContestReviewerFactory,
    ProposalCoAuthorFactory,
    ProposalFactory,
    UserFactory,
)

AUTHOR = "Zed Secretauthor"
COAUTHOR = "Yara Hiddencoauthor"


def _days(n):
    return timezone.now() + timedelta(days=n)


@pytest.fixture
def blind(db):
    contest = ContestFactory(
        slug="blind",
        submission_opens_at=_days(-30),
        submission_closes_at=_days(-20),
        voting_opens_at=_days(-20),
        voting_closes_at=_days(-1),
        review_closes_at=_days(5),
        results_at=_days(10),
    )
    ContestReviewSettings.objects.create(contest=contest, reviewers_per_proposal=1, blind=True)
    author = UserFactory(display_name=AUTHOR)
    proposal = ProposalFactory(contest=contest, author=author, title="Shade trees")
    ProposalCoAuthorFactory(proposal=proposal, user=UserFactory(display_name=COAUTHOR))
    comment_post(author=author, target=proposal, text="I wrote this one.", followup=False)
    points_sync(target=proposal)
    reviewer = ContestReviewerFactory(contest=contest, user=UserFactory(display_name="Rita Reviewer"))
    review = Review.objects.create(
        reviewer=reviewer, proposal=proposal, status="submitted", submitted_at=timezone.now()
    )
    points_sync(target=review)
    return {"contest": contest, "proposal": proposal, "reviewer": reviewer.user, "author": author}


def _urls(blind):
    contest, proposal = blind["contest"], blind["proposal"]
    return [
        proposal.get_absolute_url(),
        f"/contests/{contest.slug}/proposals/",
        f"/leaderboards/contributors/{contest.slug}/",
        f"/api/v1/proposals/{proposal.pk}/",
        f"/api/v1/contests/{contest.slug}/proposals/",
        f"/api/v1/proposals/{proposal.pk}/comments/",
        "/api/v1/reviews/",
        f"/jury/reviews/{Review.objects.get().pk}/",
    ]


def _texts(client, urls):
    out = {}
    for url in urls:
        response = client.get(url)
        out[url] = (response.status_code, response.content.decode())
    return out


@pytest.mark.parametrize("who", ["reviewer", "anonymous"])
def test_no_author_name_anywhere_a_reviewer_can_look(blind, who):
    client = APIClient()
    if who == "reviewer":
        client.force_login(blind["reviewer"])
    leaks = [
        f"{url} ({status})"
        for url, (status, body) in _texts(client, _urls(blind)).items()
        if AUTHOR in body or COAUTHOR in body
    ]
    assert not leaks, leaks


def test_the_authors_still_see_their_own_names(blind):
    client = APIClient()
    client.force_login(blind["author"])
    assert AUTHOR in client.get(blind["proposal"].get_absolute_url()).content.decode()


def test_review_points_stay_off_the_boards_until_results(blind):
    client = APIClient()
    board = client.get(f"/api/v1/leaderboards/contributors/?contest={blind['contest'].slug}").content.decode()
    assert "Rita Reviewer" not in board
    site = client.get("/api/v1/leaderboards/contributors/").content.decode()
    assert "Rita Reviewer" not in site


def test_after_results_the_authors_and_review_points_are_shown(blind):
    Contest.objects.filter(pk=blind["contest"].pk).update(
        voting_closes_at=_days(-3), review_closes_at=_days(-2), results_at=_days(-1)
    )
    client = APIClient()
    assert AUTHOR in client.get(blind["proposal"].get_absolute_url()).content.decode()
    assert AUTHOR in client.get(f"/api/v1/proposals/{blind['proposal'].pk}/").content.decode()
    assert "Rita Reviewer" in client.get("/api/v1/leaderboards/contributors/").content.decode()


def test_a_contest_that_is_not_blind_shows_its_authors_in_review(blind):
    ContestReviewSettings.objects.filter(contest=blind["contest"]).update(blind=False)
    client = APIClient()
    assert AUTHOR in client.get(blind["proposal"].get_absolute_url()).content.decode()
