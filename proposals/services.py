"""Writes for proposals, co-authors and attachments.

Callers have checked the matching `proposals.*` permission; these functions
re-check what must hold at write time (the submission window, the category,
the per-citizen limit, the attachment limits) inside the transaction, because
the state may have changed since the page was shown.
"""

import re
import secrets
from collections.abc import Sequence
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from common.ratelimit import rates_exceeded
from common.sanitize import has_unsafe_link
from common.uploads import CleanUpload, clean_image_upload, clean_pdf_upload
from contests.models import Category, Contest
from contests.phases import submission_is_open
from engagement.hooks import points_sync_on_commit
from notifications.emails import email_send
from notifications.services import notification_notify
from proposals.models import (
    CoAuthorInvitation,
    Proposal,
    ProposalAttachment,
    ProposalCoAuthor,
    ProposalRevision,
)
from proposals.notifications import COAUTHOR_ACCEPTED, COAUTHOR_INVITATION
from proposals.selectors import proposal_count_submitted_by

MAX_INVITATIONS_PER_PROPOSAL = 10
# Invitations send email to any address: a daily cap per inviter keeps the site from being a spam relay.
MAX_INVITATIONS_PER_USER_PER_DAY = 30
# Drafts do not count towards the contest's limit; this cap keeps them from piling up without bound.
MAX_DRAFTS_PER_CONTEST = 10


# Link targets in Markdown: inline links, reference definitions and <autolinks>.
# The sanitiser drops any other scheme anyway; refusing them tells the author why their link would vanish.
def proposal_validate_text(*, title: str, summary: str, body: str) -> None:
    """Check the text fields beyond their lengths: one-paragraph summary, no script links. Raises ValidationError."""
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors.setdefault("title", []).append(_("Give your proposal a title."))
    body_limit = Proposal._meta.get_field("body").max_length
    if len(body) > body_limit:
        # A TextField's max_length is not checked by full_clean(), so it is checked here.
        errors.setdefault("body", []).append(
            _("Ensure this value has at most %(limit)d characters (it has %(length)d).")
            % {"limit": body_limit, "length": len(body)}
        )
    if re.search(r"\n\s*\n", summary):
        errors.setdefault("summary", []).append(_("The summary must be a single paragraph."))
    for field, text in (("summary", summary), ("body", body)):
        if has_unsafe_link(text):
            errors.setdefault(field, []).append(_("Links must start with http://, https:// or mailto:."))
    if errors:
        raise ValidationError(errors)


def attachment_clean(upload) -> CleanUpload:
    """Check one upload by its content: images are re-encoded (metadata dropped), PDFs checked by signature."""
    max_bytes = settings.PROPOSAL_ATTACHMENT_MAX_BYTES
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return clean_pdf_upload(upload, max_bytes=max_bytes)
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith(".pdf"):
        # Named like a PDF but not one by content.
        raise ValidationError(_("This file is not a valid PDF document."))
    return clean_image_upload(upload, max_bytes=max_bytes)


def _clean_attachments(uploads: Sequence) -> list[CleanUpload]:
    errors = []
    cleaned = []
    for upload in uploads:
        try:
            cleaned.append(attachment_clean(upload))
        except ValidationError as error:
            name = (getattr(upload, "name", "") or "")[-80:]
            errors.extend(f"{name}: {message}" for message in error.messages)
    if errors:
        raise ValidationError({"attachments": errors})
    return cleaned


def _check_attachment_count(*, existing: int, adding: int) -> None:
    limit = settings.PROPOSAL_ATTACHMENT_MAX_COUNT
    if existing + adding > limit:
        raise ValidationError(
            {
                "attachments": ngettext(
                    "A proposal can have at most %(limit)d attachment.",
                    "A proposal can have at most %(limit)d attachments.",
                    limit,
                )
                % {"limit": limit}
            }
        )


def _store_attachments(*, proposal: Proposal, cleaned: Sequence[CleanUpload]) -> None:
    for clean in cleaned:
        attachment = ProposalAttachment(
            proposal=proposal,
            original_name=clean.name[:120],
            content_type=clean.content_type,
            size=clean.size,
            kind=clean.kind,
        )
        # A random stored name: files are not guessable even where media is served directly.
        extension = clean.name.rsplit(".", 1)[-1]
        attachment.file.save(f"{secrets.token_hex(16)}.{extension}", clean.content, save=False)
        attachment.save()


def _check_category(*, contest: Contest, category: Category | None) -> None:
    if category is not None and category.contest_id != contest.pk:
        raise ValidationError({"category": _("Choose a category of this contest.")})


def _check_submission_open(contest: Contest) -> None:
    if not submission_is_open(contest):
        raise ValidationError(_("Submission is closed for this contest."))


def _check_limit(*, contest: Contest, author: User) -> None:
    """The per-citizen limit. Callers hold the contest row lock, so two submissions cannot both pass."""
    if proposal_count_submitted_by(contest=contest, author=author) >= contest.max_proposals_per_citizen:
        raise ValidationError(
            ngettext(
                "You have already submitted %(limit)d proposal to this contest, the most allowed.",
                "You have already submitted %(limit)d proposals to this contest, the most allowed.",
                contest.max_proposals_per_citizen,
            )
            % {"limit": contest.max_proposals_per_citizen}
        )


