"""Bulk-create the benchmark's data in the bench database and write what the load process needs as JSON.

Run by bench/run.py with the bench environment (DATABASE_URL etc.) set:
    python bench/seed.py <out.json>
"""

import json
import secrets
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from accounts.models import User
from agencies.models import Agency
from contests.models import Contest  # noqa: E402
from proposals.models import Proposal  # noqa: E402

UNUSABLE = make_password(None)  # nobody signs in with a password: the API uses tokens
VOTERS = 60  # 50 concurrent voters in the ingestion phase; the fan-out phase uses its own few
# slug -> number of proposals. Ingestion runs on the largest; fan-out on its own small contest.
CONTESTS = {"bench-10": 10, "bench-1000": 1000, "bench-10000": 10000, "bench-fanout": 10}


@transaction.atomic
def seed() -> dict:
    now = timezone.now()
    agency = Agency.objects.create(name="Bench Agency", slug="bench-agency")
    author = User.objects.create(email="author@bench.invalid", display_name="Bench author", password=UNUSABLE)
    voters = User.objects.bulk_create(
        [User(email=f"voter{i}@bench.invalid", display_name=f"Voter {i}", password=UNUSABLE) for i in range(VOTERS)]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in voters]
    )
    tokens = Token.objects.bulk_create([Token(user=user, key=secrets.token_hex(20)) for user in voters])
    contests = {}
    for slug, count in CONTESTS.items():
        contest = Contest.objects.create(
            agency=agency,
            title=f"Benchmark {slug}",
            slug=slug,
            summary="Benchmark contest.",
            is_published=True,
            published_at=now - timedelta(days=10),
            voting_method=Contest.VotingMethod.UPDOWN,
            submission_opens_at=now - timedelta(days=10),
            submission_closes_at=now - timedelta(days=5),
            voting_opens_at=now - timedelta(days=5),
            voting_closes_at=now + timedelta(days=5),
            review_closes_at=now + timedelta(days=10),
            results_at=now + timedelta(days=15),
        )
        proposals = Proposal.objects.bulk_create(
            [
                Proposal(
                    contest=contest,
                    author=author,
                    title=f"Proposal {i} of {slug}",
                    summary="A benchmark proposal.",
                    body="Benchmark body.",
                    status=Proposal.Status.SUBMITTED,
                    submitted_at=now - timedelta(days=6, seconds=i),
                )
                for i in range(count)
            ],
            batch_size=2000,
        )
        contests[slug] = {"id": contest.pk, "proposals": [p.pk for p in proposals]}
    return {"tokens": [t.key for t in tokens], "contests": contests}


if __name__ == "__main__":
    started = time.monotonic()
    data = seed()
    Path(sys.argv[1]).write_text(json.dumps(data))
    total = sum(len(c["proposals"]) for c in data["contests"].values())
    print(f"seeded {len(data['tokens'])} voters, {total} proposals in {time.monotonic() - started:.1f}s")
