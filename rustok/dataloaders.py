"""Per-request DataLoaders for GraphQL: batch by key, cache per request, in the request's thread.

A type with relations declares a loader once, at import, with a batch function that reads many
keys in one query; its resolvers ask the loader for one key and return what they get:

    categories_of = Loader("content.node_categories", selectors.categories_of_nodes, default=list)

    @staticmethod
    def resolve_categories(node, info):
        return categories_of.load(info, node.pk)

`load` answers a `Later`, a value that is known once the batch has run. `ExecutionContext`
completes the rest of the answer first, so every item of a list asks its loader before any batch
runs; then it runs each loader's batch, once for all the keys asked, and carries on with what they
returned (which may ask other loaders: one more batch for each level of the query). A list's
query count is so the same for 5 items and for 50.

Each request has its own loaders, on its context (the HttpRequest), and their answers are kept for
the length of the request; batch functions get the request (its user, its tenant). Everything
runs synchronously in the request's thread, so the queries use the tenant's connection and its
search path: graphene 3's async loaders run elsewhere and lose them (docs/architecture.md).
After each root field of a mutation the loaders forget what they read, so a field that follows
a write reads what the write left.

`root_argument(info, "lang")` reads an argument of the root field a value is under, from the
operation itself: the language a root field was asked in applies to all that it returns.

graphql-sync-dataloaders has the same idea; its execution context copies graphql-core 3.2.0's
internals (it fails on 3.2.14's error handling), so the platform keeps this small one, built on
graphql-core's own field and list completion.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from graphql import ExecutionContext as BaseExecutionContext
from graphql import located_error
from graphql.execution.collect_fields import collect_fields
from graphql.execution.execute import get_field_def
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined

_PENDING, _DONE, _FAILED = "pending", "done", "failed"


class Later:
    """A value known later: the answer of a loader, or of what is built from one.

    Callbacks given to `then` run as soon as the value is known (at once if it already is).
    """

    __slots__ = ("_callbacks", "_state", "_value")

    def __init__(self) -> None:
        self._state = _PENDING
        self._value: Any = None
        self._callbacks: list[Callable[[Later], None]] = []

    @classmethod
    def of(cls, value: Any) -> Later:
        """A Later whose value is already known."""
        later = cls()
        later.resolve(value)
        return later

    @property
    def pending(self) -> bool:
        return self._state == _PENDING

    def resolve(self, value: Any) -> None:
        """Settle with `value`; a Later given as the value is waited for."""
        if isinstance(value, Later):
            value._when_settled(self._copy)
            return
        self._settle(_DONE, value)

    def fail(self, error: Exception) -> None:
        self._settle(_FAILED, error)

    def get(self) -> Any:
        """The value; the error if it failed. Asking before it is known is a bug."""
        if self._state == _PENDING:
            raise RuntimeError("A GraphQL value was never loaded: a Later that no loader settles.")
        if self._state == _FAILED:
            raise self._value
        return self._value

    def then(
        self,
        on_value: Callable[[Any], Any] | None = None,
        on_error: Callable[[Exception], Any] | None = None,
    ) -> Later:
        """A Later of `on_value(value)` (or of `on_error(error)`); what they raise fails it."""
        out = Later()

        def settle(source: Later) -> None:
            try:
                if source._state == _DONE:
                    out.resolve(on_value(source._value) if on_value else source._value)
                elif on_error is not None:
                    out.resolve(on_error(source._value))
                else:
                    out.fail(source._value)
            except Exception as error:  # carried to whoever waits for `out`
                out.fail(error)

        self._when_settled(settle)
        return out

    @classmethod
    def all(cls, items: Iterable[Any]) -> Later:
        """A Later of the list of `items` (values or Laters), once all are known; it fails with
        the first that fails."""
        items = list(items)
        out = cls()
        waiting = [i for i, item in enumerate(items) if isinstance(item, Later)]
        left = len(waiting)
        if not left:
            out.resolve(items)
            return out

        def arrived(index: int, source: Later) -> None:
            nonlocal left
            if not out.pending:
                return
            if source._state == _FAILED:
                out.fail(source._value)
                return
            items[index] = source._value
            left -= 1
            if not left:
                out.resolve(items)

        for index in waiting:
            items[index]._when_settled(lambda source, index=index: arrived(index, source))
        return out

    def _copy(self, source: Later) -> None:
        self._settle(source._state, source._value)

    def _settle(self, state: str, value: Any) -> None:
        if self._state != _PENDING:
            raise RuntimeError("A Later was settled twice.")
        self._state, self._value = state, value
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback(self)

    def _when_settled(self, callback: Callable[[Later], None]) -> None:
        if self._state == _PENDING:
            self._callbacks.append(callback)
        else:
            callback(self)


Batch = Callable[[Any, list], Mapping]
_DECLARED: dict[str, Batch] = {}


class Loader:
    """A batch read, declared once; each request has its own queue and cache of it.

    `batch(request, keys)` reads every key in one go and returns a mapping from key to value;
    keys it leaves out get `default` (called, if callable: `default=list` for to-many relations).
    """

    def __init__(self, name: str, batch: Batch, *, default: Any = None) -> None:
        known = _DECLARED.get(name)
        if known is not None and known is not batch:
            raise ImproperlyConfigured(f"Two GraphQL loaders are named {name!r}.")
        _DECLARED[name] = batch
        self.name, self.batch, self.default = name, batch, default

    def load(self, info, key: Hashable) -> Later:
        """The value for `key`, read with the other keys asked in this request."""
        return loaders(info.context).queue(self).load(key)

    def load_many(self, info, keys: Iterable[Hashable]) -> Later:
        """The values for `keys`, in their order."""
        queue = loaders(info.context).queue(self)
        return Later.all(queue.load(key) for key in keys)

    def missing(self) -> Any:
        return self.default() if callable(self.default) else self.default


class _Queue:
    """One loader in one request: the keys waiting for its batch, and what it has read."""

    def __init__(self, loader: Loader, request) -> None:
        self.loader, self.request = loader, request
        self.known: dict[Hashable, Later] = {}
        self.waiting: dict[Hashable, Later] = {}

    def load(self, key: Hashable) -> Later:
        later = self.known.get(key)
        if later is None:
            later = self.known[key] = self.waiting[key] = Later()
        return later

    def run(self) -> None:
        """Read every waiting key in one batch and settle their Laters."""
        waiting, self.waiting = self.waiting, {}
        try:
            found = self.loader.batch(self.request, list(waiting))
        except Exception as error:  # each field that asked reports it (a database outage: 503's code)
            for key, later in waiting.items():
                self.known.pop(key, None)
                later.fail(error)
            return
        for key, later in waiting.items():
            later.resolve(found[key] if key in found else self.loader.missing())


class RequestLoaders:
    """The loaders of one request, by name, and the root fields' arguments read so far."""

    def __init__(self, request) -> None:
        self.request = request
        self.queues: dict[str, _Queue] = {}
        self.root_arguments: dict[tuple, Any] = {}

    def queue(self, loader: Loader) -> _Queue:
        queue = self.queues.get(loader.name)
        if queue is None:
            queue = self.queues[loader.name] = _Queue(loader, self.request)
        return queue

    def run(self) -> None:
        """Run batches until no key waits: each may ask other loaders for the next level."""
        while True:
            ready = [queue for queue in self.queues.values() if queue.waiting]
            if not ready:
                return
            for queue in ready:
                queue.run()

    def forget(self) -> None:
        """Drop what was read, so that what follows a write reads again."""
        for queue in self.queues.values():
            queue.known = dict(queue.waiting)


