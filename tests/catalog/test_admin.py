"""The catalogue in the tenant admin: the Shop section, products with their variants and prices,
the workflow, types, attributes, categories, collections and the shop's currencies, as managers
use them. Every write goes through the services; a refusal shows on its field and writes nothing."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.catalog import selectors, services
from apps.catalog.models import AttributeValue, Collection, Price, Product, Status, TaxClass, Variant
from apps.core.services import set_module_enabled
from apps.events.models import OutboxEvent
from tests.accounts.factories import EditorFactory
from tests.catalog.factories import make_attribute, make_product, make_product_type, make_variant
from tests.catalog.factories import manager as make_manager
from tests.conftest import admin_session
from tests.site.factories import image_upload

pytestmark = pytest.mark.django_db

PRODUCTS = "/admin/catalog/product/"
LANGUAGES = ("en", "ru")
TEXT_FIELDS = ("name", "slug", "description", "seo_title", "seo_description")


@pytest.fixture
def people(tenant_a):
    with schema_context("alpha"):
        return {"manager": make_manager(), "editor": EditorFactory()}


@pytest.fixture
def as_(people):
    return lambda who: admin_session(people[who])


@pytest.fixture
def shirt_type(people):
    """A type with a variant-level size (S, M, L) and a product-level number and choices."""
    with schema_context("alpha"):
        actor = people["manager"]
        make_attribute(actor=actor, slug="size")
        make_attribute(actor=actor, slug="weight", input_type="number", unit="kg")
        make_attribute(actor=actor, slug="features", input_type="multi_choice")
        make_attribute(actor=actor, slug="organic", input_type="boolean")
        return make_product_type(
            actor=actor,
            slug="shirt",
            attributes=[
                ("size", "variant"),
                ("weight", "product"),
                ("features", "product"),
                ("organic", "product"),
            ],
        )


def currency() -> str:
    with schema_context("alpha"):
        return services.shop_settings().default_currency


def text(response) -> str:
    return html.unescape(response.content.decode())


def product_form(product_type, *, variants=(), initial=0, **fields) -> dict:
    """The product form as a browser posts it, with a row per variant given."""
    data = {f"{field}_{code}": "" for field in TEXT_FIELDS for code in LANGUAGES}
    data.update(
        product_type=str(product_type.pk),
        tax_class="",
        weight_grams="",
        attr_weight="",
        attr_features=[],
        attr_organic="unknown",
        **{
            "variants-TOTAL_FORMS": str(len(variants)),
            "variants-INITIAL_FORMS": str(initial),
            "variants-MIN_NUM_FORMS": "0",
            "variants-MAX_NUM_FORMS": "1000",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
            "images-MIN_NUM_FORMS": "0",
            "images-MAX_NUM_FORMS": "1000",
        },
    )
    code = currency()
    for number, row in enumerate(variants):
        defaults = {
            "sku": "",
            "attr_size": "",
            f"price_{code}": "",
            "barcode": "",
            "weight_grams": "",
            "track_inventory": "on",
            "position": str(number),
        }
        data.update({f"variants-{number}-{key}": value for key, value in {**defaults, **row}.items()})
    data.update(fields)
    return data


def form_errors(response, prefix: str | None = None) -> dict:
    """The errors of the page's main form, or of the inline row `prefix` (`variants-0`)."""
    assert response.status_code == 200, response.status_code
    if prefix is None:
        return dict(response.context["adminform"].form.errors)
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            if form.prefix == prefix:
                return dict(form.errors)
    raise AssertionError(f"no row {prefix}")


# --- the Shop section ------------------------------------------------------------------------------


def shop_section(response) -> dict | None:
    return next((app for app in response.context["available_apps"] if app["app_label"] == "shop"), None)


def test_the_shop_section_holds_the_catalogue_and_the_inventory_in_the_sidebar_and_the_index(as_):
    response = as_("manager").get("/admin/")
    shop = shop_section(response)
    assert shop is not None and shop["name"] == "Shop"
    urls = [model["admin_url"] for model in shop["models"]]
    assert urls[0] == PRODUCTS  # in the order the catalogue registers its admins
    assert "/admin/inventory/stocklevel/" in urls and "/admin/catalog/collection/" in urls
    assert urls.index("/admin/catalog/shopsettings/") < urls.index("/admin/inventory/stocklevel/")
    labels = [app["app_label"] for app in response.context["available_apps"]]
    assert "catalog" not in labels and "inventory" not in labels
    assert f'href="{PRODUCTS}"' in text(response)


def test_a_module_switched_off_leaves_the_shop_and_its_pages_answer_404(as_, tenant_a):
    with schema_context("alpha"):
        product = make_product(name="Tea")
    manager = as_("manager")
    set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs inventory
    set_module_enabled(tenant=tenant_a, module="inventory", enabled=False)
    shop = shop_section(manager.get("/admin/"))
    assert [m["admin_url"] for m in shop["models"] if "/inventory/" in m["admin_url"]] == []
    assert manager.get("/admin/inventory/stocklevel/").status_code == 404
    assert manager.get(PRODUCTS).status_code == 200

    set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs catalog
    set_module_enabled(tenant=tenant_a, module="catalog", enabled=False)
    set_module_enabled(tenant=tenant_a, module="payments", enabled=False)
    assert shop_section(manager.get("/admin/")) is None
    for url in (
        PRODUCTS,
        f"{PRODUCTS}add/",
        f"{PRODUCTS}{product.pk}/change/",
        "/admin/catalog/variant/",
        "/admin/catalog/shopsettings/",
    ):
        assert manager.get(url).status_code == 404, url
    assert manager.post(f"{PRODUCTS}{product.pk}/transition/activate/").status_code == 404
    with schema_context("alpha"):
        assert Product.objects.get(pk=product.pk).status == Status.DRAFT


