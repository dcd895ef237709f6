"""Following contests, proposals and agencies: the buttons, the service, the list page, and who gets told."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse

from notifications.models import Notification, Subscription
from notifications.subscriptions import subscribers_of, subscription_exists, subscription_set
from proposals.responses import proposal_respond
from tests.factories import ContestFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(agency):
    return ContestFactory(agency=agency, title="Clean rivers", slug="clean-rivers")


@pytest.fixture
def proposal(contest):
    return ProposalFactory(contest=contest, title="Plant willows")


def test_follow_then_unfollow_a_contest_with_the_button(client, citizen, contest):
    client.force_login(citizen)
    url = reverse("notifications:follow", kwargs={"segment": "contests", "key": contest.slug})
    page = client.get(contest.get_absolute_url()).content.decode()
    assert f'action="{url}"' in page and ">Follow<" in page

    response = client.post(url, {"follow": "1", "next": contest.get_absolute_url()}, follow=True)
    assert response.redirect_chain[-1][0] == contest.get_absolute_url()
    assert "You follow “Clean rivers” now." in response.content.decode()
    assert "Following — unfollow" in response.content.decode()
    assert subscription_exists(user=citizen, target=contest)

    response = client.post(url, {"follow": "0"}, follow=True)
    assert "You no longer follow “Clean rivers”." in response.content.decode()
    assert not Subscription.objects.filter(user=citizen).exists()


@pytest.mark.parametrize("kind", ["proposal", "agency"])
def test_follow_a_proposal_or_an_agency(client, citizen, proposal, agency, kind):
    target = proposal if kind == "proposal" else agency
    key = proposal.pk if kind == "proposal" else agency.slug
    client.force_login(citizen)
    page = client.get(target.get_absolute_url()).content.decode()
    assert "Follow" in page
    segment = "proposals" if kind == "proposal" else "agencies"
    response = client.post(reverse("notifications:follow", kwargs={"segment": segment, "key": key}), {"follow": "1"})
    assert response.status_code == 302
    assert subscription_exists(user=citizen, target=target)


def test_following_twice_keeps_one_row(citizen, contest):
    subscription_set(user=citizen, target=contest, follow=True)
    subscription_set(user=citizen, target=contest, follow=True)
    assert Subscription.objects.filter(user=citizen, object_id=contest.pk).count() == 1


def test_database_refuses_a_second_subscription_to_the_same_target(citizen, contest):
    subscription_set(user=citizen, target=contest, follow=True)
    content_type = ContentType.objects.get_for_model(contest)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=citizen, content_type=content_type, object_id=contest.pk)


def test_a_deleted_target_takes_its_subscriptions_with_it(citizen, contest, proposal):
    subscription_set(user=citizen, target=proposal, follow=True)
    subscription_set(user=citizen, target=contest, follow=True)
    proposal.delete()
    assert list(Subscription.objects.values_list("object_id", flat=True)) == [contest.pk]


def test_anonymous_visitor_is_sent_to_sign_in(client, contest):
    page = client.get(contest.get_absolute_url()).content.decode()
    assert "Sign in to follow" in page
    response = client.post(
        reverse("notifications:follow", kwargs={"segment": "contests", "key": contest.slug}), {"follow": "1"}
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Subscription.objects.exists()


def test_unverified_user_cannot_follow(client, unverified_user, contest):
    client.force_login(unverified_user)
    response = client.post(
        reverse("notifications:follow", kwargs={"segment": "contests", "key": contest.slug}), {"follow": "1"}
    )
    assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_draft_contest_cannot_be_followed(client, citizen, agency):
    draft = ContestFactory(agency=agency, draft=True)
    client.force_login(citizen)
    response = client.post(
        reverse("notifications:follow", kwargs={"segment": "contests", "key": draft.slug}), {"follow": "1"}
    )
    # 404 as on the contest page itself: a 403 ("verify your email") confirmed the draft existed.
    assert response.status_code == 404


def test_unknown_target_is_404(client, citizen):
    client.force_login(citizen)
    assert (
        client.post(
            reverse("notifications:follow", kwargs={"segment": "proposals", "key": 999999}), {"follow": "1"}
        ).status_code
        == 404
    )


def test_redirect_after_following_stays_on_this_site(client, citizen, contest):
    client.force_login(citizen)
    response = client.post(
        reverse("notifications:follow", kwargs={"segment": "contests", "key": contest.slug}),
        {"follow": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == contest.get_absolute_url()


def test_follow_list_shows_each_followed_thing_with_an_unfollow_button(client, citizen, contest, proposal, agency):
    for target in (contest, proposal, agency):
        subscription_set(user=citizen, target=target, follow=True)
    client.force_login(citizen)
    page = client.get(reverse("notifications:follows")).content.decode()
    for name in ("Clean rivers", "Plant willows", agency.name):
        assert name in page
    assert page.count("Following — unfollow") == 3


def test_followers_of_a_proposal_hear_its_official_answer(citizen, proposal, agency_manager):
    follower = UserFactory(display_name="Fay Follower")
    subscription_set(user=follower, target=proposal, follow=True)
    subscription_set(user=proposal.author, target=proposal, follow=True)  # the author gets the author notice only
    proposal_respond(proposal=proposal, responder=agency_manager, status="under_review", text="We look at it.")
    notice = Notification.objects.get(recipient=follower)
    assert notice.kind == "followed_proposal_status"
    assert notice.url == proposal.get_absolute_url()
    assert Notification.objects.filter(recipient=proposal.author).count() == 1
    from notifications.kinds import notification_text

    assert notification_text(notice) == "City Water answered “Plant willows”, a proposal you follow: Under review."


def test_followers_of_excludes_inactive_users(contest):
    active, inactive = UserFactory(), UserFactory(is_active=False)
    for user in (active, inactive):
        subscription_set(user=user, target=contest, follow=True)
    assert subscribers_of(target=contest) == [active]
