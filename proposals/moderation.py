"""How proposals are moderated: their moderation target, registered in proposals.apps."""

from django.utils import timezone

from accounts.models import User
from engagement.hooks import points_sync_on_commit
from moderation.targets import ModerationTarget
from proposals.models import Proposal
from proposals.notifications import PROPOSAL_HIDDEN
from proposals.rules import is_public_proposal


def _hide_proposal(proposal: Proposal, reason: str) -> None:
    Proposal.objects.filter(pk=proposal.pk).update(is_hidden=True, hidden_reason=reason, updated_at=timezone.now())
    proposal.is_hidden = True
    proposal.hidden_reason = reason
    points_sync_on_commit(target=proposal, reason="hidden")


def _proposal_authors(proposal: Proposal) -> list[User]:
    return [proposal.author, *User.objects.filter(coauthorships__proposal=proposal)]


MODERATION_TARGET = ModerationTarget(
    contest=lambda proposal: proposal.contest,
    is_reportable=lambda proposal: bool(is_public_proposal(None, proposal)),
    hide=_hide_proposal,
    authors=_proposal_authors,
    notify_kind=PROPOSAL_HIDDEN.key,
    notification_data=lambda proposal, reason: {
        "proposal_id": proposal.pk,
        "proposal_title": proposal.title,
        "reason": reason,
    },
    queryset=lambda: Proposal.objects.select_related("contest"),
)
