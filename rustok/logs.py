"""Structured logs (structlog): every line of a request names its tenant and request id.

Logs from the standard library and from structlog go through one formatter: readable lines in
development, JSON with LOG_FORMAT=json. The request id comes from the X-Request-ID header when a
proxy sets one, else it is generated, and it is echoed in the response.
"""

from __future__ import annotations

import re
import uuid

import structlog

REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,128}$")

SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure(json_output: bool) -> dict:
    """Configure structlog and return the `formatters` entry for Django's LOGGING."""
    structlog.configure(
        processors=[
            *SHARED_PROCESSORS,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    renderer = (
        structlog.processors.JSONRenderer() if json_output else structlog.dev.ConsoleRenderer(colors=False)
    )
    return {
        "structured": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
            "foreign_pre_chain": SHARED_PROCESSORS,
        }
    }


_REQUEST_ID = "rustok.request_id"  # the environ's key of the id, once given


def start_request(environ) -> str:
    """The request's id, bound to every following log line: its X-Request-ID when a proxy set a
    well-formed one, else a new one. Kept in the WSGI environ, so whatever starts the request
    (the page cache in front of Django, then RequestContextMiddleware) gives it one id."""
    request_id = environ.get(_REQUEST_ID)
    if request_id is None:
        incoming = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = environ[_REQUEST_ID] = incoming if REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
    # Cleared here rather than after the response: Django logs 4xx/5xx answers once the
    # middleware chain has returned, and those lines should carry the context too. The tenant is
    # bound by TenantMiddleware once the host is routed (bind_tenant).
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=request_id, tenant=None)
    return request_id


class RequestContextMiddleware:
    """Bind a request id to every log line of the request, and echo it in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = start_request(request.META)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


def bind_tenant(schema_name: str | None) -> None:
    """Name the tenant of the current request on every following log line."""
    structlog.contextvars.bind_contextvars(tenant=schema_name)


def current_request_id() -> str | None:
    """The id of the request being served (None outside a request)."""
    return structlog.contextvars.get_contextvars().get("request_id")
