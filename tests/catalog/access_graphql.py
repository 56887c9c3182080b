"""The access matrix of the catalogue's GraphQL (tests/access_matrix.py).

What apps/catalog/rules.py says, and so what the variants test: managers, admins and the owner
write the catalogue (`catalog.manage_catalog`) and see drafts and archived products
(`catalog.view_catalog`); everyone reads the active products, and to everyone else a draft does
not exist (`product`: null). The REST entries are in `access.py`.
The objects are those `access.py` builds (its `build`), with its REST entries.
"""

from __future__ import annotations

from apps.accounts.models import Role
from rustok.permissions import PUBLIC
from tests.access_matrix import EVERYONE, NULL, Hidden, On, graphql

MANAGERS = frozenset({Role.OWNER.value, Role.ADMIN.value, Role.MANAGER.value})
MANAGE = "catalog.manage_catalog"
DRAFTS = Hidden(roles=MANAGERS, scope="catalog.view_catalog", answer=NULL)


def _id(world, refs) -> dict:
    return {"id": refs["pk"]}


def _on(obj: str, body, **options) -> On:
    return On(obj.split(":", 1)[1], MANAGERS, obj=obj, body=body, **options)


NAME = [{"language": "en", "name": "Fresh"}]

ENTRIES = [
    graphql(
        "Query.products",
        PUBLIC,
        "query { products(first: 5) { totalCount edges { node { id name } } } }",
        On("all", EVERYONE),
    ),
    graphql(
        "Query.product",
        PUBLIC,
        "query($id: ID!) { product(id: $id) { id name variants { sku prices { amount costAmount } } } }",
        On("active", EVERYONE, obj="catalog:active", body=_id),
        On("draft", EVERYONE, obj="catalog:draft", body=_id, hidden=DRAFTS),
    ),
    graphql(
        "Query.productBySlug",
        PUBLIC,
        "query($slug: String!) { productBySlug(slug: $slug) { id name } }",
        On("active", EVERYONE, obj="catalog:active", body=lambda world, refs: {"slug": refs["slug"]}),
        On(
            "draft",
            EVERYONE,
            obj="catalog:draft",
            body=lambda world, refs: {"slug": refs["slug"]},
            hidden=DRAFTS,
        ),
    ),
    graphql(
        "Query.productCategories",
        PUBLIC,
        "query { productCategories { id name children { id } } }",
        On("all", EVERYONE),
    ),
    graphql("Query.collections", PUBLIC, "query { collections { id name } }", On("all", EVERYONE)),
    graphql(
        "Query.productTypes",
        PUBLIC,
        "query { productTypes { id slug attributes { attribute { slug } level } } }",
        On("all", EVERYONE),
    ),
    graphql(
        "Query.attributes", PUBLIC, "query { attributes { id slug choices { slug } } }", On("all", EVERYONE)
    ),
    graphql(
        "Query.shopSettings",
        PUBLIC,
        "query { shopSettings { defaultCurrency currencies } }",
        On("all", EVERYONE),
    ),
    graphql(
        "Mutation.productCreate",
        MANAGE,
        "mutation($input: ProductCreateInput!) { productCreate(input: $input) { product { id } } }",
        _on(
            "catalog:active",
            lambda world, refs: {
                "input": {"productType": world.refs["catalog:type"]["pk"], "translations": NAME}
            },
        ),
    ),
    graphql(
        "Mutation.productUpdate",
        MANAGE,
        "mutation($id: ID!, $input: ProductUpdateInput!) "
        "{ productUpdate(id: $id, input: $input) { product { id name } } }",
        _on("catalog:active", lambda world, refs: {"id": refs["pk"], "input": {"translations": NAME}}),
    ),
    graphql(
        "Mutation.productTransition",
        MANAGE,
        "mutation($id: ID!) { productTransition(id: $id, transition: DEACTIVATE) { product { status } } }",
        _on("catalog:active", _id),
    ),
    graphql(
        "Mutation.productDelete",
        MANAGE,
        "mutation($id: ID!) { productDelete(id: $id) { ok } }",
        _on("catalog:draft", _id),
    ),
    graphql(
        "Mutation.productBulk",
        MANAGE,
        "mutation($input: ProductBulkInput!) { productBulk(input: $input) { products changed } }",
        _on("catalog:draft", lambda world, refs: {"input": {"action": "ARCHIVE", "products": [refs["pk"]]}}),
    ),
    graphql(
        "Mutation.productImageUpdate",
        MANAGE,
        "mutation($id: ID!, $input: ProductImageInput!) "
        "{ productImageUpdate(id: $id, input: $input) { product { id images { id alt } } } }",
        _on(
            "catalog:image",
            lambda world, refs: {
                "id": refs["pk"],
                "input": {"translations": [{"language": "en", "alt": "New"}]},
            },
        ),
    ),
    graphql(
        "Mutation.productImageDelete",
        MANAGE,
        "mutation($id: ID!) { productImageDelete(id: $id) { ok } }",
        _on("catalog:image", _id),
    ),
    graphql(
        "Mutation.productImagesReorder",
        MANAGE,
        "mutation($id: ID!, $images: [ID!]!) "
        "{ productImagesReorder(productId: $id, imageIds: $images) { product { id } } }",
        _on(
            "catalog:draft",
            lambda world, refs: {"id": refs["pk"], "images": [world.refs["catalog:image"]["pk"]]},
        ),
    ),
    graphql(
        "Mutation.variantCreate",
        MANAGE,
        "mutation($id: ID!, $input: VariantCreateInput!) "
        "{ variantCreate(productId: $id, input: $input) { variant { id } } }",
        _on(
            "catalog:draft",
            lambda world, refs: {
                "id": refs["pk"],
                "input": {"sku": "MATRIX-NEW", "attributes": [{"slug": "size", "value": "s"}]},
            },
        ),
    ),
    graphql(
        "Mutation.variantUpdate",
        MANAGE,
        "mutation($id: ID!, $input: VariantUpdateInput!) "
        "{ variantUpdate(id: $id, input: $input) { variant { id sku } } }",
        _on("catalog:variant", lambda world, refs: {"id": refs["pk"], "input": {"barcode": "4006381333931"}}),
    ),
    graphql(
        "Mutation.variantSetPrices",
        MANAGE,
        "mutation($id: ID!, $prices: [PriceInput!]!) "
        "{ variantSetPrices(id: $id, prices: $prices) { variant { prices { amount costAmount } } } }",
        _on(
            "catalog:variant",
            lambda world, refs: {
                "id": refs["pk"],
                "prices": [{"currency": "USD", "amount": 990, "costAmount": 1}],
            },
        ),
    ),
    graphql(
        "Mutation.variantDelete",
        MANAGE,
        "mutation($id: ID!) { variantDelete(id: $id) { ok } }",
        _on("catalog:variant", _id),
    ),
    graphql(
        "Mutation.productTypeCreate",
        MANAGE,
        "mutation($input: ProductTypeInput!) { productTypeCreate(input: $input) { productType { id } } }",
        On("new", MANAGERS, body={"input": {"slug": "matrix-new", "translations": NAME}}),
    ),
    graphql(
        "Mutation.productTypeUpdate",
        MANAGE,
        "mutation($id: ID!, $input: ProductTypeInput!) "
        "{ productTypeUpdate(id: $id, input: $input) { productType { id name } } }",
        _on("catalog:empty_type", lambda world, refs: {"id": refs["pk"], "input": {"translations": NAME}}),
    ),
    graphql(
        "Mutation.productTypeDelete",
        MANAGE,
        "mutation($id: ID!) { productTypeDelete(id: $id) { ok } }",
        _on("catalog:empty_type", _id),
    ),
    graphql(
        "Mutation.attributeCreate",
        MANAGE,
        "mutation($input: AttributeInput!) { attributeCreate(input: $input) { attribute { id } } }",
        On("new", MANAGERS, body={"input": {"slug": "matrix-new", "type": "BOOLEAN"}}),
    ),
    graphql(
        "Mutation.attributeUpdate",
        MANAGE,
        "mutation($id: ID!, $input: AttributeInput!) "
        "{ attributeUpdate(id: $id, input: $input) { attribute { id filterable } } }",
        _on("catalog:attribute", lambda world, refs: {"id": refs["pk"], "input": {"filterable": True}}),
    ),
    graphql(
        "Mutation.attributeDelete",
        MANAGE,
        "mutation($id: ID!) { attributeDelete(id: $id) { ok } }",
        _on("catalog:attribute", _id),
    ),
    graphql(
        "Mutation.productCategoryCreate",
        MANAGE,
        "mutation($input: ProductCategoryInput!) "
        "{ productCategoryCreate(input: $input) { category { id } } }",
        On("new", MANAGERS, body={"input": {"translations": NAME}}),
    ),
    graphql(
        "Mutation.productCategoryUpdate",
        MANAGE,
        "mutation($id: ID!, $input: ProductCategoryInput!) "
        "{ productCategoryUpdate(id: $id, input: $input) { category { id name } } }",
        _on("catalog:category", lambda world, refs: {"id": refs["pk"], "input": {"translations": NAME}}),
    ),
    graphql(
        "Mutation.productCategoryDelete",
        MANAGE,
        "mutation($id: ID!) { productCategoryDelete(id: $id) { ok } }",
        _on("catalog:category", _id),
    ),
    graphql(
        "Mutation.collectionCreate",
        MANAGE,
        "mutation($input: CollectionInput!) { collectionCreate(input: $input) { collection { id } } }",
        On("new", MANAGERS, body={"input": {"translations": NAME}}),
    ),
    graphql(
        "Mutation.collectionUpdate",
        MANAGE,
        "mutation($id: ID!, $input: CollectionInput!) "
        "{ collectionUpdate(id: $id, input: $input) { collection { id name } } }",
        _on("catalog:collection", lambda world, refs: {"id": refs["pk"], "input": {"translations": NAME}}),
    ),
    graphql(
        "Mutation.collectionDelete",
        MANAGE,
        "mutation($id: ID!) { collectionDelete(id: $id) { ok } }",
        _on("catalog:collection", _id),
    ),
    graphql(
        "Mutation.shopSettingsUpdate",
        MANAGE,
        'mutation { shopSettingsUpdate(currencies: ["EUR"]) { defaultCurrency currencies } }',
        On("settings", MANAGERS),
    ),
]
