"""A hung Redis (frozen with SIGSTOP: it accepts connections and never answers) costs a request
a short timeout at most, then nothing while the circuit is open: module toggles come from the
database and rate limits fail open for a bounded time, then count in the process."""

import logging
import time

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.core import services
from rustok.resilience import breaker, reset_all
from tests.accounts.factories import EditorFactory
from tests.conftest import ALPHA_HOST, bearer, deliver, wait_until
from tests.servers import free_port

# A request that waits for a hung Redis takes seconds; one that does not, well under this.
HUNG = 1.0


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.fixture
def hung_redis(private_redis, client_a):
    """The private Redis, warm (toggles cached, limits counted), then frozen; thawed afterwards."""
    assert client_a.get("/api/v1/site/").status_code == 200
    private_redis.freeze()
    yield private_redis
    private_redis.thaw()


def test_every_kind_of_request_answers_at_once_while_redis_hangs(
    hung_redis, tenant_a, client_a, django_capture_on_commit_callbacks
):
    with schema_context("alpha"):
        editor = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, EditorFactory()))
    for attempt in range(4):
        page, page_took = timed(lambda: client_a.get("/blog/"))
        site, site_took = timed(lambda: client_a.get("/api/v1/site/"))
        with django_capture_on_commit_callbacks(execute=True):  # the relay is queued on commit
            write, write_took = timed(
                lambda: editor.post(
                    "/api/v1/blog/posts/",
                    {"title": f"Written while Redis hangs {attempt}", "body": "Hi"},
                    content_type="application/json",
                )
            )
        assert (page.status_code, site.status_code, write.status_code) == (200, 200, 201)
        assert max(page_took, site_took, write_took) < HUNG, (page_took, site_took, write_took)
    assert breaker("redis").current_state == "open"


def test_module_toggles_come_from_the_database_while_redis_hangs(hung_redis, tenant_a, client_a):
    services.set_module_enabled(tenant=tenant_a, module="blog", enabled=False)
    assert client_a.get("/blog/").status_code == 404
    services.set_module_enabled(tenant=tenant_a, module="blog", enabled=True)
    assert client_a.get("/blog/").status_code == 200


def test_rate_limits_fail_open_for_a_bounded_time_and_say_so(hung_redis, client_a, settings, caplog):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/min"}}
    with caplog.at_level(logging.WARNING, logger="rustok.api.throttling"):
        statuses = [client_a.get("/api/v1/site/").status_code for _ in range(6)]
    assert statuses == [200] * 6
    [warning] = [r for r in caplog.records if "fail open" in r.getMessage()]
    assert "60" in warning.getMessage()


def test_after_the_bounded_time_each_process_counts_the_limits_itself(hung_redis, client_a, settings):
    settings.THROTTLE_FAIL_OPEN_SECONDS = 0
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/min"}}
    statuses = [client_a.get("/api/v1/site/").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = client_a.get("/api/v1/site/")
    assert refused.json()["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 60


def test_once_redis_answers_again_the_circuit_closes_and_redis_counts_again(hung_redis, client_a, settings):
    settings.REDIS_BREAKER_SECONDS = 0.5
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/min"}}
    for _ in range(4):
        client_a.get("/api/v1/site/")
    assert breaker("redis").current_state == "open"
    hung_redis.thaw()

    def closed():
        """the breaker closed after a successful trial call"""
        client_a.get("/api/v1/site/")
        return breaker("redis").current_state == "closed"

    wait_until(closed, timeout=10)
    # Counted in Redis again: a new client address starts its own window there.
    other = Client(HTTP_HOST=ALPHA_HOST, REMOTE_ADDR="10.9.8.7")
    assert [other.get("/api/v1/site/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_a_switch_made_while_redis_is_out_of_reach_reaches_every_process_once_it_answers(
    tenant_a, client_a, settings
):
    assert client_a.get("/blog/").status_code == 200  # the toggles are cached: the blog is on
    reachable = settings.CACHES
    # A partition: this process cannot reach Redis, which keeps the cached toggles.
    settings.CACHES = {
        a: {**c, "LOCATION": f"redis://127.0.0.1:{free_port()}/0"} for a, c in reachable.items()
    }
    services.set_module_enabled(tenant=tenant_a, module="blog", enabled=False)  # cannot drop the entry
    settings.CACHES = reachable
    reset_all()
    assert client_a.get("/blog/").status_code == 200  # Redis answers again, with the old entry
    deliver("alpha")  # a worker delivers core.module.disabled
    assert client_a.get("/blog/").status_code == 404
