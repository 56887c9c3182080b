"""Fixtures of the catalogue tests: a manager of `alpha`, inside its schema."""

import pytest
from django_tenants.utils import schema_context

from tests.catalog.factories import manager as make_manager


@pytest.fixture
def alpha(tenant_a):
    """Run the test inside site `alpha`'s schema."""
    with schema_context("alpha"):
        yield tenant_a


@pytest.fixture
def manager(alpha):
    return make_manager()
