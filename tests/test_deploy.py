"""deploy/ is what README and the benchmark use: the web unit runs README's command, nginx accepts the site."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _exec_start(unit: str) -> str:
    text = (ROOT / "deploy" / "systemd" / unit).read_text()
    return next(line for line in text.splitlines() if line.startswith("ExecStart=")).removeprefix("ExecStart=")


def test_the_web_unit_runs_the_command_readme_gives_operators():
    command = _exec_start("civitas-web@.service").replace("/srv/civitas/", "").replace("%i", "8001")
    readme = (ROOT / "README.md").read_text()
    assert command in readme
    assert "--ws-per-message-deflate false" in command  # one compression per viewer per push costs too much


def test_worker_and_beat_units_run_readmes_commands():
    readme = (ROOT / "README.md").read_text()
    for unit in ("civitas-worker.service", "civitas-beat.service"):
        assert _exec_start(unit).replace("/srv/civitas/", "") in readme


@pytest.mark.skipif(not Path("/usr/sbin/nginx").exists(), reason="Debian's nginx is not installed")
def test_nginx_accepts_the_shipped_upstream_and_locations():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from topology import nginx_config
    finally:
        sys.path.remove(str(ROOT / "bench"))
    directory = Path(tempfile.mkdtemp(prefix="civitas-nginx-test-"))
    try:
        config = nginx_config(listen_port=18999, upstream_ports=[18001, 18002], directory=directory)
        text = config.read_text()
        assert "least_conn;" in text and "server 127.0.0.1:18002" in text
        result = subprocess.run(
            ["/usr/sbin/nginx", "-t", "-c", str(config)], capture_output=True, text=True, check=False
        )  # noqa: S603
        assert result.returncode == 0, result.stderr
    finally:
        shutil.rmtree(directory, ignore_errors=True)
