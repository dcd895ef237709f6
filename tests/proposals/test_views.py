import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from proposals.models import CoAuthorInvitation, Proposal, ProposalAttachment, ProposalCoAuthor, ProposalRevision
from tests.factories import CategoryFactory, ContestFactory, ProposalCoAuthorFactory, ProposalFactory, UserFactory
from tests.proposals.conftest import image_upload, pdf_upload, proposal_data

pytestmark = pytest.mark.django_db


def create_url(contest):
    return reverse("proposals:create", kwargs={"contest_slug": contest.slug})


def detail_url(proposal):
    return reverse("proposals:detail", kwargs={"contest_slug": proposal.contest.slug, "pk": proposal.pk})


def edit_url(proposal):
    return reverse("proposals:edit", kwargs={"contest_slug": proposal.contest.slug, "pk": proposal.pk})


# --- Submitting ---------------------------------------------------------------------------------


def test_a_verified_citizen_submits_a_proposal_with_attachments(client, citizen, contest, category):
    client.force_login(citizen)
    data = proposal_data(category=category.pk, attachments=[image_upload(), pdf_upload()], submit="")

    response = client.post(create_url(contest), data)

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(proposal)
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.category == category
    assert proposal.attachments.count() == 2
    page = client.get(detail_url(proposal))
    assert "Your proposal was submitted." in page.content.decode()


def test_save_as_draft_keeps_the_proposal_private(client, citizen, contest):
    client.force_login(citizen)
    client.post(create_url(contest), proposal_data(save_draft=""))
    proposal = Proposal.objects.get()
    assert proposal.status == Proposal.Status.DRAFT

    assert client.get(detail_url(proposal)).status_code == 200
    client.force_login(UserFactory())
    assert client.get(detail_url(proposal)).status_code == 404
    client.logout()
    assert client.get(detail_url(proposal)).status_code == 404
    list_page = client.get(reverse("proposals:list", kwargs={"contest_slug": contest.slug}))
    assert "Plant willows" not in list_page.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, contest):
    response = client.get(create_url(contest))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_unverified_users_cannot_submit(client, unverified_user, contest):
    client.force_login(unverified_user)
    response = client.post(create_url(contest), proposal_data())
    assert response.status_code == 403
    assert "Verify your email address" in response.content.decode()
    assert not Proposal.objects.exists()


def test_submitting_outside_the_phase_is_forbidden(client, citizen, agency):
    contest = ContestFactory(agency=agency, voting=True)
    client.force_login(citizen)
    response = client.post(create_url(contest), proposal_data())
    assert response.status_code == 403
    assert "Submission is closed" in response.content.decode()
    assert not Proposal.objects.exists()


def test_exceeding_the_per_citizen_limit_shows_a_message(client, citizen, contest):
    ProposalFactory.create_batch(2, contest=contest, author=citizen)
    client.force_login(citizen)
    response = client.post(create_url(contest), proposal_data())
    assert response.status_code == 400
    assert "You have already submitted 2 proposals to this contest" in response.content.decode()
    assert Proposal.objects.count() == 2


@pytest.mark.parametrize("which", ["unknown", "other_contest"])
def test_a_category_outside_the_contest_is_refused(client, citizen, contest, which):
    category_id = 999_999 if which == "unknown" else CategoryFactory(contest=ContestFactory()).pk
    client.force_login(citizen)
    response = client.post(create_url(contest), proposal_data(category=category_id))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "x" * 151, "at most 150 characters"),
        ("summary", "x" * 501, "at most 500 characters"),
        ("body", "x" * 20001, "at most 20000 characters"),
        ("body", "[win](javascript:alert(document.cookie))", "Links must start with http://, https:// or mailto:"),
        ("summary", "One.\n\nTwo.", "single paragraph"),
        ("title", "Clean\r\nBcc: x", "cannot contain line breaks, tabs or other control characters"),
    ],
)
def test_bad_text_is_refused_with_a_message(client, citizen, contest, field, value, message):
    client.force_login(citizen)
    response = client.post(create_url(contest), proposal_data(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("cat.jpg", b"I am text, not a JPEG", content_type="image/jpeg"),
            "not a valid image",
        ),
        (
            lambda: SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
            "not a valid PDF",
        ),
    ],
)
def test_fake_files_are_refused_with_a_message(client, citizen, contest, upload, message):
    client.force_login(citizen)
    response = client.post(create_url(contest), proposal_data(attachments=[upload()]))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Proposal.objects.exists()
    assert not ProposalAttachment.objects.exists()


