"""Columns other modules add to the catalogue's files: the extension point of import and export.

The catalogue does not know the modules built on it (inventory's stock, say), and may not import
them. Such a module describes its columns with a ColumnProvider and registers it at start-up:

    # apps/inventory/apps.py
    def ready(self):
        from apps.catalog.exchange import providers
        from apps.inventory.exchange import StockColumns

        providers.register(StockColumns())

Export then asks it for each variant's cells; an import hands it the cells of its columns, row by
row, to check with the catalogue's own checks (every error of the file is reported at once,
nothing is written while one remains), and to apply once the catalogue's rows are written, in
the same transaction (so a dry run rolls it back too).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from apps.catalog.models import Variant


@dataclass
class ProvidedRow:
    """One row of the file as a provider sees it: its number (1 is the header), the SKU, the
    cells of the provider's columns that the file has, and the variant once it is written."""

    row: int
    sku: str
    cells: dict[str, str]
    variant: Variant | None = None


class ColumnProvider:
    """Extra columns of the catalogue's files, one per variant row (stock per location).

    Subclasses set `name` and answer the four methods; each runs in the site's schema.
    """

    name = ""

    def columns(self) -> list[str]:
        """The column names this provider reads and writes for the current site, in order
        (`stock:main`, `stock:outlet`): a prefix of its own, so no catalogue column is taken."""
        return []

    def export(self, variants: Sequence[Variant]) -> dict[int, dict[str, str]]:
        """The cells of these variants, by variant id, then by column (missing: empty)."""
        return {}

    def check(self, rows: Sequence[ProvidedRow]) -> Iterable[tuple[int, str, str]]:
        """The errors of these rows as (row, column, reason); nothing is written yet."""
        return ()

    def apply(self, rows: Sequence[ProvidedRow], *, actor) -> int:
        """Write the rows' values through the module's own services (their variants are written
        now, `variant` is set); how many rows changed something."""
        return 0


_registered: list[ColumnProvider] = []


def register(provider: ColumnProvider) -> ColumnProvider:
    """Add a provider (once; a second registration of the same object is ignored)."""
    if not isinstance(provider, ColumnProvider) or not provider.name:
        raise TypeError("Register a ColumnProvider with a name.")
    if provider not in _registered:
        _registered.append(provider)
    return provider


def unregister(provider: ColumnProvider) -> None:
    """Take a provider out again (tests, a module's own clean-up)."""
    if provider in _registered:
        _registered.remove(provider)


def registered() -> list[ColumnProvider]:
    """The providers, in the order they registered."""
    return list(_registered)
