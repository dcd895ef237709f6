import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from notifications.models import Notification
from proposals import services
from proposals.models import CoAuthorInvitation, Proposal, ProposalAttachment, ProposalCoAuthor, ProposalRevision
from tests.factories import CategoryFactory, ContestFactory, ProposalFactory, UserFactory
from tests.proposals.conftest import image_upload, pdf_upload, proposal_data

pytestmark = pytest.mark.django_db


def test_submitting_a_proposal_stores_it_with_a_first_revision(citizen, contest, category):
    proposal = services.proposal_create(author=citizen, contest=contest, category=category, **proposal_data())

    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.submitted_at is not None
    revision = ProposalRevision.objects.get(proposal=proposal)
    assert (revision.title, revision.editor) == ("Plant willows", citizen)


def test_a_draft_is_not_submitted(citizen, contest):
    proposal = services.proposal_create(author=citizen, contest=contest, submit=False, **proposal_data())

    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.submitted_at is None


def test_submitting_outside_the_submission_window_is_refused(citizen, agency):
    for contest in (ContestFactory(agency=agency, upcoming=True), ContestFactory(agency=agency, voting=True)):
        with pytest.raises(ValidationError, match="Submission is closed"):
            services.proposal_create(author=citizen, contest=contest, **proposal_data())
    assert not Proposal.objects.exists()


def test_a_category_of_another_contest_is_refused(citizen, contest):
    foreign = CategoryFactory(contest=ContestFactory())
    with pytest.raises(ValidationError) as error:
        services.proposal_create(author=citizen, contest=contest, category=foreign, **proposal_data())
    assert "category" in error.value.message_dict
    assert not Proposal.objects.exists()


def test_the_per_citizen_limit_counts_submitted_not_withdrawn_proposals(citizen, contest):
    # limit is 2 in this contest
    services.proposal_create(author=citizen, contest=contest, **proposal_data())
    withdrawn = services.proposal_create(author=citizen, contest=contest, **proposal_data())
    services.proposal_withdraw(proposal=withdrawn, user=citizen)
    services.proposal_create(author=citizen, contest=contest, submit=False, **proposal_data())  # drafts do not count
    services.proposal_create(author=citizen, contest=contest, **proposal_data())

    with pytest.raises(ValidationError, match="most allowed"):
        services.proposal_create(author=citizen, contest=contest, **proposal_data())
    assert Proposal.objects.filter(status=Proposal.Status.SUBMITTED).count() == 2


def test_submitting_a_draft_over_the_limit_is_refused(citizen, contest):
    draft = services.proposal_create(author=citizen, contest=contest, submit=False, **proposal_data())
    ProposalFactory.create_batch(2, contest=contest, author=citizen)

    with pytest.raises(ValidationError, match="most allowed"):
        services.proposal_update(proposal=draft, editor=citizen, category=None, submit=True, **proposal_data())
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT


def test_a_multi_paragraph_summary_is_refused(citizen, contest):
    with pytest.raises(ValidationError, match="single paragraph"):
        services.proposal_create(author=citizen, contest=contest, **proposal_data(summary="One.\n\nTwo."))


