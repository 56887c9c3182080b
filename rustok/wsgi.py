"""WSGI entry point (gunicorn rustok.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rustok.settings")

application = get_wsgi_application()
