"""What the shop's browser tests do again and again: put a product in the cart from its page, fill
in the checkout, read an amount shown on a page, and ask the database what a shopper's orders and
payments are (in a thread of its own: see the `database` fixture of conftest.py)."""

from __future__ import annotations

import re

DEMO = "demo.localhost"
# A German address, as the checkout's fields for Germany take it.
ADDRESS = {
    "first_name": "Clara",
    "last_name": "Zetkin",
    "line1": "Unter den Linden 1",
    "city": "Berlin",
    "postal_code": "10117",
}
SUCCEEDS = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"
TIMES_OUT = "4000 0000 0000 0119"
PROVIDER_DOWN = "4000 0000 0000 0500"


def amount(text: str) -> int:
    """An amount as a page shows it ("$1,234.50", "-5,13 $", "1 234,50 €") in minor units: the
    shop's currencies have two decimals, which Babel always shows."""
    digits = "".join(ch for ch in text if ch.isdigit())
    assert digits, f"no amount in {text!r}"
    negative = text.strip().startswith(("-", "\u2212"))
    return -int(digits) if negative else int(digits)


def totals(page) -> dict[str, int]:
    """The rows of the page's totals table (subtotal, discount, shipping, tax, total) in minor
    units; taxes added up."""
    found: dict[str, int] = {}
    rows = page.locator("table.totals tr")
    for n in range(rows.count()):
        row = rows.nth(n)
        kind = (row.get_attribute("class") or "").removeprefix("totals-")
        found[kind] = found.get(kind, 0) + amount(row.locator("td").inner_text())
    return found


def add_to_cart(browser, path: str | None, *, quantity: int = 1) -> None:
    """Open a product's page (`path`, with its options' query; None: the page shown) and add
    `quantity` to the cart; then show the cart, in the page's language."""
    page = browser.page
    if path is not None:
        page.goto(browser.url(DEMO, path))
    page.locator("#buy-quantity").fill(str(quantity))
    with page.expect_navigation():  # the script fetches a token first, then sends the form
        page.locator("[data-buy-button]").click()
    page.wait_for_load_state()
    if "/cart/" not in page.url:  # back on the product's page: to the cart by the header's link
        page.locator(".header-links a[href*='/cart/']").click()
        page.wait_for_url(re.compile(r"/cart/"))


def cart_quantity(page, line: int, quantity: int) -> None:
    """Set the quantity of the cart's `line`-th line (from 0) with its Update button."""
    form = page.locator("form.cart-quantity-form").nth(line)
    form.locator("input[name=quantity]").fill(str(quantity))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def apply_voucher(page, code: str) -> None:
    page.locator("#voucher-code").fill(code)
    with page.expect_navigation():
        page.locator("form.voucher-form button[type=submit]").click()


def shipping_price(page, method: str) -> int:
    """The price the checkout shows for shipping `method` (its label: "Express — $12.90")."""
    label = page.locator("#shipping_method li", has_text=method).locator("label").inner_text()
    return amount(label.rsplit("—", 1)[1])


def fill_checkout(page, *, email: str | None, card: str, method: str | None = None) -> None:
    """Fill in the checkout's form for a German address and the demo card provider. `email` None:
    the one the page shows (a signed-in customer's); `method`: a shipping method's name (else
    the one the page chose)."""
    if email is not None:
        page.locator("#email").fill(email)
    country = page.locator("#shipping_address-country")
    if country.input_value() != "DE":  # choosing it makes the page show Germany's fields
        country.select_option("DE")
        page.wait_for_load_state()
        page.locator("#shipping_address-postal_code").wait_for()
    for name, value in ADDRESS.items():
        page.locator(f"#shipping_address-{name}").fill(value)
    if method:
        choose_shipping(page, method)
    page.locator("#payment_provider-demo").check()
    pay_with(page, card)


def choose_shipping(page, method: str) -> None:
    """Choose shipping `method` and have the page priced for it: the page's script does so when
    the method's input asks it to (`data-reprice`), else the form's Update button, as without
    JavaScript. What was typed above is kept."""
    choice = page.locator("#shipping_method li", has_text=method).locator("input")
    if choice.is_checked():
        return
    with page.expect_navigation():
        choice.check()
        if choice.get_attribute("data-reprice") is None:
            page.locator("button[name=action][value=update]").first.click()
    assert page.locator("#shipping_method li", has_text=method).locator("input").is_checked()


def pay_with(page, card: str) -> None:
    """Type the card's details (the page never shows a card number again)."""
    page.locator("#payment-card_number").fill(card)
    page.locator("#payment-card_expiry").fill("12/30")
    page.locator("#payment-card_cvc").fill("123")


def place_order(page) -> None:
    """Send the checkout's form with "Place order" and wait for the answer's page."""
    with page.expect_navigation():
        page.locator("[data-place-order]").click()


def orders_of(email: str) -> list[dict]:
    """The shopper's orders, newest first (run it through the `database` fixture)."""
    from apps.orders.models import Order

    return list(
        Order.objects.filter(email__iexact=email)
        .order_by("-pk")
        .values("number", "status", "currency", "subtotal", "discount", "shipping", "total", "paid_amount")
    )


def payments_of(email: str) -> list[dict]:
    """The payments started for the shopper's e-mail address, oldest first, and what was captured."""
    from apps.payments.models import Payment

    return list(
        Payment.objects.filter(email__iexact=email)
        .order_by("pk")
        .values("status", "amount", "captured_amount", "currency")
    )
