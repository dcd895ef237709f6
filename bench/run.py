"""`make bench`: the live-voting benchmark, end to end, on 127.0.0.1 only. See bench/RESULTS.md.

1. recreate PostgreSQL database civitas_bench, empty Redis DB 13 (keys and channels prefixed "civbench");
2. migrate and bulk-create the data (bench/seed.py);
3. pgbench simple-update reference on its own database (server not running yet);
4. start uvicorn (2 workers, production settings) and drive it from bench/load.py (a separate process):
   warm-up, vote ingestion, a profiled ingestion pass (py-spy, not counted), fan-out at 100/1,000/2,000 viewers;
5. stop the server, then bench/inprocess.py (lost votes, exact tallies, per-push cost, queries per vote)
   and bench/layer_cost.py (group_send with the two Redis channel layers);
6. print one table and write it into bench/RESULTS.md between the markers (raw figures in bench/last_run.json).
Every step has a timeout; the whole run takes about 4 minutes.
"""

import collections
import contextlib
import datetime
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PY = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "civitas_bench"
PGBENCH_DB = "civitas_pgbench"
REDIS_DB = 13
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
# "reuseport": one uvicorn process per worker, each with its own SO_REUSEPORT socket on the same port,
# so the kernel spreads connections evenly; "shared": `uvicorn --workers N`, one listening socket that
# the workers race to accept on (with keep-alive clients one worker can end up with most connections).
SOCKETS = os.environ.get("BENCH_SOCKETS", "reuseport")
INGEST_SECONDS = float(os.environ.get("BENCH_INGEST_SECONDS", "20"))
VIEWER_COUNTS = (100, 1000, 2000)
MARK_BEGIN, MARK_END = "<!-- bench:begin -->", "<!-- bench:end -->"

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "DATABASE_CONN_MAX_AGE": "60",
    # BENCH_POOL=0 keeps plain persistent connections; under ASGI they exhaust PostgreSQL (see RESULTS.md).
    "DATABASE_POOL_MAX_SIZE": os.environ.get("BENCH_POOL", "20"),
    "REDIS_URL": REDIS_URL,
    "CHANNEL_PREFIX": "civbench",
    "CACHE_KEY_PREFIX": "civbench",
    "VOTE_RATE_LIMIT": "1000000/s",
    "WEBSOCKET_MAX_CONNECTIONS_PER_IP": "0",  # every simulated viewer comes from 127.0.0.1
    "MFA_REQUIRED_FOR_STAFF": "0",
    "API_WRITE_RATE_LIMIT": "1000000/s",
    "LOG_LEVEL": "WARNING",
    "PYTHONUNBUFFERED": "1",
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd: list[str], timeout: float, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, cwd=ROOT, env=ENV, timeout=timeout, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return result


def psql(database: str, sql: str) -> str:
    return run(["psql", f"{PG}/{database}", "-Atqc", sql], timeout=60).stdout.strip()


def recreate_database(name: str) -> None:
    psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql("postgres", f"CREATE DATABASE {name}")


def flush_redis() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    client.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def worker_pids(master: int) -> list[int]:
    pids = []
    for pid in children(master):
        with contextlib.suppress(OSError):
            if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                pids.append(pid)
    return pids


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time used so far by these processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text()
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    packages = ["Django", "channels", "channels-redis", "uvicorn", "uvloop", "httptools", "websockets", "aiohttp"]
    import redis

    redis_version = redis.Redis.from_url(REDIS_URL).info("server")["redis_version"]
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu.group(1).strip() if cpu else platform.processor(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "postgresql": psql("postgres", "SHOW server_version"),
        "redis": redis_version,
        "packages": {name: version(name) for name in packages},
        "nofile": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
        "load_average_start": os.getloadavg(),
    }


def pgbench() -> dict:
    recreate_database(PGBENCH_DB)
    run(["pgbench", "-h", "127.0.0.1", "-U", "postgres", "-i", "-q", "-s", "10", PGBENCH_DB], timeout=120)
    out = run(
        ["pgbench", "-h", "127.0.0.1", "-U", "postgres", "-N", "-c", "50", "-j", "2", "-T", "10", PGBENCH_DB],
        timeout=60,
    ).stdout
    tps = float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", out).group(1))
    latency = re.search(r"latency average = ([\d.]+) ms", out)
    psql("postgres", f"DROP DATABASE IF EXISTS {PGBENCH_DB} WITH (FORCE)")
    return {"tps": tps, "latency_avg_ms": float(latency.group(1)) if latency else None}


