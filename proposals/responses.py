"""Official answers: an agency sets a proposal's status with a public text; authors are told.

Services and selectors for `ProposalStatusChange`, the status transition table
(the one place that says which status may follow which), and the agency
accountability figures shown on agency pages.
"""

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.follows import followers_of
from accounts.models import Notification, User
from accounts.notifications import notification_notify
from engagement.hooks import proposal_answered_on_commit
from proposals.models import Proposal, ProposalStatusChange
from proposals.rules import manages_proposal_contest

Status = Proposal.Status

# Which official status may follow which. Keeping the same status is allowed
# too: the agency posts a further answer without moving the proposal on.
# Winner and adopted both lead to implemented; declined and implemented are final.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset({Status.UNDER_REVIEW, Status.SHORTLISTED, Status.DECLINED}),
    Status.UNDER_REVIEW: frozenset({Status.SHORTLISTED, Status.DECLINED}),
    Status.SHORTLISTED: frozenset({Status.WINNER, Status.ADOPTED, Status.DECLINED}),
    Status.WINNER: frozenset({Status.ADOPTED, Status.IMPLEMENTED}),
    Status.ADOPTED: frozenset({Status.IMPLEMENTED}),
    Status.IMPLEMENTED: frozenset(),
    Status.DECLINED: frozenset(),
}

RESPONSE_TEXT_MAX_LENGTH = ProposalStatusChange._meta.get_field("text").max_length


@rules.predicate
def is_answerable(user, proposal) -> bool:
    """Submitted by its authors (not a draft, not withdrawn) and not merged into another proposal."""
    return proposal is not None and proposal.status in ALLOWED_TRANSITIONS and proposal.merged_into_id is None


# The agency running the contest answers for it (Django lets superusers do anything, as always).
rules.add_perm("proposals.respond_proposal", manages_proposal_contest & is_answerable)


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
    if proposal.status != status:
        proposal.status = status
        proposal.save(update_fields=["status", "updated_at"])
    proposal_answered_on_commit(proposal=proposal, status=status)  # shortlisted, winner, adopted: points
    authors = [proposal.author, *User.objects.filter(coauthorships__proposal=proposal)]
    data = {
        "proposal_id": proposal.pk,
        "proposal_title": proposal.title,
        "status": status,
        "agency_name": proposal.contest.agency.name,
    }
    notification_notify(
        recipients=authors, kind=Notification.Kind.PROPOSAL_STATUS, data=data, url=proposal.get_absolute_url()
    )
    # People following the proposal hear about it too (authors already got their own notice).
    author_ids = {author.pk for author in authors}
    followers = [user for user in followers_of(target=proposal) if user.pk not in author_ids]
    if followers:
        notification_notify(
            recipients=followers,
            kind=Notification.Kind.FOLLOWED_PROPOSAL_STATUS,
            data=data,
            url=proposal.get_absolute_url(),
        )
    return change


def proposal_status_changes(*, proposal: Proposal) -> QuerySet[ProposalStatusChange]:
    """The proposal's official answers, newest first, with the answering agency loaded (one query)."""
    return proposal.status_changes.select_related("agency").order_by("-created_at", "-pk")
