"""JSON bodies with bounded nesting, for REST (a DRF parser) and GraphQL (its view's body).

Python's JSON parser recurses once per level: a body of 100,000 `[` exhausts the stack
(RecursionError) and every layer that walks the data afterwards (validation, error rendering)
recurses too. A body nested deeper than JSON_MAX_DEPTH levels is refused as a parse error
(400 `parse_error`) before anything reads it.
"""

from __future__ import annotations

import json

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class TooDeep(ValueError):
    """JSON nested deeper than JSON_MAX_DEPTH: refused like invalid JSON."""

    def __init__(self, limit: int):
        super().__init__(f"JSON nested deeper than {limit} levels.")


def depth_limit() -> int:
    return settings.JSON_MAX_DEPTH


def check_depth(data, limit: int | None = None) -> None:
    """TooDeep if `data` (parsed JSON) has more than `limit` levels of objects and arrays."""
    limit = depth_limit() if limit is None else limit
    stack = [(data, 1)]
    while stack:  # iterative, so the check itself never recurses
        value, level = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if level > limit:
            raise TooDeep(limit)
        stack.extend((child, level + 1) for child in children)


def loads(text: str | bytes):
    """Parsed JSON; ValueError if it is not JSON, TooDeep (a ValueError) if nested too deep."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise TooDeep(depth_limit()) from None
    check_depth(data)
    return data


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies nested deeper than JSON_MAX_DEPTH (400 parse_error)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            check_depth(data)
        except (RecursionError, TooDeep):
            raise ParseError(f"JSON parse error - {TooDeep(depth_limit())}") from None
        return data
