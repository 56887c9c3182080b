"""Imports go one way (docs/architecture.md, "Imports"): the kernel imports no module, the core
module no other module, and a module only the modules its manifest depends on (directly or
through them). Every import counts: at the top, inside a function, under TYPE_CHECKING, and a
dotted path given to include() / import_module() / import_string(). Tests and migrations are
outside the contract."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

from rustok.modules import registry

ROOT = Path(settings.BASE_DIR)
LOADERS = {"include", "import_module", "import_string", "__import__"}


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, dotted name) of everything `source` imports, wherever the import stands."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if name in LOADERS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((node.lineno, first.value))
    return found


def app_of(dotted: str) -> str | None:
    """The app package (`apps.<name>`) a dotted module path belongs to, or None."""
    parts = dotted.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 and parts[0] == "apps" else None


def sources(folder: Path):
    for path in sorted(folder.rglob("*.py")):
        if "migrations" not in path.relative_to(ROOT).parts:
            yield path


def allowed_apps() -> dict[str, set[str]]:
    """For each module's app package, the app packages it may import: itself and what it needs."""
    packages = {module.slug: module.app_module for module in registry}
    return {
        module.app_module: {module.app_module, *(packages[dep] for dep in registry.requirements(module.slug))}
        for module in registry
        if module.app_module.startswith("apps.")
    }


def violations() -> list[str]:
    found = []
    for path in sources(ROOT / "rustok"):
        for line, name in imported_modules(path.read_text()):
            if app_of(name):
                found.append(f"{path.relative_to(ROOT)}:{line}: the kernel imports {name}")
    allowed = allowed_apps()
    for package_dir in sorted((ROOT / "apps").iterdir()):
        package = f"apps.{package_dir.name}"
        if not (package_dir / "__init__.py").exists():
            continue
        may = allowed.get(package, {package})
        for path in sources(package_dir):
            for line, name in imported_modules(path.read_text()):
                target = app_of(name)
                if target and target not in may:
                    found.append(
                        f"{path.relative_to(ROOT)}:{line}: {package} imports {name}, but {target} is "
                        "not among the modules its manifest depends on"
                    )
    return sorted(set(found))


def test_imports_go_one_way():
    assert violations() == []


def test_the_core_module_depends_on_no_other_module():
    assert registry.get("core").depends_on == ()
    assert allowed_apps()["apps.core"] == {"apps.core"}


def test_every_kind_of_import_is_seen():
    source = """
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from apps.core.models import Tenant
import apps.events.models
def later():
    from apps.accounts import services
    return services
urlpatterns = [include("apps.accounts.auth_api")]
loaded = importlib.import_module("apps.index.cli")
from rustok import events
"""
    assert {app_of(name) for _line, name in imported_modules(source)} - {None} == {
        "apps.core",
        "apps.events",
        "apps.accounts",
        "apps.index",
    }
