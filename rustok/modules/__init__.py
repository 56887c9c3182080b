"""Modules: manifests, the registry, and the gate that hides a disabled module everywhere."""

from rustok.modules.registry import Module, registry

__all__ = ["Module", "registry"]
