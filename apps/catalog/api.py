"""/api/v1/catalog/: products (their workflow and variants), variants and their prices, product
types, attributes, categories, collections, tax classes and the shop's settings.

Views are thin: they parse input, call apps.catalog.services, and render. Readers (anyone without
`catalog.view_catalog`) read active products from their documents (one query for a page and one
for the count, apps.catalog.selectors); managers and admins read the tables, drafts, archived
products, cost prices and stock counts included, and the answer to a write is read from the
tables. Another site's rows do not exist here (each site is its own schema).
"""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from apps.catalog import selectors, services
from apps.catalog import serializers as s
from apps.catalog.filters import ProductFilter, ProductReadingFilter, by_attributes
from apps.catalog.models import (
    Attribute,
    Collection,
    Product,
    ProductCategory,
    ProductImage,
    ProductType,
    ProductTypeAttribute,
    TaxClass,
)
from apps.catalog.stock import available
from rustok.api.texts import Renaming
from rustok.i18n import language_codes
from rustok.permissions import PUBLIC
from rustok.texts import column

CATALOG = ["catalog"]
MANAGE = "catalog.manage_catalog"
VIEW = "catalog.view_catalog"

TRANSITION_DOC = {
    "activate": "Put a draft on sale (every variant needs a price in the default currency)",
    "deactivate": "Take an active product back to draft",
    "archive": "Archive a draft or active product",
    "unarchive": "Take an archived product back to draft",
}
LIST_PARAMETERS = [
    OpenApiParameter(
        "attribute.<slug>",
        str,
        description="An attribute's value (`attribute.size=m`, a choice's slug, or true/false); "
        "repeat for alternatives; several attributes all apply.",
    ),
    OpenApiParameter("lang", str, description="Language of the text (en, ru)."),
]


def _form_data(data) -> dict:
    """A multipart body as a dict: one value per part, `translations.ru.alt` nested as
    {"translations": {"ru": {"alt": ...}}}."""
    found: dict = {}
    for key, value in data.items():
        parts = key.split(".")
        if parts[0] == "translations" and len(parts) == 3:
            found.setdefault("translations", {}).setdefault(parts[1], {})[parts[2]] = value
        else:
            found[key] = value
    return found


def _staff(request) -> bool:
    return selectors.readers_see_drafts(getattr(request, "user", None))


class Rendering:
    """Answers from the tables: products and variants with their stock counts."""

    def table_context(self, variant_ids) -> dict:
        return {
            **self.get_serializer_context(),
            "stock": available(variant_ids),
            "default_currency": services.shop_settings().default_currency,
        }

    def products_data(self, products) -> list[dict]:
        context = self.table_context(v.pk for p in products for v in p.variants.all())
        return [s.product_answer(product, context) for product in products]

    def render_product(self, product, status_code=status.HTTP_200_OK) -> Response:
        found = selectors.products().get(pk=product.pk)
        return Response(self.products_data([found])[0], status=status_code)

    def render_variant(self, variant, status_code=status.HTTP_200_OK) -> Response:
        found = selectors.variants().get(pk=variant.pk)
        return Response(s.variant_answer(found, self.table_context([found.pk])), status=status_code)


def _transition_action(name: str):
    """The POST .../<name>/ action of a workflow transition (named before @action reads it)."""

    def transition(self, request, pk=None):
        product = services.transition_product(actor=request.user, product=self.get_object(), name=name)
        return self.render_product(product)

    transition.__name__ = transition.__qualname__ = name
    documented = extend_schema(
        tags=CATALOG,
        request=None,
        responses={200: s.ProductSerializer},
        summary=TRANSITION_DOC[name],
        description="409 `transition_not_allowed` naming the `allowed` ones when the status does not "
        "allow it; activating a product without a price in the default currency is 409 `conflict` "
        "(`reason: price_required`, with `currency` and the `variants` without one).",
    )
    return documented(action(detail=True, methods=["post"], url_path=name, url_name=name)(transition))


