"""Points a proposal earns its authors (registered with engagement.sources in proposals.apps)."""

from engagement.models import PointsEntry
from engagement.sources import Deserved, PointSource
from proposals.models import Proposal, ProposalStatusChange

Action = PointsEntry.Action
# Official answers that earn the authors points (implemented implies adopted).
OUTCOMES = (
    (Proposal.Status.SHORTLISTED, Action.PROPOSAL_SHORTLISTED),
    (Proposal.Status.WINNER, Action.PROPOSAL_WINNER),
    (Proposal.Status.ADOPTED, Action.PROPOSAL_ADOPTED),
)
REWARDED_STATUSES = frozenset(
    {Proposal.Status.SHORTLISTED, Proposal.Status.WINNER, Proposal.Status.ADOPTED, Proposal.Status.IMPLEMENTED}
)


def proposal_deserved(proposal: Proposal) -> Deserved:
    """Submitting earns the author points while the proposal is public; each outcome earns every author points."""
    deserved: Deserved = {}
    if not Proposal.objects.public().filter(pk=proposal.pk).exists():
        return deserved  # draft, withdrawn, hidden or merged: nothing
    deserved[(Action.PROPOSAL_SUBMITTED, proposal.author_id)] = proposal.contest_id
    reached = {
        proposal.status,
        *ProposalStatusChange.objects.filter(proposal=proposal).values_list("status", flat=True),
    }
    if Proposal.Status.IMPLEMENTED in reached:
        reached.add(Proposal.Status.ADOPTED)  # implemented means adopted first
    authors = [proposal.author_id, *proposal.coauthorships.values_list("user_id", flat=True)]
    for status, action in OUTCOMES:
        if status in reached:
            for user_id in authors:
                deserved[(action, user_id)] = proposal.contest_id
    return deserved


POINT_SOURCE = PointSource(
    fresh=lambda pk: Proposal.objects.filter(pk=pk).first(),
    deserved=proposal_deserved,
    actions=(Action.PROPOSAL_SUBMITTED, *(action for _status, action in OUTCOMES)),
)
