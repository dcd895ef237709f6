"""A public profile lists the person's public proposals, comments, points and badges, paginated; a person
who chose to stay off public boards keeps points and badges private."""

import pytest
from django.urls import reverse

from discussion.services import comment_hide, comment_post
from engagement.models import EngagementPreference
from proposals.models import Proposal
from tests.factories import ContestFactory, ProposalCoAuthorFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


def profile(client, user, **params):
    return client.get(reverse("accounts:profile", kwargs={"user_id": user.pk}), params)


def test_profile_lists_public_proposals_and_comments_not_drafts_or_hidden(client, agency, citizen, agency_manager):
    contest = ContestFactory(agency=agency)
    ProposalFactory(contest=contest, author=citizen, title="Rain gardens on Elm Street")
    coauthored = ProposalFactory(contest=contest, title="Night buses to the hospital")
    ProposalCoAuthorFactory(proposal=coauthored, user=citizen)
    ProposalFactory(contest=contest, author=citizen, title="My secret draft", status=Proposal.Status.DRAFT)
    ProposalFactory(contest=contest, author=citizen, title="Hidden spam", is_hidden=True)
    ProposalFactory(contest=ContestFactory(agency=agency, draft=True), author=citizen, title="In a draft contest")
    comment_post(author=citizen, target=coauthored, text="The 2 am bus matters most.")
    rude = comment_post(author=citizen, target=coauthored, text="Something rude")
    comment_hide(comment=rude, moderator=agency_manager, reason="Rude")

    page = profile(client, citizen).content.decode()
    assert "Rain gardens on Elm Street" in page and "Night buses to the hospital" in page
    assert "My secret draft" not in page and "Hidden spam" not in page and "In a draft contest" not in page
    assert "The 2 am bus matters most." in page and "Something rude" not in page
    assert "2 proposals" in page and "1 comment" in page
    assert "No public contributions yet." not in page
    assert citizen.email not in page


def test_profile_pages_through_many_proposals(client, agency, citizen, django_assert_max_num_queries):
    contest = ContestFactory(agency=agency)
    for number in range(12):
        ProposalFactory(contest=contest, author=citizen, title=f"Idea number {number:02d}")
    with django_assert_max_num_queries(14):
        first = profile(client, citizen).content.decode()
    assert "Idea number 11" in first and "Idea number 01" not in first
    assert "proposals_page=2" in first
    second = profile(client, citizen, proposals_page=2).content.decode()
    assert "Idea number 01" in second and "Idea number 11" not in second


def test_points_and_badges_stay_private_for_someone_off_the_boards(client, citizen):
    EngagementPreference.objects.create(user=citizen, show_on_leaderboards=False)
    other = UserFactory()
    client.force_login(other)
    page = profile(client, citizen).content.decode()
    assert "keeps their points and badges private" in page and "Points and badges" not in page
    client.force_login(citizen)
    own = profile(client, citizen).content.decode()
    assert "Points and badges" in own and "Only you see your points and badges" in own