@pytest.mark.parametrize(
    "body",
    [
        "[click](javascript:alert(1))",
        "[click]( JavaScript:alert(1) )",
        "[click](java\tscript:alert(1))",
        "<javascript:alert(1)>",
        "[x]: javascript:alert(1)\n\n[click][x]",
        "[img](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_script_links_are_refused(citizen, contest, body):
    with pytest.raises(ValidationError, match="Links must start with"):
        services.proposal_create(author=citizen, contest=contest, **proposal_data(body=body))


def test_ordinary_links_are_accepted(citizen, contest):
    body = "See [the plan](https://example.org/plan), <mailto:me@example.org> and [home](/contests/)."
    proposal = services.proposal_create(author=citizen, contest=contest, **proposal_data(body=body))
    assert proposal.pk


def test_over_long_fields_are_refused(citizen, contest):
    for field, length in (("title", 151), ("summary", 501), ("body", 20001)):
        with pytest.raises(ValidationError) as error:
            services.proposal_create(author=citizen, contest=contest, **proposal_data(**{field: "x" * length}))
        assert field in error.value.message_dict
    assert not Proposal.objects.exists()


def test_every_edit_stores_a_revision(citizen, contest):
    proposal = services.proposal_create(author=citizen, contest=contest, **proposal_data())
    services.proposal_update(proposal=proposal, editor=citizen, category=None, **proposal_data(title="Plant alders"))
    services.proposal_update(proposal=proposal, editor=citizen, category=None, **proposal_data(title="Plant oaks"))

    titles = list(ProposalRevision.objects.filter(proposal=proposal).values_list("title", flat=True))
    assert titles == ["Plant oaks", "Plant alders", "Plant willows"]
    proposal.refresh_from_db()
    assert proposal.title == "Plant oaks"


def test_editing_after_submission_closes_is_refused(citizen, agency):
    contest = ContestFactory(agency=agency, voting=True)
    proposal = ProposalFactory(contest=contest, author=citizen)
    with pytest.raises(ValidationError, match="Submission is closed"):
        services.proposal_update(proposal=proposal, editor=citizen, category=None, **proposal_data(title="Late"))
    proposal.refresh_from_db()
    assert proposal.title != "Late"


def test_image_attachments_are_re_encoded_and_pdfs_kept(citizen, contest):
    proposal = services.proposal_create(
        author=citizen, contest=contest, attachments=[image_upload(with_gps=True), pdf_upload()], **proposal_data()
    )
    kinds = sorted(proposal.attachments.values_list("kind", "content_type"))
    assert kinds == [("image", "image/jpeg"), ("pdf", "application/pdf")]
    for attachment in proposal.attachments.all():
        assert "photo" not in attachment.file.name  # stored under a random name


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("photo.jpg", b"just some text", content_type="image/jpeg"), "not a valid image"),
        (
            lambda: SimpleUploadedFile("plan.pdf", b"<html>not a pdf</html>", content_type="application/pdf"),
            "not a valid PDF",
        ),
        (
            lambda: SimpleUploadedFile("plan.pdf", b"%PDF-1.4 truncated", content_type="application/pdf"),
            "not a valid PDF",
        ),
    ],
)
def test_fake_files_are_refused(citizen, contest, upload, message):
    with pytest.raises(ValidationError, match=message):
        services.proposal_create(author=citizen, contest=contest, attachments=[upload()], **proposal_data())
    assert not Proposal.objects.exists()
    assert not ProposalAttachment.objects.exists()


def test_oversize_attachments_are_refused(citizen, contest, settings):
    settings.PROPOSAL_ATTACHMENT_MAX_BYTES = 500
    with pytest.raises(ValidationError, match="too large"):
        services.proposal_create(
            author=citizen, contest=contest, attachments=[image_upload(size=(400, 400))], **proposal_data()
        )
    assert not Proposal.objects.exists()


def test_too_many_attachments_are_refused_on_create_and_edit(citizen, contest, settings):
    settings.PROPOSAL_ATTACHMENT_MAX_COUNT = 2
    with pytest.raises(ValidationError, match="at most 2 attachments"):
        services.proposal_create(
            author=citizen, contest=contest, attachments=[pdf_upload() for _ in range(3)], **proposal_data()
        )
    assert not Proposal.objects.exists()

    proposal = services.proposal_create(
        author=citizen, contest=contest, attachments=[pdf_upload(), pdf_upload()], **proposal_data()
    )
    with pytest.raises(ValidationError, match="at most 2 attachments"):
        services.proposal_update(
            proposal=proposal, editor=citizen, category=None, attachments=[pdf_upload()], **proposal_data()
        )
    assert proposal.attachments.count() == 2
    # Removing one makes room for another.
    services.proposal_update(
        proposal=proposal,
        editor=citizen,
        category=None,
        attachments=[image_upload()],
        remove_attachment_ids=[proposal.attachments.first().pk],
        **proposal_data(),
    )
    assert sorted(proposal.attachments.values_list("kind", flat=True)) == ["image", "pdf"]


def test_withdrawing_twice_is_refused(citizen, contest):
    proposal = ProposalFactory(contest=contest, author=citizen)
    services.proposal_withdraw(proposal=proposal, user=citizen)
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.proposal_withdraw(proposal=proposal, user=citizen)


