"""1,000 concurrent claims on 50 slots against PostgreSQL: claims/s, latency p50/p99, oversells (must be 0).

Each of THREADS worker threads has its own database connection and calls the claiming service
(microtasks.claims.claim_create) for its share of 1,000 different citizens, all released at once
by a barrier. A run counts the claims stored in the database afterwards; oversells are claims
beyond the slots (and a slot counter above them). Three runs; medians printed and written to
bench/out/microtasks.json. A fresh database (BENCH_DB, default civitas_w14_bench) is created.

    nice .venv/bin/python bench/microtasks.py [--threads 50] [--runs 3]
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "civitas_w14_bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=50)
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--slots", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')
    os.environ.update(DATABASE_URL=f"{PG}/{DB}", DEBUG="1", CELERY_TASK_ALWAYS_EAGER="1")
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from accounts.models import User
    from agencies.models import Agency
    from microtasks.claims import claim_create
    from microtasks.models import Campaign, Claim
    from microtasks.rules import Refusal

    call_command("migrate", verbosity=0)
    agency = Agency.objects.create(name="Bench agency", slug="bench")
    from allauth.account.models import EmailAddress

    users = User.objects.bulk_create(
        [User(email=f"bench{n}@example.org", display_name=f"Bench {n}") for n in range(args.claims)]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users]
    )
    results = []
    for run in range(args.runs):
        campaign = Campaign.objects.create(
            agency=agency,
            title=f"Bench run {run}",
            instructions="Bench.",
            slots=args.slots,
            starts_at=timezone.now() - timedelta(hours=1),
            ends_at=timezone.now() + timedelta(days=1),
        )
        barrier = threading.Barrier(args.threads)
        shares = [users[n :: args.threads] for n in range(args.threads)]

        def worker(share, campaign_id=campaign.pk, barrier=barrier):
            latencies, won = [], 0
            try:
                barrier.wait(timeout=60)
                for user in share:
                    started = time.perf_counter()
                    try:
                        claim_create(citizen=user, campaign_id=campaign_id)
                        won += 1
                    except Refusal:
                        pass
                    latencies.append(time.perf_counter() - started)
            finally:
                connections.close_all()
            return latencies, won

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.threads) as pool:
            outcomes = list(pool.map(worker, shares))
        elapsed = time.perf_counter() - started
        latencies = sorted(latency for share, _won in outcomes for latency in share)
        stored = Claim.objects.filter(campaign=campaign).count()
        counter = Campaign.objects.get(pk=campaign.pk).slots_taken
        result = {
            "attempts": len(latencies),
            "claims_granted": sum(won for _share, won in outcomes),
            "claims_stored": stored,
            "oversells": max(0, stored - args.slots) + max(0, counter - args.slots),
            "attempts_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
            "seconds": round(elapsed, 2),
        }
        results.append(result)
        print(f"run {run + 1}: {result}", flush=True)
        Claim.objects.filter(campaign=campaign).delete()

    summary = {
        "threads": args.threads,
        "claims": args.claims,
        "slots": args.slots,
        "median_attempts_per_s": statistics.median(r["attempts_per_s"] for r in results),
        "median_p50_ms": statistics.median(r["p50_ms"] for r in results),
        "median_p99_ms": statistics.median(r["p99_ms"] for r in results),
        "oversells_total": sum(r["oversells"] for r in results),
        "runs": results,
    }
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "microtasks.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps({key: value for key, value in summary.items() if key != "runs"}))
    connections.close_all()
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')


if __name__ == "__main__":
    main()