def _lock_contest(contest: Contest) -> Contest:
    # Serialises submissions per contest, so the per-citizen limit holds under concurrency
    # (PostgreSQL row lock; SQLite's IMMEDIATE transactions serialise writers already).
    return Contest.objects.select_for_update().get(pk=contest.pk)


def _record_revision(*, proposal: Proposal, editor: User) -> ProposalRevision:
    return ProposalRevision.objects.create(
        proposal=proposal,
        editor=editor,
        title=proposal.title,
        summary=proposal.summary,
        body=proposal.body,
        category=proposal.category,
    )


def proposal_create(
    *,
    author: User,
    contest: Contest,
    title: str,
    summary: str,
    body: str,
    category: Category | None = None,
    attachments: Sequence = (),
    submit: bool = True,
) -> Proposal:
    """Create a proposal, as a private draft or submitted, with its first revision and attachments.

    Raises ValidationError (nothing stored) when the window is closed, the category belongs to another
    contest, the author reached the contest's limit, or an attachment is refused.
    """
    proposal_validate_text(title=title, summary=summary, body=body)
    _check_attachment_count(existing=0, adding=len(attachments))
    # Files are checked and re-encoded before the transaction so the contest lock is held briefly.
    cleaned = _clean_attachments(attachments)
    with transaction.atomic():
        contest = _lock_contest(contest)
        _check_submission_open(contest)
        _check_category(contest=contest, category=category)
        if submit:
            _check_limit(contest=contest, author=author)
        elif (
            Proposal.objects.filter(contest=contest, author=author, status=Proposal.Status.DRAFT).count()
            >= MAX_DRAFTS_PER_CONTEST
        ):
            raise ValidationError(
                _("You already have %(limit)d drafts in this contest. Submit or withdraw one first.")
                % {"limit": MAX_DRAFTS_PER_CONTEST}
            )
        proposal = Proposal(
            contest=contest,
            author=author,
            category=category,
            title=title,
            summary=summary,
            body=body,
            status=Proposal.Status.SUBMITTED if submit else Proposal.Status.DRAFT,
            submitted_at=timezone.now() if submit else None,
        )
        proposal.full_clean()
        proposal.save()
        _record_revision(proposal=proposal, editor=author)
        _store_attachments(proposal=proposal, cleaned=cleaned)
        points_sync_on_commit(target=proposal)
    return proposal


