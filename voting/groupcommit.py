"""Group commit of new ballots: ballots arriving within a few milliseconds share one transaction.

`ballot_write(ballot)` stores a new ballot and returns its id once the transaction holding it
has committed, or None when the ballot was not stored by this path (the citizen already has a
ballot on the proposal, or a voting rule no longer holds in the database); the caller then takes
the one-ballot path of voting.services, which changes ballots and explains refusals.

With PostgreSQL, and outside any transaction of the caller, ballots go to one committer thread
per process. It takes the first waiting ballot, gathers what arrives in the next
VOTE_GROUP_COMMIT_WINDOW_MS (at most VOTE_GROUP_COMMIT_MAX ballots) and writes them all in one
transaction: one multi-row `INSERT … SELECT … ON CONFLICT DO NOTHING` for the ballots, one
upsert for the proposal tallies (increments summed per proposal) and one per contest for its
tally shard. Each caller is answered after that COMMIT, so no vote is acknowledged before it is
stored. Then voting.signals.ballots_cast announces, once for the transaction, the stored ballots
that came with their request's facts (the fast lane's), for the integrity monitor. Elsewhere (SQLite, inside a caller's transaction, or VOTE_GROUP_COMMIT=0) the same
statements run for the one ballot in the caller's own transaction.

The INSERT re-checks in SQL, for every row, what voting.rules.vote_refusal checks in Python
(verified and active voter, public proposal of a published contest whose voting window is
open, not the voter's own or co-written proposal), so a stale cache of vote facts can never
let a ballot in. Rows are written in a fixed order (voter, proposal; tallies by proposal;
shards by contest) so concurrent batches do not deadlock; a deadlock still detected is retried.
"""

import functools
import logging
import queue
import random
import threading
import time
from collections import defaultdict
from concurrent.futures import Future
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import User
from contests.models import Contest
from live.publisher import board_mark_dirty
from proposals.models import Proposal, ProposalCoAuthor
from voting import ranking
from voting.leaderboard import leaderboard_group
from voting.models import CONTEST_TALLY_SHARDS, ApprovalBudget, ContestTallyShard, ProposalTally, Vote
from voting.signals import ballots_cast

logger = logging.getLogger(__name__)
Method = Contest.VotingMethod


@dataclass(frozen=True)
class Ballot:
    """A new ballot as the rules checked it: who, on what, in which contest and method, with which value."""

    voter_id: int
    proposal_id: int
    contest_id: int
    method: str
    value: int
    token_key: str | None = None  # the API token the ballot came with, checked again in the INSERT
    # The verification level the rules checked the voter against: the INSERT stores the ballot only
    # while the contest still asks for that level (a cached "email" must not outlive a switch to phone).
    verification: str = "email"
    # The request's client address and device (voting.signals.ballots_cast), when the committer announces it.
    network: str | None = None
    device: str = ""


# --- the statements -------------------------------------------------------------------------

# ranking.wilson_lower_bound in SQL, with {up} and {down} the counts after the change (as doubles).
WILSON_SQL = (
    "CASE WHEN {up} + {down} > 0 THEN ({up} / ({up} + {down}) + %s / (2.0 * ({up} + {down}))"
    " - %s * SQRT({up} * {down} / (({up} + {down}) * ({up} + {down}) * ({up} + {down}))"
    " + %s / (4.0 * ({up} + {down}) * ({up} + {down})))) / (1.0 + %s / ({up} + {down})) ELSE 0.0 END"
)


def _score_sql(method: str, *, up: str, down: str, ballots: str, current: str) -> tuple[str, list]:
    """The tally's stored score after the change, as voting.services computes it (the same SQL, the same doubles)."""
    if method == Method.UPDOWN:
        cast_up, cast_down = f"CAST(({up}) AS DOUBLE PRECISION)", f"CAST(({down}) AS DOUBLE PRECISION)"
        z, z2 = ranking.Z_95, ranking.Z_95**2
        return WILSON_SQL.format(up=cast_up, down=cast_down), [z2, z, z2, z2]
    if method == Method.APPROVAL:
        return f"CAST(({ballots}) AS DOUBLE PRECISION)", []
    return current, []


