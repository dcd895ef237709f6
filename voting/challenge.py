"""Proof of work on fast voting (common.pow): an account casting more than POW_VOTE_RATE ballots
must solve a challenge for each further ballot in the window. A person voting at their pace
never sees it; a script pays about 2^POW_VOTE_DIFFICULTY hashes per ballot.
"""

from __future__ import annotations

from django.conf import settings

from common.pow import challenge_check_and_use, challenge_issue
from common.ratelimit import rates_exceeded


def vote_challenge_error(request, *, challenge: str, solution: str) -> str | None:
    """None when the ballot may go ahead; otherwise why not (a fresh challenge is then needed)."""
    if not rates_exceeded([(f"pow:vote:user:{request.user.pk}", settings.POW_VOTE_RATE)]):
        return None
    return (
        challenge_check_and_use(
            challenge=challenge, solution=solution, scope="vote", min_difficulty=settings.POW_VOTE_DIFFICULTY
        )
        or None
    )


def vote_challenge_new() -> dict:
    difficulty = settings.POW_VOTE_DIFFICULTY
    return {"challenge": challenge_issue(scope="vote", difficulty=difficulty), "difficulty": difficulty}
