"""The fast lane of the commonest write: a new ballot sent with an API token, answered on the event loop.

`POST /api/v1/proposals/<id>/vote/` is what a busy contest receives thousands of times a second.
This ASGI wrapper (config/asgi.py) answers it without Django's middleware, DRF or a worker thread
when everything the answer depends on is known in this process: the token's user (learnt when
Django last authenticated it), that user verified, the proposal's vote facts, a value the method
accepts (updown and stars; approval answers need a query), the host allowed and, if required,
HTTPS. It counts the vote rate limits and the proof-of-work counter in one Redis script (the same
counters as common.ratelimit and voting.challenge), hands the ballot, with its client address and
device for the integrity monitor, to group commit and answers 201 once the ballot's transaction has
committed. The INSERT re-checks the token, the user and every voting rule in SQL.

Anything else — another method or path, a session, an unknown token, a refusal, a changed ballot,
a value to explain, Redis or the committer unavailable — goes on to Django unchanged (the body is
replayed), which gives the answer it always gave; the rate limit is then not counted twice.
Only with PostgreSQL and Redis (VOTE_GROUP_COMMIT on); elsewhere every request goes to Django.
"""

import asyncio
import json
import logging
import re
import time

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.http.request import split_domain_port, validate_host

from common.ratelimit import COUNTED_SCOPE_KEY, parse_rate, rate_limit_bucket
from contests.models import Contest
from engagement.services import contest_voted
from voting import votefacts
from voting.groupcommit import Ballot, committer
from voting.quarantine import ballot_device
from voting.services import vote_value_parse

logger = logging.getLogger(__name__)
Method = Contest.VotingMethod

VOTE_PATH = re.compile(r"/api/v1/proposals/([1-9][0-9]{0,17})/vote/")
MAX_BODY = 1024
_redis_client = None


def fast_lane_enabled() -> bool:
    return bool(settings.REDIS_URL and settings.VOTE_GROUP_COMMIT and connection.vendor == "postgresql")


def _count_script():
    """The counting script on one asyncio Redis client per event loop (connections belong to the loop that opened them)."""
    global _redis_client
    loop = asyncio.get_running_loop()
    if _redis_client is None or _redis_client[0] is not loop:
        import redis.asyncio

        client = redis.asyncio.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
        _redis_client = (loop, client.register_script(_COUNT_SCRIPT))
    return _redis_client[1]


def _client_ident(scope: dict, headers: dict[bytes, bytes]) -> str:
    """DRF's get_ident (what common.ratelimit counts by): the address NUM_PROXIES proxies away, else the peer."""
    remote = (scope.get("client") or ("", 0))[0]
    xff = headers.get(b"x-forwarded-for")
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES")
    if proxies is not None:
        if proxies == 0 or xff is None:
            return remote
        addrs = xff.decode("latin-1").split(",")
        return addrs[-min(proxies, len(addrs))].strip()
    return "".join(xff.decode("latin-1").split()) if xff else remote


def _is_secure(scope: dict, headers: dict[bytes, bytes]) -> bool:
    header, value = settings.SECURE_PROXY_SSL_HEADER or (None, None)
    if header:
        name = header.removeprefix("HTTP_").replace("_", "-").lower().encode()
        if name in headers:
            return headers[name].decode("latin-1").split(",")[0].strip() == value
    return scope.get("scheme") == "https"


# One round trip for what the lane counts in Redis (the same keys as common.ratelimit and
# voting.challenge). KEYS: the address's and the account's vote counters, the account's proof-of-work
# counter. ARGV: the vote rate's allowance and window, the proof-of-work allowance (0: off) and window.
# Returns {highest vote count, 1 if a proof of work is due}. Over the vote rate, the proof-of-work
# counter is not touched (Django answers 429); at POW_VOTE_RATE it is read, not counted: Django counts
# it when it asks for the proof.
_COUNT_SCRIPT = """
local highest = 0
for i = 1, 2 do
  local count = redis.call('INCR', KEYS[i])
  if count == 1 then redis.call('EXPIRE', KEYS[i], ARGV[2] + 1) end
  if count > highest then highest = count end
end
if highest > tonumber(ARGV[1]) or tonumber(ARGV[3]) <= 0 then return {highest, 0} end
local proofs = tonumber(redis.call('GET', KEYS[3]) or '0')
if proofs >= tonumber(ARGV[3]) then return {highest, 1} end
if redis.call('INCR', KEYS[3]) == 1 then redis.call('EXPIRE', KEYS[3], ARGV[4] + 1) end
return {highest, 0}
"""


