"""What a vote needs to know, cached per process: the proposal's contest, method and authors, and verified voters.

The vote path reads these instead of loading the proposal with its contest, agency and
co-authors and the voter's email addresses (four queries a vote). Entries live for
VOTE_FACTS_SECONDS and are dropped at once when the proposal, its contest, its co-authors
or the voter's user row or email addresses are saved or deleted in this process (signals
connected in voting.apps). The cache only ever says "may vote": the ballot INSERT of
voting.groupcommit checks the same rules again in SQL, so a change made in another process,
or by a bulk update that sends no signal, can never let a ballot in; it only sends that
vote through the slower path, which reads everything afresh and explains the refusal.
"""

import threading
import time
from dataclasses import dataclass, fields
from datetime import datetime

from django.utils import timezone

from proposals.models import Proposal, ProposalCoAuthor

VOTE_FACTS_SECONDS = 30.0
_MAX_ENTRIES = 50_000
# A miss loads the facts of the contest's other public proposals too (two queries), up to this many:
# in a busy contest every voter moves on to proposals nobody has voted on in this process yet.
CONTEST_WARM_MAX = 20_000


@dataclass(frozen=True)
class ProposalFacts:
    proposal_id: int
    contest_id: int
    contest_slug: str
    method: str
    approval_limit: int
    voting_opens_at: datetime
    voting_closes_at: datetime
    author_ids: frozenset[int]
    vote_verification: str = "email"

    def votable_by(self, voter_id: int, now: datetime | None = None) -> bool:
        """The proposal is public (a fact only cached when true) and voting is open, and it is not the voter's.

        A contest asking for more than a verified email (a phone, the census list) always takes
        the full path, where contests.rules.verification_refusal checks the level.
        """
        now = now or timezone.now()
        return (
            self.vote_verification == "email"
            and self.voting_opens_at <= now < self.voting_closes_at
            and voter_id not in self.author_ids
        )


_CONTEST_FIELDS = tuple(f.name for f in fields(ProposalFacts) if f.name not in ("proposal_id", "author_ids"))


class _TimedCache:
    def __init__(self) -> None:
        self._entries: dict = {}
        self._lock = threading.Lock()

    def get(self, key):
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, key, value) -> None:
        with self._lock:
            if len(self._entries) >= _MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (time.monotonic() + VOTE_FACTS_SECONDS, value)

    def put_many(self, items: dict) -> None:
        expiry = time.monotonic() + VOTE_FACTS_SECONDS
        with self._lock:
            if len(self._entries) + len(items) > _MAX_ENTRIES:
                self._entries.clear()
            self._entries.update({key: (expiry, value) for key, value in items.items()})

    def drop(self, key) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def drop_where(self, test) -> None:
        with self._lock:
            for key in [key for key, (_expiry, value) in self._entries.items() if test(value)]:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_proposals = _TimedCache()
_verified = _TimedCache()
_tokens = _TimedCache()  # API token key -> user id, learnt from requests Django authenticated
_points_done = _TimedCache()  # (user id, contest id) whose once-per-contest points are awarded
_contests_warmed = _TimedCache()  # contest ids whose proposals were loaded together lately
_warming = threading.Lock()


def cached_proposal_facts(proposal_id: int) -> ProposalFacts | None:
    """The cached facts only (no query): for the event loop's fast lane, voting.api.fastlane."""
    return _proposals.get(proposal_id)


def token_user_id(key: str) -> int | None:
    """The user of an API token seen in this process lately (the INSERT checks the token still exists)."""
    return _tokens.get(key)


def remember_token(key: str, user_id: int) -> None:
    _tokens.put(key, user_id)


def verified_cached(user_id: int) -> bool:
    return bool(_verified.get(user_id))


def points_awarded(user_id: int, contest_id: int) -> bool:
    return bool(_points_done.get((user_id, contest_id)))


