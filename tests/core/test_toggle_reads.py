"""The module toggles are read once per request, whatever asks for them; a switch shows on the next.

Every piece of a request that depends on the modules (the REST gate, the GraphQL middleware, the
storefront's hooks, the kinds of content shown) asks the same per-request answer, so a blog index,
a REST list or a GraphQL query reads the tenant's toggles from Redis exactly once.
"""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.cache import caches
from django_tenants.utils import schema_context

from apps.content import kinds
from apps.core import selectors, services
from tests.accounts.factories import SiteAdminFactory
from tests.content.factories import make_node

pytestmark = pytest.mark.django_db

HTML = {"HTTP_ACCEPT": "text/html"}


@contextmanager
def toggle_reads():
    """Count the reads of the module toggles: Redis GETs of their key, and database reads."""
    cache = caches[selectors.CACHE_ALIAS]
    real_get = cache.get
    reads = {"redis": 0, "database": 0}

    def counted_get(key, *args, **kwargs):
        if str(key).startswith("modules:enabled:"):
            reads["redis"] += 1
        return real_get(key, *args, **kwargs)

    real_states = selectors.module_states

    def counted_states(tenant):
        reads["database"] += 1
        return real_states(tenant)

    with (
        mock.patch.object(cache, "get", counted_get),
        mock.patch.object(selectors, "module_states", counted_states),
    ):
        yield reads


@contextmanager
def kinds_computed():
    """Count how often the enabled kinds are worked out."""
    calls = {"count": 0}
    real = kinds._enabled_kinds

    def counted(tenant):
        calls["count"] += 1
        return real(tenant)

    with mock.patch.object(kinds, "_enabled_kinds", counted):
        yield calls


@pytest.fixture
def posts(tenant_a):
    with schema_context("alpha"):
        for number in range(3):
            texts = {"en": {"title": f"Post {number}", "body": "Text."}}
            make_node(kind="post", status="published", texts=texts)
            make_node(status="published", title=f"Page {number}")


@pytest.mark.parametrize(
    "ask",
    [
        pytest.param(lambda client: client.get("/blog/", **HTML), id="blog index"),
        pytest.param(lambda client: client.get("/api/v1/content/nodes/"), id="REST list"),
        pytest.param(
            lambda client: client.post(
                "/api/graphql/",
                {"query": "{ site { name } contentNodes { totalCount edges { node { title } } } }"},
                content_type="application/json",
            ),
            id="GraphQL query",
        ),
    ],
)
def test_a_request_reads_the_toggles_once(client_a, tenant_a, posts, ask):
    selectors.forget_module_states(tenant_a)
    with toggle_reads() as reads, kinds_computed() as computed:
        response = ask(client_a)
    assert response.status_code == 200
    assert "errors" not in response.content.decode()
    assert reads == {"redis": 1, "database": 1}  # a cold cache: one GET, one read of the rows
    assert computed["count"] == 1
    with toggle_reads() as reads, kinds_computed() as computed:
        assert ask(client_a).status_code == 200
    assert reads == {"redis": 1, "database": 0}
    assert computed["count"] == 1


@pytest.mark.parametrize("address", ["/sitemap.xml", "/admin/", "/admin/content/page/"])
def test_the_sitemap_and_the_admin_read_the_toggles_once(client_a, posts, address):
    with schema_context("alpha"):
        client_a.force_login(SiteAdminFactory())
    with toggle_reads() as reads:
        assert client_a.get(address).status_code == 200
    assert reads["redis"] == 1


def test_a_switch_shows_on_the_next_request(reader_a, tenant_a, posts):
    assert reader_a.get("/blog/", **HTML).status_code == 200
    services.set_module_enabled(tenant=tenant_a, module="blog", enabled=False)
    assert reader_a.get("/blog/", **HTML).status_code == 404
    titles = [node["title"] for node in reader_a.get("/api/v1/content/nodes/").json()["results"]]
    assert titles and not any(title.startswith("Post") for title in titles)
    services.set_module_enabled(tenant=tenant_a, module="blog", enabled=True)
    assert reader_a.get("/blog/", **HTML).status_code == 200


def test_outside_a_request_every_read_asks_the_cache(tenant_a):
    """Workers and commands have no request to keep the answer on: a switch shows at once."""
    with toggle_reads() as reads:
        assert selectors.is_enabled(tenant_a, "blog")
        assert selectors.is_enabled(tenant_a, "blog")
    assert reads["redis"] == 2
    services.set_module_enabled(tenant=tenant_a, module="blog", enabled=False)
    assert not selectors.is_enabled(tenant_a, "blog")
    assert "post" not in kinds.enabled_kinds(tenant_a)
