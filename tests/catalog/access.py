"""The access matrix of the catalogue (tests/access_matrix.py): every REST route of
/api/v1/catalog/.

What apps/catalog/rules.py says, and so what the variants test: managers, admins and the owner
write the catalogue (`catalog.manage_catalog`) and see drafts, archived products, collections
outside their window and single variants (`catalog.view_catalog`); to everyone else a product
that is not active, or a collection not shown now, does not exist (404), while active products,
types, attributes, categories, tax classes and the shop's currencies are anyone's to read.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.accounts.models import Role
from apps.catalog import services
from rustok.permissions import PUBLIC
from tests.access_matrix import ADMINS, EVERYONE, SECRET, Hidden, On, rest
from tests.catalog.factories import make_attribute, make_product, make_product_type
from tests.site.factories import image_upload

MANAGERS = ADMINS | {Role.MANAGER.value}
MANAGE = "catalog.manage_catalog"
VIEW = "catalog.view_catalog"
UNSEEN = Hidden(roles=MANAGERS, scope=VIEW)
BASE = "/api/v1/catalog/"


def build(world) -> None:
    """Products in each state (refs: pk, slug), the draft's variant and image, a product type with
    products and one without, an attribute no type uses, a leaf category, a collection shown now and one
    shown from next year, a tax class."""
    actor = world.users[Role.MANAGER]
    shirt = make_product_type(actor=actor, slug="matrix-shirt")
    world.add("catalog:type", shirt)
    for state in ("draft", "active", "archived"):
        product = make_product(actor=actor, name=f"Matrix {state} shirt", product_type=shirt, status=state)
        world.add(f"catalog:{state}", product, slug=product.slug)
    world.add("catalog:variant", world.objects["catalog:draft"].variants.get())
    world.add(
        "catalog:image",
        services.add_product_image(
            actor=actor,
            product=world.objects["catalog:draft"],
            upload=image_upload(),
            texts={"en": {"alt": "Matrix"}},
        ),
    )
    world.add("catalog:empty_type", make_product_type(actor=actor, slug="matrix-empty", has_variants=False))
    world.add("catalog:attribute", make_attribute(actor=actor, slug="matrix-loose", input_type="text"))
    world.add("catalog:category", services.create_category(actor=actor, texts={"en": {"name": "Matrix"}}))
    shown = services.create_collection(
        actor=actor, texts={"en": {"name": "Matrix picks"}}, products=[world.objects["catalog:active"]]
    )
    world.add("catalog:collection", shown)
    later = timezone.now() + dt.timedelta(days=365)
    world.add(
        "catalog:later",
        services.create_collection(actor=actor, texts={"en": {"name": "Matrix later"}}, published_from=later),
    )
    world.add(
        "catalog:tax_class",
        services.create_tax_class(actor=actor, slug="matrix-reduced", texts={"en": {"name": "Reduced"}}),
    )


def build_foreign() -> None:
    """The other site's products and groups, which no answer here may show."""
    from tests.catalog.factories import manager

    actor = manager()
    make_product(actor=actor, name=SECRET, status="active")
    make_product(actor=actor, name=f"{SECRET} draft")
    services.create_category(actor=actor, texts={"en": {"name": SECRET}})
    services.create_collection(actor=actor, texts={"en": {"name": SECRET}})
    services.create_tax_class(actor=actor, slug="beta-only", texts={"en": {"name": SECRET}})


def _product(state: str, allowed=MANAGERS, **options) -> On:
    return On(state, allowed, obj=f"catalog:{state}", **options)


def _read(state: str) -> On:
    return _product(state, EVERYONE, hidden=None if state == "active" else UNSEEN)


def _new_product(world, refs) -> dict:
    return {"product_type": world.refs["catalog:type"]["pk"], "name": "A new shirt"}


def _group(path: str, obj: str, create: dict, change: dict, *, deletable: str | None = None) -> list:
    item = f"{BASE}{path}{{pk}}/"
    return [
        rest(f"GET {BASE}{path}", PUBLIC, On("all", EVERYONE)),
        rest(f"POST {BASE}{path}", MANAGE, On("new", MANAGERS, body=create), status=201),
        rest(f"GET {item}", PUBLIC, On(obj, EVERYONE, obj=f"catalog:{obj}")),
        rest(f"PATCH {item}", MANAGE, On(obj, MANAGERS, obj=f"catalog:{obj}", body=change)),
        rest(f"DELETE {item}", MANAGE, On(deletable or obj, MANAGERS, obj=f"catalog:{deletable or obj}")),
    ]