def remember_points(user_id: int, contest_id: int) -> None:
    _points_done.put((user_id, contest_id), True)


def proposal_facts(proposal_id: int) -> ProposalFacts | None:
    """The facts of a public proposal in a published contest; None if it is not one (or does not exist)."""
    facts = _proposals.get(proposal_id)
    if facts is not None:
        return facts
    proposal = (
        Proposal.objects.public()
        .filter(pk=proposal_id, contest__is_published=True)
        .select_related("contest")
        .only(
            "pk",
            "author_id",
            "contest__slug",
            "contest__voting_method",
            "contest__approval_limit",
            "contest__voting_opens_at",
            "contest__voting_closes_at",
            "contest__vote_verification",
        )
        .first()
    )
    if proposal is None:
        return None
    contest = proposal.contest
    authors = frozenset({proposal.author_id, *proposal.coauthorships.values_list("user_id", flat=True)})
    facts = ProposalFacts(
        proposal_id=proposal.pk,
        contest_id=contest.pk,
        contest_slug=contest.slug,
        method=contest.voting_method,
        approval_limit=contest.approval_limit,
        voting_opens_at=contest.voting_opens_at,
        voting_closes_at=contest.voting_closes_at,
        author_ids=authors,
        vote_verification=contest.vote_verification,
    )
    _proposals.put(proposal_id, facts)
    # One thread warms a contest; the others meanwhile load just their own proposal.
    if not _contests_warmed.get(contest.pk) and _warming.acquire(blocking=False):
        try:
            if not _contests_warmed.get(contest.pk):
                _contest_warm(facts)
        finally:
            _warming.release()
    return facts


def _contest_warm(known: ProposalFacts) -> None:
    """Cache the facts of the other public proposals of `known`'s contest (they share its contest's facts)."""
    _contests_warmed.put(known.contest_id, True)
    rows = list(
        Proposal.objects.public()
        .filter(contest_id=known.contest_id)
        .exclude(pk=known.proposal_id)
        .order_by("pk")
        .values_list("pk", "author_id")[:CONTEST_WARM_MAX]
    )
    if not rows:
        return
    authors = {pk: {author_id} for pk, author_id in rows}
    coauthors = ProposalCoAuthor.objects.filter(proposal__contest_id=known.contest_id).values_list(
        "proposal_id", "user_id"
    )
    for proposal_id, user_id in coauthors:
        if proposal_id in authors:
            authors[proposal_id].add(user_id)
    shared = {name: getattr(known, name) for name in _CONTEST_FIELDS}
    _proposals.put_many(
        {pk: ProposalFacts(proposal_id=pk, author_ids=frozenset(ids), **shared) for pk, ids in authors.items()}
    )


def voter_verified(user) -> bool:
    """accounts.rules.is_verified, remembered while true."""
    from accounts.rules import is_verified

    if _verified.get(user.pk):
        return True
    verified = bool(is_verified(user))
    if verified:
        _verified.put(user.pk, True)
    return verified


# --- invalidation (receivers connected in voting.apps) ---------------------------------------


def forget_proposal(sender, instance, **kwargs) -> None:
    _proposals.drop(instance.pk)


def forget_coauthorship(sender, instance, **kwargs) -> None:
    _proposals.drop(instance.proposal_id)


def forget_contest(sender, instance, **kwargs) -> None:
    _contests_warmed.drop(instance.pk)
    _proposals.drop_where(lambda facts: facts.contest_id == instance.pk)


def forget_user(sender, instance, **kwargs) -> None:
    _verified.drop(instance.pk)
    _tokens.drop_where(lambda user_id: user_id == instance.pk)


def forget_token(sender, instance, **kwargs) -> None:
    _tokens.drop(instance.key)


def forget_email_address(sender, instance, **kwargs) -> None:
    _verified.drop(instance.user_id)


def forget_everything() -> None:
    for cache in (_proposals, _verified, _tokens, _points_done, _contests_warmed):
        cache.clear()
