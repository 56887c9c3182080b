"""Fixtures of the payments tests: site `alpha` active, a manager, provider calls without pauses."""

import pytest
from django_tenants.utils import schema_context

from tests.payments.factories import ManagerFactory


@pytest.fixture(autouse=True)
def quick_retries(settings):
    """Retries without the pauses between them; the settlement of pending demo charges is left
    to the tests (no Celery task is queued)."""
    settings.PAYMENTS_RETRY_BACKOFF = 0
    settings.PAYMENTS_DEMO_SETTLE_SECONDS = -1


@pytest.fixture
def site(tenant_a):
    """The schema of site `alpha` is active for the whole test."""
    with schema_context("alpha"):
        yield tenant_a


@pytest.fixture
def manager(site):
    return ManagerFactory()
