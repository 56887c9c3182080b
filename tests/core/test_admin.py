"""The platform admin (public host) and each tenant's own admin."""

import re

import pytest
from django.test import Client
from django_tenants.utils import schema_context, schema_exists

from apps.core import services
from apps.core.models import Tenant, TenantModule
from rustok.modules import registry
from tests.accounts.factories import OperatorFactory, OwnerFactory


@pytest.fixture
def operator(db):
    return OperatorFactory(email="operator@platform.test")


@pytest.fixture
def platform_admin(platform_client, operator):
    platform_client.force_login(operator)
    return platform_client


@pytest.fixture
def alpha_admin(client_a, tenant_a):
    with schema_context("alpha"):
        client_a.force_login(OwnerFactory(email="admin@alpha.test"))
    return client_a


def _add_tenant(client, **fields):
    """Post the platform admin's add-tenant form, with valid values for what is not given."""
    data = {
        "schema_name": "gamma",
        "name": "Gamma",
        "domain": "gamma.test",
        "default_language": "en",
        "default_currency": "USD",
        "owner_email": "owner@gamma.test",
        "owner_access": "password",
        "owner_password": "a-long-passphrase",
        **fields,
    }
    return client.post("/admin/core/tenant/add/", data)


def test_platform_admin_lists_tenants_but_not_the_public_schema(platform_admin):
    page = platform_admin.get("/admin/core/tenant/").content.decode()
    assert "alpha" in page and "beta" in page
    assert "/admin/core/tenant/" in platform_admin.get("/admin/").content.decode()
    public = Tenant.objects.get(schema_name="public")
    assert platform_admin.get(f"/admin/core/tenant/{public.pk}/change/").status_code == 302  # not in queryset


def test_platform_admin_creates_a_tenant_through_the_service(platform_admin):
    response = _add_tenant(platform_admin, default_currency="EUR")
    assert response.status_code == 302, response.content.decode()[:2000]
    gamma = Tenant.objects.get(schema_name="gamma")
    assert schema_exists("gamma")
    assert gamma.domains.get().domain == "gamma.test"
    assert TenantModule.objects.filter(tenant=gamma).count() == len(list(registry))


def test_platform_admin_refuses_a_reserved_slug(platform_admin):
    response = _add_tenant(platform_admin, schema_name="www", name="W", domain="w.test")
    assert response.status_code == 200
    assert "reserved by the platform" in response.content.decode()
    assert not Tenant.objects.filter(schema_name="www").exists()


def _change_form_data(platform_admin, tenant, switches):
    """The tenant's change form as the browser would post it, with some module switches flipped."""
    toggles = list(TenantModule.objects.filter(tenant=tenant).order_by("module"))
    domains = list(tenant.domains.all())
    data = {
        "name": tenant.name,
        "status": tenant.status,
        "default_language": tenant.default_language,
        "default_currency": tenant.default_currency,
        **({"allow_signup": "on"} if tenant.allow_signup else {}),
        "domains-TOTAL_FORMS": len(domains),
        "domains-INITIAL_FORMS": len(domains),
        "module_toggles-TOTAL_FORMS": len(toggles),
        "module_toggles-INITIAL_FORMS": len(toggles),
    }
    for i, domain in enumerate(domains):
        data |= {
            f"domains-{i}-id": domain.pk,
            f"domains-{i}-tenant": tenant.pk,
            f"domains-{i}-domain": domain.domain,
            f"domains-{i}-is_primary": "on",
        }
    for i, toggle in enumerate(toggles):
        data |= {f"module_toggles-{i}-id": toggle.pk, f"module_toggles-{i}-tenant": tenant.pk}
        if switches.get(toggle.module, toggle.enabled):
            data[f"module_toggles-{i}-enabled"] = "on"
    return data


def test_platform_admin_switches_modules_with_the_dependency_rules(platform_admin, tenant_a):
    url = f"/admin/core/tenant/{tenant_a.pk}/change/"
    response = platform_admin.post(url, _change_form_data(platform_admin, tenant_a, {"digest": True}))
    assert response.status_code == 302
    assert TenantModule.objects.get(tenant=tenant_a, module="digest").enabled

    response = platform_admin.post(url, _change_form_data(platform_admin, tenant_a, {"notes": False}))
    assert response.status_code == 200
    assert "is needed by digest" in response.content.decode()
    assert TenantModule.objects.get(tenant=tenant_a, module="notes").enabled


