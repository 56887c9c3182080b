"""Manifest of the events module: the outbox and its relay; always on."""

from rustok.modules import Module

module = Module(
    slug="events",
    name="Events",
    description="Domain events: the outbox of every write, their delivery to handlers, dead letters.",
    version="0.1.0",
    depends_on=("core",),
    core=True,
)
