"""Translated fields of the inventory (django-modeltranslation): a location's name per language."""

from modeltranslation.translator import TranslationOptions, register

from apps.inventory.models import StockLocation
from rustok.i18n import TenantFallbacks

LOCATION_FIELDS = ("name",)


@register(StockLocation)
class StockLocationTranslation(TranslationOptions):
    fields = LOCATION_FIELDS
    fallback_languages = TenantFallbacks()
