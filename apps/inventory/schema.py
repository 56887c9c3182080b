"""GraphQL of the inventory: stock locations, stock levels and the movement history (managers and
admins: `inventory.view_stock`), and the writes that change them, one mutation per service
(`inventory.manage_stock`). Reservations are the checkout's, not an interface's: none here.

Shoppers see stock only as the catalogue shows it (`Product.inStock`, `Variant.inStock`); a
variant's stock per location is `Variant.stock` (apps.catalog.schema.types), for managers.
Relations (a level's or movement's variant and location) are read by the request's loaders: one
query for each, whatever the page size. The root fields are nullable: while inventory is off
they answer null with MODULE_DISABLED.
"""

from __future__ import annotations

import graphene

from apps.catalog.models import Variant as VariantRow
from apps.catalog.schema.queries import id_argument, page, pk_of
from apps.catalog.schema.types import Variant, variant_by_id
from apps.inventory import selectors, services
from apps.inventory.models import Reason, StockLocation
from apps.inventory.services.stock import ADJUST_REASONS
from apps.inventory.translation import LOCATION_FIELDS
from rustok.dataloaders import Loader
from rustok.errors import NotFound
from rustok.permissions import declare
from rustok.texts import texts_from

VIEW = "inventory.view_stock"
MANAGE = "inventory.manage_stock"

StockReason = graphene.Enum(
    "StockReason", [(r.name, r.value) for r in Reason], description="Why stock changed."
)
AdjustReason = graphene.Enum(
    "StockAdjustReason",
    [(str(r).upper(), str(r)) for r in ADJUST_REASONS],
    description="received and returned add, damaged removes, correction either.",
)

location_by_id = Loader("inventory.location", lambda request, ids: StockLocation.objects.in_bulk(list(ids)))
threshold_of = Loader("inventory.threshold", lambda request, ids: selectors.thresholds_of_variants(ids))


class StockLocationType(graphene.ObjectType):
    """A place stock is kept; reservations take from the active ones, lowest priority first."""

    class Meta:
        name = "StockLocation"

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    address_line1 = graphene.String(required=True)
    address_line2 = graphene.String(required=True)
    city = graphene.String(required=True)
    postal_code = graphene.String(required=True)
    country = graphene.String(required=True)
    priority = graphene.Int(required=True)
    is_active = graphene.Boolean(required=True)


class StockLevelType(graphene.ObjectType):
    """How many of a variant a location holds, and how many of those are reserved."""

    class Meta:
        name = "StockLevel"

    variant = graphene.Field(Variant, description="Null once the variant is deleted.")
    location = graphene.Field(StockLocationType, required=True)
    on_hand = graphene.Int(required=True)
    reserved = graphene.Int(required=True)
    available = graphene.Int(required=True)
    threshold = graphene.Int(description="The variant's low-stock threshold.")
    low = graphene.Boolean(required=True, description="At or below the threshold at the last change.")

    @staticmethod
    def resolve_variant(level, info):
        return variant_by_id.load(info, level.variant_id)

    @staticmethod
    def resolve_location(level, info):
        return location_by_id.load(info, level.location_id)

    @staticmethod
    def resolve_threshold(level, info):
        return threshold_of.load(info, level.variant_id).then(
            lambda alert: alert.threshold if alert else None
        )

    @staticmethod
    def resolve_low(level, info):
        return threshold_of.load(info, level.variant_id).then(lambda alert: bool(alert and alert.is_low))


class StockMovementType(graphene.ObjectType):
    """One change of a variant's stock at a location, with the state it left."""

    class Meta:
        name = "StockMovement"

    id = graphene.ID(required=True)
    variant = graphene.Field(Variant, description="Null once the variant is deleted (`sku` stays).")
    sku = graphene.String(required=True)
    location = graphene.Field(StockLocationType, required=True)
    reason = graphene.Field(StockReason, required=True)
    delta_on_hand = graphene.Int(required=True)
    delta_reserved = graphene.Int(required=True)
    on_hand_after = graphene.Int(required=True)
    reserved_after = graphene.Int(required=True)
    actor_id = graphene.ID(description="Who made it (none for reservations).")
    note = graphene.String(required=True)
    owner = graphene.String(required=True, description="The reservation's owner (a checkout).")
    created_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_variant(movement, info):
        return variant_by_id.load(info, movement.variant_id) if movement.variant_id else None

    @staticmethod
    def resolve_location(movement, info):
        return location_by_id.load(info, movement.location_id)


class StockMovementConnection(graphene.relay.Connection):
    """A page of movements, newest first."""

    class Meta:
        node = StockMovementType

    total_count = graphene.Int(required=True)


def _variant(value, field: str) -> VariantRow:
    pk = pk_of(value)
    found = VariantRow.objects.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise NotFound("No such variant.", field=field)
    return found


def _location(value, field: str) -> StockLocation:
    pk = pk_of(value)
    found = StockLocation.objects.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise NotFound("No such stock location.", field=field)
    return found


