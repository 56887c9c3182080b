"""WSGI entry point (gunicorn rustok.wsgi)."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rustok.settings")

application = get_wsgi_application()

if settings.INSECURE_SECRET_KEY and not settings.DEBUG:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment; only DEBUG=1 serves without one.")