class Server:
    def __init__(self, kind: str = "uvicorn", workers: int = WORKERS) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.extra: list[subprocess.Popen] = []
        self.log = tempfile.NamedTemporaryFile(prefix="bench-server-", suffix=".log", delete=False)  # noqa: SIM115
        if kind == "daphne":  # one process: Daphne has no worker option
            cmd = [str(Path(PY).parent / "daphne"), "-b", "127.0.0.1", "-p", str(self.port), "-v", "0"]
            cmd.append("config.asgi:application")
            self.process = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=self.log, stderr=subprocess.STDOUT)
            return
        options = ["--no-access-log", "--log-level", "warning", "--lifespan", "off"]
        uvicorn = [str(Path(PY).parent / "uvicorn"), "config.asgi:application"]
        if SOCKETS == "reuseport" and workers > 1:
            # Each process gets its own listening socket on the shared port; the kernel balances new
            # connections across them. `self.process` is the first; the others are in `self.extra`.
            processes = []
            for _ in range(workers):
                listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
                listener.bind(("127.0.0.1", self.port))
                listener.listen(2048)
                fd = listener.fileno()
                processes.append(
                    subprocess.Popen(
                        [*uvicorn, "--fd", str(fd), *options],
                        cwd=ROOT,
                        env=ENV,
                        stdout=self.log,
                        stderr=subprocess.STDOUT,
                        pass_fds=(fd,),
                    )
                )
                listener.close()  # the child holds its copy
            self.process, self.extra = processes[0], processes[1:]
            return
        cmd = [*uvicorn, "--workers", str(workers), "--host", "127.0.0.1", "--port", str(self.port), *options]
        self.process = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, workers: int, timeout: float = 60) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"server exited; see {self.log.name}")
            # uvicorn with one worker (and Daphne) serve from the process itself.
            if self.extra:
                pids = [self.process.pid, *(process.pid for process in self.extra)]
            else:
                pids = worker_pids(self.process.pid) if workers > 1 else [self.process.pid]
            workers = max(workers, 1)
            with contextlib.suppress(OSError):
                url = f"{self.base}/api/v1/contests/bench-10/leaderboard/"
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own 127.0.0.1 server
                    if response.status == 200 and len(pids) == workers:
                        return pids
            time.sleep(0.5)
        raise SystemExit(f"server not ready; see {self.log.name}")

    def stop(self) -> None:
        for process in self.extra:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def load(phase: str, server: Server, seed: Path, timeout: float, *extra: str) -> dict:
    out = Path(tempfile.mkstemp(prefix=f"bench-{phase}-", suffix=".json")[1])
    cmd = [PY, str(BENCH / "load.py"), phase, "--base", server.base, "--data", str(seed), "--out", str(out), *extra]
    run(cmd, timeout=timeout)
    return json.loads(out.read_text())


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


