"""`rustok catalog import|export`: files in and out of a tenant's catalogue from the command line."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tenants.utils import schema_context

from apps.catalog.models import Price, Product
from apps.events.models import OutboxEvent
from tests.accounts.factories import EditorFactory, OwnerFactory
from tests.catalog.factories import make_rich_catalogue

pytestmark = pytest.mark.django_db


def rustok(*args) -> str:
    out = io.StringIO()
    call_command("rustok", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def shop(manager):
    make_rich_catalogue(manager)
    return OwnerFactory(email="owner@alpha.test")


def rows_of(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_the_rustok_command_lists_the_catalog_group(capsys):
    with pytest.raises(SystemExit):
        call_command("rustok", "--help")
    assert "catalog" in capsys.readouterr().out


def test_export_then_import_as_the_owner_shows_progress_and_a_summary(shop, tmp_path):
    path = tmp_path / "catalogue.csv"
    out = rustok("catalog", "export", str(path), "--tenant", "alpha")
    assert "6 row(s) written" in out and "exporting products" in out
    assert [r["sku"] for r in rows_of(path)][:3] == ["LIN-S-RED", "LIN-M-RED", "LIN-L-BLUE"]
    out = rustok("catalog", "import", str(path), "--tenant", "alpha")
    assert "reading rows: 6/6" in out and "checking products: 4/4" in out and "writing" in out
    assert "products  0        0        4" in out
    assert "Imported catalogue.csv into alpha." in out


def test_a_dry_run_lists_the_changes_and_writes_nothing(shop, manager, tmp_path):
    path = tmp_path / "catalogue.csv"
    rustok("catalog", "export", str(path), "--tenant", "alpha")
    rows = rows_of(path)
    rows[0]["price:EUR"] = "39.90"
    write(path, rows)
    events = OutboxEvent.objects.count()
    out = rustok("catalog", "import", str(path), "--tenant", "alpha", "--dry-run", "--as", manager.email)
    assert "2    linen-shirt  LIN-S-RED  updated  price:EUR" in out
    assert "Dry run: nothing was written." in out
    assert Price.objects.get(variant__sku="LIN-S-RED", currency="EUR").amount == 4500
    assert OutboxEvent.objects.count() == events


def test_a_file_with_errors_prints_them_per_row_and_fails(shop, tmp_path):
    path = tmp_path / "catalogue.csv"
    path.write_text(
        "product,product_type,name:en,sku,price:USD,variant_attribute:size,variant_attribute:colour\n"
        "new-shirt,shirt,New shirt,NEW-1,12.345,m,red\n"
        "other,nope,Other,NEW-2,1.00,m,red\n",
        encoding="utf-8",
    )
    products = Product.objects.count()
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"2 error\(s\) in catalogue\.csv; nothing was imported"):
        call_command("rustok", "catalog", "import", str(path), "--tenant", "alpha", stdout=out)
    printed = out.getvalue()
    assert "ROW  COLUMN        REASON" in printed
    assert "2    price:USD     USD has at most 2 decimals." in printed
    assert "3    product_type  No product type 'nope'." in printed
    assert Product.objects.count() == products


def test_someone_who_may_not_manage_the_catalogue_is_refused(shop, tmp_path):
    path = tmp_path / "catalogue.csv"
    rustok("catalog", "export", str(path), "--tenant", "alpha")
    with schema_context("alpha"):
        editor = EditorFactory(email="editor@alpha.test")
    with pytest.raises(CommandError):
        rustok("catalog", "import", str(path), "--tenant", "alpha", "--as", editor.email)


def test_a_missing_file_and_an_unknown_user_are_clear_errors(shop, tmp_path):
    with pytest.raises(CommandError, match="No file"):
        rustok("catalog", "import", str(tmp_path / "none.csv"), "--tenant", "alpha")
    path = tmp_path / "catalogue.csv"
    path.write_text("product,sku\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"No active user with the e-mail 'nobody@alpha\.test'"):
        rustok("catalog", "import", str(path), "--tenant", "alpha", "--as", "nobody@alpha.test")
