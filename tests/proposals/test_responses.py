"""Official answers: transitions, permissions, notifications and emails, web page and API, and the full flow."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.models import Notification
from proposals.models import Proposal, ProposalStatusChange
from proposals.responses import proposal_next_statuses, proposal_respond
from proposals.rules import ALLOWED_TRANSITIONS
from tests.factories import (
    TEST_PASSWORD,
    ContestFactory,
    MembershipFactory,
    ProposalCoAuthorFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer_contest(agency):
    return ContestFactory(agency=agency, slug="river-ideas", title="River ideas")


@pytest.fixture
def proposal(answer_contest, citizen):
    return ProposalFactory(contest=answer_contest, author=citizen, title="Plant willows")


@pytest.fixture
def coauthor(proposal):
    return ProposalCoAuthorFactory(proposal=proposal, user__display_name="Cora Coauthor").user


def respond_url(proposal):
    return reverse("proposals:respond", kwargs={"contest_slug": proposal.contest.slug, "pk": proposal.pk})


def api_url(proposal):
    return reverse("api:proposal_response", kwargs={"pk": proposal.pk})


# --- the service -------------------------------------------------------------------------


def test_answer_sets_status_records_change_and_notifies_author_and_coauthor(
    proposal, coauthor, agency_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = proposal_respond(proposal=proposal, responder=agency_manager, status="under_review", text="We look.")

    proposal.refresh_from_db()
    assert proposal.status == "under_review"
    assert change.agency == proposal.contest.agency
    assert change.responded_by == agency_manager
    recipients = set(
        Notification.objects.filter(kind="proposal_status").values_list("recipient__display_name", flat=True)
    )
    assert recipients == {"Ada Citizen", "Cora Coauthor"}
    assert sorted(message.to[0] for message in mail.outbox) == sorted([proposal.author.email, coauthor.email])
    for message in mail.outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        other = coauthor.email if message.to[0] == proposal.author.email else proposal.author.email
        assert other not in message.body
        assert agency_manager.email not in message.body
        assert "Under review" in message.body


def test_email_is_sent_only_after_commit(proposal, agency_manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        proposal_respond(proposal=proposal, responder=agency_manager, status="under_review", text="We look.")
    assert mail.outbox == []
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("current", "new"),
    [
        ("submitted", "winner"),
        ("submitted", "implemented"),
        ("under_review", "submitted"),
        ("shortlisted", "under_review"),
        ("declined", "shortlisted"),
        ("implemented", "adopted"),
        ("adopted", "winner"),
    ],
)
def test_disallowed_transition_is_refused_and_nothing_changes(proposal, agency_manager, current, new):
    Proposal.objects.filter(pk=proposal.pk).update(status=current)
    proposal.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        proposal_respond(proposal=proposal, responder=agency_manager, status=new, text="No.")
    assert "cannot become" in str(error.value.message_dict["status"])
    proposal.refresh_from_db()
    assert proposal.status == current
    assert not ProposalStatusChange.objects.exists()
    assert not Notification.objects.exists()


def test_the_documented_path_is_allowed_step_by_step(proposal, agency_manager):
    for status in ["under_review", "shortlisted", "winner", "implemented"]:
        proposal_respond(proposal=proposal, responder=agency_manager, status=status, text=f"Now {status}.")
    proposal.refresh_from_db()
    assert proposal.status == "implemented"
    assert list(proposal.status_changes.values_list("status", flat=True)) == [
        "implemented",
        "winner",
        "shortlisted",
        "under_review",
    ]


def test_a_further_answer_may_keep_the_status(proposal, agency_manager):
    proposal_respond(proposal=proposal, responder=agency_manager, status="under_review", text="First.")
    proposal_respond(proposal=proposal, responder=agency_manager, status="under_review", text="Still looking.")
    assert proposal.status_changes.count() == 2


def test_every_official_status_has_a_transition_entry():
    assert set(ALLOWED_TRANSITIONS) == set(Proposal.OFFICIAL_STATUSES)
    for targets in ALLOWED_TRANSITIONS.values():
        assert targets <= set(Proposal.OFFICIAL_STATUSES)


def test_next_statuses_offered_are_current_and_allowed(proposal):
    assert proposal_next_statuses(proposal=proposal) == ["submitted", "under_review", "shortlisted", "declined"]


@pytest.mark.parametrize("status", ["withdrawn", "draft", "bogus", ""])
def test_unknown_or_author_only_status_is_refused(proposal, agency_manager, status):
    with pytest.raises(ValidationError) as error:
        proposal_respond(proposal=proposal, responder=agency_manager, status=status, text="x")
    assert "status" in error.value.message_dict
    assert not ProposalStatusChange.objects.exists()


@pytest.mark.parametrize(("text", "message"), [("   ", "Write the public text"), ("x" * 10001, "at most 10000")])
def test_empty_or_over_long_text_is_refused(proposal, agency_manager, text, message):
    with pytest.raises(ValidationError) as error:
        proposal_respond(proposal=proposal, responder=agency_manager, status="under_review", text=text)
    assert message in str(error.value.message_dict["text"])
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


# --- permissions --------------------------------------------------------------------------


def test_only_managers_of_the_contests_agency_may_answer(proposal, agency_manager, agency_admin, other_agency, citizen):
    other_manager = MembershipFactory(agency=other_agency).user
    assert agency_manager.has_perm("proposals.respond_proposal", proposal)
    assert agency_admin.has_perm("proposals.respond_proposal", proposal)
    assert not other_manager.has_perm("proposals.respond_proposal", proposal)
    assert not citizen.has_perm("proposals.respond_proposal", proposal)


def test_drafts_cannot_be_answered(answer_contest, agency_manager):
    draft = ProposalFactory(contest=answer_contest, status="draft", submitted_at=None)
    assert not agency_manager.has_perm("proposals.respond_proposal", draft)


# --- the web page ---------------------------------------------------------------------------


def test_manager_answers_on_the_page_and_the_answer_shows_on_the_proposal(client, proposal, agency_manager):
    client.force_login(agency_manager)
    page = client.get(respond_url(proposal))
    assert page.status_code == 200
    assert "Publish answer" in page.content.decode()

    response = client.post(
        respond_url(proposal), {"status": "under_review", "text": "We are **studying** it.<script>x</script>"}
    )
    assert response.status_code == 302
    detail = client.get(proposal.get_absolute_url())
    html = detail.content.decode()
    assert "<strong>studying</strong>" in html
    assert "<script>x" not in html
    assert "answered by City Water" in html


def test_manager_of_another_agency_gets_403_and_nothing_changes(client, proposal, other_agency):
    client.force_login(MembershipFactory(agency=other_agency).user)
    response = client.post(respond_url(proposal), {"status": "declined", "text": "No."})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    assert not ProposalStatusChange.objects.exists()


def test_disallowed_transition_on_the_page_is_a_400_with_the_reason(client, proposal, agency_manager):
    client.force_login(agency_manager)
    response = client.post(respond_url(proposal), {"status": "implemented", "text": "Done."})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ProposalStatusChange.objects.exists()


def test_empty_text_on_the_page_is_a_400(client, proposal, agency_manager):
    client.force_login(agency_manager)
    response = client.post(respond_url(proposal), {"status": "under_review", "text": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not ProposalStatusChange.objects.exists()


def test_answers_are_listed_newest_first_with_date_and_agency(client, proposal, agency_manager):
    proposal_respond(proposal=proposal, responder=agency_manager, status="under_review", text="First answer.")
    proposal_respond(proposal=proposal, responder=agency_manager, status="shortlisted", text="Second answer.")
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert html.index("Second answer.") < html.index("First answer.")
    assert "City Water" in html


# --- the API ----------------------------------------------------------------------------------


def test_api_answer_by_manager_is_201(client, proposal, agency_manager):
    client.force_login(agency_manager)
    response = client.post(
        api_url(proposal), {"status": "shortlisted", "text": "Good *idea*."}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "shortlisted"
    assert body["agency"] == {"slug": "city-water", "name": "City Water"}
    assert "<em>idea</em>" in body["text_html"]
    assert "email" not in str(body)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "nonsense", "text": "x"}, "status"),
        ({"status": "winner", "text": "x"}, "status"),
        ({"status": "under_review", "text": ""}, "text"),
        ({"status": "under_review", "text": "x" * 10001}, "text"),
        ({"text": "x"}, "status"),
    ],
)
def test_api_bad_input_is_a_400_and_nothing_changes(client, proposal, agency_manager, payload, field):
    client.force_login(agency_manager)
    response = client.post(api_url(proposal), payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    assert not ProposalStatusChange.objects.exists()


def test_api_manager_of_another_agency_is_403(client, proposal, other_agency):
    client.force_login(MembershipFactory(agency=other_agency).user)
    response = client.post(api_url(proposal), {"status": "declined", "text": "No."}, content_type="application/json")
    assert response.status_code == 403
    assert "detail" in response.json()
    assert not ProposalStatusChange.objects.exists()


def test_api_anonymous_is_401_and_unknown_proposal_404(client, proposal, agency_manager):
    assert client.post(api_url(proposal), {"status": "declined", "text": "No."}).status_code == 401
    client.force_login(agency_manager)
    response = client.post(
        reverse("api:proposal_response", kwargs={"pk": 999999}),
        {"status": "declined", "text": "No."},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_api_token_authentication_works(client, proposal, agency_manager):
    token = client.post(reverse("api:auth_token"), {"email": agency_manager.email, "password": TEST_PASSWORD}).json()[
        "token"
    ]
    response = client.post(
        api_url(proposal),
        {"status": "under_review", "text": "On it."},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 201


# --- the full flow --------------------------------------------------------------------------


def test_full_flow_shortlisted_answer_reaches_the_author_in_app_and_by_email(
    client, proposal, agency_manager, citizen, django_capture_on_commit_callbacks
):
    client.force_login(agency_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(respond_url(proposal), {"status": "shortlisted", "text": "You made the shortlist."})
    assert response.status_code == 302

    client.force_login(citizen)
    page = client.get(reverse("notifications:list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "City Water answered your proposal “Plant willows”: Shortlisted." in html
    assert proposal.get_absolute_url() in html

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [citizen.email]
    assert "Shortlisted" in message.body
    assert proposal.get_absolute_url() in message.body
    assert agency_manager.email not in message.body


def test_answers_on_the_proposal_page_cost_the_same_queries_however_many(
    client, proposal, agency_manager, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    proposal_respond(proposal=proposal, responder=agency_manager, status="under_review", text="One.")
    with CaptureQueriesContext(connection) as one_answer:
        client.get(proposal.get_absolute_url())
    for index in range(10):
        proposal_respond(proposal=proposal, responder=agency_manager, status="under_review", text=f"More {index}.")
    with django_assert_max_num_queries(len(one_answer)):
        response = client.get(proposal.get_absolute_url())
    assert response.content.decode().count('class="official-answer"') == 11
