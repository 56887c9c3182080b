"""deploy/local.py loaded as a module (it is a script, not a package), and a scratch database URL."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent.parent


def load_local():
    spec = importlib.util.spec_from_file_location("rustok_deploy_local", ROOT / "deploy" / "local.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def server_url(settings_dict: dict, name: str) -> str:
    """A URL of database `name` on the server of the test database."""
    auth = quote(settings_dict["USER"] or "", safe="") + (
        ":" + quote(settings_dict["PASSWORD"], safe="") if settings_dict.get("PASSWORD") else ""
    )
    host = settings_dict.get("HOST") or ""
    if host.startswith("/"):
        return f"postgres://{auth}@/{name}?host={quote(host, safe='')}"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{name}"