def test_an_editor_sees_no_shop_and_may_not_open_it(as_, people):
    with schema_context("alpha"):
        product = make_product(name="Tea")
    editor = as_("editor")
    assert shop_section(editor.get("/admin/")) is None
    assert editor.get(PRODUCTS).status_code == 403
    assert editor.get(f"{PRODUCTS}{product.pk}/change/").status_code == 403
    response = editor.post(f"{PRODUCTS}{product.pk}/transition/activate/")
    assert response.status_code == 403
    with schema_context("alpha"):
        assert Product.objects.get(pk=product.pk).status == Status.DRAFT


# --- the product list ------------------------------------------------------------------------------


def make_products(count: int) -> None:
    with schema_context("alpha"):
        actor = make_manager()
        product_type = make_product_type(actor=actor)
        tea = services.create_category(actor=actor, texts={"en": {"name": f"Tea {count}"}})
        for number in range(count):
            make_product(
                actor=actor,
                name=f"Product {number}",
                product_type=product_type,
                categories=[tea],
                status="active" if number % 2 else "draft",
            )


@pytest.mark.parametrize("count", [5, 30])
def test_the_product_list_costs_the_same_for_5_and_30_products(as_, count, django_assert_max_num_queries):
    make_products(count)
    manager = as_("manager")
    manager.get(PRODUCTS)  # the session and the site's settings are read once
    with django_assert_max_num_queries(16):
        response = manager.get(PRODUCTS)
    assert response.status_code == 200
    page = text(response)
    assert page.count("rustok-thumb") >= count
    assert "$12.50" in page and f"Tea {count}" in page


def test_the_list_shows_price_variants_and_categories_and_filters_and_searches(as_):
    with schema_context("alpha"):
        actor = make_manager()
        cheap = make_product(actor=actor, name="Green tea", status="active")
        make_variant(
            actor=actor, product=cheap, sku="GREEN-L", size="l", prices=[{"currency": "USD", "amount": 2000}]
        )
        make_product(actor=actor, name="Black tea")
    manager = as_("manager")
    with CaptureQueriesContext(connection):
        listing = text(manager.get(PRODUCTS))
    assert "$12.50 – $20.00" in listing
    found = manager.get(PRODUCTS, {"q": "GREEN-L"}).context["cl"].result_list
    assert [product.name_en for product in found] == ["Green tea"]
    active = manager.get(PRODUCTS, {"status__exact": "active"}).context["cl"].result_list
    assert [product.name_en for product in active] == ["Green tea"]
    assert (
        manager.get(PRODUCTS, {"status__exact": "active"}).context["cl"].result_list[0].variants_counted == 2
    )


# --- creating and changing products ----------------------------------------------------------------


def test_a_manager_creates_a_product_with_variants_and_prices(as_, shirt_type):
    code = currency()
    response = as_("manager").post(
        f"{PRODUCTS}add/",
        product_form(
            shirt_type,
            name_en="Linen shirt",
            name_ru="Льняная рубашка",
            attr_weight="0.25",
            attr_features=["s", "m"],
            attr_organic="true",
            variants=[
                {"sku": "LINEN-S", "attr_size": "s", f"price_{code}": "19.90"},
                {"sku": "LINEN-M", "attr_size": "m", f"price_{code}": "21.50", "barcode": "4006381333931"},
            ],
        ),
    )
    assert response.status_code == 302, text(response)[:3000]
    with schema_context("alpha"):
        product = Product.objects.get()
        assert (product.name_en, product.slug_ru, product.status) == (
            "Linen shirt",
            "льняная-рубашка",
            "draft",
        )
        variants = list(product.variants.order_by("sku"))
        assert [(v.sku, v.options_key, v.barcode) for v in variants] == [
            ("LINEN-M", "size:m", "4006381333931"),
            ("LINEN-S", "size:s", ""),
        ]
        prices = dict(Price.objects.filter(variant__product=product).values_list("variant__sku", "amount"))
        assert prices == {"LINEN-S": 1990, "LINEN-M": 2150}
        values = {v.attribute.slug: v for v in AttributeValue.objects.filter(product=product)}
        assert str(values["weight"].number.normalize()) == "0.25"
        assert values["organic"].boolean is True
        assert sorted(c.slug for c in values["features"].choices.all()) == ["m", "s"]
        assert OutboxEvent.objects.filter(type="catalog.product.created").count() == 1
        assert OutboxEvent.objects.filter(type="catalog.variant.created").count() == 2


