"""Bulk work on products: the workflow, prices by a percentage, categories and collections; each
call all or nothing, one event per product (or price) changed, and a query count that grows with
the events only."""

from __future__ import annotations

import pytest

from apps.catalog import services
from apps.catalog.models import CollectionProduct, Price, Product
from apps.events.models import OutboxEvent
from rustok.errors import Conflict, InvalidInput, PermissionDenied
from tests.accounts.factories import EditorFactory
from tests.catalog.factories import make_product, make_product_type, make_variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def kind(manager):
    """One product type for the test's products."""
    return make_product_type(actor=manager)


def products(manager, kind, count: int = 3, **fields) -> list[Product]:
    return [make_product(actor=manager, product_type=kind, name=f"Item {n}", **fields) for n in range(count)]


def events(type_: str) -> list[dict]:
    return [event.payload for event in OutboxEvent.objects.filter(type=type_).order_by("id")]


def statuses(items) -> list[str]:
    found = dict(Product.objects.filter(pk__in=[p.pk for p in items]).values_list("pk", "status"))
    return [found[p.pk] for p in items]


def errors_of(call) -> dict:
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value.errors


# --- the workflow ---------------------------------------------------------------------------------


def test_bulk_activation_moves_every_product_with_one_event_each(manager, kind):
    items = products(manager, kind)
    outcome = services.bulk_transition(actor=manager, products=[p.pk for p in items], name="activate")
    assert statuses(items) == ["active"] * 3
    assert outcome.changed == [p.pk for p in items]
    assert all(p.activated_at for p in Product.objects.filter(pk__in=outcome.changed))
    assert [e["product_id"] for e in events("catalog.product.activated")] == [p.pk for p in items]


def test_products_already_in_the_status_asked_are_left_without_an_event(manager, kind):
    active, draft = (
        make_product(actor=manager, product_type=kind, status="active"),
        products(manager, kind, 1)[0],
    )
    before = len(events("catalog.product.activated"))
    outcome = services.bulk_transition(actor=manager, products=[active, draft], name="activate")
    assert outcome.changed == [draft.pk] and statuses([active, draft]) == ["active", "active"]
    assert [e["product_id"] for e in events("catalog.product.activated")[before:]] == [draft.pk]


def test_archiving_and_unarchiving_in_bulk(manager, kind):
    items = [make_product(actor=manager, product_type=kind, status="active"), *products(manager, kind, 2)]
    services.bulk_transition(actor=manager, products=items, name="archive")
    assert statuses(items) == ["archived"] * 3
    services.bulk_transition(actor=manager, products=items, name="unarchive")
    assert statuses(items) == ["draft"] * 3
    assert len(events("catalog.product.archived")) == len(events("catalog.product.unarchived")) == 3


def test_if_any_product_cannot_move_nothing_moves_and_every_refusal_is_listed(manager, kind):
    ready = products(manager, kind, 1)[0]
    archived = make_product(actor=manager, product_type=kind, name="Old", status="archived")
    services.update_shop_settings(actor=manager, currencies=["EUR"])
    unpriced = make_product(
        actor=manager, product_type=kind, name="Euro", prices=[{"currency": "EUR", "amount": 9}]
    )
    sku = unpriced.variants.get().sku
    bare = services.create_product(actor=manager, product_type=kind, texts={"en": {"name": "Bare"}})
    given = [ready, archived, unpriced, bare]
    with pytest.raises(Conflict) as caught:
        services.bulk_transition(actor=manager, products=given, name="activate")
    assert caught.value.extra["reason"] == "products_refused"
    assert caught.value.extra["refused"] == sorted(
        [
            {
                "product": archived.pk,
                "reason": "transition_not_allowed",
                "state": "archived",
                "allowed": ["unarchive"],
            },
            {"product": unpriced.pk, "reason": "price_required", "currency": "USD", "variants": [sku]},
            {"product": bare.pk, "reason": "price_required", "currency": "USD", "variants": []},
        ],
        key=lambda entry: entry["product"],
    )
    assert "3 of the 4 products cannot be activated" in caught.value.detail
    assert statuses(given) == ["draft", "archived", "draft", "draft"]
    assert events("catalog.product.activated") == []


