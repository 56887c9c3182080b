"""After the commit: the provider's notification settles a pending order, the shopper gets their
mails in the language they ordered in, and the dashboard counts the day's sales."""

from django.core import mail
from django.utils import timezone
from django.utils.translation import override

from apps.orders import links, services
from apps.orders.models import Cart, DailySales, OrderStatus
from apps.payments import providers
from apps.payments import services as payments
from apps.payments.models import Payment
from tests.conftest import deliver

CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}
PENDING = {**CARD, "number": "4000000000003220"}


def test_a_pending_card_confirmed_by_the_provider_pays_the_order(ready_cart):
    order = services.checkout(cart=ready_cart, details=PENDING)
    assert order.status == OrderStatus.PLACED
    payment = Payment.objects.get(reference=ready_cart.owner)
    body, headers = providers.get("demo").settle(payment.provider_reference)
    payments.handle_notification(provider="demo", body=body, headers=headers)
    deliver("alpha")
    order.refresh_from_db()
    assert (order.status, order.paid_amount) == (OrderStatus.PAID, 2990)


def test_the_shopper_gets_a_confirmation_with_a_working_guest_link(ready_cart):
    mail.outbox.clear()
    order = services.checkout(cart=ready_cart, details=CARD, site_url="https://shop.example/")
    deliver("alpha")
    subjects = [m.subject for m in mail.outbox]
    assert any(f"#{order.number}" in s for s in subjects)
    confirmation = next(m for m in mail.outbox if "Your order" in m.subject)
    assert confirmation.to == ["anna@example.com"]
    assert "29.90" in confirmation.body
    key = confirmation.body.split("key=")[1].split()[0]
    assert links.order_of_key(key) == order
    assert links.order_of_key(key[:-2] + "xx") is None


def test_mails_are_in_the_language_the_shopper_ordered_in(ready_cart):
    Cart.objects.filter(pk=ready_cart.pk).update(language="ru")
    mail.outbox.clear()
    with override("ru"):
        services.checkout(cart=Cart.objects.get(pk=ready_cart.pk), details=CARD)
    deliver("alpha")
    assert any("Ваш заказ" in m.subject or "заказ" in m.subject.lower() for m in mail.outbox), [
        m.subject for m in mail.outbox
    ]


def test_shipping_mails_the_tracking_number(ready_cart, keeper):
    order = services.checkout(cart=ready_cart, details=CARD)
    deliver("alpha")
    mail.outbox.clear()
    services.fulfil(order=order, actor=keeper, carrier="DHL", tracking_number="JJD000390007")
    deliver("alpha")
    assert any("JJD000390007" in m.body for m in mail.outbox)


def test_the_dashboard_counts_orders_and_revenue_per_day(ready_cart, keeper):
    order = services.checkout(cart=ready_cart, details=CARD)
    services.refund(order=order, actor=keeper, amount=490)
    deliver("alpha")
    day = DailySales.objects.get(day=timezone.localdate(), currency="USD")
    assert (day.orders, day.revenue, day.refunded) == (1, 2990, 490)
