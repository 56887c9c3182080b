"""The record of `make run`'s servers: written at once, read by manage.py, the environment wins."""

import os
import stat
import subprocess
import sys

from rustok import local_env
from tests.deploy.localmode import ROOT, load_local


def test_record_is_written_whole_and_read_back(tmp_path):
    path = tmp_path / "env"
    values = {
        "DATABASE_URL": "postgres://postgres@/rustok?host=/tmp/a dir/pg",
        "REDIS_URL": "unix:///tmp/x/redis.sock?db=0",
        "RUSTOK_REDIS": "embedded",
    }
    local_env.write(path, values, header="written by a test\nsecond line")
    assert local_env.read(path) == values
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # URLs may carry passwords
    local_env.write(path, {"DATABASE_URL": "postgres://other/db"})
    assert local_env.read(path) == {"DATABASE_URL": "postgres://other/db"}
    assert [p.name for p in tmp_path.iterdir()] == ["env"]  # no temporary file left behind


def test_no_record_reads_as_empty(tmp_path):
    assert local_env.read(tmp_path / "env") == {}
    environ = {"RUSTOK_STATE": str(tmp_path)}
    assert local_env.apply(environ) == {}
    assert environ == {"RUSTOK_STATE": str(tmp_path)}


def test_a_variable_set_in_the_environment_wins_over_the_record(tmp_path):
    local_env.write(
        tmp_path / "env",
        {"DATABASE_URL": "postgres://recorded/db", "REDIS_URL": "redis://recorded:6379/0", "PORT": "8001"},
    )
    environ = {"RUSTOK_STATE": str(tmp_path), "DATABASE_URL": "postgres://mine/db", "REDIS_URL": ""}
    applied = local_env.apply(environ)
    assert environ["DATABASE_URL"] == "postgres://mine/db"
    assert environ["REDIS_URL"] == "redis://recorded:6379/0"  # empty counts as unset
    assert applied == {"REDIS_URL": "redis://recorded:6379/0", "PORT": "8001"}


def test_manage_py_reaches_the_recorded_servers_unless_the_environment_names_others(tmp_path):
    local_env.write(
        tmp_path / "env",
        {
            "DATABASE_URL": "postgres://postgres@recorded.invalid/rustok",
            "REDIS_URL": "redis://recorded.invalid/3",
        },
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(RUSTOK_STATE=str(tmp_path), DATABASE_URL="postgres://postgres@mine.invalid/rustok")
    code = "from django.conf import settings as s; print(s.DATABASES['default']['HOST'], s.REDIS_URL)"
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].split() == ["mine.invalid", "redis://recorded.invalid/3"]


def test_a_command_warns_when_the_recorded_embedded_servers_are_stopped(tmp_path, capsys):
    data = tmp_path / "pgdata"
    data.mkdir()
    local_env.write(
        tmp_path / "env",
        {
            "DATABASE_URL": "postgres://postgres@/rustok?host=/nowhere",
            "RUSTOK_POSTGRES": "embedded",
            "RUSTOK_POSTGRES_DATA": str(data),  # no postmaster.pid: the server is stopped
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "RUSTOK_REDIS": "local",
        },
    )
    local_env.apply({"RUSTOK_STATE": str(tmp_path)})
    err = capsys.readouterr().err
    assert "embedded PostgreSQL" in err and "is not running" in err and "make run" in err
    assert "Redis" not in err


def test_the_ready_block_lists_every_address_and_login():
    local = load_local()
    block = local.ready_block(port="8123", password="s3cret", record={"RUSTOK_POSTGRES": "embedded"})
    for address in (
        "http://demo.localhost:8123/",
        "http://demo.localhost:8123/admin/",
        "http://localhost:8123/admin/",
        "http://demo.localhost:8123/api/docs/",
        "http://demo.localhost:8123/api/graphql/",
        "http://demo.localhost:8123/search/?q=tea",
    ):
        assert address in block
    assert "admin@demo.localhost / s3cret" in block
    assert "admin@localhost / s3cret" in block
    assert "editor@, manager@, moderator@, customer@demo.localhost / s3cret" in block
    assert "Ctrl-C" in block and "make stop" in block  # embedded servers: make stop is named
    assert block.index("storefront") < block.index("tenant admin")
    plain = local.ready_block(port="8000", password="x", record={"RUSTOK_POSTGRES": "local"})
    assert "make stop" not in plain  # nothing of ours to stop beyond Ctrl-C
