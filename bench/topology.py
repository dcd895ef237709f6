"""The server under test, started the way deploy/ runs it in production.

Debian's nginx with deploy/nginx/locations.conf and the `upstream civitas_web` block of
deploy/nginx/civitas.conf (least_conn, keep-alive), listening on plain HTTP on 127.0.0.1 instead
of the TLS server block, in front of N web processes started with the ExecStart line of
deploy/systemd/civitas-web@.service (one process per port). nginx is installed with apt-get
if it is missing.
"""

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from benchlib import ENV, PY, ROOT, free_port, log

DEPLOY = ROOT / "deploy"
NGINX = "/usr/sbin/nginx"


def nginx_ensure() -> str:
    if not Path(NGINX).exists():
        log("nginx missing: apt-get install -y nginx (Debian's package)")
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "nginx"],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            check=True,
            timeout=600,
            capture_output=True,
        )
    return subprocess.run([NGINX, "-v"], capture_output=True, text=True, check=True).stderr.strip()


def web_command(port: int, extra: list[str] | None = None) -> list[str]:
    """The web unit's ExecStart for this port, with this checkout's virtualenv."""
    unit = (DEPLOY / "systemd" / "civitas-web@.service").read_text()
    line = next(row for row in unit.splitlines() if row.startswith("ExecStart="))
    words = line.removeprefix("ExecStart=").replace("%i", str(port)).split()
    words[0] = str(Path(PY).parent / Path(words[0]).name)
    return words + (extra or [])


def nginx_config(*, listen_port: int, upstream_ports: list[int], directory: Path) -> Path:
    """An nginx.conf (Debian's defaults, more connections) around the shipped upstream, map and locations."""
    site = (DEPLOY / "nginx" / "civitas.conf").read_text()
    upstream = re.search(r"upstream civitas_web \{.*?\n\}", site, re.S).group(0)
    servers = "".join(f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=5s;\n" for port in upstream_ports)
    upstream = re.sub(r"(    server [^\n]*\n)+", servers, upstream)
    mapping = re.search(r"map \$http_upgrade \$connection_upgrade \{.*?\n\}", site, re.S).group(0)
    locations = (DEPLOY / "nginx" / "locations.conf").read_text().replace("/srv/civitas", str(ROOT))
    (directory / "locations.conf").write_text(locations)
    temp = "\n".join(
        f"    {name}_temp_path {directory}/{name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config = f"""worker_processes auto;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
worker_rlimit_nofile 65536;
events {{
    worker_connections 16384;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    access_log {directory}/access.log combined buffer=64k flush=5s;
{temp}
{upstream}
{mapping}
    server {{
        listen 127.0.0.1:{listen_port} backlog=4096;
        server_name _;
        include {directory}/locations.conf;
    }}
}}
"""
    path = directory / "nginx.conf"
    path.write_text(config)
    return path


class Topology:
    """nginx on `self.base` in front of `workers` web processes (their pids in `self.web_pids`)."""

    def __init__(self, workers: int, extra_args: list[str] | None = None, env: dict | None = None) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="bench-topology-"))
        self.directory.chmod(0o777)  # nginx workers run as nobody
        self.log = (self.directory / "web.log").open("wb")
        self.ports = [free_port() for _ in range(workers)]
        self.web = [
            subprocess.Popen(  # noqa: S603 - the unit's command line, our own interpreter
                web_command(port, extra_args),
                cwd=ROOT,
                env=env or ENV,
                stdout=self.log,
                stderr=subprocess.STDOUT,
            )
            for port in self.ports
        ]
        self.port = free_port()
        config = nginx_config(listen_port=self.port, upstream_ports=self.ports, directory=self.directory)
        subprocess.run([NGINX, "-t", "-q", "-c", str(config)], check=True, timeout=30)  # noqa: S603
        self.nginx = subprocess.Popen(  # noqa: S603
            [NGINX, "-c", str(config), "-g", "daemon off;"], stdout=self.log, stderr=subprocess.STDOUT
        )
        self.base = f"http://127.0.0.1:{self.port}"

    @property
    def web_pids(self) -> list[int]:
        return [process.pid for process in self.web]

    @property
    def nginx_pids(self) -> list[int]:
        path = Path(f"/proc/{self.nginx.pid}/task/{self.nginx.pid}/children")
        children = [int(pid) for pid in path.read_text().split()] if path.exists() else []
        return [self.nginx.pid, *children]

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        pending = set(self.ports)
        while time.monotonic() < deadline and pending:
            for process in [*self.web, self.nginx]:
                if process.poll() is not None:
                    raise SystemExit(f"a server process exited; see {self.directory}")
            for port in list(pending):
                try:
                    url = f"http://127.0.0.1:{port}/api/v1/contests/bench-10/leaderboard/"
                    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server
                        if response.status == 200:
                            pending.discard(port)
                except OSError:
                    pass
            time.sleep(0.5)
        if pending:
            raise SystemExit(f"web processes not ready; see {self.directory}")
        with urllib.request.urlopen(f"{self.base}/api/v1/contests/bench-10/leaderboard/", timeout=5) as response:  # noqa: S310
            assert response.status == 200

    def stop(self) -> None:
        for process in [self.nginx, *self.web]:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in [self.nginx, *self.web]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        self.log.close()
        shutil.rmtree(self.directory, ignore_errors=True)
