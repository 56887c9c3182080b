"""The page cache (rustok.page_cache): anonymous pages and public API answers are served from Redis
until an event changes what they show; signed-in readers, sessions and previews never share them;
conditional GETs get 304s; a Redis outage costs nothing but the cache."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.core.signals import request_started
from django.test import Client
from django.urls import reverse
from django.utils.http import http_date
from django_tenants.utils import schema_context

from apps.content import services as content
from apps.content.preview import preview_token
from apps.core import services as core
from rustok import page_cache
from rustok.resilience import breaker, reset_all
from tests.accounts.factories import EditorFactory, SiteAdminFactory
from tests.conftest import ALPHA_HOST, BETA_HOST, bearer
from tests.content.factories import make_category, make_node
from tests.site.factories import set_site

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

HTML = {"HTTP_ACCEPT": "text/html"}


def post(title: str, *, status: str = "published", **fields):
    return make_node(kind="post", title=title, status=status, **fields)


def get(client, path: str, **extra):
    """GET `path` as a browser asks for a page, or an API client for JSON."""
    return client.get(path, **({} if path.startswith("/api/") else HTML), **extra)


def page(client, path: str, **extra):
    """The page at `path` as the client gets it: (text, X-Cache)."""
    response = get(client, path, **extra)
    assert response.status_code == 200, response.content
    return response.content.decode(), response["X-Cache"]


def titles(client, path: str = "/api/v1/blog/posts/", **extra) -> list[str]:
    response = client.get(path, **extra)
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


# --- served, and kept true by events -------------------------------------------------------------


def test_an_anonymous_page_is_rendered_once_then_served_from_the_cache(client_a, relay):
    with schema_context("alpha"):
        post("First light")
    relay()
    first, state = page(client_a, "/blog/")
    assert ("First light" in first, state) == (True, "miss")
    again, state = page(client_a, "/blog/")
    assert (again, state) == (first, "hit")


def test_a_hit_reads_nothing_from_the_database(client_a, relay, django_assert_num_queries):
    with schema_context("alpha"):
        for number in range(3):
            post(f"Post {number}")
    relay()
    page(client_a, "/blog/")
    # The host's tenant is kept by the process (rustok.tenancy); the version and the page are in
    # Redis; nothing else runs before the page is served.
    with django_assert_num_queries(0):
        assert page(client_a, "/blog/")[1] == "hit"


def test_a_publish_shows_once_the_worker_has_delivered_it(client_a, relay):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        draft = post("Breaking news", status="draft", actor=admin)
    relay()
    assert "Breaking news" not in page(client_a, "/blog/")[0]
    assert "Breaking news" not in titles(client_a)
    with schema_context("alpha"):
        content.transition_node(actor=admin, node=draft, name="publish")
    assert page(client_a, "/blog/")[1] == "hit"  # the worker has not delivered the event yet
    relay()
    html, state = page(client_a, "/blog/")
    assert ("Breaking news" in html, state) == (True, "miss")
    assert "Breaking news" in titles(client_a)


def test_an_edit_of_a_published_page_clears_its_cached_page(client_a, relay):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        node = make_node(actor=admin, title="Opening hours", body="Nine to five.", status="published")
    relay()
    assert "Nine to five." in page(client_a, "/pages/opening-hours/")[0]
    with schema_context("alpha"):
        node = content.update_node(actor=admin, node=node, texts={"en": {"body": "Ten to six."}})
    relay()  # saved as unpublished changes: readers keep the live page, still cached
    html, state = page(client_a, "/pages/opening-hours/")
    assert ("Nine to five." in html, state) == (True, "hit")
    with schema_context("alpha"):
        content.transition_node(actor=admin, node=node, name="publish")
    relay()
    html, state = page(client_a, "/pages/opening-hours/")
    assert ("Ten to six." in html, state) == (True, "miss")


def test_an_unpublish_removes_the_post_from_the_cached_pages(client_a, relay):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        node = post("Withdrawn", actor=admin)
    relay()
    assert "Withdrawn" in page(client_a, "/blog/")[0]
    with schema_context("alpha"):
        content.transition_node(actor=admin, node=node, name="unpublish")
    relay()
    assert "Withdrawn" not in page(client_a, "/blog/")[0]
    assert client_a.get("/blog/withdrawn/", **HTML).status_code == 404


def test_a_taxonomy_rename_clears_the_category_page_and_the_category_list(client_a, relay):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        news = make_category(actor=admin, name="News")
        empty = make_category(actor=admin, name="Someday")  # no published node shows it
        post("Tuesday", actor=admin, categories=[news])
    relay()
    assert "News" in page(client_a, "/blog/category/news/")[0]
    names = lambda: [c["name"] for c in client_a.get("/api/v1/content/categories/").json()["results"]]  # noqa: E731
    assert names() == ["News", "Someday"]
    with schema_context("alpha"):
        content.update_category(actor=admin, category=news, texts={"en": {"name": "Headlines"}})
        content.update_category(actor=admin, category=empty, texts={"en": {"name": "Later"}})
    relay()
    assert "Headlines" in page(client_a, "/blog/category/news/")[0]
    assert names() == ["Headlines", "Later"]


def test_site_settings_clear_every_cached_page(client_a, relay):
    assert "Tea House" not in page(client_a, "/")[0]
    page(client_a, "/blog/")
    with schema_context("alpha"):
        set_site(name="Tea House")
    relay()
    for path in ("/", "/blog/"):
        html, state = page(client_a, path)
        assert ("Tea House" in html, state) == (True, "miss")


def test_renaming_the_tenant_clears_its_pages(client_a, tenant_a, django_capture_on_commit_callbacks):
    assert "Alpha Shop" not in page(client_a, "/")[0]
    with django_capture_on_commit_callbacks(execute=True):
        core.update_tenant(tenant=tenant_a, name="Alpha Shop", default_language="en", default_currency="EUR")
    assert "Alpha Shop" in page(client_a, "/")[0]


def test_a_module_switch_changes_the_pages_at_once_and_clears_what_was_cached(
    client_a, tenant_a, relay, django_capture_on_commit_callbacks
):
    assert 'href="/blog/"' in page(client_a, "/")[0]
    with django_capture_on_commit_callbacks(execute=True):
        core.set_module_enabled(tenant=tenant_a, module="blog", enabled=False)
    html, state = page(client_a, "/")  # invalidated as the switch committed, before any relay
    assert ('href="/blog/"' in html, state) == (False, "miss")
    assert page(client_a, "/")[1] == "hit"
    relay()
    with django_capture_on_commit_callbacks(execute=True):
        core.set_module_enabled(tenant=tenant_a, module="blog", enabled=True)
    # Back to the modules of the first answer: it is rendered again, not the page cached then.
    html, state = page(client_a, "/")
    assert ('href="/blog/"' in html, state) == (True, "miss")


def shows(monkeypatch, *tags):
    """Pages name `tags` as what they show (as a view does with page_cache.depends_on)."""
    monkeypatch.setattr(page_cache, "tags_of", lambda request: frozenset(tags))


def test_a_page_is_kept_until_a_tag_it_shows_changes(client_a, monkeypatch):
    shows(monkeypatch, "product#1", "product/category:5")
    assert [page(client_a, "/blog/")[1] for _ in range(2)] == ["miss", "hit"]
    page_cache.invalidate_tags(["product#2", "product/category:6"], "alpha")
    page_cache.invalidate_tags(["product#1"], "beta")
    assert page(client_a, "/blog/")[1] == "hit"  # another product, another category, another site
    page_cache.invalidate_tags(["product/category:5"], "alpha")
    assert [page(client_a, "/blog/")[1] for _ in range(2)] == ["miss", "hit"]
    page_cache.invalidate("alpha")  # the whole site
    assert page(client_a, "/blog/")[1] == "miss"


def test_a_page_that_names_no_tag_is_cleared_by_every_invalidation(client_a):
    assert [page(client_a, "/blog/")[1] for _ in range(2)] == ["miss", "hit"]
    page_cache.invalidate_tags(["product#2"], "alpha")
    assert page(client_a, "/blog/")[1] == "miss"


def test_a_page_rendered_while_a_tag_it_shows_changed_is_never_served(client_a, monkeypatch):
    def changed_meanwhile(request):
        # After the lookup, before the answer is stored: as if the product changed during the render.
        page_cache.invalidate_tags(["product#1"], "alpha")
        return frozenset({"product#1"})

    monkeypatch.setattr(page_cache, "tags_of", changed_meanwhile)
    assert page(client_a, "/blog/")[1] == "miss"
    shows(monkeypatch, "product#1")
    assert [page(client_a, "/blog/")[1] for _ in range(2)] == ["miss", "hit"]  # stored, not served


def test_a_lost_sequence_starts_again_above_every_number_it_gave(client_a, monkeypatch):
    shows(monkeypatch, "product#1")
    assert [page(client_a, "/blog/")[1] for _ in range(2)] == ["miss", "hit"]
    page_cache._client().delete(f"{page_cache._prefix('alpha')}seq")  # evicted, or flushed
    page_cache.invalidate_tags(["product#1"], "alpha")
    assert page(client_a, "/blog/")[1] == "miss"


def test_a_page_rendered_for_the_tenant_as_it_was_is_not_served_once_it_changed(client_a, tenant_a):
    # Web processes route with a copy of the tenant's row kept a few seconds (rustok.tenancy):
    # a page rendered from a former copy is kept apart from those of the current one.
    assert "Renamed" not in page(client_a, "/")[0]
    core.update_tenant(tenant=tenant_a, name="Renamed", default_language="en", default_currency="USD")
    html, state = page(client_a, "/")  # the invalidation on commit has not run (nothing committed)
    assert ("Renamed" in html, state) == (True, "miss")


def test_drafts_written_submitted_and_rejected_leave_the_cache_alone(client_a, relay):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        post("Published already", actor=admin)
    relay()
    page(client_a, "/blog/")
    titles(client_a)
    with schema_context("alpha"):
        draft = post("Work in progress", status="draft", actor=admin)
        content.update_node(actor=admin, node=draft, texts={"en": {"title": "Still in progress"}})
        draft = content.transition_node(actor=admin, node=draft, name="submit")
        content.transition_node(actor=admin, node=draft, name="reject")
    relay()
    assert page(client_a, "/blog/")[1] == "hit"
    assert client_a.get("/api/v1/blog/posts/")["X-Cache"] == "hit"


# --- in front of Django (rustok.wsgi) -----------------------------------------------------------


@pytest.fixture
def django_requests() -> list:
    """One item per request that went through Django's request cycle (request_started)."""
    started = []

    def count(**_signal):
        started.append(1)

    request_started.connect(count)
    yield started
    request_started.disconnect(count)


