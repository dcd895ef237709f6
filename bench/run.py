"""`make bench`: the live-voting benchmark, end to end, on 127.0.0.1 only. See bench/RESULTS.md.

1. recreate PostgreSQL database civitas_bench, empty Redis DB 13 (keys and channels prefixed "civbench");
2. migrate and bulk-create the data (bench/seed.py);
3. pgbench simple-update reference at the same concurrency on its own database (server not running yet);
4. start the production topology (bench/topology.py: Debian's nginx as deploy/nginx configures it, in front
   of one uvicorn process per core started with deploy/systemd/civitas-web@.service's command line) and
   drive it from bench/load.py (a separate process): warm-up, vote ingestion, a profiled ingestion pass
   (py-spy, not counted), fan-out at 100/1,000/2,000 viewers;
5. stop the server, then bench/inprocess.py (lost votes, exact tallies, per-push cost, queries per vote)
   and bench/layer_cost.py (group_send with the two Redis channel layers);
6. print the issue's table and the details (bench/report.py) and write them into bench/RESULTS.md between
   the markers (raw figures in bench/last_run.json).
Every step has a timeout; the whole run takes about 4 minutes.
"""

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import (
    BENCH,
    DB_NAME,
    INGEST_SECONDS,
    PY,
    VIEWER_COUNTS,
    WORKERS,
    children_cpu,
    cpu_seconds,
    flush_redis,
    log,
    machine,
    pgbench,
    psql,
    recreate_database,
    run,
)
from profiling import profile_summary
from report import render, write_results
from topology import Topology, nginx_ensure