def test_an_unknown_transition_is_refused(manager, kind):
    assert list(
        errors_of(
            lambda: services.bulk_transition(
                actor=manager, products=products(manager, kind, 1), name="publish"
            )
        )
    ) == ["transition"]


# --- which products -------------------------------------------------------------------------------


def test_unknown_product_ids_are_refused_naming_products_and_nothing_is_written(manager, kind):
    items = products(manager, kind, 2)
    errors = errors_of(
        lambda: services.bulk_transition(
            actor=manager, products=[items[0].pk, 999999, items[1].pk], name="archive"
        )
    )
    assert errors == {"products": ["No product 999999."]}
    assert statuses(items) == ["draft", "draft"]


@pytest.mark.parametrize(
    "given",
    [[], "1,2", [True], ["1"], list(range(1, services.MAX_PRODUCTS + 2))],
    ids=["empty", "text", "boolean", "string-id", "over-the-cap"],
)
def test_products_must_be_a_list_of_ids_or_products_within_the_cap(manager, given):
    assert list(
        errors_of(lambda: services.bulk_transition(actor=manager, products=given, name="archive"))
    ) == ["products"]


def test_products_may_be_given_as_a_queryset_and_twice_counts_once(manager, kind):
    items = products(manager, kind, 2)
    outcome = services.bulk_transition(
        actor=manager, products=Product.objects.filter(pk__in=[p.pk for p in items]), name="archive"
    )
    assert sorted(outcome.changed) == sorted(p.pk for p in items)
    outcome = services.bulk_transition(actor=manager, products=[items[0], items[0].pk], name="unarchive")
    assert outcome.changed == [items[0].pk] and len(events("catalog.product.unarchived")) == 1


# --- prices ---------------------------------------------------------------------------------------


def amounts(field: str = "amount") -> dict[tuple[str, str], int | None]:
    return {(p.variant.sku, p.currency): getattr(p, field) for p in Price.objects.select_related("variant")}


def test_prices_change_by_a_percentage_rounded_half_up_with_one_event_per_price(manager, kind):
    big = make_product(actor=manager, product_type=kind, prices=[{"currency": "USD", "amount": 1250}])
    small = make_product(actor=manager, product_type=kind, prices=[{"currency": "USD", "amount": 5}])
    outcome = services.bulk_change_prices(actor=manager, products=[big, small], percent=10)
    sku_big, sku_small = big.variants.get().sku, small.variants.get().sku
    assert amounts() == {(sku_big, "USD"): 1375, (sku_small, "USD"): 6}  # 5.5 cents: 6
    assert outcome.changed == [big.pk, small.pk]
    found = {(e["product_id"], e["previous"], e["amount"]) for e in events("catalog.price.changed")[-2:]}
    assert found == {(big.pk, 1250, 1375), (small.pk, 5, 6)}


def test_each_variant_and_currency_gets_its_own_event(manager, kind):
    services.update_shop_settings(actor=manager, currencies=["EUR"])
    item = make_product(
        actor=manager,
        product_type=kind,
        prices=[{"currency": "USD", "amount": 1000}, {"currency": "EUR", "amount": 900}],
    )
    make_variant(actor=manager, product=item, size="l", prices=[{"currency": "USD", "amount": 2000}])
    before = len(events("catalog.price.changed"))
    outcome = services.bulk_change_prices(actor=manager, products=[item], percent=-10)
    assert sorted(amounts().values()) == [810, 900, 1800]
    assert outcome.changed == [item.pk] and len(events("catalog.price.changed")) == before + 3


def test_a_price_the_rounding_leaves_as_it_was_gets_no_event(manager, kind):
    item = make_product(actor=manager, product_type=kind, prices=[{"currency": "USD", "amount": 5}])
    before = len(events("catalog.price.changed"))
    outcome = services.bulk_change_prices(actor=manager, products=[item], percent=-10)  # 4.5: 5
    assert outcome.changed == [] and len(events("catalog.price.changed")) == before
    assert amounts() == {(item.variants.get().sku, "USD"): 5}


