"""Import and export of the catalogue: round trips, per-row errors, nothing half-written, dry
runs, updates of what differs only, the columns of other modules, safe CSV."""

import csv
import io

import pytest

from apps.catalog import exchange, services
from apps.catalog.models import AttributeValue, Price, Product, Variant
from apps.events.models import OutboxEvent
from rustok.errors import PermissionDenied
from tests.accounts.factories import EditorFactory
from tests.catalog.factories import make_rich_catalogue

pytestmark = pytest.mark.django_db


def export_text(actor) -> str:
    out = io.StringIO()
    exchange.export_file(out, actor=actor, name="catalogue.csv")
    return out.getvalue()


def run_import(text: str, actor, **options) -> exchange.ImportReport:
    return exchange.import_file(io.StringIO(text), actor=actor, name="catalogue.csv", **options)


def table(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def to_text(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def edited(text: str, changes: dict[tuple[str, str], str]) -> str:
    """The file with cells changed, by (sku, column)."""
    rows = table(text)
    for (sku, name), value in changes.items():
        next(r for r in rows if r["sku"] == sku)[name] = value
    return to_text(rows)


def state() -> dict:
    """What the catalogue holds, without ids and times."""
    return {
        "products": sorted(
            map(
                repr,
                Product.objects.values_list(
                    "slug_en", "slug_ru", "name_en", "name_ru", "status", "weight_grams"
                ),
            )
        ),
        "variants": sorted(
            Variant.objects.values_list("sku", "name_en", "options_key", "position", "barcode")
        ),
        "prices": sorted(
            map(
                repr,
                Price.objects.values_list(
                    "variant__sku", "currency", "amount", "compare_at_amount", "cost_amount"
                ),
            )
        ),
        "values": AttributeValue.objects.count(),
    }


@pytest.fixture
def catalogue(manager):
    return make_rich_catalogue(manager)


# --- round trips ---------------------------------------------------------------------------------


def test_export_writes_one_row_per_variant_with_every_column(manager, catalogue):
    rows = table(export_text(manager))
    assert [r["sku"] for r in rows] == ["LIN-S-RED", "LIN-M-RED", "LIN-L-BLUE", "GIFT-50", "", "OLD-1"]
    linen = rows[0]
    assert (linen["product"], linen["status"], linen["name:ru"]) == (
        "linen-shirt",
        "active",
        "Льняная рубашка",
    )
    assert linen["categories"] == "men|sale"
    assert (linen["price:USD"], linen["compare_at:USD"], linen["cost:USD"], linen["price:EUR"]) == (
        "49.00",
        "59.00",
        "20.00",
        "45.00",
    )
    assert (linen["attribute:features"], linen["attribute:weight-kg"], linen["attribute:organic"]) == (
        "zip|pocket",
        "0.3",
        "true",
    )
    assert (linen["variant_attribute:size"], linen["variant_attribute:colour"]) == ("s", "red")
    assert linen["attribute:material:ru"] == "Лён"
    assert rows[4]["product"] == "простая-футболка"  # named only in Russian: its Russian slug


def test_exporting_and_importing_on_the_same_site_changes_nothing(manager, catalogue):
    before, events = state(), OutboxEvent.objects.count()
    report = run_import(export_text(manager), manager)
    assert report.ok, report.errors
    assert report.products == {"unchanged": 4}
    assert report.variants == {"unchanged": 5}
    assert {c.action for c in report.changes} == {"unchanged"}
    assert OutboxEvent.objects.count() == events
    assert state() == before


def test_importing_an_export_into_an_empty_catalogue_makes_the_same_catalogue(manager, catalogue):
    exported, before = export_text(manager), state()
    for product in Product.objects.all():
        services.delete_product(actor=manager, product=product)
    OutboxEvent.objects.all().delete()
    report = run_import(exported, manager)
    assert report.ok, report.errors
    assert report.products == {"created": 4}
    assert report.variants == {"created": 5}
    assert state() == before
    assert export_text(manager) == exported
    linen = Product.objects.get(slug_en="linen-shirt")
    assert linen.activated_at is not None
    assert "<strong>Light</strong>" in linen.description_html_en
    types = list(OutboxEvent.objects.order_by("id").values_list("type", flat=True))
    assert types.count("catalog.product.created") == 4
    assert types.count("catalog.variant.created") == 5
    assert types.count("catalog.price.changed") == 8


# --- what differs, and only that -----------------------------------------------------------------


def test_an_import_updates_only_what_differs_and_publishes_one_event_each(manager, catalogue):
    text = edited(
        export_text(manager),
        {("LIN-M-RED", "price:EUR"): "44.50", ("LIN-S-RED", "name:ru"): "Рубашка изо льна"},
    )
    text = text.replace("Рубашка изо льна", "Рубашка изо льна", 1)
    rows = table(text)
    for row in rows:
        if row["product"] == "linen-shirt":
            row["name:ru"] = "Рубашка изо льна"
    last = OutboxEvent.objects.order_by("-id").values_list("id", flat=True).first()
    report = run_import(to_text(rows), manager)
    assert report.ok, report.errors
    assert report.products == {"updated": 1, "unchanged": 3}
    assert report.variants == {"updated": 1, "unchanged": 4}
    changed = {c.row: (c.action, c.columns) for c in report.changes if c.action != "unchanged"}
    assert changed == {2: ("updated", ["name:ru"]), 3: ("updated", ["price:EUR"])}
    events = list(OutboxEvent.objects.filter(id__gt=last).order_by("id"))
    assert [(e.type, e.payload.get("changed"), e.payload.get("amount")) for e in events] == [
        ("catalog.product.updated", ["name_ru"], None),
        ("catalog.price.changed", None, 4450),
    ]
    assert Price.objects.get(variant__sku="LIN-M-RED", currency="EUR").amount == 4450


def test_a_status_in_the_file_moves_the_product_through_its_workflow(manager, catalogue):
    text = edited(export_text(manager), {("OLD-1", "status"): "active"})
    last = OutboxEvent.objects.order_by("-id").values_list("id", flat=True).first()
    report = run_import(text, manager)
    assert report.ok, report.errors
    assert Product.objects.get(slug_en="old-shirt").status == "active"
    types = list(OutboxEvent.objects.filter(id__gt=last).order_by("id").values_list("type", flat=True))
    assert types == ["catalog.product.unarchived", "catalog.product.activated"]


def test_new_variants_are_added_and_columns_the_file_lacks_are_kept(manager, catalogue):
    text = (
        "product,sku,variant_attribute:size,variant_attribute:colour,price:USD\r\n"
        "linen-shirt,LIN-M-BLUE,m,blue,51.00\r\n"
        "linen-shirt,LIN-S-RED,s,red,48.00\r\n"
    )
    report = run_import(text, manager)
    assert report.ok, report.errors
    assert report.variants == {"created": 1, "updated": 1}
    added = Variant.objects.get(sku="LIN-M-BLUE")
    assert (added.options_key, added.prices.get().amount) == ("colour:blue|size:m", 5100)
    kept = Price.objects.get(variant__sku="LIN-S-RED", currency="USD")
    assert (kept.amount, kept.compare_at_amount, kept.cost_amount) == (4800, 5900, 2000)
    assert Variant.objects.get(sku="LIN-S-RED").name_en == "S red"


# --- errors, per row -----------------------------------------------------------------------------


BAD_CELLS = [
    (
        ("LIN-S-RED", "price:USD"),
        "abc",
        "price:USD",
        "Give an amount in USD as a plain number, such as 12.50.",
    ),
    (("LIN-S-RED", "price:USD"), "12.505", "price:USD", "USD has at most 2 decimals."),
    (("LIN-S-RED", "price:EUR"), "-1.00", "price:EUR", "Must be zero or more."),
    (("LIN-S-RED", "compare_at:USD"), "1e3", "compare_at:USD", "Give an amount in USD as a plain number"),
    (("LIN-S-RED", "variant_attribute:size"), "xxl", "variant_attribute:size", "Unknown choice 'xxl'"),
    (("LIN-S-RED", "attribute:organic"), "yes", "attribute:organic", "Give true or false."),
    (("LIN-S-RED", "attribute:released"), "01/03/2026", "attribute:released", "Give a date as YYYY-MM-DD."),
    (("LIN-S-RED", "attribute:weight-kg"), "heavy", "attribute:weight-kg", "Must be a number."),
    (("LIN-S-RED", "attribute:features"), "zip|laces", "attribute:features", "Unknown choice 'laces'"),
    (("LIN-S-RED", "track_inventory"), "maybe", "track_inventory", "Give true or false."),
    (("LIN-S-RED", "position"), "1.5", "position", "Give a whole number."),
    (("LIN-S-RED", "variant_weight_grams"), "-3", "variant_weight_grams", "Give a weight as a whole number"),
    (("LIN-S-RED", "product_type"), "gift-card", "product_type", "The product type is fixed at creation."),
    (("LIN-S-RED", "tax_class"), "reduced", "tax_class", "No tax class 'reduced'."),
    (("LIN-S-RED", "categories"), "men|kids", "categories", "No category kids."),
    (("LIN-S-RED", "status"), "published", "status", "Give one of: draft, active, archived."),
    (("LIN-M-RED", "price:USD"), "", "price:USD", "An active product needs a price in USD on every variant."),
    (("LIN-M-RED", "sku"), "LIN-S-RED", "sku", "The SKU 'LIN-S-RED' is given twice."),
    (("LIN-M-RED", "sku"), "bad sku!", "sku", "Give 1 to 64 letters, digits"),
    (
        ("LIN-M-RED", "variant_attribute:size"),
        "s",
        "variant_attribute:size",
        "Another variant of this product",
    ),
]


@pytest.mark.parametrize(
    ("cell", "value", "column", "reason"), BAD_CELLS, ids=[c[2] + ":" + c[1] for c in BAD_CELLS]
)
def test_a_bad_cell_is_reported_with_its_row_and_column_and_nothing_is_written(
    manager, catalogue, cell, value, column, reason
):
    text = export_text(manager)
    rows = table(text)
    row = next(i for i, r in enumerate(rows, 2) if r["sku"] == cell[0])
    if cell[1] in ("product_type", "tax_class", "categories", "status") or cell[1].startswith("attribute:"):
        for each in rows:
            if each["product"] == "linen-shirt":
                each[cell[1]] = value
        row = 2
    else:
        rows[row - 2][cell[1]] = value
    if (cell[1], value) == ("price:USD", ""):
        rows[row - 2].update({"compare_at:USD": "", "cost:USD": ""})
    before, events = state(), OutboxEvent.objects.count()
    report = run_import(to_text(rows), manager)
    assert [(e.row, e.column) for e in report.errors] == [(row, column)], report.errors
    assert reason in report.errors[0].reason
    assert not report.written
    assert (state(), OutboxEvent.objects.count()) == (before, events)


def test_a_sku_of_another_product_is_refused(manager, catalogue):
    report = run_import("product,sku,price:USD\r\nlinen-shirt,GIFT-50,1.00\r\n", manager)
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "sku", "The SKU 'GIFT-50' is already used by another product.")
    ]


