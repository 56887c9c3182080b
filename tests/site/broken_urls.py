"""The tenant URLs plus one view that fails, for the server error page's test."""

from django.urls import path

from rustok.urls_tenant import handler400, handler403, handler404, handler500
from rustok.urls_tenant import urlpatterns as tenant_urls


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken), *tenant_urls]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