def machine_cpu_seconds() -> float:
    """CPU time used by the whole machine so far (all processes, all cores), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    busy = sum(fields[:8]) - fields[3] - fields[4]  # everything but idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


def load(phase: str, server: Topology, seed: Path, timeout: float, *extra: str) -> dict:
    out = Path(tempfile.mkstemp(prefix=f"bench-{phase}-", suffix=".json")[1])
    cmd = [PY, str(BENCH / "load.py"), phase, "--base", server.base, "--data", str(seed), "--out", str(out), *extra]
    run(cmd, timeout=timeout)
    return json.loads(out.read_text())


def measured(server: Topology, step):
    """Run step() and return its result with the CPU the web processes, nginx, the load and the rest used."""
    web, nginx, loader, total = (
        cpu_seconds(server.web_pids),
        cpu_seconds(server.nginx_pids),
        children_cpu(),
        machine_cpu_seconds(),
    )
    result = step()
    result["server_cpu_s"] = cpu_seconds(server.web_pids) - web
    result["nginx_cpu_s"] = cpu_seconds(server.nginx_pids) - nginx
    result["load_cpu_s"] = children_cpu() - loader
    result["other_cpu_s"] = max(
        0.0,
        machine_cpu_seconds() - total - result["server_cpu_s"] - result["nginx_cpu_s"] - result["load_cpu_s"],
    )
    return result


def profiled_pass(server: Topology, seed: Path, accepted: dict) -> dict | None:
    spy_bin = shutil.which("py-spy", path=str(Path(PY).parent)) or shutil.which("py-spy")
    if not spy_bin:
        return None
    log("profiled ingestion pass (py-spy on one web process, not counted)")
    raw = Path(tempfile.mkstemp(prefix="bench-profile-", suffix=".txt")[1])
    spy = subprocess.Popen(  # noqa: S603 - py-spy from the virtualenv
        [spy_bin, "record", "--pid", str(server.web_pids[0]), "--duration", "8", "--rate", "200"]
        + ["--nonblocking", "--format", "raw", "-o", str(raw)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    profiled = load("ingest", server, seed, 70, "--duration", "10", "--pass-index", "1")
    accepted["profiled"] = profiled["accepted"]
    spy.wait(timeout=30)
    if not raw.stat().st_size:
        return None
    profile = profile_summary(raw)
    profile["votes_per_s_while_profiled"] = profiled["votes_per_s"]
    return profile


def group_commit_shape() -> str:
    """Transactions and ballots per transaction in the 10,000-proposal contest: a batch shares one created_at."""
    row = psql(
        DB_NAME,
        "SELECT count(*), count(DISTINCT v.created_at) FROM voting_vote v "
        "JOIN contests_contest c ON c.id = v.contest_id WHERE c.slug = 'bench-10000'",
    )
    ballots, transactions = (int(x) for x in row.split("|"))
    return f"{transactions} transactions for {ballots} ballots ({ballots / max(1, transactions):.1f} per transaction)"


def main() -> None:
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit("stopped by SIGTERM"))  # so the servers are stopped too
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))  # inherited by the server
    nginx_version = nginx_ensure()
    info = machine()
    info["nginx"] = nginx_version.replace("nginx version: ", "")
    log(f"machine: {info['nproc']} cores, {info['memory_gb']} GB; PostgreSQL {info['postgresql']}, {info['nginx']}")

    log("recreating database and Redis DB")
    recreate_database(DB_NAME)
    flush_redis()
    run([PY, "manage.py", "migrate", "--noinput"], timeout=300)
    seed = Path(tempfile.mkstemp(prefix="bench-seed-", suffix=".json")[1])
    log(run([PY, str(BENCH / "seed.py"), str(seed)], timeout=300).stdout.strip())
    psql(DB_NAME, "ANALYZE")  # as autovacuum would after a bulk load; the leaderboard plan depends on it

    log("pgbench -N, 50 clients, -j 2, 10 s")
    reference = pgbench()
    log(f"pgbench: {reference['tps']:.0f} TPS")

    server = Topology(WORKERS)
    accepted = {}
    try:
        server.wait_ready()
        log(f"nginx on {server.base} in front of web processes {server.web_pids} on ports {server.ports}")
        warmup = load("warmup", server, seed, 60)
        accepted["warmup"] = sum(r["statuses"].get("201", 0) for r in warmup.values())
        log(f"ingestion: 50 voters for {INGEST_SECONDS:.0f} s")
        ingest = measured(
            server, lambda: load("ingest", server, seed, INGEST_SECONDS + 60, "--duration", str(INGEST_SECONDS))
        )
        accepted["ingest"] = ingest["accepted"]
        ingest["group_commit"] = group_commit_shape()
        log(
            f"ingestion: {ingest['votes_per_s']:.0f} votes/s, p50 {ingest['p50_ms']:.1f} ms, "
            f"p99 {ingest['p99_ms']:.1f} ms; {ingest['group_commit']}"
        )
        # Below saturation: half the rate just measured, paced, on proposals no earlier pass used.
        paced_rate = max(10.0, round(ingest["votes_per_s"] / 2))
        log(f"paced ingestion: 50 voters at {paced_rate:.0f} votes/s for 10 s")
        paced = load("ingest", server, seed, 70, "--duration", "10", "--pass-index", "2", "--rate", str(paced_rate))
        paced["rate"] = paced_rate
        accepted["paced"] = paced["accepted"]
        log(
            f"paced ingestion: {paced['votes_per_s']:.0f} votes/s, p50 {paced['p50_ms']:.1f} ms, p99 {paced['p99_ms']:.1f} ms"
        )
        profile = profiled_pass(server, seed, accepted)
        fanout = []
        pids = ",".join(map(str, server.web_pids))
        for index, viewers in enumerate(VIEWER_COUNTS):
            log(f"fan-out: {viewers} viewers")
            args = ["--viewers", str(viewers), "--round-index", str(index), "--worker-pids", pids]

            def step(args=args):
                return load("fanout", server, seed, 180, *args)

            try:
                result = measured(server, step)
            except (SystemExit, subprocess.TimeoutExpired) as error:  # an overloaded round: report it, go on
                log(f"fan-out {viewers} failed: {error}")
                continue
            accepted[f"fanout-{viewers}"] = result["votes"]
            fanout.append(result)
            log(
                f"fan-out {viewers}: after the 201 p50 {result['p50_from_response_ms']:.0f} ms, "
                f"p99 {result['p99_from_response_ms']:.0f} ms"
            )
    finally:
        server.stop()

    log("in-process: lost votes, tallies, per-push cost")
    accepted_file = Path(tempfile.mkstemp(prefix="bench-accepted-", suffix=".json")[1])
    accepted_file.write_text(json.dumps(accepted))
    inproc_file = Path(tempfile.mkstemp(prefix="bench-inproc-", suffix=".json")[1])
    run([PY, str(BENCH / "inprocess.py"), str(seed), str(accepted_file), str(inproc_file)], timeout=300)
    inproc = json.loads(inproc_file.read_text())
    log("group_send cost: RedisChannelLayer vs RedisPubSubChannelLayer")
    layers_file = Path(tempfile.mkstemp(prefix="bench-layers-", suffix=".json")[1])
    try:
        run([PY, str(BENCH / "layer_cost.py"), str(layers_file)], timeout=180)
        layers = json.loads(layers_file.read_text())
    except (SystemExit, subprocess.TimeoutExpired) as error:
        log(f"group_send comparison failed: {error}")
        layers = {}
    flush_redis()

    results = {
        "machine": info,
        "workers": WORKERS,
        "pgbench": reference,
        "warmup": warmup,
        "ingest": ingest,
        "paced": paced,
        "profile": profile,
        "fanout": fanout,
        "inprocess": inproc,
        "layers": layers,
        "accepted": accepted,
        "duration_s": time.monotonic() - started,
        "load_average_end": os.getloadavg(),
    }
    (BENCH / "last_run.json").write_text(json.dumps(results, indent=2))
    report = render(results)
    print(report)
    write_results(report)
    log(f"done in {results['duration_s']:.0f} s; table written to bench/RESULTS.md")


if __name__ == "__main__":
    if sys.argv[1:] == ["--render"]:  # re-render RESULTS.md from the last run's raw figures
        last = json.loads((BENCH / "last_run.json").read_text())
        raw = Path((last.get("profile") or {}).get("raw", "/nonexistent"))
        if raw.exists():  # summarised again, with the categories as they are now
            last["profile"] = {
                **profile_summary(raw),
                "votes_per_s_while_profiled": last["profile"]["votes_per_s_while_profiled"],
            }
            (BENCH / "last_run.json").write_text(json.dumps(last, indent=2))
        report = render(last)
        print(report)
        write_results(report)
    else:
        main()