def test_a_discount_never_goes_below_zero(manager, kind):
    item = make_product(actor=manager, product_type=kind, prices=[{"currency": "USD", "amount": 1}])
    services.bulk_change_prices(actor=manager, products=[item], percent="-99.99")
    assert list(amounts().values()) == [0]


def test_every_currency_changes_unless_one_is_named_each_in_its_own_minor_unit(manager, kind):
    services.update_shop_settings(actor=manager, currencies=["JPY", "KWD"])
    prices = [
        {"currency": "USD", "amount": 1999},
        {"currency": "JPY", "amount": 505},
        {"currency": "KWD", "amount": 1005},
    ]
    item = make_product(actor=manager, product_type=kind, prices=prices)
    sku = item.variants.get().sku
    services.bulk_change_prices(actor=manager, products=[item], percent=10, currency="jpy")
    assert amounts() == {(sku, "USD"): 1999, (sku, "JPY"): 556, (sku, "KWD"): 1005}  # 555.5 yen: 556
    services.bulk_change_prices(actor=manager, products=[item], percent="12.5")
    assert amounts() == {(sku, "USD"): 2249, (sku, "JPY"): 626, (sku, "KWD"): 1131}
    assert len(events("catalog.price.changed")) == 3 + 1 + 3  # made, one currency, all three


def test_compare_at_and_cost_prices_change_on_their_own(manager, kind):
    item = make_product(
        actor=manager,
        product_type=kind,
        prices=[{"currency": "USD", "amount": 1000, "compare_at_amount": 2000, "cost_amount": 400}],
    )
    other = make_product(actor=manager, product_type=kind)  # no compare-at price: stays without one
    before = len(events("catalog.price.changed"))
    outcome = services.bulk_change_prices(
        actor=manager, products=[item, other], percent=-25, field="compare_at_amount"
    )
    price = Price.objects.get(variant__product=item)
    assert (price.amount, price.compare_at_amount, price.cost_amount) == (1000, 1500, 400)
    assert Price.objects.get(variant__product=other).compare_at_amount is None
    assert outcome.changed == [item.pk]
    (event,) = events("catalog.price.changed")[before:]
    assert (event["amount"], event["previous"]) == (1000, 1000)  # the price itself stayed
    services.bulk_change_prices(actor=manager, products=[item], percent=50, field="cost_amount")
    assert Price.objects.get(variant__product=item).cost_amount == 600


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"percent": -100}, "percent"),
        ({"percent": 0}, "percent"),
        ({"percent": "1000.01"}, "percent"),
        ({"percent": "10.005"}, "percent"),
        ({"percent": "ten"}, "percent"),
        ({"percent": True}, "percent"),
        ({"percent": float("nan")}, "percent"),
        ({"percent": 10, "field": "weight"}, "field"),
        ({"percent": 10, "currency": "EUR"}, "currency"),  # the shop does not sell in it
        ({"percent": 10, "currency": "XYZ"}, "currency"),
    ],
)
def test_a_change_that_is_not_allowed_is_refused_naming_its_field(manager, kind, fields, field):
    item = make_product(actor=manager, product_type=kind)
    assert list(errors_of(lambda: services.bulk_change_prices(actor=manager, products=[item], **fields))) == [
        field
    ]
    assert list(amounts().values()) == [1250]


def test_the_largest_changes_allowed_are_applied(manager, kind):
    item = make_product(actor=manager, product_type=kind, prices=[{"currency": "USD", "amount": 100}])
    services.bulk_change_prices(actor=manager, products=[item], percent=1000)
    assert list(amounts().values()) == [1100]
    services.bulk_change_prices(actor=manager, products=[item], percent=12.25)
    assert list(amounts().values()) == [1235]  # 1234.75: 1235


