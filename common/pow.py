"""A self-hosted proof-of-work challenge against automated sign-ups and votes (no third party).

The server hands out a signed challenge; the browser (static/js/pow.js) finds a number
`solution` such that sha256("<challenge>:<solution>") starts with `difficulty` zero bits —
about 2^difficulty hashes, a second or two for a person, a real cost for a script that
wants thousands. The challenge carries its scope, difficulty and time and is signed with
HMAC-SHA256 (SECRET_KEY), so the server keeps no state until a solution is used; a used
challenge is remembered in the shared cache until it expires, so it cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

CHALLENGE_LIFETIME = 600  # seconds


def _sign(body: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"pow:{body}".encode(), hashlib.sha256).hexdigest()[:32]


def challenge_issue(*, scope: str, difficulty: int) -> str:
    """A new challenge for `scope` ("signup", "vote"): scope.difficulty.time.nonce.signature."""
    body = f"{scope}.{int(difficulty)}.{int(time.time())}.{secrets.token_hex(8)}"
    return f"{body}.{_sign(body)}"


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def solution_valid(challenge: str, solution: str) -> bool:
    """Whether the solution meets the challenge's difficulty (the challenge itself is checked by challenge_error)."""
    try:
        difficulty = int(challenge.split(".")[1])
    except (IndexError, ValueError):
        return False
    if not solution.isdigit() or len(solution) > 20:
        return False
    digest = hashlib.sha256(f"{challenge}:{solution}".encode()).digest()
    return leading_zero_bits(digest) >= difficulty


def challenge_error(*, challenge: str, solution: str, scope: str, min_difficulty: int) -> str | None:
    """Why this answer does not pass (a message for the person), or None when it does. Does not use it up."""
    parts = (challenge or "").split(".")
    if len(parts) != 5 or not hmac.compare_digest(_sign(".".join(parts[:4])), parts[4]):
        return _("The anti-robot check is missing or damaged. Reload the page and try again.")
    got_scope, difficulty, issued = parts[0], parts[1], parts[2]
    if got_scope != scope or not difficulty.isdigit() or int(difficulty) < min_difficulty:
        return _("The anti-robot check is missing or damaged. Reload the page and try again.")
    if not issued.isdigit() or time.time() - int(issued) > CHALLENGE_LIFETIME:
        return _("The anti-robot check has expired. Reload the page and try again.")
    if not solution_valid(challenge, solution or ""):
        return _("The anti-robot check was not completed. Allow JavaScript on this page, or wait a moment and retry.")
    if cache.get(f"pow:used:{parts[4]}"):
        return _("This anti-robot check was already used. Reload the page and try again.")
    return None


def challenge_use(challenge: str) -> bool:
    """Mark the challenge used; False if another request used it first."""
    signature = challenge.rsplit(".", 1)[-1]
    try:
        return cache.add(f"pow:used:{signature}", 1, timeout=CHALLENGE_LIFETIME + 60)
    except Exception:  # noqa: BLE001 - cache down: the signature and difficulty still had to be paid
        return True


def challenge_check_and_use(*, challenge: str, solution: str, scope: str, min_difficulty: int) -> str | None:
    """challenge_error, then use the challenge up; None when it passed."""
    error = challenge_error(challenge=challenge, solution=solution, scope=scope, min_difficulty=min_difficulty)
    if error is None and not challenge_use(challenge):
        return _("This anti-robot check was already used. Reload the page and try again.")
    return error