@pytest.mark.parametrize(
    ("price", "message"),
    [("-1", "Must be zero or more."), ("12.345", "has 2 decimal places at most"), ("abc", "Enter a number.")],
)
def test_a_bad_price_is_refused_on_its_cell_and_nothing_is_written(as_, shirt_type, price, message):
    code = currency()
    response = as_("manager").post(
        f"{PRODUCTS}add/",
        product_form(
            shirt_type,
            name_en="Linen shirt",
            variants=[
                {"sku": "LINEN-S", "attr_size": "s", f"price_{code}": "10"},
                {"sku": "LINEN-M", "attr_size": "m", f"price_{code}": price},
            ],
        ),
    )
    errors = form_errors(response, "variants-1")
    assert any(message in error for error in errors[f"price_{code}"]), errors
    assert 'value="Linen shirt"' in text(response)
    with schema_context("alpha"):
        assert not Product.objects.exists() and not Variant.objects.exists()
        assert not OutboxEvent.objects.filter(
            type__in=["catalog.product.created", "catalog.variant.created"]
        ).exists()


def test_a_sku_already_used_is_refused_on_its_cell_and_nothing_is_written(as_, shirt_type):
    with schema_context("alpha"):
        make_product(name="Old", product_type=shirt_type)
        taken = Variant.objects.get().sku
    response = as_("manager").post(
        f"{PRODUCTS}add/",
        product_form(shirt_type, name_en="New", variants=[{"sku": taken, "attr_size": "s"}]),
    )
    assert form_errors(response, "variants-0")["sku"] == [f"The SKU '{taken}' is already used."]
    with schema_context("alpha"):
        assert Product.objects.count() == 1 and Variant.objects.count() == 1


def test_a_product_without_a_name_is_refused_on_the_sites_language(as_, shirt_type):
    response = as_("manager").post(f"{PRODUCTS}add/", product_form(shirt_type))
    assert form_errors(response)["name_en"] == ["Give the text in at least one language."]


def test_the_add_page_for_a_type_shows_its_attributes_and_option_columns(as_, shirt_type):
    page = text(as_("manager").get(f"{PRODUCTS}add/", {"product_type": shirt_type.pk}))
    assert 'name="attr_weight"' in page and 'name="attr_features"' in page
    assert 'name="variants-0-attr_size"' in page and f'name="variants-0-price_{currency()}"' in page
    assert "rustok-option" in page  # the option choices' class: wide enough for "100 g"
    assert "rustok/catalog_admin.js" in page and "rustok-translation rustok-lang-ru" in page


def test_a_manager_changes_a_variants_price_and_adds_one_on_the_product_page(as_, shirt_type):
    code = currency()
    with schema_context("alpha"):
        product = make_product(name="Shirt", product_type=shirt_type)
        variant = product.variants.get()
        services.set_prices(
            actor=make_manager(),
            variant=variant,
            prices=[{"currency": code, "amount": 1250, "compare_at_amount": 1500}],
        )
    data = product_form(
        shirt_type,
        initial=1,
        name_en="Shirt",
        slug_en=product.slug_en,
        variants=[
            {"id": str(variant.pk), "sku": variant.sku, "attr_size": "m", f"price_{code}": "13.00"},
            {"sku": "SHIRT-L", "attr_size": "l", f"price_{code}": "14"},
        ],
    )
    data["variants-0-product"] = str(product.pk)
    response = as_("manager").post(f"{PRODUCTS}{product.pk}/change/", data)
    assert response.status_code == 302, text(response)[:3000]
    with schema_context("alpha"):
        kept = Price.objects.get(variant=variant)
        assert (kept.amount, kept.compare_at_amount) == (1300, 1500)  # the compare-at price stays
        assert Price.objects.get(variant__sku="SHIRT-L").amount == 1400


# --- the workflow ----------------------------------------------------------------------------------


def test_the_workflow_buttons_activate_and_archive(as_):
    with schema_context("alpha"):
        product = make_product(name="Tea")
    manager = as_("manager")
    form = text(manager.get(f"{PRODUCTS}{product.pk}/change/"))
    assert f"{PRODUCTS}{product.pk}/transition/activate/" in form
    assert f"{PRODUCTS}{product.pk}/transition/archive/" in form
    assert "/transition/deactivate/" not in form
    assert manager.get(f"{PRODUCTS}{product.pk}/transition/activate/").status_code == 405
    response = manager.post(f"{PRODUCTS}{product.pk}/transition/activate/", follow=True)
    assert "“Tea” activated." in text(response)
    with schema_context("alpha"):
        assert Product.objects.get(pk=product.pk).status == Status.ACTIVE


def test_activating_an_unpriced_product_says_why_and_changes_nothing(as_):
    with schema_context("alpha"):
        product = make_product(name="Tea", prices=[])
    response = as_("manager").post(f"{PRODUCTS}{product.pk}/transition/activate/", follow=True)
    assert "needs a price in" in text(response) or "Every variant needs a price" in text(response)
    with schema_context("alpha"):
        assert Product.objects.get(pk=product.pk).status == Status.DRAFT