def test_a_hit_is_answered_in_front_of_djangos_request_cycle(
    wsgi, django_requests, django_assert_num_queries
):
    first = wsgi("/blog/")
    assert (first.status, first.headers["X-Cache"], len(django_requests)) == (200, "miss", 1)
    with django_assert_num_queries(0):
        hit = wsgi("/blog/")
    assert (hit.status, hit.headers["X-Cache"]) == (200, "hit")
    assert (hit.body, hit.headers["ETag"]) == (first.body, first.headers["ETag"])
    assert len(django_requests) == 1


def test_a_hit_in_front_of_django_carries_the_request_id_and_the_security_headers(wsgi):
    wsgi("/blog/")
    hit = wsgi("/blog/")
    assert hit.headers["X-Cache"] == "hit" and re.fullmatch("[0-9a-f]{32}", hit.headers["X-Request-ID"])
    assert hit.headers["X-Content-Type-Options"] == "nosniff"
    assert hit.headers["Referrer-Policy"] == "same-origin"
    given = wsgi("/blog/", HTTP_X_REQUEST_ID="edge-42")
    assert (given.headers["X-Cache"], given.headers["X-Request-ID"]) == ("hit", "edge-42")
    assert wsgi("/blog/", HTTP_X_REQUEST_ID="not one!").headers["X-Request-ID"] != "not one!"


