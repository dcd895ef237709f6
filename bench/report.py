"""The benchmark's report: the issue's table (same rows, ratio to pgbench), details and the profile, into RESULTS.md."""

from benchlib import BENCH, MARK_BEGIN, MARK_END


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def ms_per_vote(cpu_s: float, accepted: int) -> float:
    return 1000 * cpu_s / max(1, accepted)


def issue_table(r: dict) -> list[str]:
    """The issue's table: same rows, same definitions, with the ratio to pgbench of the same run."""
    ingest, inproc, tps = r["ingest"], r["inprocess"], r["pgbench"]["tps"]
    share = ingest["votes_per_s"] / tps
    web_ms = ms_per_vote(ingest["server_cpu_s"], ingest["accepted"])
    nginx_ms = ms_per_vote(ingest.get("nginx_cpu_s", 0.0), ingest["accepted"])
    lost = inproc["lost_votes"]
    big = next((f for f in r["fanout"] if f["viewers"] == 2000), None)
    rows = [
        "| measure | this run | target | met |",
        "| --- | --- | --- | --- |",
        f"| accepted votes/s, 50 concurrent voters | {ingest['votes_per_s']:.0f} | ≥ 50 % of `pgbench -N` TPS "
        f"at the same concurrency, in the same run ({tps / 2:.0f}) | {verdict(share >= 0.5)} |",
        f"| that as a share of `pgbench -N` TPS ({tps:.0f} here) | {100 * share:.1f} % | ≥ 50 % | {verdict(share >= 0.5)} |",
        f"| server CPU per accepted vote | {web_ms:.1f} ms (web processes; nginx {nginx_ms:.1f} ms more) | ≤ 3 ms "
        f"| {verdict(web_ms + nginx_ms <= 3)} |",
        f"| vote latency p99 | {ingest['p99_ms']:.0f} ms (p50 {ingest['p50_ms']:.0f} ms) | ≤ 100 ms at the target rate "
        f"| {verdict(ingest['p99_ms'] <= 100 and share >= 0.5)} |",
    ]
    paced = r.get("paced")
    if paced and paced.get("p99_ms") is not None:
        rows.append(
            f"| … the same, paced at half that rate ({paced['rate']:.0f} votes/s asked, {paced['votes_per_s']:.0f} "
            f"answered 201 a second) | {paced['p99_ms']:.0f} ms (p50 {paced['p50_ms']:.0f} ms) | ≤ 100 ms "
            f"| {verdict(paced['p99_ms'] <= 100)} (below the target rate) |"
        )
    if big:
        rows.append(
            f"| fan-out, 2,000 viewers: every viewer has a version counting the vote, p99 after the vote's response "
            f"| {big['p99_from_response_ms']:.0f} ms (p50 {big['p50_from_response_ms']:.0f} ms; {big['connected']} "
            f"connected, {big['missing_samples']} of {big['samples'] + big['missing_samples']} samples missing) "
            f"| ≤ 500 ms | {verdict(big['p99_from_response_ms'] <= 500 and big['missing_samples'] == 0)} |"
        )
    else:
        rows.append(
            "| fan-out, 2,000 viewers: every viewer has a version counting the vote, p99 after the vote's response "
            "| not measured: the round (2,000 connections, then 20 votes) did not finish within its 180 s | ≤ 500 ms "
            "| **no** |"
        )
    extra = f" ({-lost} stored votes were never answered 201: a round that did not finish)" if lost < 0 else ""
    rows.append(
        f"| lost votes | {max(0, lost)} of {inproc['accepted_201']} answered 201{extra}; tallies "
        f"{'exact' if inproc['tallies_exact'] else '**differ**'} | 0 | {verdict(lost <= 0 and inproc['tallies_exact'])} |"
    )
    return rows


