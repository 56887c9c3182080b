"""/health/live and /health/ready answer on every host and name the part that is down."""

from django.db import connection


def test_live_answers_on_any_host(db, client):
    for host in ("alpha.test", "platform.test", "unknown.test"):
        response = client.get("/health/live", HTTP_HOST=host)
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}


def test_ready_reports_each_part(db, client):
    response = client.get("/health/ready", HTTP_HOST="unknown.test")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: part["status"] for name, part in body["checks"].items()} == {
        "database": "ok",
        "redis": "ok",
        "migrations": "ok",
        "events": "ok",
    }


def test_ready_is_503_naming_redis_when_redis_is_down(db, client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/health/ready", HTTP_HOST="alpha.test")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["redis"]
    assert body["checks"]["redis"]["status"] == "down"
    assert "Connection" in body["checks"]["redis"]["error"]


def test_ready_is_503_naming_the_database_when_it_is_down(db, client, monkeypatch):
    # New connections go to a port where no server listens; the test's own stays open.
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
    response = client.get("/health/ready", HTTP_HOST="alpha.test")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database", "migrations"]
    assert body["checks"]["database"]["status"] == "down"
    assert body["checks"]["migrations"]["status"] == "unknown"