def test_a_hit_in_front_of_django_has_the_headers_django_gives_a_hit(wsgi, client_a):
    first = wsgi("/blog/")
    mine = wsgi("/blog/").headers
    djangos = get(client_a, "/blog/")
    assert (djangos.content, djangos["X-Cache"]) == (first.body, "hit")
    assert {**mine, "X-Request-ID": ""} == {**dict(djangos.items()), "X-Request-ID": ""}


def test_a_conditional_get_in_front_of_django_is_answered_304(wsgi):
    first = wsgi("/blog/")
    etag = first.headers["ETag"]
    modified = first.headers["Last-Modified"]
    for validator in ({"HTTP_IF_NONE_MATCH": etag}, {"HTTP_IF_MODIFIED_SINCE": modified}):
        answer = wsgi("/blog/", **validator)
        assert (answer.status, answer.headers["X-Cache"], answer.body) == (304, "hit", b""), validator
        assert answer.headers["ETag"] == etag and answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["X-Request-ID"]
    other = wsgi("/blog/", HTTP_IF_NONE_MATCH='"something-else"')
    assert (other.status, other.headers["X-Cache"], other.body) == (200, "hit", first.body)


def test_head_in_front_of_django_gets_the_headers_of_the_stored_get(wsgi):
    first = wsgi("/blog/")
    head = wsgi("/blog/", method="HEAD")
    assert (head.status, head.headers["X-Cache"], head.body) == (200, "hit", b"")
    assert head.headers["Content-Length"] == str(len(first.body))
    assert head.headers["ETag"] == first.headers["ETag"]


