"""Proposal API for agency managers (answers in bulk, merge) and the counts the proposal API carries."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from discussion.services import comment_post
from proposals.models import Proposal, ProposalStatusChange
from tests.factories import ContestFactory, ProposalFactory, UserFactory
from voting.services import vote_cast

pytestmark = pytest.mark.django_db


def api_for(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


@pytest.fixture
def contest(agency):
    return ContestFactory(agency=agency, slug="safer-crossings")


def test_bulk_answer_answers_every_chosen_proposal_or_none(contest, agency_manager, citizen):
    proposals = [ProposalFactory(contest=contest) for _ in range(3)]
    url = f"/api/v1/contests/{contest.slug}/responses/"
    body = {"proposal_ids": [p.pk for p in proposals[:2]], "status": "under_review", "text": "We are studying it."}
    assert api_for(citizen).post(url, body, format="json").status_code == 403
    response = api_for(agency_manager).post(url, body, format="json")
    assert response.status_code == 201
    assert sorted(item["proposal"] for item in response.json()) == sorted(body["proposal_ids"])
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert [statuses[p.pk] for p in proposals] == ["under_review", "under_review", "submitted"]

    # One proposal that cannot take the answer: nothing changes, and the reply says which one.
    ProposalStatusChange.objects.all().delete()
    Proposal.objects.filter(pk=proposals[2].pk).update(status="declined")
    body = {"proposal_ids": [proposals[0].pk, proposals[2].pk], "status": "shortlisted", "text": "Shortlisted."}
    refused = api_for(agency_manager).post(url, body, format="json")
    assert refused.status_code == 400 and f"Proposal {proposals[2].pk}" in str(refused.json())
    assert Proposal.objects.get(pk=proposals[0].pk).status == "under_review"
    assert not ProposalStatusChange.objects.exists()


def test_bulk_answer_refuses_proposals_of_another_contest(contest, agency_manager, agency):
    elsewhere = ProposalFactory(contest=ContestFactory(agency=agency))
    body = {"proposal_ids": [elsewhere.pk], "status": "under_review", "text": "No."}
    response = api_for(agency_manager).post(f"/api/v1/contests/{contest.slug}/responses/", body, format="json")
    assert response.status_code == 404
    assert Proposal.objects.get(pk=elsewhere.pk).status == "submitted"


def test_manager_merges_a_duplicate_through_the_api(contest, agency_manager, citizen):
    target = ProposalFactory(contest=contest, title="Zebra crossing at the school gate")
    duplicate = ProposalFactory(contest=contest, title="A zebra crossing by the school")
    url = f"/api/v1/proposals/{duplicate.pk}/merge/"
    assert api_for(citizen).post(url, {"target": target.pk}, format="json").status_code == 403
    assert api_for(agency_manager).post(url, {"target": duplicate.pk}, format="json").status_code == 400
    assert api_for(agency_manager).post(url, {"target": 99999}, format="json").status_code == 400
    response = api_for(agency_manager).post(url, {"target": target.pk}, format="json")
    assert response.status_code == 200 and response.json()["merged_into"] == target.pk
    assert Proposal.objects.get(pk=duplicate.pk).merged_into_id == target.pk


def test_proposal_api_carries_comment_count_and_vote_summary(agency, citizen, django_assert_max_num_queries):
    now = timezone.now()
    contest = ContestFactory(
        agency=agency,
        voting_method="updown",
        submission_opens_at=now - timedelta(days=10),
        submission_closes_at=now + timedelta(days=5),
        voting_opens_at=now - timedelta(days=1),
        voting_closes_at=now + timedelta(days=5),
    )
    proposal = ProposalFactory(contest=contest)
    ProposalFactory(contest=contest)
    comment = comment_post(author=citizen, target=proposal, text="Good idea.")
    comment_post(author=UserFactory(), target=proposal, text="Agreed.", parent_id=comment.pk)
    vote_cast(voter=citizen, proposal=proposal, value=1)
    vote_cast(voter=UserFactory(), proposal=proposal, value=1)
    vote_cast(voter=UserFactory(), proposal=proposal, value=-1)

    detail = api_for().get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert detail["comment_count"] == 2
    assert detail["votes"] == {
        "method": "updown",
        "ballots": 3,
        "up": 2,
        "down": 1,
        "mean": None,
        "comparisons": 0,
        "wins": 0,
    }
    with django_assert_max_num_queries(8):
        listing = api_for().get(f"/api/v1/contests/{contest.slug}/proposals/").json()
    counts = {item["id"]: (item["comment_count"], item["votes"]["ballots"]) for item in listing["results"]}
    assert counts[proposal.pk] == (2, 3)
    assert sorted(counts.values()) == [(0, 0), (2, 3)]
