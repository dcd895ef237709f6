"""Merging a duplicate: its votes, its discussion and its followers follow it to the target."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django_comments_xtd.models import XtdComment

from notifications.models import Notification
from notifications.subscriptions import subscribers_of, subscription_set
from proposals.models import Proposal
from proposals.responses import proposal_respond
from proposals.similarity import proposal_merge
from tests.factories import ContestFactory, ProposalFactory, UserFactory
from voting.models import ApprovalBudget, ProposalTally, Vote
from voting.services import vote_cast


def _merge(duplicate, target, manager):
    return proposal_merge(duplicate=duplicate, target=target, moderator=manager)


@pytest.mark.django_db(transaction=True)
def test_votes_follow_a_merge_and_a_voter_of_both_keeps_one_ballot(agency_manager, agency):
    contest = ContestFactory(agency=agency, voting=True, voting_method="approval", approval_limit=3)
    target, duplicate = ProposalFactory(contest=contest), ProposalFactory(contest=contest)
    both, only_duplicate = UserFactory(), UserFactory()
    vote_cast(voter=both, proposal=target, value=1)
    vote_cast(voter=both, proposal=duplicate, value=1)
    vote_cast(voter=only_duplicate, proposal=duplicate, value=1)

    _merge(duplicate, target, agency_manager)

    assert Proposal.objects.get(pk=duplicate.pk).merged_into_id == target.pk
    assert set(Vote.objects.filter(proposal=target).values_list("voter_id", flat=True)) == {both.pk, only_duplicate.pk}
    assert not Vote.objects.filter(proposal=duplicate).exists()
    assert ProposalTally.objects.get(proposal=target).ballots == 2
    assert ApprovalBudget.objects.get(voter=both, contest=contest).used == 1  # the dropped support came back


@pytest.mark.django_db(transaction=True)
def test_comments_follow_a_merge_with_their_threads(agency_manager, agency):
    contest = ContestFactory(agency=agency)
    target, duplicate = ProposalFactory(contest=contest), ProposalFactory(contest=contest)
    proposal_type = ContentType.objects.get_for_model(Proposal)
    author = UserFactory()
    parent = XtdComment.objects.create(
        content_type=proposal_type, object_pk=str(duplicate.pk), site_id=1, user=author, user_name="A", comment="Parent"
    )
    XtdComment.objects.create(
        content_type=proposal_type,
        object_pk=str(duplicate.pk),
        site_id=1,
        user=author,
        user_name="A",
        comment="Reply",
        parent_id=parent.pk,
    )

    _merge(duplicate, target, agency_manager)

    moved = XtdComment.objects.filter(content_type=proposal_type, object_pk=str(target.pk)).order_by("pk")
    assert [comment.comment for comment in moved] == ["Parent", "Reply"]
    assert moved[1].parent_id == moved[0].pk


@pytest.mark.django_db
def test_followers_follow_a_merge_and_who_followed_both_keeps_one_follow(agency_manager, agency):
    contest = ContestFactory(agency=agency)
    target, duplicate = ProposalFactory(contest=contest), ProposalFactory(contest=contest)
    both, only_duplicate, only_target = UserFactory(), UserFactory(), UserFactory()
    for user, followed in ((both, target), (both, duplicate), (only_duplicate, duplicate), (only_target, target)):
        subscription_set(user=user, target=followed, follow=True)

    _merge(duplicate, target, agency_manager)

    assert {user.pk for user in subscribers_of(target=target)} == {both.pk, only_duplicate.pk, only_target.pk}
    assert subscribers_of(target=duplicate) == []
    # The moved followers hear about the target from now on, like its own followers.
    proposal_respond(proposal=target, responder=agency_manager, status="under_review", text="We are on it.")
    assert Notification.objects.filter(recipient=only_duplicate, kind="followed_proposal_status").count() == 1