@pytest.mark.parametrize(
    "path, headers",
    [("/blog/", {}), ("/blog/", {"HTTP_ACCEPT_LANGUAGE": "ru"}), ("/api/v1/blog/posts/?limit=5", {})],
)
def test_a_miss_in_front_of_django_asks_redis_once_in_all(wsgi, redis_asked, path, headers):
    wsgi(path, **headers)  # the host's route is kept from here on
    page_cache.invalidate("alpha")
    redis_asked.clear()
    assert (wsgi(path, **headers).headers["X-Cache"], len(redis_asked)) == ("miss", 1)
    assert (wsgi(path, **headers).headers["X-Cache"], len(redis_asked)) == ("hit", 2)


@pytest.mark.parametrize("credential", [{"HTTP_COOKIE": "sessionid=x"}, {"HTTP_AUTHORIZATION": "Token x"}])
def test_credentials_in_front_of_django_go_to_django(wsgi, django_requests, redis_asked, credential):
    wsgi("/api/v1/blog/posts/")
    assert wsgi("/api/v1/blog/posts/").headers["X-Cache"] == "hit"
    django_requests.clear()
    redis_asked.clear()
    answer = wsgi("/api/v1/blog/posts/", **credential)
    assert (answer.headers["X-Cache"], len(django_requests), len(redis_asked)) == ("bypass", 1, 0)
    assert "private" in answer.headers["Cache-Control"]


def test_a_write_in_front_of_django_goes_to_django(wsgi, django_requests):
    wsgi("/api/v1/blog/posts/")
    django_requests.clear()
    answer = wsgi("/api/v1/blog/posts/", method="POST", CONTENT_TYPE="application/json")
    assert (answer.headers["X-Cache"], len(django_requests)) == ("bypass", 1)


def test_an_unknown_host_and_a_suspended_site_are_answered_by_django(wsgi, tenant_a, redis_asked):
    assert wsgi("/blog/", host="nowhere.test").status == 404
    wsgi("/blog/")
    assert wsgi("/blog/").headers["X-Cache"] == "hit"
    core.suspend_tenant(tenant=tenant_a)
    redis_asked.clear()
    for _ in range(2):  # looked up again, then kept by the process as it is now: suspended
        answer = wsgi("/blog/")
        assert (answer.status, "X-Cache" in answer.headers) == (503, False)
    assert redis_asked == []


def test_health_checks_static_files_and_uploads_are_never_looked_up(wsgi, redis_asked):
    wsgi("/blog/")
    redis_asked.clear()
    assert wsgi("/health/live").status == 200
    assert wsgi("/static/rustok/base.css").status == 200
    assert wsgi("/media/nothing.png").status == 404
    assert redis_asked == []


def test_a_request_django_refuses_in_front_of_it_is_refused_by_django(wsgi):
    wsgi("/blog/")
    too_many = "&".join(f"field{number}=1" for number in range(1001))  # DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert wsgi(f"/blog/?{too_many}").status == 400


