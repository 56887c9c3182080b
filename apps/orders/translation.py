"""Translated fields of the orders module (django-modeltranslation): the names shoppers read."""

from modeltranslation.translator import TranslationOptions, register

from apps.orders.models import ShippingMethod, ShippingZone, Voucher
from rustok.i18n import TenantFallbacks


@register(ShippingZone)
class ShippingZoneTranslation(TranslationOptions):
    fields = ("name",)
    fallback_languages = TenantFallbacks()


@register(ShippingMethod)
class ShippingMethodTranslation(TranslationOptions):
    fields = ("name", "description")
    fallback_languages = TenantFallbacks()


@register(Voucher)
class VoucherTranslation(TranslationOptions):
    fields = ("name",)
    fallback_languages = TenantFallbacks()
