"""A whole jury review run through the API alone: the manager sets it up, a reviewer scores blind, results out."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from contests.models import Contest
from jury.models import ContestReviewer, Review
from tests.factories import ContestFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


def days(n: float):
    return timezone.now() + timedelta(days=n)


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_a_reviewer_runs_a_whole_blind_review_through_the_api(
    agency, agency_manager, django_capture_on_commit_callbacks
):
    contest = ContestFactory(
        agency=agency,
        slug="quiet-streets",
        submission_opens_at=days(-30),
        submission_closes_at=days(-10),
        voting_opens_at=days(-10),
        voting_closes_at=days(2),
        review_closes_at=days(8),
        results_at=days(20),
    )
    author = UserFactory(display_name="Philippa Wolstenholme")
    proposals = [ProposalFactory(contest=contest, author=author, title=f"Idea {n}") for n in range(3)]
    manager = api_for(agency_manager)
    base = f"/api/v1/contests/{contest.slug}"

    # The manager sets the rubric and the jury settings while voting is still open.
    rubric = {"criteria": [{"name": "Impact", "weight": 70}, {"name": "Cost", "description": "", "weight": 30}]}
    response = manager.put(f"{base}/rubric/", rubric, format="json")
    assert response.status_code == 200, response.json()
    assert [c["name"] for c in response.json()] == ["Impact", "Cost"]
    bad = manager.put(f"{base}/rubric/", {"criteria": [{"name": "Impact", "weight": 60}]}, format="json")
    assert bad.status_code == 400 and "add up to 60" in str(bad.json())
    settings = {"reviewers_per_proposal": 1, "blind": True, "normalise": False, "winners_count": 1}
    assert manager.put(f"{base}/jury/settings/", settings, format="json").status_code == 200

    # A newcomer is invited by email and accepts with the link's token, through the API.
    with django_capture_on_commit_callbacks(execute=True):
        assert manager.post(f"{base}/reviewers/", {"email": "reviewer@example.org"}, format="json").status_code == 201
    token = re.search(r"/jury/invitations/([^/\s]+)/", mail.outbox[-1].body).group(1)
    reviewer_user = UserFactory(email="reviewer@example.org")
    reviewer = api_for(reviewer_user)
    accepted = reviewer.post("/api/v1/jury/invitations/accept/", {"token": token}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "active"
    assert reviewer.post("/api/v1/jury/invitations/accept/", {"token": "forged"}, format="json").status_code == 400

    # The reviewer declares a conflict on one proposal; titles only, never the author.
    conflicts = reviewer.get(f"{base}/jury/conflicts/").json()
    assert len(conflicts["proposals"]) == 3 and "Wolstenholme" not in str(conflicts)
    declared = reviewer.put(f"{base}/jury/conflicts/", {"proposal_ids": [proposals[0].pk]}, format="json")
    assert declared.status_code == 200 and declared.json()["proposals"][0]["declared"] in (True, False)
    assert api_for(UserFactory()).get(f"{base}/jury/conflicts/").status_code == 403

    # A second reviewer, who already has an account, is a reviewer at once.
    other_reviewer = UserFactory(email="second@example.org")
    assert (
        manager.post(f"{base}/reviewers/", {"email": other_reviewer.email}, format="json").json()["status"] == "active"
    )

    # Voting closes; review opens. The manager assigns.
    Contest.objects.filter(pk=contest.pk).update(voting_closes_at=days(-0.5))
    assigned = manager.post(f"{base}/jury/assign/", {"seed": 7}, format="json")
    assert assigned.status_code == 200, assigned.json()
    assert assigned.json()["count"] == 3
    assert reviewer.post(f"{base}/jury/assign/", {}, format="json").status_code == 403

    # The reviewer gets the assignments with the rubric, blind, and scores each.
    listing = reviewer.get("/api/v1/reviews/").json()
    mine = listing["count"]
    assert mine >= 1
    assert "Wolstenholme" not in str(listing) and "author" not in str(listing)
    assert proposals[0].pk not in {item["proposal"]["id"] for item in listing["results"]}
    for number, item in enumerate(listing["results"]):
        criteria = {c["name"]: c["id"] for c in item["criteria"]}
        assert set(criteria) == {"Impact", "Cost"}
        scores = {str(criteria["Impact"]): {"score": 9 - number * 5, "comment": "Clear."}}
        scores[str(criteria["Cost"])] = {"score": 6, "comment": ""}
        draft = reviewer.put(f"/api/v1/reviews/{item['id']}/", {"scores": scores, "submit": False}, format="json")
        assert draft.status_code == 200 and draft.json()["status"] == "draft"
        done = reviewer.put(f"/api/v1/reviews/{item['id']}/", {"scores": scores, "submit": True}, format="json")
        assert done.status_code == 200 and done.json()["status"] == "submitted"
    assert Review.objects.filter(status=Review.Status.SUBMITTED).count() == mine
    roles = reviewer.get("/api/v1/jury/roles/").json()
    assert roles == [
        {
            "id": ContestReviewer.objects.get(user=reviewer_user).pk,
            "contest": contest.slug,
            "status": "active",
            "conflicts_declared_at": roles[0]["conflicts_declared_at"],
            "assigned": mine,
            "submitted": mine,
        }
    ]

    # The manager follows progress, reminds (nobody left), chooses the winner and publishes.
    progress = manager.get(f"{base}/jury/progress/").json()
    assert (progress["assigned"], progress["submitted"]) == (3, mine)
    assert reviewer.get(f"{base}/jury/progress/").status_code == 403
    assert manager.post(f"{base}/jury/reminders/", format="json").json() == {"count": 1}  # the second reviewer
    best = listing["results"][0]["proposal"]["id"]
    assert manager.put(f"{base}/jury/winners/", {"proposal_ids": [best]}, format="json").json() == {
        "proposal_ids": [best]
    }
    assert api_for(author).get(f"{base}/results/").status_code == 403  # not published yet
    published = manager.post(f"{base}/jury/publish/", format="json")
    assert published.status_code == 200 and published.json()["published"] is True
    results = APIClient().get(f"{base}/results/").json()
    assert [entry["proposal_id"] for entry in results["entries"] if entry["winner"]] == [best]
    assert manager.put(f"{base}/jury/winners/", {"proposal_ids": []}, format="json").status_code == 400


def test_manager_jury_operations_refuse_others_and_hide_drafts(agency, agency_manager, citizen):
    draft = ContestFactory(agency=agency, draft=True)
    for method, path in [
        ("get", "jury/progress/"),
        ("post", "jury/assign/"),
        ("put", "jury/settings/"),
        ("post", "jury/publish/"),
    ]:
        assert (
            getattr(api_for(citizen), method)(f"/api/v1/contests/{draft.slug}/{path}", {}, format="json").status_code
            == 404
        )
        assert (
            getattr(api_for(agency_manager), method)(
                f"/api/v1/contests/{draft.slug}/{path}", {}, format="json"
            ).status_code
            != 404
        )
    assert APIClient().post(f"/api/v1/contests/{draft.slug}/jury/assign/", {}, format="json").status_code == 401