def test_a_price_without_its_amount_is_refused(manager, catalogue):
    text = edited(export_text(manager), {("LIN-S-RED", "price:USD"): ""})
    report = run_import(text, manager)
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "compare_at:USD", "Give the price in USD too."),
        (2, "cost:USD", "Give the price in USD too."),
        (2, "price:USD", "An active product needs a price in USD on every variant."),
    ]


def test_every_error_of_the_file_is_reported_at_once_in_row_order(manager, catalogue):
    text = (
        "product,product_type,name:en,sku,price:USD,price:GBP,variant_attribute:size,variant_attribute:colour\r\n"
        "new-shirt,shirt,New shirt,NEW-1,9.999,,m,red\r\n"
        "nameless,shirt,,NEW-2,10.00,,m,red\r\n"
        "typo,shrit,Typo,NEW-3,10.00,,m,red\r\n"
        "new-shirt,shirt,New shirt,NEW-1,10.00,,l,red\r\n"
    )
    before, events = state(), OutboxEvent.objects.count()
    report = run_import(text, manager)
    assert [(e.row, e.column) for e in report.errors] == [
        (1, "price:GBP"),
        (2, "price:USD"),
        (3, "name:en"),
        (4, "product_type"),
        (5, "sku"),
    ]
    assert "does not sell in GBP" in report.errors[0].reason
    assert report.errors[2].reason == "Give the text in at least one language."
    assert "No product type 'shrit'" in report.errors[3].reason
    assert (state(), OutboxEvent.objects.count()) == (before, events)


