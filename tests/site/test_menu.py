"""The site's menu: flagged published pages in tree order with sub-menus, then the modules' sections."""

import pytest
from django_tenants.utils import schema_context

from apps.core import services as core
from tests.content.factories import make_node
from tests.site.factories import page
from tests.site.helpers import HTML, menu_links

pytestmark = pytest.mark.django_db


def test_the_menu_has_flagged_published_pages_in_tree_order_then_the_blog_and_the_shop(reader_a):
    with schema_context("alpha"):
        page("Contact", menu=True, position=2)
        page("About us", menu=True, position=1)
        page("Not in menu", position=0)
        page("Draft in menu", status="draft", menu=True, position=0)
    links = menu_links(reader_a.get("/", **HTML))
    assert [(href, label) for href, label, _ in links] == [
        ("/pages/about-us/", "About us"),
        ("/pages/contact/", "Contact"),
        ("/blog/", "Blog"),
        ("/shop/", "Shop"),
    ]


def test_flagged_children_of_a_menu_page_are_its_sub_menu(reader_a):
    with schema_context("alpha"):
        about = page("About us", menu=True)
        page("Our history", menu=True, parent=about, position=1)
        page("Our team", menu=True, parent=about, position=0)
        page("Unflagged child", parent=about)
        orphan_parent = page("Unlisted parent")
        page("Child of unlisted", menu=True, parent=orphan_parent)
    html = reader_a.get("/", **HTML).content.decode()
    start = html.index('<nav class="menu"')
    menu = html[start : html.index("</nav>", start)]
    submenu = menu[menu.index('<ul class="submenu"') :]
    assert submenu.index("Our team") < submenu.index("Our history")
    assert "Unflagged child" not in menu
    assert "Child of unlisted" not in menu
    assert menu.index("About us") < menu.index("Our team")


def test_the_menu_marks_the_page_being_read(reader_a):
    with schema_context("alpha"):
        page("About us", menu=True)
        page("Contact", menu=True)
    links = menu_links(reader_a.get("/pages/contact/", **HTML))
    assert [(label, current) for _, label, current in links] == [
        ("About us", False),
        ("Contact", True),
        ("Blog", False),
        ("Shop", False),
    ]
    blog = menu_links(reader_a.get("/blog/", **HTML))
    assert ("/blog/", "Blog", True) in blog


def test_the_menu_shows_on_content_pages_and_blog_pages(reader_a):
    with schema_context("alpha"):
        page("About us", menu=True)
        make_node(kind="post", status="published", texts={"en": {"title": "A post"}})
    for path in ("/", "/pages/about-us/", "/blog/", "/blog/a-post/"):
        labels = [label for _, label, _ in menu_links(reader_a.get(path, **HTML))]
        assert labels == ["About us", "Blog", "Shop"], path


def test_a_disabled_blog_has_no_menu_section_and_its_pages_are_404(reader_a, tenant_a):
    with schema_context("alpha"):
        page("About us", menu=True)
    core.set_module_enabled(tenant=tenant_a, module="blog", enabled=False)
    labels = [label for _, label, _ in menu_links(reader_a.get("/", **HTML))]
    assert labels == ["About us", "Shop"]
    assert reader_a.get("/blog/", **HTML).status_code == 404
    assert "Latest posts" not in reader_a.get("/", **HTML).content.decode()


def test_menu_labels_are_in_the_readers_language(reader_a):
    with schema_context("alpha"):
        page("About us", menu=True, ru={"title": "О нас", "slug": "o-nas"})
    links = menu_links(reader_a.get("/?lang=ru", **HTML))
    assert ("/pages/o-nas/?lang=ru", "О нас", False) in links
    assert ("/blog/?lang=ru", "Блог", False) in links
