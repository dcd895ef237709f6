"""Official answers: an agency sets a proposal's status with a public text; authors are told.

Services and selectors for `ProposalStatusChange` and the status transition table
(the one place that says which status may follow which). The accountability figures
built on these answers are in proposals.accountability.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from engagement.hooks import points_sync_on_commit
from notifications.services import notification_notify
from notifications.subscriptions import subscribers_of
from proposals.models import Proposal, ProposalStatusChange
from proposals.notifications import FOLLOWED_PROPOSAL_STATUS, PROPOSAL_STATUS
from proposals.points import REWARDED_STATUSES
from proposals.rules import ALLOWED_TRANSITIONS
from record.services import contest_scope, record_append

Status = Proposal.Status

RESPONSE_TEXT_MAX_LENGTH = ProposalStatusChange._meta.get_field("text").max_length


def proposal_next_statuses(*, proposal: Proposal) -> list[str]:
    """The statuses an official answer may set now: the current one (a further answer) and the allowed next ones."""
    if proposal.status not in ALLOWED_TRANSITIONS:
        return []
    allowed = ALLOWED_TRANSITIONS[proposal.status] | {proposal.status}
    return [status for status in Proposal.OFFICIAL_STATUSES if status in allowed]


def _validate_response(*, proposal: Proposal, status: str, text: str) -> str:
    errors: dict[str, str] = {}
    if status not in Proposal.OFFICIAL_STATUSES:
        errors["status"] = _("“%(status)s” is not a status an official answer can set.") % {"status": status}
    elif proposal.status not in ALLOWED_TRANSITIONS:
        errors["status"] = _("This proposal cannot receive an official answer.")
    elif status != proposal.status and status not in ALLOWED_TRANSITIONS[proposal.status]:
        errors["status"] = _("A proposal that is “%(current)s” cannot become “%(new)s”.") % {
            "current": Status(proposal.status).label,
            "new": Status(status).label,
        }
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Write the public text of the answer.")
    elif len(text) > RESPONSE_TEXT_MAX_LENGTH:
        errors["text"] = _("The answer can be at most %(limit)d characters long (it has %(length)d).") % {
            "limit": RESPONSE_TEXT_MAX_LENGTH,
            "length": len(text),
        }
    if errors:
        raise ValidationError(errors)
    return text


@transaction.atomic
def proposal_respond(*, proposal: Proposal, responder: User, status: str, text: str) -> ProposalStatusChange:
    """Record an official answer: set the proposal's status, store the public text, notify authors and followers.

    Caller has checked `proposals.respond_proposal`. The proposal row is locked so
    two managers answering at once cannot both pass the transition check. Raises
    ValidationError (keys "status", "text") for an unknown status, a transition the
    table does not allow, or an empty or over-long text. The author and every
    co-author get a notification and, after commit, an email (by their email
    preference); so do the proposal's followers.
    """
    proposal = Proposal.objects.select_for_update().select_related("contest__agency").get(pk=proposal.pk)
    text = _validate_response(proposal=proposal, status=status, text=text)
    change = ProposalStatusChange.objects.create(
        proposal=proposal, status=status, text=text, agency=proposal.contest.agency, responded_by=responder
    )
    record_append(
        kind="proposal.answered",
        target=change,
        object_type="proposal_answer",
        scope=contest_scope(proposal.contest_id),
        actor=responder,
        payload={
            "proposal": proposal.pk,
            "status_from": proposal.status,
            "status": status,
            "agency": proposal.contest.agency_id,
            "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        },
    )
    if proposal.status != status:
        proposal.status = status
        proposal.save(update_fields=["status", "updated_at"])
    if status in REWARDED_STATUSES:
        points_sync_on_commit(target=proposal)  # shortlisted, winner, adopted: points for the authors
    authors = [proposal.author, *User.objects.filter(coauthorships__proposal=proposal)]
    data = {
        "proposal_id": proposal.pk,
        "proposal_title": proposal.title,
        "status": status,
        "agency_name": proposal.contest.agency.name,
    }
    notification_notify(recipients=authors, kind=PROPOSAL_STATUS.key, data=data, url=proposal.get_absolute_url())
    # People following the proposal hear about it too (authors already got their own notice).
    author_ids = {author.pk for author in authors}
    followers = [user for user in subscribers_of(target=proposal) if user.pk not in author_ids]
    if followers:
        notification_notify(
            recipients=followers,
            kind=FOLLOWED_PROPOSAL_STATUS.key,
            data=data,
            url=proposal.get_absolute_url(),
        )
    return change


def proposal_status_changes(*, proposal: Proposal) -> QuerySet[ProposalStatusChange]:
    """The proposal's official answers, newest first, with the answering agency loaded (one query)."""
    return proposal.status_changes.select_related("agency").order_by("-created_at", "-pk")


BULK_RESPONSE_MAX_PROPOSALS = 200


@transaction.atomic
def proposal_respond_bulk(
    *, proposals: list[Proposal], responder: User, status: str, text: str
) -> list[ProposalStatusChange]:
    """Give the same official answer to several proposals at once: all are answered, or none.

    Caller has checked `proposals.respond_proposal` on each. Raises ValidationError with the
    first refusal, naming the proposal, so the manager knows which one to leave out.
    """
    if not proposals:
        raise ValidationError({"proposal_ids": _("Choose at least one proposal.")})
    if len(proposals) > BULK_RESPONSE_MAX_PROPOSALS:
        raise ValidationError(
            {"proposal_ids": _("Answer at most %(limit)d proposals at once.") % {"limit": BULK_RESPONSE_MAX_PROPOSALS}}
        )
    changes = []
    for proposal in sorted(proposals, key=lambda item: item.pk):  # id order: two bulk answers cannot deadlock
        try:
            changes.append(proposal_respond(proposal=proposal, responder=responder, status=status, text=text))
        except ValidationError as error:
            messages = " ".join(error.messages)
            raise ValidationError(
                {"proposal_ids": _("Proposal %(id)d: %(reason)s") % {"id": proposal.pk, "reason": messages}}
            ) from error
    return changes
