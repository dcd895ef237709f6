"""Ballot writes. Each keeps the tallies exact and schedules a leaderboard push on commit.

Callers pass the signed-in user; the services check `voting.rules` themselves
because the checks and the write must see the same proposal state. Refusals
raise PermissionDenied (403), bad values ValidationError (400), and a ballot
that would change nothing VoteConflict (409), each with a message for the person.
"""

import random
import re
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, FloatField, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from contests.models import Contest
from engagement.hooks import contest_voted_on_commit
from live.publisher import board_mark_dirty
from proposals.models import Proposal
from voting import ranking, votefacts
from voting.groupcommit import WILSON_SQL, Ballot, ballot_write, deadlock_retried
from voting.leaderboard import leaderboard_group, pairwise_strengths_cached
from voting.models import (
    CONTEST_TALLY_SHARDS,
    ApprovalBudget,
    ContestTallyShard,
    PairwiseComparison,
    PairwiseOffer,
    ProposalTally,
    Vote,
)
from voting.pairing import choose_pair, pair_key
from voting.rules import pairwise_refusal, vote_refusal, withdrawal_refusal

Method = Contest.VotingMethod

_INTEGER_TEXT = re.compile(r"[+-]?[0-9]{1,6}")


class VoteConflict(Exception):
    """The request would change nothing (a replayed ballot, a pair already judged)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def vote_value_parse(*, contest: Contest, raw) -> int:
    """The ballot value for the contest's method, or ValidationError. Rejects 0, 6, "x", 1.5 and booleans."""
    if isinstance(raw, bool) or raw is None:
        value = None
    elif isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and _INTEGER_TEXT.fullmatch(raw.strip()):
        # ASCII digits only: str.isdigit() also accepts "²", which int() then rejects with a 500.
        value = int(raw.strip())
    else:
        value = None
    allowed = {
        Method.UPDOWN: {1, -1},
        Method.APPROVAL: {1},
        Method.STARS: {1, 2, 3, 4, 5},
    }.get(contest.voting_method, set())
    if contest.voting_method == Method.PAIRWISE:
        raise ValidationError(_("This contest uses pairwise comparison: pick the better of two proposals instead."))
    if value not in allowed:
        messages = {
            Method.UPDOWN: _("A vote is +1 or -1."),
            Method.APPROVAL: _("A support is the value 1."),
            Method.STARS: _("A rating is a whole number of stars from 1 to 5."),
        }
        raise ValidationError(messages[contest.voting_method])
    return value


# ranking.wilson_lower_bound in SQL (voting.groupcommit.WILSON_SQL, one formula for both write paths). Raw
# SQL rather than an expression tree: resolving the tree cost ~15 % of a vote request's CPU (bench/RESULTS.md).
def _wilson_sql(positive: int, negative: int) -> RawSQL:
    """The proposal's new Wilson score for an UPDATE of its tally adding `positive` and `negative` (each -1..1)."""
    up = f'CAST(("positive" + {int(positive)}) AS DOUBLE PRECISION)'
    down = f'CAST(("negative" + {int(negative)}) AS DOUBLE PRECISION)'
    z, z2 = ranking.Z_95, ranking.Z_95**2
    sql = WILSON_SQL.format(up=up, down=down)  # only integers and constants are formatted in
    return RawSQL(sql, (z2, z, z2, z2), output_field=FloatField())  # noqa: S611


def _tally_apply(*, proposal: Proposal, contest: Contest, old: int | None, new: int | None) -> None:
    """Move the proposal's and the contest's tallies from ballot `old` to ballot `new` (None = no ballot)."""
    ballots = (new is not None) - (old is not None)
    value_sum = (new or 0) - (old or 0)
    updown = contest.voting_method == Method.UPDOWN
    positive = (updown and new == 1) - (updown and old == 1)
    negative = (updown and new == -1) - (updown and old == -1)
    changes = {
        "ballots": F("ballots") + ballots,
        "value_sum": F("value_sum") + value_sum,
        "positive": F("positive") + positive,
        "negative": F("negative") + negative,
    }
    if updown:
        changes["score"] = _wilson_sql(positive, negative)
    elif contest.voting_method == Method.APPROVAL:
        changes["score"] = Cast(F("ballots") + ballots, FloatField())
    _increment(ProposalTally, {"proposal_id": proposal.pk}, {"contest_id": contest.pk}, changes)
    if ballots or value_sum:
        _contest_totals_add(contest=contest, ballots=ballots, value_sum=value_sum)


