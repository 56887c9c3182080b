"""The columns of the catalogue's files for the current site, and what each one holds.

One row per variant, the product's columns repeated on each of its rows:

    product  product_type  status  name:<lang> slug:<lang> description:<lang> seo_title:<lang>
    seo_description:<lang> (every language)  categories  tax_class  weight_grams
    attribute:<slug> (text and rich text: attribute:<slug>:<lang>)
    sku  variant_name:<lang>  barcode  variant_weight_grams  track_inventory  position
    variant_attribute:<slug> (text: variant_attribute:<slug>:<lang>)
    price:<CUR> compare_at:<CUR> cost:<CUR> (every currency of the shop)
    the columns of registered providers (providers.py): stock:<location>, ...
"""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.catalog.exchange import providers
from apps.catalog.models import Attribute, InputType, Level
from apps.catalog.services.shop import check_priced_in, shop_settings
from apps.catalog.translation import PRODUCT_FIELDS
from rustok.errors import InvalidInput
from rustok.i18n import language_codes, site_language

TEXT_TYPES = (InputType.TEXT, InputType.RICH_TEXT)
PRODUCT_SIMPLE = ("product", "product_type", "status", "categories", "tax_class", "weight_grams")
VARIANT_SIMPLE = ("sku", "barcode", "variant_weight_grams", "track_inventory", "position")
PRICE_KINDS = {"price": "amount", "compare_at": "compare_at_amount", "cost": "cost_amount"}
SEPARATOR = "|"


@dataclass(frozen=True)
class Column:
    """One column of a file: its name, what it holds (`kind`), and for whom (`level`).

    kind: one of PRODUCT_SIMPLE and VARIANT_SIMPLE, "text" (`field` and `language`),
    "variant_name" (`language`), "attribute" (`attribute`, `language` for text), a price kind
    ("price", "compare_at", "cost": `currency`), or "provider" (`provider`).
    """

    name: str
    kind: str
    level: str
    field: str = ""
    language: str = ""
    currency: str = ""
    attribute: Attribute | None = None
    provider: providers.ColumnProvider | None = None


@dataclass
class Layout:
    """What the current site's files hold: languages, currencies, attributes, providers."""

    languages: list[str]
    site_language: str
    currencies: list[str]
    attributes: dict[str, Attribute]
    levels: dict[str, list[str]]  # level -> slugs of the attributes some type has at that level
    provided: dict[str, providers.ColumnProvider] = field(default_factory=dict)

    @property
    def by_id(self) -> dict[int, Attribute]:
        return {a.pk: a for a in self.attributes.values()}

    def columns(self) -> list[str]:
        """Every column, in the order export writes them."""
        names = list(PRODUCT_SIMPLE[:3])
        names += [f"{f}:{code}" for f in PRODUCT_FIELDS for code in self.languages]
        names += list(PRODUCT_SIMPLE[3:])
        names += self._attribute_columns("attribute", Level.PRODUCT)
        names += ["sku", *(f"variant_name:{code}" for code in self.languages)]
        names += list(VARIANT_SIMPLE[1:])
        names += self._attribute_columns("variant_attribute", Level.VARIANT)
        names += [f"{kind}:{code}" for code in self.currencies for kind in PRICE_KINDS]
        names += list(self.provided)
        return names

    def _attribute_columns(self, prefix: str, level: str) -> list[str]:
        names = []
        for slug in self.levels[level]:
            if self.attributes[slug].input_type in TEXT_TYPES:
                names += [f"{prefix}:{slug}:{code}" for code in self.languages]
            else:
                names.append(f"{prefix}:{slug}")
        return names

    def column(self, name: str) -> Column:
        """What the column `name` holds; InvalidInput naming it when the site has no such column."""
        if name in PRODUCT_SIMPLE:
            return Column(name, name, Level.PRODUCT)
        if name in VARIANT_SIMPLE:
            return Column(name, name, Level.VARIANT)
        if name in self.provided:
            return Column(name, "provider", Level.VARIANT, provider=self.provided[name])
        head, _, rest = name.partition(":")
        if head in PRODUCT_FIELDS:
            return Column(name, "text", Level.PRODUCT, field=head, language=self._language(name, rest))
        if head == "variant_name":
            return Column(
                name, "variant_name", Level.VARIANT, field="name", language=self._language(name, rest)
            )
        if head in ("attribute", "variant_attribute"):
            return self._attribute(name, rest, Level.PRODUCT if head == "attribute" else Level.VARIANT)
        if head in PRICE_KINDS:
            code = check_priced_in(rest, name)
            return Column(name, head, Level.VARIANT, field=PRICE_KINDS[head], currency=code)
        raise InvalidInput.for_field(name, "Unknown column.")

    def _language(self, name: str, code: str) -> str:
        if code not in self.languages:
            raise InvalidInput.for_field(
                name, f"Unknown language '{code}'. Known: {', '.join(self.languages)}."
            )
        return code

    def _attribute(self, name: str, rest: str, level: str) -> Column:
        slug, _, code = rest.partition(":")
        attribute = self.attributes.get(slug)
        if attribute is None:
            raise InvalidInput.for_field(name, f"No attribute '{slug}'.")
        if attribute.input_type in TEXT_TYPES:
            if not code:
                raise InvalidInput.for_field(
                    name, f"Text attributes take a language: {name}:{self.site_language}."
                )
            return Column(name, "attribute", level, attribute=attribute, language=self._language(name, code))
        if code:
            raise InvalidInput.for_field(name, "Only text attributes take a language.")
        return Column(name, "attribute", level, attribute=attribute)


def layout() -> Layout:
    """The layout of the site whose schema is active."""
    attributes = {a.slug: a for a in Attribute.objects.prefetch_related("choices").order_by("position", "id")}
    levels = {Level.PRODUCT: [], Level.VARIANT: []}
    used = Attribute.objects.filter(type_uses__isnull=False).values_list("slug", "type_uses__level")
    found = set(used)
    for slug in attributes:
        for level in levels:
            if (slug, level) in found:
                levels[level].append(slug)
    provided = {}
    taken = {*PRODUCT_SIMPLE, *VARIANT_SIMPLE}
    for provider in providers.registered():
        for name in provider.columns():
            head = name.partition(":")[0]
            if name in taken or head in (
                *PRODUCT_FIELDS,
                "variant_name",
                "attribute",
                "variant_attribute",
                *PRICE_KINDS,
            ):
                raise ValueError(
                    f"The column provider '{provider.name}' claims the catalogue's column '{name}'."
                )
            taken.add(name)
            provided[name] = provider
    return Layout(
        languages=language_codes(),
        site_language=site_language(),
        currencies=shop_settings().all_currencies,
        attributes=attributes,
        levels=levels,
        provided=provided,
    )
