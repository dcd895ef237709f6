"""Ids too large for the database or not numbers are refused as bad input (4xx), never a 500."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from rest_framework.test import APIClient

from accounts.models import User
from jury.services import _parse_score
from jury.views import _posted_ids
from proposals.models import Proposal
from tests.factories import ContestFactory, ProposalFactory, UserFactory

HUGE = 10**30


@pytest.mark.django_db
def test_comment_reply_to_a_huge_parent_id_is_a_400_in_page_and_api(client):
    proposal = ProposalFactory(contest=ContestFactory())
    commenter = UserFactory()
    client.force_login(commenter)
    page = client.post(f"/comments/proposals/{proposal.pk}/", {"text": "Hello", "parent": str(HUGE)})
    assert page.status_code == 400
    api = APIClient()
    api.force_authenticate(commenter)
    response = api.post(f"/api/v1/proposals/{proposal.pk}/comments/", {"text": "Hello", "parent": HUGE}, format="json")
    assert response.status_code == 400
    assert "parent" in response.json()


@pytest.mark.django_db
def test_comment_target_redirect_refuses_malformed_ids_and_other_models(client):
    proposal = ProposalFactory(contest=ContestFactory())
    proposal_type = ContentType.objects.get_for_model(Proposal).pk
    assert client.get(f"/comments/cr/{proposal_type}/abc/").status_code == 404
    user_type = ContentType.objects.get_for_model(User).pk
    assert client.get(f"/comments/cr/{user_type}/{proposal.author_id}/").status_code == 404
    assert client.get(f"/comments/cr/{proposal_type}/{proposal.pk}/").status_code == 302


def test_jury_score_too_large_for_a_float_is_a_validation_error():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _parse_score(10**400, "Impact")


def test_posted_ids_refuses_numbers_beyond_a_database_id():
    request = RequestFactory().post("/", {"winners": ["3", str(HUGE)]})
    with pytest.raises(ValueError):
        _posted_ids(request, "winners")
    assert _posted_ids(RequestFactory().post("/", {"winners": ["3", "7"]}), "winners") == [3, 7]


@pytest.mark.django_db
def test_pairwise_judgement_with_a_huge_id_is_a_400():
    from django.core.exceptions import ValidationError

    from voting.services import pair_judge

    contest = ContestFactory(voting=True, voting_method="pairwise")
    ProposalFactory(contest=contest)
    ProposalFactory(contest=contest)
    voter = UserFactory()
    api = APIClient()
    api.force_authenticate(voter)
    response = api.post(f"/api/v1/contests/{contest.slug}/pair/", {"winner": HUGE, "loser": 1}, format="json")
    assert response.status_code == 400
    with pytest.raises(ValidationError):
        pair_judge(voter=voter, contest=contest, winner_id=str(HUGE), loser_id="1")
