"""The admin's theme (django-unfold): every admin is built on the project's base, every page of
the tenant and the platform admin renders under it, and nothing is loaded from another host."""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django_tenants.utils import schema_context

from apps.core.admin import platform_admin
from rustok.admin import ModelAdmin, StackedInline, TabularInline
from tests.accounts.factories import EditorFactory, OperatorFactory, SiteAdminFactory
from tests.conftest import ALPHA_HOST
from tests.content.factories import make_category, make_node, make_tag

# src=, href=, action= and CSS url() values that name a host.
ADDRESS = re.compile(
    r"""(?:\b(?:src|href|action|srcset)\s*=\s*["']?|url\(\s*["']?)((?:https?:)?//[^"'\s)>]+)"""
)


def outside_addresses(page: str, host: str) -> list[str]:
    """The addresses a page would load or link to on a host other than `host`."""
    return [
        found
        for found in ADDRESS.findall(page)
        if re.sub(r"^(?:https?:)?//", "", found).split("/")[0] != host
    ]


def themed(response, host: str) -> str:
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert "/static/unfold/css/styles.css" in page
    assert "/static/rustok/admin.css" in page
    assert outside_addresses(page, host) == []
    # No django-tenants captions (its green app headings) anywhere.
    assert "#008000" not in page and "tenant-app" not in page
    return page


@pytest.mark.parametrize("site", [admin.site, platform_admin], ids=["tenant", "platform"])
def test_every_admin_and_inline_is_built_on_the_project_base(site):
    for model, model_admin in site._registry.items():
        assert isinstance(model_admin, ModelAdmin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, TabularInline | StackedInline), inline


def test_the_outside_address_check_catches_a_cdn():
    page = '<script src="https://cdn.example.com/x.js"></script><link href="//fonts.example.com/a.css">'
    assert outside_addresses(page, "alpha.test") == [
        "https://cdn.example.com/x.js",
        "//fonts.example.com/a.css",
    ]
    assert outside_addresses('<a href="http://alpha.test/x/">', "alpha.test") == []


@pytest.fixture
def alpha(tenant_a):
    """Clients of alpha's admin signed in as an editor and as an admin, and some content."""
    with schema_context("alpha"):
        editor, site_admin = (
            EditorFactory(email="editor@alpha.test"),
            SiteAdminFactory(email="admin@alpha.test"),
        )
        page = make_node(actor=editor, title="Draft page")
        make_node(actor=site_admin, title="Live page", status="published")
        make_category(name="News")
        make_tag(name="tea")
        clients = {}
        for who, user in (("editor", editor), ("admin", site_admin)):
            clients[who] = Client(HTTP_HOST=ALPHA_HOST)
            clients[who].force_login(user)
    return clients, page


def test_the_editors_pages_render_under_the_theme(alpha):
    clients, page = alpha
    editor = clients["editor"]
    for url in (
        "/admin/",
        "/admin/content/page/",
        "/admin/content/page/add/",
        f"/admin/content/page/{page.pk}/change/",
        f"/admin/content/page/{page.pk}/revisions/",
        f"/admin/content/page/{page.pk}/revisions/compare/?a=1&b=1",
        "/admin/content/category/",
        "/admin/content/tag/add/",
        "/admin/blog/post/",
        "/admin/blog/post/add/",
    ):
        themed(editor.get(url), ALPHA_HOST)


def test_the_admins_pages_render_under_the_theme(alpha):
    clients, _page = alpha
    site_admin = clients["admin"]
    for url in (
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/accounts/apitoken/add/",
        "/admin/accounts/auditentry/",
        "/admin/events/outboxevent/",
        "/admin/events/deadletter/",
        "/admin/index/document/",
    ):
        themed(site_admin.get(url), ALPHA_HOST)


def test_the_tenant_admin_is_headed_by_the_sites_name(alpha):
    clients, _page = alpha
    page = themed(clients["editor"].get("/admin/"), ALPHA_HOST)
    assert re.search(r"<title>[^<]*Alpha\s*</title>", page)
    assert re.search(r'id="site-name">\s*<a href="/admin/">\s*Alpha\s*</a>', page)


def test_the_language_menu_switches_the_admin_to_russian_and_back(alpha):
    clients, _page = alpha
    editor = clients["editor"]
    page = themed(editor.get("/admin/"), ALPHA_HOST)
    assert 'action="/admin/i18n/setlang/"' in page
    editor.post("/admin/i18n/setlang/", {"language": "ru", "next": "/admin/"})
    russian = editor.get("/admin/").content.decode()
    assert 'lang="ru"' in russian and "Панель управления" in russian
    editor.post("/admin/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert 'lang="en"' in editor.get("/admin/").content.decode()


@pytest.fixture
def operator_client(platform_client, db):
    platform_client.force_login(OperatorFactory(email="operator@platform.test"))
    return platform_client


def test_the_platform_admins_pages_render_under_the_theme(operator_client, tenant_a):
    for url in (
        "/admin/",
        "/admin/core/tenant/",
        "/admin/core/tenant/add/",
        f"/admin/core/tenant/{tenant_a.pk}/change/",
        "/admin/core/domain/",
        f"/admin/core/domain/{tenant_a.domains.first().pk}/change/",
        "/admin/accounts/user/",
    ):
        page = themed(operator_client.get(url), "platform.test")
        assert "RusToK" in page


def test_the_sign_in_page_renders_under_the_theme(client_a, platform_client, db):
    themed(client_a.get("/admin/login/"), ALPHA_HOST)
    themed(platform_client.get("/admin/login/"), "platform.test")