def _ballots_insert(ballots: list[Ballot]) -> list[tuple[int, int, int]]:
    """INSERT the ballots that every voting rule still allows; (id, voter_id, proposal_id) of those stored."""
    sql, params = _insert_sql(ballots)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} RETURNING id, voter_id, proposal_id", params)
        return [tuple(row) for row in cursor.fetchall()]


def _insert_sql(ballots: list[Ballot]) -> tuple[str, list]:
    vote, proposal, contest = Vote._meta.db_table, Proposal._meta.db_table, Contest._meta.db_table
    user, email, coauthor = User._meta.db_table, EmailAddress._meta.db_table, ProposalCoAuthor._meta.db_table
    token = Token._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(ballots))
    params: list = []
    for ballot in ballots:
        params += [ballot.voter_id, ballot.proposal_id, ballot.value, ballot.method, ballot.token_key or ""]
        params.append(ballot.verification)
    # Mirrors voting.rules.vote_refusal and proposals.rules.is_public_proposal; tests/voting/test_groupcommit.py
    # checks that each refusal of those rules is refused here too.
    sql = (
        f"INSERT INTO {vote} (voter_id, proposal_id, contest_id, value, created_at, updated_at) "  # noqa: S608 - table names from the models, values as parameters
        f"SELECT b.column1, b.column2, p.contest_id, b.column3, %s, %s FROM (VALUES {rows}) AS b "
        f"JOIN {proposal} p ON p.id = b.column2 JOIN {contest} c ON c.id = p.contest_id "
        f"JOIN {user} u ON u.id = b.column1 "
        "WHERE u.is_active AND c.is_published AND c.voting_method = b.column4 AND c.vote_verification = b.column6 "
        "AND c.voting_opens_at <= %s AND c.voting_closes_at > %s "
        "AND p.status NOT IN (%s, %s) AND NOT p.is_hidden AND p.merged_into_id IS NULL "
        "AND p.author_id <> b.column1 "
        f"AND NOT EXISTS (SELECT 1 FROM {coauthor} a WHERE a.proposal_id = p.id AND a.user_id = b.column1) "
        f'AND EXISTS (SELECT 1 FROM {email} e WHERE e.user_id = b.column1 AND e.verified AND e."primary") '
        f"AND (b.column5 = '' OR EXISTS (SELECT 1 FROM {token} t WHERE t.key = b.column5 AND t.user_id = b.column1)) "
        "ORDER BY b.column1, b.column2 "
        "ON CONFLICT (voter_id, proposal_id) DO NOTHING"
    )
    return sql, [now, now, *params, now, now, Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN]


