"""REST of the address book (/api/v1/orders/addresses/): one's own addresses, checked as a
checkout's; another's is 404. Who may call what is in the access matrix (tests/orders/access.py)."""

from __future__ import annotations

import pytest

from apps.accounts.models import Role
from apps.orders import services
from tests.accounts.factories import UserFactory
from tests.conftest import problem_of, signed_in
from tests.orders.conftest import GERMAN_ADDRESS

BOOK = "/api/v1/orders/addresses/"
JSON = "application/json"


@pytest.fixture
def anna(alpha):
    return UserFactory(email="anna@example.com", role=Role.CUSTOMER)


def test_a_customer_saves_lists_changes_and_deletes_addresses(tenant_a, anna):
    client = signed_in(tenant_a, anna)
    first = client.post(BOOK, {"address": GERMAN_ADDRESS}, content_type=JSON)
    assert first.status_code == 201 and "no-store" in first["Cache-Control"]
    assert first.json()["is_default"] is True
    second = client.post(
        BOOK, {"address": {**GERMAN_ADDRESS, "line1": "Friedrichstr. 5"}, "default": True}, content_type=JSON
    ).json()
    listed = client.get(BOOK).json()
    assert [a["id"] for a in listed] == [second["id"], first.json()["id"]]
    changed = client.put(
        f"{BOOK}{first.json()['id']}/", {"address": {**GERMAN_ADDRESS, "city": "Potsdam"}}, content_type=JSON
    )
    assert changed.status_code == 200 and changed.json()["address"]["city"] == "Potsdam"
    assert client.post(f"{BOOK}{first.json()['id']}/default/").json()["is_default"] is True
    assert client.delete(f"{BOOK}{second['id']}/").status_code == 204
    assert [a["id"] for a in client.get(BOOK).json()] == [first.json()["id"]]


def test_every_wrong_field_of_an_address_is_named(tenant_a, anna):
    client = signed_in(tenant_a, anna)
    response = client.post(
        BOOK, {"address": {**GERMAN_ADDRESS, "postal_code": "1", "city": ""}}, content_type=JSON
    )
    fields = {e["field"] for e in problem_of(response, 400)["errors"]}
    assert fields == {"address.postal_code", "address.city"}


def test_another_users_address_does_not_exist(tenant_a, anna, alpha):
    theirs = services.create_address(customer=UserFactory(role=Role.CUSTOMER), address=GERMAN_ADDRESS)
    client = signed_in(tenant_a, anna)
    assert client.get(f"{BOOK}{theirs.pk}/").status_code == 404
    assert client.delete(f"{BOOK}{theirs.pk}/").status_code == 404
    assert client.get(BOOK).json() == []
