"""/api/: the REST API composed from each module's `api.py`, its OpenAPI schema, and GraphQL.

A module's `api.py` exposes `urlpatterns` or a DRF `router`; its routes are mounted under
/api/v1/ and gated by the module's toggle. It may also expose `mounts`, a dict of a name to URL
patterns mounted at /api/<name>/ outside the versioned API (the accounts module's sign-in and
tokens at /api/auth/), gated the same way and listed by the /api/ index.
"""

from django.core.exceptions import ImproperlyConfigured
from django.http import JsonResponse
from django.urls import include, path, re_path, reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from rustok.graphql import graphql_view
from rustok.modules import registry
from rustok.modules.gate import gate_patterns
from rustok.views import not_found


def module_urlpatterns() -> list:
    """The REST routes of every module that has an api.py, each gated by its module's toggle."""
    patterns = []
    for module in registry:
        api = module.submodule("api")
        if api is None:
            continue
        urls = getattr(api, "urlpatterns", None)
        if urls is None:
            urls = api.router.urls
        patterns.extend(gate_patterns(list(urls), module.slug))
    return patterns


def module_mounts() -> dict[str, list]:
    """The `mounts` of every module's api.py: name -> its patterns, gated by its module's toggle."""
    mounts: dict[str, list] = {}
    for module in registry:
        api = module.submodule("api")
        for name, urls in getattr(api, "mounts", {}).items():
            if name in mounts:
                raise ImproperlyConfigured(f"Two modules mount /api/{name}/.")
            mounts[name] = gate_patterns(list(urls), module.slug)
    return mounts


MOUNTS = module_mounts()


@require_safe
def api_index(request):
    """/api/: where each part of the API is, for a client finding its way (JSON)."""

    def at(path: str) -> str:
        return request.build_absolute_uri(path)

    return JsonResponse(
        {
            "versions": {"v1": at("/api/v1/")},
            **{name: at(f"/api/{name}/") for name in MOUNTS},
            "schema": at(reverse("api-schema")),
            "docs": at(reverse("api-docs")),
            "redoc": at(reverse("api-redoc")),
            "graphql": at(reverse("graphql")),
        }
    )


urlpatterns = [
    path("", api_index, name="api-index"),
    path("v1/", include(module_urlpatterns())),
    *(path(f"{name}/", include(urls)) for name, urls in MOUNTS.items()),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("graphql/", graphql_view, name="graphql"),
    # Anything else under /api/ is a problem+json 404, whatever the method and in DEBUG too (no
    # HTML page for API clients, and no CSRF refusal of a POST to an address that is not there).
    re_path(r"^.*$", csrf_exempt(not_found)),
]
