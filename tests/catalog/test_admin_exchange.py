"""Import and export of products in the admin: the import page with its dry run (on by default),
the report (counts, the rows that change, or every refused cell with nothing written), the real
import after a clean dry run, the size limit, and the export as CSV or XLSX; managers only."""

from __future__ import annotations

import csv
import html
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from apps.catalog.models import Price, Product
from apps.events.models import OutboxEvent
from tests.accounts.factories import EditorFactory
from tests.catalog.factories import make_product, make_product_type
from tests.catalog.factories import manager as make_manager
from tests.conftest import admin_session

pytestmark = pytest.mark.django_db

IMPORT = "/admin/catalog/product/import/"
GOOD = (
    "product,product_type,name:en,sku,variant_attribute:size,price:USD\r\n"
    "green-tea,tea,Green tea,GREEN-S,s,4.50\r\n"
    "green-tea,tea,Green tea,GREEN-M,m,6.00\r\n"
)
BAD = (
    "product,product_type,name:en,sku,variant_attribute:size,price:USD\r\n"
    "green-tea,tea,Green tea,GREEN-S,s,4.505\r\n"
    "green-tea,tea,Green tea,GREEN-M,xl,6.00\r\n"
)


@pytest.fixture
def people(tenant_a):
    with schema_context("alpha"):
        manager = make_manager()
        make_product_type(actor=manager, slug="tea")
        return {"manager": manager, "editor": EditorFactory()}


@pytest.fixture
def as_(people):
    return lambda who: admin_session(people[who])


def text(response) -> str:
    return html.unescape(response.content.decode())


def upload(content: str, name: str = "products.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


def written() -> int:
    with schema_context("alpha"):
        return Product.objects.count()


def test_the_list_has_the_import_and_export_buttons(as_):
    page = text(as_("manager").get("/admin/catalog/product/"))
    assert 'href="/admin/catalog/product/import/"' in page
    assert 'href="/admin/catalog/product/export-csv/"' in page and "export-xlsx/" in page


def test_a_dry_run_is_the_default_and_reports_what_would_change_writing_nothing(as_):
    manager = as_("manager")
    form = manager.get(IMPORT)
    assert form.status_code == 200 and form.context["form"]["dry_run"].value() is True
    report = manager.post(IMPORT, {"file": upload(GOOD), "dry_run": "on"})
    page = text(report)
    assert "Dry run: the file is valid." in page
    assert report.context["counts"][0][1] == [1, 0, 0] and report.context["counts"][1][1] == [2, 0, 0]
    assert [(c.row, c.sku, c.action) for c in report.context["changes"]] == [
        (2, "GREEN-S", "created"),
        (3, "GREEN-M", "created"),
    ]
    assert written() == 0

    token = report.context["token"]
    done = manager.post(IMPORT, {"token": token})
    assert "Imported." in text(done)
    with schema_context("alpha"):
        assert sorted(Price.objects.values_list("variant__sku", "amount")) == [
            ("GREEN-M", 600),
            ("GREEN-S", 450),
        ]
        assert OutboxEvent.objects.filter(type="catalog.product.created").count() == 1
    assert "no longer kept" in text(manager.post(IMPORT, {"token": token}, follow=True))
    assert written() == 1


def test_an_import_without_the_dry_run_writes_at_once(as_):
    response = as_("manager").post(IMPORT, {"file": upload(GOOD)})
    assert "Imported." in text(response) and response.context["token"] is None
    assert written() == 1


def test_refused_cells_are_listed_by_row_and_column_and_nothing_is_written(as_):
    response = as_("manager").post(IMPORT, {"file": upload(BAD)})  # not even a dry run
    page = text(response)
    errors = response.context["errors"]
    assert f"{len(errors)} errors: nothing was written." in page
    assert {(e.row, e.column) for e in errors} == {(2, "price:USD"), (3, "variant_attribute:size")}
    assert all(f"<td>{e.reason}</td>" in page for e in errors)
    assert written() == 0
    with schema_context("alpha"):
        assert not OutboxEvent.objects.filter(type__startswith="catalog.product.").exists()


def test_a_file_above_the_limit_or_of_another_kind_is_refused_on_the_form(as_, settings):
    settings.CATALOG_IMPORT_MAX_BYTES = 100
    manager = as_("manager")
    big = manager.post(IMPORT, {"file": upload(GOOD + "x" * 200), "dry_run": "on"})
    assert "at most 0.0001 MB are imported at once" in big.context["form"].errors["file"][0]
    other = manager.post(IMPORT, {"file": upload("a,b", name="products.txt")})
    assert other.context["form"].errors["file"] == ["Choose a .csv or an .xlsx file."]
    assert written() == 0


def test_an_xlsx_file_is_imported(as_):
    book = openpyxl.Workbook()
    for row in csv.reader(io.StringIO(GOOD)):
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    file = SimpleUploadedFile("products.xlsx", data.getvalue())
    assert "Imported." in text(as_("manager").post(IMPORT, {"file": file}))
    assert written() == 1


def test_the_export_downloads_csv_and_xlsx(as_, people):
    with schema_context("alpha"):
        make_product(actor=people["manager"], name="Sencha")
    manager = as_("manager")
    response = manager.get("/admin/catalog/product/export-csv/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="products-alpha-' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["name:en"] for row in rows] == ["Sencha"]
    xlsx = manager.get("/admin/catalog/product/export-xlsx/")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert sheet.max_row == 2


def test_an_editor_may_neither_import_nor_export(as_):
    editor = as_("editor")
    assert editor.get(IMPORT).status_code == 403
    assert editor.post(IMPORT, {"file": upload(GOOD)}).status_code == 403
    assert editor.get("/admin/catalog/product/export-csv/").status_code == 403
    assert written() == 0
