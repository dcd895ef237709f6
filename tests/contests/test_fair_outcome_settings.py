"""The fair-outcome settings of a contest: public ranking, integrity monitoring, verification levels (form and API)."""

import pytest
from rest_framework.test import APIClient

from contests.models import Contest
from tests.contests.helpers import contest_api_data, contest_form_data
from tests.factories import ContestFactory

pytestmark = pytest.mark.django_db


def test_the_form_offers_the_settings_and_a_new_contest_ranks_per_viewer(client, agency, agency_manager):
    client.force_login(agency_manager)
    page = client.get(f"/contests/new/{agency.slug}/").content.decode()
    for label in (
        "Public ranking",
        "Integrity monitoring",
        "Verification needed to vote",
        "Verification needed to submit",
    ):
        assert label in page
    assert 'value="exposure" selected' in page
    client.post(f"/contests/new/{agency.slug}/", contest_form_data())
    contest = Contest.objects.get(agency=agency)
    assert (contest.public_ranking, contest.vote_verification) == ("exposure", "email")
    client.post(
        f"/contests/{contest.slug}/edit/",
        contest_form_data(
            slug=contest.slug, public_ranking="counts", vote_verification="phone", submit_verification="census"
        ),
    )
    contest.refresh_from_db()
    assert (contest.public_ranking, contest.vote_verification, contest.submit_verification) == (
        "counts",
        "phone",
        "census",
    )
    assert contest.integrity_monitoring is False  # an unticked box


def test_the_api_reads_and_writes_them_and_locks_them_once_voting_opens(agency, agency_manager):
    api = APIClient()
    api.force_authenticate(agency_manager)
    created = api.post(
        "/api/v1/contests/",
        contest_api_data(agency.slug, public_ranking="counts", vote_verification="census", integrity_monitoring=True),
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = api.get(f"/api/v1/contests/{created.json()['slug']}/").json()
    assert (body["public_ranking"], body["vote_verification"], body["integrity_monitoring"]) == (
        "counts",
        "census",
        True,
    )
    voting = ContestFactory(agency=agency, voting=True, slug="voting-now")
    for field, value in (("public_ranking", "exposure"), ("vote_verification", "phone")):
        refused = api.patch(f"/api/v1/contests/{voting.slug}/", {field: value}, format="json")
        assert refused.status_code == 400 and field in refused.json()
