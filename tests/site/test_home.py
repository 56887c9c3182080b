"""`/` on every site: the page chosen as home, else a default home of the newest posts and top pages."""

import pytest
from django_tenants.utils import schema_context

from apps.content import services as content
from tests.accounts.factories import SiteAdminFactory
from tests.content.factories import make_node
from tests.site.factories import page, set_site
from tests.site.helpers import HTML, link_hrefs

pytestmark = pytest.mark.django_db


def test_the_chosen_home_page_is_shown_at_the_sites_address(reader_a):
    with schema_context("alpha"):
        home = page("Welcome home")
        set_site(home_page=home.pk)
    response = reader_a.get("/", **HTML)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Welcome home</h1>" in html
    assert link_hrefs(response, "canonical") == {None: "http://alpha.test/"}


def test_without_a_chosen_page_the_home_shows_the_newest_posts_and_the_top_pages(reader_a):
    with schema_context("alpha"):
        page("About us")
        page("Hidden draft", status="draft")
        parent = page("Guides")
        page("Child page", parent=parent)
        for number in range(7):
            make_node(kind="post", status="published", texts={"en": {"title": f"Post {number}"}})
    response = reader_a.get("/", **HTML)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Latest posts" in html and 'href="/blog/"' in html
    assert "Post 6" in html and "Post 2" in html and "Post 1" not in html  # the five newest
    assert 'href="/pages/about-us/"' in html and 'href="/pages/guides/"' in html
    assert "Child page" not in html  # top-level pages only
    assert "Hidden draft" not in html


@pytest.mark.parametrize("gone", ["unpublish", "delete"])
def test_a_chosen_page_that_is_unpublished_or_deleted_falls_back_to_the_default_home(reader_a, gone):
    with schema_context("alpha"):
        home = page("Welcome home")
        set_site(home_page=home.pk)
        actor = SiteAdminFactory()
        if gone == "unpublish":
            content.transition_node(actor=actor, node=home, name="unpublish")
        else:
            content.delete_node(actor=actor, node=home)
        make_node(kind="post", status="published", texts={"en": {"title": "Fresh post"}})
    response = reader_a.get("/", **HTML)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Welcome home" not in html
    assert "Fresh post" in html


def test_a_chosen_post_id_is_not_a_home_page(reader_a):
    with schema_context("alpha"):
        post = make_node(kind="post", status="published", texts={"en": {"title": "A post, not a page"}})
        set_site(home_page=post.pk)
    html = reader_a.get("/", **HTML).content.decode()
    assert "<h1>A post, not a page</h1>" not in html


def test_an_empty_site_says_nothing_is_published_yet(reader_a):
    response = reader_a.get("/", **HTML)
    assert response.status_code == 200
    assert "Nothing has been published here yet." in response.content.decode()


def test_the_home_of_one_site_never_shows_anothers_page(reader_a, reader_b):
    with schema_context("alpha"):
        home = page("Alpha only home")
        set_site(home_page=home.pk)
    assert "Alpha only home" in reader_a.get("/", **HTML).content.decode()
    assert "Alpha only home" not in reader_b.get("/", **HTML).content.decode()


def test_the_home_page_is_in_the_readers_language(reader_b):
    with schema_context("beta"):
        page("Welcome", ru={"title": "Добро пожаловать", "body": "Текст."})
        make_node(kind="post", status="published", texts={"ru": {"title": "Новый пост"}})
    html = reader_b.get("/", **HTML).content.decode()
    assert "Последние записи" in html and "Новый пост" in html
    assert "Добро пожаловать" in html
