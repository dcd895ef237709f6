"""Nearby search and the map's GeoJSON over 100,000 citizen reports, on SQLite and on PostgreSQL.

    .venv/bin/python bench/reports.py                       # SQLite (a throwaway file)
    .venv/bin/python bench/reports.py --postgres postgres://postgres@127.0.0.1:5432/civitas_bench_reports
    make bench-reports POSTGRES_URL=postgres://…            # both

Each backend runs in a child process with its own DATABASE_URL (the PostgreSQL database is emptied
with `flush` first). The child spreads REPORTS reports uniformly over a 30 km × 30 km city
and measures, through the real views (Django's test client, so URL routing, the query, serialisation):

- the duplicate check: GET /reports/nearby/?lat=&lng=&category= at random points (indexed bounding
  box + haversine in SQL), the same query alone (no HTTP), and, for the ratio, the haversine filter
  over every row (no box);
- the map's GeoJSON for a city-sized view: GET /reports/map.geojson?bbox=<the whole city> (the
  first MAP_LIMIT points) and for a district (3 km × 3 km).

Prints medians and p99 in milliseconds as JSON; no assertions on time.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITY = (31.10, 121.30, 31.37, 121.62)  # south, west, north, east: about 30 km × 30 km


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _summary(values: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(values), 2),
        "p99_ms": round(_percentile(values, 0.99), 2),
        "n": len(values),
    }


def child(reports: int, samples: int) -> dict:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from agencies.models import Agency
    from reports.models import Report, ServiceCategory
    from reports.selectors import _distance_expression, reports_nearby

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)  # a database the caller said it may empty
    agency = Agency.objects.create(name="Bench roads", slug="bench-roads")
    codes = ["streetlight", "pothole", "dumping", "drain"]
    categories = [ServiceCategory.objects.create(agency=agency, code=code, name=code) for code in codes]
    reporter = User.objects.create_user(email="bench@example.org", password="x")  # noqa: S106
    rng = random.Random(13)
    south, west, north, east = CITY
    now = timezone.now()
    started = time.perf_counter()
    batch = []
    for number in range(reports):
        status = rng.choice(["open", "open", "acknowledged", "in_progress", "fixed", "closed"])
        batch.append(
            Report(
                category=categories[number % len(categories)],
                agency=agency,
                reporter=reporter,
                description="bench",
                latitude=rng.uniform(south, north),
                longitude=rng.uniform(west, east),
                status=status,
                due_at=now + timedelta(hours=72),
            )
        )
        if len(batch) == 5000:
            Report.objects.bulk_create(batch)
            batch = []
    Report.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reports_report")
    seeded_s = time.perf_counter() - started

    client = Client(HTTP_HOST="127.0.0.1")

    def timed(url: str, params: dict) -> float:
        began = time.perf_counter()
        response = client.get(url, params)
        elapsed = (time.perf_counter() - began) * 1000
        assert response.status_code == 200, response.content[:300]
        return elapsed

    def point():
        return rng.uniform(south, north), rng.uniform(west, east)

    for _ in range(5):  # warm-up
        lat, lng = point()
        timed("/reports/nearby/", {"lat": lat, "lng": lng, "category": "streetlight"})
    nearby = []
    for _ in range(samples):
        lat, lng = point()
        nearby.append(timed("/reports/nearby/", {"lat": lat, "lng": lng, "category": "streetlight"}))

    query = []  # the same check without HTTP: the indexed box + haversine query alone
    for _ in range(samples):
        lat, lng = point()
        began = time.perf_counter()
        list(reports_nearby(latitude=lat, longitude=lng, category_code="streetlight").values_list("pk", flat=True))
        query.append((time.perf_counter() - began) * 1000)

    scan = []
    for _ in range(max(5, samples // 20)):
        lat, lng = point()
        began = time.perf_counter()
        list(
            Report.objects.unresolved()
            .filter(category__code="streetlight")
            .annotate(distance_m=_distance_expression(lat, lng))
            .filter(distance_m__lte=50)
            .values_list("pk", flat=True)
        )
        scan.append((time.perf_counter() - began) * 1000)

    city_box = f"{west},{south},{east},{north}"
    city = [timed("/reports/map.geojson", {"bbox": city_box}) for _ in range(max(10, samples // 10))]
    features = len(json.loads(client.get("/reports/map.geojson", {"bbox": city_box}).content)["features"])
    district = []
    for _ in range(max(10, samples // 4)):
        lat, lng = rng.uniform(south, north - 0.027), rng.uniform(west, east - 0.031)
        district.append(timed("/reports/map.geojson", {"bbox": f"{lng},{lat},{lng + 0.031},{lat + 0.027}"}))
    return {
        "database": connection.vendor,
        "reports": reports,
        "seed_seconds": round(seeded_s, 1),
        "duplicate_check_http": _summary(nearby),
        "duplicate_check_query": _summary(query),
        "duplicate_check_full_scan_query": _summary(scan),
        "scan_over_indexed_ratio": round(statistics.median(scan) / statistics.median(query), 1),
        "geojson_city_view": {**_summary(city), "features": features},
        "geojson_district_view": _summary(district),
    }


def run(database_url: str, reports: int, samples: int) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1", "REDIS_URL": ""}
    command = [sys.executable, __file__, "--child", "--reports", str(reports), "--samples", str(samples)]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if output.returncode:
        sys.stderr.write(output.stderr[-3000:])
        raise SystemExit(output.returncode)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=400)
    parser.add_argument("--postgres", default="", help="DATABASE_URL of a PostgreSQL database it may empty")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.reports, args.samples)))
        return
    results = []
    with tempfile.TemporaryDirectory() as folder:
        results.append(run(f"sqlite:///{folder}/bench-reports.sqlite3", args.reports, args.samples))
    if args.postgres:
        results.append(run(args.postgres, args.reports, args.samples))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
