"""Where a vote request's time goes: py-spy's raw samples summarised by category, function and leaf."""

import collections
import re
from pathlib import Path

# Where a vote request's time goes: the first matching frame of a sample's stack names its share.
PROFILE_CATEGORIES = (
    ("publisher: leaderboard snapshot", "_take_snapshot"),
    ("token authentication", "TokenAuthentication.authenticate"),
    ("throttles (Redis cache)", "check_throttles"),
    ("engagement points (on commit)", "engagement/"),
    ("vote_cast service (SQL)", "vote_cast"),
    ("proposal_for_vote selector", "proposal_for_vote"),
    ("rest of the DRF view", "APIView.dispatch"),
    ("middleware and Django handler", "get_response"),
    ("ASGI / asgiref thread hops", "asgiref/"),
    ("uvicorn protocol", "uvicorn/"),
)
GENERIC_FRAMES = ("threading.py", "concurrent/futures", "asgiref/", "asyncio/", "selectors.py", "runners.py")


def profile_summary(raw: Path, top: int = 15) -> dict:
    """Shares of py-spy's samples: by category, by function (inclusive, generic frames left out) and by leaf."""
    inclusive, own, categories = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        count = int(count)
        total += count
        frames = [re.sub(r":\d+\)$", ")", f) for f in stack.split(";")]
        frames = [re.sub(r"\(/[^)]*?/(site-packages|main|python3\.\d+)/", "(", f) for f in frames]
        for frame in set(frames):
            if not any(generic in frame for generic in GENERIC_FRAMES):
                inclusive[frame] += count
        own[frames[-1]] += count
        joined = ";".join(frames)
        label = next((name for name, needle in PROFILE_CATEGORIES if needle in joined), "other (idle threads, loop)")
        categories[label] += count
    share = lambda c, n: [(name, round(100 * k / total, 1)) for name, k in c.most_common(n)]  # noqa: E731
    return {
        "samples": total,
        "raw": str(raw),
        "categories": share(categories, len(PROFILE_CATEGORIES) + 1),
        "inclusive": share(inclusive, top),
        "self": share(own, top),
    }