@extend_schema_view(
    list=extend_schema(
        tags=CATALOG,
        summary="List products (active ones; managers and admins see every status)",
        parameters=LIST_PARAMETERS,
    ),
    retrieve=extend_schema(tags=CATALOG, summary="One product with its variants"),
    destroy=extend_schema(tags=CATALOG, summary="Delete a product with its variants"),
)
class ProductViewSet(Rendering, viewsets.GenericViewSet):
    """Products: anyone reads the active ones, managers and admins everything and write."""

    access = {"list": PUBLIC, "retrieve": PUBLIC, "by_slug": PUBLIC, "default": MANAGE}
    serializer_class = s.ProductSerializer
    lookup_value_regex = r"\d+"

    @property
    def reads_documents(self) -> bool:
        """Whether this answer comes from the documents: a reader's list or product."""
        if getattr(self, "swagger_fake_view", False):
            return False
        return self.action in ("list", "retrieve", "by_slug") and not _staff(self.request)

    @property
    def filterset_class(self):
        return ProductReadingFilter if self.reads_documents else ProductFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no tenant
            return Product.objects.none()
        if self.reads_documents:
            return selectors.documents(detail=self.action != "list")
        return selectors.products()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list":
            queryset = by_attributes(queryset, self.request.query_params, documents=self.reads_documents)
        return queryset

    def get_object(self):
        if not self.reads_documents:
            return super().get_object()
        document = selectors.document_by_id(self.kwargs["pk"])
        if document is None:
            raise Http404("No such product.")
        return document

    def reading(self, document, *, detail: bool = True) -> dict:
        context = {**self.get_serializer_context(), "detail": detail}
        return s.ProductReadingSerializer(document, context=context).data

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        if self.reads_documents:
            data = s.ProductReadingSerializer(page, many=True, context=self.get_serializer_context()).data
        else:
            data = self.products_data(page)
        return self.get_paginated_response(data)

    def retrieve(self, request, pk=None):
        found = self.get_object()
        return Response(self.reading(found)) if self.reads_documents else self.render_product(found)

    @extend_schema(
        tags=CATALOG, responses=s.ProductSerializer, summary="One product by its slug (any language)"
    )
    @action(detail=False, methods=["get"], url_path=r"by-slug/(?P<slug>[^/]+)", url_name="by-slug")
    def by_slug(self, request, slug=None):
        if self.reads_documents:
            document = selectors.document_by_slug(slug)
            if document is None:
                raise Http404("No such product.")
            return Response(self.reading(document))
        match = Q()
        for code in language_codes():
            match |= Q(**{column("slug", code): slug})
        product = Product.objects.filter(match).order_by("pk").first()
        if product is None:
            raise Http404("No such product.")
        return self.render_product(product)

    @extend_schema(
        tags=CATALOG,
        request=s.ProductCreateSerializer,
        responses={201: s.ProductSerializer},
        summary="Create a draft product",
    )
    def create(self, request):
        data = s.ProductCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        language, arguments = data.service_arguments()
        with Renaming(language):
            product = services.create_product(actor=request.user, **arguments)
        return self.render_product(product, status.HTTP_201_CREATED)

    @extend_schema(
        tags=CATALOG,
        request=s.ProductWriteSerializer,
        responses=s.ProductSerializer,
        summary="Change a product (only the fields sent)",
    )
    def partial_update(self, request, pk=None):
        product = self.get_object()
        current = self.products_data([product])[0]  # what the client may send back unchanged
        context = {**self.get_serializer_context(), "current": current}
        data = s.ProductWriteSerializer(data=request.data, context=context)
        data.is_valid(raise_exception=True)
        language, arguments = data.service_arguments()
        with Renaming(language):
            product = services.update_product(actor=request.user, product=product, **arguments)
        return self.render_product(product)

    def destroy(self, request, pk=None):
        services.delete_product(actor=request.user, product=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    activate = _transition_action("activate")
    deactivate = _transition_action("deactivate")
    archive = _transition_action("archive")
    unarchive = _transition_action("unarchive")

    @extend_schema(
        tags=CATALOG,
        request=s.ProductBulkSerializer,
        responses=s.ProductBulkResultSerializer,
        summary="One action over many products, all or nothing",
        description="`action` is activate, deactivate, archive, unarchive (the workflow), "
        "change_prices (`percent`, optional `currency` and `field`), assign_category or "
        "remove_category (`category`), add_to_collection or remove_from_collection (`collection`). "
        "The answer counts the products given and those changed (the others were already as asked, "
        "or a price rounded to what it was). A product the workflow cannot move is 409 `conflict` "
        "(`reason: products_refused`) with `refused`: each `{product, reason, ...}`; nothing is "
        "written.",
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        data = s.ProductBulkSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        outcome = services.bulk_action(actor=request.user, **data.validated_data)
        return Response({"products": len(outcome.products), "changed": len(outcome.changed)})

    @extend_schema(
        tags=CATALOG,
        request={"multipart/form-data": s.ProductImageUploadSerializer},
        responses={201: s.ProductSerializer},
        summary="Add an image to the product's gallery (multipart)",
        description="`image` (the file), `alt` (in `language`, default the request's), "
        "`translations.<language>.alt` for the others, `position` (default: the end). "
        "The answer is the product with its `images`.",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def images(self, request, pk=None):
        product = self.get_object()
        data = s.ProductImageUploadSerializer(
            data=_form_data(request.data), context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        language, arguments = data.service_arguments()
        with Renaming(language):
            services.add_product_image(actor=request.user, product=product, **arguments)
        return self.render_product(product, status.HTTP_201_CREATED)

    @extend_schema(
        tags=CATALOG,
        request=s.ProductImagesOrderSerializer,
        responses=s.ProductSerializer,
        summary="Put the product's images in a new order (naming every one once)",
    )
    @action(detail=True, methods=["put"], url_path="images/order", url_name="images-order")
    def images_order(self, request, pk=None):
        product = self.get_object()
        data = s.ProductImagesOrderSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        services.reorder_product_images(
            actor=request.user, product=product, image_ids=data.validated_data["images"]
        )
        return self.render_product(product)

    @extend_schema(
        tags=CATALOG,
        request=s.VariantCreateSerializer,
        responses={201: s.VariantSerializer},
        summary="Add a variant (its SKU, options, prices)",
        description="A second variant of a product whose type has none is 409 `conflict` "
        "(`reason: has_no_variants`).",
    )
    @action(detail=True, methods=["post"])
    def variants(self, request, pk=None):
        product = self.get_object()
        data = s.VariantCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        language, arguments = data.service_arguments()
        with Renaming(language):
            variant = services.create_variant(actor=request.user, product=product, **arguments)
        return self.render_variant(variant, status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(tags=CATALOG, summary="One variant with every price (managers)"),
    destroy=extend_schema(
        tags=CATALOG,
        summary="Delete a variant",
        description="An active product keeps one: deleting its last is 409 `conflict` "
        "(`reason: last_variant`).",
    ),
)
class VariantViewSet(Rendering, viewsets.GenericViewSet):
    """Variants, read and written by managers and admins (readers get them inside products)."""

    access = {"retrieve": VIEW, "default": MANAGE}
    serializer_class = s.VariantSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.variants()

    def retrieve(self, request, pk=None):
        return self.render_variant(self.get_object())

    @extend_schema(
        tags=CATALOG,
        request=s.VariantWriteSerializer,
        responses=s.VariantSerializer,
        summary="Change a variant (only the fields sent; `prices` sets the currencies given)",
    )
    def partial_update(self, request, pk=None):
        variant = self.get_object()
        current = s.variant_answer(variant, self.table_context([variant.pk]))
        context = {**self.get_serializer_context(), "current": current}
        data = s.VariantWriteSerializer(data=request.data, context=context)
        data.is_valid(raise_exception=True)
        language, arguments = data.service_arguments()
        with Renaming(language):
            variant = services.update_variant(actor=request.user, variant=variant, **arguments)
        return self.render_variant(variant)

    def destroy(self, request, pk=None):
        services.delete_variant(actor=request.user, variant=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        tags=CATALOG,
        request=s.PricesSerializer,
        responses=s.VariantSerializer,
        summary="Set the prices of the currencies given (an amount of null removes one)",
    )
    @action(detail=True, methods=["put"])
    def prices(self, request, pk=None):
        variant = self.get_object()
        data = s.PricesSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        variant = services.set_prices(
            actor=request.user, variant=variant, prices=data.validated_data["prices"]
        )
        return self.render_variant(variant)


@extend_schema_view(
    destroy=extend_schema(
        tags=CATALOG,
        summary="Remove an image from its product's gallery",
        description="The others close up; its file goes after the commit.",
    ),
)
class ProductImageViewSet(Rendering, viewsets.GenericViewSet):
    """The images of products' galleries, changed and removed by managers and admins (added at
    products/<id>/images/)."""

    access = {"default": MANAGE}
    serializer_class = s.ProductImageWriteSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return ProductImage.objects.all()

    @extend_schema(
        tags=CATALOG,
        request=s.ProductImageWriteSerializer,
        responses=s.ProductSerializer,
        summary="Change an image's alt text or place (the answer is its product)",
    )
    def partial_update(self, request, pk=None):
        image = self.get_object()
        data = s.ProductImageWriteSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        language, arguments = data.service_arguments()
        with Renaming(language):
            image = services.update_product_image(actor=request.user, image=image, **arguments)
        return self.render_product(image.product)

    def destroy(self, request, pk=None):
        services.delete_product_image(actor=request.user, image=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """What groups and describes products: anyone reads, managers and admins write."""

    access = {"list": PUBLIC, "retrieve": PUBLIC, "default": MANAGE}
    lookup_value_regex = r"\d+"
    create_serializer: type
    write_serializer: type

    def _write(self, request, instance=None):
        context = self.get_serializer_context()
        if instance is not None:  # what the client read, and may send back unchanged
            context["current"] = self.get_serializer(instance).data
        serializer = self.create_serializer if instance is None else self.write_serializer
        data = serializer(data=request.data, context=context)
        data.is_valid(raise_exception=True)
        language, arguments = data.service_arguments()
        with Renaming(language):
            obj = self.save(request.user, instance, arguments)
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(obj).data, status=status.HTTP_200_OK if instance else 201)

    def create(self, request):
        return self._write(request)

    def partial_update(self, request, pk=None):
        return self._write(request, self.get_object())

    def destroy(self, request, pk=None):
        self.remove(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def _documented(summary: str, create, write, read, deleting: str = ""):
    return extend_schema_view(
        list=extend_schema(tags=CATALOG, summary=summary),
        retrieve=extend_schema(tags=CATALOG),
        create=extend_schema(tags=CATALOG, request=create, responses={201: read}),
        partial_update=extend_schema(tags=CATALOG, request=write, responses=read),
        destroy=extend_schema(tags=CATALOG, description=deleting),
    )


@_documented(
    "The product types and their attributes",
    s.ProductTypeCreateSerializer,
    s.ProductTypeWriteSerializer,
    s.ProductTypeSerializer,
    "A type that has products is 409 `conflict` (`reason: in_use`).",
)
class ProductTypeViewSet(GroupViewSet):
    serializer_class = s.ProductTypeSerializer
    create_serializer = s.ProductTypeCreateSerializer
    write_serializer = s.ProductTypeWriteSerializer

    def get_queryset(self):
        uses = ProductTypeAttribute.objects.select_related("attribute").order_by("position", "id")
        return ProductType.objects.prefetch_related(Prefetch("type_attributes", queryset=uses)).order_by(
            "name", "id"
        )

    def save(self, actor, product_type, arguments):
        if product_type is None:
            return services.create_product_type(actor=actor, **arguments)
        return services.update_product_type(actor=actor, product_type=product_type, **arguments)

    def remove(self, actor, product_type):
        services.delete_product_type(actor=actor, product_type=product_type)


@_documented(
    "The attributes with their choices",
    s.AttributeCreateSerializer,
    s.AttributeWriteSerializer,
    s.AttributeSerializer,
    "An attribute a product type uses is 409 `conflict` (`reason: in_use`).",
)
class AttributeViewSet(GroupViewSet):
    serializer_class = s.AttributeSerializer
    create_serializer = s.AttributeCreateSerializer
    write_serializer = s.AttributeWriteSerializer

    def get_queryset(self):
        return Attribute.objects.prefetch_related("choices").order_by("position", "id")

    def save(self, actor, attribute, arguments):
        if "choices" in arguments:
            arguments["choices"] = s.choice_arguments(arguments["choices"])
        if attribute is None:
            return services.create_attribute(actor=actor, **arguments)
        return services.update_attribute(actor=actor, attribute=attribute, **arguments)

    def remove(self, actor, attribute):
        services.delete_attribute(actor=actor, attribute=attribute)


@_documented(
    "The product categories by position; `parent` and `children` give the tree",
    s.ProductCategoryWriteSerializer,
    s.ProductCategoryWriteSerializer,
    s.ProductCategorySerializer,
    "A category with subcategories is 409 `conflict` (`reason: has_children`).",
)
class CategoryViewSet(GroupViewSet):
    serializer_class = s.ProductCategorySerializer
    create_serializer = write_serializer = s.ProductCategoryWriteSerializer

    def get_queryset(self):
        return ProductCategory.objects.order_by("position", "id")

    def save(self, actor, category, arguments):
        if category is None:
            return services.create_category(actor=actor, **arguments)
        return services.update_category(actor=actor, category=category, **arguments)

    def remove(self, actor, category):
        services.delete_category(actor=actor, category=category)


@_documented(
    "The collections (readers: those shown now, with their active products)",
    s.CollectionWriteSerializer,
    s.CollectionWriteSerializer,
    s.CollectionSerializer,
)
class CollectionViewSet(GroupViewSet):
    serializer_class = s.CollectionSerializer
    create_serializer = write_serializer = s.CollectionWriteSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Collection.objects.none()
        return selectors.collections(readers=not _staff(self.request))

    def save(self, actor, collection, arguments):
        if collection is None:
            return services.create_collection(actor=actor, **arguments)
        return services.update_collection(actor=actor, collection=collection, **arguments)

    def remove(self, actor, collection):
        services.delete_collection(actor=actor, collection=collection)


@_documented(
    "The tax classes",
    s.TaxClassCreateSerializer,
    s.TaxClassWriteSerializer,
    s.TaxClassSerializer,
    "A tax class products have is 409 `conflict` (`reason: in_use`).",
)
class TaxClassViewSet(GroupViewSet):
    serializer_class = s.TaxClassSerializer
    create_serializer = s.TaxClassCreateSerializer
    write_serializer = s.TaxClassWriteSerializer

    def get_queryset(self):
        return TaxClass.objects.order_by("name", "id")

    def save(self, actor, tax_class, arguments):
        if tax_class is None:
            return services.create_tax_class(actor=actor, **arguments)
        return services.update_tax_class(actor=actor, tax_class=tax_class, **arguments)

    def remove(self, actor, tax_class):
        services.delete_tax_class(actor=actor, tax_class=tax_class)


class ShopSettingsView(APIView):
    """The shop's currencies: anyone reads them, managers and admins change them."""

    access = {"get": PUBLIC, "patch": MANAGE}

    def answer(self, found) -> Response:
        return Response(s.ShopSettingsSerializer(found).data)

    @extend_schema(tags=CATALOG, responses=s.ShopSettingsSerializer, operation_id="catalog_settings_retrieve")
    def get(self, request):
        return self.answer(services.shop_settings())

    @extend_schema(
        tags=CATALOG,
        request=s.ShopSettingsWriteSerializer,
        responses=s.ShopSettingsSerializer,
        operation_id="catalog_settings_partial_update",
        summary="Change the default currency or the others",
        description="409 `conflict`: `reason: price_required` while active products have no price in "
        "a new default currency, `currency_in_use` when prices use a currency taken away.",
    )
    def patch(self, request):
        current = s.ShopSettingsSerializer(services.shop_settings()).data
        data = s.ShopSettingsWriteSerializer(
            data=request.data, context={"request": request, "current": current}
        )
        data.is_valid(raise_exception=True)
        return self.answer(services.update_shop_settings(actor=request.user, **data.validated_data))


router = SimpleRouter()
router.register("catalog/products", ProductViewSet, basename="catalog-product")
router.register("catalog/variants", VariantViewSet, basename="catalog-variant")
router.register("catalog/images", ProductImageViewSet, basename="catalog-image")
router.register("catalog/product-types", ProductTypeViewSet, basename="catalog-product-type")
router.register("catalog/attributes", AttributeViewSet, basename="catalog-attribute")
router.register("catalog/categories", CategoryViewSet, basename="catalog-category")
router.register("catalog/collections", CollectionViewSet, basename="catalog-collection")
router.register("catalog/tax-classes", TaxClassViewSet, basename="catalog-tax-class")
urlpatterns = [path("catalog/settings/", ShopSettingsView.as_view(), name="catalog-settings"), *router.urls]