def test_invitation_is_emailed_with_a_token_link_and_notifies_an_existing_account(
    citizen, contest, mailoutbox, django_capture_on_commit_callbacks
):
    friend = UserFactory(email="friend@example.org")
    proposal = ProposalFactory(contest=contest, author=citizen)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.coauthor_invite(
            proposal=proposal, inviter=citizen, email="Friend@Example.org", site_url="https://civitas.example"
        )

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["friend@example.org"]
    assert f"https://civitas.example/proposals/invitations/{invitation.token}/" in mailoutbox[0].body
    notification = Notification.objects.get(recipient=friend)
    assert notification.kind == "coauthor_invitation"


def test_inviting_yourself_is_refused(citizen, contest):
    proposal = ProposalFactory(contest=contest, author=citizen)
    with pytest.raises(ValidationError, match="already an author"):
        services.coauthor_invite(proposal=proposal, inviter=citizen, email=citizen.email, site_url="http://x")
    assert not CoAuthorInvitation.objects.exists()


def test_accepting_creates_the_coauthorship_and_tells_the_author(citizen, contest):
    friend = UserFactory(email="friend@example.org")
    proposal = ProposalFactory(contest=contest, author=citizen)
    invitation = services.coauthor_invite(proposal=proposal, inviter=citizen, email=friend.email, site_url="http://x")

    services.invitation_accept(token=invitation.token, user=friend)

    assert ProposalCoAuthor.objects.filter(proposal=proposal, user=friend).exists()
    assert Notification.objects.filter(recipient=citizen, kind="coauthor_accepted").exists()
    with pytest.raises(ValidationError, match="already accepted"):
        services.invitation_accept(token=invitation.token, user=friend)


def test_an_invitation_cannot_be_accepted_by_another_account(citizen, contest):
    proposal = ProposalFactory(contest=contest, author=citizen)
    invitation = services.coauthor_invite(
        proposal=proposal, inviter=citizen, email="friend@example.org", site_url="http://x"
    )
    stranger = UserFactory()
    with pytest.raises(ValidationError, match="another email address"):
        services.invitation_accept(token=invitation.token, user=stranger)
    assert not ProposalCoAuthor.objects.exists()


def test_drafts_are_capped_per_contest(citizen, contest):
    ProposalFactory.create_batch(
        services.MAX_DRAFTS_PER_CONTEST, contest=contest, author=citizen, status="draft", submitted_at=None
    )
    with pytest.raises(ValidationError, match="drafts in this contest"):
        services.proposal_create(author=citizen, contest=contest, submit=False, **proposal_data())
    # Submitting is still possible: drafts do not count towards the contest's limit.
    services.proposal_create(author=citizen, contest=contest, **proposal_data())


def test_invitations_are_capped_per_proposal_and_per_inviter_per_day(citizen, contest):
    proposal = ProposalFactory(contest=contest, author=citizen)
    for index in range(services.MAX_INVITATIONS_PER_PROPOSAL):
        services.coauthor_invite(proposal=proposal, inviter=citizen, email=f"p{index}@example.org", site_url="http://x")
    with pytest.raises(ValidationError, match="at most 10 invitations"):
        services.coauthor_invite(proposal=proposal, inviter=citizen, email="one-more@example.org", site_url="http://x")

    for index in range(services.MAX_INVITATIONS_PER_USER_PER_DAY - services.MAX_INVITATIONS_PER_PROPOSAL):
        other = ProposalFactory(contest=contest, author=citizen)
        services.coauthor_invite(proposal=other, inviter=citizen, email=f"q{index}@example.org", site_url="http://x")
    with pytest.raises(ValidationError, match="too many invitations today"):
        services.coauthor_invite(
            proposal=ProposalFactory(contest=contest, author=citizen),
            inviter=citizen,
            email="spam@example.org",
            site_url="http://x",
        )
    assert CoAuthorInvitation.objects.count() == services.MAX_INVITATIONS_PER_USER_PER_DAY


def test_the_author_is_emailed_when_a_coauthor_accepts(
    citizen, contest, mailoutbox, django_capture_on_commit_callbacks
):
    friend = UserFactory(email="friend@example.org", display_name="Fay Friend")
    proposal = ProposalFactory(contest=contest, author=citizen)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.coauthor_invite(
            proposal=proposal, inviter=citizen, email=friend.email, site_url="http://x"
        )
    assert [message.to for message in mailoutbox] == [[friend.email]]  # the invitation, not a second email
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_accept(token=invitation.token, user=friend)
    assert mailoutbox[-1].to == [citizen.email]
    assert "Fay Friend" in mailoutbox[-1].body
