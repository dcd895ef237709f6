"""Moderation through the API: the agency's queue, hide and dismiss; comment hide/restore; the blocklist;
and the agency admin's profile and member operations."""

import pytest
from rest_framework.test import APIClient

from agencies.models import AgencyMembership
from discussion.services import comment_post
from moderation.models import ModerationReport
from moderation.services import report_create
from proposals.models import Proposal
from tests.factories import ContestFactory, MembershipFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def proposal(agency, citizen):
    return ProposalFactory(contest=ContestFactory(agency=agency), author=citizen, title="Buy my pills")


def test_manager_lists_hides_and_dismisses_reports_through_the_api(agency, agency_manager, proposal, other_agency):
    reporter = UserFactory(display_name="Rita Reporter")
    report = report_create(reporter=reporter, target=proposal, reason="Spam")
    base = f"/api/v1/agencies/{agency.slug}/moderation/reports/"
    queue = api_for(agency_manager).get(base).json()
    assert queue["count"] == 1
    item = queue["results"][0]
    assert (item["kind"], item["content"], item["reporter"]) == ("proposal", "Buy my pills", "Rita Reporter")
    assert reporter.email not in str(queue)
    assert api_for(reporter).get(base).status_code == 403
    outsider = MembershipFactory(agency=other_agency).user
    assert api_for(outsider).post(f"{base}{report.pk}/hide/", {"reason": "Spam"}, format="json").status_code == 403
    other_report_url = f"/api/v1/agencies/{other_agency.slug}/moderation/reports/{report.pk}/dismiss/"
    assert api_for(outsider).post(other_report_url, format="json").status_code == 404
    assert api_for(agency_manager).post(f"{base}{report.pk}/hide/", {}, format="json").status_code == 400
    hidden = api_for(agency_manager).post(f"{base}{report.pk}/hide/", {"reason": "Advertising"}, format="json")
    assert hidden.status_code == 200 and hidden.json()["resolution"] == "hidden"
    assert Proposal.objects.get(pk=proposal.pk).is_hidden
    second = report_create(reporter=UserFactory(), target=ProposalFactory(contest=proposal.contest), reason="Odd")
    dismissed = api_for(agency_manager).post(f"{base}{second.pk}/dismiss/", format="json")
    assert dismissed.json()["resolution"] == "dismissed"
    assert ModerationReport.objects.filter(resolution="open").count() == 0


def test_manager_hides_and_restores_comments_and_edits_the_blocklist(agency, agency_manager, proposal, citizen):
    comment = comment_post(author=citizen, target=proposal, text="Rude words")
    url = f"/api/v1/comments/{comment.pk}/"
    assert api_for(citizen).post(f"{url}hide/", {"reason": "Rude"}, format="json").status_code == 403
    assert api_for(agency_manager).post(f"{url}hide/", {"reason": "Rude"}, format="json").status_code == 204
    thread = APIClient().get(f"/api/v1/proposals/{proposal.pk}/comments/").json()
    assert thread["results"][0]["status"] == "hidden"
    assert api_for(agency_manager).post(f"{url}restore/", format="json").status_code == 204
    assert APIClient().get(f"/api/v1/proposals/{proposal.pk}/comments/").json()["results"][0]["status"] == "visible"

    blocklist = f"/api/v1/agencies/{agency.slug}/moderation/blocklist/"
    assert api_for(citizen).put(blocklist, {"terms": "x"}, format="json").status_code == 403
    saved = api_for(agency_manager).put(blocklist, {"terms": " casino \n\n pills.example "}, format="json")
    assert saved.json() == {"terms": "casino\npills.example"}
    held = comment_post(author=citizen, target=proposal, text="Visit the casino")
    listing = api_for(agency_manager).get(f"/api/v1/agencies/{agency.slug}/moderation/comments/").json()
    assert [item["id"] for item in listing] == [held.pk]


def test_agency_admin_edits_the_profile_and_removes_members(agency, agency_admin, agency_manager):
    url = f"/api/v1/agencies/{agency.slug}/"
    assert api_for(agency_manager).patch(url, {"name": "Renamed"}, format="json").status_code == 403
    response = api_for(agency_admin).patch(url, {"description": "Rivers and parks."}, format="json")
    assert response.status_code == 200 and response.json()["description"] == "Rivers and parks."
    assert api_for(agency_admin).patch(url, {"website": "not a url"}, format="json").status_code == 400
    membership = AgencyMembership.objects.get(user=agency_manager, agency=agency)
    remove = f"/api/v1/agencies/{agency.slug}/members/{membership.pk}/"
    assert api_for(agency_manager).delete(remove).status_code == 403
    assert api_for(agency_admin).delete(remove).status_code == 204
    assert api_for(agency_admin).delete(remove).status_code == 404
    own = AgencyMembership.objects.get(user=agency_admin, agency=agency)
    last_admin = api_for(agency_admin).delete(f"/api/v1/agencies/{agency.slug}/members/{own.pk}/")
    assert last_admin.status_code == 400
