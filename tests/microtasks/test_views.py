"""Task pages: the board, a campaign, claiming and proof by form, my tasks, and the staff pages."""

import pytest
from django.urls import reverse

from engagement.models import Reward
from microtasks.models import Claim, Submission
from tests.factories import UserFactory
from tests.microtasks.factories import CampaignFactory, photo_upload

pytestmark = pytest.mark.django_db


def test_the_board_lists_open_campaigns_with_slots_left(client, agency, django_assert_max_num_queries):
    for n in range(5):
        CampaignFactory(agency=agency, title=f"Task {n}")
    with django_assert_max_num_queries(10):  # one read of the campaigns, whatever their number
        response = client.get(reverse("microtasks:board"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Task 4" in page and "5 / 5" in page and 'data-websocket-path="/ws/tasks/board/"' in page


def test_a_citizen_grabs_a_task_submits_proof_and_sees_it_in_my_tasks(client, campaign, citizen):
    client.force_login(citizen)
    response = client.post(reverse("microtasks:claim", args=[campaign.pk]), follow=True)
    assert "The task is yours." in response.content.decode()
    claim = Claim.objects.get(citizen=citizen)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Is the timetable up to date?" in page and "data-countdown" in page
    response = client.post(
        reverse("microtasks:proof", args=[claim.pk]), {"photo": photo_upload(), "answer_0": "Yes"}, follow=True
    )
    assert "Your work is submitted." in response.content.decode()
    assert Submission.objects.filter(claim=claim).exists()
    mine = client.get(reverse("microtasks:mine")).content.decode()
    assert "Bus stop timetables" in mine and "Waiting for review" in mine


def test_a_proof_without_a_photo_is_refused_with_the_form(client, campaign, citizen):
    client.force_login(citizen)
    client.post(reverse("microtasks:claim", args=[campaign.pk]))
    claim = Claim.objects.get(citizen=citizen)
    response = client.post(reverse("microtasks:proof", args=[claim.pk]), {"answer_0": "Yes"})
    assert response.status_code == 400
    assert not Submission.objects.exists()
    other = UserFactory()
    client.force_login(other)
    assert client.post(reverse("microtasks:proof", args=[claim.pk]), {"answer_0": "Yes"}).status_code == 404


def test_staff_pages_are_for_the_agency_staff_only(client, campaign, agency_manager, citizen):
    for user, status in ((citizen, 403), (agency_manager, 200)):
        client.force_login(user)
        assert client.get(reverse("microtasks:agency", args=[campaign.agency.slug])).status_code == status
        assert client.get(reverse("microtasks:review", args=[campaign.pk])).status_code == status
        assert client.get(reverse("microtasks:create", args=[campaign.agency.slug])).status_code == status
    page = client.get(reverse("microtasks:agency", args=[campaign.agency.slug])).content.decode()
    assert "Tasks posted" in page and "Median review time" in page and "Points paid" in page


def test_staff_post_a_campaign_by_form(client, agency, agency_manager):
    client.force_login(agency_manager)
    response = client.post(
        reverse("microtasks:create", args=[agency.slug]),
        {
            "title": "Photograph playgrounds",
            "instructions": "Take one photo of the whole playground.",
            "kind": "field",
            "slots": 20,
            "claim_minutes": 60,
            "starts_at": "2026-01-01T08:00",
            "ends_at": "2036-01-01T08:00",
            "reward_points": 20,
            "review_hours": 48,
            "min_approved": 0,
            "answers_per_item": 3,
            "agreement": 0.5,
            "gold_accuracy_min": 0.7,
            "gold_min_answers": 3,
            "batch_size": 20,
            "questions_text": "Is the equipment safe?\nIs it clean?",
        },
    )
    assert response.status_code == 302
    campaign = agency.campaigns.get()
    assert campaign.questions == ["Is the equipment safe?", "Is it clean?"]


def test_staff_review_by_page_and_hand_over_a_reward(client, campaign, citizen, agency_manager):
    client.force_login(citizen)
    client.post(reverse("microtasks:claim", args=[campaign.pk]))
    claim = Claim.objects.get(citizen=citizen)
    client.post(reverse("microtasks:proof", args=[claim.pk]), {"photo": photo_upload(), "answer_0": "Yes"})
    submission = Submission.objects.get()
    assert client.get(reverse("microtasks:photo", args=[submission.pk])).status_code == 200
    client.force_login(agency_manager)
    queue = client.get(reverse("microtasks:review", args=[campaign.pk])).content.decode()
    assert "Work by Ada Citizen" in queue
    assert client.get(reverse("microtasks:photo", args=[submission.pk])).status_code == 200
    client.post(reverse("microtasks:review_submission", args=[submission.pk]), {"approve": ""})
    assert Submission.objects.get().status == "approved"
    Reward.objects.create(agency=campaign.agency, name="Transit pass", points_price=10, stock=3)
    client.force_login(citizen)
    page = client.get(reverse("engagement:rewards")).content.decode()
    assert "You have 15 points." in page
    reward = Reward.objects.get()
    response = client.post(reverse("engagement:redeem", args=[reward.pk]), follow=True)
    assert "You redeemed “Transit pass”" in response.content.decode()
    client.force_login(agency_manager)
    redemption = reward.redemptions.get()
    client.post(reverse("engagement:hand_over", args=[redemption.pk]))
    redemption.refresh_from_db()
    assert redemption.status == "handed_over"
    client.force_login(UserFactory())
    assert client.get(reverse("microtasks:photo", args=[submission.pk])).status_code == 404


def test_the_agency_page_shows_its_task_figures_and_staff_get_the_links(client, campaign, agency_manager, citizen):
    page = client.get(campaign.agency.get_absolute_url()).content.decode()
    assert "Task accountability" in page and "Manage task campaigns" not in page
    client.force_login(agency_manager)
    page = client.get(campaign.agency.get_absolute_url()).content.decode()
    assert "Manage task campaigns" in page


def test_my_tasks_and_the_review_queue_keep_a_constant_query_count(
    client, agency, agency_manager, django_assert_max_num_queries
):
    from microtasks import claims, services

    citizen = UserFactory()
    campaign = CampaignFactory(agency=agency, slots=20)
    for _ in range(4):
        other = CampaignFactory(agency=agency)
        claims.claim_create(citizen=citizen, campaign_id=other.pk)
        claims.claim_release(citizen=citizen, claim_id=Claim.objects.filter(citizen=citizen).first().pk)
    for _ in range(5):
        worker = UserFactory()
        claim = claims.claim_create(citizen=worker, campaign_id=campaign.pk)
        services.submission_submit(
            citizen=worker, claim_id=claim.pk, photo=photo_upload(), latitude=None, longitude=None, answers={"0": "Y"}
        )
    client.force_login(citizen)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("microtasks:mine")).status_code == 200
    client.force_login(agency_manager)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("microtasks:review", args=[campaign.pk])).status_code == 200