_ATTRIBUTE = "_rustok_graphql_loaders"


def loaders(context) -> RequestLoaders:
    """The loaders of the request (the GraphQL context) being answered."""
    found = getattr(context, _ATTRIBUTE, None)
    if found is None:
        found = RequestLoaders(context)
        setattr(context, _ATTRIBUTE, found)
    return found


def root_argument(info, name: str) -> Any:
    """The argument `name` of the root field that `info`'s value is under (None if not given or
    if that field takes no such argument), read from the operation once per request."""
    path = info.path
    while path.prev is not None:
        path = path.prev
    key = (id(info.operation), path.key, name)
    known = loaders(info.context).root_arguments
    if key not in known:
        known[key] = _root_argument(info, path.key, name)
    return known[key]


def _root_argument(info, response_key: str, name: str) -> Any:
    root_type = info.schema.get_root_type(info.operation.operation)
    fields = collect_fields(
        info.schema, info.fragments, info.variable_values, root_type, info.operation.selection_set
    )
    nodes = fields.get(response_key)
    field = root_type.fields.get(nodes[0].name.value) if nodes else None
    if field is None or name not in field.args:
        return None
    return get_argument_values(field, nodes[0], info.variable_values).get(name)


class ExecutionContext(BaseExecutionContext):
    """graphql-core's execution, with `Later` values completed once the loaders have run.

    graphql-core completes every value it can; a field, list or object still waiting for a
    loader is left as a Later, and its errors are handled as graphql-core handles a field's
    errors (a nullable field becomes null with an error, a non-null one nulls its parent).
    """

    def execute_operation(self, operation, root_value):
        result = super().execute_operation(operation, root_value)
        loaders(self.context_value).run()
        return result.get() if isinstance(result, Later) else result

    def execute_fields_serially(self, parent_type, source_value, path, fields):
        """Mutations: each root field runs, and is answered, before the next one starts."""
        results = {}
        request = loaders(self.context_value)
        for response_name, field_nodes in fields.items():
            field_path = Path(path, response_name, parent_type.name)
            result = self.execute_field(parent_type, source_value, field_nodes, field_path)
            request.run()
            request.forget()
            if result is not Undefined:
                results[response_name] = result.get() if isinstance(result, Later) else result
        return results

    def execute_fields(self, parent_type, source_value, path, fields):
        results = super().execute_fields(parent_type, source_value, path, fields)
        waiting = [name for name, value in results.items() if isinstance(value, Later)]
        if not waiting:
            return results

        def fill(values: list) -> dict:
            results.update(zip(waiting, values, strict=True))
            return results

        return Later.all(results[name] for name in waiting).then(fill)

    def execute_field(self, parent_type, source, field_nodes, path):
        completed = super().execute_field(parent_type, source, field_nodes, path)
        if not isinstance(completed, Later):
            return completed
        return_type = get_field_def(self.schema, parent_type, field_nodes[0]).type
        return completed.then(on_error=self._field_error(return_type, field_nodes, path))

    def complete_value(self, return_type, field_nodes, info, path, result):
        if isinstance(result, Later):
            if result.pending:
                return result.then(
                    lambda value: self.complete_value(return_type, field_nodes, info, path, value)
                )
            result = result.get()
        return super().complete_value(return_type, field_nodes, info, path, result)

    def complete_list_value(self, return_type, field_nodes, info, path, result):
        completed = super().complete_list_value(return_type, field_nodes, info, path, result)
        if not isinstance(completed, list) or not any(isinstance(item, Later) for item in completed):
            return completed
        item_type = return_type.of_type
        return Later.all(
            item.then(on_error=self._field_error(item_type, field_nodes, path.add_key(index, None)))
            if isinstance(item, Later)
            else item
            for index, item in enumerate(completed)
        )

    def _field_error(self, return_type, field_nodes, path) -> Callable[[Exception], None]:
        """What graphql-core does with an error of a field (or list item) at `path`."""

        def handle(raw_error: Exception) -> None:
            error = located_error(raw_error, field_nodes, path.as_list())
            self.handle_field_error(error, return_type, path)  # raises if it may not be null
            return None

        return handle


__all__ = ["ExecutionContext", "Later", "Loader", "loaders", "root_argument"]
