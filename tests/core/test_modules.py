"""Module manifests, the registry's graph checks, and the toggle rules in both directions."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django_tenants.utils import schema_context

from apps.core import selectors, services
from apps.core.models import TenantModule
from rustok.errors import Conflict, InvalidInput, ModuleDependencyError
from rustok.modules import Module, registry
from rustok.modules.registry import build_graph
from tests.testapps.notes.models import HookCall


def test_registry_collects_every_installed_module_in_dependency_order():
    slugs = list(registry.modules)
    assert {"core", "accounts", "notes", "digest"} <= set(slugs)
    assert slugs.index("core") < slugs.index("accounts")
    assert slugs.index("notes") < slugs.index("digest")


def test_registry_refuses_a_missing_dependency():
    with pytest.raises(ImproperlyConfigured, match="'blog' depends on 'content', which is not installed"):
        build_graph(
            [
                Module(slug="core", name="Core", core=True),
                Module(slug="blog", name="B", depends_on=("content",)),
            ]
        )


def test_registry_refuses_a_dependency_cycle_and_names_it():
    modules = [
        Module(slug="a", name="A", depends_on=("b",)),
        Module(slug="b", name="B", depends_on=("c",)),
        Module(slug="c", name="C", depends_on=("a",)),
    ]
    with pytest.raises(ImproperlyConfigured, match=r"cycle: a -> b -> c -> a"):
        build_graph(modules)


def test_registry_refuses_a_core_module_depending_on_an_optional_one():
    with pytest.raises(ImproperlyConfigured, match="Core module 'x' cannot depend on non-core"):
        build_graph(
            [Module(slug="opt", name="O"), Module(slug="x", name="X", core=True, depends_on=("opt",))]
        )


def test_new_tenant_gets_the_manifest_defaults(tenant_a):
    assert selectors.module_states(tenant_a) == {
        "core": True,
        "accounts": True,
        "events": True,
        "index": True,
        "site": True,
        "content": True,
        "blog": True,
        "catalog": True,
        "inventory": True,
        "payments": True,
        "orders": True,
        "notes": True,
        "digest": False,
    }


def test_enabling_a_module_whose_dependency_is_off_is_refused_naming_it(tenant_a):
    services.set_module_enabled(tenant=tenant_a, module="notes", enabled=False)
    with pytest.raises(ModuleDependencyError, match="'digest' needs notes enabled first"):
        services.set_module_enabled(tenant=tenant_a, module="digest", enabled=True)
    assert not selectors.is_enabled(tenant_a, "digest")


def test_disabling_a_module_an_enabled_module_needs_is_refused_naming_it(tenant_a):
    services.set_module_enabled(tenant=tenant_a, module="digest", enabled=True)
    with pytest.raises(ModuleDependencyError, match="'notes' is needed by digest; disable those first"):
        services.set_module_enabled(tenant=tenant_a, module="notes", enabled=False)
    assert selectors.is_enabled(tenant_a, "notes")


def test_a_core_module_cannot_be_disabled(tenant_a):
    with pytest.raises(Conflict, match="'accounts' is a core module"):
        services.set_module_enabled(tenant=tenant_a, module="accounts", enabled=False)


def test_an_unknown_module_is_refused_naming_the_known_ones(tenant_a):
    with pytest.raises(
        InvalidInput,
        match=r"Unknown module 'shop'\. Known: accounts, blog, catalog, content, core, digest, events, "
        r"index, inventory, notes, orders, payments",
    ):
        services.set_module_enabled(tenant=tenant_a, module="shop", enabled=True)


def test_hooks_run_inside_the_tenants_schema(tenant_a):
    services.set_module_enabled(tenant=tenant_a, module="notes", enabled=False)
    services.set_module_enabled(tenant=tenant_a, module="notes", enabled=True)
    with schema_context("alpha"):
        events = list(HookCall.objects.order_by("id").values_list("event", flat=True))
    with schema_context("beta"):
        assert not HookCall.objects.filter(event="disabled").exists()
    assert events[-2:] == ["disabled", "enabled"]


def test_is_enabled_follows_a_toggle_at_once_through_the_cache(tenant_a, tenant_b):
    assert selectors.is_enabled(tenant_a, "notes")  # now cached
    services.set_module_enabled(tenant=tenant_a, module="notes", enabled=False)
    assert not selectors.is_enabled(tenant_a, "notes")
    assert selectors.is_enabled(tenant_b, "notes")


def test_is_enabled_is_served_from_the_cache(tenant_a, django_assert_num_queries):
    selectors.is_enabled(tenant_a, "notes")
    with django_assert_num_queries(0):
        assert selectors.is_enabled(tenant_a, "notes")


def test_toggles_are_still_answered_when_redis_is_down(tenant_a, settings):
    down = {**settings.CACHES["platform"], "LOCATION": "redis://127.0.0.1:1/0"}
    settings.CACHES = {**settings.CACHES, "platform": down}  # Django drops its cache handles
    services.set_module_enabled(tenant=tenant_a, module="notes", enabled=False)
    assert not selectors.is_enabled(tenant_a, "notes")
    assert selectors.is_enabled(tenant_a, "core")


def test_switching_several_modules_together_is_checked_as_a_whole(tenant_a):
    changed = services.set_module_states(tenant=tenant_a, desired={"digest": True})
    assert changed == ["digest"]
    changed = services.set_module_states(tenant=tenant_a, desired={"notes": False, "digest": False})
    assert sorted(changed) == ["digest", "notes"]
    assert (
        dict(TenantModule.objects.filter(tenant=tenant_a).values_list("module", "enabled"))["notes"] is False
    )
