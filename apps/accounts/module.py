"""Manifest of the accounts module: users of the tenant; always on."""

from rustok.modules import Module

module = Module(
    slug="accounts",
    name="Accounts",
    description="Users of the site and how they sign in.",
    version="0.1.0",
    depends_on=("core", "site"),
    core=True,
)
