"""`make stop`: ends the embedded servers `make run` started, and never a server it found running."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from rustok import local_env
from tests.conftest import wait_until
from tests.deploy.localmode import load_local
from tests.servers import PrivateRedis


@pytest.fixture
def state():
    """A short directory (a unix socket's path has to stay under ~100 characters)."""
    path = Path(tempfile.mkdtemp(prefix="rustok-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_stop_ends_the_embedded_redis_it_started_and_says_so(state):
    local = load_local()
    local.start_embedded_redis(state)
    sock = state / "redis.sock"
    assert local._redis_socket_answers(sock)
    pid = int((state / "redis.pid").read_text())
    local_env.write(
        state / "env",
        {
            "REDIS_URL": f"unix://{sock}?db=0",
            "RUSTOK_REDIS": "embedded",
            "RUSTOK_REDIS_PIDFILE": str(state / "redis.pid"),
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/rustok",
            "RUSTOK_POSTGRES": "local",
        },
    )
    said = local.stop(state / "env")
    assert f"stopped the embedded Redis (pid {pid}, data saved in {state})" in said
    assert "PostgreSQL at postgres://postgres@127.0.0.1:5432/rustok was found running, not started here" in (
        " ".join(said)
    )
    assert not local._redis_socket_answers(sock)
    assert not Path(f"/proc/{pid}").exists()
    # Again: nothing left to stop, said as much; the record stays for `make run` to reuse.
    assert "the embedded Redis is not running" in local.stop(state / "env")
    assert local_env.read(state / "env")["RUSTOK_REDIS"] == "embedded"


def test_stop_leaves_a_server_it_did_not_start_running(state):
    local = load_local()
    other = PrivateRedis(state)
    other.start()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        local_env.write(
            state / "env",
            {
                "REDIS_URL": other.url,
                "RUSTOK_REDIS": "given",
                "DATABASE_URL": "postgres://postgres@db.example/rustok",
                "RUSTOK_POSTGRES": "given",
                # A recorded pid now used by another program: not ours, not touched.
                "RUSTOK_WEB_PID": str(sleeper.pid),
            },
        )
        said = local.stop(state / "env")
        assert f"Redis at {other.url} was given in the environment, not started here: left running" in said
        assert other._answers()
        assert sleeper.poll() is None
        assert "RUSTOK_WEB_PID" not in local_env.read(state / "env")
    finally:
        sleeper.kill()
        other.stop()


def test_stop_without_a_record_says_there_is_nothing_to_stop(state):
    said = load_local().stop(state / "env")
    assert said == [f"nothing to stop: no record at {state / 'env'} (`make run` has not run here)"]


def test_stop_ends_web_and_worker_left_behind_by_a_killed_run(state):
    """`make run` killed outright (SIGKILL) leaves its children: `make stop` ends them by pid."""
    local = load_local()
    # A stand-in whose command line names gunicorn, as the web server's does.
    fake_web = state / "gunicorn"
    fake_web.write_text("import time\ntime.sleep(60)\n")
    web = subprocess.Popen([sys.executable, str(fake_web)], start_new_session=True)
    local_env.write(
        state / "env",
        {"RUSTOK_WEB_PID": str(web.pid), "RUSTOK_REDIS": "local", "RUSTOK_POSTGRES": "local"},
    )
    said = local.stop(state / "env")
    assert f"stopped the web server (pid {web.pid})" in said
    wait_until(lambda: web.poll() is not None, timeout=5)


def test_a_second_make_run_refuses_and_leaves_the_first_ones_record(state, monkeypatch, capsys):
    script = state / "deploy" / "local.py"  # a stand-in whose command line is make run's
    script.parent.mkdir()
    script.write_text("import time\ntime.sleep(60)\n")
    first = subprocess.Popen([sys.executable, str(script)])
    try:
        monkeypatch.setenv("RUSTOK_STATE", str(state))
        local_env.write(state / "env", {"RUSTOK_RUN_PID": str(first.pid), "PORT": "8000"})
        assert load_local().run() == 1
        said = capsys.readouterr().out
        assert f"`make run` already runs here (pid {first.pid}); `make stop` ends it" in said
        assert local_env.read(state / "env") == {"RUSTOK_RUN_PID": str(first.pid), "PORT": "8000"}
    finally:
        first.kill()
