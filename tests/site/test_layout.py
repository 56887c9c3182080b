"""The layout every storefront page shares: the site's settings, meta tags, and a fixed query cost."""

import pytest
from django_tenants.utils import schema_context

from apps.content import services as content
from tests.accounts.factories import SiteAdminFactory
from tests.conftest import deliver
from tests.content.factories import make_node
from tests.site.factories import image_upload, page, set_site
from tests.site.helpers import HTML, link_hrefs, meta

pytestmark = pytest.mark.django_db

PATHS = ["/", "/pages/about-us/", "/blog/", "/blog/a-post/"]


@pytest.fixture
def site_pages(tenant_a):
    with schema_context("alpha"):
        page("About us", menu=True)
        make_node(kind="post", status="published", texts={"en": {"title": "A post", "excerpt": "Short."}})


def test_every_page_shows_the_sites_name_tagline_footer_contact_and_links(reader_a, site_pages):
    with schema_context("alpha"):
        set_site(
            name="Tea House",
            accent_color="#AA3300",
            contact_email="hello@alpha.test",
            contact_address="1 Garden Lane",
            texts={"en": {"tagline": "Leaves from gardens", "footer_text": "Brewed with care."}},
            social_links=[("mastodon", "https://mastodon.social/@tea"), ("github", "https://github.com/tea")],
        )
    for path in PATHS:
        html = reader_a.get(path, **HTML).content.decode()
        assert 'rel="home"' in html and "Tea House</a>" in html, path
        assert "Leaves from gardens" in html
        assert "Brewed with care." in html
        assert 'href="mailto:hello@alpha.test"' in html and "1 Garden Lane" in html
        assert html.index("Mastodon") < html.index("GitHub")
        assert "--accent: #aa3300;" in html
        assert 'action="/search/"' in html and 'name="q"' in html
        assert 'href="/blog/feed/rss/"' in html


def test_the_site_name_defaults_to_the_tenants_name(reader_a, site_pages):
    html = reader_a.get("/pages/about-us/", **HTML).content.decode()
    assert "<title>About us · Alpha</title>" in html


def test_settings_text_is_shown_in_the_readers_language(reader_a, site_pages):
    with schema_context("alpha"):
        set_site(texts={"en": {"tagline": "Good tea"}, "ru": {"tagline": "Хороший чай"}})
    assert "Хороший чай" in reader_a.get("/?lang=ru", **HTML).content.decode()
    assert "Good tea" in reader_a.get("/", **HTML).content.decode()


def test_the_language_switcher_keeps_the_current_page(reader_a, site_pages):
    html = reader_a.get("/pages/about-us/", **HTML).content.decode()
    assert 'href="/pages/about-us/?lang=ru"' in html


def test_a_page_has_canonical_hreflang_opengraph_and_twitter_tags(reader_a, media):
    with schema_context("alpha"):
        node = page("About us", ru={"title": "О нас", "slug": "o-nas"})
        admin = SiteAdminFactory()
        content.update_node(actor=admin, node=node, texts={"en": {"seo_description": "Who we are."}})
        content.set_featured_image(actor=admin, node=node, upload=image_upload())
        content.transition_node(actor=admin, node=node, name="publish")  # the changes go live
        set_site(name="Tea House")
    response = reader_a.get("/pages/about-us/", **HTML)
    tags = meta(response)
    assert link_hrefs(response, "canonical") == {None: "http://alpha.test/pages/about-us/"}
    assert link_hrefs(response, "alternate") == {
        "en": "http://alpha.test/pages/about-us/",
        "ru": "http://alpha.test/pages/o-nas/?lang=ru",
    }
    assert tags["description"] == "Who we are."
    assert tags["og:title"] == "About us" and tags["og:site_name"] == "Tea House"
    assert tags["og:description"] == "Who we are."
    assert tags["og:url"] == "http://alpha.test/pages/about-us/"
    assert tags["og:type"] == "article" and tags["og:locale"] == "en_US"
    assert tags["og:image"].startswith("http://alpha.test/media/")
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:title"] == "About us" and tags["twitter:image"] == tags["og:image"]
    assert "robots" not in tags


def test_a_list_page_gets_the_sites_description_its_own_address_and_the_logo_as_image(reader_a, media):
    with schema_context("alpha"):
        set_site(texts={"en": {"meta_description": "The best tea."}}, logo=image_upload())
    response = reader_a.get("/blog/?page=1", **HTML)
    tags = meta(response)
    assert tags["description"] == "The best tea." and tags["og:type"] == "website"
    assert link_hrefs(response, "canonical") == {None: "http://alpha.test/blog/"}
    assert link_hrefs(response, "alternate")["ru"] == "http://alpha.test/blog/?lang=ru"
    assert tags["og:image"].startswith("http://alpha.test/media/alpha/site/")
    assert tags["twitter:card"] == "summary"
    assert '<img class="logo"' in response.content.decode()


def test_a_site_closed_to_search_engines_asks_every_page_not_to_be_indexed(reader_a, site_pages):
    with schema_context("alpha"):
        set_site(allow_indexing=False)
    for path in PATHS:
        assert meta(reader_a.get(path, **HTML)).get("robots") == "noindex", path


@pytest.mark.parametrize("count", [2, 12])
def test_a_pages_frame_costs_the_same_queries_whatever_the_menu_holds(
    client_a, django_assert_max_num_queries, count
):
    with schema_context("alpha"):
        set_site(social_links=[("github", f"https://github.com/{n}") for n in range(count)])
        for number in range(count):
            parent = page(f"Section {number}", menu=True, position=number)
            page(f"Child {number}", menu=True, parent=parent)
        page("About us")
    deliver("alpha")  # the worker catches up: readers read documents
    client_a.get("/pages/about-us/", **HTML)  # the module toggles are cached once
    # The page (1) and the frame: settings, social links, menu (3); the tenant's schema (1: the
    # host's tenant is kept by the process).
    with django_assert_max_num_queries(5):
        response = client_a.get("/pages/about-us/", **HTML)
    assert response.status_code == 200
    assert f"Child {count - 1}" in response.content.decode()


def test_the_default_home_costs_a_fixed_number_of_queries(client_a, django_assert_max_num_queries):
    with schema_context("alpha"):
        for number in range(8):
            make_node(kind="post", status="published", texts={"en": {"title": f"Post {number}"}})
            page(f"Page {number}", menu=True)
    deliver("alpha")  # the worker catches up: readers read documents
    client_a.get("/", **HTML)
    with django_assert_max_num_queries(7):
        assert client_a.get("/", **HTML).status_code == 200
