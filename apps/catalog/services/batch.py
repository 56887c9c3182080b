"""Writing many products with their variants and prices at once (an import): the services' own
checks, on data read in a few queries, then bulk statements and the services' events.

Two steps, in the caller's transaction:

    batch = check_batch(actor=actor, products=[ProductInput(...), ...])   # reads and checks only
    if not batch.problems:
        write_batch(batch, actor=actor)                                    # writes and publishes

`check_batch` collects every problem (each with the caller's `ref` and the field, named as the
services name it: `name_en`, `sku`, `attributes.size`, `prices.EUR.amount`) instead of stopping
at the first. Products are matched by `key` (their slug in the site's language, else in another
language), variants by SKU; what an input leaves UNSET (or does not name) is left as it is, and
nothing is deleted but the prices and attribute values given as None. Existing products matched
are locked until the transaction ends.

Events are those of the per-object services, one per product, variant and price that changed:
`catalog.product.created` (with the status the product is created in), `.updated` (naming what
changed) and the workflow's events for a status reached through its transitions (archived to
active: unarchived, then activated), `catalog.variant.created` / `.updated`,
`catalog.price.changed`; published together with rustok.events.publish_many.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from apps.catalog.events import (
    TRANSITION_EVENTS,
    PriceChanged,
    ProductCreated,
    ProductUpdated,
    VariantCreated,
    VariantUpdated,
)
from apps.catalog.models import (
    OPTION_TYPES,
    Attribute,
    AttributeChoice,
    AttributeValue,
    InputType,
    Level,
    Price,
    Product,
    ProductCategory,
    ProductType,
    Status,
    TaxClass,
    Variant,
)
from apps.catalog.services.products import check_weight, render_description, sellable_conflict
from apps.catalog.services.shop import shop_settings
from apps.catalog.services.values import (
    attributes_of,
    check_value,
    fill_value,
    options_key_of,
)
from apps.catalog.services.variants import check_flags, check_prices, check_sku_format
from apps.catalog.translation import PRODUCT_FIELDS
from rustok.bulk import copy_rows, insert, maker
from rustok.errors import InvalidInput
from rustok.events import publish_many
from rustok.i18n import language_codes, site_language
from rustok.permissions import require
from rustok.texts import assign, check_lengths, check_texts, column, fill_slugs
from rustok.tree import UNSET

PERM = "catalog.manage_catalog"
VARIANT_FLAGS = ("barcode", "weight_grams", "track_inventory", "position")
# The path through the workflow from one status to another.
PATHS = {
    (Status.DRAFT, Status.ACTIVE): ["activate"],
    (Status.ACTIVE, Status.DRAFT): ["deactivate"],
    (Status.DRAFT, Status.ARCHIVED): ["archive"],
    (Status.ACTIVE, Status.ARCHIVED): ["archive"],
    (Status.ARCHIVED, Status.DRAFT): ["unarchive"],
    (Status.ARCHIVED, Status.ACTIVE): ["unarchive", "activate"],
}
PRICE_FIELDS = ("amount", "compare_at_amount", "cost_amount")
# Constructors of new rows, for thousands of them (rustok.bulk.maker).
NEW_PRODUCT, NEW_VARIANT, NEW_VALUE = maker(Product), maker(Variant), maker(AttributeValue)


@dataclass
class VariantInput:
    """One variant as given: `texts` {language: {"name": ...}}, `attributes` by slug as
    write_values takes them, `prices` by currency ({"amount", "compare_at_amount",
    "cost_amount"} in minor units; None removes the price)."""

    sku: str
    ref: Any = None
    texts: dict | None = None
    barcode: Any = UNSET
    weight_grams: Any = UNSET
    track_inventory: Any = UNSET
    position: Any = UNSET
    attributes: dict = field(default_factory=dict)
    prices: dict = field(default_factory=dict)


@dataclass
class ProductInput:
    """One product as given, with its variants. `product_type` and `tax_class` are slugs,
    `categories` slugs of categories (in the site's language, else another)."""

    key: str
    ref: Any = None
    product_type: Any = UNSET
    status: Any = UNSET
    texts: dict | None = None
    categories: Any = UNSET
    tax_class: Any = UNSET
    weight_grams: Any = UNSET
    attributes: dict = field(default_factory=dict)
    variants: list[VariantInput] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """A refused value: the input's `ref`, whether it is of the product or of a variant, the field."""

    ref: Any
    level: str
    field: str
    message: str


@dataclass
class _Value:
    attribute: Any
    stored: AttributeValue
    delete: bool = False
    columns: bool = False  # a column changed (or the value is new)
    choices: list | None = None  # the choices to set, when they changed


@dataclass
class PlannedVariant:
    given: VariantInput
    variant: Variant
    new: bool
    changed: list[str] = field(default_factory=list)
    values: list[_Value] = field(default_factory=list)
    prices: list[tuple[str, Price | None, dict | None, int | None]] = field(default_factory=list)

    @property
    def action(self) -> str:
        return "created" if self.new else ("updated" if self.changed or self.prices else "unchanged")


@dataclass
class PlannedProduct:
    given: ProductInput
    product: Product
    new: bool
    changed: list[str] = field(default_factory=list)
    transitions: list[str] = field(default_factory=list)
    categories: list | None = None
    values: list[_Value] = field(default_factory=list)
    variants: list[PlannedVariant] = field(default_factory=list)

    @property
    def action(self) -> str:
        return "created" if self.new else ("updated" if self.changed or self.transitions else "unchanged")


@dataclass
class Batch:
    """What check_batch found: the problems, or the plan write_batch carries out."""

    problems: list[Problem] = field(default_factory=list)
    products: list[PlannedProduct] = field(default_factory=list)


class _Checker:
    """Everything the checks need, read once; then one product after another."""

    def __init__(self, products: list[ProductInput]):
        self.problems: list[Problem] = []
        self.languages = language_codes()
        self.site_language = site_language()
        settings = shop_settings()
        self.default_currency, self.currencies = settings.default_currency, settings.all_currencies
        self.types = {t.slug: t for t in ProductType.objects.all()}
        self.types_by_id = {t.pk: t for t in self.types.values()}
        self.known: dict[tuple[int, str], dict] = {}
        self.tax_classes = {t.slug: t for t in TaxClass.objects.all()}
        self.categories: dict[str, list] = {}
        order = [self.site_language, *(c for c in self.languages if c != self.site_language)]
        for category in ProductCategory.objects.all():
            for code in order:
                slug = getattr(category, column("slug", code))
                if slug:
                    self.categories.setdefault(slug, []).append((order.index(code), category))
        self.taken: dict[str, set[str]] = {code: set() for code in self.languages}
        slug_columns = [column("slug", code) for code in self.languages]
        for slugs in Product.objects.values_list(*slug_columns):
            for code, slug in zip(self.languages, slugs, strict=True):
                if slug:
                    self.taken[code].add(slug)
        self.existing = self._match([p.key for p in products])
        skus = [v.sku.strip() for p in products for v in p.variants if isinstance(v.sku, str)]
        self.variants: dict[str, Variant] = {}
        self.variants_of: dict[int, list[Variant]] = {}
        found = (
            Variant.objects.filter(Q(sku__in=skus) | Q(product_id__in=[p.pk for p in self.existing.values()]))
            .select_related("product")
            .order_by("id")
        )
        for variant in found:
            self.variants[variant.sku] = variant
            self.variants_of.setdefault(variant.product_id, []).append(variant)
        self.skus_given: dict[str, Any] = {}
        self._load_related(list(self.existing.values()), list(self.variants.values()))

    def _load_related(self, products: list[Product], variants: list[Variant]) -> None:
        """The stored values (with their choices), prices and categories of the rows matched, in
        a few queries (not a prefetch per row: thousands of rows)."""
        product_ids, variant_ids = [p.pk for p in products], [v.pk for v in variants]
        self.values_of: dict[tuple[str, int], dict[int, AttributeValue]] = {}
        values = AttributeValue.objects.filter(Q(product_id__in=product_ids) | Q(variant_id__in=variant_ids))
        for value in values:
            owner = (
                (Level.PRODUCT, value.product_id) if value.product_id else (Level.VARIANT, value.variant_id)
            )
            self.values_of.setdefault(owner, {})[value.attribute_id] = value
        self.chosen_ids: dict[int, set[int]] = {}
        through = AttributeValue.choices.through.objects.filter(
            attributevalue__in=AttributeValue.objects.filter(
                Q(product_id__in=product_ids) | Q(variant_id__in=variant_ids)
            )
        )
        for value_id, choice_id in through.values_list("attributevalue_id", "attributechoice_id"):
            self.chosen_ids.setdefault(value_id, set()).add(choice_id)
        self.prices_of: dict[int, dict[str, Price]] = {}
        for price in Price.objects.filter(variant_id__in=variant_ids):
            self.prices_of.setdefault(price.variant_id, {})[price.currency] = price
        self.categories_of: dict[int, set[int]] = {}
        linked = Product.categories.through.objects.filter(product_id__in=product_ids)
        for product_id, category_id in linked.values_list("product_id", "productcategory_id"):
            self.categories_of.setdefault(product_id, set()).add(category_id)
        self.choice_slugs = dict(AttributeChoice.objects.values_list("id", "slug"))
        self.attribute_slugs = dict(Attribute.objects.values_list("id", "slug"))

    def _match(self, keys: list[str]) -> dict[str, Product]:
        """Products by key: the slug in the site's language, else in another language; locked."""
        found: dict[str, Product] = {}
        keys = [k for k in dict.fromkeys(keys) if k]
        for code in [self.site_language, *(c for c in self.languages if c != self.site_language)]:
            wanted = [k for k in keys if k not in found]
            if not wanted:
                break
            rows = Product.objects.select_for_update(of=("self",)).filter(
                **{f"{column('slug', code)}__in": wanted}
            )
            for product in rows:
                found.setdefault(getattr(product, column("slug", code)), product)
        return found

    def attributes(self, type_id: int, level: str) -> dict:
        if (type_id, level) not in self.known:
            self.known[type_id, level] = attributes_of(type_id, level)
        return self.known[type_id, level]

    def fail(self, ref, level: str, name: str, message: str) -> None:
        self.problems.append(Problem(ref, level, name, message))

    def failed(self, ref, level: str, exc: InvalidInput, rename: Callable[[str], str] = str) -> None:
        for name, messages in (exc.errors or {"": [exc.detail]}).items():
            self.fail(ref, level, rename(name), " ".join(messages))

    # --- products ------------------------------------------------------------------------------

    def product(self, given: ProductInput) -> PlannedProduct | None:
        ref, before = given.ref, len(self.problems)
        stored = self.existing.get(given.key)
        product_type = self._product_type(given, stored)
        if product_type is None:
            return None
        product = stored or NEW_PRODUCT(product_type=product_type, status=Status.DRAFT)
        plan = PlannedProduct(given=given, product=product, new=stored is None)
        plan.changed += self._texts(plan)
        plan.changed += self._columns(plan)
        self._categories(plan)
        plan.values, changed = self._values(ref, "product", product, product_type.pk, Level.PRODUCT, given)
        plan.changed += changed
        for variant in given.variants:
            planned = self.variant(plan, variant)
            if planned is not None:
                plan.variants.append(planned)
        self._options_unique(plan)
        self._status(plan)
        return plan if len(self.problems) == before else None

    def _product_type(self, given: ProductInput, stored: Product | None) -> ProductType | None:
        slug = given.product_type if isinstance(given.product_type, str) else ""
        if stored is not None:
            if slug and slug != self.types_by_id[stored.product_type_id].slug:
                self.fail(given.ref, "product", "product_type", "The product type is fixed at creation.")
            return self.types_by_id[stored.product_type_id]
        if not slug:
            self.fail(given.ref, "product", "product_type", "A new product needs its product type.")
            return None
        if slug not in self.types:
            known = ", ".join(sorted(self.types)) or "none"
            self.fail(given.ref, "product", "product_type", f"No product type '{slug}'. Known: {known}.")
            return None
        return self.types[slug]

    def _texts(self, plan: PlannedProduct) -> list[str]:
        product, given = plan.product, plan.given
        try:
            clean = check_texts(given.texts, PRODUCT_FIELDS)
        except InvalidInput as exc:
            self.failed(given.ref, "product", exc)
            return []
        own = clean.setdefault(self.site_language, {})
        if plan.new and not own.get("slug") and own.get("name") and given.key:
            own["slug"] = given.key
        slugs = {code: getattr(product, column("slug", code)) for code in self.languages}
        for code, slug in slugs.items():
            self.taken[code].discard(slug)
        changed = assign(product, clean)
        try:
            check_lengths(product, ("name", "slug", "seo_title", "seo_description"))
            fill_slugs(product, source="name", required="name", taken=self.taken)
        except InvalidInput as exc:
            self.failed(given.ref, "product", exc)
            for code, slug in slugs.items():
                if slug:
                    self.taken[code].add(slug)
            return changed
        changed += [
            column("slug", code)
            for code, slug in slugs.items()
            if getattr(product, column("slug", code)) != slug and column("slug", code) not in changed
        ]
        if any(name.startswith("description_") for name in changed):
            render_description(product)
        return changed

    def _columns(self, plan: PlannedProduct) -> list[str]:
        product, given, changed = plan.product, plan.given, []
        if given.tax_class is not UNSET:
            tax_class = None
            if given.tax_class:
                tax_class = self.tax_classes.get(given.tax_class)
                if tax_class is None:
                    self.fail(given.ref, "product", "tax_class", f"No tax class '{given.tax_class}'.")
            if (tax_class.pk if tax_class else None) != product.tax_class_id and (
                tax_class or not given.tax_class
            ):
                product.tax_class = tax_class
                changed.append("tax_class")
        if given.weight_grams is not UNSET:
            try:
                weight = check_weight(given.weight_grams)
            except InvalidInput as exc:
                self.failed(given.ref, "product", exc)
            else:
                if weight != product.weight_grams:
                    product.weight_grams = weight
                    changed.append("weight_grams")
        return changed

    def _categories(self, plan: PlannedProduct) -> None:
        given = plan.given
        if given.categories is UNSET:
            return
        chosen, missing = [], []
        for slug in given.categories:
            found = self.categories.get(slug)
            if not found:
                missing.append(slug)
            elif (category := min(found, key=lambda pair: pair[0])[1]) not in chosen:
                chosen.append(category)
        if missing:
            self.fail(given.ref, "product", "categories", f"No category {', '.join(missing)}.")
            return
        before = set() if plan.new else self.categories_of.get(plan.product.pk, set())
        if {c.pk for c in chosen} != before:
            plan.categories = chosen
            if not plan.new:
                plan.changed.append("categories")

    def _values(self, ref, level_name: str, owner, type_id: int, level: str, given) -> tuple[list, list]:
        """The attribute values given, checked as write_values checks them; the planned writes and
        the slugs changed. A value removed (None) of an attribute the type lacks is no change."""
        known = self.attributes(type_id, level)
        existing = {} if owner.pk is None else self.values_of.get((level, owner.pk), {})
        planned, changed = [], []
        for slug, value in given.attributes.items():
            name = f"attributes.{slug}"
            attribute = known.get(slug)
            if attribute is None:
                if value is not None:
                    self.fail(
                        ref,
                        level_name,
                        name,
                        f"This product type has no {level} attribute '{slug}'. "
                        f"It has: {', '.join(known) or 'none'}.",
                    )
                continue
            try:
                if isinstance(value, dict) and attribute.input_type in (InputType.TEXT, InputType.RICH_TEXT):
                    clean = {}
                    for code, text in value.items():
                        clean.update(check_value(attribute, {code: text}, f"{name}.{code}"))
                else:
                    clean = check_value(attribute, value, name)
            except InvalidInput as exc:
                self.failed(ref, level_name, exc)
                continue
            stored = existing.get(attribute.pk)
            if clean is None:
                if stored is not None:
                    planned.append(_Value(attribute, stored, delete=True))
                    changed.append(slug)
                continue
            new = stored is None
            stored = stored or NEW_VALUE(attribute=attribute, **{level: owner})
            plan = _Value(attribute, stored, columns=fill_value(stored, attribute, clean) or new)
            if attribute.has_choices and (
                new or {c.pk for c in clean} != self.chosen_ids.get(stored.pk, set())
            ):
                plan.choices = clean
            if plan.columns or plan.choices is not None:
                planned.append(plan)
                changed.append(slug)
        return planned, changed

    def _status(self, plan: PlannedProduct) -> None:
        given, product = plan.given, plan.product
        status = product.status if given.status is UNSET or not given.status else given.status
        if status not in Status.values:
            self.fail(given.ref, "product", "status", f"Give one of: {', '.join(Status.values)}.")
            return
        if plan.new:
            product.status = status
        elif status != product.status:
            plan.transitions = PATHS[product.status, status]
        if status != Status.ACTIVE:
            return
        planned = {p.variant.sku: p for p in plan.variants}
        others = (
            [v for v in self.variants_of.get(product.pk, []) if v.sku not in planned] if product.pk else []
        )
        currency = self.default_currency
        priced = [(sku, self._priced(p, currency)) for sku, p in planned.items()]
        priced += [(v.sku, currency in self.prices_of.get(v.pk, {})) for v in others]
        conflict = sellable_conflict(currency, priced)
        if conflict is None:
            return
        unpriced = set(conflict.extra.get("variants", []))
        for sku in unpriced & set(planned):
            self.fail(
                planned[sku].given.ref,
                "variant",
                f"prices.{currency}.amount",
                f"An active product needs a price in {currency} on every variant.",
            )
        if not unpriced or unpriced - set(planned):
            self.fail(given.ref, "product", "status", conflict.detail)

    def _priced(self, plan: PlannedVariant, currency: str) -> bool:
        stored = set(self.prices_of.get(plan.variant.pk, {})) if plan.variant.pk else set()
        for code, _stored, given, _previous in plan.prices:
            if given is None:
                stored.discard(code)
            else:
                stored.add(code)
        return currency in stored

    # --- variants ------------------------------------------------------------------------------

    def variant(self, plan: PlannedProduct, given: VariantInput) -> PlannedVariant | None:
        ref, product = given.ref, plan.product
        try:
            sku = check_sku_format(given.sku)
        except InvalidInput as exc:
            self.failed(ref, "variant", exc)
            return None
        if sku in self.skus_given:
            self.fail(ref, "variant", "sku", f"The SKU '{sku}' is given twice.")
            return None
        self.skus_given[sku] = ref
        stored = self.variants.get(sku)
        if stored is not None and (product.pk is None or stored.product_id != product.pk):
            self.fail(ref, "variant", "sku", f"The SKU '{sku}' is already used by another product.")
            return None
        product_type = self.types_by_id[product.product_type_id]
        if stored is None and not product_type.has_variants:
            count = len(self.variants_of.get(product.pk, [])) if product.pk else 0
            if count + sum(p.new for p in plan.variants) >= 1:
                self.fail(ref, "variant", "sku", "Products of this type have one variant only.")
                return None
        variant = stored or NEW_VARIANT(product=product, sku=sku)
        planned = PlannedVariant(given=given, variant=variant, new=stored is None)
        try:
            planned.changed += assign(variant, check_texts(given.texts, ("name",)))
            check_lengths(variant, ("name",))
        except InvalidInput as exc:
            self.failed(ref, "variant", exc)
        for name in VARIANT_FLAGS:
            value = getattr(given, name)
            if value is UNSET:
                continue
            try:
                flags = dict.fromkeys(VARIANT_FLAGS, UNSET) | {name: value}
                planned.changed += check_flags(variant, **flags)
            except InvalidInput as exc:
                self.failed(ref, "variant", exc)
        planned.values, changed = self._values(ref, "variant", variant, product_type.pk, Level.VARIANT, given)
        planned.changed += [f"attributes.{slug}" for slug in changed]
        self._prices(planned)
        if planned.new:
            planned.changed = []
        return planned

    def _prices(self, planned: PlannedVariant) -> None:
        given = planned.given
        codes = list(given.prices)
        existing = self.prices_of.get(planned.variant.pk, {}) if planned.variant.pk else {}
        listed = []
        for code, price in given.prices.items():
            if price is None:
                listed.append({"currency": code, "amount": None})
                continue
            # What the price leaves out (the cost price, say) stays as stored.
            stored = existing.get(code)
            kept = {k: getattr(stored, k) for k in PRICE_FIELDS if stored is not None and k not in price}
            listed.append({"currency": code, **{k: price.get(k) for k in PRICE_FIELDS}, **kept})

        def rename(name: str) -> str:
            parts = name.split(".")
            if len(parts) >= 2 and parts[0] == "prices" and parts[1].isdigit():
                parts[1] = codes[int(parts[1])]
            return ".".join(parts)

        try:
            clean = check_prices(listed, removable=True, sold=self.currencies)
        except InvalidInput as exc:
            self.failed(given.ref, "variant", exc, rename)
            return
        for price in clean:
            code, stored = price["currency"], existing.get(price["currency"])
            if price["amount"] is None:
                if stored is not None:
                    planned.prices.append((code, stored, None, stored.amount))
                continue
            values = tuple(price[k] for k in PRICE_FIELDS)
            if stored is not None and (stored.amount, stored.compare_at_amount, stored.cost_amount) == values:
                continue
            planned.prices.append((code, stored, price, stored.amount if stored else None))

    def _options_unique(self, plan: PlannedProduct) -> None:
        """Every variant chooses each option of the type; no two variants of the product the same."""
        product = plan.product
        options = {
            slug: a
            for slug, a in self.attributes(product.product_type_id, Level.VARIANT).items()
            if a.input_type in OPTION_TYPES
        }
        if not options:
            return
        planned = {p.variant.sku for p in plan.variants}
        keys = {v.options_key: v.sku for v in self.variants_of.get(product.pk, []) if v.sku not in planned}
        for variant_plan in plan.variants:
            chosen = self._chosen(variant_plan, options)
            missing = [slug for slug in options if slug not in chosen]
            ref = variant_plan.given.ref
            for slug in missing:
                self.fail(ref, "variant", f"attributes.{slug}", "Every variant has this option.")
            if missing:
                continue
            key = options_key_of(chosen)
            if key in keys:
                first = next(iter(options))
                self.fail(
                    ref,
                    "variant",
                    f"attributes.{first}",
                    "Another variant of this product has these options.",
                )
                continue
            keys[key] = variant_plan.variant.sku
            if key != variant_plan.variant.options_key:
                variant_plan.variant.options_key = key

    def _chosen(self, plan: PlannedVariant, options: dict) -> dict[str, list[str]]:
        chosen: dict[str, list[str]] = {}
        if plan.variant.pk:
            for value in self.values_of.get((Level.VARIANT, plan.variant.pk), {}).values():
                slug = self.attribute_slugs[value.attribute_id]
                if slug in options:
                    chosen[slug] = [self.choice_slugs[c] for c in self.chosen_ids.get(value.pk, ())]
        for value in plan.values:
            slug = value.attribute.slug
            if slug not in options:
                continue
            if value.delete:
                chosen.pop(slug, None)
            elif value.choices is not None:
                chosen[slug] = [c.slug for c in value.choices]
        return chosen


def check_batch(*, actor, products: Iterable[ProductInput], progress=None) -> Batch:
    """Check every product and variant given, reading what is stored in a few queries; the plan,
    or every problem found. Writes nothing. `progress(done, total)` is called as products pass."""
    require(actor, PERM)
    products = list(products)
    checker = _Checker(products)
    batch = Batch()
    keys: dict[str, Any] = {}
    for number, given in enumerate(products, 1):
        if given.key in keys:
            checker.fail(given.ref, "product", "key", "This product is given twice.")
        keys[given.key] = given.ref
        planned = checker.product(given)
        if planned is not None:
            batch.products.append(planned)
        if progress is not None and (number % 200 == 0 or number == len(products)):
            progress(number, len(products))
    batch.problems = checker.problems
    return batch


def write_batch(batch: Batch, *, actor, progress=None) -> None:
    """Write a checked batch in bulk statements and publish its events (in the caller's
    transaction). `progress(done, total)` is called as the steps pass."""
    require(actor, PERM)
    if batch.problems:
        raise InvalidInput("The batch has problems; nothing is written.")
    now = timezone.now()
    plans = batch.products
    steps = 8

    def step(done: int) -> None:
        if progress is not None:
            progress(done, steps)

    new = [p.product for p in plans if p.new]
    for plan in plans:
        if plan.new and plan.product.status == Status.ACTIVE:
            plan.product.activated_at = now
        for name in plan.transitions:
            getattr(plan.product, name)()
    insert(new)
    changed = [p.product for p in plans if not p.new and (p.changed or p.transitions)]
    for product in changed:
        product.updated_at = now
    texts = [
        column(f, c)
        for f in (*PRODUCT_FIELDS, "description_html", "description_text")
        for c in language_codes()
    ]
    fields = ["updated_at", "status", "activated_at", "tax_class", "weight_grams", *texts]
    Product.objects.bulk_update(changed, fields, batch_size=1000)
    step(1)
    through = Product.categories.through
    regrouped = [p for p in plans if p.categories is not None]
    through.objects.filter(product_id__in=[p.product.pk for p in regrouped if not p.new]).delete()
    copy_rows(
        through,
        ["product_id", "productcategory_id"],
        ((p.product.pk, c.pk) for p in regrouped for c in p.categories),
    )
    _write_values([v for p in plans for v in p.values], now)
    step(2)
    variants = [v for p in plans for v in p.variants]
    insert([v.variant for v in variants if v.new])
    updated = [v.variant for v in variants if not v.new and v.changed]
    for variant in updated:
        variant.updated_at = now
    fields = ["updated_at", "options_key", "barcode", "weight_grams", "track_inventory", "position"]
    fields += [column("name", c) for c in language_codes()]
    Variant.objects.bulk_update(updated, fields, batch_size=1000)
    step(3)
    _write_values([value for v in variants for value in v.values], now)
    step(4)
    _write_prices(variants, now)
    step(5)
    publish_many(_events(plans, getattr(actor, "pk", None)))
    step(steps)


def _write_values(values: list[_Value], now) -> None:
    AttributeValue.objects.filter(pk__in=[v.stored.pk for v in values if v.delete]).delete()
    kept = [v for v in values if not v.delete]
    changed = [v.stored for v in kept if v.columns and v.stored.pk is not None]
    insert([v.stored for v in kept if v.stored.pk is None])
    fields = ["number", "boolean", "date", *(column("text", c) for c in language_codes())]
    AttributeValue.objects.bulk_update(changed, fields, batch_size=2000)
    through = AttributeValue.choices.through
    chosen = [v for v in kept if v.choices is not None]
    through.objects.filter(attributevalue_id__in=[v.stored.pk for v in chosen]).delete()
    copy_rows(
        through,
        ["attributevalue_id", "attributechoice_id"],
        ((v.stored.pk, c.pk) for v in chosen for c in v.choices),
    )


def _write_prices(variants: list[PlannedVariant], now) -> None:
    gone, new, changed = [], [], []
    for planned in variants:
        for code, stored, given, _previous in planned.prices:
            if given is None:
                gone.append(stored.pk)
            elif stored is None:
                new.append((planned.variant.pk, code, *(given[k] for k in PRICE_FIELDS), now))
            else:
                stored.amount, stored.compare_at_amount, stored.cost_amount = (given[k] for k in PRICE_FIELDS)
                stored.updated_at = now
                changed.append(stored)
    Price.objects.filter(pk__in=gone).delete()
    copy_rows(Price, ["variant_id", "currency", *PRICE_FIELDS, "updated_at"], new)
    Price.objects.bulk_update(
        changed, ["amount", "compare_at_amount", "cost_amount", "updated_at"], batch_size=2000
    )


def _events(plans: list[PlannedProduct], actor_id: int | None):
    for plan in plans:
        product = plan.product
        if plan.new:
            yield ProductCreated(product_id=product.pk, actor_id=actor_id, status=product.status)
        elif plan.changed:
            yield ProductUpdated(product_id=product.pk, actor_id=actor_id, changed=plan.changed)
        for name in plan.transitions:
            yield TRANSITION_EVENTS[name](product_id=product.pk, actor_id=actor_id)
        for planned in plan.variants:
            variant = planned.variant
            if planned.new:
                yield VariantCreated(
                    variant_id=variant.pk, product_id=product.pk, actor_id=actor_id, sku=variant.sku
                )
            elif planned.changed:
                yield VariantUpdated(
                    variant_id=variant.pk, product_id=product.pk, actor_id=actor_id, changed=planned.changed
                )
            for code, _stored, given, previous in planned.prices:
                yield PriceChanged(
                    variant_id=variant.pk,
                    product_id=product.pk,
                    actor_id=actor_id,
                    currency=code,
                    amount=None if given is None else given["amount"],
                    previous=previous,
                )