def test_an_oversize_image_is_refused(client, citizen, contest, settings):
    settings.PROPOSAL_ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * 4096, content_type="image/jpeg")
    client.force_login(citizen)
    response = client.post(create_url(contest), proposal_data(attachments=[big]))
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not Proposal.objects.exists()


def test_too_many_attachments_are_refused(client, citizen, contest, settings):
    settings.PROPOSAL_ATTACHMENT_MAX_COUNT = 5
    client.force_login(citizen)
    response = client.post(create_url(contest), proposal_data(attachments=[pdf_upload() for _ in range(6)]))
    assert response.status_code == 400
    assert "at most 5 attachments" in response.content.decode()
    assert not Proposal.objects.exists()


def test_script_tags_are_shown_as_text_not_run(client, citizen, contest):
    client.force_login(citizen)
    client.post(
        create_url(contest),
        proposal_data(
            title="<script>alert('t')</script>",
            summary="<img src=x onerror=alert(1)>",
            body="Hello <script>alert('b')</script> <a href=\"javascript:alert(1)\">x</a>",
        ),
    )
    proposal = Proposal.objects.get()
    html = client.get(detail_url(proposal)).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert '<a href="javascript:' not in html  # raw HTML is shown as text


# --- Viewing ---------------------------------------------------------------------------------------


def test_the_proposal_page_shows_names_never_emails(client, contest):
    author = UserFactory(display_name="Ada Author", email="ada-secret@example.org")
    coauthor = UserFactory(display_name="Cy Coauthor", email="cy-secret@example.org")
    proposal = ProposalFactory(contest=contest, author=author)
    ProposalCoAuthorFactory(proposal=proposal, user=coauthor)

    html = client.get(detail_url(proposal)).content.decode()

    assert "Ada Author" in html and "Cy Coauthor" in html
    assert "secret@example.org" not in html
    for section in ('id="official-response"', 'id="proposal-voting"', 'id="comments"'):
        assert section in html


def test_a_proposal_is_not_found_under_another_contest(client, contest):
    proposal = ProposalFactory(contest=contest)
    url = reverse("proposals:detail", kwargs={"contest_slug": ContestFactory().slug, "pk": proposal.pk})
    assert client.get(url).status_code == 404


def test_revisions_are_shown_to_agency_managers_only(client, citizen, contest, agency_manager):
    client.force_login(citizen)
    client.post(create_url(contest), proposal_data())
    proposal = Proposal.objects.get()
    client.post(edit_url(proposal), proposal_data(title="Plant alders"))

    public = client.get(detail_url(proposal)).content.decode()
    assert 'id="revisions"' not in public
    client.force_login(agency_manager)
    page = client.get(detail_url(proposal)).content.decode()
    assert 'id="revisions"' in page
    assert "Plant willows" in page and "Plant alders" in page


# --- Editing and withdrawing ----------------------------------------------------------------------


def test_editing_someone_elses_proposal_is_forbidden(client, contest):
    proposal = ProposalFactory(contest=contest, title="Original")
    client.force_login(UserFactory())
    assert client.get(edit_url(proposal)).status_code == 403
    response = client.post(edit_url(proposal), proposal_data(title="Hijacked"))
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.title == "Original"
    assert not ProposalRevision.objects.exists()


