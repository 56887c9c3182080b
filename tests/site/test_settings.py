"""Editing the site's settings: one admin page, checked input, one event per change."""

import re

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.events.models import OutboxEvent
from apps.site import services
from apps.site.models import SiteSettings, SocialLink
from rustok.errors import InvalidInput, PermissionDenied
from tests.accounts.factories import EditorFactory, SiteAdminFactory
from tests.conftest import ALPHA_HOST
from tests.site.factories import image_upload, page, set_site

pytestmark = pytest.mark.django_db
URL = "/admin/site/sitesettings/"


@pytest.fixture
def admin_client(tenant_a) -> Client:
    client = Client(HTTP_HOST=ALPHA_HOST)
    with schema_context("alpha"):
        client.force_login(SiteAdminFactory())
    return client


def form(**fields) -> dict:
    data = {
        "name": "",
        "accent_color": "#0b5cad",
        "contact_email": "",
        "contact_address": "",
        "allow_indexing": "on",
        "items_per_page": "20",
        "home_page": "",
        "social_links-TOTAL_FORMS": "0",
        "social_links-INITIAL_FORMS": "0",
        "social_links-MIN_NUM_FORMS": "0",
        "social_links-MAX_NUM_FORMS": "1000",
    }
    for field in ("tagline", "footer_text", "meta_description"):
        for code in ("en", "ru"):
            data[f"{field}_{code}"] = ""
    data.update(fields)
    return data


def test_the_settings_list_opens_the_one_settings_form(admin_client):
    response = admin_client.get(URL)
    assert response.status_code == 302 and response["Location"] == f"{URL}1/change/"
    page_ = admin_client.get(response["Location"])
    assert page_.status_code == 200
    assert admin_client.get(f"{URL}add/").status_code == 403
    assert 'name="home_page"' in page_.content.decode()


def test_the_home_page_select_offers_the_published_pages(admin_client):
    with schema_context("alpha"):
        page("Welcome")
        page("Draft", status="draft")
    html = admin_client.get(f"{URL}1/change/").content.decode()
    assert ">Welcome</option>" in html and ">Draft</option>" not in html


