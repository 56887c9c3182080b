"""Fixtures of the content tests: a site admin of `alpha`, and their signed-in client."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tests.accounts.factories import SiteAdminFactory
from tests.conftest import ALPHA_HOST, bearer


@pytest.fixture
def admin(tenant_a):
    """An admin of site `alpha` (publishes, manages taxonomy)."""
    with schema_context("alpha"):
        return SiteAdminFactory()


@pytest.fixture
def as_admin(tenant_a, admin) -> Client:
    """A client of `alpha` signed in as `admin` with a bearer token."""
    return Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, admin))
