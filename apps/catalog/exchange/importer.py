"""Import of the catalogue's files: every row checked first, then everything written in one
transaction, or nothing.

    report = import_file(open("catalogue.csv", "rb"), actor=manager, name="catalogue.csv")
    report.errors      # [RowError(row=3, column="price:EUR", reason="EUR has at most 2 decimals.")]

Rows are numbered as in the file: 1 is the header, data starts at 2. Products are matched by
`product` (their slug in the site's language), variants by `sku`; what matches is updated where
it differs, what does not is created, nothing the file leaves out is deleted, and a column the
file does not have is left as it is. The rows of a product are grouped by `product`; its columns
are read from its first row that has them, and a later row that says otherwise is an error.
The checks and writes are the catalogue's services' (apps.catalog.services.batch).
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction

from apps.catalog.exchange.columns import TEXT_TYPES, Column, Layout, layout
from apps.catalog.exchange.files import FileFormatError, read_rows
from apps.catalog.exchange.providers import ColumnProvider, ProvidedRow
from apps.catalog.models import InputType, Level
from apps.catalog.services.batch import ProductInput, VariantInput, check_batch, write_batch
from apps.catalog.translation import PRODUCT_FIELDS
from rustok import money
from rustok.errors import InvalidInput
from rustok.permissions import require
from rustok.tree import UNSET

PERM = "catalog.manage_catalog"
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, order=True)
class RowError:
    """A refused cell: the row as numbered in the file (1: the header), its column, why."""

    row: int
    column: str
    reason: str


@dataclass
class RowChange:
    """What a row changes: `action` created, updated or unchanged, and the columns that differ."""

    row: int
    product: str
    sku: str
    action: str
    columns: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """The outcome of an import: its errors (then nothing was written), or what it changed
    (`dry_run`: what it would change; nothing was written)."""

    dry_run: bool = False
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    products: Counter = field(default_factory=Counter)
    variants: Counter = field(default_factory=Counter)
    provided: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


def import_file(
    file, *, actor, name: str = "import.csv", dry_run: bool = False, progress=None
) -> ImportReport:
    """Import a CSV (or, by its `name`, XLSX) file, binary or text; see import_rows."""
    require(actor, PERM)
    try:
        rows = list(read_rows(file, name))
    except FileFormatError as exc:
        return ImportReport(dry_run=dry_run, errors=[RowError(1, "", str(exc))])
    return import_rows(rows, actor=actor, dry_run=dry_run, progress=progress)


def import_rows(
    rows: list[list[str]], *, actor, dry_run: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Check every row (the header first), then write them all in one transaction, as `actor`.
    With errors, or with `dry_run`, nothing stays written. `progress(stage, done, total)` is
    called with stage "parse" (rows), "check" (products) and "write" (steps)."""
    require(actor, PERM)
    report = ImportReport(dry_run=dry_run)
    if not rows:
        report.errors.append(RowError(1, "", "The file is empty."))
        return report
    step = progress or (lambda _stage, _done, _total: None)
    with _no_cyclic_gc(), transaction.atomic():
        parser = _Parser(layout(), rows[0], report)
        products = parser.products(rows[1:], step)
        for provider, provided in parser.provided.items():
            report.errors += [RowError(*error) for error in provider.check(provided)]
        batch = check_batch(actor=actor, products=products, progress=lambda d, t: step("check", d, t))
        report.errors += [parser.error_of(problem) for problem in batch.problems]
        if report.errors:
            report.errors.sort()
            transaction.set_rollback(True)
            return report
        _summarise(batch, report, parser)
        write_batch(batch, actor=actor, progress=lambda d, t: step("write", d, t))
        variants = {v.variant.sku: v.variant for p in batch.products for v in p.variants}
        for provider, provided in parser.provided.items():
            for row in provided:
                row.variant = variants.get(row.sku)
            report.provided[provider.name] = provider.apply(provided, actor=actor)
        if dry_run:
            transaction.set_rollback(True)
    return report


@contextmanager
def _no_cyclic_gc():
    """Pause Python's cycle collector while hundreds of thousands of rows are held in memory:
    each of its full passes walks every live object, so a large file spent a good part of its
    time there. Reference counting still frees what is dropped; the collector resumes after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class _ProductRef:
    """Where a product's values come from: its first row, and the row of each column."""

    key: str
    first: int
    source: dict[str, int] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)


