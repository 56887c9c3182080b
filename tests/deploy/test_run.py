"""A real `make run` (deploy/local.py) on a scratch database and a Redis of its own: it starts,
prints one block after the worker's banner, serves the demo site, is reachable by manage.py through
its record, and Ctrl-C stops web and worker within 10 s, gracefully."""

import contextlib
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from rustok import local_env
from tests.conftest import wait_until
from tests.deploy.localmode import ROOT, server_url
from tests.servers import PrivateRedis, free_port

pytestmark = pytest.mark.worker


@pytest.fixture
def scratch_database():
    """A database of this test alone on the test server; `make run` creates and migrates it."""
    name = f"rustok_local_{os.getpid()}"
    url = server_url(connection.settings_dict, name)
    admin = server_url(connection.settings_dict, "postgres").replace("postgres://", "postgresql://", 1)
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def get(port: int, path: str) -> int:
    return fetch(port, path)[0]


def fetch(port: int, path: str) -> tuple[int, str, bytes]:
    """(status, Content-Type, body) of `path` on the demo site's host."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": f"demo.localhost:{port}"})
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        conn.close()


def test_make_run_serves_the_demo_and_stops_on_ctrl_c(tmp_path, scratch_database):
    redis = PrivateRedis(tmp_path)
    redis.start()
    port = free_port()
    state = tmp_path / "state"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "rustok.settings",
        "DATABASE_URL": scratch_database,
        "REDIS_URL": redis.url,
        "PORT": str(port),
        "RUSTOK_STATE": str(state),
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "WEB_WORKERS": "1",
    }
    env.pop("RUSTOK_WORKER_LOGLEVEL", None)
    run = subprocess.Popen(
        [sys.executable, "deploy/local.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own group, as a terminal's foreground job
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(run.stdout.readline, "")), daemon=True)
    reader.start()
    record = {}
    try:

        def block_printed():
            """the ready block is printed"""
            assert run.poll() is None, "".join(lines)
            return sum(line.startswith("─") for line in lines) >= 2

        wait_until(block_printed, timeout=120)
        output = "".join(lines)
        assert output.count("RusToK is running") == 1
        assert output.index("[queues]") < output.index("RusToK is running")  # after the banner
        assert f"http://demo.localhost:{port}/search/?q=tea" in output
        assert "INFO/MainProcess" not in output  # the worker logs warnings only

        assert get(port, "/") == 200  # the demo site's home page
        assert get(port, "/blog/") == 200

        def pictures_shown():
            """the worker has made the demo posts' pictures, and the blog shows them"""
            return "image/webp" in fetch(port, "/blog/")[2].decode()

        wait_until(pictures_shown, timeout=60)
        page = fetch(port, "/blog/")[2].decode()
        shown = re.findall(r'(/media/demo/[^" ,]+\.webp) \d+w', page)
        assert shown, page
        status, content_type, image = fetch(port, shown[0])
        assert (status, content_type, image[:4], image[8:12]) == (200, "image/webp", b"RIFF", b"WEBP")
        record = local_env.read(state / "env")
        assert record["DATABASE_URL"] == scratch_database and record["REDIS_URL"] == redis.url

        # An operator's command with none of the variables set reaches the same servers.
        command_env = {k: v for k, v in env.items() if k not in {"DATABASE_URL", "REDIS_URL", "PORT"}}
        tenants = subprocess.run(
            [sys.executable, "manage.py", "rustok", "tenant", "list"],
            cwd=ROOT,
            env=command_env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert "demo.localhost" in tenants.stdout, tenants.stderr

        started = time.monotonic()
        os.killpg(run.pid, signal.SIGINT)  # Ctrl-C
        run.wait(timeout=15)
        took = time.monotonic() - started
        reader.join(timeout=5)
        output = "".join(lines)
        assert took < 10, output
        assert run.returncode == 0, output
        assert "SIGKILL" not in output and "Perhaps out of memory" not in output
        for key in ("RUSTOK_WEB_PID", "RUSTOK_WORKER_PID"):
            assert not Path(f"/proc/{record[key]}").exists(), f"{key} still runs"
        assert "RUSTOK_WEB_PID" not in local_env.read(state / "env")
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
        for key in ("RUSTOK_WEB_PID", "RUSTOK_WORKER_PID"):
            if record.get(key):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(int(record[key]), signal.SIGKILL)
        redis.stop()
