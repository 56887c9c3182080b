"""drf-spectacular hooks: every operation documents its problem+json error answer."""

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