def _upload(world, refs) -> dict:
    return {"image": image_upload(), "alt": "A new image", "translations.ru.alt": "Новое"}


def _bulk(world, refs) -> dict:
    return {"action": "archive", "products": [refs["pk"]]}


def _order(world, refs) -> dict:
    return {"images": [world.refs["catalog:image"]["pk"]]}


PRODUCT = f"{BASE}products/{{pk}}/"
VARIANT = f"{BASE}variants/{{pk}}/"
IMAGE = f"{BASE}images/{{pk}}/"
RENAMED = {"name": "Renamed"}

ENTRIES = [
    rest(f"GET {BASE}products/", PUBLIC, On("all", EVERYONE)),
    rest(f"POST {BASE}products/", MANAGE, On("new", MANAGERS, body=_new_product), status=201),
    rest(f"GET {PRODUCT}", PUBLIC, _read("active"), _read("draft"), _read("archived")),
    rest(f"GET {BASE}products/by-slug/{{slug}}/", PUBLIC, _read("active"), _read("draft")),
    rest(f"PATCH {PRODUCT}", MANAGE, _product("draft", body=RENAMED), _product("active", body=RENAMED)),
    rest(f"DELETE {PRODUCT}", MANAGE, _product("draft"), _product("archived")),
    rest(f"POST {PRODUCT}activate/", MANAGE, _product("draft")),
    rest(f"POST {PRODUCT}deactivate/", MANAGE, _product("active")),
    rest(f"POST {PRODUCT}archive/", MANAGE, _product("draft")),
    rest(f"POST {PRODUCT}unarchive/", MANAGE, _product("archived")),
    rest(
        f"POST {PRODUCT}variants/",
        MANAGE,
        _product("draft", body={"sku": "MATRIX-L", "attributes": {"size": "l"}}),
        status=201,
    ),
    rest(f"POST {BASE}products/bulk/", MANAGE, _product("draft", body=_bulk)),
    rest(f"POST {PRODUCT}images/", MANAGE, _product("draft", body=_upload), multipart=True, status=201),
    rest(f"PUT {PRODUCT}images/order/", MANAGE, _product("draft", body=_order)),
    rest(f"PATCH {IMAGE}", MANAGE, On("image", MANAGERS, obj="catalog:image", body={"alt": "Changed"})),
    rest(f"DELETE {IMAGE}", MANAGE, On("image", MANAGERS, obj="catalog:image")),
    rest(f"GET {VARIANT}", VIEW, On("variant", MANAGERS, obj="catalog:variant")),
    rest(
        f"PATCH {VARIANT}", MANAGE, On("variant", MANAGERS, obj="catalog:variant", body={"barcode": "1234"})
    ),
    rest(f"DELETE {VARIANT}", MANAGE, On("variant", MANAGERS, obj="catalog:variant")),
    rest(
        f"PUT {VARIANT}prices/",
        MANAGE,
        On("variant", MANAGERS, obj="catalog:variant", body={"prices": [{"currency": "USD", "amount": 999}]}),
    ),
    *_group("product-types/", "type", {"slug": "matrix-new"}, RENAMED, deletable="empty_type"),
    *_group("attributes/", "attribute", {"slug": "matrix-new", "input_type": "boolean"}, RENAMED),
    *_group("categories/", "category", {"name": "New"}, RENAMED),
    *_group("tax-classes/", "tax_class", {"slug": "matrix-zero", "name": "Zero"}, RENAMED),
    rest(f"GET {BASE}collections/", PUBLIC, On("all", EVERYONE)),
    rest(f"POST {BASE}collections/", MANAGE, On("new", MANAGERS, body={"name": "New"}), status=201),
    rest(
        f"GET {BASE}collections/{{pk}}/",
        PUBLIC,
        On("shown", EVERYONE, obj="catalog:collection"),
        On("later", EVERYONE, obj="catalog:later", hidden=UNSEEN),
    ),
    rest(
        f"PATCH {BASE}collections/{{pk}}/",
        MANAGE,
        On("shown", MANAGERS, obj="catalog:collection", body=RENAMED),
    ),
    rest(f"DELETE {BASE}collections/{{pk}}/", MANAGE, On("shown", MANAGERS, obj="catalog:collection")),
    rest(f"GET {BASE}settings/", PUBLIC, On("all", EVERYONE)),
    rest(f"PATCH {BASE}settings/", MANAGE, On("all", MANAGERS, body={"currencies": ["EUR"]})),
]
