"""Moderation: reports by verified citizens, the agency's queue, hide (with a public reason) and dismiss."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from moderation.models import ModerationReport
from moderation.selectors import moderation_queue
from moderation.services import report_create, report_dismiss, report_hide_content
from moderation.targets import moderation_targets
from notifications.models import Notification
from proposals.models import Proposal
from tests.factories import ContestFactory, MembershipFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderated_contest(agency):
    return ContestFactory(agency=agency, slug="river-ideas", title="River ideas")


@pytest.fixture
def proposal(moderated_contest, citizen):
    return ProposalFactory(contest=moderated_contest, author=citizen, title="Buy my pills")


@pytest.fixture
def reporter(db):
    return UserFactory(display_name="Rita Reporter")


def report_url(proposal):
    return reverse("proposals:report", kwargs={"contest_slug": proposal.contest.slug, "pk": proposal.pk})


def queue_url(agency):
    return reverse("moderation:queue", kwargs={"slug": agency.slug})


def hide_url(agency, report):
    return reverse("moderation:report_hide", kwargs={"slug": agency.slug, "report_id": report.pk})


def dismiss_url(agency, report):
    return reverse("moderation:report_dismiss", kwargs={"slug": agency.slug, "report_id": report.pk})


# --- services -------------------------------------------------------------------------------


def test_report_is_filed_against_the_proposals_contest(proposal, reporter):
    report = report_create(reporter=reporter, target=proposal, reason="  Spam.  ")
    assert report.content_object == proposal
    assert report.contest == proposal.contest
    assert report.reason == "Spam."
    assert report.resolution == "open"


def test_report_without_reason_is_refused(proposal, reporter):
    with pytest.raises(ValidationError) as error:
        report_create(reporter=reporter, target=proposal, reason="   ")
    assert "reason" in error.value.message_dict
    assert not ModerationReport.objects.exists()


def test_over_long_reason_is_refused(proposal, reporter):
    with pytest.raises(ValidationError):
        report_create(reporter=reporter, target=proposal, reason="x" * 1001)
    assert not ModerationReport.objects.exists()


def test_second_open_report_by_the_same_person_is_refused(proposal, reporter):
    report_create(reporter=reporter, target=proposal, reason="Spam.")
    with pytest.raises(ValidationError, match="already reported"):
        report_create(reporter=reporter, target=proposal, reason="Spam again.")
    assert ModerationReport.objects.count() == 1


def test_after_dismissal_the_same_person_may_report_again(proposal, reporter, agency_manager):
    report = report_create(reporter=reporter, target=proposal, reason="Spam.")
    report_dismiss(report=report, moderator=agency_manager)
    report_create(reporter=reporter, target=proposal, reason="Really spam.")
    assert ModerationReport.objects.count() == 2


def test_hide_hides_content_closes_every_open_report_and_notifies_authors(
    proposal, reporter, agency_manager, django_capture_on_commit_callbacks
):
    first = report_create(reporter=reporter, target=proposal, reason="Spam.")
    second = report_create(reporter=UserFactory(), target=proposal, reason="Advertising.")
    with django_capture_on_commit_callbacks(execute=True):
        report_hide_content(report=first, moderator=agency_manager, reason="Advertising is not allowed")
    proposal.refresh_from_db()
    assert proposal.is_hidden and proposal.hidden_reason == "Advertising is not allowed"
    for report in (first, second):
        report.refresh_from_db()
        assert report.resolution == "hidden"
        assert report.resolved_by == agency_manager
        assert report.resolution_reason == "Advertising is not allowed"
    notification = Notification.objects.get(kind="proposal_hidden")
    assert notification.recipient == proposal.author
    assert notification.data["reason"] == "Advertising is not allowed"
    assert [message.to for message in mail.outbox] == [[proposal.author.email]]
    assert reporter.email not in mail.outbox[0].body


def test_hide_without_reason_changes_nothing(proposal, reporter, agency_manager):
    report = report_create(reporter=reporter, target=proposal, reason="Spam.")
    with pytest.raises(ValidationError):
        report_hide_content(report=report, moderator=agency_manager, reason=" ")
    proposal.refresh_from_db()
    report.refresh_from_db()
    assert not proposal.is_hidden and report.resolution == "open"


def test_a_report_is_handled_only_once(proposal, reporter, agency_manager):
    report = report_create(reporter=reporter, target=proposal, reason="Spam.")
    report_dismiss(report=report, moderator=agency_manager)
    with pytest.raises(ValidationError, match="already handled"):
        report_hide_content(report=report, moderator=agency_manager, reason="Late.")
    proposal.refresh_from_db()
    assert not proposal.is_hidden


def test_hidden_proposal_cannot_be_reported_again(proposal, reporter, agency_manager):
    report = report_create(reporter=reporter, target=proposal, reason="Spam.")
    report_hide_content(report=report, moderator=agency_manager, reason="Spam")
    with pytest.raises(ValidationError, match="no longer be reported"):
        report_create(reporter=UserFactory(), target=proposal, reason="Spam.")


def test_queue_holds_only_open_reports_of_the_agencys_contests(proposal, reporter, other_agency):
    mine = report_create(reporter=reporter, target=proposal, reason="Spam.")
    elsewhere = ProposalFactory(contest=ContestFactory(agency=other_agency))
    report_create(reporter=reporter, target=elsewhere, reason="Spam.")
    assert list(moderation_queue(agency=proposal.contest.agency)) == [mine]


def test_moderation_is_generic_over_registered_models():
    assert Proposal in moderation_targets
    assert XtdComment in moderation_targets


# --- permissions ----------------------------------------------------------------------------------


def test_only_verified_users_may_report_and_only_public_proposals(proposal, unverified_user, reporter):
    assert reporter.has_perm("proposals.report_proposal", proposal)
    assert not unverified_user.has_perm("proposals.report_proposal", proposal)
    draft = ProposalFactory(contest=proposal.contest, status="draft", submitted_at=None)
    assert not reporter.has_perm("proposals.report_proposal", draft)


# --- pages -----------------------------------------------------------------------------------------


def test_verified_citizen_reports_from_the_page(client, proposal, reporter):
    client.force_login(reporter)
    assert client.get(report_url(proposal)).status_code == 200
    response = client.post(report_url(proposal), {"reason": "Looks like spam."})
    assert response.status_code == 302
    assert ModerationReport.objects.get().reporter == reporter


def test_report_page_without_reason_is_400_with_message(client, proposal, reporter):
    client.force_login(reporter)
    response = client.post(report_url(proposal), {"reason": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not ModerationReport.objects.exists()


def test_duplicate_report_on_the_page_is_400_with_message(client, proposal, reporter):
    client.force_login(reporter)
    client.post(report_url(proposal), {"reason": "Spam."})
    response = client.post(report_url(proposal), {"reason": "Spam!"})
    assert response.status_code == 400
    assert "You have already reported this" in response.content.decode()
    assert ModerationReport.objects.count() == 1


def test_unverified_user_cannot_report_and_anonymous_is_sent_to_sign_in(client, proposal, unverified_user):
    response = client.post(report_url(proposal), {"reason": "Spam."})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    client.force_login(unverified_user)
    assert client.post(report_url(proposal), {"reason": "Spam."}).status_code == 403
    assert not ModerationReport.objects.exists()


def test_manager_sees_the_queue_and_hides_with_a_public_reason(client, proposal, reporter, agency, agency_manager):
    report = report_create(reporter=reporter, target=proposal, reason="Selling pills.")
    client.force_login(agency_manager)
    page = client.get(queue_url(agency))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Selling pills." in html and "Buy my pills" in html and "Rita Reporter" in html
    assert reporter.email not in html

    response = client.post(hide_url(agency, report), {"reason": "Advertising"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.is_hidden
    assert "Advertising" in client.get(queue_url(agency)).content.decode()  # in the audit trail


def test_manager_dismisses_a_report(client, proposal, reporter, agency, agency_manager):
    report = report_create(reporter=reporter, target=proposal, reason="I dislike it.")
    client.force_login(agency_manager)
    assert client.post(dismiss_url(agency, report)).status_code == 302
    report.refresh_from_db()
    proposal.refresh_from_db()
    assert report.resolution == "dismissed" and not proposal.is_hidden


def test_hide_without_reason_on_the_page_is_400(client, proposal, reporter, agency, agency_manager):
    report = report_create(reporter=reporter, target=proposal, reason="Spam.")
    client.force_login(agency_manager)
    response = client.post(hide_url(agency, report), {"reason": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    proposal.refresh_from_db()
    assert not proposal.is_hidden


def test_manager_of_another_agency_cannot_see_the_queue_or_moderate(client, proposal, reporter, agency, other_agency):
    report = report_create(reporter=reporter, target=proposal, reason="Spam.")
    outsider = MembershipFactory(agency=other_agency).user
    client.force_login(outsider)
    assert client.get(queue_url(agency)).status_code == 403
    assert client.post(hide_url(agency, report), {"reason": "Spam"}).status_code == 403
    assert client.post(dismiss_url(agency, report)).status_code == 403
    # Through their own agency's URL the report is simply not there.
    assert client.post(hide_url(other_agency, report), {"reason": "Spam"}).status_code == 404
    report.refresh_from_db()
    proposal.refresh_from_db()
    assert report.resolution == "open" and not proposal.is_hidden


def test_citizen_cannot_see_the_queue(client, agency, citizen):
    client.force_login(citizen)
    assert client.get(queue_url(agency)).status_code == 403


def test_queue_page_runs_a_fixed_number_of_queries(
    client, moderated_contest, agency, agency_manager, django_assert_max_num_queries
):
    for index in range(12):
        report_create(
            reporter=UserFactory(),
            target=ProposalFactory(contest=moderated_contest, title=f"Spam {index}"),
            reason="Spam.",
        )
    client.force_login(agency_manager)
    with django_assert_max_num_queries(14):
        response = client.get(queue_url(agency))
    assert response.content.decode().count('class="card moderation-report"') == 12


# --- hidden content on public pages and in the API -------------------------------------------------------


def test_hidden_proposal_leaves_public_lists_and_api_but_managers_still_see_it(
    client, proposal, reporter, agency_manager
):
    report = report_create(reporter=reporter, target=proposal, reason="Spam.")
    report_hide_content(report=report, moderator=agency_manager, reason="Advertising")
    assert not Proposal.objects.public().filter(pk=proposal.pk).exists()
    listing = client.get(reverse("proposals:list", kwargs={"contest_slug": proposal.contest.slug}))
    assert "Buy my pills" not in listing.content.decode()
    api = client.get(f"/api/v1/proposals/{proposal.pk}/")
    assert api.status_code == 404
    client.force_login(agency_manager)
    page = client.get(proposal.get_absolute_url())
    assert page.status_code == 200
    assert "Buy my pills" in page.content.decode()


def test_public_sees_the_moderators_reason_instead_of_the_hidden_content(client, proposal, reporter, agency_manager):
    report = report_create(reporter=reporter, target=proposal, reason="Spam.")
    report_hide_content(report=report, moderator=agency_manager, reason="Advertising for pills")
    client.force_login(reporter)
    response = client.get(proposal.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hidden by moderators: Advertising for pills" in html
    assert "Buy my pills" not in html
    assert proposal.body.split("\n")[0] not in html


def test_verified_citizen_sees_a_report_link_on_the_proposal_page_and_managers_a_merge_link(
    client, proposal, reporter, agency_manager
):
    client.force_login(reporter)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert report_url(proposal) in html
    assert "Merge into another proposal" not in html
    client.force_login(agency_manager)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Merge into another proposal" in html
    assert "Answer officially" in html