def test_pages_in_front_of_django_are_rendered_while_redis_is_down(private_redis, wsgi):
    private_redis.stop()
    for _ in range(3):
        answer = wsgi("/blog/")
        assert (answer.status, answer.headers["X-Cache"]) == (200, "bypass")
    private_redis.start()
    reset_all()
    assert [wsgi("/blog/").headers["X-Cache"] for _ in range(2)] == ["miss", "hit"]


# --- tenants -------------------------------------------------------------------------------------


def test_two_tenants_never_share_a_page_at_the_same_address(client_a, client_b, relay):
    with schema_context("alpha"):
        post("Alpha only")
    with schema_context("beta"):
        post("Beta only")
    relay("alpha")
    relay("beta")
    for _ in range(2):
        alpha_html, _state = page(client_a, "/blog/")
        beta_html, _state = page(client_b, "/blog/")
        assert "Alpha only" in alpha_html and "Beta only" not in alpha_html
        assert "Beta only" in beta_html and "Alpha only" not in beta_html
        assert titles(client_a) == ["Alpha only"]
        assert titles(client_b) == ["Beta only"]


def test_one_tenants_invalidation_leaves_the_other_tenants_pages_cached(client_a, client_b, relay):
    page(client_a, "/blog/")
    page(client_b, "/blog/")
    with schema_context("alpha"):
        set_site(name="Tea House")
    relay("alpha")
    assert page(client_a, "/blog/")[1] == "miss"
    assert page(client_b, "/blog/")[1] == "hit"


# --- what is one page ----------------------------------------------------------------------------


def test_the_query_and_the_language_are_part_of_the_address(client_a, relay):
    with schema_context("alpha"):
        post("Bilingual", texts={"en": {"title": "Hello"}, "ru": {"title": "Привет"}})
    relay()
    assert page(client_a, "/api/v1/blog/posts/?limit=5&offset=0")[1] == "miss"
    assert page(client_a, "/api/v1/blog/posts/?offset=0&limit=5")[1] == "hit"  # same query
    assert page(client_a, "/api/v1/blog/posts/?limit=6")[1] == "miss"
    english, _state = page(client_a, "/blog/")
    russian, state = page(client_a, "/blog/", HTTP_ACCEPT_LANGUAGE="ru")
    assert ("Привет" in russian, "Hello" in english, state) == (True, True, "miss")
    assert page(client_a, "/blog/?lang=ru")[1] == "miss"  # a query of its own, in Russian


def test_head_is_answered_from_what_a_get_stored(client_a):
    page(client_a, "/blog/")
    response = client_a.head("/blog/", **HTML)
    assert (response.status_code, response["X-Cache"], response.content) == (200, "hit", b"")


def test_writes_and_the_admin_bypass_the_cache(client_a):
    assert client_a.post("/api/v1/blog/posts/", {}, content_type="application/json")["X-Cache"] == "bypass"
    assert client_a.get("/admin/login/", **HTML)["X-Cache"] == "bypass"


GRAPHQL = "/api/graphql/"
POST_TITLES = "{ contentNodes(kind: POST) { edges { node { title } } } }"


def graphql_titles(client, query: str = POST_TITLES, **extra) -> tuple[list[str], str]:
    """The post titles a GraphQL GET answers, and its X-Cache."""
    response = client.get(GRAPHQL, {"query": query}, HTTP_ACCEPT="application/json", **extra)
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return [edge["node"]["title"] for edge in body["data"]["contentNodes"]["edges"]], response["X-Cache"]


def test_a_graphql_query_asked_with_get_is_kept_until_an_event_changes_it(client_a, relay):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        post("First light", actor=admin)
        draft = post("Second light", status="draft", actor=admin)
    relay()
    assert graphql_titles(client_a) == (["First light"], "miss")
    assert graphql_titles(client_a) == (["First light"], "hit")
    with schema_context("alpha"):
        content.transition_node(actor=admin, node=draft, name="publish")
    relay()
    assert graphql_titles(client_a) == (["Second light", "First light"], "miss")


