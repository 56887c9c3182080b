"""/sitemap.xml: composed of the enabled modules' sections, an index above the limit, bounded queries."""

import xml.etree.ElementTree as ET

import pytest
from django_tenants.utils import schema_context

from apps.core.services import set_module_enabled
from tests.testapps.notes.models import Note

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def notes(schema: str, count: int, **fields) -> None:
    with schema_context(schema):
        Note.objects.bulk_create([Note(text=f"note {n}", **fields) for n in range(count)])


def note_ids(schema: str) -> list[int]:
    with schema_context(schema):
        return list(Note.objects.filter(published=True).order_by("id").values_list("pk", flat=True))


def fetch(client, address: str = "/sitemap.xml", status: int = 200) -> ET.Element | None:
    response = client.get(address)
    assert response.status_code == status, response.content[:500]
    if status != 200:
        return None
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def locations(root: ET.Element) -> list[str]:
    return [loc.text for loc in root.findall("sm:url/sm:loc", NS)]


def of_notes(root: ET.Element) -> list[str]:
    """The addresses the notes module's section lists."""
    return [address for address in locations(root) if "/notes/" in address]


# What every site lists with nothing written: its home and, the blog being on, the blog's index.
EMPTY_A = [
    "http://alpha.test/",
    "http://alpha.test/?lang=ru",
    "http://alpha.test/blog/",
    "http://alpha.test/blog/?lang=ru",
]


def test_the_sitemap_is_xml_in_the_sitemap_namespace_with_the_modules_sections(client_a):
    notes("alpha", 2)
    notes("alpha", 1, published=False)
    root = fetch(client_a)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    notes_listed = [f"http://alpha.test/notes/{pk}/" for pk in note_ids("alpha")]
    assert locations(root) == [*EMPTY_A, *notes_listed]
    assert [m.text for m in root.findall("sm:url/sm:lastmod", NS)] == ["2026-01-02"] * 2


def test_an_empty_site_lists_its_home_and_its_blog_undated(client_b):
    root = fetch(client_b)
    assert root.tag.endswith("urlset")
    assert locations(root) == [
        "http://beta.test/?lang=en",
        "http://beta.test/",
        "http://beta.test/blog/?lang=en",
        "http://beta.test/blog/",
    ]
    assert root.findall("sm:url/sm:lastmod", NS) == []


def test_a_disabled_modules_section_is_left_out(client_a, tenant_a):
    notes("alpha", 2)
    set_module_enabled(tenant=tenant_a, module="notes", enabled=False)
    assert locations(fetch(client_a)) == EMPTY_A
    fetch(client_a, "/sitemap-notes.xml", 404)


def test_another_sites_items_are_never_listed(client_a, client_b):
    notes("beta", 3)
    assert locations(fetch(client_a)) == EMPTY_A
    assert len(of_notes(fetch(client_b))) == 3


def test_above_the_limit_the_sitemap_is_an_index_of_numbered_pages(client_a, settings):
    settings.SITEMAP_MAX_URLS = 3
    notes("alpha", 7)
    root = fetch(client_a)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    pages = {
        sitemap.findtext("sm:loc", None, NS): sitemap.findtext("sm:lastmod", None, NS)
        for sitemap in root.findall("sm:sitemap", NS)
    }
    assert list(pages) == [
        "http://alpha.test/sitemap-home.xml",
        "http://alpha.test/sitemap-blog.xml",
        "http://alpha.test/sitemap-notes.xml",
        "http://alpha.test/sitemap-notes.xml?p=2",
        "http://alpha.test/sitemap-notes.xml?p=3",
    ]
    assert [date for date in pages.values() if date] == [pages["http://alpha.test/sitemap-notes.xml"]] * 3
    assert pages["http://alpha.test/sitemap-notes.xml"].startswith("2026-01-02")
    listed = []
    for page in pages:
        found = locations(fetch(client_a, page.removeprefix("http://alpha.test")))
        assert 1 <= len(found) <= 3
        listed += found
    assert sorted(listed) == sorted(EMPTY_A + [f"http://alpha.test/notes/{pk}/" for pk in note_ids("alpha")])
    fetch(client_a, "/sitemap-notes.xml?p=4", 404)
    fetch(client_a, "/sitemap-notes.xml?p=x", 404)
    fetch(client_a, "/sitemap-nothing.xml", 404)


def test_at_the_limit_the_sitemap_is_still_one_file(client_a, settings):
    settings.SITEMAP_MAX_URLS = len(EMPTY_A) + 3
    notes("alpha", 3)
    assert len(of_notes(fetch(client_a))) == 3


@pytest.mark.parametrize("count", [5, 60])
def test_the_sitemap_takes_a_fixed_number_of_queries(client_a, count, django_assert_max_num_queries):
    notes("alpha", count)
    fetch(client_a)  # the site and module toggles are cached now
    # Routing (the search path); the home: the site's settings and the default home's two sections (3); the
    # documents of pages and of posts, read once for all the blog's sections (2); the notes (1); the
    # shop: the newest products on the home, the products, the categories and the collections (4).
    with django_assert_max_num_queries(11):
        assert len(of_notes(fetch(client_a))) == count
