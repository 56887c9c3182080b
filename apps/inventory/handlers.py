"""What inventory does on events: a variant going in or out of stock, or crossing its low-stock
threshold either way, brings its product's documents up to date (the catalogue's projection reads
availability and thresholds through apps.catalog.stock)."""

from __future__ import annotations

from apps.index import projections
from rustok.events import Envelope, subscribe


def _crossed(envelope: Envelope) -> bool:
    return envelope.event.in_stock != envelope.event.was_in_stock


@subscribe("inventory.stock.changed", when=_crossed)
def refresh_product_documents(envelope: Envelope) -> None:
    """Readers see `in stock` / `out of stock` follow the stock, within a relay of the change."""
    projections.apply(projections.get("catalog.products"), [envelope.event.product_id])


@subscribe("inventory.stock.low")
@subscribe("inventory.stock.recovered")
def refresh_product_documents_on_low_stock(envelope: Envelope) -> None:
    """Readers see "only a few left" come and go with the variant's low-stock threshold."""
    projections.apply(projections.get("catalog.products"), [envelope.event.product_id])
