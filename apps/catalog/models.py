"""Tables of the catalogue (tenant schema): what the shop sells.

Product types say which attributes their products and variants have; products are sold as
variants (a SKU each, with a price per currency); products sit in categories (a tree) and in
collections (ordered lists with a publication window). Translated text (names, slugs,
descriptions, attribute values, choice labels, image alt text) has a column per language
(translation.py). Money is whole minor units with an ISO 4217 code (rustok.money).
Only apps.catalog.services writes these tables.
"""

from __future__ import annotations

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from rustok.texts import unique_slug_per_language

DEFAULT_CURRENCY = "USD"


def _upload(folder: str, filename: str) -> str:
    """Uploads get a fresh name (never the uploader's) under the tenant's media root."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"catalog/{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def category_image_path(_category, filename: str) -> str:
    return _upload("categories", filename)


def collection_image_path(_collection, filename: str) -> str:
    return _upload("collections", filename)


def product_image_path(_image, filename: str) -> str:
    return _upload("products", filename)


class ShopSettings(models.Model):
    """The currencies the site sells in: one row (id 1), made on first read."""

    ONLY = 1

    default_currency = models.CharField(
        _("default currency"),
        max_length=3,
        default=DEFAULT_CURRENCY,
        help_text=_("Every active product has a price in this currency."),
    )
    currencies = ArrayField(
        models.CharField(max_length=3),
        verbose_name=_("currencies"),
        default=list,
        blank=True,
        help_text=_("Other currencies products may be priced in (ISO 4217 codes)."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("shop settings")
        verbose_name_plural = _("shop settings")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="catalog_shopsettings_one_row")]

    def __str__(self) -> str:
        return str(_("Shop settings"))

    @property
    def all_currencies(self) -> list[str]:
        """The default currency first, then the others."""
        return [self.default_currency, *(c for c in self.currencies if c != self.default_currency)]


class TaxClass(models.Model):
    """What a product is taxed as (standard, reduced, ...); the rates per country come with orders."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("tax class")
        verbose_name_plural = _("tax classes")

    def __str__(self) -> str:
        return self.name


class InputType(models.TextChoices):
    TEXT = "text", _("Text")
    RICH_TEXT = "rich_text", _("Rich text")
    NUMBER = "number", _("Number")
    BOOLEAN = "boolean", _("Yes or no")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Single choice")
    MULTI_CHOICE = "multi_choice", _("Multiple choice")
    SWATCH = "swatch", _("Colour swatch")


CHOICE_TYPES = frozenset({InputType.CHOICE, InputType.MULTI_CHOICE, InputType.SWATCH})
# Variant-level attributes of these types are the options a shopper picks (size, colour).
OPTION_TYPES = frozenset({InputType.CHOICE, InputType.SWATCH})


