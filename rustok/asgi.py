"""ASGI entry point. Production serves WSGI (see docs/architecture.md); this exists for tooling."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rustok.settings")

application = get_asgi_application()