def _store_in_one_statement(ballots: list[Ballot]) -> list[tuple[int, int, int]]:
    """PostgreSQL, no approval ballot: ballots, summed tallies and shards in one statement (one round trip).

    Data-modifying CTEs; the tallies and shards are upserted from what the INSERT really stored.
    A tally's score is recomputed only when the batch brought it up or down votes (updown).
    """
    insert, params = _insert_sql(ballots)
    tally, shard, contest = ProposalTally._meta.db_table, ContestTallyShard._meta.db_table, Contest._meta.db_table
    new_score, new_params = _score_sql(Method.UPDOWN, up="up", down="down", ballots="", current="")
    t = f'"{tally}"'
    old_score, old_params = _score_sql(
        Method.UPDOWN,
        up=f"{t}.positive + excluded.positive",
        down=f"{t}.negative + excluded.negative",
        ballots="",
        current="",
    )
    sql = (
        f"WITH ins AS ({insert} RETURNING id, voter_id, proposal_id, contest_id, value), "  # noqa: S608 - table names from the models, values as parameters
        "sums AS (SELECT i.proposal_id, i.contest_id, count(*) AS n, sum(i.value) AS s, "
        f"count(*) FILTER (WHERE c.voting_method = %s AND i.value = 1) AS up, "
        f"count(*) FILTER (WHERE c.voting_method = %s AND i.value = -1) AS down "
        f"FROM ins i JOIN {contest} c ON c.id = i.contest_id GROUP BY i.proposal_id, i.contest_id), "
        f"tallies AS (INSERT INTO {t} (proposal_id, contest_id, ballots, value_sum, positive, negative, comparisons, "
        f"wins, score) SELECT proposal_id, contest_id, n, s, up, down, 0, 0, {new_score} FROM sums ORDER BY proposal_id "
        f"ON CONFLICT (proposal_id) DO UPDATE SET ballots = {t}.ballots + excluded.ballots, "
        f"value_sum = {t}.value_sum + excluded.value_sum, positive = {t}.positive + excluded.positive, "
        f"negative = {t}.negative + excluded.negative, "
        f"score = CASE WHEN excluded.positive + excluded.negative > 0 THEN {old_score} ELSE {t}.score END RETURNING 1), "
        f'shards AS (INSERT INTO "{shard}" (contest_id, shard, ballots, value_sum) '
        f"SELECT contest_id, floor(random() * {CONTEST_TALLY_SHARDS})::int, sum(n), sum(s) FROM sums "
        f"GROUP BY contest_id ORDER BY contest_id ON CONFLICT (contest_id, shard) DO UPDATE SET "
        f'ballots = "{shard}".ballots + excluded.ballots, value_sum = "{shard}".value_sum + excluded.value_sum '
        "RETURNING 1) "
        "SELECT id, voter_id, proposal_id FROM ins"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, Method.UPDOWN, Method.UPDOWN, *new_params, *old_params])
        return [tuple(row) for row in cursor.fetchall()]


def _approval_take(ballot: Ballot, vote_id: int) -> bool:
    """Take one support from the voter's budget (the contest's limit read in the same statement); False if none is left."""
    budget, contest = ApprovalBudget._meta.db_table, Contest._meta.db_table
    ApprovalBudget.objects.bulk_create(
        [ApprovalBudget(voter_id=ballot.voter_id, contest_id=ballot.contest_id)], ignore_conflicts=True
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {budget} SET used = used + 1 WHERE voter_id = %s AND contest_id = %s "  # noqa: S608 - table names from the models
            f"AND used < (SELECT approval_limit FROM {contest} WHERE id = %s)",
            [ballot.voter_id, ballot.contest_id, ballot.contest_id],
        )
        if cursor.rowcount:
            return True
    Vote.objects.filter(pk=vote_id).delete()
    return False