# --- categories -----------------------------------------------------------------------------------


def updated(what: str) -> list[int]:
    return [e["product_id"] for e in events("catalog.product.updated") if e["changed"] == [what]]


def test_assigning_a_category_adds_it_and_keeps_the_others_with_events_for_those_changed(manager, kind):
    shirts = services.create_category(actor=manager, texts={"en": {"name": "Shirts"}})
    sale = services.create_category(actor=manager, texts={"en": {"name": "Sale"}})
    inside = make_product(actor=manager, product_type=kind, categories=[sale, shirts])
    outside = products(manager, kind, 2)
    outcome = services.bulk_assign_category(actor=manager, products=[inside, *outside], category=sale.pk)
    assert outcome.changed == [p.pk for p in outside] == updated("categories")
    assert set(inside.categories.values_list("pk", flat=True)) == {sale.pk, shirts.pk}
    assert all(list(p.categories.all()) == [sale] for p in outside)
    services.bulk_assign_category(actor=manager, products=outside, category=sale)  # again: nothing
    assert updated("categories") == [p.pk for p in outside]


def test_removing_a_category_takes_it_from_those_that_have_it(manager, kind):
    sale = services.create_category(actor=manager, texts={"en": {"name": "Sale"}})
    shirts = services.create_category(actor=manager, texts={"en": {"name": "Shirts"}})
    inside = make_product(actor=manager, product_type=kind, categories=[sale, shirts])
    outside = products(manager, kind, 1)[0]
    outcome = services.bulk_remove_category(actor=manager, products=[inside, outside], category=sale)
    assert outcome.changed == [inside.pk] == updated("categories")
    assert list(inside.categories.all()) == [shirts]


def test_an_unknown_category_is_refused_naming_it(manager, kind):
    item = products(manager, kind, 1)[0]
    assert list(
        errors_of(lambda: services.bulk_assign_category(actor=manager, products=[item], category=999999))
    ) == ["category"]
    assert list(
        errors_of(lambda: services.bulk_assign_category(actor=manager, products=[item], category="1"))
    ) == ["category"]


# --- collections ----------------------------------------------------------------------------------


def order_of(collection) -> list[int]:
    return list(
        CollectionProduct.objects.filter(collection=collection)
        .order_by("position")
        .values_list("product_id", flat=True)
    )


def test_products_are_appended_to_a_collection_in_the_order_given_and_those_in_it_stay(manager, kind):
    a, b, c, d = products(manager, kind, 4)
    collection = services.create_collection(actor=manager, texts={"en": {"name": "Picks"}}, products=[b, a])
    outcome = services.bulk_add_to_collection(actor=manager, products=[d, a, c], collection=collection.pk)
    assert order_of(collection) == [b.pk, a.pk, d.pk, c.pk]
    assert outcome.changed == [d.pk, c.pk] == updated("collections")


def test_removing_from_a_collection_keeps_the_others_order(manager, kind):
    a, b, c = products(manager, kind, 3)
    collection = services.create_collection(
        actor=manager, texts={"en": {"name": "Picks"}}, products=[c, b, a]
    )
    outside = products(manager, kind, 1)[0]
    outcome = services.bulk_remove_from_collection(
        actor=manager, products=[b, outside], collection=collection
    )
    assert order_of(collection) == [c.pk, a.pk]
    assert outcome.changed == [b.pk] == updated("collections")
    services.bulk_add_to_collection(actor=manager, products=[b], collection=collection)
    assert order_of(collection) == [c.pk, a.pk, b.pk]


# --- permissions ----------------------------------------------------------------------------------