def test_the_activate_action_moves_every_selected_product(as_):
    with schema_context("alpha"):
        actor = make_manager()
        ids = [make_product(actor=actor, name=f"Tea {n}").pk for n in range(3)]
    response = as_("manager").post(
        PRODUCTS, {"action": "activate_selected", "_selected_action": ids}, follow=True
    )
    assert "3 products activated." in text(response)
    with schema_context("alpha"):
        assert set(Product.objects.values_list("status", flat=True)) == {Status.ACTIVE}
        assert OutboxEvent.objects.filter(type="catalog.product.activated").count() == 3


def test_an_action_refused_for_one_product_changes_none_and_says_why(as_):
    with schema_context("alpha"):
        actor = make_manager()
        priced = make_product(actor=actor, name="Priced")
        unpriced = make_product(actor=actor, name="Unpriced", prices=[])
        unpriced_sku = unpriced.variants.get().sku
    response = as_("manager").post(
        PRODUCTS, {"action": "activate_selected", "_selected_action": [priced.pk, unpriced.pk]}, follow=True
    )
    page = text(response)
    currency_code = currency()
    assert (
        "1 of the 2 products cannot be activated; nothing was changed. "
        f"“Unpriced”: no price in {currency_code} for {unpriced_sku}."
    ) in page
    with schema_context("alpha"):
        assert set(Product.objects.values_list("status", flat=True)) == {Status.DRAFT}
        assert not OutboxEvent.objects.filter(type="catalog.product.activated").exists()


def test_the_archive_and_deactivate_actions(as_):
    with schema_context("alpha"):
        live = make_product(name="Live", status="active")
    manager = as_("manager")
    manager.post(PRODUCTS, {"action": "deactivate_selected", "_selected_action": [live.pk]})
    with schema_context("alpha"):
        assert Product.objects.get(pk=live.pk).status == Status.DRAFT
    manager.post(PRODUCTS, {"action": "archive_selected", "_selected_action": [live.pk]})
    with schema_context("alpha"):
        assert Product.objects.get(pk=live.pk).status == Status.ARCHIVED


# --- a variant's page ------------------------------------------------------------------------------


def test_the_variant_page_sets_prices_with_compare_at_and_cost(as_, people):
    with schema_context("alpha"):
        services.update_shop_settings(actor=people["manager"], currencies=["EUR"])
        product = make_product(name="Tea")
        variant = product.variants.get()
    url = f"/admin/catalog/variant/{variant.pk}/change/"
    page = as_("manager").get(url)
    assert page.status_code == 200
    data = {
        "sku": variant.sku,
        "barcode": "",
        "weight_grams": "",
        "track_inventory": "on",
        "position": "0",
        "name_en": "",
        "name_ru": "",
        "attr_size": "m",
        "prices-TOTAL_FORMS": "2",
        "prices-INITIAL_FORMS": "1",
        "prices-MIN_NUM_FORMS": "0",
        "prices-MAX_NUM_FORMS": "1000",
        "prices-0-id": str(variant.prices.get().pk),
        "prices-0-variant": str(variant.pk),
        "prices-0-price": "12.50",
        "prices-0-compare_at": "15",
        "prices-0-cost": "7.25",
        "prices-1-variant": str(variant.pk),
        "prices-1-currency": "EUR",
        "prices-1-price": "11.90",
        "prices-1-compare_at": "",
        "prices-1-cost": "",
    }
    response = as_("manager").post(url, data)
    assert response.status_code == 302, text(response)[:3000]
    with schema_context("alpha"):
        prices = {p.currency: (p.amount, p.compare_at_amount, p.cost_amount) for p in variant.prices.all()}
        assert prices == {"USD": (1250, 1500, 725), "EUR": (1190, None, None)}


# --- types, attributes, categories, collections, settings ---------------------------------------------


def test_a_product_type_is_made_with_its_attributes_in_order(as_, people):
    with schema_context("alpha"):
        size = make_attribute(actor=people["manager"], slug="size")
        colour = make_attribute(actor=people["manager"], slug="material", input_type="text")
    data = {
        "name_en": "Shoe",
        "name_ru": "",
        "slug": "shoe",
        "has_variants": "on",
        "type_attributes-TOTAL_FORMS": "2",
        "type_attributes-INITIAL_FORMS": "0",
        "type_attributes-MIN_NUM_FORMS": "0",
        "type_attributes-MAX_NUM_FORMS": "1000",
        "type_attributes-0-attribute": str(colour.pk),
        "type_attributes-0-level": "product",
        "type_attributes-0-position": "1",
        "type_attributes-1-attribute": str(size.pk),
        "type_attributes-1-level": "variant",
        "type_attributes-1-position": "0",
    }
    response = as_("manager").post("/admin/catalog/producttype/add/", data)
    assert response.status_code == 302, text(response)[:3000]
    with schema_context("alpha"):
        from apps.catalog.models import ProductType

        shoe = ProductType.objects.get(slug="shoe")
        assert list(shoe.type_attributes.values_list("attribute__slug", "level")) == [
            ("size", "variant"),
            ("material", "product"),
        ]