def _contest_totals_add(*, contest: Contest, ballots: int, value_sum: int) -> None:
    # A random shard per write: concurrent votes in one contest rarely wait on the same row.
    shard = random.randrange(CONTEST_TALLY_SHARDS)  # noqa: S311 - load spreading, not security
    _increment(
        ContestTallyShard,
        {"contest_id": contest.pk, "shard": shard},
        {},
        {"ballots": F("ballots") + ballots, "value_sum": F("value_sum") + value_sum},
    )


def _increment(model, key: dict, extra: dict, changes: dict) -> None:
    """UPDATE the row with database-side increments, creating it first if it does not exist yet."""
    if model.objects.filter(**key).update(**changes):
        return
    # INSERT … ON CONFLICT DO NOTHING: a row created concurrently by another ballot is simply kept,
    # without the savepoint an IntegrityError would need (two fewer round trips on a first ballot).
    model.objects.bulk_create([model(**key, **extra)], ignore_conflicts=True)
    model.objects.filter(**key).update(**changes)


def _approval_budget_use(*, voter: User, contest: Contest) -> None:
    """Take one support from the citizen's budget, or refuse. The conditional UPDATE holds under concurrency."""
    limit = contest.approval_limit
    used = F("used") + 1
    if ApprovalBudget.objects.filter(voter=voter, contest=contest, used__lt=limit).update(used=used):
        return
    try:
        with transaction.atomic():
            ApprovalBudget.objects.create(voter=voter, contest=contest)
    except IntegrityError:
        pass
    if not ApprovalBudget.objects.filter(voter=voter, contest=contest, used__lt=limit).update(used=used):
        raise ValidationError(
            _("You have used all %(limit)s of your supports in this contest. Withdraw one to support another.")
            % {"limit": limit}
        )


def _approval_budget_return(*, voter: User, contest: Contest) -> None:
    ApprovalBudget.objects.filter(voter=voter, contest=contest, used__gt=0).update(used=F("used") - 1)


def leaderboard_push_on_commit(contest_id: int) -> None:
    """Push the contest's leaderboard once the ballot change commits (coalesced by live.publisher)."""
    transaction.on_commit(partial(board_mark_dirty, group=leaderboard_group(contest_id)))


def _ballot_insert(*, voter: User, proposal: Proposal, contest: Contest, value: int) -> Vote | None:
    """Store a new ballot, or return None if the voter already has one on the proposal.

    One round trip (INSERT … ON CONFLICT DO NOTHING RETURNING) instead of a locking read, a
    savepoint and an insert: this is the hot path of vote ingestion. The unique constraint
    decides, so parallel requests of the same citizen still store one ballot.
    """
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Vote._meta.db_table} (voter_id, proposal_id, contest_id, value, created_at, updated_at) "  # noqa: S608 - table name from the model, values as parameters
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (voter_id, proposal_id) DO NOTHING RETURNING id",
            [voter.pk, proposal.pk, contest.pk, value, stamp, stamp],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return Vote(pk=row[0], voter=voter, proposal=proposal, contest=contest, value=value, created_at=now, updated_at=now)


def vote_cast(*, voter: User, proposal: Proposal, value) -> Vote:
    """Record or change the voter's ballot on the proposal.

    Raises PermissionDenied when the voter may not vote on it, ValidationError for a
    value the method does not allow or an exhausted approval budget, and VoteConflict
    when the same ballot is already stored. The returned vote's `created` is True when
    this call stored a new ballot, False when it changed one (decided under the row
    lock, so it is right even when the same citizen's requests race). A new ballot goes through
    group commit (voting.groupcommit); a change, a replay or a spent budget through _vote_cast_one.
    """
    refusal = vote_refusal(voter, proposal)
    if refusal:
        raise PermissionDenied(refusal)
    contest = proposal.contest
    value = vote_value_parse(contest=contest, raw=value)
    ballot = Ballot(
        voter_id=voter.pk,
        proposal_id=proposal.pk,
        contest_id=contest.pk,
        method=contest.voting_method,
        value=value,
        verification=contest.vote_verification,  # what vote_refusal just checked
    )
    vote_id = ballot_write(ballot)
    if vote_id is not None:
        return _vote_stored(vote_id, voter=voter, proposal_id=proposal.pk, contest=contest, value=value)
    return _vote_cast_one(voter=voter, proposal=proposal, contest=contest, value=value)


