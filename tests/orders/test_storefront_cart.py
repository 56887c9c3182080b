"""The cart on the storefront: a guest adds from a product page, changes and removes lines, applies
a voucher, is told what changed; the cart's count follows in a cookie; no cart page is ever kept
by the page cache, and no shopper reaches another's cart (nor another site's)."""

import re

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.catalog import services as catalog
from apps.inventory import services as inventory
from apps.orders import services
from apps.orders.models import Cart
from tests.catalog.factories import make_product
from tests.conftest import ALPHA_HOST, BETA_HOST, admin_session, deliver
from tests.inventory.factories import stock
from tests.orders.factories import VoucherFactory

HTML = {"HTTP_ACCEPT": "text/html"}


@pytest.fixture
def guest(alpha):
    return Client(HTTP_HOST=ALPHA_HOST, **HTML)


def add(client, variant, quantity=1, **extra):
    return client.post("/cart/add/", {"variant": variant.pk, "quantity": quantity, **extra})


def page(client, path="/cart/"):
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.content.decode()


def text(html: str) -> str:
    """The page's words, without tags and extra spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def cart_of(client) -> Cart:
    return Cart.objects.get(token=client.cookies["rustok_cart"].value)


def test_an_empty_cart_says_so_with_a_link_to_the_shop(guest):
    html = page(guest)
    assert "Your cart is empty." in html
    assert 'href="/shop/"' in html
    assert "rustok_cart" not in guest.cookies


def test_a_guest_adds_a_product_and_goes_back_to_its_page(guest, shirt):
    product_page = f"/shop/products/{shirt.product.slug}/"
    answer = add(guest, shirt, 2, next=product_page)
    assert (answer.status_code, answer["Location"]) == (302, product_page)
    cookie = guest.cookies["rustok_cart"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    counted = guest.cookies["rustok_cart_count"]
    assert (counted.value, counted["httponly"]) == ("1", "")
    cart = cart_of(guest)
    assert [(line.variant_id, line.quantity) for line in cart.lines.all()] == [(shirt.pk, 2)]
    # The message waits for the next page (a flash message).
    assert "Added to your cart." in page(guest)


def test_next_to_another_site_goes_to_the_cart_instead(guest, shirt):
    answer = add(guest, shirt, next="https://evil.example/")
    assert answer["Location"] == "/cart/"


def test_the_cart_lists_its_lines_with_totals_in_the_readers_language(guest, shirt, keeper):
    deliver("alpha")
    add(guest, shirt, 2)
    html = page(guest)
    words = text(html)
    assert "Linen shirt" in words and "size: M" in words
    assert f'href="/shop/products/{shirt.product.slug}/"' in html
    assert "$12.50" in words and "$25.00" in words
    assert "Subtotal $25.00" in words and "Total $25.00" in words
    russian = text(page(guest, "/cart/?lang=ru"))
    assert "Ваша корзина" in russian
    assert "25,00 $" in russian


def test_changing_a_quantity_and_removing_a_line(guest, shirt, mug):
    add(guest, shirt)
    add(guest, mug)
    cart = cart_of(guest)
    shirt_line, mug_line = cart.lines.order_by("id")
    answer = guest.post(f"/cart/lines/{shirt_line.pk}/", {"quantity": "3"})
    assert (answer.status_code, answer["Location"]) == (302, "/cart/")
    assert cart.lines.get(pk=shirt_line.pk).quantity == 3
    assert guest.cookies["rustok_cart_count"].value == "2"

    answer = guest.post(f"/cart/lines/{mug_line.pk}/remove/")
    assert answer.status_code == 302
    assert list(cart.lines.values_list("variant_id", flat=True)) == [shirt.pk]
    assert guest.cookies["rustok_cart_count"].value == "1"
    assert "The item was removed from your cart." in page(guest)

    guest.post(f"/cart/lines/{shirt_line.pk}/", {"quantity": "0"})
    assert not cart.lines.exists()
    assert guest.cookies["rustok_cart_count"].value == "0"


def test_more_than_is_in_stock_is_refused_next_to_the_line(guest, mug):
    add(guest, mug)
    line = cart_of(guest).lines.get()
    answer = guest.post(f"/cart/lines/{line.pk}/", {"quantity": "5"})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert f'id="quantity-{line.pk}-error"' in html
    assert "only 3 of this item are in stock" in html
    assert 'aria-invalid="true"' in html
    assert line.__class__.objects.get(pk=line.pk).quantity == 1


def test_adding_more_than_is_in_stock_is_told_as_a_message(guest, mug):
    answer = add(guest, mug, 4, next="/cart/")
    assert answer.status_code == 302
    assert "only 3 of this item are in stock" in page(guest)
    assert not cart_of(guest).lines.exists()


def test_an_unknown_variant_is_told_as_a_message(guest, alpha):
    guest.post("/cart/add/", {"variant": "999999", "quantity": "1"})
    assert "No such product variant." in page(guest)
    guest.post("/cart/add/", {"variant": "nonsense"})
    assert "Give a whole number." in page(guest)


def test_a_voucher_applies_and_a_refused_one_says_why_next_to_the_field(guest, shirt):
    VoucherFactory(code="WELCOME10", percent=10)
    VoucherFactory(code="BIGSPEND", percent=10, min_subtotal=100000, currency="USD")
    add(guest, shirt, 2)

    refused = guest.post("/cart/voucher/", {"code": "bigspend"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'id="voucher-error"' in html and 'aria-describedby="voucher-error"' in html
    assert "This voucher needs a subtotal of at least $1,000.00." in html
    assert 'value="bigspend"' in html  # what was typed is kept

    unknown = guest.post("/cart/voucher/", {"code": "NOPE"})
    assert "No such voucher." in unknown.content.decode()

    applied = guest.post("/cart/voucher/", {"code": "welcome10"})
    assert applied.status_code == 302
    words = text(page(guest))
    assert "Voucher WELCOME10 applied." in words
    assert "Discount (WELCOME10) -$2.50" in words and "Total $22.50" in words

    guest.post("/cart/voucher/remove/")
    words = text(page(guest))
    assert "Discount" not in words and "Total $25.00" in words


def test_notices_tell_what_changed_since_a_line_was_added(guest, shirt, mug, keeper, warehouse):
    add(guest, shirt)
    add(guest, mug, 2)
    price = shirt.prices.get()
    catalog.update_variant(actor=keeper, variant=shirt, prices=[{"currency": price.currency, "amount": 1400}])
    inventory.adjust(actor=keeper, variant=mug, location=warehouse, delta=-2, reason="damaged")
    words = text(page(guest))
    assert "The price changed from $12.50 to $14.00 since you added it." in words
    assert "Only 1 in stock: lower the quantity to check out." in words
    assert "Check out" not in words.replace("to check out", "")

    inventory.adjust(actor=keeper, variant=mug, location=warehouse, delta=-1, reason="damaged")
    assert "Out of stock: remove it to check out." in text(page(guest))

    catalog.transition_product(actor=keeper, product=shirt.product, name="deactivate")
    assert "This product is no longer for sale: remove it to check out." in text(page(guest))


def test_the_cart_page_is_never_cached(guest, shirt):
    add(guest, shirt)
    answer = guest.get("/cart/")
    control = answer["Cache-Control"]
    assert "private" in control and "no-store" in control


def test_two_guests_see_their_own_carts_with_the_page_cache_on(page_cache_on, alpha, shirt, mug):
    anna, boris = Client(HTTP_HOST=ALPHA_HOST, **HTML), Client(HTTP_HOST=ALPHA_HOST, **HTML)
    add(anna, shirt)
    add(boris, mug)
    for _ in range(2):  # a second look would be a hit if the first had been kept
        seen_by_anna, seen_by_boris = anna.get("/cart/"), boris.get("/cart/")
        assert seen_by_anna["X-Cache"] != "hit" and seen_by_boris["X-Cache"] != "hit"
        assert "Linen shirt" in seen_by_anna.content.decode()
        assert "Linen shirt" not in seen_by_boris.content.decode()
    # A third shopper, without a cart, is not shown either one's.
    assert "Your cart is empty." in page(Client(HTTP_HOST=ALPHA_HOST, **HTML))


def test_adding_keeps_djangos_csrf_check(alpha, shirt):
    browser = Client(HTTP_HOST=ALPHA_HOST, enforce_csrf_checks=True, **HTML)
    assert browser.post("/cart/add/", {"variant": shirt.pk}).status_code == 403
    assert not Cart.objects.exists()


def test_another_sites_cart_is_never_reached(guest, shirt):
    with schema_context("beta"):
        theirs = services.create_cart()
    guest.cookies["rustok_cart"] = str(theirs.token)
    assert "Your cart is empty." in page(guest)
    add(guest, shirt)
    mine = cart_of(guest)
    assert mine.token != theirs.token
    with schema_context("beta"):
        assert not Cart.objects.get(pk=theirs.pk).lines.exists()
    beta = Client(HTTP_HOST=BETA_HOST, **HTML)
    beta.cookies["rustok_cart"] = str(mine.token)
    assert "Linen shirt" not in page(beta)


def test_a_customers_cart_is_theirs_alone(tenant_a, alpha, shirt):
    from tests.accounts.factories import UserFactory

    customer = UserFactory(email="carla@example.com")
    carla = admin_session(customer)  # signed in with a session, as the account pages sign in
    answer = carla.post("/cart/add/", {"variant": shirt.pk, "quantity": 1}, **HTML)
    assert answer.status_code == 302
    cart = Cart.objects.get(customer=customer)
    assert "rustok_cart" not in carla.cookies  # their own cart needs no cookie
    html = carla.get("/cart/", **HTML).content.decode()
    assert "Linen shirt" in html
    assert re.search(r'<span class="count-badge">1</span>', html)  # the count itself, no cookie
    # Someone holding the token of the customer's cart as a guest sees nothing of it.
    stranger = Client(HTTP_HOST=ALPHA_HOST, **HTML)
    stranger.cookies["rustok_cart"] = str(cart.token)
    assert "Your cart is empty." in page(stranger)


def test_shared_pages_name_the_count_cookie(guest, alpha):
    html = page(guest)  # the cart page knows the count: shown as it is
    assert '<span class="count-badge" hidden>' in html or 'class="count-badge"' in html
    home = guest.get("/")
    assert 'data-count-cookie="rustok_cart_count"' in home.content.decode()


def test_the_cart_page_costs_the_same_queries_for_1_and_6_lines(
    guest, shirt, keeper, warehouse, django_assert_max_num_queries
):
    from tests.queries import flat

    add(guest, shirt)

    def more():
        for number in range(5):
            variant = make_product(actor=keeper, name=f"Socks {number}", status="active").variants.get()
            stock(variant, warehouse, 5, actor=keeper)
            add(guest, variant)
        deliver("alpha")

    # The cart, its priced lines (apps.orders.carts), the products' documents, the frame's settings.
    flat(
        django_assert_max_num_queries,
        13,
        ask=lambda: guest.get("/cart/"),
        grow=more,
        size=lambda answer: answer.content.decode().count('class="cart-line'),
    )


def test_a_lines_picture_is_the_smallest_rendition_wide_enough():
    from apps.orders.views.cart import thumbnail

    picture = {
        "url": "/media/tea.jpg",
        "width": 1600,
        "height": 1200,
        "alt": "A cup",
        "renditions": [
            {"url": "/media/tea-80.webp", "width": 80, "height": 60},
            {"url": "/media/tea-160.webp", "width": 160, "height": 120},
            {"url": "/media/tea-320.webp", "width": 320, "height": 240},
        ],
    }
    assert thumbnail(picture) == {"url": "/media/tea-160.webp", "width": 96, "height": 72, "alt": "A cup"}
    small = thumbnail({"url": "/media/x.png", "width": 48, "height": 48})
    assert (small["url"], small["width"]) == ("/media/x.png", 48)  # never drawn larger
    assert thumbnail(None) is None


def test_add_to_cart_on_the_product_page_comes_back_to_it_with_the_message(guest, shirt):
    deliver("alpha")  # the product's page is read from its document
    product_page = f"/shop/products/{shirt.product.slug}/"
    html = page(guest, product_page)
    buy = re.search(r'<form class="buy"[^>]*action="([^"]+)".*?</form>', html, re.S)
    assert buy, "the product page has an Add to cart form"
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', buy.group(0)))
    assert fields["next"] == product_page
    fields.pop("csrfmiddlewaretoken", None)  # the test client is not asked for it
    answer = guest.post(buy.group(1), {**fields, "variant": shirt.pk, "quantity": 1})
    assert (answer.status_code, answer["Location"]) == (302, product_page)
    assert "Added to your cart." in page(guest, product_page)
