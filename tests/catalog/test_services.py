"""The catalogue's services: what a manager can write, and what is refused with which error."""

import datetime as dt

import pytest

from apps.catalog import services
from apps.catalog.models import Price, Product, Variant
from apps.events.models import OutboxEvent
from rustok.errors import Conflict, InvalidInput, PermissionDenied, TransitionNotAllowed
from tests.accounts.factories import EditorFactory, SiteAdminFactory, UserFactory
from tests.catalog.factories import (
    make_attribute,
    make_product,
    make_product_type,
    make_variant,
)

pytestmark = pytest.mark.django_db


def errors_of(call) -> dict:
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value.errors


# --- products and their workflow -----------------------------------------------------------------


def test_a_product_is_made_a_draft_with_slugs_from_its_names(manager):
    product = services.create_product(
        actor=manager,
        product_type=make_product_type(actor=manager),
        texts={"en": {"name": "Linen shirt"}, "ru": {"name": "Льняная рубашка"}},
    )
    assert (product.status, product.slug_en, product.slug_ru) == ("draft", "linen-shirt", "льняная-рубашка")


def test_the_description_is_sanitised_and_its_text_kept(manager):
    product = services.create_product(
        actor=manager,
        product_type=make_product_type(actor=manager),
        texts={"en": {"name": "Mug", "description": "**Big** mug<script>alert(1)</script>"}},
    )
    assert "<script>" not in product.description_html_en
    assert "<strong>Big</strong>" in product.description_html_en
    assert product.description_text_en == "Big mug"


def test_a_product_without_a_variant_cannot_be_activated(manager):
    product = services.create_product(
        actor=manager, product_type=make_product_type(actor=manager), texts={"en": {"name": "Cup"}}
    )
    with pytest.raises(Conflict) as caught:
        services.transition_product(actor=manager, product=product, name="activate")
    assert caught.value.extra["reason"] == "price_required"
    assert Product.objects.get(pk=product.pk).status == "draft"


def test_a_product_priced_only_in_another_currency_cannot_be_activated_naming_the_variant(manager):
    services.update_shop_settings(actor=manager, currencies=["EUR"])
    product = make_product(actor=manager, prices=[{"currency": "EUR", "amount": 900}])
    sku = product.variants.get().sku
    with pytest.raises(Conflict, match=f"in USD.*{sku}"):
        services.transition_product(actor=manager, product=product, name="activate")


def test_an_illegal_move_is_refused_naming_the_allowed_ones(manager):
    product = make_product(actor=manager, status="archived")
    with pytest.raises(TransitionNotAllowed) as caught:
        services.transition_product(actor=manager, product=product, name="activate")
    assert caught.value.extra["allowed"] == ["unarchive"]


def test_the_workflow_publishes_one_event_per_move(manager):
    product = make_product(actor=manager, status="active")
    services.transition_product(actor=manager, product=product, name="archive")
    found = OutboxEvent.objects.filter(payload__product_id=product.pk).order_by("id")
    types = list(found.values_list("type", flat=True))
    assert types[0] == "catalog.product.created"
    assert types[-2:] == ["catalog.product.activated", "catalog.product.archived"]


def test_an_editor_or_a_customer_cannot_write_the_catalogue(alpha):
    product_type = make_product_type()
    for user in (EditorFactory(), UserFactory()):
        with pytest.raises(PermissionDenied):
            services.create_product(actor=user, product_type=product_type, texts={"en": {"name": "X"}})
    assert not Product.objects.exists()


def test_an_admin_writes_the_catalogue_too(alpha):
    product = make_product(actor=SiteAdminFactory(), status="active")
    assert product.status == "active"


def test_an_update_names_what_changed(manager):
    product = make_product(actor=manager)
    category = services.create_category(actor=manager, texts={"en": {"name": "Shirts"}})
    services.update_product(
        actor=manager, product=product, texts={"ru": {"name": "Рубашка"}}, categories=[category.pk]
    )
    event = OutboxEvent.objects.filter(type="catalog.product.updated").get()
    assert event.payload["changed"] == ["name_ru", "slug_ru", "categories"]


# --- variants, options and prices ----------------------------------------------------------------


def test_a_sku_is_unique_in_the_site(manager):
    product = make_product(actor=manager)
    taken = product.variants.get().sku
    errors = errors_of(lambda: make_variant(actor=manager, product=product, sku=taken, size="l"))
    assert list(errors) == ["sku"]
    assert product.variants.count() == 1


