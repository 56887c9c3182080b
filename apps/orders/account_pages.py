"""The orders module's pages of a customer's account: their orders and their address book.

Pages of the signed-in customer only (apps.accounts.views.pages.account_page: the sign-in page
for anyone else, `Cache-Control: private, no-store`). An order is the customer's own
(selectors.may_read, as the API reads it) or a 404, as one that does not exist: another
customer's order, a guest's. The address book's changes go through the services, which check
the owner and the address as a checkout does. `account_links` is this module's hook of
rustok.storefront (re-exported by apps/orders/storefront.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.views.pages import account_context, account_page, url
from apps.orders import selectors, services
from apps.orders.address_forms import (
    DEFAULT_COUNTRY,
    address_fields,
    address_from,
    all_countries,
    country_of,
    starting_country,
    unplaced,
)
from apps.orders.models import PAID_STATES, Order, OrderStatus
from apps.orders.services.address_book import LIMIT as ADDRESS_LIMIT
from apps.orders.services.address_book import PREFIX as ADDRESS
from apps.orders.views.order import address_lines, order_display
from rustok.errors import Conflict, InvalidInput, NotFound
from rustok.money import format_minor
from rustok.storefront import MenuItem

ORDERS_PER_PAGE = 20
MAX_NUMBER = 2**63 - 1


def account_links(request) -> list[MenuItem]:
    """The account's sections of the orders module: the orders, the address book."""
    return [
        MenuItem(label=_("Orders"), url=url("account-orders")),
        MenuItem(label=_("Addresses"), url=url("account-addresses")),
    ]


# --- orders --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderRow:
    number: int
    url: str
    placed_at: object
    status: str
    total: str
    tracking: list[str]