async def _counted(ident: str, user_id: int) -> tuple[bool, bool] | None:
    """Count the ballot on the vote-rate and proof-of-work counters: (over the vote rate, proof due); None if Redis failed.

    Without a vote rate the vote counters count harmlessly (no limit); the proof of work still applies.
    """
    rate = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get("vote")
    allowed, period = parse_rate(rate) if rate else (2**62, 60)
    pow_allowed, pow_period = parse_rate(settings.POW_VOTE_RATE)
    now = time.time()
    keys = [
        rate_limit_bucket(f"vote:ip:{ident}", period, now),
        rate_limit_bucket(f"vote:user:{user_id}", period, now),
        rate_limit_bucket(f"pow:vote:user:{user_id}", max(pow_period, 1), now),
    ]
    try:
        highest, proof_due = await _count_script()(keys=keys, args=[allowed, period, max(pow_allowed, 0), pow_period])
    except Exception:  # noqa: BLE001 - Django's path decides (it lets the write through when Redis is down)
        return None
    return int(highest) > allowed, bool(proof_due)


def _seconds_to_wait() -> int:
    _allowed, period = parse_rate(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["vote"])
    return max(1, period - int(time.time()) % period)


def _ballot(scope: dict, headers: dict[bytes, bytes], body: bytes) -> tuple[Ballot, str] | int | None:
    """The ballot and client address if this request can be answered here without the database, else None.

    The voter's id instead when only the proposal's vote facts are missing.
    """
    host = headers.get(b"host", b"").decode("latin-1")
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    if settings.SECURE_SSL_REDIRECT and not _is_secure(scope, headers):
        return None
    if not headers.get(b"content-type", b"").startswith(b"application/json"):
        return None
    scheme, _, key = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
    if scheme.lower() != "token" or not key:
        return None
    user_id = votefacts.token_user_id(key.strip())
    if user_id is None or not votefacts.verified_cached(user_id):
        return None
    facts = votefacts.cached_proposal_facts(int(VOTE_PATH.fullmatch(scope["path"]).group(1)))
    if facts is None:
        return user_id  # the proposal's facts are to be loaded first (_answer)
    if facts.method not in (Method.UPDOWN, Method.STARS) or not facts.votable_by(user_id):
        return None
    try:
        data = json.loads(body)
        value = vote_value_parse(contest=Contest(voting_method=facts.method), raw=data["value"])
    except (ValueError, TypeError, KeyError, ValidationError):
        return None
    ident = _client_ident(scope, headers)
    ballot = Ballot(
        voter_id=user_id,
        proposal_id=facts.proposal_id,
        contest_id=facts.contest_id,
        method=facts.method,
        value=value,
        token_key=key.strip(),
        verification=facts.vote_verification,
        network=ident,
        device=ballot_device(
            headers.get(b"user-agent", b"").decode("latin-1"), headers.get(b"accept-language", b"").decode("latin-1")
        ),
    )
    return ballot, ident


def _load_facts(proposal_id: int):
    try:
        return votefacts.proposal_facts(proposal_id)
    finally:
        connection.close()  # back to the pool


def _response_headers(secure: bool, length: int) -> list[tuple[bytes, bytes]]:
    """What Django, its security middleware and DRF put on this answer."""
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(length).encode()),
        (b"vary", b"Accept, Accept-Language, Cookie"),
        (b"allow", b"POST, DELETE, OPTIONS"),
        (b"x-frame-options", settings.X_FRAME_OPTIONS.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", settings.SECURE_REFERRER_POLICY.encode()),
        (b"cross-origin-opener-policy", (settings.SECURE_CROSS_ORIGIN_OPENER_POLICY or "same-origin").encode()),
    ]
    if secure and settings.SECURE_HSTS_SECONDS:
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        headers.append((b"strict-transport-security", hsts.encode()))
    return headers


