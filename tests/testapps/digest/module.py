"""A test module that depends on `notes`, for the dependency rules in both directions."""

from rustok.modules import Module

module = Module(slug="digest", name="Digest", depends_on=("notes",), default_enabled=False)
