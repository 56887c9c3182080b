"""The content module's sitemap section: published pages, each language with its alternates."""

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from django_tenants.utils import schema_context

from apps.content.models import Node
from apps.index import projections
from tests.content.factories import admin, make_node

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def entries(client) -> dict[str, dict]:
    """Each <url> of /sitemap.xml by its address: its lastmod (None without one) and its
    alternates by language."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return {
        url.find("sm:loc", NS).text: {
            "lastmod": url.findtext("sm:lastmod", None, NS),
            "alternates": {
                link.get("hreflang"): link.get("href")
                for link in url.findall("xhtml:link", NS)
                if link.get("rel") == "alternate"
            },
        }
        for url in root.findall("sm:url", NS)
    }


def under(found: dict[str, dict], path: str) -> dict[str, dict]:
    """The entries of `found` whose address's path starts with `path` ("/pages/")."""
    return {address: entry for address, entry in found.items() if urlsplit(address).path.startswith(path)}


def test_published_pages_are_listed_and_drafts_never(reader_a):
    with schema_context("alpha"):
        shown = make_node(title="About us", status="published")
        for status in ("draft", "in_review", "archived"):
            make_node(title=f"Hidden {status}", status=status)
    found = under(entries(reader_a), "/pages/")
    assert list(found) == ["http://alpha.test/pages/about-us/"]
    assert found["http://alpha.test/pages/about-us/"]["lastmod"] == f"{shown.updated_at:%Y-%m-%d}"


def test_a_page_leaves_the_sitemap_when_it_is_unpublished(reader_a):
    from apps.content import services

    with schema_context("alpha"):
        page = make_node(title="About us", status="published")
    assert list(under(entries(reader_a), "/pages/")) == ["http://alpha.test/pages/about-us/"]
    with schema_context("alpha"):
        services.transition_node(actor=admin(), node=page, name="unpublish")
    assert under(entries(reader_a), "/pages/") == {}


def test_a_pages_lastmod_is_its_last_change(reader_a):
    with schema_context("alpha"):
        page = make_node(title="About us", status="published")
        Node.objects.filter(pk=page.pk).update(updated_at=dt.datetime(2024, 5, 6, 12, tzinfo=dt.UTC))
        projections.rebuild(projections.get("content.page"))
    assert entries(reader_a)["http://alpha.test/pages/about-us/"]["lastmod"] == "2024-05-06"


def test_each_language_of_a_page_is_listed_with_alternates_of_all_its_languages(reader_a):
    with schema_context("alpha"):
        make_node(
            status="published",
            texts={"en": {"title": "Contacts"}, "ru": {"title": "Контакты", "slug": "kontakty"}},
        )
        make_node(title="English only", status="published")
    found = entries(reader_a)
    both = {"en": "http://alpha.test/pages/contacts/", "ru": "http://alpha.test/pages/kontakty/?lang=ru"}
    assert found["http://alpha.test/pages/contacts/"]["alternates"] == both
    assert found["http://alpha.test/pages/kontakty/?lang=ru"]["alternates"] == both
    assert found["http://alpha.test/pages/english-only/"]["alternates"] == {
        "en": "http://alpha.test/pages/english-only/"
    }
    assert len(under(found, "/pages/")) == 3


def test_on_a_russian_site_the_english_addresses_carry_the_language(reader_b):
    with schema_context("beta"):
        make_node(
            status="published",
            texts={"ru": {"title": "О нас", "slug": "o-nas"}, "en": {"title": "About", "slug": "about"}},
        )
    assert entries(reader_b)["http://beta.test/pages/o-nas/"]["alternates"] == {
        "en": "http://beta.test/pages/about/?lang=en",
        "ru": "http://beta.test/pages/o-nas/",
    }
