"""Feeds and mails call the site by the name its settings give."""

from xml.etree import ElementTree

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from tests.conftest import deliver
from tests.content.factories import make_node
from tests.site.factories import set_site

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_feeds_are_titled_with_the_site_name_and_described_by_its_tagline(client_a):
    with schema_context("alpha"):
        set_site(name="Tea House", texts={"en": {"tagline": "Leaves from gardens"}})
        make_node(kind="post", status="published", texts={"en": {"title": "A post"}})
    channel = ElementTree.fromstring(client_a.get("/blog/feed/rss/").content).find("channel")
    assert channel.findtext("title") == "Tea House"
    assert channel.findtext("description") == "Leaves from gardens"
    atom = ElementTree.fromstring(client_a.get("/blog/feed/atom/").content)
    assert atom.findtext(f"{ATOM}title") == "Tea House"


def test_mails_name_the_site_by_its_settings(client_a, tenant_a):
    with schema_context("alpha"):
        set_site(name="Tea House")
    response = client_a.post(
        "/api/auth/register/",
        {"email": "new@alpha.test", "password": "a-long-passphrase"},
        content_type="application/json",
    )
    assert response.status_code == 202
    deliver("alpha")
    [message] = mail.outbox
    assert message.subject == "Welcome to Tea House"
    assert "Tea House" in message.body
