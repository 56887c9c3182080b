"""A customer's address book: add, change, delete an address, choose the default one.

Each address is checked as a checkout's (apps.orders.addresses.clean: every wrong field named as
`address.<field>`); each change checks that the address is the customer's own (another's is
NotFound, as one that does not exist). A customer keeps at most LIMIT addresses and one default:
the first address is the default, and deleting the default makes the oldest left the default.
Changes of one customer's book are serialised by a lock on the customer's row, so two requests
at once cannot pass the limit or leave two defaults.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from apps.orders import addresses
from apps.orders.models import CustomerAddress
from rustok.errors import Conflict, NotAuthenticated, NotFound

LIMIT = 20
PREFIX = "address"


def _lock_book(customer) -> None:
    if not getattr(customer, "is_authenticated", False):
        raise NotAuthenticated(_("Sign in to keep addresses."))
    get_user_model().objects.select_for_update().filter(pk=customer.pk).values_list("pk").first()


def _own(customer, address_id) -> CustomerAddress:
    """The customer's address `address_id`, locked; NotFound for another's or none."""
    found = (
        CustomerAddress.objects.select_for_update().filter(pk=address_id, customer_id=customer.pk).first()
        if str(address_id).isdigit()
        else None
    )
    if found is None:
        raise NotFound(_("No such address."))
    return found


@transaction.atomic
def create_address(*, customer, address: dict, default: bool = False) -> CustomerAddress:
    """Add an address to `customer`'s book (the default one if asked, or if it is the first)."""
    _lock_book(customer)
    clean = addresses.clean(address, PREFIX)
    count = CustomerAddress.objects.filter(customer_id=customer.pk).count()
    if count >= LIMIT:
        raise Conflict(
            _("An address book holds at most %(limit)s addresses; delete one first.") % {"limit": LIMIT},
            reason="address_book_full",
        )
    default = default or count == 0
    if default:
        CustomerAddress.objects.filter(customer_id=customer.pk, is_default=True).update(is_default=False)
    return CustomerAddress.objects.create(customer=customer, address=clean, is_default=default)


@transaction.atomic
def update_address(*, customer, address_id, address: dict, default: bool = False) -> CustomerAddress:
    """Change one of `customer`'s addresses (and make it the default one if asked)."""
    _lock_book(customer)
    entry = _own(customer, address_id)
    entry.address = addresses.clean(address, PREFIX)
    if default and not entry.is_default:
        CustomerAddress.objects.filter(customer_id=customer.pk, is_default=True).update(is_default=False)
        entry.is_default = True
    entry.save(update_fields=["address", "is_default", "updated_at"])
    return entry


@transaction.atomic
def set_default_address(*, customer, address_id) -> CustomerAddress:
    """Make one of `customer`'s addresses the default shipping address."""
    _lock_book(customer)
    entry = _own(customer, address_id)
    if not entry.is_default:
        CustomerAddress.objects.filter(customer_id=customer.pk, is_default=True).update(is_default=False)
        entry.is_default = True
        entry.save(update_fields=["is_default", "updated_at"])
    return entry


@transaction.atomic
def delete_address(*, customer, address_id) -> None:
    """Delete one of `customer`'s addresses; if it was the default, the oldest left becomes it."""
    _lock_book(customer)
    entry = _own(customer, address_id)
    was_default = entry.is_default
    entry.delete()
    if was_default:
        successor = (
            CustomerAddress.objects.filter(customer_id=customer.pk).order_by("created_at", "id").first()
        )
        if successor is not None:
            successor.is_default = True
            successor.save(update_fields=["is_default", "updated_at"])