def test_an_attribute_is_made_with_its_choices_and_a_bad_colour_is_refused(as_):
    data = {
        "name_en": "Colour",
        "name_ru": "",
        "slug": "colour",
        "input_type": "swatch",
        "unit": "",
        "position": "0",
        "choices-TOTAL_FORMS": "1",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
        "choices-0-slug": "red",
        "choices-0-name_en": "Red",
        "choices-0-name_ru": "Красный",
        "choices-0-color": "red",
        "choices-0-position": "0",
    }
    manager = as_("manager")
    refused = manager.post("/admin/catalog/attribute/add/", data)
    assert refused.status_code == 200
    assert "Give a colour as #rrggbb." in text(refused)
    with schema_context("alpha"):
        from apps.catalog.models import Attribute

        assert not Attribute.objects.filter(slug="colour").exists()
    response = manager.post("/admin/catalog/attribute/add/", {**data, "choices-0-color": "#ff0000"})
    assert response.status_code == 302, text(response)[:3000]
    with schema_context("alpha"):
        colour = Attribute.objects.get(slug="colour")
        assert list(colour.choices.values_list("slug", "name_ru", "color")) == [("red", "Красный", "#ff0000")]


def test_categories_are_listed_as_an_indented_tree(as_, people):
    with schema_context("alpha"):
        actor = people["manager"]
        tea = services.create_category(actor=actor, texts={"en": {"name": "Tea"}})
        services.create_category(actor=actor, texts={"en": {"name": "Green"}}, parent=tea)
        services.create_category(actor=actor, texts={"en": {"name": "Coffee"}}, position=1)
    listing = as_("manager").get("/admin/catalog/productcategory/")
    names = [c.tree_depth * "— " + str(c) for c in listing.context["cl"].result_list]
    assert names == ["Tea", "— Green", "Coffee"]
    assert "— Green" in text(listing)


def test_a_collection_keeps_its_products_in_order(as_):
    with schema_context("alpha"):
        actor = make_manager()
        first, second = make_product(actor=actor, name="First"), make_product(actor=actor, name="Second")
    data = {
        **{f"{field}_{code}": "" for field in ("name", "slug", "description") for code in LANGUAGES},
        "name_en": "Staff picks",
        "published_from_0": "",
        "published_from_1": "",
        "published_until_0": "",
        "published_until_1": "",
        "entries-TOTAL_FORMS": "2",
        "entries-INITIAL_FORMS": "0",
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
        "entries-0-product": str(first.pk),
        "entries-0-position": "2",
        "entries-1-product": str(second.pk),
        "entries-1-position": "1",
    }
    response = as_("manager").post("/admin/catalog/collection/add/", data)
    assert response.status_code == 302, text(response)[:3000]
    with schema_context("alpha"):
        collection = Collection.objects.get()
        assert list(collection.entries.values_list("product__name_en", flat=True)) == ["Second", "First"]


def test_the_shop_settings_refuse_a_currency_in_use_on_its_field(as_, people):
    with schema_context("alpha"):
        services.update_shop_settings(actor=people["manager"], currencies=["EUR"])
        product = make_product(name="Tea")
        services.set_prices(
            actor=people["manager"],
            variant=product.variants.get(),
            prices=[{"currency": "EUR", "amount": 100}],
        )
    manager = as_("manager")
    response = manager.get("/admin/catalog/shopsettings/")
    assert response.status_code == 302
    url = response["Location"]
    refused = manager.post(url, {"default_currency": "USD", "currencies": ""})
    assert refused.status_code == 200
    assert "Products are priced in EUR" in text(refused)
    response = manager.post(url, {"default_currency": "USD", "currencies": "EUR,GBP"})
    assert response.status_code == 302, text(response)[:3000]
    with schema_context("alpha"):
        assert services.currencies() == ["USD", "EUR", "GBP"]


def test_the_dashboard_counts_products_by_status(as_):
    with schema_context("alpha"):
        actor = make_manager()
        make_product(actor=actor, name="Live", status="active")
        make_product(actor=actor, name="Draft")
    page = text(as_("manager").get("/admin/"))
    assert 'id="panel-products"' in page
    assert "Active: 1" in page and "Draft: 1" in page


def test_product_and_category_pages_render_for_a_manager(as_, shirt_type):
    with schema_context("alpha"):
        product = make_product(name="Tea", product_type=shirt_type)
        category = services.create_category(actor=make_manager(), texts={"en": {"name": "Tea"}})
        variant = product.variants.get()
    manager = as_("manager")
    for url in (
        f"{PRODUCTS}{product.pk}/change/",
        f"/admin/catalog/variant/{variant.pk}/change/",
        f"/admin/catalog/productcategory/{category.pk}/change/",
        "/admin/catalog/producttype/add/",
        "/admin/catalog/attribute/add/",
        "/admin/catalog/collection/add/",
        "/admin/catalog/taxclass/",
        "/admin/catalog/variant/",
    ):
        assert manager.get(url).status_code == 200, url


# --- images ----------------------------------------------------------------------------------------


def gallery_form(product, rows, *, initial=0) -> dict:
    """The product's page as posted, unchanged but for its gallery's rows."""
    data = product_form(product.product_type, initial=0, name_en=str(product), slug_en=product.slug_en)
    data.update(
        {"images-TOTAL_FORMS": str(len(rows)), "images-INITIAL_FORMS": str(initial)},
    )
    for number, row in enumerate(rows):
        defaults = {"alt_en": "", "alt_ru": "", "position": ""}
        data.update({f"images-{number}-{key}": value for key, value in {**defaults, **row}.items()})
    return data