def _tallies_add(ballots: list[Ballot]) -> None:
    """Add the stored ballots to their proposals' tallies: one upsert per voting method, summed per proposal."""
    by_method: dict[str, dict[int, list[int]]] = defaultdict(dict)
    for ballot in ballots:
        row = by_method[ballot.method].setdefault(ballot.proposal_id, [ballot.contest_id, 0, 0, 0, 0])
        row[1] += 1
        row[2] += ballot.value
        row[3] += ballot.method == Method.UPDOWN and ballot.value == 1
        row[4] += ballot.method == Method.UPDOWN and ballot.value == -1
    table = ProposalTally._meta.db_table
    for method, sums in by_method.items():
        t = f'"{table}"'
        new_score, new_params = _score_sql(method, up="b.column5", down="b.column6", ballots="b.column3", current="0.0")
        old_score, old_params = _score_sql(
            method,
            up=f"{t}.positive + excluded.positive",
            down=f"{t}.negative + excluded.negative",
            ballots=f"{t}.ballots + excluded.ballots",
            current=f"{t}.score",
        )
        rows = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(sums))
        params: list = []
        for proposal_id in sorted(sums):
            contest_id, count, value_sum, positive, negative = sums[proposal_id]
            params += [proposal_id, contest_id, count, value_sum, positive, negative]
        sql = (
            f"INSERT INTO {t} (proposal_id, contest_id, ballots, value_sum, positive, negative, comparisons, wins, score) "  # noqa: S608 - table name from the model, values as parameters
            f"SELECT b.column1, b.column2, b.column3, b.column4, b.column5, b.column6, 0, 0, {new_score} "
            f"FROM (VALUES {rows}) AS b WHERE true ORDER BY b.column1 "
            f"ON CONFLICT (proposal_id) DO UPDATE SET ballots = {t}.ballots + excluded.ballots, "
            f"value_sum = {t}.value_sum + excluded.value_sum, positive = {t}.positive + excluded.positive, "
            f"negative = {t}.negative + excluded.negative, score = {old_score}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*new_params, *params, *old_params])


def _shards_add(ballots: list[Ballot]) -> None:
    """Add the stored ballots to one random tally shard per contest (one upsert)."""
    sums: dict[int, list[int]] = {}
    for ballot in ballots:
        row = sums.setdefault(ballot.contest_id, [0, 0])
        row[0] += 1
        row[1] += ballot.value
    table = f'"{ContestTallyShard._meta.db_table}"'
    params: list = []
    for contest_id in sorted(sums):
        shard = random.randrange(CONTEST_TALLY_SHARDS)  # noqa: S311 - load spreading, not security
        params += [contest_id, shard, *sums[contest_id]]
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(sums))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (contest_id, shard, ballots, value_sum) VALUES {rows} "  # noqa: S608 - table name from the model
            f"ON CONFLICT (contest_id, shard) DO UPDATE SET ballots = {table}.ballots + excluded.ballots, "
            f"value_sum = {table}.value_sum + excluded.value_sum",
            params,
        )


def ballots_store(ballots: list[Ballot]) -> list[int | None]:
    """Write the ballots in the current transaction; for each, the new Vote id or None (not stored here).

    The same citizen's second ballot on one proposal in a batch is left to the one-ballot path.
    """
    seen: set[tuple[int, int]] = set()
    unique = []
    for ballot in ballots:
        key = (ballot.voter_id, ballot.proposal_id)
        if key not in seen:
            seen.add(key)
            unique.append(ballot)
    by_key = {(b.voter_id, b.proposal_id): b for b in unique}
    stored: dict[tuple[int, int], int] = {}
    if connection.vendor == "postgresql" and all(ballot.method != Method.APPROVAL for ballot in unique):
        stored = {
            (voter_id, proposal_id): vote_id for vote_id, voter_id, proposal_id in _store_in_one_statement(unique)
        }
        return _results(ballots, stored)
    for vote_id, voter_id, proposal_id in sorted(_ballots_insert(unique), key=lambda row: (row[1], row[2])):
        ballot = by_key[(voter_id, proposal_id)]
        if ballot.method == Method.APPROVAL and not _approval_take(ballot, vote_id):
            continue  # no support left: the one-ballot path refuses it with the message
        stored[(voter_id, proposal_id)] = vote_id
    kept = [by_key[key] for key in stored]
    if kept:
        _tallies_add(kept)
        _shards_add(kept)
    return _results(ballots, stored)


def _results(ballots: list[Ballot], stored: dict[tuple[int, int], int]) -> list[int | None]:
    results: list[int | None] = []
    taken: set[tuple[int, int]] = set()
    for ballot in ballots:
        key = (ballot.voter_id, ballot.proposal_id)
        results.append(stored.get(key) if key not in taken else None)
        taken.add(key)
    return results


def deadlock_retried(func):
    """Run a one-ballot transaction again (up to 3 times) when PostgreSQL broke a deadlock with a batch.

    Nothing of the failed attempt was committed, so trying again is safe; inside a caller's
    transaction it cannot be done and the error is raised.
    """

    @functools.wraps(func)
    def retried(*args, **kwargs):
        for attempt in range(3):
            try:
                return func(*args, **kwargs)
            except OperationalError as error:
                if attempt == 2 or connection.in_atomic_block or "deadlock" not in str(error):
                    raise
                time.sleep(0.01 * (attempt + 1))
        return None

    return retried


