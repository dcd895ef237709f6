"""The API for micro-tasks and rewards: the issue's bad-input list gives a clear 4xx and stores nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from engagement.models import PointsEntry, Redemption, Reward
from microtasks.models import Campaign, Claim, Submission
from tests.factories import UserFactory
from tests.microtasks.factories import CampaignFactory, photo_upload

pytestmark = pytest.mark.django_db


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _claim(user, campaign):
    return _client(user).post(f"/api/v1/tasks/{campaign.pk}/claim/")


def test_open_campaigns_are_listed_with_the_slots_left(campaign, citizen):
    _claim(citizen, campaign)
    response = _client().get("/api/v1/tasks/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["title"] == "Bus stop timetables" and row["slots_left"] == 4
    assert "<strong>timetable</strong>" in row["instructions_html"]
    assert _client().get("/api/v1/tasks/board/").json()["entries"][0]["slots_left"] == 4


@pytest.mark.parametrize(
    ("campaign_fields", "status", "message"),
    [
        ({"starts_at": timezone.now() + timedelta(days=1)}, 400, "has not started"),
        (
            {"starts_at": timezone.now() - timedelta(days=5), "ends_at": timezone.now() - timedelta(days=1)},
            400,
            "ended",
        ),
        ({"slots": 1, "slots_taken": 1}, 409, "All slots"),
    ],
)
def test_claims_outside_dates_or_on_a_full_campaign_are_refused(agency, citizen, campaign_fields, status, message):
    campaign = CampaignFactory(agency=agency, **campaign_fields)
    response = _claim(citizen, campaign)
    assert response.status_code == status
    assert message in response.json()["detail"]
    assert not Claim.objects.filter(citizen=citizen).exists()


def test_second_claim_of_a_field_task_and_claims_over_the_limit_are_refused(agency, citizen, settings):
    settings.MICROTASKS_OPEN_CLAIMS_LIMIT = 1
    first, second = CampaignFactory(agency=agency), CampaignFactory(agency=agency)
    assert _claim(citizen, first).status_code == 201
    assert _claim(citizen, first).status_code == 409
    over = _claim(citizen, second)
    assert over.status_code == 409 and "already hold 1 open tasks" in over.json()["detail"]
    assert Claim.objects.filter(citizen=citizen).count() == 1
    assert Campaign.objects.get(pk=second.pk).slots_taken == 0


def test_anonymous_and_unverified_people_cannot_claim(campaign, unverified_user):
    assert _claim(None, campaign).status_code == 401
    assert _claim(unverified_user, campaign).status_code == 403
    assert not Claim.objects.exists()


def test_a_draft_campaign_is_hidden_from_citizens(agency, citizen):
    draft = CampaignFactory(agency=agency, is_published=False)
    assert _client(citizen).get(f"/api/v1/tasks/{draft.pk}/").status_code == 404
    assert _claim(citizen, draft).status_code == 404


def _proof(client, claim_id, **fields):
    data = {"photo": photo_upload(), "answers": '{"0": "Yes"}'} | fields
    return client.post(f"/api/v1/tasks/claims/{claim_id}/proof/", data, format="multipart")


def test_proof_outside_the_radius_and_answers_to_someone_elses_claim_are_refused(agency, citizen):
    campaign = CampaignFactory(agency=agency, latitude=31.23, longitude=121.47, radius_m=100)
    claim_id = _claim(citizen, campaign).json()["id"]
    outside = _proof(_client(citizen), claim_id, latitude="31.25", longitude="121.47")
    assert outside.status_code == 400 and "must be within 100 m" in outside.json()["detail"]
    intruder = _proof(_client(UserFactory()), claim_id, latitude="31.23", longitude="121.47")
    assert intruder.status_code == 404
    assert not Submission.objects.exists()
    inside = _proof(_client(citizen), claim_id, latitude="31.2301", longitude="121.4701")
    assert inside.status_code == 201 and inside.json()["status"] == "pending"


def test_review_by_non_staff_is_refused_and_staff_approval_credits_points(campaign, citizen, agency_manager):
    claim_id = _claim(citizen, campaign).json()["id"]
    submission_id = _proof(_client(citizen), claim_id).json()["id"]
    url = f"/api/v1/tasks/submissions/{submission_id}/review/"
    outsider = UserFactory()
    assert _client(outsider).post(url, {"decision": "approve"}, format="json").status_code == 404
    assert _client(citizen).post(url, {"decision": "approve"}, format="json").status_code == 404
    assert _client(outsider).get(f"/api/v1/tasks/{campaign.pk}/submissions/").status_code == 403
    assert Submission.objects.get(pk=submission_id).status == "pending"
    reject = _client(agency_manager).post(url, {"decision": "reject"}, format="json")
    assert reject.status_code == 400 and "Say why" in reject.json()["detail"]
    queue = _client(agency_manager).get(f"/api/v1/tasks/{campaign.pk}/submissions/").json()["results"]
    assert [row["id"] for row in queue] == [submission_id]
    assert _client(agency_manager).post(url, {"decision": "approve"}, format="json").status_code == 200
    assert _client(citizen).get("/api/v1/points/balance/").json() == {"points": 15}
    figures = _client().get(f"/api/v1/agencies/{campaign.agency.slug}/tasks/figures/").json()
    assert figures["tasks_completed"] == 1 and figures["points_paid"] == 15


def test_staff_post_campaigns_for_their_agency_only(agency, agency_manager, other_agency):
    payload = {
        "title": "Count bicycles",
        "instructions": "Count for ten minutes.",
        "kind": "field",
        "slots": 10,
        "starts_at": timezone.now().isoformat(),
        "ends_at": (timezone.now() + timedelta(days=3)).isoformat(),
        "questions": ["How many bicycles passed?"],
    }
    assert (
        _client(agency_manager).post(f"/api/v1/agencies/{agency.slug}/tasks/", payload, format="json").status_code
        == 201
    )
    refused = _client(agency_manager).post(f"/api/v1/agencies/{other_agency.slug}/tasks/", payload, format="json")
    assert refused.status_code == 403
    bad = _client(agency_manager).post(
        f"/api/v1/agencies/{agency.slug}/tasks/",
        payload
        | {"ends_at": timezone.now().isoformat(), "starts_at": (timezone.now() + timedelta(days=1)).isoformat()},
        format="json",
    )
    assert bad.status_code == 400 and "ends_at" in bad.json()
    assert Campaign.objects.count() == 1


def test_redemption_without_enough_points_or_stock_is_refused(agency, citizen, agency_manager):
    created = _client(agency_manager).post(
        f"/api/v1/agencies/{agency.slug}/rewards/",
        {"name": "Museum ticket", "points_price": 10, "stock": 1},
        format="json",
    )
    assert created.status_code == 201
    reward_id = created.json()["id"]
    poor = _client(citizen).post(f"/api/v1/rewards/{reward_id}/redeem/")
    assert poor.status_code == 409 and "You have 0 points" in poor.json()["detail"]
    for user in (citizen, UserFactory()):
        PointsEntry.objects.create(
            user=user, action="microtask_approved", content_type_id=1, object_id=user.pk, points=25
        )
    ok = _client(citizen).post(f"/api/v1/rewards/{reward_id}/redeem/")
    assert ok.status_code == 201
    other = UserFactory.create()
    PointsEntry.objects.create(
        user=other, action="microtask_approved", content_type_id=1, object_id=other.pk, points=25
    )
    empty = _client(other).post(f"/api/v1/rewards/{reward_id}/redeem/")
    assert empty.status_code == 409 and "out of stock" in empty.json()["detail"]
    assert Redemption.objects.count() == 1 and Reward.objects.get(pk=reward_id).stock == 0
    assert _client(citizen).get("/api/v1/points/balance/").json() == {"points": 15}
    hand_over = f"/api/v1/redemptions/{ok.json()['id']}/hand-over/"
    assert _client(citizen).post(hand_over).status_code == 404
    assert _client(agency_manager).post(hand_over).json()["status"] == "handed_over"
    assert _client(agency_manager).post(hand_over).status_code == 409


def test_the_schema_lists_the_task_and_reward_endpoints(client):
    schema = client.get("/api/v1/schema/").content.decode()
    for path in ("/api/v1/tasks/{id}/claim/", "/api/v1/tasks/claims/{claim_id}/proof/", "/api/v1/rewards/{id}/redeem/"):
        assert path in schema
