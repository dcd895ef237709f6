"""`make bench-background`: what background work costs and buys, on 127.0.0.1 only.

1. Request latency of posting a comment on a proposal with 50 followers (51 emails per comment,
   the author's included) against a local SMTP sink, three ways:
   - `before`: the code of BEFORE (default `main`; pass the commit before background work), where
     the web process sends the emails itself after commit;
   - `after-eager`: this code, tasks run in-process after commit (the embedded default);
   - `after-worker`: this code with Redis as the broker and a real `celery worker` delivering
     meanwhile (on the same two cores as the requests);
   - `after-broker`: the same, with the worker started only after the last post (what the request
     costs when the workers run elsewhere); the worker then drains the outbox.
   Each posts 5 warm-up + POSTS comments through Django's full request stack (bench/comment_latency.py).
2. Worker throughput: N emails queued while no worker runs, then delivered by one `celery worker`
   (prefork, 2 processes) to the SMTP sink, timed from the worker being ready to the last one marked
   sent; three runs.

Medians are printed and written to bench/out/background.json. Each scenario gets a fresh PostgreSQL
database (BENCH_DB, default civitas_bgbench) and Redis DB 14 (BENCH_REDIS_URL).

    make bench-background BEFORE=<commit>        # or: .venv/bin/python bench/background.py --before <commit>
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.mailserver import SMTPSink  # noqa: I001 - needs the path above

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "civitas_bgbench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
PREFIX = os.environ.get("BENCH_PREFIX", "bgbench")


def recreate_database() -> str:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')
    redis.Redis.from_url(REDIS_URL).flushdb()
    return f"{PG}/{DB}"


def environment(sink: SMTPSink, *, eager: bool) -> dict:
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB}",
        "REDIS_URL": REDIS_URL,
        "CHANNEL_PREFIX": PREFIX,
        "CACHE_KEY_PREFIX": PREFIX,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        # EMAIL_BACKEND is the sending backend of the code before; this code reads it as the delivery backend.
        "EMAIL_BACKEND": smtp,
        "EMAIL_DELIVERY_BACKEND": smtp,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "CELERY_TASK_ALWAYS_EAGER": "1" if eager else "0",
        "COMMENTS_RATE_LIMIT_USER": "100000/60",
        "COMMENTS_RATE_LIMIT_IP": "100000/60",
        "API_WRITE_RATE_LIMIT": "100000/min",
    }


def start_worker(env: dict, *, concurrency: int) -> tuple[subprocess.Popen, Path]:
    log = Path(tempfile.mkstemp(prefix="bgbench-worker-", suffix=".log")[1])
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--without-gossip", "--without-mingle"]
    command += ["--pool=prefork", f"--concurrency={concurrency}", "-O", "fair", "--loglevel=INFO"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"worker did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)
    return process, log


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def unsent() -> int:
    with psycopg.connect(f"{PG}/{DB}") as conn:
        return conn.execute("SELECT count(*) FROM notifications_outgoingemail WHERE status <> 'sent'").fetchone()[0]


def wait_drained(timeout: float = 600) -> float:
    started = time.monotonic()
    while unsent():
        if time.monotonic() - started > timeout:
            raise SystemExit("the worker did not drain the outbox")
        time.sleep(0.05)
    return time.monotonic() - started


def comment_latency(label: str, code_dir: Path, posts: int) -> dict:
    recreate_database()
    sink = SMTPSink().start()
    env = environment(sink, eager=label not in ("after-worker", "after-broker"))
    worker = start_worker(env, concurrency=2)[0] if label == "after-worker" else None
    try:
        child = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "comment_latency.py"), str(code_dir), str(posts)],
            cwd=code_dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        if child.returncode:
            raise SystemExit(f"{label} failed:\n{child.stderr[-4000:]}")
        timings = json.loads(child.stdout.strip().splitlines()[-1])["timings_ms"]
        if label == "after-broker":
            worker = start_worker(env, concurrency=2)[0]
        drain = wait_drained() if worker else 0.0
        expected = (posts + 5) * 51
        received = len(sink.wait_for(expected, timeout=60))
    finally:
        if worker:
            stop(worker)
        sink.stop()
    return {
        "label": label,
        "posts": posts,
        "median_ms": round(statistics.median(timings), 1),
        "p90_ms": round(statistics.quantiles(timings, n=10)[-1], 1),
        "emails_received": received,
        "emails_expected": expected,
        "drain_after_last_post_s": round(drain, 2),
    }


def worker_throughput(emails: int, runs: int) -> dict:
    recreate_database()
    sink = SMTPSink().start()
    env = environment(sink, eager=False)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--verbosity=0"], cwd=ROOT, env=env, check=True)
    queue = (  # as a fan-out queues them: one transaction, batches of notifications.outbox.BATCH_SIZE
        "from django.db import transaction\n"
        "from notifications.emails import emails_send_on_commit\n"
        "with transaction.atomic():\n"
        f"    emails_send_on_commit([(f'reader{{n}}@example.org', f'Bench {{n}}', 'Hello.') for n in range({emails})])\n"
    )
    rates = []
    try:
        for _ in range(runs):
            before = len(sink.messages())
            subprocess.run([*manage, "shell", "-c", queue], cwd=ROOT, env=env, check=True)  # no worker yet
            worker, _log = start_worker(env, concurrency=2)
            elapsed = wait_drained()  # from the worker being ready to the last row marked sent
            stop(worker)
            assert len(sink.wait_for(before + emails, timeout=60)) == before + emails
            rates.append(emails / elapsed)
    finally:
        sink.stop()
    return {
        "emails_per_run": emails,
        "runs": [round(rate, 1) for rate in rates],
        "median": round(statistics.median(rates), 1),
    }


def export(revision: str) -> Path:
    target = Path(tempfile.mkdtemp(prefix="bgbench-before-"))
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main", help="the commit measured as 'before' (default: main)")
    parser.add_argument("--posts", type=int, default=40)
    parser.add_argument("--emails", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenarios", default="before,after-eager,after-worker,after-broker")
    parser.add_argument("--no-throughput", action="store_true")
    args = parser.parse_args()
    before_dir = export(args.before)
    results = {"before_revision": args.before, "latency": [], "throughput": None, "load": os.getloadavg()}
    for label in filter(None, args.scenarios.split(",")):
        results["latency"].append(comment_latency(label, before_dir if label == "before" else ROOT, args.posts))
        print(json.dumps(results["latency"][-1]), flush=True)
    if not args.no_throughput:
        results["throughput"] = worker_throughput(args.emails, args.runs)
        print(json.dumps(results["throughput"]), flush=True)
    print("\n| scenario | median ms | p90 ms | emails received / expected | outbox drained after last post |")
    print("| --- | --- | --- | --- | --- |")
    for row in results["latency"]:
        print(
            f"| {row['label']} | {row['median_ms']} | {row['p90_ms']} | "
            f"{row['emails_received']} / {row['emails_expected']} | {row['drain_after_last_post_s']} s |"
        )
    throughput = results["throughput"]
    if throughput:
        print(f"\nworker throughput: median {throughput['median']} emails/s (runs: {throughput['runs']})")
    print(f"load average (1, 5, 15 min) at the start: {results['load']}")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "background.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
