"""The demo site's settings: tagline, accent colour, footer, a social link (`seed`), and the home
page (`finish`, once every module's sample exists: the content module's "Welcome" page, chosen
among the home choices). Run by `rustok demo` (idempotent)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import translation

from apps.site import services
from apps.site.selectors import site_settings
from rustok import storefront
from rustok.permissions import OWNER

HOME_TITLE = "Welcome"
TEXTS = {
    "en": {
        "tagline": "Tea from family gardens",
        "footer_text": "A demo site of the RusToK platform. The teas are imaginary; the code is real.",
        "meta_description": "The RusToK demo tea house: pages, a blog and search in English and Russian.",
    },
    "ru": {
        "tagline": "Чай из семейных садов",
        "footer_text": "Демо-сайт платформы RusToK. Чаи придуманы, код настоящий.",
        "meta_description": "Демо-чайный дом RusToK: страницы, блог и поиск на русском и английском.",
    },
}


def owner():
    return get_user_model().objects.filter(role=OWNER, is_active=True).order_by("pk").first()


def seed(tenant) -> None:
    actor = owner()
    if actor is None:
        return
    settings = site_settings()
    values = {
        "accent_color": "#2f7d4f",
        "contact_email": "hello@demo.localhost",
        "contact_address": "1 Tea Garden Lane, Demo Town",
    }
    links = [] if settings.social_links.exists() else [("mastodon", "https://mastodon.social/@rustok")]
    services.update_settings(
        actor=actor, values=values, texts=TEXTS, **({"social_links": links} if links else {})
    )


def finish(tenant) -> None:
    """Choose the demo's "Welcome" page as the home page, unless a home page is chosen already."""
    actor = owner()
    if actor is None or site_settings().home_page is not None:
        return
    with translation.override("en"):
        home = next((c for c in storefront.home_choices() if c.label == HOME_TITLE), None)
    if home is not None:
        services.update_settings(actor=actor, values={"home_page": home.id})
