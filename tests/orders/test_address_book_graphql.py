"""GraphQL of the address book (`myAddresses`, `addressCreate/Update/Delete/SetDefault`): one's own
addresses, checked as a checkout's, as REST answers them; another's is NOT_FOUND and stays as it
was. Who may call what is in the access matrix (tests/orders/access_graphql.py)."""

from __future__ import annotations

import pytest
from graphene.utils.str_converters import to_camel_case

from apps.accounts.models import Role
from apps.orders import selectors, services
from tests.accounts.factories import UserFactory
from tests.conftest import signed_in
from tests.orders.conftest import GERMAN_ADDRESS

URL = "/api/graphql/"
TYPED = {to_camel_case(name): value for name, value in GERMAN_ADDRESS.items()}
CREATE = """mutation($a: AddressInput!, $d: Boolean) {
  addressCreate(input: $a, default: $d) { address { id isDefault address { line1 postalCode } } } }"""
UPDATE = """mutation($id: ID!, $a: AddressInput!) {
  addressUpdate(id: $id, input: $a) { address { id address { city } } } }"""
DEFAULT = "mutation($id: ID!) { addressSetDefault(id: $id) { address { id isDefault } } }"
DELETE = "mutation($id: ID!) { addressDelete(id: $id) { id } }"
MINE = "query { myAddresses { id isDefault address { line1 city country } } }"


def gql(client, query, variables=None) -> dict:
    answer = client.post(URL, {"query": query, "variables": variables or {}}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    return answer.json()


@pytest.fixture
def anna(alpha):
    return UserFactory(email="anna@example.com", role=Role.CUSTOMER)


@pytest.fixture
def bert(alpha):
    return UserFactory(email="bert@example.com", role=Role.CUSTOMER)


def test_a_customer_keeps_their_address_book_over_graphql(tenant_a, anna):
    client = signed_in(tenant_a, anna)
    first = gql(client, CREATE, {"a": TYPED})["data"]["addressCreate"]["address"]
    assert first["isDefault"] is True and first["address"]["postalCode"] == "10115"
    second = gql(client, CREATE, {"a": {**TYPED, "line1": "Friedrichstr. 5"}, "d": True})["data"]
    second = second["addressCreate"]["address"]
    listed = gql(client, MINE)["data"]["myAddresses"]
    assert [(a["id"], a["isDefault"]) for a in listed] == [(second["id"], True), (first["id"], False)]
    changed = gql(client, UPDATE, {"id": first["id"], "a": {**TYPED, "city": "Potsdam"}})
    assert changed["data"]["addressUpdate"]["address"]["address"]["city"] == "Potsdam"
    assert gql(client, DEFAULT, {"id": first["id"]})["data"]["addressSetDefault"]["address"]["isDefault"]
    assert gql(client, DELETE, {"id": second["id"]})["data"]["addressDelete"]["id"] == second["id"]
    assert [a["id"] for a in gql(client, MINE)["data"]["myAddresses"]] == [first["id"]]
    # The same book as REST's and the checkout's.
    assert selectors.default_address(anna)["city"] == "Potsdam"


def test_a_wrong_address_names_each_wrong_field(tenant_a, anna):
    answer = gql(signed_in(tenant_a, anna), CREATE, {"a": {**TYPED, "postalCode": "1234", "city": ""}})
    error = answer["errors"][0]
    assert error["extensions"]["code"] == "INVALID"
    assert "address.postal_code" in str(error["extensions"]) and "address.city" in str(error["extensions"])
    assert not selectors.addresses_of(anna).exists()


def test_another_customers_address_is_not_found_and_stays_as_it_was(tenant_a, anna, bert):
    theirs = services.create_address(customer=bert, address=GERMAN_ADDRESS)
    client = signed_in(tenant_a, anna)
    assert gql(client, MINE)["data"]["myAddresses"] == []
    for query, variables in (
        (UPDATE, {"id": theirs.pk, "a": {**TYPED, "city": "Potsdam"}}),
        (DEFAULT, {"id": theirs.pk}),
        (DELETE, {"id": theirs.pk}),
    ):
        answer = gql(client, query, variables)
        assert answer["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    theirs.refresh_from_db()
    assert theirs.address["city"] == "Berlin"


def test_my_addresses_costs_the_same_for_few_and_many(tenant_a, anna, django_assert_max_num_queries):
    from tests.queries import flat

    client = signed_in(tenant_a, anna)
    services.create_address(customer=anna, address=GERMAN_ADDRESS)

    def more():
        for number in range(4):
            services.create_address(customer=anna, address={**GERMAN_ADDRESS, "line1": f"Hof {number}"})

    flat(
        django_assert_max_num_queries,
        3,  # signing in by the bearer token, then one query for the addresses
        ask=lambda: gql(client, MINE),
        grow=more,
        size=lambda answer: len(answer["data"]["myAddresses"]),
    )
