"""In-process measurements against the bench database (run by bench/run.py after the load phases):

- lost votes: Vote rows vs accepted (201) responses, and tallies vs ballots, per contest;
- cost per push: leaderboard_snapshot + json.dumps at 10 / 1,000 / 10,000 proposals (median of N runs);
- queries per vote request (one probe request through the real URL conf and middleware).

    python bench/inprocess.py <seed.json> <accepted.json> <out.json>
"""

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Sum  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from contests.models import Contest  # noqa: E402
from voting.leaderboard import leaderboard_snapshot
from voting.models import ContestTallyShard, ProposalTally, Vote  # noqa: E402

RUNS = 50
SLUGS = ("bench-10", "bench-1000", "bench-10000")


def tally_check(contest_ids: list[int]) -> dict:
    result = {}
    for contest_id in contest_ids:
        votes = Vote.objects.filter(contest_id=contest_id).aggregate(n=Count("id"), s=Sum("value"))
        tallies = ProposalTally.objects.filter(contest_id=contest_id).aggregate(
            n=Sum("ballots"), s=Sum("value_sum"), pos=Sum("positive"), neg=Sum("negative")
        )
        shards = ContestTallyShard.objects.filter(contest_id=contest_id).aggregate(n=Sum("ballots"), s=Sum("value_sum"))
        positive = Vote.objects.filter(contest_id=contest_id, value=1).count()
        result[contest_id] = {
            "vote_rows": votes["n"],
            "vote_value_sum": votes["s"] or 0,
            "tally_ballots": tallies["n"] or 0,
            "tally_value_sum": tallies["s"] or 0,
            "shard_ballots": shards["n"] or 0,
            "shard_value_sum": shards["s"] or 0,
            "tally_matches": (tallies["n"] or 0) == votes["n"]
            and (tallies["s"] or 0) == (votes["s"] or 0)
            and (shards["n"] or 0) == votes["n"]
            and (shards["s"] or 0) == (votes["s"] or 0)
            and (tallies["pos"] or 0) == positive
            and (tallies["neg"] or 0) == votes["n"] - positive,
        }
    return result


def push_cost(slug: str) -> dict:
    contest = Contest.objects.select_related("agency").get(slug=slug)
    for _ in range(5):
        json.dumps(leaderboard_snapshot(contest=contest))
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        json.dumps(leaderboard_snapshot(contest=contest))
        timings.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        text = json.dumps(leaderboard_snapshot(contest=contest))
    return {
        "proposals": contest.proposals.count(),
        "voted_proposals": ProposalTally.objects.filter(contest=contest, ballots__gt=0).count(),
        "median_ms": 1000 * statistics.median(timings),
        "p90_ms": 1000 * sorted(timings)[int(0.9 * RUNS)],
        "queries": len(queries),
        "bytes": len(text),
    }


def probe_vote(data: dict) -> dict:
    """One real vote request (token auth, throttles, service) with its SQL counted."""
    token = data["tokens"][-1]
    proposal_id = data["contests"]["bench-1000"]["proposals"][-1]
    client = Client(SERVER_NAME="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token}")
    # Group commit off for the probe: the same statements run in this thread, where they are counted.
    with override_settings(VOTE_GROUP_COMMIT=False), CaptureQueriesContext(connection) as queries:
        response = client.post(f"/api/v1/proposals/{proposal_id}/vote/", {"value": 1}, content_type="application/json")
    return {"status": response.status_code, "queries": len(queries), "sql": [q["sql"][:160] for q in queries]}


def main() -> None:
    data = json.loads(Path(sys.argv[1]).read_text())
    accepted = json.loads(Path(sys.argv[2]).read_text())
    probe = probe_vote(data)
    accepted_201 = sum(accepted.values()) + (probe["status"] == 201)
    contest_ids = [c["id"] for c in data["contests"].values()]
    tallies = tally_check(contest_ids)
    vote_rows = sum(t["vote_rows"] for t in tallies.values())
    result = {
        "accepted_201": accepted_201,
        "vote_rows": vote_rows,
        "lost_votes": accepted_201 - vote_rows,
        "tallies_exact": all(t["tally_matches"] for t in tallies.values()),
        "tallies": tallies,
        "probe_vote": probe,
        # First as the tables are after the load (statistics as autovacuum left them), then after ANALYZE.
        "push_cost_stale_stats": {slug: push_cost(slug) for slug in SLUGS},
    }
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    result["push_cost"] = {slug: push_cost(slug) for slug in SLUGS}
    Path(sys.argv[3]).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