class Query(graphene.ObjectType):
    """Reading stock (managers and admins)."""

    stock_locations = graphene.List(graphene.NonNull(StockLocationType), description="In priority order.")
    stock_levels = graphene.List(
        graphene.NonNull(StockLevelType),
        variant=graphene.ID(),
        location=graphene.ID(),
        low=graphene.Boolean(description="Only variants at or below their threshold (false: the others)."),
    )
    stock_movements = graphene.Field(
        StockMovementConnection,
        first=graphene.Int(),
        after=graphene.String(),
        variant=graphene.ID(),
        location=graphene.ID(),
        reason=StockReason(),
    )

    @staticmethod
    @declare(VIEW)
    def resolve_stock_locations(root, info):
        return selectors.locations()

    @staticmethod
    @declare(VIEW)
    def resolve_stock_levels(root, info, variant=None, location=None, low=None):
        return selectors.levels(
            variant_id=id_argument(variant, "variant"), location_id=id_argument(location, "location"), low=low
        )

    @staticmethod
    @declare(VIEW)
    def resolve_stock_movements(root, info, first=None, after=None, variant=None, location=None, reason=None):
        found = selectors.movements(
            variant_id=id_argument(variant, "variant"),
            location_id=id_argument(location, "location"),
            reason=getattr(reason, "value", reason),
        )
        return page(found, StockMovementConnection, first=first, after=after)


# --- writing -------------------------------------------------------------------------------------


class StockLocationTranslationInput(graphene.InputObjectType):
    language = graphene.String(required=True)
    name = graphene.String()


class StockLocationInput(graphene.InputObjectType):
    """A location; on update, fields left out stay as they are."""

    translations = graphene.List(graphene.NonNull(StockLocationTranslationInput))
    address_line1 = graphene.String()
    address_line2 = graphene.String()
    city = graphene.String()
    postal_code = graphene.String()
    country = graphene.String(description="ISO 3166 alpha-2 (DE).")
    priority = graphene.Int()
    is_active = graphene.Boolean()


FIELDS = ("address_line1", "address_line2", "city", "postal_code", "country", "priority", "is_active")


def _location_changes(data) -> dict:
    """The keyword arguments of create_location / update_location for what the input gives."""
    texts = texts_from(
        LOCATION_FIELDS,
        ((item["language"], item) for item in data.get("translations") or ()),
        once="translations",
    )
    return {"texts": texts, **{name: data[name] for name in FIELDS if name in data}}


class StockLocationPayload(graphene.ObjectType):
    location = graphene.Field(StockLocationType, required=True)


class StockLocationCreate(graphene.Mutation):
    """Add a stock location (a name in at least one language)."""

    access = MANAGE

    class Arguments:
        input = StockLocationInput(required=True)

    Output = StockLocationPayload

    @staticmethod
    def mutate(root, info, input):
        location = services.create_location(actor=info.context.user, **_location_changes(input))
        return StockLocationPayload(location=location)


class StockLocationUpdate(graphene.Mutation):
    """Change a location; deactivating it keeps its stock, which is no longer sold."""

    access = MANAGE

    class Arguments:
        id = graphene.ID(required=True)
        input = StockLocationInput(required=True)

    Output = StockLocationPayload

    @staticmethod
    def mutate(root, info, id, input):
        location = _location(id, "id")
        location = services.update_location(
            actor=info.context.user, location=location, **_location_changes(input)
        )
        return StockLocationPayload(location=location)


class StockLevelPayload(graphene.ObjectType):
    level = graphene.Field(StockLevelType, required=True)


class StockAdjust(graphene.Mutation):
    """Add or remove units of a variant at a location; CONFLICT `insufficient_stock` when on hand
    would fall below zero or below what is reserved there."""

    access = MANAGE

    class Arguments:
        variant_id = graphene.ID(required=True)
        location_id = graphene.ID(required=True)
        delta = graphene.Int(required=True)
        reason = AdjustReason(required=True)
        note = graphene.String()

    Output = StockLevelPayload

    @staticmethod
    def mutate(root, info, variant_id, location_id, delta, reason, note=""):
        level = services.adjust(
            actor=info.context.user,
            variant=_variant(variant_id, "variantId"),
            location=_location(location_id, "locationId"),
            delta=delta,
            reason=getattr(reason, "value", reason),
            note=note or "",
        )
        return StockLevelPayload(level=level)


class StockCount(graphene.Mutation):
    """Record a stock count: `onHand` units are at the location now."""

    access = MANAGE

    class Arguments:
        variant_id = graphene.ID(required=True)
        location_id = graphene.ID(required=True)
        on_hand = graphene.Int(required=True)
        note = graphene.String()

    Output = StockLevelPayload

    @staticmethod
    def mutate(root, info, variant_id, location_id, on_hand, note=""):
        level = services.count(
            actor=info.context.user,
            variant=_variant(variant_id, "variantId"),
            location=_location(location_id, "locationId"),
            on_hand=on_hand,
            note=note or "",
        )
        return StockLevelPayload(level=level)


class StockThreshold(graphene.ObjectType):
    variant_id = graphene.ID(required=True)
    threshold = graphene.Int(description="Null: no alert.")
    low = graphene.Boolean(required=True)


class StockThresholdSet(graphene.Mutation):
    """Alert (`inventory.stock.low`) when the variant's available stock falls to `threshold`;
    null removes the alert."""

    access = MANAGE

    class Arguments:
        variant_id = graphene.ID(required=True)
        threshold = graphene.Int()

    Output = StockThreshold

    @staticmethod
    def mutate(root, info, variant_id, threshold=None):
        variant = _variant(variant_id, "variantId")
        alert = services.set_threshold(actor=info.context.user, variant=variant, threshold=threshold)
        return StockThreshold(
            variant_id=variant.pk,
            threshold=alert.threshold if alert else None,
            low=bool(alert and alert.is_low),
        )


class Mutation(graphene.ObjectType):
    """Writing stock, one mutation per service."""

    stock_location_create = StockLocationCreate.Field()
    stock_location_update = StockLocationUpdate.Field()
    stock_adjust = StockAdjust.Field()
    stock_count = StockCount.Field()
    stock_threshold_set = StockThresholdSet.Field()
