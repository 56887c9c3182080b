"""Limits on a GraphQL request, checked before any resolver runs (docs/security.md).

A GraphQL document is small to send and can be expensive to answer: a few kilobytes of aliases
ask for thousands of rows, and fragments that spread each other twice grow exponentially. So a
request is refused, with its own `extensions.code`, when it breaks any of these, in this order:

| check | setting | code |
| --- | --- | --- |
| bytes of the query text, before lexing | GRAPHQL_MAX_QUERY_BYTES | QUERY_TOO_LARGE |
| lexical tokens, before parsing | GRAPHQL_MAX_TOKENS | QUERY_TOO_MANY_TOKENS |
| selection depth of the operation (introspection not counted) | GRAPHQL_MAX_DEPTH | QUERY_TOO_DEEP |
| aliases in the operation | GRAPHQL_MAX_ALIASES | QUERY_TOO_MANY_ALIASES |
| fields in the operation, fragments expanded | GRAPHQL_MAX_FIELDS | QUERY_TOO_MANY_FIELDS |
| cost of the operation | GRAPHQL_MAX_COST | QUERY_TOO_COSTLY |
| `__schema` / `__type` without DEBUG or GRAPHQL_INTROSPECTION | | INTROSPECTION_DISABLED |

Text PostgreSQL cannot store is refused the same way, before anything runs: a NUL character in
any string of the request (a literal argument or a variable, at any depth) is INVALID, naming the
argument or variable (`extensions.fields`), as REST names the field.

Cost: every field costs 1; a field given a page size (an argument named in
GRAPHQL_COST_SIZE_ARGUMENTS: `first`, `last`, `limit`) costs 1 plus that size times the cost of
what it selects. Sizes count at most GRAPHQL_MAX_PAGE_SIZE, the longest page any list answers; a
field that declares such an argument and is not given it counts its declared default, else that
maximum. Only the operation that runs is measured; fragments are
expanded where they are spread, so the figures are those of the query as executed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from graphql import (
    ArgumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    Source,
    StringValueNode,
    TokenKind,
    Visitor,
    get_named_type,
    parse,
    value_from_ast,
    visit,
)
from graphql.language import Lexer
from graphql.type import GraphQLInterfaceType, GraphQLObjectType

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


class LimitExceeded(GraphQLError):
    """A request over one of the limits; `extensions` hold the code, the limit and the value."""

    def __init__(self, code: str, message: str, **figures):
        super().__init__(message, extensions={"code": code, **figures})


NUL_MESSAGE = "Null characters are not allowed."


def _nul_paths(value, path: str):
    if isinstance(value, str):
        if "\x00" in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _nul_paths(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, f"{path}.{index}")


def _literal_has_nul(node) -> bool:
    if isinstance(node, StringValueNode):
        return "\x00" in node.value
    if isinstance(node, ListValueNode):
        return any(_literal_has_nul(item) for item in node.values)
    if isinstance(node, ObjectValueNode):
        return any(_literal_has_nul(field.value) for field in node.fields)
    return False


class _NulArguments(Visitor):
    """The names of the arguments whose literal values hold a NUL character."""

    def __init__(self):
        super().__init__()
        self.names: list[str] = []

    def enter_argument(self, node: ArgumentNode, *_):
        if _literal_has_nul(node.value):
            self.names.append(node.name.value)


def _refuse_nul(names: list[str]) -> None:
    if names:
        fields = {name: [NUL_MESSAGE] for name in dict.fromkeys(names)}
        detail = "; ".join(f"{name}: {NUL_MESSAGE}" for name in fields)
        raise LimitExceeded("INVALID", detail, fields=fields)


def check_literals(document) -> None:
    """Refuse NUL characters in the document's string arguments (INVALID, naming them)."""
    arguments = _NulArguments()
    visit(document, arguments)
    _refuse_nul(arguments.names)


def check_variables(variables) -> None:
    """Refuse NUL characters in the variables, at any depth (INVALID, naming them)."""
    if isinstance(variables, dict):
        _refuse_nul([path for name, value in variables.items() for path in _nul_paths(value, name)])


@dataclass
class Measure:
    depth: int = 0
    aliases: int = 0
    fields: int = 0
    cost: int = 0


def check_size(query: str) -> None:
    """Refuse a query text longer than GRAPHQL_MAX_QUERY_BYTES (UTF-8 bytes)."""
    limit = settings.GRAPHQL_MAX_QUERY_BYTES
    size = len(query.encode("utf-8", "surrogatepass"))
    if size > limit:
        message = f"The query is {size} bytes; at most {limit} are accepted."
        raise LimitExceeded("QUERY_TOO_LARGE", message, limit=limit, size=size)


def check_tokens(query: str) -> None:
    """Refuse a query of more than GRAPHQL_MAX_TOKENS tokens, counted without building the tree.
    A syntax error is left for the parser to report."""
    limit = settings.GRAPHQL_MAX_TOKENS
    lexer = Lexer(Source(query))
    count = 0
    try:
        while lexer.advance().kind is not TokenKind.EOF:
            count += 1
            if count > limit:
                raise LimitExceeded(
                    "QUERY_TOO_MANY_TOKENS", f"The query has more than {limit} tokens.", limit=limit
                )
    except LimitExceeded:
        raise
    except GraphQLError:
        return