class _Parser:
    """The file's cells as the batch service takes them; errors of form go to the report."""

    def __init__(self, layout: Layout, header: list[str], report: ImportReport):
        self.layout, self.report = layout, report
        self.columns: list[Column | None] = []
        self.provided: dict[ColumnProvider, list[ProvidedRow]] = {}
        seen = set()
        for name in (cell.strip() for cell in header):
            column = None
            if name in seen:
                self.error(1, name, "This column is given twice.")
            elif name:
                try:
                    column = layout.column(name)
                except InvalidInput as exc:
                    self.error(1, name, " ".join(exc.errors.get(name, [exc.detail])))
            seen.add(name)
            self.columns.append(column)
        self.names = {c.name for c in self.columns if c is not None}
        if "product" not in seen:
            self.error(1, "product", "The file needs this column.")
        for c in self.columns:
            if c is not None and c.kind in ("compare_at", "cost") and f"price:{c.currency}" not in self.names:
                self.error(1, c.name, f"Give the column price:{c.currency} too.")
        self.product_columns = [(i, c) for i, c in enumerate(self.columns) if c and c.level == Level.PRODUCT]
        self.variant_columns = [
            (i, c) for i, c in enumerate(self.columns) if c and c.level == Level.VARIANT and c.kind != "sku"
        ]
        self.key_at = next((i for i, c in enumerate(self.columns) if c and c.kind == "product"), None)
        self.sku_at = next((i for i, c in enumerate(self.columns) if c and c.kind == "sku"), None)

    def error(self, row: int, column: str, reason: str) -> None:
        self.report.errors.append(RowError(row, column, reason))

    # --- rows ----------------------------------------------------------------------------------

    def products(self, rows: list[list[str]], step: Progress) -> list[ProductInput]:
        groups: dict[str, tuple[_ProductRef, ProductInput]] = {}
        total = len(rows)
        for number, cells in enumerate(rows, 2):
            if number % 1000 == 0 or number - 1 == total:
                step("parse", number - 1, total)
            if not any(cell.strip() for cell in cells):
                continue
            self.report.rows += 1
            if len(cells) > len(self.columns):
                self.error(
                    number, "", f"This row has {len(cells)} cells; the header has {len(self.columns)}."
                )
                continue
            if self.key_at is None:
                continue
            cells = cells + [""] * (len(self.columns) - len(cells))
            key = cells[self.key_at].strip()
            if not key:
                self.error(number, "product", "This field is required.")
                continue
            if key not in groups:
                ref = _ProductRef(key=key, first=number)
                groups[key] = (ref, ProductInput(key=key, ref=ref))
            ref, product = groups[key]
            self._product_cells(ref, number, cells)
            variant = self._variant(number, cells)
            if variant is not None:
                product.variants.append(variant)
        step("parse", total, total)
        inputs = []
        for ref, product in groups.values():
            self._product(ref, product)
            inputs.append(product)
        return inputs

    def _product_cells(self, ref: _ProductRef, number: int, cells: list[str]) -> None:
        for index, column in self.product_columns:
            text = cells[index]
            if column.name not in ref.source or (not ref.cells[column.name].strip() and text.strip()):
                ref.source[column.name], ref.cells[column.name] = number, text
            elif text.strip() and text != ref.cells[column.name]:
                first = ref.source[column.name]
                self.error(
                    number, column.name, f"Differs from row {first}, the first row of product '{ref.key}'."
                )

    def _product(self, ref: _ProductRef, product: ProductInput) -> None:
        texts: dict[str, dict[str, str]] = {}
        for _index, column in self.product_columns:
            text, number = ref.cells[column.name], ref.source[column.name]
            try:
                if column.kind == "text":
                    texts.setdefault(column.language, {})[column.field] = text
                elif column.kind == "attribute":
                    _attribute(product.attributes, column, text)
                elif column.kind == "product_type":
                    product.product_type = text.strip()
                elif column.kind == "status":
                    product.status = text.strip() or UNSET
                elif column.kind == "categories":
                    product.categories = _split(text)
                elif column.kind == "tax_class":
                    product.tax_class = text.strip() or None
                elif column.kind == "weight_grams":
                    product.weight_grams = _integer(text, column.name, empty=None)
            except InvalidInput as exc:
                self.error(number, column.name, " ".join(exc.errors.get(column.name, [exc.detail])))
        product.texts = texts
        _drop_empty_texts(product.attributes)

    def _variant(self, number: int, cells: list[str]) -> VariantInput | None:
        sku = cells[self.sku_at].strip() if self.sku_at is not None else ""
        if not sku:
            filled = [c.name for i, c in self.variant_columns if cells[i].strip()]
            if filled:
                self.error(
                    number, "sku", f"A row with variant columns ({', '.join(filled[:3])}) needs its SKU."
                )
            return None
        variant = VariantInput(sku=sku, ref=number)
        texts: dict[str, dict[str, str]] = {}
        prices: dict[str, dict] = {}
        for index, column in self.variant_columns:
            text = cells[index]
            try:
                if column.kind == "variant_name":
                    texts.setdefault(column.language, {})["name"] = text
                elif column.kind == "attribute":
                    _attribute(variant.attributes, column, text)
                elif column.kind == "barcode":
                    variant.barcode = text
                elif column.kind == "variant_weight_grams":
                    variant.weight_grams = _integer(text, column.name, empty=None)
                elif column.kind == "track_inventory":
                    variant.track_inventory = _boolean(text, column.name, empty=UNSET)
                elif column.kind == "position":
                    variant.position = _integer(text, column.name, empty=UNSET)
                elif column.kind in ("price", "compare_at", "cost"):
                    amount = money.parse_major(text, column.currency, column.name) if text.strip() else None
                    prices.setdefault(column.currency, {})[column.field] = amount
                elif column.kind == "provider":
                    self.provided.setdefault(column.provider, [])
                    rows = self.provided[column.provider]
                    if not rows or rows[-1].row != number:
                        rows.append(ProvidedRow(row=number, sku=sku, cells={}))
                    rows[-1].cells[column.name] = text
            except InvalidInput as exc:
                self.error(number, column.name, " ".join(exc.errors.get(column.name, [exc.detail])))
        variant.texts = texts
        _drop_empty_texts(variant.attributes)
        for code, price in prices.items():
            if "amount" not in price:
                continue
            if price["amount"] is None:
                extra = [k for k in ("compare_at_amount", "cost_amount") if price.get(k) is not None]
                for name in extra:
                    kind = "compare_at" if name == "compare_at_amount" else "cost"
                    self.error(number, f"{kind}:{code}", f"Give the price in {code} too.")
                variant.prices[code] = None
            else:
                variant.prices[code] = price
        return variant

    # --- errors of the batch service, as cells -------------------------------------------------

    def error_of(self, problem) -> RowError:
        if problem.level == "product":
            column = self._product_column(problem.field)
            return RowError(problem.ref.source.get(column, problem.ref.first), column, problem.message)
        return RowError(problem.ref, self._variant_column(problem.field), problem.message)

    def _product_column(self, name: str) -> str:
        if name == "key":
            return "product"
        if name == "name":
            return f"name:{self.layout.site_language}"
        if name.startswith("attributes."):
            return self._attribute_column("attribute", name)
        for text in PRODUCT_FIELDS:
            for code in self.layout.languages:
                if name == f"{text}_{code}":
                    return f"{text}:{code}"
        return name

    def _variant_column(self, name: str) -> str:
        if name.startswith("attributes."):
            return self._attribute_column("variant_attribute", name)
        if name.startswith("prices."):
            _prices, code, *rest = name.split(".")
            kind = {"compare_at_amount": "compare_at", "cost_amount": "cost"}.get(
                rest[0] if rest else "", "price"
            )
            return f"{kind}:{code}"
        if name == "weight_grams":
            return "variant_weight_grams"
        for code in self.layout.languages:
            if name == f"name_{code}":
                return f"variant_name:{code}"
        return name

    def _attribute_column(self, prefix: str, name: str) -> str:
        slug, _, code = name.removeprefix("attributes.").partition(".")
        exact = f"{prefix}:{slug}" + (f":{code}" if code else "")
        if exact in self.names or code:
            return exact
        return next((n for n in self.names if n.startswith(f"{exact}:")), exact)