def test_two_variants_of_a_product_cannot_have_the_same_options(manager):
    product = make_product(actor=manager)
    errors = errors_of(lambda: make_variant(actor=manager, product=product, size="m"))
    assert list(errors) == ["attributes"]
    assert product.variants.count() == 1


def test_a_variant_must_choose_every_option(manager):
    product = make_product(actor=manager)
    errors = errors_of(lambda: make_variant(actor=manager, product=product, attributes={}))
    assert list(errors) == ["attributes.size"]
    assert product.variants.count() == 1


def test_an_unknown_choice_is_refused_naming_the_attribute(manager):
    product = make_product(actor=manager)
    errors = errors_of(lambda: make_variant(actor=manager, product=product, size="xxl"))
    assert list(errors) == ["attributes.size"]


def test_a_type_without_variants_has_one_variant_only(manager):
    product_type = make_product_type(actor=manager, has_variants=False)
    product = make_product(actor=manager, product_type=product_type)
    with pytest.raises(Conflict) as caught:
        make_variant(actor=manager, product=product)
    assert caught.value.extra["reason"] == "has_no_variants"


@pytest.mark.parametrize(
    ("price", "field"),
    [
        ({"currency": "USD", "amount": -1}, "prices.0.amount"),
        ({"currency": "USD", "amount": 12.5}, "prices.0.amount"),
        ({"currency": "USD", "amount": "12.50"}, "prices.0.amount"),
        ({"currency": "USD", "amount": True}, "prices.0.amount"),
        ({"currency": "USD", "amount": 100, "cost_amount": -5}, "prices.0.cost_amount"),
        ({"currency": "ZZZ", "amount": 100}, "prices.0.currency"),
        ({"currency": "EUR", "amount": 100}, "prices.0.currency"),  # not sold by this shop
    ],
)
def test_a_bad_price_is_refused_naming_its_field_and_nothing_is_written(manager, price, field):
    product = make_product(actor=manager)
    errors = errors_of(lambda: make_variant(actor=manager, product=product, size="l", prices=[price]))
    assert list(errors) == [field]
    assert Variant.objects.count() == 1


def test_changing_a_price_publishes_the_old_and_new_amounts(manager):
    variant = make_product(actor=manager).variants.get()
    services.set_prices(actor=manager, variant=variant, prices=[{"currency": "USD", "amount": 1500}])
    event = OutboxEvent.objects.filter(type="catalog.price.changed").order_by("id").last()
    assert (event.payload["amount"], event.payload["previous"]) == (1500, 1250)


def test_an_active_products_variant_keeps_its_default_currency_price(manager):
    variant = make_product(actor=manager, status="active").variants.get()
    with pytest.raises(Conflict) as caught:
        services.set_prices(actor=manager, variant=variant, prices=[{"currency": "USD", "amount": None}])
    assert caught.value.extra["reason"] == "price_required"
    assert Price.objects.filter(variant=variant, currency="USD").exists()


def test_an_active_product_keeps_its_last_variant(manager):
    variant = make_product(actor=manager, status="active").variants.get()
    with pytest.raises(Conflict) as caught:
        services.delete_variant(actor=manager, variant=variant)
    assert caught.value.extra["reason"] == "last_variant"


# --- attribute values ----------------------------------------------------------------------------


@pytest.fixture
def typed(manager):
    """A product type with a product attribute of every type but choices."""
    attributes = [
        make_attribute(actor=manager, slug=slug, input_type=kind, **extra)
        for slug, kind, extra in (
            ("material", "text", {}),
            ("care", "rich_text", {}),
            ("weight", "number", {"unit": "kg"}),
            ("organic", "boolean", {}),
            ("released", "date", {}),
            ("features", "multi_choice", {}),
            ("colour", "swatch", {"choices": [{"slug": "red", "color": "#ff0000"}]}),
        )
    ]
    product_type = make_product_type(
        actor=manager, has_variants=False, attributes=[(a, "product") for a in attributes]
    )
    return services.create_product(actor=manager, product_type=product_type, texts={"en": {"name": "Kettle"}})


