"""Points a proposal earns its authors, and the badges they lead to (registered in proposals.apps)."""

from django.utils.translation import gettext_lazy as _

from engagement.ledger_rules import ActionRule, BadgeRule
from engagement.sources import Deserved, PointSource
from proposals.models import Proposal, ProposalStatusChange

SUBMITTED = ActionRule(
    "proposal_submitted", _("Proposal submitted"), 10, 3, _("Submit a proposal (10 points, up to 3 a day).")
)
SHORTLISTED = ActionRule(
    "proposal_shortlisted",
    _("Proposal shortlisted"),
    20,
    5,
    _("A proposal of yours is shortlisted by the agency (20 points, up to 5 a day)."),
)
WINNER = ActionRule(
    "proposal_winner", _("Proposal won"), 50, 5, _("A proposal of yours wins a contest (50 points, up to 5 a day).")
)
ADOPTED = ActionRule(
    "proposal_adopted",
    _("Proposal adopted"),
    100,
    5,
    _("A proposal of yours is adopted by the agency (100 points, up to 5 a day)."),
)
RULES = (
    SUBMITTED,
    SHORTLISTED,
    WINNER,
    ADOPTED,
    BadgeRule(
        "first_proposal", SUBMITTED.key, 1, _("First proposal"), _("Submitted a first proposal that stayed public.")
    ),
    BadgeRule("shortlisted", SHORTLISTED.key, 1, _("Shortlisted"), _("Had a proposal shortlisted by an agency.")),
    BadgeRule("winner", WINNER.key, 1, _("Contest winner"), _("Had a proposal win a contest.")),
    BadgeRule(
        "first_adopted", ADOPTED.key, 1, _("First adopted idea"), _("Had a first proposal adopted by an agency.")
    ),
)

# Official answers that earn the authors points (implemented implies adopted).
OUTCOMES = (
    (Proposal.Status.SHORTLISTED, SHORTLISTED.key),
    (Proposal.Status.WINNER, WINNER.key),
    (Proposal.Status.ADOPTED, ADOPTED.key),
)
REWARDED_STATUSES = frozenset(
    {Proposal.Status.SHORTLISTED, Proposal.Status.WINNER, Proposal.Status.ADOPTED, Proposal.Status.IMPLEMENTED}
)


def proposal_deserved(proposal: Proposal) -> Deserved:
    """Submitting earns the author points while the proposal is public; each outcome earns every author points."""
    deserved: Deserved = {}
    if not Proposal.objects.public().filter(pk=proposal.pk).exists():
        return deserved  # draft, withdrawn, hidden or merged: nothing
    deserved[(SUBMITTED.key, proposal.author_id)] = proposal.contest_id
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
    actions=(SUBMITTED.key, *(action for _status, action in OUTCOMES)),
)