# --- the committer --------------------------------------------------------------------------


class GroupCommitter:
    """One per process: a daemon thread writing queued ballots in shared transactions."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._pid: int | None = None
        self.batches = 0  # transactions committed (read by tests and the benchmark)
        self.ballots = 0

    def submit(self, ballot: Ballot) -> Future:
        self._ensure_thread()
        future: Future = Future()
        self._queue.put((ballot, future))
        return future

    def _ensure_thread(self) -> None:
        import os

        with self._lock:
            if self._pid != os.getpid():
                self._pid = os.getpid()
                self._queue = queue.SimpleQueue()
                threading.Thread(target=self._run, name="vote-group-commit", daemon=True).start()

    def _gather(self, first) -> list:
        batch = [first]
        window = settings.VOTE_GROUP_COMMIT_WINDOW_MS / 1000
        deadline = time.monotonic() + window
        while len(batch) < settings.VOTE_GROUP_COMMIT_MAX:
            remaining = deadline - time.monotonic()
            try:
                batch.append(self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _run(self) -> None:
        while True:
            batch = self._gather(self._queue.get())
            try:
                self._commit(batch)
            except BaseException as error:  # noqa: BLE001 - never leave a caller waiting
                for _ballot, future in batch:
                    if not future.done():
                        future.set_exception(error)
            finally:
                if self._queue.empty():
                    connection.close()  # back to the pool; no connection held while idle

    def _commit(self, batch: list) -> None:
        ballots = [ballot for ballot, _future in batch]
        for attempt in range(4):
            try:
                with transaction.atomic():
                    results = ballots_store(ballots)
                break
            except OperationalError:  # a deadlock or a lost connection: nothing was committed, so retry
                connection.close()
                if attempt == 3:
                    raise
                time.sleep(0.005 * (attempt + 1))
            except DatabaseError:
                if len(batch) == 1:
                    raise
                for one in batch:  # one bad ballot must not fail the others
                    self._commit([one])
                return
        self.batches += 1
        self.ballots += sum(result is not None for result in results)
        for (_ballot, future), result in zip(batch, results, strict=True):
            future.set_result(result)
        for contest_id in {ballot.contest_id for ballot, result in zip(ballots, results, strict=True) if result}:
            board_mark_dirty(group=leaderboard_group(contest_id))
        _announce(ballots, results)


def _announce(ballots: list[Ballot], results: list[int | None]) -> None:
    """Send ballots_cast once for the stored ballots that came with their request's facts (the fast lane's)."""
    facts = [
        {
            "vote_id": vote_id,
            "voter_id": ballot.voter_id,
            "proposal_id": ballot.proposal_id,
            "contest_id": ballot.contest_id,
            "value": ballot.value,
            "network": ballot.network,
            "device": ballot.device,
        }
        for ballot, vote_id in zip(ballots, results, strict=True)
        if vote_id is not None and ballot.network is not None
    ]
    if facts:
        ballots_cast.send_robust(sender=Vote, ballots=facts)


committer = GroupCommitter()


def _use_committer() -> bool:
    return settings.VOTE_GROUP_COMMIT and connection.vendor == "postgresql" and not connection.in_atomic_block


def ballot_write(ballot: Ballot, timeout: float = 30.0) -> int | None:
    """Store a new ballot (see the module docstring): its Vote id once committed, or None."""
    if _use_committer():
        if connection.settings_dict.get("OPTIONS", {}).get("pool"):
            connection.close()  # back to the pool while waiting: the committer needs only its own
        return committer.submit(ballot).result(timeout=timeout)
    with transaction.atomic():
        vote_id = ballots_store([ballot])[0]
        if vote_id is not None:
            transaction.on_commit(lambda: board_mark_dirty(group=leaderboard_group(ballot.contest_id)))
    return vote_id
