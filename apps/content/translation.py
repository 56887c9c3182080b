"""Translated fields (django-modeltranslation): one column per language in settings.LANGUAGES.

Every model falls back to the site's default language, then the others (rustok.i18n), when the
active language has no text.
"""

from modeltranslation.translator import TranslationOptions, register

from apps.content.models import Category, Node, Tag
from rustok.i18n import TenantFallbacks

# The translated fields of each model, also read by services, serializers and revisions.
# Derived fields (body_html, body_text, summary, reading_time) are computed by the services from
# the body and excerpt whenever those are written, never sent by writers (services.revisions).
DERIVED_FIELDS = ("body_html", "body_text", "summary", "reading_time")
NODE_FIELDS = ("title", "slug", "excerpt", "body", "seo_title", "seo_description", *DERIVED_FIELDS)
CATEGORY_FIELDS = ("name", "slug", "description")
TAG_FIELDS = ("name", "slug")


@register(Node)
class NodeTranslation(TranslationOptions):
    fields = NODE_FIELDS
    fallback_languages = TenantFallbacks()


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = CATEGORY_FIELDS
    fallback_languages = TenantFallbacks()


@register(Tag)
class TagTranslation(TranslationOptions):
    fields = TAG_FIELDS
    fallback_languages = TenantFallbacks()
