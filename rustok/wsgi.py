"""WSGI entry point (gunicorn rustok.wsgi): Django's application behind the page cache's, which
answers cached pages before Django's request cycle (rustok.page_cache.CachedPages)."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rustok.settings")

django_application = get_wsgi_application()

from rustok.database import bound_request_queries  # noqa: E402  (needs the settings)
from rustok.page_cache import CachedPages  # noqa: E402

application = CachedPages(django_application)

bound_request_queries()

if settings.INSECURE_SECRET_KEY and not settings.DEBUG:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment; only DEBUG=1 serves without one.")