def parse_within_limits(query: str):
    """The parsed document of `query`, once its size and token count are within the limits and
    its string literals hold no NUL."""
    check_size(query)
    check_tokens(query)
    document = parse(query)
    check_literals(document)
    return document


class _Walker:
    def __init__(self, schema: GraphQLSchema, fragments: dict, variables: dict):
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.measure = Measure()
        self.introspection = settings.DEBUG or settings.GRAPHQL_INTROSPECTION
        self.size_arguments = frozenset(settings.GRAPHQL_COST_SIZE_ARGUMENTS)
        self.max_fields = settings.GRAPHQL_MAX_FIELDS
        self.expanding: set[str] = set()
        self.introspecting = 0

    def selection_cost(self, selection_set, parent_type, depth: int) -> int:
        """The cost of `selection_set` on `parent_type`, counting depth, aliases and fields."""
        if selection_set is None:
            return 0
        cost = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                cost += self.field_cost(selection, parent_type, depth)
            elif isinstance(selection, InlineFragmentNode):
                on = self._type(selection.type_condition.name.value) if selection.type_condition else None
                cost += self.selection_cost(selection.selection_set, on or parent_type, depth)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                # An unknown fragment, or one spread inside itself, is the validator's to report.
                if fragment is not None and name not in self.expanding:
                    self.expanding.add(name)
                    on = self._type(fragment.type_condition.name.value)
                    cost += self.selection_cost(fragment.selection_set, on or parent_type, depth)
                    self.expanding.discard(name)
        return cost

    def field_cost(self, node: FieldNode, parent_type, depth: int) -> int:
        measure = self.measure
        name = node.name.value
        if name in INTROSPECTION_FIELDS and not self.introspection:
            raise LimitExceeded("INTROSPECTION_DISABLED", "Introspection is disabled on this server.")
        measure.fields += 1
        if measure.fields > self.max_fields:
            # Stop at once: fragments can spread far more fields than are worth counting.
            raise LimitExceeded(
                "QUERY_TOO_MANY_FIELDS",
                f"The query selects more than {self.max_fields} fields.",
                limit=self.max_fields,
            )
        if node.alias is not None:
            measure.aliases += 1
        if name in INTROSPECTION_FIELDS:
            # The schema's own description is as deep as its type wrappers, not as the data: its
            # depth is not counted (its fields and cost are), and it is off unless allowed.
            self.introspecting += 1
        if not self.introspecting:
            measure.depth = max(measure.depth, depth + 1)
        definition = None
        if isinstance(parent_type, GraphQLObjectType | GraphQLInterfaceType):
            definition = parent_type.fields.get(name)
        child_type = get_named_type(definition.type) if definition is not None else None
        children = self.selection_cost(node.selection_set, child_type, depth + 1)
        if name in INTROSPECTION_FIELDS:
            self.introspecting -= 1
        return 1 + self.size(node, definition) * children

    def size(self, node: FieldNode, definition) -> int:
        """How many times the field's children are answered: its page size, else 1."""
        if definition is None:
            return 1
        declared = [name for name in definition.args if name in self.size_arguments]
        if not declared:
            return 1
        given = {argument.name.value: argument for argument in node.arguments or ()}
        sizes = []
        for name in declared:
            argument = definition.args[name]
            if name in given:
                value = value_from_ast(given[name].value, argument.type, self.variables)
            else:
                value = argument.default_value if isinstance(argument.default_value, int) else None
            if isinstance(value, int):
                sizes.append(max(value, 0))
        longest = settings.GRAPHQL_MAX_PAGE_SIZE
        return min(max(sizes), longest) if sizes else longest

    def _type(self, name: str):
        return self.schema.get_type(name)


def check_operation(schema: GraphQLSchema, document, operation_name: str | None, variables) -> Measure:
    """Measure the operation that will run and refuse it if it is over a limit."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        return Measure()  # no operation or an ambiguous one: the executor reports it
    [operation] = operations
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    walker = _Walker(schema, fragments, variables if isinstance(variables, dict) else {})
    root = schema.get_root_type(operation.operation)
    measure = walker.measure
    measure.cost = walker.selection_cost(operation.selection_set, root, 0)
    for code, value, limit, what in (
        ("QUERY_TOO_DEEP", measure.depth, settings.GRAPHQL_MAX_DEPTH, "levels deep"),
        ("QUERY_TOO_MANY_ALIASES", measure.aliases, settings.GRAPHQL_MAX_ALIASES, "aliases"),
        ("QUERY_TOO_COSTLY", measure.cost, settings.GRAPHQL_MAX_COST, "in cost"),
    ):
        if value > limit:
            raise LimitExceeded(
                code, f"The query is {value} {what}; at most {limit} is accepted.", limit=limit, value=value
            )
    return measure
