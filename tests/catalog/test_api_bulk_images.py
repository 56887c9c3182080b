"""Bulk actions and product images over REST and GraphQL: what succeeds, what is refused and
named, and what the bulk route costs."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.catalog import services
from apps.catalog.models import CollectionProduct, Price, Product, ProductImage
from apps.events.models import OutboxEvent
from tests.accounts.factories import EditorFactory
from tests.catalog.factories import make_product, make_product_type
from tests.catalog.factories import manager as make_manager
from tests.catalog.test_graphql import ask, data, error_of
from tests.conftest import problem_of, signed_in
from tests.site.factories import image_upload

pytestmark = pytest.mark.django_db

BASE = "/api/v1/catalog/"
BULK = f"{BASE}products/bulk/"
JSON = "application/json"
OUTBOX_INSERT = f'INSERT INTO "{OutboxEvent._meta.db_table}"'


@pytest.fixture
def people(tenant_a):
    with schema_context("alpha"):
        return {"manager": make_manager(), "editor": EditorFactory()}


@pytest.fixture
def as_(tenant_a, people):
    return lambda who: signed_in(tenant_a, people[who])


@pytest.fixture
def kind(people):
    with schema_context("alpha"):
        return make_product_type(actor=people["manager"])


def made(people, kind, count: int, **fields) -> list[Product]:
    with schema_context("alpha"):
        return [
            make_product(actor=people["manager"], product_type=kind, name=f"Item {n}", **fields)
            for n in range(count)
        ]


def fields_of(response) -> set[str]:
    return {error["field"] for error in problem_of(response)["errors"]}


def statuses(items) -> list[str]:
    with schema_context("alpha"):
        found = dict(Product.objects.filter(pk__in=[p.pk for p in items]).values_list("pk", "status"))
    return [found[p.pk] for p in items]


def post(client, path: str, body: dict):
    return client.post(path, body, content_type=JSON)


# --- bulk over REST -------------------------------------------------------------------------------


def test_a_bulk_activation_moves_every_product_and_counts_those_changed(as_, people, kind):
    items = made(people, kind, 3)
    with schema_context("alpha"):
        services.transition_product(actor=people["manager"], product=items[0], name="activate")
    response = post(as_("manager"), BULK, {"action": "activate", "products": [p.pk for p in items]})
    assert response.status_code == 200, response.content
    assert response.json() == {"products": 3, "changed": 2}
    assert statuses(items) == ["active"] * 3


def test_a_refused_bulk_activation_lists_every_product_and_writes_nothing(as_, people, kind):
    draft, archived = made(people, kind, 1) + made(people, kind, 1, status="archived")
    unpriced = made(people, kind, 1, prices=[])[0]
    ids = [draft.pk, archived.pk, unpriced.pk]
    body = problem_of(post(as_("manager"), BULK, {"action": "activate", "products": ids}), 409)
    assert body["reason"] == "products_refused" and body["transition"] == "activate"
    assert [(entry["product"], entry["reason"]) for entry in body["refused"]] == [
        (archived.pk, "transition_not_allowed"),
        (unpriced.pk, "price_required"),
    ]
    assert body["refused"][0]["allowed"] == ["unarchive"]
    assert statuses([draft, archived, unpriced]) == ["draft", "archived", "draft"]


def test_a_price_change_shows_its_rounding_in_the_answer(as_, people, kind):
    [dear] = made(people, kind, 1, prices=[{"currency": "USD", "amount": 1250}])
    [cheap] = made(people, kind, 1, prices=[{"currency": "USD", "amount": 5}])
    client = as_("manager")
    down = {"action": "change_prices", "products": [dear.pk, cheap.pk], "percent": "-10"}
    assert post(client, BULK, down).json() == {"products": 2, "changed": 1}  # 1125; 4.5 is 5: the same
    up = {"action": "change_prices", "products": [cheap.pk], "percent": 10, "currency": "USD"}
    assert post(client, BULK, up).json() == {"products": 1, "changed": 1}  # 5.5 rounds to 6
    with schema_context("alpha"):
        amounts = dict(Price.objects.values_list("variant__product_id", "amount"))
    assert amounts == {dear.pk: 1125, cheap.pk: 6}


def test_a_price_change_that_rounds_to_the_same_price_changes_nothing(as_, people, kind):
    [cheap] = made(people, kind, 1, prices=[{"currency": "USD", "amount": 5}])
    body = {"action": "change_prices", "products": [cheap.pk], "percent": "-10"}
    assert post(as_("manager"), BULK, body).json() == {"products": 1, "changed": 0}


def test_categories_and_collections_in_bulk(as_, people, kind):
    items = made(people, kind, 2)
    ids = [p.pk for p in items]
    with schema_context("alpha"):
        category = services.create_category(actor=people["manager"], texts={"en": {"name": "Sale"}})
        collection = services.create_collection(actor=people["manager"], texts={"en": {"name": "Picks"}})
    client = as_("manager")
    answer = post(client, BULK, {"action": "assign_category", "products": ids, "category": category.pk})
    assert answer.json() == {"products": 2, "changed": 2}
    answer = post(client, BULK, {"action": "add_to_collection", "products": ids, "collection": collection.pk})
    assert answer.json() == {"products": 2, "changed": 2}
    with schema_context("alpha"):
        assert sorted(category.products.values_list("pk", flat=True)) == ids
        entries = CollectionProduct.objects.filter(collection=collection).order_by("position")
        assert list(entries.values_list("product_id", flat=True)) == ids
    answer = post(client, BULK, {"action": "remove_category", "products": ids, "category": category.pk})
    assert answer.json() == {"products": 2, "changed": 2}


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"action": "explode", "products": [1]}, {"action"}),
        ({"action": "activate"}, {"products"}),
        ({"action": "activate", "products": []}, {"products"}),
        ({"action": "activate", "products": ["1"]}, {"products.0"}),
        ({"action": "activate", "products": [999999]}, {"products"}),
        ({"action": "change_prices", "products": "{pk}"}, {"percent"}),
        ({"action": "change_prices", "products": "{pk}", "percent": 0}, {"percent"}),
        ({"action": "change_prices", "products": "{pk}", "percent": "12.345"}, {"percent"}),
        ({"action": "change_prices", "products": "{pk}", "percent": 5, "field": "weight"}, {"field"}),
        ({"action": "change_prices", "products": "{pk}", "percent": 5, "currency": "XYZ"}, {"currency"}),
        ({"action": "assign_category", "products": "{pk}"}, {"category"}),
        ({"action": "assign_category", "products": "{pk}", "category": 999999}, {"category"}),
        (
            {"action": "activate", "products": "{pk}", "collection": 1, "percent": 5},
            {"collection", "percent"},
        ),
        ({"action": "archive", "products": "{pk}", "colour": "red"}, {"colour"}),
    ],
)
def test_bad_bulk_input_is_400_naming_the_fields(as_, people, kind, body, fields):
    [item] = made(people, kind, 1)
    if body.get("products") == "{pk}":
        body = {**body, "products": [item.pk]}
    assert fields_of(post(as_("manager"), BULK, body)) == fields
    assert statuses([item]) == ["draft"]


def test_editors_may_not_act_in_bulk(as_, people, kind):
    [item] = made(people, kind, 1)
    response = post(as_("editor"), BULK, {"action": "archive", "products": [item.pk]})
    assert problem_of(response, 403)["code"] == "permission_denied"
    assert statuses([item]) == ["draft"]


# --- images over REST -----------------------------------------------------------------------------


def upload(client, product_id: int, **fields):
    return client.post(f"{BASE}products/{product_id}/images/", {"image": image_upload(), **fields})


def test_an_uploaded_image_is_stored_and_listed_with_its_alt_text(as_, people, kind, media):
    [item] = made(people, kind, 1)
    client = as_("manager")
    first = upload(client, item.pk, alt="A red mug", **{"translations.ru.alt": "Красная кружка"})
    assert first.status_code == 201, first.content
    [image] = first.json()["images"]
    assert image["alt"] == "A red mug" and image["position"] == 0
    assert image["url"].startswith("http://") and "/catalog/products/" in image["url"]
    second = upload(client, item.pk, alt="First now", position="0")
    assert [each["alt"] for each in second.json()["images"]] == ["First now", "A red mug"]
    with schema_context("alpha"):
        stored = ProductImage.objects.get(pk=image["id"])
        assert stored.alt_ru == "Красная кружка"
        assert stored.image.storage.exists(stored.image.name)
    listed = as_("manager").get(f"{BASE}products/{item.pk}/").json()["images"]
    assert [each["id"] for each in listed] == [each["id"] for each in second.json()["images"]]


def test_a_file_that_is_not_an_image_is_400_naming_image(as_, people, kind, media):
    [item] = made(people, kind, 1)
    body = {"image": _text_file(), "alt": "Nope"}
    response = as_("manager").post(f"{BASE}products/{item.pk}/images/", body)
    assert fields_of(response) == {"image"}
    with schema_context("alpha"):
        assert not ProductImage.objects.exists()


def test_a_too_long_alt_text_is_named_as_sent(as_, people, kind, media):
    [item] = made(people, kind, 1)
    response = upload(as_("manager"), item.pk, **{"translations.ru.alt": "x" * 300})
    assert fields_of(response) == {"translations.ru.alt"}


def _text_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("mug.png", b"not an image at all", content_type="image/png")


@pytest.fixture
def gallery(people, kind, media):
    """A product with three images, in order."""
    [item] = made(people, kind, 1)
    with schema_context("alpha"):
        images = [
            services.add_product_image(
                actor=people["manager"],
                product=item,
                upload=image_upload(),
                texts={"en": {"alt": f"Image {n}"}},
            )
            for n in range(3)
        ]
    return item, [image.pk for image in images]


def test_images_are_reordered_changed_and_removed(as_, gallery):
    item, ids = gallery
    client = as_("manager")
    order = client.put(f"{BASE}products/{item.pk}/images/order/", {"images": ids[::-1]}, content_type=JSON)
    assert order.status_code == 200, order.content
    assert [each["id"] for each in order.json()["images"]] == ids[::-1]
    changed = client.patch(f"{BASE}images/{ids[0]}/", {"alt": "Moved", "position": 0}, content_type=JSON)
    assert changed.status_code == 200, changed.content
    first = changed.json()["images"][0]
    assert (first["id"], first["alt"]) == (ids[0], "Moved")
    assert client.delete(f"{BASE}images/{ids[1]}/").status_code == 204
    after = client.get(f"{BASE}products/{item.pk}/").json()["images"]
    assert [each["id"] for each in after] == [ids[0], ids[2]]
    assert [each["position"] for each in after] == [0, 1]


@pytest.mark.parametrize("which", ["missing", "twice", "stranger"])
def test_a_new_order_must_name_every_image_once(as_, gallery, which):
    item, ids = gallery
    given = {"missing": ids[:2], "twice": [*ids, ids[0]], "stranger": [*ids, 999999]}[which]
    response = as_("manager").put(
        f"{BASE}products/{item.pk}/images/order/", {"images": given}, content_type=JSON
    )
    assert fields_of(response) == {"images"}


def test_editors_may_not_touch_images(as_, gallery):
    _, ids = gallery
    assert problem_of(as_("editor").delete(f"{BASE}images/{ids[0]}/"), 403)["code"] == "permission_denied"


# --- GraphQL --------------------------------------------------------------------------------------

BULK_MUTATION = "mutation($input: ProductBulkInput!) { productBulk(input: $input) { products changed } }"


def test_product_bulk_over_graphql(as_, people, kind):
    items = made(people, kind, 2, prices=[{"currency": "USD", "amount": 5}])
    ids = [str(p.pk) for p in items]
    client = as_("manager")
    answer = data(client, BULK_MUTATION, input={"action": "CHANGE_PRICES", "products": ids, "percent": 10})
    assert answer["productBulk"] == {"products": 2, "changed": 2}
    answer = data(client, BULK_MUTATION, input={"action": "ACTIVATE", "products": ids})
    assert answer["productBulk"] == {"products": 2, "changed": 2}
    refused = error_of(ask(client, BULK_MUTATION, input={"action": "UNARCHIVE", "products": ids}))
    assert refused["extensions"]["code"] == "CONFLICT"
    assert refused["extensions"]["reason"] == "products_refused"
    assert [entry["product"] for entry in refused["extensions"]["refused"]] == [p.pk for p in items]
    missing = error_of(ask(client, BULK_MUTATION, input={"action": "ASSIGN_CATEGORY", "products": ids}))
    assert missing["extensions"]["code"] == "INVALID"
    assert list(missing["extensions"]["fields"]) == ["category"]


def test_editors_may_not_act_in_bulk_over_graphql(as_, people, kind):
    [item] = made(people, kind, 1)
    body = ask(as_("editor"), BULK_MUTATION, input={"action": "ARCHIVE", "products": [str(item.pk)]})
    assert error_of(body)["extensions"]["code"] == "PERMISSION_DENIED"
    assert statuses([item]) == ["draft"]


IMAGES = "product { images { id alt } }"
REORDER = (
    "mutation($id: ID!, $ids: [ID!]!) {{ productImagesReorder(productId: $id, imageIds: $ids) {{ {} }} }}"
)


def test_images_over_graphql(as_, gallery):
    item, ids = gallery
    client = as_("manager")
    reordered = data(
        client,
        REORDER.format(IMAGES),
        id=str(item.pk),
        ids=[str(i) for i in ids[::-1]],
    )["productImagesReorder"]["product"]["images"]
    assert [int(each["id"]) for each in reordered] == ids[::-1]
    updated = data(
        client,
        f"mutation($id: ID!, $input: ProductImageInput!) {{ productImageUpdate(id: $id, input: $input) "
        f"{{ {IMAGES} }} }}",
        id=str(ids[2]),
        input={"translations": [{"language": "en", "alt": "Renamed"}], "position": 2},
    )["productImageUpdate"]["product"]["images"]
    assert [(int(each["id"]), each["alt"]) for each in updated][-1] == (ids[2], "Renamed")
    deleted = data(client, "mutation($id: ID!) { productImageDelete(id: $id) { ok id } }", id=str(ids[0]))
    assert deleted["productImageDelete"] == {"ok": True, "id": str(ids[0])}
    wrong = ask(
        client,
        REORDER.format("product { id }"),
        id=str(item.pk),
        ids=[str(ids[1])],
    )
    assert list(error_of(wrong)["extensions"]["fields"]) == ["images"]


# --- what the bulk route costs --------------------------------------------------------------------


def measured(client, assert_max, budget: int, body: dict, events: int) -> int:
    with assert_max(budget + events) as captured:
        response = post(client, BULK, body)
    assert response.status_code == 200, response.content
    inserts = [q for q in captured.captured_queries if q["sql"].startswith(OUTBOX_INSERT)]
    assert len(inserts) == events
    return len(captured.captured_queries) - len(inserts)


# The search path and the token (the site and its modules are kept from a first request), then the
# service's own, its savepoint included (BUDGETS of tests/catalog/test_bulk.py).
ROUTE_BUDGETS = {"activate": 9, "change_prices": 7, "assign_category": 9, "add_to_collection": 10}


@pytest.mark.parametrize("action", list(ROUTE_BUDGETS))
def test_the_bulk_route_costs_the_same_for_5_and_50_products_besides_the_events(
    as_, people, kind, action, django_assert_max_num_queries
):
    few, many = made(people, kind, 5), made(people, kind, 50)
    with schema_context("alpha"):
        category = services.create_category(actor=people["manager"], texts={"en": {"name": "Sale"}})
        collection = services.create_collection(actor=people["manager"], texts={"en": {"name": "Picks"}})
    options = {
        "activate": {},
        "change_prices": {"percent": 10},
        "assign_category": {"category": category.pk},
        "add_to_collection": {"collection": collection.pk},
    }[action]
    client = as_("manager")
    assert client.get(f"{BASE}settings/").status_code == 200  # the site and its modules, kept
    counts = [
        measured(
            client,
            django_assert_max_num_queries,
            ROUTE_BUDGETS[action],
            {"action": action, "products": [p.pk for p in items], **options},
            len(items),
        )
        for items in (few, many)
    ]
    assert counts[0] == counts[1], counts
