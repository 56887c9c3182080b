"""The orders module's pages of a customer's account: their orders (list and detail, another's and
a guest's are 404) and their address book (checked per country as a checkout's address)."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import Role
from apps.orders import selectors, services
from apps.orders.models import CustomerAddress, Order
from rustok.money import format_minor
from tests.accounts.factories import UserFactory
from tests.conftest import ALPHA_HOST
from tests.orders.conftest import GERMAN_ADDRESS
from tests.queries import flat

CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}
ORDERS = "/account/orders/"
ADDRESSES = "/account/addresses/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def place(variant, method, *, customer=None, email="anna@example.com", quantity=1) -> Order:
    """An order placed through the checkout (paid by the demo card), a customer's if given."""
    cart = services.create_cart(customer=customer)
    services.add_line(cart=cart, variant_id=variant.pk, quantity=quantity)
    services.update_checkout(
        cart=cart,
        email=customer.email if customer else email,
        shipping_address=GERMAN_ADDRESS,
        shipping_method=method.pk,
        payment_provider="demo",
    )
    return services.checkout(cart=cart, details=CARD)


def session_of(user) -> Client:
    """A browser of alpha's storefront signed in as `user` (a session, as the sign-in page opens)."""
    client = Client(HTTP_HOST=ALPHA_HOST)
    client.force_login(user)
    return client


@pytest.fixture
def anna(alpha):
    return UserFactory(email="anna@example.com", role=Role.CUSTOMER)


@pytest.fixture
def bert(alpha):
    return UserFactory(email="bert@example.com", role=Role.CUSTOMER)


# --- orders -------------------------------------------------------------------------------------


def test_the_account_lists_its_sections_from_the_orders_module(anna):
    page = text(session_of(anna).get("/account/"))
    assert '<a href="/account/orders/">Orders</a>' in page
    assert '<a href="/account/addresses/">Addresses</a>' in page


def test_a_customer_sees_their_orders_newest_first_with_tracking(anna, bert, shirt, parcel, keeper):
    first = place(shirt, parcel, customer=anna)
    second = place(shirt, parcel, customer=anna, quantity=2)
    place(shirt, parcel, customer=bert)  # not Anna's
    place(shirt, parcel, email="anna@example.com")  # a guest's, with her address
    services.fulfil(order=first, actor=keeper, carrier="DHL", tracking_number="JD0001")
    response = session_of(anna).get(ORDERS)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    page = text(response)
    numbers = [int(n) for n in re.findall(r'href="/account/orders/(\d+)/"', page)]
    assert numbers == [second.number, first.number]
    assert "DHL JD0001" in page and "Fulfilled" in page and "Paid" in page
    assert format_minor(second.total, second.currency, "en") in page


