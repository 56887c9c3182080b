"""Paths no page can have, refused before any view runs.

A NUL byte (`%00`) is in no address of the platform, and PostgreSQL refuses it in text, so a
view that looked a slug up with it would fail with a server error. Every such request is the
404 of its interface instead: the readers' page, or problem+json under /api/.
"""

from __future__ import annotations

from django.http import Http404


class RefuseNulPathMiddleware:
    """404 for a path with a NUL byte in it, whichever view it would reach."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("No address has a NUL byte in it.")
        return self.get_response(request)
