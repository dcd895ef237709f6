"""Search latency over 100,000 proposals on PostgreSQL: p50 / p99 of the proposal list API's query
(count + first page, ranked) for English and Chinese words, beside the old substring scan.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civitas_w16 nice .venv/bin/python bench/search.py

Migrates the database, fills one contest with BENCH_SEARCH_PROPOSALS (default 100,000) proposals
in English and Chinese (once; kept for the next run), ANALYZEs, then times BENCH_SEARCH_QUERIES
(default 300) searches through proposals.selectors.proposal_list_public, as the API runs them.
"""

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")  # a local measurement, not a deployment

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from agencies.models import Agency  # noqa: E402
from common.search import search_text  # noqa: E402
from contests.models import Contest  # noqa: E402
from proposals.models import Proposal  # noqa: E402
from proposals.selectors import proposal_list_public  # noqa: E402

COUNT = int(os.environ.get("BENCH_SEARCH_PROPOSALS", "100000"))
QUERIES = int(os.environ.get("BENCH_SEARCH_QUERIES", "300"))
SLUG = "bench-search"

EN = [
    "plant trees along the river banks",
    "safer crossings near schools",
    "quieter streets at night",
    "more bike lanes with kerbs",
    "rain gardens to soak up storm water",
    "longer library opening hours",
    "free water fountains in parks",
    "benches and shade at bus stops",
    "repair broken pavements",
    "community compost bins",
    "street lights that dim",
    "a weekly farmers market",
    "youth football pitches",
    "solar panels on public roofs",
    "recycling for old phones",
]
ZH = [
    "在河边种树防止水土流失",
    "学校门口设置斑马线",
    "夜间减少噪音",
    "增加有隔离带的自行车道",
    "建设雨水花园收集雨水",
    "延长图书馆开放时间",
    "公园里安装免费饮水机",
    "公交站增加座椅和遮阳棚",
    "修复破损的人行道",
    "社区设置堆肥箱",
    "路灯夜间自动调暗",
    "每周举办农贸市场",
    "为青少年建设足球场",
    "公共建筑屋顶安装太阳能板",
    "回收旧手机",
]
WORDS_EN = ["river", "trees", "crossings", "bike", "library", "fountains", "compost", "solar", "market", "benches"]
WORDS_ZH = ["河边", "斑马线", "自行车道", "图书馆", "饮水机", "堆肥", "太阳能", "农贸市场", "足球场", "雨水"]


def seed() -> Contest:
    now = timezone.now()
    agency, _ = Agency.objects.get_or_create(slug="bench-search", defaults={"name": "Bench search"})
    author, _ = User.objects.get_or_create(email="bench-search@example.org", defaults={"display_name": "Bench"})
    contest = Contest.objects.filter(slug=SLUG).first() or Contest.objects.create(
        agency=agency,
        slug=SLUG,
        title="Search benchmark",
        summary="Many proposals.",
        is_published=True,
        published_at=now,
        submission_opens_at=now - timedelta(days=10),
        submission_closes_at=now + timedelta(days=10),
        voting_opens_at=now - timedelta(days=5),
        voting_closes_at=now + timedelta(days=20),
        review_closes_at=now + timedelta(days=30),
        results_at=now + timedelta(days=40),
    )
    have = Proposal.objects.filter(contest=contest).count()
    if have >= COUNT:
        return contest
    # Segment each phrase once; a proposal's columns are the concatenation of its phrases' tokens.
    phrases = [(text, search_text(text)) for text in EN + ZH]
    rng = random.Random(42)
    with transaction.atomic():
        batch = []
        for n in range(have, COUNT):
            picks = rng.sample(phrases, 4)
            title, body = picks[0], picks[1:]
            batch.append(
                Proposal(
                    contest=contest,
                    author=author,
                    title=f"{title[0][:140]} #{n}",
                    summary=body[0][0],
                    body=" ".join(text for text, _ in body[1:]),
                    status=Proposal.Status.SUBMITTED,
                    submitted_at=now - timedelta(seconds=n),
                    search_title=title[1],
                    search_body=" ".join(tokens for _, tokens in body),
                )
            )
            if len(batch) == 5000:
                Proposal.objects.bulk_create(batch)
                batch = []
        Proposal.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE proposals_proposal")
    return contest


def timed(run) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def first_page(queryset):
    return lambda: (queryset.count(), list(queryset[:20]))


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    if connection.vendor != "postgresql":
        sys.exit("bench/search.py measures PostgreSQL: set DATABASE_URL")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    contest = seed()
    print(
        f"{Proposal.objects.filter(contest=contest).count()} proposals ready in {time.perf_counter() - started:.1f} s"
    )
    rng = random.Random(7)
    rows = []
    for label, words in (("English word", WORDS_EN), ("Chinese word", WORDS_ZH)):
        times = [timed(first_page(proposal_list_public(contest=contest, q=rng.choice(words)))) for _ in range(QUERIES)]
        old = []
        for _ in range(max(10, QUERIES // 10)):
            word = rng.choice(words)
            substring = (
                Proposal.objects.public()
                .filter(contest=contest)
                .filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word))
            )
            old.append(timed(first_page(substring.order_by("-submitted_at", "-pk"))))
        rows.append((label, statistics.median(times), percentile(times, 0.99), statistics.median(old)))
    plan = proposal_list_public(contest=contest, q="图书馆").explain()
    print(f"index used: {'proposals_proposal_search_idx' in plan}")
    print("| query | median ms | p99 ms | old substring scan median ms | ratio (old / new median) |")
    print("| --- | --- | --- | --- | --- |")
    for label, median, p99, old in rows:
        print(f"| {label} | {median:.1f} | {p99:.1f} | {old:.1f} | {old / median:.1f} |")


if __name__ == "__main__":
    main()
