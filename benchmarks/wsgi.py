"""What the HTTP benchmark serves: the platform, and beside it a bare Django view at /bare/.

The bare view goes through Django's own request cycle (request, URL resolution, response, the
request signals) with no middleware, in the same gunicorn workers as the platform, so the ratio
of an endpoint to it is what the platform adds to the least a Django answer costs.
"""

from __future__ import annotations

import os

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpResponse
from django.urls import path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rustok.settings")

from rustok.wsgi import application as platform  # sets Django up

BARE_PATH = "/bare/"


def bare(request):
    """A short text answer."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path(BARE_PATH.strip("/") + "/", bare)]


class BareHandler(WSGIHandler):
    """Django's WSGI handler without the middleware chain, resolving this module's one URL."""

    def load_middleware(self, is_async=False):
        self._view_middleware, self._template_response_middleware, self._exception_middleware = [], [], []

        def resolve_here(request):
            request.urlconf = __name__
            return self._get_response(request)

        self._middleware_chain = convert_exception_to_response(resolve_here)


bare_handler = BareHandler()


def application(environ, start_response):
    """/bare/ to the bare view, everything else to the platform."""
    if environ.get("PATH_INFO") == BARE_PATH:
        return bare_handler(environ, start_response)
    return platform(environ, start_response)
