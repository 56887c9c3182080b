"""The module gate: a disabled module's routes answer 404 problem+json `module_disabled`.

Applied once, when the URL conf composes the modules' routes, so every route of every module is
gated without the module doing anything.
"""

from __future__ import annotations

from functools import wraps

from django.http import Http404
from django.urls import URLPattern, URLResolver

from rustok.errors import ModuleDisabled
from rustok.hooks import Hook

toggle_check = Hook(
    "module toggles",
    "(tenant, slug) -> whether module `slug` is on for `tenant`; provided by the core module.",
)


def module_disabled_response(slug: str):
    from rustok.api.problems import domain_error_body, problem_response

    return problem_response(domain_error_body(ModuleDisabled(slug)))


def module_enabled_for(request, slug: str) -> bool:
    """Whether module `slug` is on for the tenant this request was routed to."""
    return toggle_check(getattr(request, "tenant", None), slug)


def gate_view(view, slug: str):
    """Wrap `view` so it answers module_disabled while `slug` is off for the request's tenant."""

    @wraps(view)
    def gated(request, *args, **kwargs):
        if not module_enabled_for(request, slug):
            from rustok.api.problems import wants_problem

            if wants_problem(request):
                return module_disabled_response(slug)
            raise Http404(f"The module '{slug}' is not enabled for this site.")  # a page for people
        return view(request, *args, **kwargs)

    return gated


def wrap_views(patterns, wrap) -> list:
    """Replace every view reachable from `patterns` (nested includes too) by `wrap(view)`, in
    place; returns the patterns."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = wrap(pattern.callback)
        elif isinstance(pattern, URLResolver):
            wrap_views(pattern.url_patterns, wrap)
    return list(patterns)


def gate_patterns(patterns, slug: str) -> list:
    """Gate every view reachable from `patterns` (nested includes too), in place; returns them."""
    return wrap_views(patterns, lambda view: gate_view(view, slug))