class Attribute(models.Model):
    """A property products or variants have: material (text), weight (number, kg), size (choice)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    input_type = models.CharField(_("type"), max_length=16, choices=InputType.choices)
    unit = models.CharField(_("unit"), max_length=16, blank=True, help_text=_("Of numbers: kg, cm, W, ..."))
    filterable = models.BooleanField(
        _("filterable"), default=False, help_text=_("Shoppers can filter the catalogue by it.")
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")

    def __str__(self) -> str:
        return self.name or self.slug

    @property
    def has_choices(self) -> bool:
        return self.input_type in CHOICE_TYPES


class AttributeChoice(models.Model):
    """One value a choice attribute offers (S, M, L; red), with a colour for swatches."""

    attribute = models.ForeignKey(
        Attribute, verbose_name=_("attribute"), on_delete=models.CASCADE, related_name="choices"
    )
    name = models.CharField(_("label"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120)
    color = models.CharField(_("colour"), max_length=7, blank=True, help_text=_("#rrggbb, for swatches."))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("attribute choice")
        verbose_name_plural = _("attribute choices")
        constraints = [
            models.UniqueConstraint(fields=["attribute", "slug"], name="catalog_attributechoice_slug_uniq")
        ]

    def __str__(self) -> str:
        return self.name or self.slug


class ProductType(models.Model):
    """A kind of product (T-shirt, Book): the attributes its products and variants have."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    has_variants = models.BooleanField(
        _("has variants"), default=True, help_text=_("Products of this type come in options (size, colour).")
    )
    attributes = models.ManyToManyField(
        Attribute, through="ProductTypeAttribute", related_name="product_types", blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("product type")
        verbose_name_plural = _("product types")

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    PRODUCT = "product", _("Product")
    VARIANT = "variant", _("Variant")


class ProductTypeAttribute(models.Model):
    """An attribute of a product type, on its products or on its variants."""

    product_type = models.ForeignKey(ProductType, on_delete=models.CASCADE, related_name="type_attributes")
    attribute = models.ForeignKey(Attribute, on_delete=models.PROTECT, related_name="type_uses")
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, default=Level.PRODUCT)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("attribute of a product type")
        verbose_name_plural = _("attributes of a product type")
        constraints = [
            models.UniqueConstraint(fields=["product_type", "attribute"], name="catalog_typeattribute_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.product_type} · {self.attribute} ({self.level})"


class ProductCategory(models.Model):
    """A category of the shop's own tree (not the blog's), with an image."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    image = models.ImageField(_("image"), upload_to=category_image_path, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        constraints = unique_slug_per_language("catalog_category")

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"


class Collection(models.Model):
    """A hand-made, ordered list of products (summer sale, staff picks), shown in its window."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    image = models.ImageField(_("image"), upload_to=collection_image_path, blank=True)
    published_from = models.DateTimeField(_("shown from"), null=True, blank=True)
    published_until = models.DateTimeField(_("shown until"), null=True, blank=True)
    products = models.ManyToManyField("Product", through="CollectionProduct", related_name="collections")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        constraints = [
            *unique_slug_per_language("catalog_collection"),
            models.CheckConstraint(
                condition=Q(published_from__isnull=True)
                | Q(published_until__isnull=True)
                | Q(published_from__lt=F("published_until")),
                name="catalog_collection_window",
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"

    def is_shown(self, at=None) -> bool:
        """Whether readers see it at `at` (default: now)."""
        at = at or timezone.now()
        return (self.published_from is None or self.published_from <= at) and (
            self.published_until is None or at < self.published_until
        )


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archived")


class Product(models.Model):
    """Something the shop sells, in one or more variants. Readers see active products only.

    Status is a state machine: draft → active (activate) → draft (deactivate); draft or active →
    archived (archive) → draft (unarchive). A product is activated only with a price in the
    site's default currency on at least one variant (the services check it).
    """

    product_type = models.ForeignKey(
        ProductType, verbose_name=_("product type"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    # The description sanitised (nh3) when written, what pages show; its plain text for search.
    description_html = models.TextField(_("description (HTML)"), blank=True, editable=False)
    description_text = models.TextField(_("description (text)"), blank=True, editable=False)
    seo_title = models.CharField(_("SEO title"), max_length=255, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=320, blank=True)
    status = FSMField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    categories = models.ManyToManyField(
        ProductCategory, verbose_name=_("categories"), related_name="products", blank=True
    )
    tax_class = models.ForeignKey(
        TaxClass, verbose_name=_("tax class"), null=True, blank=True, on_delete=models.SET_NULL
    )
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = unique_slug_per_language("catalog_product")
        indexes = [models.Index(fields=["status", "-created_at"], name="catalog_product_status_idx")]

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"

    @transition(field=status, source=Status.DRAFT, target=Status.ACTIVE)
    def activate(self):
        self.activated_at = self.activated_at or timezone.now()

    @transition(field=status, source=Status.ACTIVE, target=Status.DRAFT)
    def deactivate(self):
        pass

    @transition(field=status, source=[Status.DRAFT, Status.ACTIVE], target=Status.ARCHIVED)
    def archive(self):
        pass

    @transition(field=status, source=Status.ARCHIVED, target=Status.DRAFT)
    def unarchive(self):
        pass


class ProductImage(models.Model):
    """An image of a product, in the gallery's order; `alt` is translated."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to=product_image_path)
    alt = models.CharField(_("alternative text"), max_length=255, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("product image")
        verbose_name_plural = _("product images")

    def __str__(self) -> str:
        return self.alt or self.image.name


class Variant(models.Model):
    """What a shopper buys: one product in one set of options, with its SKU and prices."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    barcode = models.CharField(_("barcode"), max_length=64, blank=True)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    # The variant's option choices as "attribute:choice" slugs, sorted and joined with "|": two
    # variants of a product cannot have the same options (the constraint below); "" without options.
    options_key = models.CharField(_("options"), max_length=500, blank=True, editable=False)
    track_inventory = models.BooleanField(
        _("track inventory"), default=True, help_text=_("Sell only what is in stock.")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "options_key"],
                condition=~Q(options_key=""),
                name="catalog_variant_options_uniq",
            )
        ]

    def __str__(self) -> str:
        return self.sku


class Price(models.Model):
    """A variant's price in one currency, in minor units, with the compare-at and cost prices."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="prices")
    currency = models.CharField(_("currency"), max_length=3)
    amount = models.BigIntegerField(_("price"))
    compare_at_amount = models.BigIntegerField(
        _("compare-at price"), null=True, blank=True, help_text=_("The former price, shown struck out.")
    )
    cost_amount = models.BigIntegerField(
        _("cost price"), null=True, blank=True, help_text=_("What the shop pays; never shown to shoppers.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["currency"]
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints = [
            models.UniqueConstraint(fields=["variant", "currency"], name="catalog_price_currency_uniq"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="catalog_price_amount_gte_0"),
            models.CheckConstraint(
                condition=Q(compare_at_amount__isnull=True) | Q(compare_at_amount__gte=0),
                name="catalog_price_compare_at_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(cost_amount__isnull=True) | Q(cost_amount__gte=0), name="catalog_price_cost_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


class AttributeValue(models.Model):
    """The value of one attribute on a product or on a variant (exactly one of the two).

    The column used follows the attribute's type: `text` (text, rich text: translated; rich text
    sanitised), `number`, `boolean`, `date`, or `choices` (choice, multiple choice, swatch).
    """

    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="values")
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.CASCADE, related_name="attribute_values"
    )
    variant = models.ForeignKey(
        Variant, null=True, blank=True, on_delete=models.CASCADE, related_name="attribute_values"
    )
    text = models.TextField(_("text"), blank=True)
    number = models.DecimalField(_("number"), max_digits=14, decimal_places=4, null=True, blank=True)
    boolean = models.BooleanField(_("yes or no"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    choices = models.ManyToManyField(AttributeChoice, related_name="values", blank=True)

    class Meta:
        ordering = ["attribute__position", "attribute_id"]
        verbose_name = _("attribute value")
        verbose_name_plural = _("attribute values")
        constraints = [
            models.CheckConstraint(
                condition=Q(product__isnull=True, variant__isnull=False)
                | Q(product__isnull=False, variant__isnull=True),
                name="catalog_attributevalue_one_owner",
            ),
            models.UniqueConstraint(
                fields=["product", "attribute"],
                condition=Q(product__isnull=False),
                name="catalog_attributevalue_product_uniq",
            ),
            models.UniqueConstraint(
                fields=["variant", "attribute"],
                condition=Q(variant__isnull=False),
                name="catalog_attributevalue_variant_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attribute}: {self.text or self.number or self.boolean or self.date or ''}"


class CollectionProduct(models.Model):
    """A product's place in a collection."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="entries")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="collection_entries")
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "product"], name="catalog_collectionproduct_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.collection} · {self.product}"
