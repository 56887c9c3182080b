"""drf-spectacular hooks: every operation documents its problem+json error answer, and no
pattern says less or more than the API checks."""

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 7807 problem details; `code` is stable (docs/api/errors.md).",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string", "format": "uri", "example": "https://rustok.dev/problems/invalid"},
        "title": {"type": "string", "example": "Invalid input"},
        "status": {"type": "integer", "example": 400},
        "detail": {"type": "string", "example": "text: This field is required."},
        "code": {"type": "string", "example": "invalid"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True, "example": "text"},
                    "message": {"type": "string", "example": "This field is required."},
                    "code": {"type": "string", "example": "required"},
                },
            },
        },
    },
}


def add_problem_responses(result, generator, request, public):
    """Postprocessing hook: a `Problem` component, and `default` error answers that use it."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    problem = {
        "description": "An error as application/problem+json (404 `module_disabled` if the module is off).",
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("default", problem)
    return result


# Python's \w is Unicode (letters and digits of every script, and "_"); ECMA-262's, which
# OpenAPI tools use, is ASCII, and `\p{L}` needs a flag that Swagger UI does not set and
# validators approximate (some to Latin letters only).
_WORD_RULE = "Letters and digits of any script, underscores and hyphens."


def _portable_patterns(node) -> None:
    if isinstance(node, dict):
        pattern = node.get("pattern")
        if isinstance(pattern, str) and "\\w" in pattern:
            del node["pattern"]
            description = node.get("description", "")
            node["description"] = f"{description} {_WORD_RULE}".strip()
        for value in node.values():
            _portable_patterns(value)
    elif isinstance(node, list):
        for item in node:
            _portable_patterns(item)


def portable_patterns(result, generator, request, public):
    """Postprocessing hook: a pattern no OpenAPI tool reads as Python does is said in words.

    drf-spectacular copies validators' Python patterns as they are: Django's Unicode slug
    `^[-\\w]+$` then refused, in every client and validator, the slugs the API accepts and
    answers, such as `о-нас`. The API still checks them and names the field when one is wrong.
    """
    _portable_patterns(result)
    return result


def closed_requests(result, generator, request, public):
    """Postprocessing hook: request bodies take only their declared properties, as the API
    refuses any other field (`unknown_field`, rustok.api.serializers)."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component.setdefault("additionalProperties", False)
    return result
