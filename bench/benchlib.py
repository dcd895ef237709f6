"""What the benchmark's steps share: settings of the server under test, subprocess helpers, machine facts, pgbench."""

import contextlib
import datetime
import os
import platform
import re
import resource
import socket
import subprocess
import sys
import time
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
INGEST_SECONDS = float(os.environ.get("BENCH_INGEST_SECONDS", "20"))
VIEWER_COUNTS = (100, 1000, 2000)
MARK_BEGIN, MARK_END = "<!-- bench:begin -->", "<!-- bench:end -->"

# Production settings as README "Running in production" gives them: no tuning variables (the pool
# and group commit are on by default). Rate limits stay on, at rates the load cannot reach (all
# load comes from one address, and each of the 50 simulated voters casts a ballot every few tens of
# milliseconds, far past POW_VOTE_RATE's human pace, where every ballot would need a proof of work);
# TLS is left out of the loop (nginx listens on plain HTTP here).
ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "VOTE_", "WEB_CONCURRENCY"))},
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "TRUSTED_PROXY_COUNT": "1",
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "REDIS_URL": REDIS_URL,
    "CHANNEL_PREFIX": "civbench",
    "CACHE_KEY_PREFIX": "civbench",
    "VOTE_RATE_LIMIT": "1000000/s",
    "POW_VOTE_RATE": "1000000/60",
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
