"""REST: /api/v1/catalog/ as shoppers, customers, managers and admins use it."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.catalog import services
from apps.catalog.models import Price, Product, Variant
from apps.core.services import set_module_enabled
from apps.events.models import OutboxEvent
from tests.accounts.factories import EditorFactory, SiteAdminFactory, UserFactory
from tests.catalog.factories import make_attribute, make_product, make_product_type
from tests.conftest import problem_of, signed_in
from tests.inventory.factories import StockLocationFactory, stock

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/catalog/products/"
VARIANTS = "/api/v1/catalog/variants/"
JSON = "application/json"


@pytest.fixture
def people(tenant_a):
    with schema_context("alpha"):
        from tests.catalog.factories import manager

        return {
            "manager": manager(),
            "admin": SiteAdminFactory(),
            "customer": UserFactory(),
            "editor": EditorFactory(),
        }


@pytest.fixture
def as_(tenant_a, people):
    return lambda who: signed_in(tenant_a, people[who], reader=True)


@pytest.fixture
def shirts(people):
    """A draft, an active and an archived shirt; the active one has a cost price."""
    with schema_context("alpha"):
        actor = people["manager"]
        draft = make_product(actor=actor, name="Draft shirt")
        active = make_product(
            actor=actor,
            name="Live shirt",
            status="active",
            prices=[{"currency": "USD", "amount": 1250, "cost_amount": 400}],
        )
        archived = make_product(actor=actor, name="Old shirt", status="archived")
    return {"draft": draft, "active": active, "archived": archived}


def variant_of(product) -> Variant:
    with schema_context("alpha"):
        return product.variants.get()


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(product["name"] for product in response.json()["results"])


def fields_of(response) -> set[str]:
    return {error["field"] for error in problem_of(response)["errors"]}


# --- reading --------------------------------------------------------------------------------------


def test_readers_see_active_products_only_without_cost_prices(reader_a, as_, shirts):
    for client in (reader_a, as_("customer"), as_("editor")):
        body = client.get(PRODUCTS).json()
        assert [p["name"] for p in body["results"]] == ["Live shirt"]
        [product] = body["results"]
        assert product["price"] == {"currency": "USD", "min": 1250, "max": 1250, "formatted": "$12.50"}
        assert product["variants"] is None  # lists leave them to the product page
    page = reader_a.get(f"{PRODUCTS}{shirts['active'].pk}/").json()
    [variant] = page["variants"]
    assert variant["prices"] == [
        {
            "currency": "USD",
            "amount": 1250,
            "compare_at_amount": None,
            "cost_amount": None,
            "formatted": "$12.50",
        }
    ]
    assert (variant["in_stock"], variant["available"]) == (False, None)  # none received yet


def test_drafts_and_archived_products_are_404_for_readers_by_id_and_slug(reader_a, shirts):
    for state in ("draft", "archived"):
        product = shirts[state]
        assert problem_of(reader_a.get(f"{PRODUCTS}{product.pk}/"), 404)["code"] == "not_found"
        assert reader_a.get(f"{PRODUCTS}by-slug/{product.slug}/").status_code == 404
    found = reader_a.get(f"{PRODUCTS}by-slug/live-shirt/")
    assert found.json()["id"] == shirts["active"].pk


def test_managers_see_every_status_with_cost_prices_and_stock_counts(as_, shirts):
    manager = as_("manager")
    assert names(manager.get(PRODUCTS)) == ["Draft shirt", "Live shirt", "Old shirt"]
    assert names(manager.get(PRODUCTS, {"status": "draft"})) == ["Draft shirt"]
    page = manager.get(f"{PRODUCTS}{shirts['draft'].pk}/").json()
    assert page["status"] == "draft"
    assert page["allowed_transitions"] == ["activate", "archive"]
    live = manager.get(f"{PRODUCTS}{shirts['active'].pk}/").json()
    assert live["variants"][0]["prices"][0]["cost_amount"] == 400
    assert manager.get(f"{PRODUCTS}by-slug/draft-shirt/").json()["id"] == shirts["draft"].pk


def test_customers_cannot_read_a_variant_on_its_own(as_, shirts):
    variant = variant_of(shirts["active"])
    assert problem_of(as_("customer").get(f"{VARIANTS}{variant.pk}/"), 403)["code"] == "permission_denied"
    assert as_("manager").get(f"{VARIANTS}{variant.pk}/").json()["prices"][0]["cost_amount"] == 400


# --- filters --------------------------------------------------------------------------------------


@pytest.fixture
def shelf(people):
    """Tea (cheap, in category Drinks > Tea, collection Picks, colour green, in stock) and coffee
    (dear, in Drinks, colour black, none in stock); both active."""
    with schema_context("alpha"):
        actor = people["manager"]
        colour = make_attribute(
            actor=actor,
            slug="colour",
            filterable=True,
            choices=[{"slug": "green"}, {"slug": "black"}],
        )
        kind = make_product_type(
            actor=actor, slug="drink", has_variants=False, attributes=[(colour, "product")]
        )
        drinks = services.create_category(actor=actor, texts={"en": {"name": "Drinks"}})
        tea_category = services.create_category(actor=actor, texts={"en": {"name": "Tea"}}, parent=drinks)
        tea = make_product(
            actor=actor,
            name="Tea",
            product_type=kind,
            status="active",
            categories=[tea_category],
            attributes={"colour": "green"},
            prices=[{"currency": "USD", "amount": 300}],
        )
        coffee = make_product(
            actor=actor,
            name="Coffee",
            product_type=kind,
            status="active",
            categories=[drinks],
            attributes={"colour": "black"},
            prices=[{"currency": "USD", "amount": 900}],
        )
        picks = services.create_collection(actor=actor, texts={"en": {"name": "Picks"}}, products=[tea])
        stock(tea.variants.get(), StockLocationFactory(), 5, actor=actor)
    return {"drinks": drinks, "tea": tea_category, "picks": picks, "products": (tea, coffee)}


@pytest.mark.parametrize("who", ["reader", "manager"])
def test_readers_and_managers_filter_alike(reader_a, as_, shelf, who):
    client = reader_a if who == "reader" else as_("manager")
    drinks, tea = shelf["drinks"].pk, shelf["tea"].pk
    assert names(client.get(PRODUCTS, {"category": drinks})) == ["Coffee", "Tea"]  # subcategories too
    assert names(client.get(PRODUCTS, {"category": tea})) == ["Tea"]
    assert names(client.get(PRODUCTS, {"collection": shelf["picks"].pk})) == ["Tea"]
    assert names(client.get(PRODUCTS, {"price_min": 500})) == ["Coffee"]
    assert names(client.get(PRODUCTS, {"price_max": 300})) == ["Tea"]
    assert names(client.get(PRODUCTS, {"product_type": "drink"})) == ["Coffee", "Tea"]
    assert names(client.get(PRODUCTS, {"attribute.colour": "green"})) == ["Tea"]
    assert names(client.get(f"{PRODUCTS}?attribute.colour=green&attribute.colour=black")) == ["Coffee", "Tea"]
    assert names(client.get(PRODUCTS, {"in_stock": "true"})) == ["Tea"]
    assert names(client.get(PRODUCTS, {"in_stock": "false"})) == ["Coffee"]
    ordered = client.get(PRODUCTS, {"ordering": "-price", "category": drinks}).json()["results"]
    assert [p["name"] for p in ordered] == ["Coffee", "Tea"]
    ordered = client.get(PRODUCTS, {"ordering": "name", "category": drinks}).json()["results"]
    assert [p["name"] for p in ordered] == ["Coffee", "Tea"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"price_min": "-1"}, "price_min"),
        ({"price_max": "1.5"}, "price_max"),
        ({"category": "tea"}, "category"),
        ({"ordering": "cheapest"}, "ordering"),
        ({"status": "sold"}, "status"),
        ({"attribute.bad slug": "x"}, "attribute.bad slug"),
        ({"attribute.colour": ""}, "attribute.colour"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(reader_a, shelf, params, field):
    assert fields_of(reader_a.get(PRODUCTS, params)) == {field}


# --- writing --------------------------------------------------------------------------------------


def test_a_manager_creates_a_product_adds_a_variant_and_activates_it(as_, people):
    with schema_context("alpha"):
        shirt = make_product_type(actor=people["manager"], slug="shirt")
    manager = as_("manager")
    created = manager.post(
        PRODUCTS,
        {
            "product_type": shirt.pk,
            "name": "Linen shirt",
            "translations": {"ru": {"name": "Льняная рубашка"}},
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    product = created.json()
    assert (product["status"], product["slug"], product["translations"]["ru"]["slug"]) == (
        "draft",
        "linen-shirt",
        "льняная-рубашка",
    )
    variant = manager.post(
        f"{PRODUCTS}{product['id']}/variants/",
        {
            "sku": "LIN-M",
            "attributes": {"size": "m"},
            "prices": [{"currency": "USD", "amount": 4900, "cost_amount": 1500}],
        },
        content_type=JSON,
    )
    assert variant.status_code == 201, variant.content
    assert variant.json()["options"] == {"size": "m"}
    assert variant.json()["prices"][0]["formatted"] == "$49.00"
    activated = manager.post(f"{PRODUCTS}{product['id']}/activate/")
    assert activated.json()["status"] == "active"
    assert activated.json()["price"]["min"] == 4900


def test_an_illegal_transition_is_a_409_naming_the_allowed_ones(as_, shirts):
    body = problem_of(as_("manager").post(f"{PRODUCTS}{shirts['archived'].pk}/activate/"), 409)
    assert (body["code"], body["allowed"]) == ("transition_not_allowed", ["unarchive"])


def test_activating_without_a_default_price_is_a_409_naming_the_skus(as_, people):
    with schema_context("alpha"):
        product = make_product(actor=people["manager"], prices=[])
    body = problem_of(as_("manager").post(f"{PRODUCTS}{product.pk}/activate/"), 409)
    assert (body["reason"], body["currency"]) == ("price_required", "USD")


def test_prices_are_set_per_currency_and_null_removes_one(as_, people, shirts):
    with schema_context("alpha"):
        services.update_shop_settings(actor=people["manager"], currencies=["EUR"])
    variant = variant_of(shirts["draft"])
    manager = as_("manager")
    answer = manager.put(
        f"{VARIANTS}{variant.pk}/prices/",
        {"prices": [{"currency": "EUR", "amount": 1100}, {"currency": "USD", "amount": 1300}]},
        content_type=JSON,
    )
    assert answer.status_code == 200, answer.content
    assert {p["currency"]: p["amount"] for p in answer.json()["prices"]} == {"EUR": 1100, "USD": 1300}
    answer = manager.put(
        f"{VARIANTS}{variant.pk}/prices/",
        {"prices": [{"currency": "EUR", "amount": None}]},
        content_type=JSON,
    )
    assert [p["currency"] for p in answer.json()["prices"]] == ["USD"]


def test_bad_product_input_names_each_field_and_writes_nothing(as_, people, shirts):
    with schema_context("alpha"):
        before = Product.objects.count(), OutboxEvent.objects.count()
        shirt_type = shirts["draft"].product_type_id
    manager = as_("manager")
    cases = [
        ({"name": "No type"}, "product_type"),
        ({"product_type": shirt_type}, "name"),
        ({"product_type": shirt_type, "name": "X", "slug": "live-shirt"}, "slug"),
        (
            {"product_type": shirt_type, "name": "X", "translations": {"ru": {"name": "Y", "slug": "a b"}}},
            "translations.ru.slug",
        ),
        ({"product_type": shirt_type, "name": "X", "weight_grams": 1.5}, "weight_grams"),
        ({"product_type": shirt_type, "name": "X", "weight_grams": -1}, "weight_grams"),
        ({"product_type": shirt_type, "name": "X", "categories": [999999]}, "categories"),
        ({"product_type": shirt_type, "name": "X", "tax_class": "nope"}, "tax_class"),
        ({"product_type": shirt_type, "name": "X", "status": "active"}, "status"),
        ({"product_type": shirt_type, "name": "X", "attributes": {"size": "m"}}, "attributes.size"),
    ]
    for payload, field in cases:
        response = manager.post(PRODUCTS, payload, content_type=JSON)
        assert field in fields_of(response), (payload, response.content)
    with schema_context("alpha"):
        assert (Product.objects.count(), OutboxEvent.objects.count()) == before


def test_bad_variant_input_names_each_field_and_writes_nothing(as_, people, shirts):
    product = shirts["draft"]
    taken = variant_of(shirts["active"]).sku
    with schema_context("alpha"):
        before = Variant.objects.count(), Price.objects.count(), OutboxEvent.objects.count()
    cases = [
        ({"sku": taken, "attributes": {"size": "s"}}, "sku"),
        ({"sku": "N-1", "attributes": {"size": "xxl"}}, "attributes.size"),
        ({"sku": "N-1", "attributes": {"size": 3}}, "attributes.size"),
        (
            {"sku": "N-1", "attributes": {"size": "s"}, "prices": [{"currency": "USD", "amount": -5}]},
            "prices.0.amount",
        ),
        (
            {"sku": "N-1", "attributes": {"size": "s"}, "prices": [{"currency": "USD", "amount": 12.5}]},
            "prices.0.amount",
        ),
        (
            {"sku": "N-1", "attributes": {"size": "s"}, "prices": [{"currency": "USD", "amount": "1250"}]},
            "prices.0.amount",
        ),
        (
            {"sku": "N-1", "attributes": {"size": "s"}, "prices": [{"currency": "ZZZ", "amount": 5}]},
            "prices.0.currency",
        ),
        (
            {"sku": "N-1", "attributes": {"size": "s"}, "prices": [{"currency": "JPY", "amount": 5}]},
            "prices.0.currency",
        ),
        (
            {
                "sku": "N-1",
                "attributes": {"size": "s"},
                "prices": [{"currency": "USD", "amount": 5, "cost_amount": -1}],
            },
            "prices.0.cost_amount",
        ),
        ({"sku": "N-1", "attributes": {"size": "m"}}, "attributes"),  # the draft's variant is size M
    ]
    for payload, field in cases:
        response = as_("manager").post(f"{PRODUCTS}{product.pk}/variants/", payload, content_type=JSON)
        assert field in fields_of(response), (payload, response.content)
    with schema_context("alpha"):
        assert (Variant.objects.count(), Price.objects.count(), OutboxEvent.objects.count()) == before


def test_the_last_variant_of_an_active_product_stays(as_, shirts):
    variant = variant_of(shirts["active"])
    body = problem_of(as_("manager").delete(f"{VARIANTS}{variant.pk}/"), 409)
    assert body["reason"] == "last_variant"


def test_customers_and_editors_cannot_write_the_catalogue(as_, shirts):
    for who in ("customer", "editor"):
        response = as_(who).patch(f"{PRODUCTS}{shirts['active'].pk}/", {"name": "Mine"}, content_type=JSON)
        assert problem_of(response, 403)["permission"] == "catalog.manage_catalog"


# --- the rest of the catalogue --------------------------------------------------------------------


def test_attributes_with_choices_and_types_are_written_and_read(as_, reader_a):
    manager = as_("manager")
    made = manager.post(
        "/api/v1/catalog/attributes/",
        {
            "slug": "fit",
            "input_type": "choice",
            "name": "Fit",
            "choices": [{"slug": "slim", "name": "Slim"}, {"slug": "loose"}],
        },
        content_type=JSON,
    )
    assert made.status_code == 201, made.content
    assert [c["slug"] for c in made.json()["choices"]] == ["slim", "loose"]
    typed = manager.post(
        "/api/v1/catalog/product-types/",
        {"slug": "trousers", "name": "Trousers", "attributes": [{"attribute": "fit", "level": "variant"}]},
        content_type=JSON,
    )
    assert typed.status_code == 201, typed.content
    assert typed.json()["attributes"] == [{"attribute": "fit", "level": "variant"}]
    assert reader_a.get("/api/v1/catalog/product-types/").json()["results"][0]["slug"] == "trousers"
    bad = manager.post(
        "/api/v1/catalog/attributes/",
        {"slug": "shade", "input_type": "swatch", "choices": [{"slug": "red", "color": "red"}]},
        content_type=JSON,
    )
    assert fields_of(bad) == {"choices.0.color"}


def test_categories_give_their_tree(as_, reader_a):
    manager = as_("manager")
    top = manager.post("/api/v1/catalog/categories/", {"name": "Clothes"}, content_type=JSON).json()
    child = manager.post(
        "/api/v1/catalog/categories/", {"name": "Shirts", "parent": top["id"]}, content_type=JSON
    ).json()
    listed = {c["id"]: c for c in reader_a.get("/api/v1/catalog/categories/").json()["results"]}
    assert (listed[top["id"]]["children"], listed[child["id"]]["parent"]) == ([child["id"]], top["id"])
    refused = manager.delete(f"/api/v1/catalog/categories/{top['id']}/")
    assert problem_of(refused, 409)["reason"] == "has_children"


def test_readers_see_collections_in_their_window_with_active_products_only(as_, reader_a, shirts):
    manager = as_("manager")
    ids = [shirts["draft"].pk, shirts["active"].pk]
    shown = manager.post("/api/v1/catalog/collections/", {"name": "Now", "products": ids}, content_type=JSON)
    assert shown.json()["products"] == ids
    later = manager.post(
        "/api/v1/catalog/collections/",
        {"name": "Later", "published_from": "2099-01-01T00:00:00Z"},
        content_type=JSON,
    ).json()
    [listed] = reader_a.get("/api/v1/catalog/collections/").json()["results"]
    assert (listed["name"], listed["products"]) == ("Now", [shirts["active"].pk])
    assert reader_a.get(f"/api/v1/catalog/collections/{later['id']}/").status_code == 404
    backwards = manager.patch(
        f"/api/v1/catalog/collections/{later['id']}/",
        {"published_until": "2098-01-01T00:00:00Z"},
        content_type=JSON,
    )
    assert fields_of(backwards) == {"published_until"}


def test_tax_classes_and_shop_settings(as_, reader_a):
    manager = as_("manager")
    made = manager.post(
        "/api/v1/catalog/tax-classes/", {"slug": "reduced", "name": "Reduced"}, content_type=JSON
    )
    assert made.status_code == 201, made.content
    assert reader_a.get("/api/v1/catalog/tax-classes/").json()["results"][0]["slug"] == "reduced"
    assert reader_a.get("/api/v1/catalog/settings/").json() == {
        "default_currency": "USD",
        "currencies": [],
        "all_currencies": ["USD"],
    }
    changed = manager.patch("/api/v1/catalog/settings/", {"currencies": ["eur", "GBP"]}, content_type=JSON)
    assert changed.json()["all_currencies"] == ["USD", "EUR", "GBP"]
    assert fields_of(
        manager.patch("/api/v1/catalog/settings/", {"currencies": ["EURO"]}, content_type=JSON)
    ) == {"currencies"}
    assert problem_of(reader_a.patch("/api/v1/catalog/settings/", {}, content_type=JSON), 401)


# --- the module and the site ----------------------------------------------------------------------


def test_every_route_is_404_module_disabled_when_the_catalogue_is_off(tenant_a, as_, shirts):
    set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs inventory
    set_module_enabled(tenant=tenant_a, module="inventory", enabled=False)
    set_module_enabled(tenant=tenant_a, module="orders", enabled=False)  # it needs catalog
    set_module_enabled(tenant=tenant_a, module="catalog", enabled=False)
    manager = as_("manager")
    for path in (
        PRODUCTS,
        f"{PRODUCTS}{shirts['active'].pk}/",
        "/api/v1/catalog/settings/",
        "/api/v1/catalog/attributes/",
    ):
        body = problem_of(manager.get(path), 404)
        assert (body["code"], body["module"]) == ("module_disabled", "catalog")
    assert problem_of(manager.post(PRODUCTS, {}, content_type=JSON), 404)["code"] == "module_disabled"


def test_another_sites_products_are_not_found_here(tenant_b, as_, people):
    with schema_context("beta"):
        from tests.catalog.factories import manager

        theirs = make_product(actor=manager(), name="Beta shirt", status="active")
        variant = theirs.variants.get()
    client = as_("manager")
    assert client.get(f"{PRODUCTS}{theirs.pk}/").status_code == 404
    assert client.get(f"{VARIANTS}{variant.pk}/").status_code == 404
    assert "Beta shirt" not in client.get(PRODUCTS).content.decode()


def test_a_variant_is_changed_and_its_price_formatted_in_the_request_language(as_, shirts):
    variant = variant_of(shirts["draft"])
    answer = as_("manager").patch(
        f"{VARIANTS}{variant.pk}/?lang=ru",
        {"barcode": "4006381333931", "track_inventory": False},
        content_type=JSON,
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["barcode"], body["track_inventory"], body["available"]) == ("4006381333931", False, None)
    assert body["prices"][0]["formatted"].replace("\xa0", " ") == "12,50 $"


def test_a_manager_deletes_a_product(as_, shirts):
    assert as_("manager").delete(f"{PRODUCTS}{shirts['draft'].pk}/").status_code == 204
    with schema_context("alpha"):
        assert not Product.objects.filter(pk=shirts["draft"].pk).exists()