def render(r: dict) -> str:
    m, ingest, inproc = r["machine"], r["ingest"], r["inprocess"]
    push = inproc["push_cost"]
    ratio = push["bench-10000"]["median_ms"] / push["bench-10"]["median_ms"]
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    lines = [
        f"Run of {m['date']} — {m['nproc']} cores ({m['cpu']}), {m['memory_gb']} GB RAM; Python {m['python']}, "
        f"PostgreSQL {m['postgresql']}, Redis {m['redis']}, {m.get('nginx', 'nginx')}; {packages}. "
        f"Topology as deploy/ ships it: nginx (least_conn) in front of {r['workers']} uvicorn processes started "
        f"with the web unit's command line, DEBUG=0, no tuning variables (pool and group commit by default). "
        f"Run took {r['duration_s']:.0f} s. Load average (1/5/15 min) at start "
        f"{'/'.join(f'{x:.1f}' for x in m['load_average_start'])}, at end "
        f"{'/'.join(f'{x:.1f}' for x in r['load_average_end'])} (other work on the machine shares the 2 cores).",
        "",
        *issue_table(r),
        "",
        "| Detail | Result |",
        "|---|---|",
        f"| Vote ingestion, 50 voters × {ingest['elapsed_s']:.0f} s: accepted votes/s, p50 / p99 / max "
        f"| {ingest['votes_per_s']:.0f}, {ingest['p50_ms']:.1f} / {ingest['p99_ms']:.1f} / {ingest['max_ms']:.0f} ms |",
        f"| HTTP statuses during ingestion | {', '.join(f'{k}: {v}' for k, v in ingest['statuses'].items())} |",
        f"| pgbench -N TPS (50 clients, -j 2, 10 s) | {r['pgbench']['tps']:.0f} |",
        f"| SQL queries per vote request (in-process probe, one ballot alone) | {inproc['probe_vote']['queries']} |",
        f"| CPU during ingestion: web processes / nginx / PostgreSQL+Redis+rest / load process "
        f"| {ingest['server_cpu_s']:.1f} / {ingest.get('nginx_cpu_s', 0):.1f} / "
        f"{ingest.get('other_cpu_s', 0):.1f} / {ingest['load_cpu_s']:.1f} s over {ingest['elapsed_s']:.0f} s "
        f"on {m['nproc']} cores |",
    ]
    if ingest.get("group_commit"):
        g = ingest["group_commit"]
        lines.append(f"| Group commit during ingestion: transactions, ballots per transaction | {g} |")
    for kind, s in r.get("servers", {}).items():
        lines.append(
            f"| Ingestion straight to {kind} (no nginx), 10 s: votes/s, p50 / p99 "
            f"| {s['votes_per_s']:.0f}, {s['p50_ms']:.0f} / {s['p99_ms']:.0f} ms |"
        )
    for f in r["fanout"]:
        lines.append(
            f"| Fan-out, {f['viewers']} viewers through nginx ({f['connected']} connected, {f['samples']} samples, "
            f"{f['missing_samples']} missing): vote's 201 → viewer has a snapshot counting it, p50 / p99; "
            f"from sending the POST instead; POST median "
            f"| {f['p50_from_response_ms']:.0f} / {f['p99_from_response_ms']:.0f} ms; {f['p50_ms']:.0f} / "
            f"{f['p99_ms']:.0f} ms; {f['vote_post_median_ms']:.0f} ms |"
        )
        lines.append(
            f"| Web RSS with {f['viewers']} viewers (sum of {r['workers']} processes); CPU web / nginx / load "
            f"| {f['server_rss_mb_connected']:.0f} MB (idle before: {f['server_rss_mb_idle']:.0f} MB); "
            f"{f['server_cpu_s']:.1f} / {f.get('nginx_cpu_s', 0):.1f} / {f['load_cpu_s']:.1f} s |"
        )
    for slug, label in (("bench-10", "10"), ("bench-1000", "1,000"), ("bench-10000", "10,000")):
        p = push[slug]
        lines.append(
            f"| Cost per push, {label} proposals ({p['voted_proposals']} voted): snapshot + json.dumps, median of 50, "
            f"after ANALYZE | {p['median_ms']:.2f} ms ({p['queries']} queries) |"
        )
    if "bench-pairwise" in push:
        p = push["bench-pairwise"]
        lines.append(
            f"| Cost per push, pairwise, {p.get('proposals', 10000):,} proposals ({p['voted_proposals']} compared) "
            f"| {p['median_ms']:.2f} ms ({p['queries']} queries) |"
        )
    stale = inproc["push_cost_stale_stats"]
    stale_ratio = stale["bench-10000"]["median_ms"] / stale["bench-10"]["median_ms"]
    lines.append(f"| Push cost ratio 10,000 vs 10 proposals (target ≤ 2×) | {ratio:.2f}× |")
    lines.append(
        f"| … the same before ANALYZE of the freshly voted tallies (10 / 10,000: {stale['bench-10']['median_ms']:.2f} / "
        f"{stale['bench-10000']['median_ms']:.2f} ms) | {stale_ratio:.2f}× |"
    )
    for name, rows in r.get("layers", {}).items():
        big = rows[-1]
        if "error" in big:
            lines.append(f"| {name}: group_send to {big['members']} members | {big['error']} |")
            continue
        lines.append(
            f"| {name}: group_send to {big['members']} members / delivered to all (one process) "
            f"| {big['group_send_ms']:.1f} / {big['delivered_to_all_ms']:.1f} ms |"
        )
    if r["profile"]:
        p = r["profile"]
        lines += [
            "",
            f"Profile of one worker during a separate 10 s ingestion pass ({p['samples']} py-spy samples at 200 Hz, "
            f"non-blocking; {p['votes_per_s_while_profiled']:.0f} votes/s while profiled). Share of samples:",
            "",
            "| Category (first match in the stack) | % |",
            "|---|---|",
            *[f"| {name} | {pct} |" for name, pct in p.get("categories", [])],
            "",
            "| Inclusive (generic thread/asyncio/asgiref frames left out) | % | Self (leaf) | % |",
            "|---|---|---|---|",
        ]
        for (inc, inc_pct), (own, own_pct) in zip(p["inclusive"], p["self"], strict=False):
            lines.append(f"| `{inc}` | {inc_pct} | `{own}` | {own_pct} |")
    return "\n".join(lines)


def write_results(report: str) -> None:
    path = BENCH / "RESULTS.md"
    text = path.read_text() if path.exists() else f"# Benchmark results\n\n{MARK_BEGIN}\n{MARK_END}\n"
    if MARK_BEGIN not in text:
        text += f"\n{MARK_BEGIN}\n{MARK_END}\n"
    head, _, rest = text.partition(MARK_BEGIN)
    _, _, tail = rest.partition(MARK_END)
    path.write_text(f"{head}{MARK_BEGIN}\n{report}\n{MARK_END}{tail}")
