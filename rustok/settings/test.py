"""Settings for the test suite: the platform plus a small module that exists only for tests."""

import os
import tempfile
from pathlib import Path

from rustok.settings import *  # noqa: F403
from rustok.settings import INSTALLED_APPS, TENANT_APPS

# `notes` (a model, a REST route, a GraphQL field) and `digest` (depends on notes) are minimal
# non-core modules: the kernel's tenant isolation and module toggles are tested with them, without
# depending on a real domain module.
TENANT_APPS = [*TENANT_APPS, "tests.testapps.notes", "tests.testapps.digest"]
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapps.notes", "tests.testapps.digest"]

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = False
HEALTH_EVENTS_CACHE_SECONDS = 0
# Tests arrange data and read the pages it changes without running the worker in between; the
# page cache would rightly serve what it kept. Its own tests turn it on (tests/core/test_page_cache.py).
PAGE_CACHE = False
FRAGMENT_CACHE = False  # the same: parts of pages are kept with the page cache's tests
# No near copy (rustok.near_cache): the page cache's tests count its lookups in Redis, delete its
# keys (which a copy never sees) and stop it (which a copy sees a second or so later, when its
# subscription is lost). Its own tests turn it on (tests/core/test_page_cache_near.py).
PAGE_CACHE_NEAR_BYTES = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Keys of the test run (and of each xdist worker) never meet a developer's running platform.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
for _alias, _cache in CACHES.items():  # noqa: F405
    _cache["KEY_PREFIX"] = f"test-{_worker}-{_alias}"
CELERY_TASK_DEFAULT_QUEUE = f"rustok-test-{_worker}"
# Uploads of the run (the demo's pictures in the browser tests) stay out of the checkout; tests
# of uploads use a fresh directory each (the `media` fixture).
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"rustok-test-media-{_worker}"
# Static files come from the finders; tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
