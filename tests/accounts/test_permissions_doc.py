"""docs/permissions.md shows the rules as they are."""

from pathlib import Path

from django.conf import settings

from apps.accounts.models import Role
from apps.accounts.rules import role_table
from apps.accounts.services.api_tokens import known_permissions
from rustok.modules import registry


def test_the_documented_role_table_is_the_one_the_rules_give():
    platform_modules = {m.app_label for m in registry if m.app_module.startswith("apps.")}
    names = {name for name in known_permissions() if name.split(".")[0] in platform_modules}
    doc = (Path(settings.BASE_DIR) / "docs" / "permissions.md").read_text()
    assert role_table(Role.values, names) in doc