def test_tenant_admin_does_not_show_platform_tables(alpha_admin):
    page = alpha_admin.get("/admin/").content.decode()
    assert "/admin/accounts/user/" in page
    assert "/admin/core/" not in page
    assert alpha_admin.get("/admin/core/tenant/").status_code == 404


def test_tenant_admin_hides_a_disabled_modules_models(alpha_admin, tenant_a):
    assert "/admin/notes/note/" in alpha_admin.get("/admin/").content.decode()
    services.set_module_enabled(tenant=tenant_a, module="notes", enabled=False)
    assert "/admin/notes/note/" not in alpha_admin.get("/admin/").content.decode()
    assert alpha_admin.get("/admin/notes/note/").status_code == 404
    assert alpha_admin.get("/admin/notes/").status_code == 404


def test_a_session_of_one_tenant_is_worthless_on_another(alpha_admin):
    session_cookie = alpha_admin.cookies["sessionid"].value
    other = Client(HTTP_HOST="beta.test")
    other.cookies["sessionid"] = session_cookie
    response = other.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_platform_admin_speaks_russian_when_asked(platform_admin):
    page = platform_admin.get("/admin/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Арендаторы и модули" in page


def test_platform_admin_suspends_a_tenant_from_its_change_form(platform_admin, tenant_a, client_a):
    data = _change_form_data(platform_admin, tenant_a, {}) | {"status": "suspended", "name": "Alpha Renamed"}
    assert platform_admin.post(f"/admin/core/tenant/{tenant_a.pk}/change/", data).status_code == 302
    tenant_a.refresh_from_db()
    assert (tenant_a.status, tenant_a.name) == ("suspended", "Alpha Renamed")
    assert client_a.get("/api/v1/site/").status_code == 503


def test_platform_admin_closes_sign_up_for_a_tenant(platform_admin, tenant_a, client_a):
    data = _change_form_data(platform_admin, tenant_a, {})
    del data["allow_signup"]  # the unticked box
    assert platform_admin.post(f"/admin/core/tenant/{tenant_a.pk}/change/", data).status_code == 302
    body = {"email": "visitor@alpha.test", "password": "a-long-passphrase"}
    response = client_a.post("/api/auth/register/", body, content_type="application/json")
    assert response.status_code == 403 and response.json()["reason"] == "signup_closed"


def test_platform_admin_suspend_action(platform_admin, tenant_b, client_b):
    response = platform_admin.post(
        "/admin/core/tenant/", {"action": "suspend", "_selected_action": [tenant_b.pk]}
    )
    assert response.status_code == 302
    assert client_b.get("/api/v1/site/").status_code == 503


def test_platform_admin_refuses_a_host_already_in_use(platform_admin):
    response = _add_tenant(platform_admin, name="G", domain="alpha.test")
    assert response.status_code == 200
    assert "already belongs to a tenant" in response.content.decode()
    assert not Tenant.objects.filter(schema_name="gamma").exists()


# --- adding a tenant with its first owner ------------------------------------------------------
def test_the_owner_of_a_tenant_made_in_the_platform_admin_signs_in_on_its_host(platform_admin):
    response = _add_tenant(platform_admin)
    assert response.status_code == 302, response.content.decode()[:3000]
    site = Client(HTTP_HOST="gamma.test")
    answer = site.post(
        "/admin/login/?next=/admin/", {"username": "owner@gamma.test", "password": "a-long-passphrase"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/admin/"
    assert site.get("/admin/").status_code == 200
    with schema_context("gamma"):
        from apps.accounts.models import Role, User

        assert User.objects.get(email="owner@gamma.test").role == Role.OWNER


def test_the_owner_can_be_invited_by_mail_to_choose_a_password(platform_admin, mailoutbox):
    from tests.conftest import deliver

    response = _add_tenant(platform_admin, owner_access="invite", owner_password="")
    assert response.status_code == 302, response.content.decode()[:3000]
    with schema_context("gamma"):
        from apps.accounts.models import User

        owner = User.objects.get(email="owner@gamma.test")
        assert not owner.has_usable_password()
    deliver("gamma")
    (mail,) = [m for m in mailoutbox if m.to == ["owner@gamma.test"]]
    assert "http://gamma.test/account/reset/?uid=" in mail.body
    assert "operator@platform.test" in mail.body


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"schema_name": "Gamma!"}, "schema_name", "Use lower-case letters, digits and underscores"),
        ({"schema_name": "ab"}, "schema_name", "Use 3 to 63 characters (got 2)."),
        ({"schema_name": "pg_gamma"}, "schema_name", "are reserved"),
        ({"default_language": "de"}, "default_language", "Select a valid choice"),
        ({"default_currency": "XYZ"}, "default_currency", "Select a valid choice"),
        ({"owner_email": "nobody"}, "owner_email", "Enter a valid email address."),
        ({"owner_password": ""}, "owner_password", "Give the owner a password, or send an invitation."),
        ({"owner_password": "123"}, "owner_password", "This password is too short."),
    ],
)
def test_the_add_tenant_form_refuses_bad_input_and_makes_nothing(platform_admin, fields, field, message):
    response = _add_tenant(platform_admin, **fields)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert not Tenant.objects.filter(schema_name__in=["gamma", fields.get("schema_name", "gamma")]).exists()
    assert not schema_exists("gamma")


