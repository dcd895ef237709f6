"""Page writes share the API's rate limits, per account and per IP."""

import pytest

from agencies.models import Agency


@pytest.mark.django_db
def test_agency_edit_over_the_write_rate_is_refused_with_429_and_saves_nothing(client, agency, agency_admin, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"write": "2/min"}}
    client.force_login(agency_admin)
    url = f"/agencies/{agency.slug}/edit/"
    for name in ("Water One", "Water Two"):
        assert client.post(url, {"name": name, "description": "", "website": ""}).status_code == 302
    response = client.post(url, {"name": "Water Three", "description": "", "website": ""})
    assert response.status_code == 429
    assert "You are doing that too often" in response.content.decode()
    assert Agency.objects.get(pk=agency.pk).name == "Water Two"


@pytest.mark.django_db
def test_the_limit_is_per_ip_too_so_many_accounts_cannot_multiply_it(client, agency, settings):
    from tests.factories import MembershipFactory

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"write": "2/min"}}
    url = f"/agencies/{agency.slug}/edit/"
    statuses = []
    for index in range(3):
        client.force_login(MembershipFactory(agency=agency, role="admin").user)
        statuses.append(client.post(url, {"name": f"Name {index}", "description": "", "website": ""}).status_code)
    assert statuses == [302, 302, 429]


@pytest.mark.django_db
def test_proposal_page_writes_are_rate_limited_too(client, settings):
    from django.urls import reverse

    from proposals.models import Proposal
    from tests.factories import ContestFactory, ProposalFactory, UserFactory

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"write": "2/min"}}
    author = UserFactory()
    contest = ContestFactory()
    proposals = [ProposalFactory(contest=contest, author=author) for _ in range(3)]
    client.force_login(author)
    statuses = [
        client.post(reverse("proposals:withdraw", kwargs={"contest_slug": contest.slug, "pk": proposal.pk})).status_code
        for proposal in proposals
    ]
    assert statuses == [302, 302, 429]
    assert Proposal.objects.get(pk=proposals[2].pk).status == Proposal.Status.SUBMITTED


@pytest.mark.django_db
def test_every_api_write_shares_the_write_rate_contests_included(settings, agency, agency_manager):
    from rest_framework.test import APIClient

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"write": "2/min"}}
    api = APIClient()
    api.force_authenticate(agency_manager)
    statuses = [api.post("/api/v1/contests/", {"agency": agency.slug}, format="json").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    assert api.get("/api/v1/contests/").status_code == 200  # reads are not counted
