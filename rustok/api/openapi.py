"""drf-spectacular hooks: every operation documents its problem+json error answer, and every
pattern is written in the document's regex dialect."""

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


# Python's \w (Unicode) is exactly the letters, the numbers and "_"; ECMA-262's \w is ASCII only.
_UNICODE_WORD = r"\p{L}\p{N}_"


def ecma_pattern(pattern: str) -> str:
    """A Python regex as ECMA-262 in Unicode mode (OpenAPI's dialect), naming the same characters.

    drf-spectacular copies validators' Python patterns as they are: `^[-\\w]+$` (Django's Unicode
    slug) then refused the Unicode slugs the API accepts and answers, such as `о-нас`.
    """
    out, in_class, index = [], False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            escape = pattern[index : index + 2]
            if escape == r"\w":
                escape = _UNICODE_WORD if in_class else f"[{_UNICODE_WORD}]"
            out.append(escape)
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class and out[-1] != "[":
            in_class = False
        out.append(char)
        index += 1
    return "".join(out)


def _translate_patterns(node) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                node[key] = ecma_pattern(value)
            else:
                _translate_patterns(value)
    elif isinstance(node, list):
        for item in node:
            _translate_patterns(item)


def ecma_patterns(result, generator, request, public):
    """Postprocessing hook: every `pattern` of the document in ECMA-262 (see ecma_pattern)."""
    _translate_patterns(result)
    return result
