"""The web server refuses to serve with the published development SECRET_KEY outside DEBUG."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _import_wsgi(**env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import rustok.wsgi"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_wsgi_refuses_to_start_without_secret_key_outside_debug():
    result = _import_wsgi()
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_wsgi_starts_with_a_secret_key():
    assert _import_wsgi(SECRET_KEY="a-real-secret").returncode == 0