def _points_award(ballot: Ballot) -> None:
    """In a worker thread, after the answer has gone: the once-per-contest points; never fails the vote.

    What voting.views and voting.api.views do on commit for the other paths. The ballot's facts for
    the integrity monitor go with its transaction's batch (voting.signals.ballots_cast).
    """
    try:
        contest_voted(user_id=ballot.voter_id, contest=Contest(pk=ballot.contest_id))
        votefacts.remember_points(ballot.voter_id, ballot.contest_id)
    except Exception:
        logger.exception("Could not award the points of a vote")
    finally:
        connection.close()  # this worker thread's connection goes back to the pool


async def _answer(scope: dict, body: bytes, send) -> bool:
    """Answer the request here if it can be; False to hand it to Django."""
    headers = dict(scope["headers"])
    found = _ballot(scope, headers, body)
    if isinstance(found, int):  # one query in a worker thread, then cached for every later vote on it
        proposal_id = int(VOTE_PATH.fullmatch(scope["path"]).group(1))
        facts = await sync_to_async(_load_facts, thread_sensitive=False)(proposal_id)
        found = None if facts is None else _ballot(scope, headers, body)
    if not isinstance(found, tuple):
        return False
    ballot, ident = found
    counted = await _counted(ident, ballot.voter_id)
    if counted is None:  # Redis unavailable
        return False
    limited, proof_due = counted
    # Counted: if Django's path takes the request on, it uses this count instead of counting again.
    scope[COUNTED_SCOPE_KEY] = {"vote": _seconds_to_wait() if limited else None}
    if limited or proof_due:
        return False  # Django answers 429 with its message, or asks for the proof of work (428) and checks it
    try:
        vote_id = await asyncio.wrap_future(committer.submit(ballot))
    except Exception:  # noqa: BLE001 - nothing was acknowledged; Django's path tries again and reports
        logger.warning("Group commit failed; the vote goes through Django", exc_info=True)
        return False
    if vote_id is None:
        return False  # not a new ballot, or a rule no longer holds: Django explains
    payload = json.dumps({"proposal_id": ballot.proposal_id, "value": ballot.value, "remaining_supports": None})
    content = payload.encode()
    secure = _is_secure(scope, headers)
    await send({"type": "http.response.start", "status": 201, "headers": _response_headers(secure, len(content))})
    await send({"type": "http.response.body", "body": content})
    if not votefacts.points_awarded(ballot.voter_id, ballot.contest_id):
        # Handed to a worker thread now, not awaited: the answer is already on its way.
        asyncio.get_running_loop().run_in_executor(None, _points_award, ballot)
    return True


def vote_fast_lane(app):
    """Wrap the Django ASGI application with the fast lane (a no-op unless PostgreSQL and Redis are configured)."""
    if not fast_lane_enabled():
        return app

    async def fast_lane(scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or not VOTE_PATH.fullmatch(scope["path"]):
            return await app(scope, receive, send)
        chunks, size, message = [], 0, {"more_body": True}
        while message.get("more_body") and size <= MAX_BODY:
            message = await receive()
            if message["type"] != "http.request":
                return await app(scope, _replay([], message, receive), send)
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
        body = b"".join(chunks)
        if not message.get("more_body") and size <= MAX_BODY and await _answer(scope, body, send):
            return None
        return await app(scope, _replay(chunks, message, receive), send)

    return fast_lane


def _replay(chunks: list[bytes], last: dict, receive):
    """A receive() giving Django the body chunks already read, then the rest of the request."""
    pending = [{"type": "http.request", "body": chunk, "more_body": True} for chunk in chunks]
    if pending:
        pending[-1]["more_body"] = bool(last.get("more_body"))
    elif last.get("type") != "http.request":
        pending = [last]

    async def replayed():
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