def main() -> None:
    started = time.monotonic()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))  # inherited by the server
    info = machine()
    log(
        f"machine: {info['nproc']} cores, {info['memory_gb']} GB; PostgreSQL {info['postgresql']}, Redis {info['redis']}"
    )

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

    server = Server()
    accepted = {}
    profile = None
    try:
        pids = server.wait_ready(WORKERS)
        log(f"server on {server.base}, workers {pids}")
        warmup = load("warmup", server, seed, 60)
        accepted["warmup"] = sum(r["statuses"].get("201", 0) for r in warmup.values())
        log(f"ingestion: 50 voters for {INGEST_SECONDS:.0f} s")
        server_cpu, load_cpu = cpu_seconds(pids), children_cpu()
        ingest = load("ingest", server, seed, INGEST_SECONDS + 60, "--duration", str(INGEST_SECONDS))
        ingest["server_cpu_s"] = cpu_seconds(pids) - server_cpu
        ingest["server_cpu_by_worker_s"] = [round(cpu_seconds([pid]), 1) for pid in pids]
        ingest["load_cpu_s"] = children_cpu() - load_cpu
        accepted["ingest"] = ingest["accepted"]
        log(
            f"ingestion: {ingest['votes_per_s']:.0f} votes/s, p50 {ingest['p50_ms']:.1f} ms, p99 {ingest['p99_ms']:.1f} ms"
        )

        if shutil.which("py-spy", path=str(Path(PY).parent)) or shutil.which("py-spy"):
            log("profiled ingestion pass (py-spy on one worker, not counted)")
            raw = Path(tempfile.mkstemp(prefix="bench-profile-", suffix=".txt")[1])
            spy = subprocess.Popen(
                [shutil.which("py-spy", path=str(Path(PY).parent)) or "py-spy", "record", "--pid", str(pids[0])]
                + ["--duration", "8", "--rate", "200", "--nonblocking", "--format", "raw", "-o", str(raw)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            profiled = load("ingest", server, seed, 70, "--duration", "10", "--pass-index", "1")
            accepted["profiled"] = profiled["accepted"]
            spy.wait(timeout=30)
            if raw.stat().st_size:
                profile = profile_summary(raw)
                profile["votes_per_s_while_profiled"] = profiled["votes_per_s"]

        fanout = []
        for index, viewers in enumerate(VIEWER_COUNTS):
            log(f"fan-out: {viewers} viewers")
            server_cpu, load_cpu = cpu_seconds(pids), children_cpu()
            result = load(
                "fanout",
                server,
                seed,
                180,
                "--viewers",
                str(viewers),
                "--round-index",
                str(index),
                "--worker-pids",
                ",".join(map(str, pids)),
            )
            result["server_cpu_s"] = cpu_seconds(pids) - server_cpu
            result["load_cpu_s"] = children_cpu() - load_cpu
            accepted[f"fanout-{viewers}"] = result["votes"]
            fanout.append(result)
            log(f"fan-out {viewers}: p50 {result['p50_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms")
    finally:
        server.stop()

    # Daphne vs Uvicorn, one process each, same 50 voters, 10 s each, fresh proposals for every pass.
    servers = {}
    for index, (kind, workers) in enumerate((("uvicorn", 1), ("daphne", 0))):
        log(f"ingestion through {kind}, one process, 10 s")
        other = Server(kind, workers)
        try:
            other.wait_ready(workers)
            servers[kind] = load("ingest", other, seed, 70, "--duration", "10", "--pass-index", str(2 + index))
            accepted[f"ingest-{kind}"] = servers[kind]["accepted"]
        except (SystemExit, subprocess.TimeoutExpired) as error:  # a side comparison: report, do not abort
            log(f"{kind} comparison failed: {error}")
        finally:
            other.stop()

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
        "pool": ENV["DATABASE_POOL_MAX_SIZE"],
        "pgbench": reference,
        "warmup": warmup,
        "ingest": ingest,
        "servers": servers,
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


def db_mode(r: dict) -> str:
    pool = int(r.get("pool", 0))
    return f"psycopg pool of {pool} connections per worker" if pool else "persistent DB connections (CONN_MAX_AGE=60)"


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def render(r: dict) -> str:
    m, ingest, inproc = r["machine"], r["ingest"], r["inprocess"]
    push = inproc["push_cost"]
    ratio = push["bench-10000"]["median_ms"] / push["bench-10"]["median_ms"]
    lost = inproc["lost_votes"]
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    lines = [
        f"Run of {m['date']} — {m['nproc']} cores ({m['cpu']}), {m['memory_gb']} GB RAM; Python {m['python']}, "
        f"PostgreSQL {m['postgresql']}, Redis {m['redis']}; {packages}. "
        f"Server: uvicorn, {r['workers']} workers (httptools, uvloop), DEBUG=0, "
        f"{db_mode(r)}. "
        f"Run took {r['duration_s']:.0f} s. Load average (1/5/15 min) at start "
        f"{'/'.join(f'{x:.1f}' for x in m['load_average_start'])}, at end "
        f"{'/'.join(f'{x:.1f}' for x in r['load_average_end'])} (other work on the machine shares the 2 cores).",
        "",
        "| Measure | Result | Target | Met |",
        "|---|---|---|---|",
        f"| Vote ingestion, 50 voters × {ingest['elapsed_s']:.0f} s: accepted votes/s | {ingest['votes_per_s']:.0f} "
        f"| ≥ 1,000 | {verdict(ingest['votes_per_s'] >= 1000)} |",
        f"| Vote latency p50 / p99 (201 responses) | {ingest['p50_ms']:.1f} / {ingest['p99_ms']:.1f} ms "
        f"| p99 ≤ 100 ms | {verdict(ingest['p99_ms'] <= 100)} |",
        f"| Lost votes: 201 responses − Vote rows (all phases, {inproc['accepted_201']} accepted) "
        f"| {lost}; tallies (proposal + shard sums) {'exact' if inproc['tallies_exact'] else '**differ**'} "
        f"| 0 | {verdict(lost == 0 and inproc['tallies_exact'])} |",
        f"| HTTP statuses during ingestion | {', '.join(f'{k}: {v}' for k, v in ingest['statuses'].items())} | | |",
        f"| pgbench -N TPS (50 clients, -j 2, 10 s) | {r['pgbench']['tps']:.0f} "
        f"(votes/s = {100 * ingest['votes_per_s'] / r['pgbench']['tps']:.0f} % of it) | reference | |",
        f"| SQL queries per vote request | {inproc['probe_vote']['queries']} | | |",
        f"| CPU during ingestion: server workers / load process | {ingest['server_cpu_s']:.1f} s "
        f"({1000 * ingest['server_cpu_s'] / max(1, ingest['accepted']):.1f} ms per accepted vote) / "
        f"{ingest['load_cpu_s']:.1f} s, over {ingest['elapsed_s']:.0f} s on {m['nproc']} cores | | |",
    ]
    for kind, s in r.get("servers", {}).items():
        lines.append(
            f"| Ingestion through {kind}, one process, 10 s: votes/s, p50 / p99 "
            f"| {s['votes_per_s']:.0f}, {s['p50_ms']:.0f} / {s['p99_ms']:.0f} ms | | |"
        )
    for f in r["fanout"]:
        target = f["viewers"] < 2000 or f["p99_ms"] <= 500
        lines.append(
            f"| Fan-out, {f['viewers']} viewers ({f['connected']} connected): vote POST sent → viewer has a snapshot "
            f"counting it, p50 / p99 ({f['samples']} samples, {f['missing_samples']} missing; from the 201 instead: "
            f"{f['p50_from_response_ms']:.0f} / {f['p99_from_response_ms']:.0f} ms; POST median "
            f"{f['vote_post_median_ms']:.0f} ms) | {f['p50_ms']:.0f} / {f['p99_ms']:.0f} ms "
            f"| p99 ≤ 500 ms at 2,000 | {verdict(target and f['missing_samples'] == 0) if f['viewers'] == 2000 else ''} |"
        )
        lines.append(
            f"| Server RSS with {f['viewers']} viewers (sum of {r['workers']} workers) "
            f"| {f['server_rss_mb_connected']:.0f} MB (idle before: {f['server_rss_mb_idle']:.0f} MB); CPU server "
            f"{f['server_cpu_s']:.1f} s, load process {f['load_cpu_s']:.1f} s | | |"
        )
    for slug, label in (("bench-10", "10"), ("bench-1000", "1,000"), ("bench-10000", "10,000")):
        p = push[slug]
        lines.append(
            f"| Cost per push, {label} proposals ({p['voted_proposals']} voted): snapshot + json.dumps, median of 50, "
            "after ANALYZE "
            f"| {p['median_ms']:.2f} ms ({p['queries']} queries) | | |"
        )
    stale = inproc["push_cost_stale_stats"]
    stale_ratio = stale["bench-10000"]["median_ms"] / stale["bench-10"]["median_ms"]
    lines.append(f"| Push cost ratio 10,000 vs 10 proposals | {ratio:.2f}× | ≤ 2× | {verdict(ratio <= 2)} |")
    lines.append(
        f"| … the same before ANALYZE of the freshly voted tallies (10 / 10,000: {stale['bench-10']['median_ms']:.2f} / "
        f"{stale['bench-10000']['median_ms']:.2f} ms) | {stale_ratio:.2f}× | | |"
    )
    for name, rows in r["layers"].items():
        big = rows[-1]
        if "error" in big:
            lines.append(f"| {name}: group_send to {big['members']} members | {big['error']} | | |")
            continue
        lines.append(
            f"| {name}: group_send to {big['members']} members / delivered to all (one process) "
            f"| {big['group_send_ms']:.1f} / {big['delivered_to_all_ms']:.1f} ms | | |"
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


if __name__ == "__main__":
    if sys.argv[1:] == ["--render"]:  # re-render RESULTS.md from the last run's raw figures
        last = json.loads((BENCH / "last_run.json").read_text())
        raw = Path((last.get("profile") or {}).get("raw", "/nonexistent"))
        if raw.exists():
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
