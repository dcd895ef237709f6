"""A ballot on a proposal hidden or withdrawn after the vote can still be taken back (approval supports are not lost)."""

import pytest
from rest_framework.test import APIClient

from proposals.models import Proposal
from tests.factories import ContestFactory, ProposalFactory, UserFactory
from voting.models import ApprovalBudget, Vote
from voting.services import vote_cast


@pytest.mark.django_db
def test_support_on_a_proposal_hidden_later_can_be_withdrawn_and_returns_the_support():
    contest = ContestFactory(voting=True, voting_method="approval", approval_limit=1)
    proposal, other = ProposalFactory(contest=contest), ProposalFactory(contest=contest)
    voter = UserFactory()
    vote_cast(voter=voter, proposal=proposal, value=1)
    Proposal.objects.filter(pk=proposal.pk).update(is_hidden=True, hidden_reason="Off topic")
    api = APIClient()
    api.force_authenticate(voter)

    assert api.post(f"/api/v1/proposals/{other.pk}/vote/", {"value": 1}, format="json").status_code == 400
    assert api.delete(f"/api/v1/proposals/{proposal.pk}/vote/").status_code == 204
    assert not Vote.objects.filter(voter=voter, proposal=proposal).exists()
    assert ApprovalBudget.objects.get(voter=voter, contest=contest).used == 0
    assert api.post(f"/api/v1/proposals/{other.pk}/vote/", {"value": 1}, format="json").status_code == 201


@pytest.mark.django_db
def test_someone_without_a_ballot_still_gets_404_on_a_hidden_proposal():
    contest = ContestFactory(voting=True)
    proposal = ProposalFactory(contest=contest, is_hidden=True, hidden_reason="Spam")
    api = APIClient()
    api.force_authenticate(UserFactory())
    assert api.delete(f"/api/v1/proposals/{proposal.pk}/vote/").status_code == 404
    assert api.post(f"/api/v1/proposals/{proposal.pk}/vote/", {"value": 1}, format="json").status_code == 404