def test_the_author_edits_and_a_revision_is_recorded(client, citizen, contest):
    proposal = ProposalFactory(contest=contest, author=citizen)
    client.force_login(citizen)
    response = client.post(edit_url(proposal), proposal_data(title="Better title"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Better title"
    assert ProposalRevision.objects.filter(proposal=proposal, editor=citizen, title="Better title").exists()


def test_editing_after_submission_closes_is_forbidden(client, citizen, agency):
    proposal = ProposalFactory(contest=ContestFactory(agency=agency, voting=True), author=citizen, title="Final")
    client.force_login(citizen)
    assert client.post(edit_url(proposal), proposal_data(title="Late")).status_code == 403
    proposal.refresh_from_db()
    assert proposal.title == "Final"


def test_a_draft_is_submitted_from_the_edit_page(client, citizen, contest):
    proposal = ProposalFactory(contest=contest, author=citizen, status="draft", submitted_at=None)
    client.force_login(citizen)
    client.post(edit_url(proposal), proposal_data(submit=""))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_the_author_withdraws_and_the_proposal_leaves_the_list(client, citizen, contest):
    proposal = ProposalFactory(contest=contest, author=citizen, title="Soon gone")
    client.force_login(citizen)
    url = reverse("proposals:withdraw", kwargs={"contest_slug": contest.slug, "pk": proposal.pk})
    response = client.post(url)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    client.logout()
    assert client.get(detail_url(proposal)).status_code == 404
    assert (
        "Soon gone" not in client.get(reverse("proposals:list", kwargs={"contest_slug": contest.slug})).content.decode()
    )


def test_others_cannot_withdraw(client, contest):
    proposal = ProposalFactory(contest=contest)
    client.force_login(UserFactory())
    url = reverse("proposals:withdraw", kwargs={"contest_slug": contest.slug, "pk": proposal.pk})
    assert client.post(url).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


# --- Co-authors ----------------------------------------------------------------------------------


def test_a_coauthor_accepts_an_invitation_and_can_edit(
    client, citizen, contest, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(contest=contest, author=citizen)
    friend = UserFactory(email="friend@example.org", display_name="Fay Friend")
    client.force_login(citizen)
    invite_url = reverse("proposals:invite_coauthor", kwargs={"contest_slug": contest.slug, "pk": proposal.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(invite_url, {"email": "friend@example.org"}).status_code == 302
    invitation = CoAuthorInvitation.objects.get()
    assert len(mailoutbox) == 1
    accept_url = reverse("proposals:accept_invitation", kwargs={"token": invitation.token})
    assert accept_url in mailoutbox[0].body

    client.logout()
    assert reverse("account_login") in client.get(accept_url).url  # sign in first
    client.force_login(friend)
    assert client.get(accept_url).status_code == 200
    response = client.post(accept_url)
    assert response.status_code == 302
    assert ProposalCoAuthor.objects.filter(proposal=proposal, user=friend).exists()

    response = client.post(edit_url(proposal), proposal_data(title="Edited together"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Edited together"
    assert ProposalRevision.objects.filter(proposal=proposal, editor=friend).exists()
    assert "Fay Friend" in client.get(detail_url(proposal)).content.decode()


def test_an_unverified_user_cannot_accept_an_invitation(client, citizen, contest, unverified_user):
    proposal = ProposalFactory(contest=contest, author=citizen)
    invitation = CoAuthorInvitation.objects.create(proposal=proposal, email=unverified_user.email, invited_by=citizen)
    client.force_login(unverified_user)
    response = client.post(reverse("proposals:accept_invitation", kwargs={"token": invitation.token}))
    assert response.status_code == 403
    assert not ProposalCoAuthor.objects.exists()


def test_an_invitation_for_another_address_is_refused(client, citizen, contest):
    proposal = ProposalFactory(contest=contest, author=citizen)
    invitation = CoAuthorInvitation.objects.create(proposal=proposal, email="friend@example.org", invited_by=citizen)
    client.force_login(UserFactory())
    response = client.post(reverse("proposals:accept_invitation", kwargs={"token": invitation.token}))
    assert response.status_code == 400
    assert "sent to another email address" in response.content.decode()
    assert not ProposalCoAuthor.objects.exists()


def test_an_unknown_invitation_token_is_not_found(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("proposals:accept_invitation", kwargs={"token": "nope"})).status_code == 404


def test_only_the_author_invites(client, contest):
    proposal = ProposalFactory(contest=contest)
    client.force_login(UserFactory())
    url = reverse("proposals:invite_coauthor", kwargs={"contest_slug": contest.slug, "pk": proposal.pk})
    assert client.post(url, {"email": "x@example.org"}).status_code == 403
    assert not CoAuthorInvitation.objects.exists()


# --- Attachments ---------------------------------------------------------------------------------


def _attachment_url(proposal, attachment):
    return reverse(
        "proposals:attachment",
        kwargs={"contest_slug": proposal.contest.slug, "pk": proposal.pk, "attachment_id": attachment.pk},
    )


def test_an_image_with_gps_exif_is_served_back_without_exif(client, citizen, contest):
    original = image_upload(with_gps=True)
    with Image.open(io.BytesIO(original.read())) as sent:
        assert sent.getexif().get_ifd(0x8825)  # the upload really carries GPS data
    original.seek(0)
    client.force_login(citizen)
    client.post(create_url(contest), proposal_data(attachments=[original]))
    proposal = Proposal.objects.get()
    attachment = proposal.attachments.get()

    client.logout()
    response = client.get(_attachment_url(proposal, attachment))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    served = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(served)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"SpyCam" not in served


def test_a_pdf_is_served_as_a_download(client, citizen, contest):
    client.force_login(citizen)
    client.post(create_url(contest), proposal_data(attachments=[pdf_upload("plan.pdf")]))
    proposal = Proposal.objects.get()
    response = client.get(_attachment_url(proposal, proposal.attachments.get()))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("state", ["draft", "hidden", "withdrawn"])
def test_files_of_non_public_proposals_are_not_served_to_others(client, citizen, contest, state):
    client.force_login(citizen)
    client.post(create_url(contest), proposal_data(attachments=[pdf_upload()]))
    proposal = Proposal.objects.get()
    if state == "hidden":
        Proposal.objects.filter(pk=proposal.pk).update(is_hidden=True)
    else:
        Proposal.objects.filter(pk=proposal.pk).update(status=state)
    url = _attachment_url(proposal, proposal.attachments.get())
    assert client.get(url).status_code == 200  # the author still sees it
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_an_attachment_of_another_proposal_is_not_found(client, citizen, contest):
    client.force_login(citizen)
    client.post(create_url(contest), proposal_data(attachments=[pdf_upload()]))
    attachment = ProposalAttachment.objects.get()
    other = ProposalFactory(contest=contest)
    assert client.get(_attachment_url(other, attachment)).status_code == 404


def test_the_proposal_page_query_count_does_not_grow_with_coauthors_attachments_or_revisions(
    client, citizen, contest, agency_manager
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(extra: int) -> int:
        proposal = ProposalFactory(contest=contest, author=citizen)
        for _ in range(extra):
            ProposalCoAuthorFactory(proposal=proposal)
            ProposalAttachment.objects.create(
                proposal=proposal,
                file="x.pdf",
                original_name="x.pdf",
                content_type="application/pdf",
                size=1,
                kind="pdf",
            )
            ProposalRevision.objects.create(proposal=proposal, editor=citizen, title="t", summary="s", body="b")
        client.get(detail_url(proposal))  # warm the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(detail_url(proposal)).status_code == 200
        return len(captured)

    client.force_login(agency_manager)  # sees the revisions too
    assert queries_for(1) == queries_for(8)


def test_attachment_help_text_follows_the_readers_language(client):
    from tests.factories import ContestFactory, UserFactory

    contest = ContestFactory()
    client.force_login(UserFactory())
    page = client.get(f"/contests/{contest.slug}/proposals/new/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Images (JPEG, PNG, WebP, GIF)" not in page