def vote_cast_fast(*, voter: User, proposal_id: int, value, token_key: str | None = None) -> Vote | None:
    """A new ballot on the facts cached by voting.votefacts, without loading the proposal.

    None when this path cannot decide (the facts say no, or the ballot is not new): the
    caller then takes the full path, selectors.proposal_for_vote and vote_cast, which reads
    everything afresh and gives the right 404, refusal or change. Raises ValidationError for
    a value the method does not allow. `token_key` is the API token the request came with.
    """
    if not (voter and voter.is_authenticated):
        return None
    facts = votefacts.proposal_facts(proposal_id)
    if facts is None or not facts.votable_by(voter.pk) or not votefacts.voter_verified(voter):
        return None
    # A stand-in carrying what the value check, the points hook and the API answer read.
    contest = Contest(
        pk=facts.contest_id, slug=facts.contest_slug, voting_method=facts.method, approval_limit=facts.approval_limit
    )
    value = vote_value_parse(contest=contest, raw=value)
    ballot = Ballot(
        voter_id=voter.pk,
        proposal_id=proposal_id,
        contest_id=contest.pk,
        method=contest.voting_method,
        value=value,
        token_key=token_key,
        verification=facts.vote_verification,
    )
    vote_id = ballot_write(ballot)
    if vote_id is None:
        return None
    if token_key:
        votefacts.remember_token(token_key, voter.pk)  # the next vote with it can take voting.api.fastlane
    return _vote_stored(vote_id, voter=voter, proposal_id=proposal_id, contest=contest, value=value)


def _vote_stored(vote_id: int, *, voter: User, proposal_id: int, contest: Contest, value: int) -> Vote:
    contest_voted_on_commit(user=voter, contest=contest)  # points once per contest
    now = timezone.now()
    vote = Vote(
        pk=vote_id, voter=voter, proposal_id=proposal_id, contest=contest, value=value, created_at=now, updated_at=now
    )
    vote.created = True
    return vote


@deadlock_retried
@transaction.atomic
def _vote_cast_one(*, voter: User, proposal: Proposal, contest: Contest, value: int) -> Vote:
    """One ballot in its own transaction: a new one, or the change of the one already stored."""
    # Insert, or lock the ballot that is already there. A parallel withdrawal can delete that
    # ballot between the two statements, hence the short retry.
    for _attempt in range(3):
        vote = _ballot_insert(voter=voter, proposal=proposal, contest=contest, value=value)
        if vote is not None:
            if contest.voting_method == Method.APPROVAL:
                _approval_budget_use(voter=voter, contest=contest)
            _tally_apply(proposal=proposal, contest=contest, old=None, new=value)
            leaderboard_push_on_commit(contest.pk)
            contest_voted_on_commit(user=voter, contest=contest)  # points once per contest
            vote.created = True
            return vote
        vote = Vote.objects.select_for_update().filter(voter=voter, proposal=proposal).first()
        if vote is not None:
            break
    else:
        raise VoteConflict(_("Your vote was changed by another request at the same moment. Try again."))
    if vote.value == value:
        raise VoteConflict(_("This vote is already recorded."))
    old = vote.value
    vote.value = value
    vote.save(update_fields=["value", "updated_at"])
    _tally_apply(proposal=proposal, contest=contest, old=old, new=value)
    leaderboard_push_on_commit(contest.pk)
    vote.created = False
    return vote


@deadlock_retried
@transaction.atomic
def vote_withdraw(*, voter: User, proposal: Proposal) -> None:
    """Remove the voter's ballot while voting is open. VoteConflict if there is none."""
    refusal = withdrawal_refusal(voter, proposal)
    if refusal:
        raise PermissionDenied(refusal)
    vote = Vote.objects.select_for_update().filter(voter=voter, proposal=proposal).first()
    if vote is None:
        raise VoteConflict(_("You have no vote on this proposal to withdraw."))
    contest = proposal.contest
    vote.delete()
    if contest.voting_method == Method.APPROVAL:
        _approval_budget_return(voter=voter, contest=contest)
    _tally_apply(proposal=proposal, contest=contest, old=vote.value, new=None)
    leaderboard_push_on_commit(contest.pk)


# --- Pairwise ----------------------------------------------------------------------------


def _pairwise_candidates(contest: Contest) -> list[int]:
    return list(Proposal.objects.public().filter(contest=contest).order_by("pk").values_list("pk", flat=True))


