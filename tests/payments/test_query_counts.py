"""Query counts of payments' lists (REST, GraphQL with transactions, the admin): flat in their
length."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tests.catalog.test_query_counts import warm
from tests.conftest import ALPHA_HOST, admin_session, bearer
from tests.payments.factories import ManagerFactory, captured_manual
from tests.queries import flat

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(tenant_a):
    with schema_context("alpha"):
        return ManagerFactory()


def add_payments(manager, count: int) -> None:
    with schema_context("alpha"):
        for _n in range(count):
            captured_manual(manager)


def test_the_rest_list_costs_the_same_for_few_and_many(tenant_a, manager, django_assert_max_num_queries):
    client = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, manager))
    add_payments(manager, 2)
    ask = lambda: client.get("/api/v1/payments/", {"limit": 100})  # noqa: E731
    flat(
        django_assert_max_num_queries,
        4,
        ask=ask,
        grow=warm(lambda: add_payments(manager, 10), ask),
        size=lambda response: len(response.json()["results"]),
    )


def test_the_graphql_list_with_transactions_costs_the_same_for_5_and_50(
    tenant_a, manager, django_assert_max_num_queries
):
    client = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, manager))
    query = "{ payments(first: 100) { id status transactions { kind result } } }"
    add_payments(manager, 5)

    def ask():
        return client.post("/api/graphql/", {"query": query}, content_type="application/json")

    flat(
        django_assert_max_num_queries,
        4,
        ask=ask,
        grow=warm(lambda: add_payments(manager, 45), ask),
        size=lambda response: len(response.json()["data"]["payments"]),
    )


def test_the_admin_list_costs_the_same_for_few_and_many(tenant_a, manager, django_assert_max_num_queries):
    browser = admin_session(manager)
    add_payments(manager, 3)
    ask = lambda: browser.get("/admin/payments/payment/")  # noqa: E731
    flat(
        django_assert_max_num_queries,
        12,
        ask=ask,
        grow=warm(lambda: add_payments(manager, 20), ask),
        size=lambda response: len(response.context["cl"].result_list),
    )