def test_an_order_page_shows_lines_totals_addresses_shipments_payment_and_history(
    anna, shirt, parcel, keeper
):
    order = place(shirt, parcel, customer=anna, quantity=2)
    services.add_note(order=order, actor=keeper, message="Customer is difficult")
    services.fulfil(order=order, actor=keeper, carrier="DHL", tracking_number="JD0002")
    response = session_of(anna).get(f"{ORDERS}{order.number}/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    page = text(response)
    assert f"Order #{order.number}" in page
    assert "Linen shirt" in page and "Unter den Linden 1" in page and "Germany" in page
    assert "JD0002" in page and "DHL" in page
    assert "Subtotal" in page and "Shipping" in page
    assert "Paid" in page
    assert "Shipped" in page  # the history a customer may see
    assert "Customer is difficult" not in page  # not the shop's notes


def test_another_customers_order_and_a_guest_order_are_not_found(anna, bert, shirt, parcel):
    theirs = place(shirt, parcel, customer=bert)
    guest = place(shirt, parcel, email="anna@example.com")
    client = session_of(anna)
    assert client.get(f"{ORDERS}{theirs.number}/").status_code == 404
    assert client.get(f"{ORDERS}{guest.number}/").status_code == 404
    assert client.get(f"{ORDERS}99999999/").status_code == 404


def test_the_orders_list_goes_a_page_at_a_time(anna, shirt, parcel, monkeypatch):
    from apps.orders import account_pages

    monkeypatch.setattr(account_pages, "ORDERS_PER_PAGE", 2)
    placed = [place(shirt, parcel, customer=anna) for _ in range(3)]
    client = session_of(anna)
    first = text(client.get(ORDERS))
    assert re.findall(r'href="/account/orders/(\d+)/"', first) == [
        str(placed[2].number),
        str(placed[1].number),
    ]
    assert 'href="/account/orders/?page=2" rel="next">Older orders' in first
    second = text(client.get(f"{ORDERS}?page=2"))
    assert re.findall(r'href="/account/orders/(\d+)/"', second) == [str(placed[0].number)]
    assert 'rel="prev">Newer orders' in second
    assert client.get(f"{ORDERS}?page=3").status_code == 404


def test_orders_pages_send_strangers_to_sign_in(alpha):
    response = Client(HTTP_HOST=ALPHA_HOST).get(ORDERS)
    assert response.status_code == 302 and response["Location"].startswith("/account/login/?next=")


def test_the_orders_list_costs_the_same_for_few_and_many_orders(
    anna, shirt, parcel, keeper, django_assert_max_num_queries
):
    client = session_of(anna)
    shipped = place(shirt, parcel, customer=anna)
    services.fulfil(order=shipped, actor=keeper, carrier="DHL", tracking_number="T-1")

    def more():
        for i in range(4):
            order = place(shirt, parcel, customer=anna)
            services.fulfil(order=order, actor=keeper, carrier="UPS", tracking_number=f"T-{i + 2}")

    # The session, its user, the count, a page of orders, their shipments; the frame's three and
    # the header's cart count (apps.orders.storefront).
    flat(
        django_assert_max_num_queries,
        10,
        ask=lambda: client.get(ORDERS),
        grow=more,
        size=lambda response: len(re.findall(r'href="/account/orders/\d+/"', text(response))),
    )


# --- the address book ---------------------------------------------------------------------------


def address_form(**fields) -> dict:
    """The address book's form as a customer fills it in (its inputs are `address-<field>`)."""
    return {f"address-{name}": value for name, value in {**GERMAN_ADDRESS, **fields}.items()}


def test_a_customer_adds_an_address_which_becomes_the_default(anna):
    client = session_of(anna)
    form = client.get(f"{ADDRESSES}add/")
    assert form.status_code == 200 and form["Cache-Control"] == "private, no-store"
    assert re.search(r'<label for="address-postal_code">Postal code <span class="required"', text(form))
    assert "For example 26133" in text(form)
    response = client.post(f"{ADDRESSES}add/", address_form())
    assert response.status_code == 302 and response["Location"] == ADDRESSES
    page = text(client.get(ADDRESSES))
    assert "The address is saved." in page and "Unter den Linden 1" in page
    assert "Default shipping address" in page
    assert selectors.default_address(anna)["postal_code"] == "10115"


def test_a_wrong_postal_code_and_a_missing_city_are_named_next_to_their_inputs(anna):
    response = session_of(anna).post(f"{ADDRESSES}add/", address_form(postal_code="1234", city=""))
    assert response.status_code == 400
    page = text(response)
    assert re.search(r'id="address-postal_code-error">Not a postal code of this country \(such as', page)
    assert re.search(r'id="address-city-error">Required in this country.', page)
    assert 'value="Unter den Linden 1"' in page  # what was typed stays
    assert not CustomerAddress.objects.exists()


def test_the_form_asks_what_the_country_needs(anna):
    client = session_of(anna)
    page = text(client.post(f"{ADDRESSES}add/", {**address_form(country="US"), "refresh": "1"}))
    assert '<label for="address-country_area">State <span class="required"' in page
    assert '<option value="NY">New York</option>' in page
    assert '<label for="address-postal_code">ZIP code <span class="required"' in page
    assert 'value="Unter den Linden 1"' in page  # kept
    assert not CustomerAddress.objects.exists()  # nothing saved
    us = {
        "first_name": "Amy",
        "last_name": "Doe",
        "line1": "1600 Amphitheatre Pkwy",
        "city": "Mountain View",
        "postal_code": "94043",
        "country": "US",
    }
    us = {f"address-{name}": value for name, value in us.items()}
    missing = text(client.post(f"{ADDRESSES}add/", us))
    assert re.search(r'id="address-country_area-error">Required in this country.', missing)
    assert client.post(f"{ADDRESSES}add/", {**us, "address-country_area": "CA"}).status_code == 302


def test_a_customer_edits_chooses_the_default_and_deletes_addresses(anna):
    client = session_of(anna)
    home = services.create_address(customer=anna, address=GERMAN_ADDRESS)
    work = services.create_address(customer=anna, address={**GERMAN_ADDRESS, "line1": "Friedrichstr. 5"})
    assert client.get(f"{ADDRESSES}{work.pk}/").status_code == 200
    edited = client.post(f"{ADDRESSES}{work.pk}/", address_form(line1="Friedrichstr. 7"))
    assert edited.status_code == 302
    work.refresh_from_db()
    assert work.address["line1"] == "Friedrichstr. 7" and not work.is_default
    assert client.post(f"{ADDRESSES}{work.pk}/default/").status_code == 302
    assert selectors.default_address(anna)["line1"] == "Friedrichstr. 7"
    assert "This is now your default shipping address." in text(client.get(ADDRESSES))
    assert client.post(f"{ADDRESSES}{work.pk}/delete/").status_code == 302
    assert list(selectors.addresses_of(anna)) == [home]
    home.refresh_from_db()
    assert home.is_default  # the one left became the default
    assert client.get(f"{ADDRESSES}{work.pk}/delete/").status_code == 405


def test_another_customers_address_is_unreachable(anna, bert):
    theirs = services.create_address(customer=bert, address=GERMAN_ADDRESS)
    client = session_of(anna)
    assert client.get(f"{ADDRESSES}{theirs.pk}/").status_code == 404
    assert client.post(f"{ADDRESSES}{theirs.pk}/", address_form(line1="Mine now 1")).status_code == 404
    assert client.post(f"{ADDRESSES}{theirs.pk}/default/").status_code == 404
    assert client.post(f"{ADDRESSES}{theirs.pk}/delete/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.address["line1"] == "Unter den Linden 1"
    assert "Unter den Linden" not in text(client.get(ADDRESSES))


def test_an_address_book_has_a_limit(anna, settings):
    from apps.orders.services.address_book import LIMIT
    from rustok.errors import Conflict

    for _ in range(LIMIT):
        services.create_address(customer=anna, address=GERMAN_ADDRESS)
    with pytest.raises(Conflict):
        services.create_address(customer=anna, address=GERMAN_ADDRESS)
    page = text(session_of(anna).get(ADDRESSES))
    assert "Your address book is full" in page
    assert CustomerAddress.objects.filter(customer=anna, is_default=True).count() == 1


def test_address_forms_refuse_posts_without_the_csrf_token(anna):
    client = Client(HTTP_HOST=ALPHA_HOST, enforce_csrf_checks=True)
    client.force_login(anna)
    assert client.post(f"{ADDRESSES}add/", address_form()).status_code == 403
    assert not CustomerAddress.objects.exists()


def test_the_address_book_answers_in_russian(anna):
    with schema_context("alpha"):
        page = text(session_of(anna).post(f"{ADDRESSES}add/?lang=ru", address_form(postal_code="1234")))
    assert "Почтовый индекс" in page and "Не почтовый индекс этой страны" in page


def test_an_order_page_costs_a_fixed_number_of_queries(
    anna, shirt, mug, parcel, keeper, django_assert_max_num_queries
):
    cart = services.create_cart(customer=anna)
    services.add_line(cart=cart, variant_id=shirt.pk, quantity=2)
    services.add_line(cart=cart, variant_id=mug.pk, quantity=1)
    services.update_checkout(
        cart=cart,
        email=anna.email,
        shipping_address=GERMAN_ADDRESS,
        shipping_method=parcel.pk,
        payment_provider="demo",
    )
    order = services.checkout(cart=cart, details=CARD)
    lines = list(order.lines.all())
    services.fulfil(
        order=order, actor=keeper, lines=[{"line": lines[0].pk, "quantity": 2}], tracking_number="A1"
    )
    services.fulfil(order=order, actor=keeper, tracking_number="A2")
    client = session_of(anna)
    client.get(f"{ORDERS}{order.number}/")
    # The session, its user, the order, its lines, shipments (and their lines) and history; the frame
    # and the header's cart count.
    with django_assert_max_num_queries(13):
        page = text(client.get(f"{ORDERS}{order.number}/"))
    assert "A1" in page and "A2" in page and "Mug" in page


def test_the_address_book_costs_the_same_for_few_and_many_addresses(anna, django_assert_max_num_queries):
    client = session_of(anna)
    services.create_address(customer=anna, address=GERMAN_ADDRESS)
    # With the header's cart count of a signed-in customer (apps.orders.storefront).
    flat(
        django_assert_max_num_queries,
        8,
        ask=lambda: client.get(ADDRESSES),
        grow=lambda: [services.create_address(customer=anna, address=GERMAN_ADDRESS) for _ in range(5)],
        size=lambda response: text(response).count("<address>"),
    )


def test_the_account_and_the_link_show_an_order_alike(anna, shirt, parcel, keeper):
    from apps.orders import links

    order = place(shirt, parcel, customer=anna, quantity=2)
    services.fulfil(order=order, actor=keeper, carrier="DHL", tracking_number="JD0003")
    mine = text(session_of(anna).get(f"{ORDERS}{order.number}/"))
    linked = text(Client(HTTP_HOST=ALPHA_HOST).get(links.guest_url(order)))

    def part(page, start, end):
        return re.sub(r"\s+", " ", page[page.index(start) : page.index(end, page.index(start))])

    # The same lines, totals, addresses and shipments (one set of partials for both pages).
    for start, end in (('<table class="cart-lines', "</table>"), ('<table class="totals"', "</table>")):
        assert re.sub(r"<caption>.*?</caption>", "", part(mine, start, end)) == re.sub(
            r"<caption>.*?</caption>", "", part(linked, start, end)
        )
    assert part(mine, '<div class="order-addresses">', "</div>") == part(
        linked, '<div class="order-addresses">', "</div>"
    )
    assert "JD0003" in linked and "DHL" in linked  # a guest sees the tracking number too
