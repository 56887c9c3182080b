"""The `extensions.code` of GraphQL errors that no service raised (docs/api/errors.md).

A service's refusal carries its own code (rustok.errors), a limit its own
(rustok.graphql_limits). What GraphQL itself refuses is given a code here, so that a client can
branch on `extensions.code` for every error:

- PARSE_ERROR: the query text does not parse.
- INVALID, with `field` when the error is in an argument (`kind`, `input.parentId`): validation
  found something wrong with what the operation is given. An argument or input field missing,
  unknown, repeated or of the wrong type; a variable undefined, unused, declared twice, of an
  unknown type or one that does not fit where it is used.
- GRAPHQL_VALIDATION_FAILED: validation found something wrong with what the operation asks. An
  unknown field, a selection on a leaf or none on an object, fragments, directives, operations,
  fields that conflict, an unknown type in a fragment; and a subscription (the schema has none).
- INVALID, with `field` naming the variable and the path in its value (`input`,
  `input.translations.0.title`): a variable's value that is missing or does not fit its type.
- INVALID, `field` `operationName`: no operation of that name, or none named in a document of
  several.
- INVALID: an argument refused while a field is answered (a null for a non-null argument, given
  through a variable with a default).

Which of the two validation codes an error gets depends on where it points in the query: into
an argument, an input value or a variable's declaration (or at a field or directive lacking a
required argument) is INVALID, anywhere else GRAPHQL_VALIDATION_FAILED. So a new validation rule
needs no entry here. Validation errors are kept with their document and shared by the requests
that send the same query (rustok.graphql.prepared): they are built once, here, and never changed
afterwards.
"""

from __future__ import annotations

import re

from graphql import (
    ArgumentNode,
    FieldNode,
    GraphQLError,
    ObjectFieldNode,
    OperationDefinitionNode,
    VariableDefinitionNode,
    Visitor,
    visit,
)
from graphql.validation.rules.values_of_correct_type import ValuesOfCorrectTypeRule

PARSE_ERROR = "PARSE_ERROR"
INVALID = "INVALID"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"

# graphql-core names what is missing only in its messages ('...' before 3.3, "..." after): an
# argument of a field or directive, an input field of a literal (`Type.name`) or of a variable.
_MISSING = (
    re.compile(r"^(?:Field|Directive) ['\"]@?\w+['\"] argument ['\"](\w+)['\"] of type .+ is required"),
    re.compile(r"^Field ['\"](?:\w+\.)?(\w+)['\"] of required type .+ was not provided\.$"),
)
# And a variable's input field that its type does not have.
_UNKNOWN_INPUT_FIELD = re.compile(r"^Field ['\"](\w+)['\"] is not defined by type ")
# The path graphql-core prints after a variable's name: `.translations[0].title`.
_PRINTED_PATH = re.compile(r"(?:\.\w+|\[\d+\])*")


def missing_name(message: str) -> str | None:
    """The required argument or input field that a validation message says was not given."""
    for pattern in _MISSING:
        found = pattern.match(message)
        if found:
            return found.group(1)
    return None


def _joined(*names: str | None) -> str:
    return ".".join(name for name in names if name)


def coded(error: GraphQLError, code: str, field: str | None = None) -> GraphQLError:
    """A copy of `error` with `extensions.code` (and `field` when known)."""
    extensions = {**(error.extensions or {}), "code": code, **({"field": field} if field else {})}
    return GraphQLError(
        error.message,
        error.nodes,
        error.source,
        error.positions,
        error.path,
        error.original_error,
        extensions,
    )


class NamedValuesOfCorrectTypeRule(ValuesOfCorrectTypeRule):
    """graphql-core's check of the values written in a query, with each error naming the argument
    or input field it is about (`publishAt: DateTime cannot represent value: 'tomorrow'`, graphene's
    own message names only the value) and carrying `extensions.code` INVALID and `field`; a
    required input field left out is named itself (`input.kind`).
    Values sent as variables are named by graphql-core itself (`Variable '$at' got invalid value`)."""

    def __init__(self, context):
        super().__init__(context)
        self._names: list[str] = []
        self._node = None

    def enter_argument(self, node, *_args):
        self._names.append(node.name.value)

    def leave_argument(self, node, *_args):
        self._names.pop()

    def enter_object_field(self, node, *args):
        self._names.append(node.name.value)
        return super().enter_object_field(node, *args)

    def leave_object_field(self, node, *_args):
        self._names.pop()

    def is_valid_value_node(self, node):
        self._node = node
        return super().is_valid_value_node(node)

    def report_error(self, error: GraphQLError) -> None:
        if self._names:
            field = _joined(*self._names, missing_name(error.message))
            error = GraphQLError(
                f"{field}: {error.message}",
                error.nodes or self._node,
                original_error=error.original_error,
                extensions={"code": INVALID, "field": field},
            )
        super().report_error(error)


