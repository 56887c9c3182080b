"""The kernel's GraphQL loaders: one batch per level, a cache per request, errors as graphql-core
reports them, and writes seen by the mutation fields that follow them.

A small schema of its own (folders holding folders) keeps the tests about the mechanism; the
modules' lists are measured in their own tests (tests/*/test_graphql_*.py).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from graphql import build_schema, execute, parse

from rustok.dataloaders import ExecutionContext, Later, Loader, root_argument

SDL = """
type Folder { id: Int! name: String! children: [Folder!]! parent: Folder label: String! note: String }
type Query { folders(ids: [Int!]!, lang: String): [Folder!]! folder(id: Int!): Folder text: String }
type Mutation { rename(id: Int!, name: String!): Folder }
"""


class Store:
    """Folders 1..9 under 0 (1, 2, 3) and under each of those (10 * n + k); records each batch."""

    def __init__(self):
        self.names = {
            n: f"folder {n}" for n in [0, 1, 2, 3, *(10 * n + k for n in (1, 2, 3) for k in (1, 2))]
        }
        self.batches: list[tuple[str, list]] = []

    def parent_of(self, key: int) -> int | None:
        return None if key == 0 else 0 if key < 10 else key // 10


class Context:
    """Stands for the HttpRequest that a view gives as the context."""

    def __init__(self, store: Store):
        self.store = store


def _folders(request, keys):
    request.store.batches.append(("folders", sorted(keys)))
    return {key: {"id": key, "name": request.store.names[key]} for key in keys if key in request.store.names}


def _children(request, keys):
    request.store.batches.append(("children", sorted(keys)))
    found = {}
    for key in sorted(request.store.names):
        parent = request.store.parent_of(key)
        if parent in keys:
            found.setdefault(parent, []).append({"id": key, "name": request.store.names[key]})
    return found


def _broken(request, keys):
    raise ConnectionError("the database went away")


folders = Loader("tests.folders", _folders)
children = Loader("tests.children", _children, default=list)
broken = Loader("tests.broken", _broken)


def make_schema():
    schema = build_schema(SDL)
    query, folder, mutation = (schema.get_type(name) for name in ("Query", "Folder", "Mutation"))
    query.fields["folders"].resolve = lambda root, info, ids, lang=None: folders.load_many(info, ids)
    query.fields["folder"].resolve = lambda root, info, id: folders.load(info, id)
    query.fields["text"].resolve = lambda root, info: broken.load(info, 1)
    folder.fields["children"].resolve = lambda obj, info: children.load(info, obj["id"])
    folder.fields["parent"].resolve = lambda obj, info: (
        None if info.context.store.parent_of(obj["id"]) is None else folders.load(info, obj["id"] // 10)
    )
    folder.fields["label"].resolve = lambda obj, info: (
        f"{obj['name']} ({root_argument(info, 'lang') or 'en'})"
    )

    def note(obj, info):
        if obj["id"] == 2:
            raise ValueError("no note for folder 2")
        return Later.of("a note")

    folder.fields["note"].resolve = note

    def rename(root, info, id, name):
        info.context.store.names[id] = name
        return folders.load(info, id)

    mutation.fields["rename"].resolve = rename
    return schema


@pytest.fixture
def run():
    schema = make_schema()

    def run(query: str, store: Store, **variables):
        return execute(
            schema,
            parse(query),
            context_value=Context(store),
            variable_values=variables,
            execution_context_class=ExecutionContext,
        )

    return run


def test_a_list_asks_each_loader_once_for_each_level_of_the_query(run):
    store = Store()
    result = run("{ folders(ids: [1, 2, 3]) { id children { id children { id } parent { id } } } }", store)
    assert result.errors is None
    assert [f["id"] for f in result.data["folders"]] == [1, 2, 3]
    assert [c["id"] for c in result.data["folders"][1]["children"]] == [21, 22]
    assert result.data["folders"][2]["children"][0]["parent"] == {"id": 3}
    assert store.batches == [
        ("folders", [1, 2, 3]),
        ("children", [1, 2, 3]),
        ("children", [11, 12, 21, 22, 31, 32]),
    ]


def test_a_key_asked_again_in_the_same_request_is_not_read_again(run):
    store = Store()
    result = run(
        "{ a: folder(id: 1) { name } b: folder(id: 1) { name } c: folders(ids: [1, 2]) { id } }", store
    )
    assert result.data == {"a": {"name": "folder 1"}, "b": {"name": "folder 1"}, "c": [{"id": 1}, {"id": 2}]}
    assert store.batches == [("folders", [1, 2])]


def test_each_request_reads_for_itself(run):
    store = Store()
    run("{ folder(id: 1) { name } }", store)
    store.names[1] = "renamed between requests"
    assert run("{ folder(id: 1) { name } }", store).data == {"folder": {"name": "renamed between requests"}}
    assert store.batches == [("folders", [1]), ("folders", [1])]


def test_a_key_the_batch_does_not_find_gets_the_loaders_default(run):
    result = run("{ folder(id: 99) { id } folders(ids: [11]) { children { id } } }", Store())
    assert result.errors is None
    assert result.data == {"folder": None, "folders": [{"children": []}]}


def test_an_error_in_a_loaded_value_nulls_that_field_only(run):
    result = run("{ folders(ids: [1, 2]) { id note } }", Store())
    assert result.data == {"folders": [{"id": 1, "note": "a note"}, {"id": 2, "note": None}]}
    [error] = result.errors
    assert error.message == "no note for folder 2" and error.path == ["folders", 1, "note"]


def test_a_null_where_a_loaded_value_may_not_be_null_nulls_the_nearest_field_that_may_be(run):
    result = run("{ folders(ids: [1, 99]) { id } folder(id: 3) { name } }", Store())
    assert result.data is None  # folders is [Folder!]!, and the query's root
    [error] = result.errors
    assert error.path == ["folders", 1]
    assert "Cannot return null for non-nullable field" in error.message


def test_a_failing_batch_is_the_error_of_the_field_that_asked_and_the_rest_is_answered(run):
    result = run("{ text folder(id: 1) { name } }", Store())
    assert result.data == {"text": None, "folder": {"name": "folder 1"}}
    [error] = result.errors
    assert error.path == ["text"] and isinstance(error.original_error, ConnectionError)


def test_each_mutation_field_reads_what_the_one_before_wrote(run):
    store = Store()
    result = run(
        """mutation { a: rename(id: 1, name: "first") { name }
        b: rename(id: 1, name: "second") { name children { parent { name } } } }""",
        store,
    )
    assert result.errors is None
    assert result.data["a"] == {"name": "first"}
    assert result.data["b"]["name"] == "second"
    assert result.data["b"]["children"][0]["parent"] == {"name": "second"}


def test_the_root_fields_argument_reaches_everything_under_it_through_fragments_and_variables(run):
    result = run(
        """query($lang: String) { ru: folders(ids: [1], lang: $lang) { ...shown }
        plain: folders(ids: [1]) { ...shown } }
        fragment shown on Folder { label children { label } }""",
        Store(),
        lang="ru",
    )
    [shown] = result.data["ru"]
    assert shown["label"] == "folder 1 (ru)"
    assert [child["label"] for child in shown["children"]] == ["folder 11 (ru)", "folder 12 (ru)"]
    assert result.data["plain"][0]["label"] == "folder 1 (en)"
    assert result.data["plain"][0]["children"][1]["label"] == "folder 12 (en)"


def test_two_loaders_may_not_share_a_name():
    with pytest.raises(ImproperlyConfigured, match=r"tests\.folders"):
        Loader("tests.folders", lambda request, keys: {})
