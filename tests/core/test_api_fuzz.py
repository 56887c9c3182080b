"""Every operation of the OpenAPI document, fed generated input by schemathesis, as the owner of
a site: no answer is a server error, and every answer matches the document.

A bounded run (a few examples per operation, no shrinking), part of `make test`: what an outside
probe found once is kept found. Each case runs in the test's transaction on the `alpha` site
with a sign-in of its own, so a case that signs out or deletes does not change the next one.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.accounts.factories import OwnerFactory
from tests.conftest import ALPHA_HOST, bearer

EXAMPLES = 6


def _document() -> dict:
    """The OpenAPI document /api/schema/ serves, built without a request (every module's routes)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


schema = schemathesis.openapi.from_dict(_document())


@pytest.fixture
def kept_connection():
    """Requests keep the test's connection (and its transaction), as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


application = WSGIHandler()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error_or_outside_the_document(case, tenant_a, kept_connection):
    with schema_context("alpha"):
        owner = OwnerFactory()
    case.call_and_validate(
        base_url=f"http://{ALPHA_HOST}",
        app=application,
        headers={"Authorization": bearer(tenant_a, owner)},
        checks=[not_a_server_error, response_schema_conformance],
    )