def proposal_update(
    *,
    proposal: Proposal,
    editor: User,
    title: str,
    summary: str,
    body: str,
    category: Category | None,
    attachments: Sequence = (),
    remove_attachment_ids: Sequence[int] = (),
    submit: bool = False,
) -> Proposal:
    """Edit a proposal (author or co-author) while submission is open; every edit stores a revision.

    `submit=True` turns a draft into a submitted proposal (checked against the per-citizen limit of its author).
    """
    proposal_validate_text(title=title, summary=summary, body=body)
    _check_attachment_count(existing=0, adding=len(attachments))  # refuse a flood before decoding any image
    cleaned = _clean_attachments(attachments) if attachments else []
    with transaction.atomic():
        contest = _lock_contest(proposal.contest)
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status == Proposal.Status.WITHDRAWN or proposal.merged_into_id is not None:
            raise ValidationError(_("This proposal can no longer be edited."))
        _check_submission_open(contest)
        _check_category(contest=contest, category=category)
        remaining = proposal.attachments.exclude(pk__in=list(remove_attachment_ids))
        _check_attachment_count(existing=remaining.count(), adding=len(cleaned))
        if submit and proposal.status == Proposal.Status.DRAFT:
            _check_limit(contest=contest, author=proposal.author)
            proposal.status = Proposal.Status.SUBMITTED
            proposal.submitted_at = timezone.now()
        proposal.title, proposal.summary, proposal.body, proposal.category = title, summary, body, category
        proposal.full_clean()
        proposal.save()
        for attachment in proposal.attachments.filter(pk__in=list(remove_attachment_ids)):
            transaction.on_commit(partial(attachment.file.delete, save=False))
            attachment.delete()
        _store_attachments(proposal=proposal, cleaned=cleaned)
        _record_revision(proposal=proposal, editor=editor)
        points_sync_on_commit(target=proposal)
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, user: User) -> Proposal:
    """The author withdraws their proposal; it leaves public lists and no longer counts towards the limit."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status == Proposal.Status.WITHDRAWN:
        raise ValidationError(_("This proposal is already withdrawn."))
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    points_sync_on_commit(target=proposal, reason="withdrawn")
    return proposal


def _send_invitation_email(*, invitation_id: int, accept_url: str) -> None:
    invitation = CoAuthorInvitation.objects.select_related("proposal", "invited_by").get(pk=invitation_id)
    context = {"invitation": invitation, "accept_url": accept_url, "inviter_name": invitation.invited_by.public_name}
    email_send(
        to=invitation.email,
        subject=_("You are invited to co-author a proposal"),
        body=render_to_string("proposals/email/coauthor_invitation.txt", context),
    )


def _check_invitation_email_budget(*, proposal: Proposal, inviter: User, email: str, resend: bool) -> None:
    """Refuse an invitation email that would bomb an address: a resend within the cooldown, or more emails
    than COAUTHOR_INVITES_PER_INVITER from one account / COAUTHOR_INVITES_PER_RECIPIENT to one address."""
    cooldown = settings.COAUTHOR_INVITE_RESEND_COOLDOWN_SECONDS
    key = f"coauthor-invite-sent:{proposal.pk}:{email}"
    # cache.add sets the key only if absent: exactly one send per cooldown, shared through Redis.
    if resend and cooldown > 0 and not cache.add(key, 1, timeout=cooldown):
        raise ValidationError(
            {"email": _("An invitation was just sent to this address. Please wait before sending it again.")}
        )
    limits = [
        (f"coauthor-invite-by:{inviter.pk}", settings.COAUTHOR_INVITES_PER_INVITER),
        (f"coauthor-invite-to:{email}", settings.COAUTHOR_INVITES_PER_RECIPIENT),
    ]
    if rates_exceeded(limits):
        raise ValidationError({"email": _("You have sent too many invitations today. Try again tomorrow.")})
    if not resend and cooldown > 0:
        cache.add(key, 1, timeout=cooldown)


@transaction.atomic
def coauthor_invite(*, proposal: Proposal, inviter: User, email: str, site_url: str) -> CoAuthorInvitation:
    """Invite someone by email to co-author; they get a link with a secret token (and a notification if
    they already have an account). Re-inviting a pending address sends the email again, at most once per
    COAUTHOR_INVITE_RESEND_COOLDOWN_SECONDS, within the per-inviter and per-recipient caps.

    `site_url` is the scheme and host the link starts with, e.g. "https://civitas.example.org".
    """
    email = email.strip().lower()
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if email == inviter.email.lower() or email == proposal.author.email.lower():
        raise ValidationError({"email": _("You are already an author of this proposal.")})
    if proposal.coauthorships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a co-author.")})
    invitation = proposal.invitations.filter(email__iexact=email).first()
    if invitation is not None and invitation.accepted_at is not None:
        raise ValidationError({"email": _("This person is already a co-author.")})
    recent = CoAuthorInvitation.objects.filter(
        invited_by=inviter, created_at__gte=timezone.now() - timedelta(days=1)
    ).count()
    if recent >= MAX_INVITATIONS_PER_USER_PER_DAY:
        raise ValidationError({"email": _("You have sent too many invitations today. Try again tomorrow.")})
    resend = invitation is not None
    if invitation is None:
        if proposal.invitations.count() >= MAX_INVITATIONS_PER_PROPOSAL:
            raise ValidationError(
                {
                    "email": _("A proposal can have at most %(limit)d invitations.")
                    % {"limit": MAX_INVITATIONS_PER_PROPOSAL}
                }
            )
        invitation = CoAuthorInvitation(proposal=proposal, email=email, invited_by=inviter)
        invitation.full_clean()
        invitation.save()
    _check_invitation_email_budget(proposal=proposal, inviter=inviter, email=email, resend=resend)
    accept_path = reverse("proposals:accept_invitation", kwargs={"token": invitation.token})
    recipient = User.objects.filter(email__iexact=email, is_active=True).first()
    if recipient is not None:
        # In-app only: the invitation email itself goes out below.
        notification_notify(
            recipients=[recipient],
            kind=COAUTHOR_INVITATION.key,
            data={"proposal_id": proposal.pk, "proposal_title": proposal.title, "inviter_name": inviter.public_name},
            url=accept_path,
            send_email=False,
        )
    # Queued with the invitation and delivered after commit: a mail server failure is retried, never the request's.
    _send_invitation_email(invitation_id=invitation.pk, accept_url=site_url.rstrip("/") + accept_path)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> ProposalCoAuthor:
    """Accept an invitation as `user` (a verified account holding the invited address).

    Creates the co-authorship and tells the author. Raises ValidationError for used or foreign invitations.
    """
    invitation = (
        CoAuthorInvitation.objects.select_for_update().select_related("proposal__author").filter(token=token).first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."))
    proposal = invitation.proposal
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already accepted."))
    if proposal.status == Proposal.Status.WITHDRAWN or proposal.merged_into_id is not None:
        raise ValidationError(_("This proposal no longer accepts co-authors."))
    if proposal.author_id == user.pk:
        raise ValidationError(_("You are already an author of this proposal."))
    if not user.emailaddress_set.filter(email__iexact=invitation.email, verified=True).exists():
        raise ValidationError(
            _("This invitation was sent to another email address. Sign in with the account that uses it.")
        )
    coauthorship, _created = ProposalCoAuthor.objects.get_or_create(proposal=proposal, user=user)
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    notification_notify(
        recipients=[proposal.author],
        kind=COAUTHOR_ACCEPTED.key,
        data={"proposal_id": proposal.pk, "proposal_title": proposal.title, "coauthor_name": user.public_name},
        url=proposal.get_absolute_url(),
    )
    return coauthorship