class _Places(Visitor):
    """Where each node of a document is: the path of the argument and input fields it is in, and
    whether it is in what the operation is given (an argument or a variable's declaration)."""

    def __init__(self):
        super().__init__()
        self.names: list[str] = []
        self.declaring = 0
        self.places: dict[int, tuple[str, bool]] = {}

    def enter(self, node, *_args):
        if isinstance(node, ArgumentNode | ObjectFieldNode):
            self.names.append(node.name.value)
        elif isinstance(node, VariableDefinitionNode):
            self.declaring += 1
        self.places[id(node)] = (".".join(self.names), bool(self.names) or self.declaring > 0)

    def leave(self, node, *_args):
        if isinstance(node, ArgumentNode | ObjectFieldNode):
            self.names.pop()
        elif isinstance(node, VariableDefinitionNode):
            self.declaring -= 1


def coded_validation_errors(document, errors) -> tuple[GraphQLError, ...]:
    """The validation errors of `document`, each with its code (and `field`), as a tuple."""
    if not errors:
        return ()
    walk = _Places()
    visit(document, walk)
    return tuple(_coded_validation_error(error, walk.places) for error in errors)


def _coded_validation_error(error: GraphQLError, places: dict) -> GraphQLError:
    if "code" in (error.extensions or {}):
        return error  # named where it was found (NamedValuesOfCorrectTypeRule)
    spots = [places[id(node)] for node in error.nodes or () if id(node) in places]
    path = next((path for path, _given in spots if path), None)
    missing = missing_name(error.message)
    if missing or any(given for _path, given in spots):
        return coded(error, INVALID, _joined(path, missing))
    return coded(error, VALIDATION_FAILED)


def coded_syntax_error(error: GraphQLError) -> GraphQLError:
    """A syntax error of the query text, coded PARSE_ERROR."""
    return coded(error, PARSE_ERROR)


def _variable_field(error: GraphQLError) -> str | None:
    """The variable a coercion error is about, and the path in its value graphql-core printed."""
    definition = next((n for n in error.nodes or () if isinstance(n, VariableDefinitionNode)), None)
    if definition is None:
        return None
    name = definition.variable.name.value
    inner = error.original_error
    if not isinstance(inner, GraphQLError) or not error.message.endswith(f"; {inner.message}"):
        return name
    prefix = error.message[: -len(inner.message) - 2]
    marker = f" at '{name}"
    path = ""
    if prefix.endswith("'") and marker in prefix:
        printed = prefix.rsplit(marker, 1)[1][:-1]
        if _PRINTED_PATH.fullmatch(printed):
            path = re.sub(r"\[(\d+)\]", r".\1", printed)
    unknown = _UNKNOWN_INPUT_FIELD.match(inner.message)
    return _joined(name + path, missing_name(inner.message) or (unknown and unknown.group(1)))


def coded_request_error(error: GraphQLError, operation_found: bool) -> GraphQLError:
    """An error found before any field ran, once the document was valid: the operation to run
    could not be chosen (`operationName`), the variables do not fit their types, or the schema
    has no root type for the operation (a subscription)."""
    if "code" in (error.extensions or {}):
        return error
    if not operation_found:
        return coded(error, INVALID, "operationName")
    if any(isinstance(node, OperationDefinitionNode) for node in error.nodes or ()):
        return coded(error, VALIDATION_FAILED)
    return coded(error, INVALID, _variable_field(error))


def uncoded_extensions(error: GraphQLError) -> dict:
    """Extensions for an error graphql-core raised while answering a field and nothing else
    coded: INVALID when it points at an argument's value, else INTERNAL (a bug: a value the
    schema does not allow was answered)."""
    nodes = error.nodes or ()
    if nodes and not all(isinstance(node, FieldNode) for node in nodes):
        return {"code": INVALID}
    return {"code": "INTERNAL"}
