"""Translated fields of the site's settings (django-modeltranslation), with the site's fallback."""

from modeltranslation.translator import TranslationOptions, register

from apps.site.models import SiteSettings
from rustok.i18n import TenantFallbacks

SETTINGS_TEXT = ("tagline", "footer_text", "meta_description")


@register(SiteSettings)
class SiteSettingsTranslation(TranslationOptions):
    fields = SETTINGS_TEXT
    fallback_languages = TenantFallbacks()