def test_an_active_new_product_needs_a_price_in_the_default_currency(manager, catalogue):
    text = (
        "product,product_type,status,name:en,sku,price:EUR,variant_attribute:size,variant_attribute:colour\r\n"
        "euro-shirt,shirt,active,Euro shirt,EURO-1,10.00,m,red\r\n"
    )
    report = run_import(text, manager)
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, "price:USD", "An active product needs a price in USD on every variant.")
    ]
    assert not Product.objects.filter(slug_en="euro-shirt").exists()


def test_a_product_whose_rows_disagree_is_refused_naming_the_later_row(manager, catalogue):
    text = edited(export_text(manager), {("LIN-L-BLUE", "weight_grams"): "999"})
    report = run_import(text, manager)
    assert [(e.row, e.column) for e in report.errors] == [(4, "weight_grams")]
    assert "Differs from row 2" in report.errors[0].reason


def test_amounts_follow_the_currencys_decimals(manager, catalogue):
    services.update_shop_settings(actor=manager, currencies=["EUR", "JPY"])
    text = "product,sku,price:JPY\r\nlinen-shirt,LIN-S-RED,500\r\nlinen-shirt,LIN-M-RED,500.5\r\n"
    report = run_import(text, manager)
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (3, "price:JPY", "JPY has no smaller unit than 1.")
    ]
    report = run_import(text.replace("500.5", "700"), manager)
    assert report.ok
    assert Price.objects.get(variant__sku="LIN-S-RED", currency="JPY").amount == 500
    assert table(export_text(manager))[0]["price:JPY"] == "500"


