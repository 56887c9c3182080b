"""Manifest of the core module: always on, everything else depends on it."""

from rustok.modules import Module

module = Module(
    slug="core",
    name="Core",
    description="Tenants, domains, module toggles, health and the API plumbing.",
    version="0.1.0",
    core=True,
)
