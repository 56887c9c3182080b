"""Translated fields of the catalogue (django-modeltranslation): one column per language.

Every model falls back to the site's default language, then the others (rustok.i18n).
"""

from modeltranslation.translator import TranslationOptions, register

from apps.catalog.models import (
    Attribute,
    AttributeChoice,
    AttributeValue,
    Collection,
    Product,
    ProductCategory,
    ProductImage,
    ProductType,
    TaxClass,
    Variant,
)
from rustok.i18n import TenantFallbacks

# The text writers send, per model; derived fields are computed by the services.
PRODUCT_DERIVED = ("description_html", "description_text")
PRODUCT_FIELDS = ("name", "slug", "description", "seo_title", "seo_description")
CATEGORY_FIELDS = ("name", "slug", "description")
COLLECTION_FIELDS = ("name", "slug", "description")
NAME_FIELDS = ("name",)

TRANSLATED = {
    Product: (*PRODUCT_FIELDS, *PRODUCT_DERIVED),
    ProductCategory: CATEGORY_FIELDS,
    Collection: COLLECTION_FIELDS,
    ProductType: NAME_FIELDS,
    Attribute: NAME_FIELDS,
    AttributeChoice: NAME_FIELDS,
    TaxClass: NAME_FIELDS,
    Variant: NAME_FIELDS,
    ProductImage: ("alt",),
    AttributeValue: ("text",),
}

for _model, _fields in TRANSLATED.items():
    register(_model)(
        type(
            f"{_model.__name__}Translation",
            (TranslationOptions,),
            {"fields": _fields, "fallback_languages": TenantFallbacks()},
        )
    )