def test_the_add_tenant_form_shows_the_slug_rules_and_capitalised_labels(platform_admin):
    page = platform_admin.get("/admin/core/tenant/add/").content.decode()
    assert "3 to 63 lower-case Latin letters" in page
    for label in ("Slug", "Display name", "Host name", "Default language", "Default currency", "Owner"):
        assert f">{label}" in page or f"> {label}" in page or f"{label}</label>" in page, label
    assert '<option value="ru">Русский</option>' in page
    assert 'value="EUR"' in page and "EUR — Euro" in page


def test_the_add_tenant_form_speaks_russian(platform_admin):
    page = platform_admin.get("/admin/core/tenant/add/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "RUB — российский рубль" in page


def test_the_service_refuses_an_unknown_currency(db):
    from rustok.errors import InvalidInput

    with pytest.raises(InvalidInput) as info:
        services.create_tenant(slug="gamma", name="G", domain="gamma.test", default_currency="XYZ")
    assert list(info.value.errors) == ["default_currency"]
    assert not Tenant.objects.filter(schema_name="gamma").exists()


def test_the_add_tenant_forms_own_fields_take_the_themes_widgets(platform_admin):
    page = platform_admin.get("/admin/core/tenant/add/").content.decode()
    password = re.search(r'<input type="password" name="owner_password"[^>]*>', page).group(0)
    assert "rounded-default" in password  # unfold's input, not a bare browser field
    assert re.search(r'<select name="default_currency"[^>]*class="[^"]*rounded-default', page)


def test_an_owner_needs_a_password_or_an_invitation(db):
    from rustok.errors import InvalidInput

    with pytest.raises(InvalidInput) as info:
        services.create_tenant(slug="gamma", name="G", domain="gamma.test", admin_email="o@gamma.test")
    assert list(info.value.errors) == ["admin_password"]
    assert not Tenant.objects.filter(schema_name="gamma").exists()


@pytest.mark.parametrize("host", ["platform.test", "alpha.test"])
def test_signing_in_on_the_login_page_itself_opens_the_admin(host, tenant_a, operator):
    from tests.accounts.factories import OwnerFactory

    if host == "alpha.test":
        with schema_context("alpha"):
            OwnerFactory(email="owner@alpha.test", password="a-long-passphrase")
        email = "owner@alpha.test"
    else:
        operator.set_password("a-long-passphrase")
        operator.save()
        email = operator.email
    client = Client(HTTP_HOST=host)
    assert client.get("/admin/login/").status_code == 200
    answer = client.post("/admin/login/", {"username": email, "password": "a-long-passphrase"})
    assert answer.status_code == 302
    assert answer["Location"] == "/admin/"


def test_the_tenant_list_names_the_slug_as_the_add_form_does(platform_admin):
    page = platform_admin.get("/admin/core/tenant/").content.decode()
    assert "Slug" in page and "Schema name" not in page
    alpha = Tenant.objects.get(schema_name="alpha")
    assert f'href="/admin/core/tenant/{alpha.pk}/change/' in page  # each row still opens its tenant


def test_every_read_only_admin_lets_nobody_add_change_or_delete(tenant_a, client_a):
    from django.contrib import admin

    from rustok.admin import ReadOnly

    with schema_context("alpha"):
        client_a.force_login(OwnerFactory(email="owner@alpha.test"))
    read_only = [
        model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, ReadOnly)
    ]
    assert {model._meta.label for model in read_only} >= {
        "events.OutboxEvent",
        "accounts.AuditEntry",
        "accounts.Lockout",
        "index.Document",
    }
    request = client_a.get("/admin/").wsgi_request
    for model in read_only:
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"
        assert client_a.get(url).status_code == 403, url
