"""Tenant slugs are schema names: the rules are checked, and each refusal names the rule broken."""

import pytest
from django.core.exceptions import ValidationError

from apps.core import services
from apps.core.models import Tenant
from apps.core.validators import validate_tenant_slug
from rustok.errors import InvalidInput


@pytest.mark.parametrize("slug", ["shop", "my_shop_2", "a" * 63, "abc"])
def test_valid_slugs_pass(slug):
    validate_tenant_slug(slug)


@pytest.mark.parametrize(
    ("slug", "code", "message"),
    [
        ("Shop", "slug_format", "lower-case letters"),
        ("2shop", "slug_format", "starting with a letter"),
        ("my-shop", "slug_format", "underscores"),
        ("ab", "slug_length", "3 to 63 characters"),
        ("a" * 64, "slug_length", "3 to 63 characters"),
        ("admin", "slug_reserved", "reserved"),
        ("www", "slug_reserved", "reserved"),
        ("public", "slug_reserved", "reserved"),
        ("information_schema", "slug_reserved", "reserved"),
        ("pg_catalog2", "slug_reserved_prefix", "'pg_'"),
        ("tenant_template_x", "slug_reserved_prefix", "'tenant_template'"),
    ],
)
def test_invalid_slugs_are_refused_naming_the_rule(slug, code, message):
    with pytest.raises(ValidationError) as info:
        validate_tenant_slug(slug)
    assert info.value.code == code
    assert message in info.value.messages[0]


def test_create_tenant_refuses_a_bad_slug_and_leaves_nothing(db):
    with pytest.raises(InvalidInput) as info:
        services.create_tenant(slug="api", name="API", domain="api.test")
    assert list(info.value.errors) == ["slug"]
    assert not Tenant.objects.filter(schema_name="api").exists()


def test_create_tenant_refuses_a_taken_slug_or_domain(tenant_a):
    with pytest.raises(InvalidInput, match="slug 'alpha' is taken"):
        services.create_tenant(slug="alpha", name="Again", domain="again.test")
    with pytest.raises(InvalidInput, match=r"'alpha\.test' already belongs") as info:
        services.create_tenant(slug="gamma", name="Gamma", domain="alpha.test")
    assert list(info.value.errors) == ["domain"]


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("domain", {"domain": "http://x.test/"}),
        ("default_language", {"default_language": "de"}),
        ("default_currency", {"default_currency": "usd"}),
        ("name", {"name": " "}),
    ],
)
def test_create_tenant_names_the_bad_field(db, field, kwargs):
    args = {"slug": "gamma", "name": "Gamma", "domain": "gamma.test", **kwargs}
    with pytest.raises(InvalidInput) as info:
        services.create_tenant(**args)
    assert list(info.value.errors) == [field]


@pytest.mark.parametrize(
    ("field", "email", "password"),
    [("admin_email", "not-an-email", "long-enough-pass"), ("admin_password", "a@b.test", "123")],
)
def test_create_tenant_checks_the_first_admins_email_and_password(db, field, email, password):
    with pytest.raises(InvalidInput) as info:
        services.create_tenant(
            slug="gamma", name="G", domain="gamma.test", admin_email=email, admin_password=password
        )
    assert list(info.value.errors) == [field]
    assert not Tenant.objects.filter(schema_name="gamma").exists()


def test_a_failure_after_the_schema_was_cloned_leaves_nothing(db, monkeypatch):
    from dataclasses import replace

    from django_tenants.utils import schema_exists

    from apps.core.models import Domain, TenantModule
    from rustok.modules import registry

    def broken_hook(tenant):
        raise RuntimeError("hook failed")

    monkeypatch.setitem(registry.modules, "notes", replace(registry.get("notes"), on_enable=broken_hook))
    with pytest.raises(RuntimeError, match="hook failed"):
        services.create_tenant(slug="gamma", name="G", domain="gamma.test")
    assert not Tenant.objects.filter(schema_name="gamma").exists()
    assert not Domain.objects.filter(domain="gamma.test").exists()
    assert not TenantModule.objects.filter(tenant__schema_name="gamma").exists()
    assert not schema_exists("gamma")


def test_a_stale_template_is_migrated_before_a_tenant_is_cloned_from_it(db):
    from django.apps import apps as django_apps
    from django.db import connection
    from django_tenants.utils import schema_context

    from tests.testapps.notes.models import Note

    with connection.cursor() as cursor:  # as if the template had missed the notes migration
        for model in django_apps.get_app_config("notes").get_models():
            cursor.execute(f'DROP TABLE "tenant_template"."{model._meta.db_table}" CASCADE')
        cursor.execute("DELETE FROM \"tenant_template\".django_migrations WHERE app = 'notes'")
    assert not services.template_is_current()

    services.create_tenant(slug="gamma", name="G", domain="gamma.test")

    assert services.template_is_current()
    with schema_context("gamma"):
        assert Note.objects.count() == 0  # the table exists
