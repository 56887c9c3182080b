"""The access matrix (tests/access_matrix.py): every REST route and GraphQL root field has an
entry that states its access, and every case of every entry answers as it states."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests import access_matrix as matrix

ENTRIES = matrix.all_entries()
CASES = matrix.cases(ENTRIES)

world = matrix.world_fixture(ENTRIES)


def test_every_route_declares_its_access():
    undeclared = [key for key, route in matrix.ROUTES.items() if matrix.access_of(route) is None]
    assert not undeclared, f"routes that declare no access: {undeclared}"


def test_every_route_and_root_field_has_an_entry():
    missing = matrix.missing_entries(ENTRIES, matrix.ROUTES, matrix.graphql_fields())
    assert not missing, "\n".join(missing)


def test_a_route_without_an_entry_fails_the_matrix_naming_it():
    routes = dict(matrix.ROUTES)
    routes["POST /api/v1/new-things/"] = matrix.Route("POST /api/v1/new-things/", object, "create")
    fields = {**matrix.graphql_fields(), "Mutation.addThing": "things.add_thing"}
    missing = matrix.missing_entries(ENTRIES, routes, fields)
    assert len(missing) == 2
    assert missing[0].startswith("POST /api/v1/new-things/ (builtins.object) has no entry")
    assert missing[1].startswith("GraphQL field Mutation.addThing has no entry")


def test_every_entry_is_of_a_route_or_field_and_states_its_declared_access():
    declared = {key: matrix.access_of(route) for key, route in matrix.ROUTES.items()}
    declared |= matrix.graphql_fields()
    stale = [entry.key for entry in ENTRIES if entry.key not in declared]
    assert not stale, f"entries of no route or field: {stale}"
    wrong = [(e.key, e.access, declared[e.key]) for e in ENTRIES if e.access != declared[e.key]]
    assert not wrong, f"entries stating another access than the code declares: {wrong}"
    reads_none = {key for key, route in matrix.ROUTES.items() if route.view.authentication_classes == ()}
    unsaid = [e.key for e in ENTRIES if not e.graphql and e.signs_in != (e.key in reads_none)]
    assert not unsaid, f"entries that do not say whether their route reads credentials: {unsaid}"
    keys = [entry.key for entry in ENTRIES]
    assert len(keys) == len(set(keys)), "an entry is listed twice"


def test_every_case_has_its_own_name():
    names = [str(case) for case in CASES]
    assert len(names) == len(set(names))


def test_no_entry_needs_the_stray_tokens_scope():
    assert all(
        matrix.STRAY_SCOPE not in (matrix.token_scope(e, v), e.access) for e in ENTRIES for v in e.variants
    )


@pytest.fixture
def alone(world, django_db_blocker):
    """The world, in a savepoint of this case's: whatever the case writes is undone after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield world
        transaction.set_rollback(True)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_access(case, alone, request):
    if case.entry.multipart:
        request.getfixturevalue("media")  # uploads go to a directory of this test
    matrix.check(case, alone)
