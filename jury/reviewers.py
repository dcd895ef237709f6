"""Writes for reviewers: invitations (signed tokens, by email), acceptance, conflicts of interest, withdrawal."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from contests.models import Contest
from contests.phases import results_are_published
from jury.models import (
    ConflictOfInterest,
    ContestReviewer,
)
from notifications.emails import emails_send_on_commit
from proposals.models import Proposal

INVITATION_SALT = "jury.reviewer-invitation"
INVITATION_MAX_AGE = 60 * 60 * 24 * 30  # 30 days
MAX_REVIEWERS_PER_CONTEST = 200


def invitation_token(reviewer: ContestReviewer) -> str:
    return signing.dumps({"reviewer": reviewer.pk, "email": reviewer.email}, salt=INVITATION_SALT)


def invitation_reviewer(token: str) -> ContestReviewer | None:
    """The reviewer an invitation link points to, or None when the link is forged, altered or expired."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        ContestReviewer.objects.select_related("contest__agency")
        .filter(pk=data.get("reviewer"), email=data.get("email"))
        .first()
    )


def _verified_user_with_email(email: str) -> User | None:
    address = (
        EmailAddress.objects.select_related("user")
        .filter(email__iexact=email, verified=True, user__is_active=True)
        .first()
    )
    return address.user if address else None


@transaction.atomic
def reviewer_invite(*, contest: Contest, inviter: User, email: str, site_url: str) -> ContestReviewer:
    """Invite `email` to review the contest.

    An existing account with that verified address becomes an active reviewer at once
    and is told so by email; anyone else gets a signed link that works after signing up.
    Re-inviting a withdrawn reviewer makes them a reviewer again.
    """
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid email address.")}) from error
    if len(email) > 254:
        raise ValidationError({"email": _("Enter a valid email address.")})
    if results_are_published(contest):
        raise ValidationError({"email": _("Results are published; the jury is closed.")})
    Contest.objects.select_for_update().filter(pk=contest.pk).first()
    reviewer = ContestReviewer.objects.filter(contest=contest, email=email).first()
    if reviewer is not None and reviewer.status != ContestReviewer.Status.WITHDRAWN:
        raise ValidationError({"email": _("This person is already invited to review this contest.")})
    if reviewer is None and contest.reviewers.count() >= MAX_REVIEWERS_PER_CONTEST:
        raise ValidationError({"email": _("A contest has at most %(n)d reviewers.") % {"n": MAX_REVIEWERS_PER_CONTEST}})
    user = _verified_user_with_email(email)
    if user is not None and ContestReviewer.objects.filter(contest=contest, user=user).exclude(email=email).exists():
        raise ValidationError({"email": _("This person is already a reviewer of this contest.")})
    if reviewer is None:
        reviewer = ContestReviewer(contest=contest, email=email, invited_by=inviter)
    reviewer.invited_by = inviter
    reviewer.user = user
    reviewer.status = ContestReviewer.Status.ACTIVE if user else ContestReviewer.Status.INVITED
    reviewer.accepted_at = timezone.now() if user else None
    reviewer.save()
    context = {"contest": contest, "inviter_name": inviter.public_name, "site_url": site_url.rstrip("/")}
    if user:
        context["url"] = context["site_url"] + reverse("jury:dashboard")
        template = "jury/email/reviewer_added.txt"
    else:
        context["url"] = context["site_url"] + reverse(
            "jury:accept_invitation", kwargs={"token": invitation_token(reviewer)}
        )
        template = "jury/email/reviewer_invitation.txt"
    subject = _("You are invited to review proposals for “%(contest)s”") % {"contest": contest.title}
    emails_send_on_commit([(email, subject, render_to_string(template, context))])
    return reviewer


@transaction.atomic
def reviewer_accept(*, token: str, user: User) -> ContestReviewer:
    """Accept a reviewer invitation as `user`, who must hold the invited address, verified."""
    found = invitation_reviewer(token)
    if found is None:
        raise ValidationError(_("This invitation link is not valid or has expired."))
    reviewer = ContestReviewer.objects.select_for_update().get(pk=found.pk)
    if reviewer.status == ContestReviewer.Status.WITHDRAWN:
        raise ValidationError(_("This invitation was withdrawn."))
    if reviewer.user_id is not None:
        if reviewer.user_id == user.pk:
            return reviewer
        raise ValidationError(_("This invitation was already accepted."))
    if not EmailAddress.objects.filter(user=user, email__iexact=reviewer.email, verified=True).exists():
        raise ValidationError(
            _("This invitation was sent to another email address. Sign in with the account that uses it, verified.")
        )
    if ContestReviewer.objects.filter(contest_id=reviewer.contest_id, user=user).exists():
        raise ValidationError(_("You are already a reviewer of this contest."))
    reviewer.user = user
    reviewer.status = ContestReviewer.Status.ACTIVE
    reviewer.accepted_at = timezone.now()
    reviewer.save(update_fields=["user", "status", "accepted_at"])
    return reviewer


@transaction.atomic
def conflicts_declare(*, reviewer: ContestReviewer, proposal_ids: list[int]) -> list[ConflictOfInterest]:
    """Replace the reviewer's declared conflicts. Only before they have assignments."""
    if reviewer.status != ContestReviewer.Status.ACTIVE:
        raise ValidationError(_("Only active reviewers declare conflicts."))
    if reviewer.reviews.exists():
        raise ValidationError(
            _("Your proposals are already assigned. Ask the contest manager if you have a new conflict of interest.")
        )
    wanted = set(proposal_ids)
    known = set(
        Proposal.objects.public().filter(contest_id=reviewer.contest_id, pk__in=wanted).values_list("pk", flat=True)
    )
    if wanted - known:
        raise ValidationError(_("Some of the proposals you chose are not in this contest."))
    reviewer.conflicts.all().delete()
    conflicts = ConflictOfInterest.objects.bulk_create(
        [ConflictOfInterest(reviewer=reviewer, proposal_id=pk) for pk in sorted(known)]
    )
    reviewer.conflicts_declared_at = timezone.now()
    reviewer.save(update_fields=["conflicts_declared_at"])
    return conflicts
