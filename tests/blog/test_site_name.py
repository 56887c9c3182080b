"""The blog's feeds are titled with the site's name and described by its tagline (site settings)."""

from xml.etree import ElementTree

import pytest
from django_tenants.utils import schema_context

from tests.content.factories import make_node
from tests.site.factories import set_site

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_feeds_are_titled_with_the_site_name_and_described_by_its_tagline(reader_a):
    with schema_context("alpha"):
        set_site(name="Tea House", texts={"en": {"tagline": "Leaves from gardens"}})
        make_node(kind="post", status="published", texts={"en": {"title": "A post"}})
    channel = ElementTree.fromstring(reader_a.get("/blog/feed/rss/").content).find("channel")
    assert channel.findtext("title") == "Tea House"
    assert channel.findtext("description") == "Leaves from gardens"
    atom = ElementTree.fromstring(reader_a.get("/blog/feed/atom/").content)
    assert atom.findtext(f"{ATOM}title") == "Tea House"


def test_without_settings_a_feed_is_titled_with_the_tenants_name(reader_a):
    channel = ElementTree.fromstring(reader_a.get("/blog/feed/rss/").content).find("channel")
    assert channel.findtext("title") == "Alpha"
    assert channel.findtext("description") == "Posts on Alpha"
