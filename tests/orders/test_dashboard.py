"""The orders' panels on the admin's dashboard: sales of the last 14 days from the daily sales read
model, and the orders waiting for payment or shipping, linked to the filtered list."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import RequestFactory
from django.utils import timezone

from apps.orders import dashboard, services
from apps.orders.models import DailySales
from tests.accounts.factories import EditorFactory
from tests.conftest import admin_session, deliver

CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}


def text(response) -> str:
    return html.unescape(response.content.decode())


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.fixture
def sold(ready_cart, keeper):
    """An order paid by card with $4.90 of it refunded, its events delivered."""
    order = services.checkout(cart=ready_cart, details=CARD)
    services.refund(order=order, actor=keeper, amount=490)
    deliver("alpha")
    return order


def test_the_sales_panel_shows_the_days_orders_and_revenue(sold, keeper):
    DailySales.objects.create(
        day=timezone.localdate() - dt.timedelta(days=3), currency="USD", orders=2, revenue=5000
    )
    DailySales.objects.create(  # too old to show
        day=timezone.localdate() - dt.timedelta(days=20), currency="USD", orders=9, revenue=9000
    )
    page = text(admin_session(keeper).get("/admin/"))
    assert 'id="panel-sales"' in page
    assert "1 order · $29.90 taken · $4.90 refunded" in page
    assert "2 orders · $50.00 taken" in page
    assert "3 orders · $79.90 taken · $4.90 refunded" in page  # the fortnight, first
    assert "$90.00" not in page
    link = f"/admin/orders/order/?placed_at__date={timezone.localdate()}"
    assert link in page
    assert list(admin_session(keeper).get(link).context["cl"].result_list) == [sold]


def test_the_waiting_panel_counts_orders_to_pay_and_to_ship_and_links_to_them(sold, keeper):
    panels = {p.key: p for p in dashboard.panels(_request(keeper))}
    waiting = panels["orders-waiting"]
    assert [item.label for item in waiting.items] == ["Waiting for payment: 0", "To be shipped: 1"]
    assert waiting.items[1].url == "/admin/orders/order/?waiting=shipping"
    listing = admin_session(keeper).get(waiting.items[1].url)
    assert list(listing.context["cl"].result_list) == [sold]


def test_the_panels_cost_two_queries(sold, keeper, django_assert_num_queries):
    request = _request(keeper)
    dashboard.panels(request)  # the connection's search path set once
    with django_assert_num_queries(2):
        found = dashboard.panels(request)
    assert [p.key for p in found] == ["sales", "orders-waiting"]


def test_editors_see_no_sales(alpha):
    editor = EditorFactory()
    assert dashboard.panels(_request(editor)) == []
    assert 'id="panel-sales"' not in text(admin_session(editor).get("/admin/"))
