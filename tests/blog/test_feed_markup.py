"""No name or text in a feed is markup to a feed reader, whatever an editor or a user typed.

A reader takes an element's text (the XML unescaped once) and, for many elements, shows it as
HTML. Each element is read that way here, and what an HTML parser builds from it is checked
with the payloads and the checks of the rich-text sanitising tests.
"""

from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django_tenants.utils import schema_context

from apps.core.models import Tenant
from tests.accounts.factories import SiteAdminFactory
from tests.content.factories import make_category, make_node
from tests.content.test_sanitising import XSS_PAYLOADS, assert_harmless
from tests.pages import start_tags

FEEDS = ["/blog/category/evil/feed/rss/", "/blog/category/evil/feed/atom/", "/blog/feed/rss/"]


class Shown(HTMLParser):
    """The text an HTML reader shows for some markup."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def shown(markup: str) -> str:
    parser = Shown()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def read_as_html(response) -> list[tuple[str, str]]:
    """(element, text) for every element's text and attribute value, as a reader takes them."""
    assert response.status_code == 200, response.content
    values = []
    for element in ElementTree.fromstring(response.content).iter():
        name = element.tag.rpartition("}")[2]
        if element.text and element.text.strip():
            values.append((name, element.text))
        values.extend((f"{name}@{key}", value) for key, value in element.attrib.items())
    return values


def firsts(values: list[tuple[str, str]]) -> dict[str, str]:
    """The first text of each element name: the feed's own before its items'."""
    return dict(reversed(values))


def evil_site(payload: str) -> None:
    """A site, a category, an author and a post whose every text is `payload`."""
    Tenant.objects.filter(schema_name="alpha").update(name=payload)
    with schema_context("alpha"):
        author = SiteAdminFactory(display_name=payload)
        category = make_category(name=payload, en={"name": payload, "slug": "evil"})
        make_node(
            actor=author,
            kind="post",
            status="published",
            texts={"en": {"title": payload, "slug": "evil-post", "excerpt": payload, "body": payload}},
            categories=[category],
        )


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_feed_element_is_markup_to_a_reader(reader_a, payload):
    evil_site(payload)
    for path in FEEDS:
        for name, text in read_as_html(reader_a.get(path)):
            assert_harmless(text, payload)
            assert start_tags(text) == [], (path, name, text)
            if name in ("link", "link@href", "id", "guid"):
                assert text.startswith(("http://alpha.test/", "tag:alpha.test,")), (path, name, text)


def test_a_category_named_like_a_script_is_shown_as_its_text(reader_a):
    evil_site("<script>alert(900)</script>")
    rss = firsts(read_as_html(reader_a.get("/blog/category/evil/feed/rss/")))
    assert "alert(900)" in shown(rss["title"])
    assert "alert(900)" in shown(rss["description"])
    assert "<script" not in rss["title"] and "<script" not in rss["description"]
    atom = firsts(read_as_html(reader_a.get("/blog/category/evil/feed/atom/")))
    assert "alert(900)" in shown(atom["title"])
    assert "alert(900)" in shown(atom["subtitle"])
    assert "alert(900)" in shown(atom["category@term"])


def test_plain_names_with_ampersands_read_the_same_as_text_and_as_html(reader_a):
    evil_site("Tea & cake")
    atom = firsts(read_as_html(reader_a.get("/blog/category/evil/feed/atom/")))
    for name in ("title", "subtitle", "category@term", "name"):
        assert "Tea & cake" in atom[name], name
        assert "Tea & cake" in shown(atom[name]), name
    rss = firsts(read_as_html(reader_a.get("/blog/category/evil/feed/rss/")))
    assert shown(rss["title"]) == "Tea & cake: Tea & cake"
    assert rss["category"] == "Tea & cake" and rss["creator"] == "Tea & cake"


def test_characters_xml_cannot_carry_never_break_a_feed(reader_a):
    evil_site("Bell\x07 and tab\x0b")
    for path in FEEDS:
        assert ("title", "Bell and tab") in read_as_html(reader_a.get(path))
