"""Translations with the site's fallback, slugs per language, and featured image uploads."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context
from PIL import Image

from apps.content.models import Node
from rustok.errors import InvalidInput
from tests.accounts.factories import SiteAdminFactory
from tests.conftest import ALPHA_HOST, bearer
from tests.content.factories import make_category, make_node

pytestmark = pytest.mark.django_db


def test_missing_translations_fall_back_to_the_sites_default_language(tenant_a, tenant_b):
    with schema_context("alpha"):  # English site
        node = make_node(texts={"en": {"title": "Tea", "excerpt": "Hot"}, "ru": {"title": "Чай"}})
        with translation.override("ru"):
            assert (node.title, node.excerpt) == ("Чай", "Hot")
    with schema_context("beta"):  # Russian site
        node = make_node(texts={"ru": {"title": "Кофе", "excerpt": "Горячий"}, "en": {"title": "Coffee"}})
        with translation.override("en"):
            assert (node.title, node.excerpt) == ("Coffee", "Горячий")


def test_slugs_are_unique_per_language_and_kind(tenant_a):
    with schema_context("alpha"):
        first = make_node(texts={"en": {"title": "Menu"}, "ru": {"title": "Меню"}})
        second = make_node(texts={"en": {"title": "Menu"}, "ru": {"title": "Меню"}})
        post = make_node(kind="post", texts={"en": {"title": "Menu"}})
        assert (first.slug_en, first.slug_ru) == ("menu", "меню")
        assert (second.slug_en, second.slug_ru) == ("menu-2", "меню-2")
        assert post.slug_en == "menu"  # another kind, another address space
        with pytest.raises(InvalidInput) as taken:
            make_node(texts={"en": {"title": "Other"}, "ru": {"title": "Другое", "slug": "меню"}})
        assert list(taken.value.errors) == ["slug_ru"]
        # The same slug may be used in another language.
        assert make_node(texts={"en": {"title": "X", "slug": "меню"}}).slug_en == "меню"


def test_categories_have_translated_names_and_slugs(tenant_a):
    with schema_context("alpha"):
        category = make_category(name="Recipes", ru={"name": "Рецепты"})
        assert (category.slug_en, category.slug_ru) == ("recipes", "рецепты")
        with translation.override("ru"):
            assert category.name == "Рецепты"


def image_bytes(fmt="PNG", size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, fmt)
    return buffer.getvalue()


def test_a_featured_image_is_stored_under_the_tenants_media_root(tenant_a, media):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        node = make_node(actor=admin)
    client = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, admin))
    upload = SimpleUploadedFile("../../evil name.php", image_bytes("JPEG"), content_type="image/png")
    response = client.put(
        f"/api/v1/content/nodes/{node.pk}/image/",
        data=encode_multipart(upload),
        content_type="multipart/form-data; boundary=BoUnDaRy",
    )
    assert response.status_code == 200, response.content
    url = response.json()["featured_image"]
    assert url.startswith("http://alpha.test/media/alpha/content/") and url.endswith(".jpg")
    with schema_context("alpha"):
        stored = Node.objects.get(pk=node.pk).featured_image.name
    assert (Path(media) / "alpha" / stored).is_file()
    removed = client.delete(f"/api/v1/content/nodes/{node.pk}/image/")
    assert removed.json()["featured_image"] is None


@pytest.mark.parametrize(
    ("name", "payload", "message"),
    [
        ("x.png", b"<?php echo 1; ?>", "not an image"),
        ("x.bmp", image_bytes("BMP"), "must be one of"),
        ("x.png", image_bytes(size=(6000, 8000)), "too large"),
    ],
)
def test_uploads_that_are_not_acceptable_images_are_refused(tenant_a, media, name, payload, message):
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        node = make_node(actor=admin)
    client = Client(HTTP_HOST=ALPHA_HOST, HTTP_AUTHORIZATION=bearer(tenant_a, admin))
    response = client.put(
        f"/api/v1/content/nodes/{node.pk}/image/",
        data=encode_multipart(SimpleUploadedFile(name, payload)),
        content_type="multipart/form-data; boundary=BoUnDaRy",
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "featured_image" and message in error["message"]
    assert list(Path(media).rglob("*.*")) == []


def test_an_image_over_the_size_limit_is_refused(tenant_a, media, settings):
    settings.CONTENT_IMAGE_MAX_BYTES = 100
    with schema_context("alpha"):
        admin = SiteAdminFactory()
        node = make_node(actor=admin)
        from apps.content import services

        with pytest.raises(InvalidInput, match="larger than"):
            services.set_featured_image(
                actor=admin, node=node, upload=SimpleUploadedFile("x.png", image_bytes(size=(200, 200)))
            )


def encode_multipart(upload) -> bytes:
    from django.test.client import encode_multipart as encode

    return encode("BoUnDaRy", {"image": upload})