def test_graphql_answers_with_errors_posts_graphiql_and_tokens_are_never_kept(client_a, tenant_a):
    for _ in range(2):
        refused = client_a.get(GRAPHQL, {"query": "{ me { email } }"}, HTTP_ACCEPT="application/json")
        assert refused.json()["errors"][0]["extensions"]["code"] == "NOT_AUTHENTICATED"
        assert (refused["X-Cache"], refused["Cache-Control"]) == ("miss", "no-store")
        wrong = client_a.get(GRAPHQL, {"query": "{ nothing }"}, HTTP_ACCEPT="application/json")
        assert (wrong.status_code, wrong["X-Cache"]) == (400, "miss")
    asked = {"query": POST_TITLES}
    assert client_a.post(GRAPHQL, asked, content_type="application/json")["X-Cache"] == "bypass"
    assert client_a.get(GRAPHQL, asked, **HTML)["X-Cache"] == "bypass"  # GraphiQL when it is on
    with schema_context("alpha"):
        token = bearer(tenant_a, EditorFactory())
    for _ in range(2):
        assert graphql_titles(client_a, HTTP_AUTHORIZATION=token)[1] == "bypass"


def test_a_not_found_page_is_not_kept(client_a):
    for _ in range(2):
        response = client_a.get("/blog/no-such-post/", **HTML)
        assert (response.status_code, response["X-Cache"]) == (404, "miss")


# --- never a signed-in page ----------------------------------------------------------------------


def test_a_bearer_token_is_never_served_the_shared_answer_and_its_own_is_never_kept(
    client_a, tenant_a, relay
):
    with schema_context("alpha"):
        editor = EditorFactory()
        post("Public post")
        post("Editor draft", status="draft", actor=editor)
    relay()
    assert titles(client_a) == ["Public post"]
    signed_in = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, editor))
    response = signed_in.get("/api/v1/blog/posts/")
    assert sorted(item["title"] for item in response.json()["results"]) == ["Editor draft", "Public post"]
    assert (response["X-Cache"], response["Cache-Control"]) == ("bypass", "private, no-cache")
    assert "ETag" not in response
    assert titles(client_a) == ["Public post"]


def test_a_session_is_never_served_the_shared_page_and_its_own_is_never_kept(client_a):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        post("Seen by all")
    anonymous_html, _state = page(client_a, "/blog/")
    session = Client(HTTP_HOST=ALPHA_HOST)
    with schema_context("alpha"):
        session.force_login(admin)
    for _ in range(2):
        response = session.get("/blog/", **HTML)
        assert (response.status_code, response["X-Cache"]) == (200, "bypass")
        assert "private" in response["Cache-Control"]
    assert page(client_a, "/blog/") == (anonymous_html, "hit")


def test_the_sign_in_cookies_bypass_the_cache(client_a):
    page(client_a, "/blog/")
    for cookie in ("rustok_access", "rustok_refresh", "sessionid", "messages"):
        visitor = Client(HTTP_HOST=ALPHA_HOST)
        visitor.cookies[cookie] = "anything"
        response = visitor.get("/blog/", **HTML)
        assert response["X-Cache"] == "bypass", cookie
        assert response["Cache-Control"] == "private, no-cache", cookie


def test_a_preview_link_is_never_kept(client_a):
    with schema_context("alpha"):
        url = reverse("content-preview", args=[preview_token(make_node(title="Not yet public"))])
    for _ in range(2):
        response = client_a.get(url, **HTML)
        assert (response.status_code, response["X-Cache"]) == (200, "miss")
        assert "no-store" in response["Cache-Control"] and "ETag" not in response


# --- HTTP caching --------------------------------------------------------------------------------


def test_cacheable_answers_say_a_cdn_may_keep_them_briefly(client_a, settings):
    settings.PAGE_CACHE_MAX_AGE = 45
    for path in ("/blog/", "/blog/feed/rss/", "/api/v1/blog/posts/"):
        response = get(client_a, path)
        assert response["Cache-Control"] == "public, max-age=45", path
        assert {"Cookie", "Authorization"} <= {v.strip() for v in response["Vary"].split(",")}, path
        assert response["ETag"].startswith('"') and response["Last-Modified"], path