def test_an_editor_cannot_do_bulk_work(manager, kind):
    items = products(manager, kind, 2)
    category = services.create_category(actor=manager, texts={"en": {"name": "Sale"}})
    collection = services.create_collection(actor=manager, texts={"en": {"name": "Picks"}})
    editor = EditorFactory()
    before = OutboxEvent.objects.count()
    for call in (
        lambda: services.bulk_transition(actor=editor, products=items, name="archive"),
        lambda: services.bulk_change_prices(actor=editor, products=items, percent=10),
        lambda: services.bulk_assign_category(actor=editor, products=items, category=category),
        lambda: services.bulk_remove_category(actor=editor, products=items, category=category),
        lambda: services.bulk_add_to_collection(actor=editor, products=items, collection=collection),
        lambda: services.bulk_remove_from_collection(actor=editor, products=items, collection=collection),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert OutboxEvent.objects.count() == before
    assert statuses(items) == ["draft", "draft"] and list(amounts().values()) == [1250, 1250]
    assert not CollectionProduct.objects.exists()


# --- what it costs --------------------------------------------------------------------------------

OUTBOX_INSERT = f'INSERT INTO "{OutboxEvent._meta.db_table}"'

# Queries besides the events, the savepoint and its release included: the products locked, then
# activate: the shop's currency, the prices in it, the variants, one UPDATE;
# prices: the prices locked, one UPDATE;
# category and collection: the row locked, what is in it already (and the last position), one
# INSERT or a DELETE (Django reads the rows it deletes first), the products' updated_at.
BUDGETS = {
    "activate": 7,
    "prices": 5,
    "assign_category": 7,
    "remove_category": 8,
    "add_to_collection": 8,
    "remove_from_collection": 8,
}


def measured(assert_max, budget: int, events_expected: int, act) -> int:
    """Run `act()` in at most `budget` queries besides its `events_expected` outbox inserts
    (one each); the number of queries besides those."""
    with assert_max(budget + events_expected) as captured:
        act()
    inserts = [q for q in captured.captured_queries if q["sql"].startswith(OUTBOX_INSERT)]
    assert len(inserts) == events_expected
    return len(captured.captured_queries) - len(inserts)


@pytest.mark.parametrize("name", list(BUDGETS))
def test_bulk_work_costs_the_same_queries_for_5_and_50_products_besides_the_events(
    manager, kind, django_assert_max_num_queries, name
):
    category = services.create_category(actor=manager, texts={"en": {"name": "Sale"}})
    removing = name.startswith("remove")
    few = products(manager, kind, 5, categories=[category] if removing else [])
    many = products(manager, kind, 50, categories=[category] if removing else [])
    collection = services.create_collection(
        actor=manager, texts={"en": {"name": "Picks"}}, products=few + many if removing else []
    )
    acts = {
        "activate": lambda items: services.bulk_transition(actor=manager, products=items, name="activate"),
        "prices": lambda items: services.bulk_change_prices(actor=manager, products=items, percent=10),
        "assign_category": lambda items: services.bulk_assign_category(
            actor=manager, products=items, category=category
        ),
        "remove_category": lambda items: services.bulk_remove_category(
            actor=manager, products=items, category=category
        ),
        "add_to_collection": lambda items: services.bulk_add_to_collection(
            actor=manager, products=items, collection=collection
        ),
        "remove_from_collection": lambda items: services.bulk_remove_from_collection(
            actor=manager, products=items, collection=collection
        ),
    }
    counts = [
        measured(django_assert_max_num_queries, BUDGETS[name], len(items), lambda: acts[name](items))
        for items in (few, many)
    ]  # one event per product: each has one variant with one price
    assert counts[0] == counts[1], counts


def test_the_products_are_locked_first_in_one_query_by_ascending_id(
    manager, kind, django_assert_max_num_queries
):
    items = products(manager, kind, 3)
    category = services.create_category(actor=manager, texts={"en": {"name": "Sale"}})
    with django_assert_max_num_queries(BUDGETS["assign_category"] + 3) as captured:
        services.bulk_assign_category(
            actor=manager, products=[items[2], items[0], items[1]], category=category
        )
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert reads[0].startswith('SELECT "catalog_product"."id"')
    assert reads[0].endswith('ORDER BY "catalog_product"."id" ASC FOR UPDATE')
    assert '"catalog_productcategory"' in reads[1] and reads[1].endswith("FOR NO KEY UPDATE")