def gallery_of(product) -> list[tuple[str, str]]:
    with schema_context("alpha"):
        found = product.images.order_by("position").values_list("alt_en", "alt_ru")
        return [(en or "", ru or "") for en, ru in found]


def test_a_manager_uploads_several_images_with_alt_text_in_their_positions(as_):
    with schema_context("alpha"):
        product = make_product(name="Tea")
    rows = [
        {"image": image_upload(name="b.png"), "alt_en": "Tin", "alt_ru": "Банка", "position": "2"},
        {"image": image_upload(name="a.jpg", fmt="JPEG"), "alt_en": "Cup", "position": "1"},
        {},  # an extra row left empty
    ]
    response = as_("manager").post(f"{PRODUCTS}{product.pk}/change/", gallery_form(product, rows))
    assert response.status_code == 302, text(response)[:3000]
    assert gallery_of(product) == [("Cup", ""), ("Tin", "Банка")]
    with schema_context("alpha"):
        assert list(product.images.values_list("position", flat=True)) == [0, 1]
        assert all(image.image.name.startswith("catalog/products/") for image in product.images.all())


def test_alt_text_order_and_deletion_are_changed_through_the_services(as_):
    with schema_context("alpha"):
        actor = make_manager()
        product = make_product(actor=actor, name="Tea")
        first, second, third = (
            services.add_product_image(
                actor=actor, product=product, upload=image_upload(), texts={"en": {"alt": name}}
            )
            for name in ("One", "Two", "Three")
        )
        before = OutboxEvent.objects.count()
    rows = [
        {"id": str(first.pk), "product": str(product.pk), "alt_en": "One", "position": "5"},
        {"id": str(second.pk), "product": str(product.pk), "alt_en": "Second", "position": "1"},
        {"id": str(third.pk), "product": str(product.pk), "alt_en": "Three", "position": "2", "DELETE": "on"},
    ]
    response = as_("manager").post(f"{PRODUCTS}{product.pk}/change/", gallery_form(product, rows, initial=3))
    assert response.status_code == 302, text(response)[:3000]
    assert gallery_of(product) == [("Second", ""), ("One", "")]
    with schema_context("alpha"):
        changed = OutboxEvent.objects.filter(pk__gt=0, type="catalog.product.updated").order_by("-id")
        assert OutboxEvent.objects.count() > before
        assert changed.first().payload["changed"] == ["images"]


def test_the_page_of_a_product_with_images_sends_files_and_puts_new_ones_last(as_):
    with schema_context("alpha"):
        actor = make_manager()
        product = make_product(actor=actor, name="Tea")
        old = services.add_product_image(actor=actor, product=product, upload=image_upload())
    page = text(as_("manager").get(f"{PRODUCTS}{product.pk}/change/"))
    assert 'enctype="multipart/form-data"' in page
    assert 'name="images-1-position"' in page and 'name="images-1-position" value="0"' not in page
    response = as_("manager").post(
        f"{PRODUCTS}{product.pk}/change/",
        gallery_form(
            product,
            [
                {
                    "id": str(old.pk),
                    "product": str(product.pk),
                    "alt_en": "Old",
                    "position": "0",
                },
                {"image": image_upload(name="new.png"), "alt_en": "New"},
            ],
            initial=1,
        ),
    )
    assert response.status_code == 302, text(response)[:3000]
    assert gallery_of(product) == [("Old", ""), ("New", "")]


