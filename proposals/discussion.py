"""How proposals are discussed: their discussable, registered with discussion.discussables in proposals.apps."""

from django.db.models import QuerySet

from accounts.models import User
from discussion.discussables import Discussable
from proposals.models import Proposal
from proposals.rules import is_public_proposal


def _visible_proposal(key: str, user) -> Proposal | None:
    if not key.isdigit() or len(key) > 18:
        return None
    proposal = _proposals().prefetch_related("coauthorships").filter(pk=int(key)).first()
    return proposal if proposal is not None and user.has_perm("proposals.view_proposal", proposal) else None


def _proposal_is_visible(user, proposal: Proposal) -> bool:
    return bool(user.has_perm("proposals.view_proposal", proposal))


def _proposal_is_public(proposal: Proposal) -> bool:
    return bool(is_public_proposal(None, proposal))


def _proposal_contest(proposal: Proposal):
    return proposal.contest


def _proposal_authors(proposal: Proposal) -> list:
    """The author and every co-author hear of each new comment on their proposal."""
    return [proposal.author, *User.objects.filter(coauthorships__proposal=proposal)]


def _proposals() -> QuerySet:
    return Proposal.objects.select_related("contest__agency", "author")


def _proposal_key(proposal: Proposal) -> str:
    return str(proposal.pk)


DISCUSSABLE = Discussable(
    model=Proposal,
    segment="proposals",
    lookup=_visible_proposal,
    is_visible=_proposal_is_visible,
    is_public=_proposal_is_public,
    contest=_proposal_contest,
    authors=_proposal_authors,
    queryset=_proposals,
    url_key=_proposal_key,
)
