"""GraphQL of a customer's address book: `myAddresses` and `addressCreate`, `addressUpdate`,
`addressDelete`, `addressSetDefault`, the same book as REST's /api/v1/orders/addresses/.

A signed-in person's own addresses (PERSON: not through an API token, an address book is a
person's). Another's address is NOT_FOUND, as one that does not exist; each address is checked as
a checkout's by the services (apps.orders.services.address_book), every wrong field named
`address.<field>` in the error's extensions.
"""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _

from apps.orders import selectors, services
from apps.orders.models import CustomerAddress
from apps.orders.schema.shop import Address, AddressInput
from rustok.api.filters import MAX_ID
from rustok.errors import NotFound
from rustok.permissions import PERSON, declare


class SavedAddress(graphene.ObjectType):
    """An address of one's address book."""

    id = graphene.ID(required=True)
    address = graphene.Field(Address, required=True)
    is_default = graphene.Boolean(required=True, description="The default shipping address.")
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)


def _saved(entry: CustomerAddress) -> SavedAddress:
    return SavedAddress(
        id=entry.pk,
        address=entry.address,
        is_default=entry.is_default,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
    )


def _own(info, address_id) -> int:
    """The id of the signed-in person's address `address_id`; NotFound for another's or none."""
    text = str(address_id or "").strip()
    found = (
        selectors.addresses_of(info.context.user).filter(pk=int(text)).values_list("pk", flat=True).first()
        if text.isdigit() and 0 < int(text) <= MAX_ID
        else None
    )
    if found is None:
        raise NotFound(_("No such address."), field="id")
    return found


def _typed(given) -> dict:
    """The address as the services take it (fields left out are empty)."""
    return {key: value for key, value in dict(given).items() if value is not None}


class Query(graphene.ObjectType):
    my_addresses = graphene.List(
        graphene.NonNull(SavedAddress),
        required=True,
        description="One's saved addresses, the default shipping address first.",
    )

    @staticmethod
    @declare(PERSON)
    def resolve_my_addresses(root, info):
        return [_saved(entry) for entry in selectors.addresses_of(info.context.user)]


class SavedAddressPayload(graphene.ObjectType):
    address = graphene.Field(SavedAddress, required=True)


class AddressCreate(graphene.Mutation):
    """Save an address (the first one is the default). INVALID naming `address.<field>`;
    CONFLICT when the book is full."""

    access = PERSON

    class Arguments:
        input = AddressInput(required=True)
        default = graphene.Boolean(description="Make it the default shipping address.")

    Output = SavedAddressPayload

    @staticmethod
    def mutate(root, info, input, default=False):
        entry = services.create_address(
            customer=info.context.user, address=_typed(input), default=bool(default)
        )
        return SavedAddressPayload(address=_saved(entry))


class AddressUpdate(graphene.Mutation):
    """Replace one's saved address (and make it the default one if asked)."""

    access = PERSON

    class Arguments:
        id = graphene.ID(required=True)
        input = AddressInput(required=True)
        default = graphene.Boolean(description="Make it the default shipping address.")

    Output = SavedAddressPayload

    @staticmethod
    def mutate(root, info, id, input, default=False):
        entry = services.update_address(
            customer=info.context.user,
            address_id=_own(info, id),
            address=_typed(input),
            default=bool(default),
        )
        return SavedAddressPayload(address=_saved(entry))


class AddressSetDefault(graphene.Mutation):
    """Make one's saved address the default shipping address."""

    access = PERSON

    class Arguments:
        id = graphene.ID(required=True)

    Output = SavedAddressPayload

    @staticmethod
    def mutate(root, info, id):
        entry = services.set_default_address(customer=info.context.user, address_id=_own(info, id))
        return SavedAddressPayload(address=_saved(entry))


class AddressDelete(graphene.Mutation):
    """Delete one's saved address (the oldest left becomes the default)."""

    access = PERSON

    class Arguments:
        id = graphene.ID(required=True)

    id = graphene.ID(required=True, description="The deleted address's id.")

    @staticmethod
    def mutate(root, info, id):
        found = _own(info, id)
        services.delete_address(customer=info.context.user, address_id=found)
        return AddressDelete(id=found)


class Mutation(graphene.ObjectType):
    address_create = AddressCreate.Field()
    address_update = AddressUpdate.Field()
    address_delete = AddressDelete.Field()
    address_set_default = AddressSetDefault.Field()
