"""A manager's day with orders in the admin, in a real browser: the Shop section's order list
with its totals, a paid order's page with only the buttons its status allows, and the order
shipped in parcel with a tracking number, through the Fulfil form.

The demo's own orders are used (apps/orders/demo.py: placed, paid, fulfilled, completed,
cancelled); every request stays on the demo's host; screenshots go to test-artifacts/e2e/.
"""

import re

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

DEMO = "demo.localhost"


@pytest.fixture(scope="module")
def paid(demo_site, django_db_blocker):
    """The number of the demo's order that is paid and waits to be shipped."""
    from apps.orders.models import Order

    with django_db_blocker.unblock(), schema_context("demo"):
        number = (
            Order.objects.filter(status="paid").order_by("number").values_list("number", flat=True).first()
        )
        connection.set_schema_to_public()
    assert number is not None
    return number


def test_a_manager_ships_a_paid_order_from_its_page(paid, browser):
    page = browser.page
    page.goto(browser.url(DEMO, "/admin/login/"))
    page.locator("input[name=username]").fill(f"manager@{DEMO}")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form [type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
    sidebar = page.locator("#nav-sidebar-apps")
    sidebar.get_by_role("link", name="Orders", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/orders/order/$"))
    assert page.locator("#result_list tbody tr").count() >= 5
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    browser.screenshot("orders-list")

    page.get_by_role("link", name=f"#{paid}", exact=True).first.click()
    page.wait_for_url(re.compile(r"/admin/orders/order/\d+/change/$"))
    buttons = page.locator("#order-operations").get_by_role("button").all_inner_texts()
    links = page.locator("#order-operations a").all_inner_texts()
    assert "Fulfil" in " ".join(links)
    assert not any("Mark paid" in text for text in buttons + links)  # paid already
    browser.screenshot("order-paid")

    page.locator("#order-fulfil").click()
    page.wait_for_url(re.compile(r"/fulfil/$"))
    page.locator("input[name=carrier]").fill("DHL")
    page.locator("input[name=tracking_number]").fill("JJD000390007")
    browser.screenshot("order-fulfil-form")
    page.locator("#operation-send").click()
    page.wait_for_url(re.compile(r"/admin/orders/order/\d+/change/$"))
    body = page.locator("body").inner_text()
    assert "JJD000390007" in body
    assert re.search(r"Fulfilled", body)
    browser.screenshot("order-fulfilled")
