"""Mails call the site by the name its settings give."""

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from tests.conftest import deliver
from tests.site.factories import set_site

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


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
