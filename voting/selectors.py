"""Reads for voting: a voter's ballots, remaining supports, and what the vote controls of a page show.

The leaderboard is in voting.leaderboard.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Avg, Count, Sum
from django.db.models.functions import TruncDate
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from contests.models import Contest
from contests.phases import voting_is_open
from contests.selectors import contest_for_viewer  # noqa: F401 - voting's views and API use it from here
from proposals.models import Proposal
from voting.models import ApprovalBudget, ProposalTally, Vote
from voting.rules import vote_refusal

Method = Contest.VotingMethod


def votes_of_voter(*, voter, proposal_ids) -> dict[int, int]:
    """{proposal_id: value} of the voter's ballots among these proposals (one query)."""
    if not (voter and voter.is_authenticated):
        return {}
    return dict(
        Vote.objects.filter(voter=voter, proposal_id__in=list(proposal_ids)).values_list("proposal_id", "value")
    )


def approval_remaining(*, voter, contest: Contest) -> int | None:
    """Supports the voter has left in an approval contest (None for other methods or anonymous)."""
    if contest.voting_method != Method.APPROVAL or not (voter and voter.is_authenticated):
        return None
    used = ApprovalBudget.objects.filter(voter=voter, contest=contest).values_list("used", flat=True).first() or 0
    return max(0, contest.approval_limit - used)


def proposal_for_vote(*, pk: int, user, include_own_ballots: bool = False) -> Proposal:
    """The proposal with what the voting rules read (contest, agency, co-authors); 404 if the user may not see it.

    With include_own_ballots, a proposal the user voted on is found even after it was hidden,
    withdrawn or merged, so they can take back their ballot (and an approval support).
    """
    proposal = (
        Proposal.objects.select_related("contest__agency").prefetch_related("coauthorships").filter(pk=pk).first()
    )
    if proposal is None:
        raise Http404
    if user.has_perm("proposals.view_proposal", proposal):
        return proposal
    if include_own_ballots and user.is_authenticated and Vote.objects.filter(voter=user, proposal=proposal).exists():
        return proposal
    raise Http404


def pair_proposal_data(proposal: Proposal) -> dict:
    return {
        "id": proposal.pk,
        "title": proposal.title,
        "summary": proposal.summary,
        "url": reverse("proposals:detail", kwargs={"contest_slug": proposal.contest.slug, "pk": proposal.pk}),
    }


NO_PAIR_LEFT_MESSAGE = gettext_lazy("You have compared every pair available to you. Thank you!")


# --- Vote controls on proposal pages ---------------------------------------------------


@dataclass(frozen=True)
class ProposalVotes:
    """One proposal's tallies, the viewer's ballot on it, and why they may not vote (None: they may)."""

    proposal_id: int
    method: str
    ballots: int = 0
    value_sum: int = 0
    up: int = 0
    down: int = 0
    value: int | None = None
    refusal: str | None = None

    @property
    def can_vote(self) -> bool:
        return self.refusal is None

    @property
    def net(self) -> int:
        return self.up - self.down

    @property
    def mean(self) -> float | None:
        return self.value_sum / self.ballots if self.ballots else None


@dataclass(frozen=True)
class ContestVoting:
    """What the vote controls of one page show: the contest's voting window and each proposal's state.

    `state` is "open", "not_yet" (voting has not opened) or "closed".
    """

    contest: Contest
    state: str
    supports_left: int | None
    proposals: dict[int, ProposalVotes]

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    def for_proposal(self, proposal_id: int) -> ProposalVotes | None:
        return self.proposals.get(proposal_id)


def contest_voting_state(contest: Contest) -> str:
    if voting_is_open(contest):
        return "open"
    if not contest.is_published or timezone.now() < contest.voting_opens_at:
        return "not_yet"
    return "closed"


def contest_voting_for_proposals(*, user, contest: Contest, proposals) -> ContestVoting:
    """Vote controls' data for a page of proposals of one contest, in at most three queries whatever the page size.

    The proposals must come with `contest` and their co-authors loaded (as proposals.selectors
    gives them), so the voting rules read nothing more. Before voting opens nothing is read.
    """
    proposals = list(proposals)
    ids = [proposal.pk for proposal in proposals]
    state = contest_voting_state(contest)
    method = contest.voting_method
    tallies: dict[int, tuple] = {}
    values: dict[int, int] = {}
    if state != "not_yet" and ids and method != Method.PAIRWISE:
        tallies = {
            row[0]: row[1:]
            for row in ProposalTally.objects.filter(proposal_id__in=ids).values_list(
                "proposal_id", "ballots", "value_sum", "positive", "negative"
            )
        }
        values = votes_of_voter(voter=user, proposal_ids=ids)
    rows = {}
    for proposal in proposals:
        ballots, value_sum, up, down = tallies.get(proposal.pk, (0, 0, 0, 0))
        rows[proposal.pk] = ProposalVotes(
            proposal_id=proposal.pk,
            method=method,
            ballots=ballots,
            value_sum=value_sum,
            up=up,
            down=down,
            value=values.get(proposal.pk),
            refusal=vote_refusal(user, proposal)
            if state == "open"
            else gettext("Voting is not open for this contest."),
        )
    supports_left = approval_remaining(voter=user, contest=contest) if state == "open" else None
    return ContestVoting(contest=contest, state=state, supports_left=supports_left, proposals=rows)


def leaderboard_movement(*, contest: Contest, entries: list[dict], hours: int = 24) -> dict[int, int]:
    """{proposal_id: places moved up (negative: down)} since `hours` ago, ranking the ballots cast before then
    as the board counts them (updown: net votes, approval: supports, stars: mean). Pairwise: no movement."""

    if contest.voting_method == Contest.VotingMethod.PAIRWISE or not entries:
        return {}
    since = timezone.now() - timedelta(hours=hours)
    ids = [entry["proposal_id"] for entry in entries]
    earlier = Vote.objects.filter(proposal_id__in=ids, created_at__lt=since).values("proposal_id")
    if contest.voting_method == Contest.VotingMethod.STARS:
        scores = dict(earlier.annotate(key=Avg("value")).values_list("proposal_id", "key"))
    elif contest.voting_method == Contest.VotingMethod.APPROVAL:
        scores = dict(earlier.annotate(key=Count("pk")).values_list("proposal_id", "key"))
    else:
        scores = dict(earlier.annotate(key=Sum("value")).values_list("proposal_id", "key"))
    before = sorted(ids, key=lambda pk: (-(scores.get(pk) or 0), ids.index(pk)))
    return {entry["proposal_id"]: before.index(entry["proposal_id"]) + 1 - entry["rank"] for entry in entries}


def proposal_vote_timeline(*, proposal: Proposal, days: int = 30) -> list[tuple]:
    """[(day, ballots cast that day, ballots in total by its end)] for the proposal's last `days` days with votes."""

    per_day = list(
        Vote.objects.filter(proposal=proposal)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
        .values_list("day", "n")
    )
    total, rows = 0, []
    for day, count in per_day:
        total += count
        rows.append((day, count, total))
    return rows[-days:]