@pytest.mark.parametrize("path", ["/blog/", "/blog/feed/atom/", "/api/v1/blog/posts/"])
def test_a_conditional_get_is_answered_304_from_the_cache(client_a, path):
    first = get(client_a, path)
    etag, modified = first["ETag"], first["Last-Modified"]
    by_etag = get(client_a, path, HTTP_IF_NONE_MATCH=etag)
    assert (by_etag.status_code, by_etag["X-Cache"], by_etag["ETag"]) == (304, "hit", etag)
    by_date = get(client_a, path, HTTP_IF_MODIFIED_SINCE=modified)
    assert (by_date.status_code, by_date["X-Cache"]) == (304, "hit")
    other = get(client_a, path, HTTP_IF_NONE_MATCH='"something-else"')
    assert (other.status_code, other.content) == (200, first.content)


def test_a_changed_page_has_a_new_etag_and_answers_the_old_one_in_full(client_a, relay):
    etag = client_a.get("/", **HTML)["ETag"]
    with schema_context("alpha"):
        set_site(name="Tea House")
    relay()
    response = client_a.get("/", HTTP_IF_NONE_MATCH=etag, **HTML)
    assert response.status_code == 200 and response["ETag"] != etag
    assert "Tea House" in response.content.decode()


def test_a_feed_is_modified_when_the_site_is_renamed_though_no_entry_is_newer(client_a, relay):
    written = dt.datetime(2024, 1, 5, tzinfo=dt.UTC)
    with schema_context("alpha"), mock.patch("django.utils.timezone.now", return_value=written):
        post("Only entry")
    relay()
    client_a.get("/blog/feed/rss/")
    with schema_context("alpha"):
        set_site(name="Tea House")
    relay()
    response = client_a.get("/blog/feed/rss/", HTTP_IF_MODIFIED_SINCE=http_date(written.timestamp()))
    assert response.status_code == 200 and "Tea House" in response.content.decode()


def test_validators_and_304_without_the_cache(client_a, settings):
    settings.PAGE_CACHE = False
    first = client_a.get("/blog/", **HTML)
    assert first["X-Cache"] == "bypass"
    again = client_a.get("/blog/", HTTP_IF_NONE_MATCH=first["ETag"], **HTML)
    assert (again.status_code, again["X-Cache"]) == (304, "bypass")
    later = client_a.get("/blog/", HTTP_IF_MODIFIED_SINCE=http_date(0), **HTML)
    assert later.status_code == 200


# --- Redis unavailable ---------------------------------------------------------------------------


def test_pages_are_rendered_while_redis_is_down_and_cached_again_once_it_answers(
    private_redis, client_a, relay
):
    with schema_context("alpha"):
        post("Still here")
    relay()
    private_redis.stop()
    for path in ("/blog/", "/api/v1/blog/posts/"):
        for _ in range(2):
            response = get(client_a, path)
            assert (response.status_code, response["X-Cache"]) == (200, "bypass")
            assert "Still here" in response.content.decode()
    private_redis.start()
    reset_all()
    assert page(client_a, "/blog/")[1] == "miss"
    assert page(client_a, "/blog/")[1] == "hit"


def test_a_hung_redis_is_bypassed_and_then_not_tried(private_redis, client_a, settings):
    page(client_a, "/blog/")
    assert page(client_a, "/blog/")[1] == "hit"
    settings.CACHES = {
        alias: {**config, "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.05, "SOCKET_TIMEOUT": 0.05}}
        for alias, config in settings.CACHES.items()
    }
    private_redis.freeze()  # accepts connections, never answers
    try:
        for _ in range(4):
            assert page(client_a, "/blog/")[1] == "bypass"
        assert breaker("redis").current_state == "open"
    finally:
        private_redis.thaw()


def test_the_beta_host_reads_its_own_language_from_its_own_entries(client_b, relay):
    with schema_context("beta"):
        post("Бета", texts={"ru": {"title": "Бета"}})
    relay("beta")
    html, _state = page(client_b, "/blog/")
    assert '<html lang="ru">' in html and "Бета" in html
    assert page(Client(HTTP_HOST=BETA_HOST), "/blog/") == (html, "hit")
