"""The access matrix of the core module and of `notes`, the test suite's sample module
(tests/access_matrix.py): the site, anyone's; notes, read by anyone and written by editors,
admins and owners; and the route whose bug answers 500 to whoever may call it."""

from __future__ import annotations

from rustok.permissions import PUBLIC
from tests.access_matrix import EVERYONE, SECRET, WRITERS, On, graphql, rest
from tests.testapps.notes.services import create_note

NOTES = "notes.change_note"


def build(world) -> None:
    world.add("note", create_note(text="alpha note"))


def build_foreign() -> None:
    create_note(text=SECRET)


ENTRIES = [
    rest("GET /api/v1/site/", PUBLIC, On("all", EVERYONE)),
    rest("GET /api/v1/boom/", PUBLIC, On("all", EVERYONE), status=500),
    rest("GET /api/v1/notes/", PUBLIC, On("all", EVERYONE)),
    rest("POST /api/v1/notes/", NOTES, On("new", WRITERS, body={"text": "new"}), status=201),
    rest("GET /api/v1/notes/{pk}/", PUBLIC, On("note", EVERYONE, obj="note")),
    rest("PUT /api/v1/notes/{pk}/", NOTES, On("note", WRITERS, obj="note", body={"text": "changed"})),
    rest("PATCH /api/v1/notes/{pk}/", NOTES, On("note", WRITERS, obj="note", body={"text": "changed"})),
    rest("DELETE /api/v1/notes/{pk}/", NOTES, On("note", WRITERS, obj="note")),
    graphql("Query.site", PUBLIC, "query { site { name modules } }", On("all", EVERYONE)),
    graphql("Query.notes", PUBLIC, "query { notes { id text } }", On("all", EVERYONE)),
    graphql(
        "Mutation.addNote",
        NOTES,
        "mutation($text: String!) { addNote(text: $text) { note { id } } }",
        On("new", WRITERS, body={"text": "new"}),
    ),
]