def _page_url(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = number
    return f"{request.path}?{query.urlencode()}"


@account_page
def orders(request: HttpRequest) -> HttpResponse:
    """The customer's orders, newest first, a page at a time: number, date, status, total and
    the tracking numbers of their shipments (two queries a page, whatever its length)."""
    paginator = Paginator(selectors.customer_orders(request.user), ORDERS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page of orders.") from None
    rows = [
        OrderRow(
            number=order.number,
            url=url("account-order", order.number),
            placed_at=order.placed_at,
            status=order.get_status_display(),
            total=format_minor(order.total, order.currency),
            tracking=[
                " ".join(part for part in (s.carrier, s.tracking_number) if part)
                for s in order.shipments.all()
                if s.tracking_number
            ],
        )
        for order in page.object_list
    ]
    context = account_context(
        request,
        page_title=_("Orders"),
        page=page,
        rows=rows,
        newer_url=_page_url(request, page.previous_page_number()) if page.has_previous() else None,
        older_url=_page_url(request, page.next_page_number()) if page.has_next() else None,
    )
    return render(request, "storefront/account/orders/list.html", context)


def _own_order(request: HttpRequest, number: int) -> Order:
    """The customer's order `number` with what its page shows; 404 for any other."""
    order = Order.objects.filter(number=number).first() if 0 < number <= MAX_NUMBER else None
    if order is None or order.customer_id != request.user.pk or not selectors.may_read(request.user, order):
        raise Http404("No such order.")
    return selectors.order_detail(order.pk)


def _payment_state(order: Order) -> str:
    if order.status == OrderStatus.REFUNDED:
        return _("Refunded")
    if order.status == OrderStatus.CANCELLED:
        return _("Refunded") if order.refunded_amount else _("Not paid (cancelled)")
    if order.refunded_amount:
        return _("Paid, partly refunded")
    if order.status in PAID_STATES or order.paid_amount >= order.total:
        return _("Paid")
    return _("Waiting for payment")


@account_page
def order(request: HttpRequest, number: int) -> HttpResponse:
    """One of the customer's orders: its lines, totals, addresses, shipments with carrier and
    tracking, payment and what happened to it."""
    found = _own_order(request, number)
    history = [
        {
            "when": entry.created_at,
            "what": entry.get_kind_display(),
            "status": OrderStatus(entry.to_status).label if entry.to_status in OrderStatus.values else "",
        }
        for entry in selectors.customer_history(found)
    ]
    context = account_context(
        request,
        page_title=_("Order #%(number)s") % {"number": found.number},
        order=found,
        status=found.get_status_display(),
        **order_display(found),
        paid=format_minor(found.paid_amount, found.currency),
        refunded=format_minor(found.refunded_amount, found.currency) if found.refunded_amount else "",
        payment_state=_payment_state(found),
        history=history,
        orders_url=url("account-orders"),
    )
    return render(request, "storefront/account/orders/detail.html", context)


# --- the address book ----------------------------------------------------------------------------


@account_page
def addresses(request: HttpRequest) -> HttpResponse:
    """The customer's saved addresses, the default shipping address first."""
    entries = [
        {
            "id": entry.pk,
            "lines": address_lines(entry.address),
            "is_default": entry.is_default,
            "edit_url": url("account-address-edit", entry.pk),
            "delete_url": url("account-address-delete", entry.pk),
            "default_url": url("account-address-default", entry.pk),
        }
        for entry in selectors.addresses_of(request.user)
    ]
    context = account_context(
        request,
        page_title=_("Addresses"),
        entries=entries,
        add_url=url("account-address-add"),
        full=len(entries) >= ADDRESS_LIMIT,
    )
    return render(request, "storefront/account/orders/addresses.html", context)


def _address_form(request: HttpRequest, *, entry=None) -> HttpResponse:
    """Add (no `entry`) or change an address, with the form the checkout uses (its fields are the
    country's). "Show the country's fields" (`refresh`) shows the chosen country's fields with
    what was typed, saving nothing."""
    posted = request.method == "POST"
    if posted:
        values = address_from(request.POST, ADDRESS)
        default = request.POST.get(f"{ADDRESS}-default") == "on"
    elif entry is not None:
        values, default = dict(entry.address), entry.is_default
    else:
        starting = starting_country() or DEFAULT_COUNTRY
        values = {"country": country_of(request.GET.get("country", ""), starting)}
        default = False
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    if posted and "refresh" not in request.POST:
        try:
            if entry is None:
                services.create_address(customer=request.user, address=values, default=default)
            else:
                services.update_address(
                    customer=request.user, address_id=entry.pk, address=values, default=default
                )
        except InvalidInput as error:
            errors = error.errors
        except Conflict as error:
            general.append(error.detail)
        else:
            messages.success(request, _("The address is saved."))
            return HttpResponseRedirect(url("account-addresses"))
    fields = address_fields(values.get("country", ""), values, errors, ADDRESS, all_countries())
    context = account_context(
        request,
        page_title=_("Change the address") if entry is not None else _("Add an address"),
        fields=fields,
        prefix=ADDRESS,
        default=default,
        general=[*general, *unplaced(fields, errors, ADDRESS)],
        addresses_url=url("account-addresses"),
    )
    status = 400 if errors or general else 200
    return render(request, "storefront/account/orders/address_form.html", context, status=status)


@account_page
def address_add(request: HttpRequest) -> HttpResponse:
    return _address_form(request)


def _own_address(request: HttpRequest, address_id: int):
    found = selectors.addresses_of(request.user).filter(pk=address_id).first()
    if found is None:
        raise Http404("No such address.")
    return found


@account_page
def address_edit(request: HttpRequest, address_id: int) -> HttpResponse:
    return _address_form(request, entry=_own_address(request, address_id))


@account_page
@require_POST
def address_delete(request: HttpRequest, address_id: int) -> HttpResponse:
    try:
        services.delete_address(customer=request.user, address_id=address_id)
    except NotFound:
        raise Http404("No such address.") from None
    messages.success(request, _("The address is deleted."))
    return HttpResponseRedirect(url("account-addresses"))


@account_page
@require_POST
def address_default(request: HttpRequest, address_id: int) -> HttpResponse:
    try:
        services.set_default_address(customer=request.user, address_id=address_id)
    except NotFound:
        raise Http404("No such address.") from None
    messages.success(request, _("This is now your default shipping address."))
    return HttpResponseRedirect(url("account-addresses"))