def test_saving_the_form_writes_the_settings_and_links_through_the_service(admin_client):
    with schema_context("alpha"):
        home = page("Welcome")
    data = form(
        name="Tea House",
        accent_color="#112233",
        tagline_en="Good tea",
        tagline_ru="Хороший чай",
        home_page=str(home.pk),
        **{
            "social_links-TOTAL_FORMS": "2",
            "social_links-0-network": "x",
            "social_links-0-url": "https://x.com/tea",
            "social_links-0-position": "2",
            "social_links-1-network": "vk",
            "social_links-1-url": "https://vk.com/tea",
            "social_links-1-position": "1",
        },
    )
    response = admin_client.post(f"{URL}1/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    with schema_context("alpha"):
        settings = SiteSettings.objects.get()
        assert (settings.name, settings.accent_color, settings.home_page) == ("Tea House", "#112233", home.pk)
        assert (settings.tagline_en, settings.tagline_ru) == ("Good tea", "Хороший чай")
        assert [link.network for link in settings.social_links.all()] == ["vk", "x"]
        [event] = OutboxEvent.objects.filter(type="site.settings.changed")
        assert "social_links" in event.payload["changed"] and "name" in event.payload["changed"]


@pytest.mark.parametrize("colour", ["red", "#12345", "#12345g", "112233"])
def test_a_colour_that_is_not_rrggbb_is_refused_on_its_field_and_nothing_is_written(admin_client, colour):
    response = admin_client.post(f"{URL}1/change/", form(name="Changed", accent_color=colour))
    assert response.status_code == 200
    assert "#rrggbb" in response.content.decode()
    with schema_context("alpha"):
        assert SiteSettings.objects.get().name == ""
        assert not OutboxEvent.objects.filter(type="site.settings.changed").exists()


@pytest.mark.parametrize("count", ["0", "101", "many"])
def test_items_per_page_out_of_bounds_is_refused_on_its_field_and_nothing_is_written(admin_client, count):
    response = admin_client.post(f"{URL}1/change/", form(name="Changed", items_per_page=count))
    assert response.status_code == 200
    assert "items_per_page" in response.context["adminform"].form.errors
    with schema_context("alpha"):
        assert (SiteSettings.objects.get().name, SiteSettings.objects.get().items_per_page) == ("", 20)
        assert not OutboxEvent.objects.filter(type="site.settings.changed").exists()


def test_the_admin_sets_the_items_per_page_through_the_service(admin_client):
    response = admin_client.post(f"{URL}1/change/", form(items_per_page="35"))
    assert response.status_code == 302
    with schema_context("alpha"):
        assert SiteSettings.objects.get().items_per_page == 35
        [event] = OutboxEvent.objects.filter(type="site.settings.changed")
        assert event.payload["changed"] == ["items_per_page"]


def test_a_logo_that_is_not_an_image_is_refused_and_nothing_is_written(admin_client, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("logo.png", b"<?php echo 'not an image'; ?>", content_type="image/png")
    response = admin_client.post(f"{URL}1/change/", {**form(name="Changed"), "logo": fake})
    assert response.status_code == 200
    with schema_context("alpha"):
        settings = SiteSettings.objects.get()
        assert settings.name == "" and not settings.logo
    assert not list(media.rglob("*.png"))


def test_the_service_refuses_bad_input_naming_the_field(tenant_a):
    with schema_context("alpha"):
        cases = [
            ({"values": {"accent_color": "blue"}}, "accent_color"),
            ({"values": {"contact_email": "not-an-address"}}, "contact_email"),
            ({"values": {"allow_indexing": "yes"}}, "allow_indexing"),
            ({"values": {"home_page": "one"}}, "home_page"),
            ({"values": {"items_per_page": 0}}, "items_per_page"),
            ({"values": {"items_per_page": 101}}, "items_per_page"),
            ({"values": {"items_per_page": "20"}}, "items_per_page"),
            ({"values": {"items_per_page": True}}, "items_per_page"),
            ({"values": {"colour": "#000000"}}, "colour"),
            ({"texts": {"en": {"tagline": "x" * 201}}}, "tagline_en"),
            ({"social_links": [("myspace", "https://myspace.com/a")]}, "social_links"),
            ({"social_links": [("x", "javascript:alert(1)")]}, "social_links"),
            ({"logo": image_upload(fmt="BMP")}, "logo"),
        ]
        admin = SiteAdminFactory()
        for arguments, field in cases:
            with pytest.raises(InvalidInput) as refused:
                services.update_settings(actor=admin, **arguments)
            assert field in refused.value.errors, arguments
        assert not OutboxEvent.objects.filter(type="site.settings.changed").exists()
        assert not SocialLink.objects.exists()


def test_only_admins_change_the_settings(tenant_a):
    with schema_context("alpha"), pytest.raises(PermissionDenied):
        services.update_settings(actor=EditorFactory(), values={"name": "Mine"})


def test_nothing_changed_publishes_nothing(tenant_a):
    with schema_context("alpha"):
        set_site(name="Same")
        set_site(name="Same")
        assert OutboxEvent.objects.filter(type="site.settings.changed").count() == 1


def test_each_site_has_its_own_settings(client_a, client_b):
    with schema_context("alpha"):
        set_site(name="Alpha Tea")
    assert "Alpha Tea" not in client_b.get("/", HTTP_ACCEPT="text/html").content.decode()
    assert "Alpha Tea" in client_a.get("/", HTTP_ACCEPT="text/html").content.decode()


def test_the_admin_is_headed_by_the_sites_own_name_and_logo(tenant_a, admin_client, media):
    with schema_context("alpha"):
        set_site(name="Tea House", logo=image_upload())
        logo = SiteSettings.objects.get().logo.url
    page = admin_client.get("/admin/").content.decode()
    assert re.search(r"<title>[^<]*Tea House\s*</title>", page)
    assert f'<img src="http://{ALPHA_HOST}{logo}"' in page


def test_a_refusal_of_the_service_shows_on_its_field_and_keeps_what_was_typed(admin_client, monkeypatch):
    def refuse(**_arguments):
        raise InvalidInput.for_field("footer_text_en", "Not on this site.")

    monkeypatch.setattr(services, "update_settings", refuse)
    response = admin_client.post(f"{URL}1/change/", form(name="Typed name", footer_text_en="Typed footer"))
    assert response.status_code == 200  # the same form again, not a redirect that empties it
    form_shown = response.context["adminform"].form
    assert form_shown.errors["footer_text_en"] == ["Not on this site."]
    page = response.content.decode()
    assert 'value="Typed name"' in page and "Typed footer" in page
    with schema_context("alpha"):
        assert SiteSettings.objects.get().name == ""