def test_only_managers_import(catalogue, manager):
    with pytest.raises(PermissionDenied):
        run_import(export_text(manager), EditorFactory())


# --- dry run -------------------------------------------------------------------------------------


def test_a_dry_run_reports_exactly_what_the_import_would_change_and_writes_nothing(manager, catalogue):
    rows = table(export_text(manager))
    rows[1]["price:EUR"] = "40.00"
    rows.append(dict(rows[1], sku="LIN-M-BLUE", **{"variant_attribute:colour": "blue", "barcode": ""}))
    text = to_text(rows)
    before, events = state(), OutboxEvent.objects.count()
    dry = run_import(text, manager, dry_run=True)
    assert dry.ok and not dry.written
    assert (state(), OutboxEvent.objects.count()) == (before, events)
    real = run_import(text, manager)
    assert real.written
    assert (dry.products, dry.variants, dry.changes) == (real.products, real.variants, real.changes)
    assert dry.variants == {"created": 1, "updated": 1, "unchanged": 4}
    assert state() != before


# --- the columns of other modules ----------------------------------------------------------------


class Notes(exchange.ColumnProvider):
    """A column of a module built on the catalogue: a note per variant, kept here."""

    name = "notes"

    def __init__(self):
        self.notes: dict[str, str] = {"LIN-S-RED": "fragile"}
        self.applied: list = []

    def columns(self):
        return ["note:packing"]

    def export(self, variants):
        return {v.pk: {"note:packing": self.notes.get(v.sku, "")} for v in variants}

    def check(self, rows):
        return [
            (r.row, "note:packing", "At most 10 characters.")
            for r in rows
            if len(r.cells["note:packing"]) > 10
        ]

    def apply(self, rows, *, actor):
        changed = [r for r in rows if self.notes.get(r.sku, "") != r.cells["note:packing"]]
        self.applied += [(r.variant.pk, r.cells["note:packing"]) for r in changed]
        self.notes.update({r.sku: r.cells["note:packing"] for r in changed})
        return len(changed)


@pytest.fixture
def notes():
    provider = exchange.register(Notes())
    yield provider
    exchange.unregister(provider)


def test_a_registered_provider_exports_checks_and_applies_its_columns(manager, catalogue, notes):
    rows = table(export_text(manager))
    assert [r["note:packing"] for r in rows[:2]] == ["fragile", ""]
    rows[1]["note:packing"] = "glass"
    report = run_import(to_text(rows), manager)
    assert report.ok and report.provided == {"notes": 1}
    assert notes.applied == [(Variant.objects.get(sku="LIN-M-RED").pk, "glass")]
    rows[2]["note:packing"] = "much too long a note"
    rows[2]["price:USD"] = "1.001"
    report = run_import(to_text(rows), manager)
    assert [(e.row, e.column) for e in report.errors] == [(4, "note:packing"), (4, "price:USD")]


def test_without_the_provider_its_columns_are_unknown(manager, catalogue):
    report = run_import("product,sku,note:packing\r\nlinen-shirt,LIN-S-RED,x\r\n", manager)
    assert [(e.row, e.column, e.reason) for e in report.errors] == [(1, "note:packing", "Unknown column.")]


# --- safe in spreadsheets ------------------------------------------------------------------------


def test_cells_a_spreadsheet_would_run_are_escaped_and_read_back_as_they_were(manager, catalogue):
    linen = catalogue["linen-shirt"]
    names = {"en": {"name": '=HYPERLINK("x")', "seo_title": "-10% off", "seo_description": "'quoted"}}
    services.update_product(actor=manager, product=linen, texts=names)
    text = export_text(manager)
    row = next(csv.reader(io.StringIO(text.split("\r\n", 1)[1])))
    header = next(csv.reader(io.StringIO(text)))
    cells = dict(zip(header, row, strict=True))
    assert (cells["name:en"], cells["seo_title:en"], cells["seo_description:en"]) == (
        '\'=HYPERLINK("x")',
        "'-10% off",
        "''quoted",
    )
    events = OutboxEvent.objects.count()
    report = run_import(text, manager)
    assert report.ok and report.products == {"unchanged": 4}
    assert OutboxEvent.objects.count() == events
    linen.refresh_from_db()
    assert (linen.name_en, linen.seo_title_en, linen.seo_description_en) == (
        '=HYPERLINK("x")',
        "-10% off",
        "'quoted",
    )


def test_an_xlsx_round_trip_changes_nothing(manager, catalogue):
    out = io.BytesIO()
    exchange.export_file(out, actor=manager, name="catalogue.xlsx")
    out.seek(0)
    report = exchange.import_file(out, actor=manager, name="catalogue.xlsx")
    assert report.ok and report.products == {"unchanged": 4}