def _own_proposal_ids(*, voter: User, contest: Contest) -> set[int]:
    authored = Proposal.objects.filter(contest=contest).filter(Q(author=voter) | Q(coauthorships__user=voter))
    return set(authored.values_list("pk", flat=True))


@transaction.atomic
def pair_offer(*, voter: User, contest: Contest, rng: random.Random | None = None) -> tuple[Proposal, Proposal] | None:
    """Choose the next pair for the voter and remember it as the only pair they may judge; None when none is left."""
    refusal = pairwise_refusal(voter, contest)
    if refusal:
        raise PermissionDenied(refusal)
    candidates = _pairwise_candidates(contest)
    counts = dict(
        ProposalTally.objects.filter(contest=contest, comparisons__gt=0).values_list("proposal_id", "comparisons")
    )
    judged = PairwiseComparison.objects.filter(contest=contest)
    excluded = list(judged.filter(voter=voter).values_list("proposal_low_id", "proposal_high_id"))
    pair_counts = {
        (row["proposal_low_id"], row["proposal_high_id"]): row["judgements"]
        for row in judged.filter(winner__isnull=False)
        .values("proposal_low_id", "proposal_high_id")
        .annotate(judgements=Count("pk"))
        .order_by()
    }
    pair = choose_pair(
        proposal_ids=candidates,
        comparison_counts=counts,
        pair_counts=pair_counts,
        strengths=pairwise_strengths_cached(contest_id=contest.pk),
        excluded_pairs=excluded,
        own_proposal_ids=_own_proposal_ids(voter=voter, contest=contest),
        rng=rng or random.SystemRandom(),
    )
    if pair is None:
        PairwiseOffer.objects.filter(voter=voter, contest=contest).delete()
        return None
    low, high = pair_key(*pair)
    PairwiseOffer.objects.update_or_create(
        voter=voter, contest=contest, defaults={"proposal_low_id": low, "proposal_high_id": high}
    )
    proposals = Proposal.objects.in_bulk(pair)
    return proposals[pair[0]], proposals[pair[1]]


@transaction.atomic
def pair_judge(*, voter: User, contest: Contest, winner_id, loser_id, skip: bool = False) -> PairwiseComparison:
    """Record the voter's judgement of the pair they were offered (or that they skipped it).

    Only the pair last handed out by pair_offer is accepted, once: a forged pair gets
    ValidationError, a replay VoteConflict.
    """
    refusal = pairwise_refusal(voter, contest)
    if refusal:
        raise PermissionDenied(refusal)
    try:
        winner_id, loser_id = int(winner_id), int(loser_id)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("Give the winner and loser as proposal ids.")) from error
    if not (0 < winner_id < 2**63 and 0 < loser_id < 2**63):  # beyond any database id: bad input, not a 500
        raise ValidationError(_("Give the winner and loser as proposal ids."))
    if winner_id == loser_id:
        raise ValidationError(_("A proposal cannot be compared with itself."))
    low, high = pair_key(winner_id, loser_id)
    offer = PairwiseOffer.objects.select_for_update().filter(voter=voter, contest=contest).first()
    if offer is None or (offer.proposal_low_id, offer.proposal_high_id) != (low, high):
        if PairwiseComparison.objects.filter(voter=voter, proposal_low_id=low, proposal_high_id=high).exists():
            raise VoteConflict(_("You have already judged this pair."))
        raise ValidationError(_("This pair was not offered to you. Ask for a new pair."))
    offer.delete()
    public = set(Proposal.objects.public().filter(contest=contest, pk__in=[low, high]).values_list("pk", flat=True))
    if public != {low, high}:
        raise ValidationError(_("One of these proposals can no longer receive votes. Ask for a new pair."))
    comparison = PairwiseComparison.objects.create(
        voter=voter,
        contest=contest,
        proposal_low_id=low,
        proposal_high_id=high,
        winner_id=None if skip else winner_id,
    )
    if not skip:
        for proposal_id in (low, high):
            won = int(proposal_id == winner_id)
            _increment(
                ProposalTally,
                {"proposal_id": proposal_id},
                {"contest_id": contest.pk},
                {"comparisons": F("comparisons") + 1, "wins": F("wins") + won},
            )
        _contest_totals_add(contest=contest, ballots=1, value_sum=0)
        leaderboard_push_on_commit(contest.pk)
        contest_voted_on_commit(user=voter, contest=contest)  # points once per contest
    return comparison
