"""Shared helpers for the voting tests: the tallies-equal-ballots check and contest builders."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

from django.db import connection
from django.db.models import Sum

from voting.models import ContestTallyShard, PairwiseComparison, ProposalTally, Vote


def assert_tallies_match_votes(contest) -> None:
    """Recompute every tally of the contest from the Vote (and comparison) rows and compare with the stored ones.

    Per proposal: ballots, value_sum, positive, negative (and comparisons / wins for pairwise);
    per contest: the sums over its tally shards.
    """
    expected = defaultdict(lambda: {"ballots": 0, "value_sum": 0, "positive": 0, "negative": 0})
    for proposal_id, value in Vote.objects.filter(contest=contest).values_list("proposal_id", "value"):
        row = expected[proposal_id]
        row["ballots"] += 1
        row["value_sum"] += value
        if contest.voting_method == "updown":
            row["positive"] += value == 1
            row["negative"] += value == -1
    stored = {
        proposal_id: {"ballots": ballots, "value_sum": value_sum, "positive": positive, "negative": negative}
        for proposal_id, ballots, value_sum, positive, negative in ProposalTally.objects.filter(
            contest=contest
        ).values_list("proposal_id", "ballots", "value_sum", "positive", "negative")
    }
    # A tally row left at zero after a withdrawal is the same as no row.
    stored = {pk: row for pk, row in stored.items() if any(row.values())}
    assert stored == dict(expected), "proposal tallies differ from the ballots stored"

    comparisons = PairwiseComparison.objects.filter(contest=contest, winner__isnull=False)
    expected_pairs = defaultdict(lambda: {"comparisons": 0, "wins": 0})
    for low, high, winner in comparisons.values_list("proposal_low_id", "proposal_high_id", "winner_id"):
        for proposal_id in (low, high):
            expected_pairs[proposal_id]["comparisons"] += 1
            expected_pairs[proposal_id]["wins"] += proposal_id == winner
    stored_pairs = {
        pk: {"comparisons": c, "wins": w}
        for pk, c, w in ProposalTally.objects.filter(contest=contest, comparisons__gt=0).values_list(
            "proposal_id", "comparisons", "wins"
        )
    }
    assert stored_pairs == dict(expected_pairs), "pairwise tallies differ from the judgements stored"

    shards = ContestTallyShard.objects.filter(contest=contest).aggregate(b=Sum("ballots"), v=Sum("value_sum"))
    ballots = sum(row["ballots"] for row in expected.values()) + comparisons.count()
    value_sum = sum(row["value_sum"] for row in expected.values())
    assert (shards["b"] or 0, shards["v"] or 0) == (ballots, value_sum), "contest totals differ from the ballots"


# --- real server processes (tests/voting/test_multiprocess.py, test_redis_outage.py) -----------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_database_url() -> str:
    """A DATABASE_URL for the test database pytest-django created, so server processes see the test's data."""
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        f"/{settings['NAME']}"
    )


def start_asgi_server(*, port: int, redis_url: str, prefix: str, extra_env: dict | None = None) -> subprocess.Popen:
    """An ASGI server (uvicorn, one worker) of the app on 127.0.0.1:port, production-style settings."""
    env = {
        **os.environ,
        "DATABASE_URL": server_database_url(),
        "REDIS_URL": redis_url,
        "CHANNEL_PREFIX": prefix,
        "CACHE_KEY_PREFIX": prefix,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LEADERBOARD_PUSH_INTERVAL_MS": "100",
        "LOG_LEVEL": "WARNING",
        **(extra_env or {}),
    }
    log = tempfile.TemporaryFile()  # noqa: SIM115 - kept with the process, read by server_log
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
        + production_web_options(),
        cwd=settings_module_dir(),
        env=env,
        stdout=subprocess.DEVNULL,
        # A file, not a pipe: nobody reads the server's log while it runs, and a full pipe would block it.
        stderr=log,
    )
    process.log = log
    return process


def production_web_options() -> list[str]:
    """The web unit's uvicorn options (deploy/systemd/civitas-web@.service) but host, port and the access log."""
    unit = Path(__file__).resolve().parents[2] / "deploy" / "systemd" / "civitas-web@.service"
    line = next(line for line in unit.read_text().splitlines() if line.startswith("ExecStart="))
    words = line.split()
    options = words[words.index("config.asgi:application") + 1 :]
    kept, skip = [], False
    for word in options:
        if skip:
            skip = False
        elif word in ("--host", "--port"):
            skip = True
        elif word != "--no-access-log":
            kept.append(word)
    return kept


def settings_module_dir() -> str:
    return str(Path(__file__).resolve().parents[2])


def wait_until_serving(server: subprocess.Popen, url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"server exited: {server_log(server)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - http://127.0.0.1 only
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"server at {url} not ready within {timeout}s")


def server_log(server: subprocess.Popen) -> str:
    """The last lines the server wrote to stderr."""
    server.log.seek(0)
    return server.log.read().decode(errors="replace")[-20000:]


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def http_json(method: str, url: str, *, token: str | None = None, body: dict | None = None) -> tuple[int, dict]:
    """(status, JSON body) of an HTTP request; 4xx/5xx are returned, not raised."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - http://127.0.0.1 only
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            raw = response.read()
            return response.status, json.loads(raw) if raw else {}
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, {"raw": raw.decode(errors="replace")[:500]}