def _summarise(batch, report: ImportReport, parser: _Parser) -> None:
    """Counts and per-row changes, from the plan (what write_batch will write)."""
    for plan in batch.products:
        ref = plan.given.ref
        report.products[plan.action] += 1
        product_columns = sorted({parser._product_column(c) for c in plan.changed})
        product_columns += ["status"] * bool(plan.transitions)
        rows_seen = False
        for planned in plan.variants:
            report.variants[planned.action] += 1
            columns = [parser._variant_column(c) for c in planned.changed]
            columns += [f"price:{code}" for code, *_rest in planned.prices]
            action = planned.action
            if planned.given.ref == ref.first:
                rows_seen = True
                columns = product_columns + columns
                action = "created" if plan.new else ("updated" if columns else action)
            report.changes.append(RowChange(planned.given.ref, ref.key, planned.variant.sku, action, columns))
        if not rows_seen:
            report.changes.append(RowChange(ref.first, ref.key, "", plan.action, product_columns))
    report.changes.sort(key=lambda change: change.row)


def _integer(text: str, name: str, *, empty):
    text = text.strip()
    if not text:
        return empty
    if not (text.lstrip("+-").isascii() and text.lstrip("+-").isdigit()) or text[1:].startswith(("+", "-")):
        raise InvalidInput.for_field(name, "Give a whole number.")
    return int(text)


def _boolean(text: str, name: str, *, empty):
    text = text.strip().lower()
    if not text:
        return empty
    if text not in ("true", "false"):
        raise InvalidInput.for_field(name, "Give true or false.")
    return text == "true"


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split("|") if part.strip()]


def _attribute(values: dict, column: Column, text: str) -> None:
    """A cell of an attribute as the services take its value (None: no value)."""
    attribute, name = column.attribute, column.name
    kind = attribute.input_type
    if kind in TEXT_TYPES:
        texts = values.get(attribute.slug) or {}
        texts[column.language] = text
        values[attribute.slug] = texts
        return
    if not text.strip():
        values[attribute.slug] = None
    elif kind == InputType.BOOLEAN:
        values[attribute.slug] = _boolean(text, name, empty=None)
    elif kind == InputType.MULTI_CHOICE:
        values[attribute.slug] = _split(text) or None
    else:  # numbers and dates are checked by the service; choices by slug
        values[attribute.slug] = text.strip()


def _drop_empty_texts(values: dict) -> None:
    """A text attribute whose every cell is empty has no value."""
    for slug, value in values.items():
        if isinstance(value, dict) and not any((text or "").strip() for text in value.values()):
            values[slug] = None
