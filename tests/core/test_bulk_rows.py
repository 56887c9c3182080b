"""rustok.bulk: many new rows with one COPY, as bulk_create would write them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.catalog.models import Product, Variant
from rustok.bulk import copy_rows, insert, maker
from tests.catalog.factories import make_product_type
from tests.testapps.notes.models import Note


def test_insert_writes_every_column_and_gives_the_instances_their_ids_in_order(tenant_a):
    with schema_context("alpha"):
        notes = [Note(text=f"note {n}", price=Decimal("1.50") if n else None) for n in range(3)]
        insert(notes)
        ids = [note.pk for note in notes]
        assert ids == sorted(ids) and None not in ids
        assert not any(note._state.adding for note in notes)
        stored = list(Note.objects.order_by("id").values_list("id", "text", "price", "published"))
    assert stored == [
        (ids[0], "note 0", None, True),
        (ids[1], "note 1", Decimal("1.50"), True),
        (ids[2], "note 2", Decimal("1.50"), True),
    ]


def test_insert_follows_a_related_row_saved_after_it_was_assigned(tenant_a):
    with schema_context("alpha"):
        product_type = make_product_type()
        product = maker(Product)(product_type=product_type, name_en="Shirt", slug_en="shirt")
        variant = maker(Variant)(product=product, sku="SHIRT-1")
        with pytest.raises(ValueError, match="unsaved related object 'product'"):
            insert([variant])
        insert([product])
        insert([variant])
        stored = Variant.objects.select_related("product").get(sku="SHIRT-1")
        assert (stored.pk, stored.product.pk, stored.product.name_en) == (variant.pk, product.pk, "Shirt")
        assert stored.created_at is not None and stored.product.created_at is not None


def test_maker_makes_the_instance_the_model_would(tenant_a):
    with schema_context("alpha"):
        product_type = make_product_type()
        made = maker(Product)(product_type=product_type, name_en="Shirt", weight_grams=200)
        expected = Product(product_type=product_type, name_en="Shirt", weight_grams=200)
        fields = [f.attname for f in Product._meta.concrete_fields if f.attname != "name"]
        assert [getattr(made, f) for f in fields] == [getattr(expected, f) for f in fields]
        assert made.product_type is product_type and made._state.adding
        assert maker(Note)().published is True


def test_insert_refuses_instances_that_are_saved(tenant_a):
    with schema_context("alpha"):
        note = Note.objects.create(text="saved")
        with pytest.raises(ValueError, match="new Note instances only"):
            insert([note])


def test_copy_rows_is_one_statement_in_the_query_log(tenant_a):
    columns = ["text", "title", "language", "category", "tags", "availability", "published"]
    with schema_context("alpha"):
        with CaptureQueriesContext(connection) as queries:
            written = copy_rows(Note, columns, ((f"n{n}", "", "", "", "", "", False) for n in range(5)))
        assert written == 5
        logged = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET search_path")]
        quoted = ", ".join(f'"{c}"' for c in columns)
        assert logged == [f'COPY "notes_note" ({quoted}) FROM STDIN -- 5 rows']
        assert list(Note.objects.order_by("id").values_list("text", "published")) == [
            (f"n{n}", False) for n in range(5)
        ]


def test_copy_rows_of_nothing_runs_no_statement(tenant_a, django_assert_num_queries):
    with schema_context("alpha"), django_assert_num_queries(0):
        assert copy_rows(Note, ["text"], iter(())) == 0
