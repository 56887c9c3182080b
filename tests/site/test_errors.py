"""Error pages: the storefront's own for readers of a site, problem+json for the API."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from tests.conftest import ALPHA_HOST
from tests.site.factories import page, set_site
from tests.site.helpers import HTML, menu_links

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_the_storefronts_404_in_the_sites_frame(reader_a):
    with schema_context("alpha"):
        page("About us", menu=True)
        set_site(name="Tea House")
    response = reader_a.get("/pages/nowhere/", **HTML)
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Not found</h1>" in html and "Tea House" in html
    assert [label for _, label, _ in menu_links(response)] == ["About us", "Blog", "Shop"]
    assert '<meta name="robots" content="noindex">' in html


def test_the_404_page_is_translated(reader_a):
    html = reader_a.get("/pages/nowhere/?lang=ru", **HTML).content.decode()
    assert "Не найдено" in html


def test_a_missing_api_address_stays_a_problem(reader_a):
    response = reader_a.get("/api/v1/nowhere/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_the_platform_host_keeps_its_own_404_page(platform_client):
    response = platform_client.get("/nowhere/", **HTML)
    assert response.status_code == 404
    assert 'class="site-header"' not in response.content.decode()


def test_a_server_error_is_the_storefronts_500_page_rendered_without_the_database(tenant_a, settings):
    def broken(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = "tests.site.broken_urls"
    client = Client(HTTP_HOST=ALPHA_HOST, raise_request_exception=False)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/broken/", **HTML)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and 'class="site-header"' in html
    assert not [q for q in queries.captured_queries if "site_" in q["sql"]]


def test_the_404_of_an_impossible_address_is_in_the_readers_language(reader_a):
    assert "Не найдено" in reader_a.get("/pages/%00/?lang=ru", **HTML).content.decode()
    # the next reader, who asked for no language, gets the site's own (nothing carried over)
    html = reader_a.get("/%00/", **HTML).content.decode()
    assert "<h1>Not found</h1>" in html
