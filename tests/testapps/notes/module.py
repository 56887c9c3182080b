"""A module that exists only in the test suite: one tenant table, one REST route, one GraphQL field."""

from rustok.modules import Module


def _on_enable(tenant):
    from tests.testapps.notes.models import HookCall

    HookCall.objects.create(event="enabled")


def _on_disable(tenant):
    from tests.testapps.notes.models import HookCall

    HookCall.objects.create(event="disabled")


module = Module(
    slug="notes",
    name="Notes",
    description="Test module.",
    depends_on=("core",),
    on_enable=_on_enable,
    on_disable=_on_disable,
)