def test_a_file_that_is_not_an_image_is_refused_on_its_row_and_nothing_is_written(as_, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with schema_context("alpha"):
        product = make_product(name="Tea")
        before = OutboxEvent.objects.count()
    rows = [
        {"image": image_upload(name="fine.png"), "alt_en": "Fine"},
        {
            "image": SimpleUploadedFile("notes.png", b"not a picture", content_type="image/png"),
            "alt_en": "No",
        },
    ]
    response = as_("manager").post(f"{PRODUCTS}{product.pk}/change/", gallery_form(product, rows))
    errors = form_errors(response, "images-1")
    assert errors["image"] == ["notes.png: The file is not an image that can be read."]
    assert gallery_of(product) == []
    with schema_context("alpha"):
        assert OutboxEvent.objects.count() == before
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []  # the first file went too


def test_an_editor_may_not_post_images(as_, people):
    with schema_context("alpha"):
        product = make_product(name="Tea")
    rows = [{"image": image_upload(name="a.png"), "alt_en": "A"}]
    response = as_("editor").post(f"{PRODUCTS}{product.pk}/change/", gallery_form(product, rows))
    assert response.status_code == 403
    assert gallery_of(product) == []


def test_the_list_shows_the_first_images_smallest_webp_rendition_else_the_original(as_, settings):
    settings.IMAGE_RENDITION_WIDTHS = (320, 640)
    with schema_context("alpha"):
        actor = make_manager()
        made = make_product(actor=actor, name="Made")
        plain = make_product(actor=actor, name="Plain")
        image = services.add_product_image(actor=actor, product=made, upload=image_upload(size=(1000, 600)))
        services.add_product_image(actor=actor, product=made, upload=image_upload(size=(1000, 600)))
        selectors.pictures_of(made, make=True)  # what the projection does in the worker
        original = services.add_product_image(actor=actor, product=plain, upload=image_upload())
        small, kept = image.image.url + ".320w.webp", original.image.url
    page = text(as_("manager").get(PRODUCTS))
    assert f'src="{small}"' in page and f'src="{kept}"' in page
    assert page.count('<img class="rustok-thumb"') == 2


@pytest.mark.parametrize("count", [5, 30])
def test_the_product_list_with_thumbnails_costs_the_same_for_5_and_30(
    as_, count, django_assert_max_num_queries
):
    make_products(count)
    with schema_context("alpha"):
        actor = make_manager()
        for product in Product.objects.all():
            for _ in range(2):
                services.add_product_image(actor=actor, product=product, upload=image_upload())
    manager = as_("manager")
    manager.get(PRODUCTS)
    with django_assert_max_num_queries(16):
        response = manager.get(PRODUCTS)
    assert text(response).count('<img class="rustok-thumb"') == count


def test_a_category_and_a_collection_get_their_image_through_the_services(as_, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with schema_context("alpha"):
        category = services.create_category(actor=people["manager"], texts={"en": {"name": "Tea"}})
    url = f"/admin/catalog/productcategory/{category.pk}/change/"
    data = {
        **{f"{field}_{code}": "" for field in ("name", "slug", "description") for code in LANGUAGES},
        "name_en": "Tea",
        "slug_en": category.slug_en,
        "parent": "",
        "position": "0",
    }
    manager = as_("manager")
    refused = manager.post(url, {**data, "image": SimpleUploadedFile("a.gif", b"GIF89a nonsense")})
    assert form_errors(refused)["image"] == ["The file is not an image that can be read."]
    response = manager.post(url, {**data, "image": image_upload(name="tea.png")})
    assert response.status_code == 302, text(response)[:3000]
    with schema_context("alpha"):
        category.refresh_from_db()
        assert category.image.name.startswith("catalog/categories/")
        assert OutboxEvent.objects.filter(type="catalog.category.updated").exists()
    response = manager.post(url, {**data, "image-clear": "on"})
    assert response.status_code == 302, text(response)[:3000]
    with schema_context("alpha"):
        category.refresh_from_db()
        assert not category.image

    collection_data = {
        **{f"{field}_{code}": "" for field in ("name", "slug", "description") for code in LANGUAGES},
        "name_en": "Staff picks",
        "published_from_0": "",
        "published_from_1": "",
        "published_until_0": "",
        "published_until_1": "",
        "entries-TOTAL_FORMS": "0",
        "entries-INITIAL_FORMS": "0",
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
        "image": image_upload(name="picks.png"),
    }
    response = manager.post("/admin/catalog/collection/add/", collection_data)
    assert response.status_code == 302, text(response)[:3000]
    with schema_context("alpha"):
        assert Collection.objects.get().image.name.startswith("catalog/collections/")


# --- tax classes -----------------------------------------------------------------------------------

TAXES = "/admin/catalog/taxclass/"


def test_a_manager_adds_and_renames_a_tax_class_through_the_services(as_):
    manager = as_("manager")
    response = manager.post(f"{TAXES}add/", {"name_en": "Reduced", "name_ru": "Льготная", "slug": "reduced"})
    assert response.status_code == 302, text(response)[:3000]
    with schema_context("alpha"):
        reduced = TaxClass.objects.get()
        assert (reduced.slug, reduced.name_ru) == ("reduced", "Льготная")
        assert OutboxEvent.objects.filter(type="catalog.tax_class.changed").count() == 1
    response = manager.post(f"{TAXES}{reduced.pk}/change/", {"name_en": "Low", "name_ru": "", "slug": "low"})
    assert response.status_code == 302, text(response)[:3000]
    with schema_context("alpha"):
        assert TaxClass.objects.get().slug == "low"


def test_a_taken_slug_is_refused_on_its_field_and_nothing_is_written(as_, people):
    with schema_context("alpha"):
        services.create_tax_class(actor=people["manager"], slug="standard")
    response = as_("manager").post(f"{TAXES}add/", {"name_en": "Other", "name_ru": "", "slug": "standard"})
    assert form_errors(response)["slug"] == ["Another tax class has this slug."]
    with schema_context("alpha"):
        assert TaxClass.objects.count() == 1


def test_a_tax_class_in_use_is_not_deleted_and_the_page_says_why(as_, people):
    with schema_context("alpha"):
        standard = services.create_tax_class(actor=people["manager"], slug="standard")
        make_product(actor=people["manager"], tax_class=standard)
    response = as_("manager").post(f"{TAXES}{standard.pk}/delete/", {"post": "yes"}, follow=True)
    assert "1 product has this tax class" in text(response)
    with schema_context("alpha"):
        assert TaxClass.objects.filter(pk=standard.pk).exists()


def test_an_editor_may_not_add_a_tax_class(as_):
    assert as_("editor").post(f"{TAXES}add/", {"name_en": "X", "slug": "x"}).status_code == 403
    with schema_context("alpha"):
        assert not TaxClass.objects.exists()


# --- bulk actions ----------------------------------------------------------------------------------


def bulk(manager, action: str, ids, **fields):
    return manager.post(PRODUCTS, {"action": action, "_selected_action": ids, **fields}, follow=True)


def test_the_transition_actions_name_each_refused_product_and_why(as_):
    with schema_context("alpha"):
        actor = make_manager()
        archived = make_product(actor=actor, name="Old", status="archived")
        fine = make_product(actor=actor, name="Fine")
    page = text(bulk(as_("manager"), "activate_selected", [archived.pk, fine.pk]))
    assert "“Old”: it is archived; only Take out of the archive is possible." in page
    with schema_context("alpha"):
        assert Product.objects.get(pk=fine.pk).status == Status.DRAFT


def test_prices_change_by_a_percentage_after_the_form_asks_how(as_, people):
    with schema_context("alpha"):
        services.update_shop_settings(actor=people["manager"], currencies=["EUR"])
        product = make_product(name="Tea", prices=[{"currency": "USD", "amount": 1000}])
        variant = product.variants.get()
        services.set_prices(
            actor=people["manager"], variant=variant, prices=[{"currency": "EUR", "amount": 2000}]
        )
    manager = as_("manager")
    asked = bulk(manager, "change_prices", [product.pk])
    page = text(asked)
    assert 'name="percent"' in page and 'value="compare_at_amount"' in page and "“Tea”" in page
    assert f'name="_selected_action" value="{product.pk}"' in page
    done = bulk(
        manager, "change_prices", [product.pk], apply="1", percent="12.5", currency="USD", field="amount"
    )
    assert "1 product repriced." in text(done)
    with schema_context("alpha"):
        assert dict(variant.prices.values_list("currency", "amount")) == {"USD": 1125, "EUR": 2000}


@pytest.mark.parametrize(
    ("percent", "message"), [("-100", "above -100"), ("0", "not zero"), ("1.234", "two")]
)
def test_a_bad_percentage_comes_back_on_its_field_and_nothing_changes(as_, percent, message):
    with schema_context("alpha"):
        product = make_product(name="Tea")
        before = OutboxEvent.objects.count()
    response = bulk(
        as_("manager"), "change_prices", [product.pk], apply="1", percent=percent, currency="", field="amount"
    )
    errors = response.context["form"].errors["percent"]
    assert any(message in error.lower() for error in errors), errors
    with schema_context("alpha"):
        assert Price.objects.get().amount == 1250 and OutboxEvent.objects.count() == before


def test_products_are_put_in_and_taken_out_of_a_category_and_a_collection(as_, people):
    with schema_context("alpha"):
        actor = people["manager"]
        teas = [make_product(actor=actor, name=f"Tea {n}") for n in range(3)]
        green = services.create_category(actor=actor, texts={"en": {"name": "Green"}})
        picks = services.create_collection(actor=actor, texts={"en": {"name": "Picks"}})
    ids = [tea.pk for tea in teas]
    manager = as_("manager")
    assert 'name="category"' in text(bulk(manager, "add_to_category", ids))
    assert "3 products put in the category." in text(
        bulk(manager, "add_to_category", ids, apply="1", category=green.pk)
    )
    assert "3 products added to the collection." in text(
        bulk(manager, "add_to_collection", ids, apply="1", collection=picks.pk)
    )
    page = text(bulk(manager, "remove_from_category", ids[:1], apply="1", category=green.pk))
    assert "1 product taken out of the category." in page
    page = text(bulk(manager, "remove_from_collection", ids[1:], apply="1", collection=picks.pk))
    assert "2 products taken out of the collection." in page
    with schema_context("alpha"):
        assert sorted(green.products.values_list("pk", flat=True)) == ids[1:]
        assert list(picks.entries.values_list("product_id", flat=True)) == ids[:1]


def test_no_category_chosen_is_a_form_error(as_):
    with schema_context("alpha"):
        product = make_product(name="Tea")
    response = bulk(as_("manager"), "add_to_category", [product.pk], apply="1", category="")
    assert "category" in response.context["form"].errors


def test_more_than_the_cap_is_refused_with_a_clear_message(as_, monkeypatch):
    from apps.catalog.services import bulk as bulk_services

    monkeypatch.setattr(bulk_services, "MAX_PRODUCTS", 2)
    monkeypatch.setattr(services, "MAX_PRODUCTS", 2)
    with schema_context("alpha"):
        actor = make_manager()
        ids = [make_product(actor=actor, name=f"Tea {n}").pk for n in range(3)]
    page = text(bulk(as_("manager"), "archive_selected", ids))
    assert "at most 2 products can be changed at once and 3 are selected" in page
    with schema_context("alpha"):
        assert set(Product.objects.values_list("status", flat=True)) == {Status.DRAFT}


def test_an_editor_may_not_run_a_bulk_action(as_):
    with schema_context("alpha"):
        product = make_product(name="Tea")
    response = as_("editor").post(
        PRODUCTS, {"action": "change_prices", "_selected_action": [product.pk], "apply": "1", "percent": "10"}
    )
    assert response.status_code == 403
    with schema_context("alpha"):
        assert Price.objects.get().amount == 1250
