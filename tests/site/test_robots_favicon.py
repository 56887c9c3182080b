"""What search engines and browsers ask every site for: robots.txt and the favicon."""

import io

import pytest
from django_tenants.utils import schema_context
from PIL import Image

from tests.site.factories import image_upload, set_site

pytestmark = pytest.mark.django_db


def test_robots_names_the_sitemap_and_keeps_crawlers_out_of_private_addresses(client_a):
    response = client_a.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://alpha.test/sitemap.xml" in lines
    for private in ("/admin/", "/api/", "/preview/"):
        assert f"Disallow: {private}" in lines
    assert "Disallow: /" not in lines


def test_robots_disallows_everything_when_the_site_is_closed_to_search_engines(client_a):
    with schema_context("alpha"):
        set_site(allow_indexing=False)
    lines = client_a.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /" in lines
    assert "Sitemap: http://alpha.test/sitemap.xml" in lines


def test_the_favicon_is_the_default_icon_without_a_logo(client_a):
    response = client_a.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "ICO"


def test_the_favicon_is_a_small_png_made_once_from_the_logo(client_a, media):
    with schema_context("alpha"):
        settings = set_site(logo=image_upload(size=(300, 100)))
        icon_name = settings.icon.name
    response = client_a.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert image.format == "PNG" and image.size == (64, 64)
    assert (media / "alpha" / icon_name).exists()  # stored with the logo, not made per request


def test_every_page_links_the_icon(client_a):
    assert (
        '<link rel="icon" href="/favicon.ico">' in client_a.get("/", HTTP_ACCEPT="text/html").content.decode()
    )