def test_a_data_task_is_answered_item_by_item_and_staff_download_the_consensus(client, agency, agency_manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    campaign = CampaignFactory(agency=agency, data=True, answers_per_item=1, batch_size=2)
    client.force_login(agency_manager)
    csv_file = SimpleUploadedFile("items.csv", b"id,text\na,A cat on a wall\nb,A dog in a park\n")
    response = client.post(reverse("microtasks:items", args=[campaign.pk]), {"csv_file": csv_file}, follow=True)
    assert "2 items added." in response.content.decode()
    citizen = UserFactory()
    client.force_login(citizen)
    client.post(reverse("microtasks:claim", args=[campaign.pk]))
    claim = Claim.objects.get(citizen=citizen)
    for _ in range(2):
        page = client.get(campaign.get_absolute_url()).content.decode()
        assert "Your answer for this item" in page
        item = campaign.items.filter(answers_count=0).first()
        client.post(reverse("microtasks:answer", args=[claim.pk]), {"item": item.pk, "answer": "cat"})
    assert Claim.objects.get(pk=claim.pk).status == "submitted"
    assert client.get(reverse("microtasks:consensus", args=[campaign.pk])).status_code == 403
    client.force_login(agency_manager)
    csv_text = client.get(reverse("microtasks:consensus", args=[campaign.pk])).content.decode()
    assert csv_text.splitlines()[1:] == ["a,cat,1,1,,True", "b,cat,1,1,,True"]
