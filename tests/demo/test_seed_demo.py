"""The demo tells the story: distinct proposals per contest in two languages, a crowd's votes, threads,
answers of every status, a reviewed contest with chosen winners, badges; and running it again adds nothing."""

import pytest
from django.core.management import call_command
from django_comments_xtd.models import XtdComment
from rest_framework.test import APIClient

from accounts.models import User
from contests.models import Contest
from engagement.models import BadgeAward
from jury.models import Review
from proposals.models import Proposal, ProposalStatusChange
from voting.models import Vote


@pytest.mark.django_db
def test_seed_demo_tells_the_story_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = [Model.objects.count() for Model in (User, Proposal, Vote, XtdComment, ProposalStatusChange, Review)]
    call_command("seed_demo")
    assert [
        Model.objects.count() for Model in (User, Proposal, Vote, XtdComment, ProposalStatusChange, Review)
    ] == counts

    titles = {
        contest.slug: set(contest.proposals.values_list("title", flat=True))
        for contest in Contest.objects.exclude(proposals=None)
    }
    assert len(titles) >= 5
    every = [title for group in titles.values() for title in group]
    assert len(every) == len(set(every)), "each contest has its own proposals"
    assert any("\u4e00" <= char <= "\u9fff" for title in every for char in title)
    assert User.objects.filter(email__startswith="citizen-").count() >= 200
    ballots = sorted(
        (proposal.votes.count() for proposal in Proposal.objects.filter(contest__slug="safer-crossings")), reverse=True
    )
    assert ballots[0] > 2 * ballots[-1] > 0, "a few proposals draw most of the votes"
    assert XtdComment.objects.filter(level__gt=0).exists()  # replies in threads
    statuses = set(ProposalStatusChange.objects.values_list("status", flat=True))
    assert statuses >= {"under_review", "shortlisted", "winner", "adopted", "implemented", "declined"}
    assert BadgeAward.objects.exists()

    results = APIClient().get("/api/v1/contests/quiet-streets/results/").json()
    winners = [entry for entry in results["entries"] if entry["winner"]]
    assert results["winners_chosen_by_managers"] and len(winners) == 2 < len(results["entries"])
    assert all(entry["jury_score"] is not None for entry in results["entries"])

    for word in ("安全岛", "crossing"):
        found = APIClient().get("/api/v1/contests/safer-crossings/proposals/", {"q": word}).json()["results"]
        assert found and word in found[0]["title"].lower(), (word, found)
