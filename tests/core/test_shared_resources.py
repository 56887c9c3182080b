"""What is shared between requests is keyed by tenant: cache, media files, Celery tasks."""

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django_tenants.utils import schema_context

from apps.core.tasks import ping
from rustok.celery import app as celery_app


def test_cache_entries_of_one_tenant_are_invisible_to_another(db):
    with schema_context("alpha"):
        cache.set("greeting", "hello from alpha")
    with schema_context("beta"):
        assert cache.get("greeting") is None
        cache.set("greeting", "hello from beta")
    with schema_context("alpha"):
        assert cache.get("greeting") == "hello from alpha"


def test_media_files_are_stored_under_the_tenants_own_root(db, media):
    tmp_path = media
    with schema_context("alpha"):
        name = default_storage.save("avatars/a.txt", ContentFile(b"alpha"))
        alpha_path = default_storage.path(name)
    with schema_context("beta"):
        assert not default_storage.exists(name)
        beta_path = default_storage.path(name)
    assert alpha_path.startswith(str(tmp_path / "alpha"))
    assert beta_path.startswith(str(tmp_path / "beta"))
    assert (tmp_path / "alpha" / "avatars" / "a.txt").read_bytes() == b"alpha"


@pytest.fixture
def celery_worker_thread(db):
    """A real Celery worker (in a thread of this process) consuming from the test Redis."""
    from celery.contrib.testing.worker import start_worker

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.mark.worker
def test_a_task_runs_in_the_schema_of_the_tenant_that_queued_it(celery_worker_thread):
    with schema_context("alpha"):
        from_alpha = ping.delay()
    with schema_context("beta"):
        from_beta = ping.delay()
    from_public = ping.delay()

    assert from_alpha.get(timeout=20) == "alpha"
    assert from_beta.get(timeout=20) == "beta"
    assert from_public.get(timeout=20) == "public"
    assert connection.schema_name == "public"