def test_values_of_every_type_are_kept(manager, typed):
    services.update_product(
        actor=manager,
        product=typed,
        attributes={
            "material": {"en": "Steel", "ru": "Сталь"},
            "care": "<p>Wipe <b>dry</b></p><script>x</script>",
            "weight": "1.25",
            "organic": False,
            "released": "2026-03-01",
            "features": ["s", "l"],
            "colour": "red",
        },
    )
    values = {v.attribute.slug: v for v in typed.attribute_values.select_related("attribute")}
    assert (values["material"].text_en, values["material"].text_ru) == ("Steel", "Сталь")
    assert "<script>" not in values["care"].text_en
    assert str(values["weight"].number) == "1.2500"
    assert values["organic"].boolean is False
    assert values["released"].date == dt.date(2026, 3, 1)
    assert sorted(c.slug for c in values["features"].choices.all()) == ["l", "s"]
    assert [c.slug for c in values["colour"].choices.all()] == ["red"]


@pytest.mark.parametrize(
    ("slug", "value"),
    [
        ("weight", 1.25),  # a float
        ("weight", "heavy"),
        ("organic", "yes"),
        ("released", "01/03/2026"),
        ("features", "s"),  # not a list
        ("colour", "blue"),
        ("material", 42),
        ("unknown", "x"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_naming_the_attribute(manager, typed, slug, value):
    errors = errors_of(
        lambda: services.update_product(actor=manager, product=typed, attributes={slug: value})
    )
    assert list(errors) == [f"attributes.{slug}"]
    assert not typed.attribute_values.exists()


def test_a_variant_attribute_cannot_be_set_on_a_product_type_without_variants(manager):
    size = make_attribute(actor=manager, slug="size")
    errors = errors_of(
        lambda: services.create_product_type(
            actor=manager, slug="book", has_variants=False, attributes=[(size, "variant")]
        )
    )
    assert list(errors) == ["attributes"]


# --- the shop's currencies -----------------------------------------------------------------------


def test_the_default_currency_cannot_change_while_active_products_have_no_price_in_it(manager):
    make_product(actor=manager, status="active")
    with pytest.raises(Conflict) as caught:
        services.update_shop_settings(actor=manager, default_currency="EUR")
    assert caught.value.extra["reason"] == "price_required"


def test_a_former_default_currency_stays_sold(manager):
    make_product(actor=manager)  # a draft priced in USD
    shop = services.update_shop_settings(actor=manager, default_currency="eur")
    assert shop.all_currencies == ["EUR", "USD"]


def test_a_currency_products_are_priced_in_cannot_be_dropped(manager):
    services.update_shop_settings(actor=manager, currencies=["EUR"])
    variant = make_product(actor=manager).variants.get()
    services.set_prices(actor=manager, variant=variant, prices=[{"currency": "EUR", "amount": 1100}])
    with pytest.raises(Conflict) as caught:
        services.update_shop_settings(actor=manager, currencies=[])
    assert caught.value.extra["currencies"] == ["EUR"]


def test_an_unknown_currency_is_refused(manager):
    assert list(
        errors_of(lambda: services.update_shop_settings(actor=manager, currencies=["EUR", "XYZ"]))
    ) == ["currencies"]


# --- categories and collections ------------------------------------------------------------------


def test_a_category_cannot_go_under_its_own_descendant(manager):
    top = services.create_category(actor=manager, texts={"en": {"name": "Clothes"}})
    child = services.create_category(actor=manager, texts={"en": {"name": "Shirts"}}, parent=top)
    errors = errors_of(lambda: services.update_category(actor=manager, category=top, parent=child))
    assert list(errors) == ["parent"]


def test_a_collection_keeps_its_products_in_the_order_given(manager):
    first, second = make_product(actor=manager, name="One"), make_product(actor=manager, name="Two")
    collection = services.create_collection(
        actor=manager, texts={"en": {"name": "Picks"}}, products=[second.pk, first.pk]
    )
    assert list(collection.entries.values_list("product_id", flat=True)) == [second.pk, first.pk]


def test_a_collection_window_must_end_after_it_starts(manager):
    start = dt.datetime(2026, 12, 24, tzinfo=dt.UTC)
    errors = errors_of(
        lambda: services.create_collection(
            actor=manager, texts={"en": {"name": "Xmas"}}, published_from=start, published_until=start
        )
    )
    assert list(errors) == ["published_until"]


def test_changing_an_attribute_names_the_products_whose_type_has_it(manager):
    product = make_product(actor=manager)
    size = product.product_type.attributes.get(slug="size")
    services.update_attribute(actor=manager, attribute=size, texts={"en": {"name": "Size"}})
    event = OutboxEvent.objects.filter(type="catalog.attribute.changed").order_by("id").last()
    assert event.payload["product_ids"] == [product.pk]
