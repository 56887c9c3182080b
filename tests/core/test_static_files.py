"""Static files' addresses, kept per process by the storage (rustok.static_files)."""

from django.contrib.staticfiles.storage import staticfiles_storage
from django.template import Context, Template


def render(source: str) -> str:
    return Template("{% load static %}" + source).render(Context())


def test_the_static_tag_gives_the_files_address_each_time():
    for _ in range(2):
        assert render("{% static 'rustok/storefront.css' %}") == "/static/rustok/storefront.css"


def test_another_static_url_gives_new_addresses(settings):
    assert staticfiles_storage.url("rustok/shop.js") == "/static/rustok/shop.js"
    settings.STATIC_URL = "/assets/"
    assert render("{% static 'rustok/shop.js' %}") == "/assets/rustok/shop.js"
