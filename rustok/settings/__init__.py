"""RusToK settings, read from the environment (12-factor) with local defaults.

Every variable is listed in docs/operations.md. `make run` writes nothing here: it exports
DATABASE_URL and REDIS_URL for the servers it found or started, and records them in .rustok/env,
which manage.py reads into the environment before these settings (rustok.local_env).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean flag such as DEBUG=1 / DEBUG=false from the environment."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Without SECRET_KEY a development key is used; the web server (rustok/wsgi.py) refuses to start
# on it unless DEBUG is on, so a deployment never signs sessions with a published key.
INSECURE_SECRET_KEY = not SECRET_KEY
SECRET_KEY = SECRET_KEY or "rustok-insecure-development-key-never-deploy-it"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# --- tenancy -------------------------------------------------------------------------------------
# Apps whose tables live in the public schema only.
SHARED_APPS = [
    # The admin's theme: before django_tenants and the admin, whose templates it replaces. Its
    # basic config: the default one would replace admin.site (rustok.admin_site.TenantAdminSite).
    "unfold.apps.BasicAppConfig",
    "django_tenants",
    "modeltranslation",
    "apps.core",
    "apps.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "rustok.admin_site.RustokAdminConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "graphene_django_graphiql_static",
    "graphene_django",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_countries",
    # The platform's own outbox: events of the public schema (platform operators' accounts).
    "apps.events",
]
# Apps whose tables live in every tenant schema. The user model is in both lists: the public
# schema holds platform operators, each tenant schema its own users.
TENANT_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "rustok.admin_site.RustokAdminConfig",
    "apps.accounts",
    "axes",
    "apps.events",
    "apps.index",
    "apps.site",
    "apps.content",
    "apps.blog",
    "apps.catalog",
    "apps.inventory",
    "apps.payments",
    "apps.orders",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "core.Tenant"
TENANT_DOMAIN_MODEL = "core.Domain"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "rustok.urls_public"
ROOT_URLCONF = "rustok.urls_tenant"
# New tenants are cloned from this migrated template schema instead of running every migration.
TENANT_BASE_SCHEMA = "tenant_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
TENANT_LIMIT_SET_CALLS = True
# Seconds a web process keeps what a host name routes to (the tenant's row) instead of looking the
# domain up on every request (rustok.tenancy): a change of a tenant or a domain reaches the other
# processes within this long (at once in the process that made it); 0 looks every request up.
TENANT_ROUTING_CACHE_SECONDS = float(os.environ.get("TENANT_ROUTING_CACHE_SECONDS", "5"))
TENANT_MULTIPROCESSING_MAX_PROCESSES = int(os.environ.get("MIGRATE_PROCESSES", "2"))
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rustok"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# django-tenants' backend, with a health check that costs no round trip (rustok.postgresql_backend).
DATABASES["default"]["ENGINE"] = "rustok.postgresql_backend"
# Web processes bound each query and each lock wait (rustok.database); a database that is down or
# busy is answered 503 with this Retry-After.
REQUEST_STATEMENT_TIMEOUT = float(os.environ.get("REQUEST_STATEMENT_TIMEOUT", "10"))
REQUEST_LOCK_TIMEOUT = float(os.environ.get("REQUEST_LOCK_TIMEOUT", "3"))
DATABASE_RETRY_AFTER = int(os.environ.get("DATABASE_RETRY_AFTER", "30"))
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
# Parameters are sent apart from the SQL (server-side binding), so psycopg prepares a statement
# the connection runs often and PostgreSQL plans it once instead of on every request (planning
# the shop's list query costs more than running it). Off for a pooler in transaction mode.
DATABASES["default"]["OPTIONS"]["server_side_binding"] = env_bool("DATABASE_SERVER_SIDE_BINDING", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- redis: cache and broker ---------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def celery_url(redis_url: str) -> str:
    """Celery spells a unix-socket Redis URL as redis+socket://, redis-py as unix://."""
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url.removeprefix("unix://")
    return redis_url


# Redis on the request path answers within REDIS_TIMEOUT seconds or counts as failed; after
# REDIS_BREAKER_FAILURES failures in a row it is not tried for REDIS_BREAKER_SECONDS
# (rustok.resilience.through_redis). A local Redis answers in well under a millisecond.
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.05"))
REDIS_BREAKER_FAILURES = int(os.environ.get("REDIS_BREAKER_FAILURES", "3"))
REDIS_BREAKER_SECONDS = float(os.environ.get("REDIS_BREAKER_SECONDS", "10"))
_REDIS_OPTIONS = {"SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT, "SOCKET_TIMEOUT": REDIS_TIMEOUT}

CACHES = {
    # Tenant data: every key is prefixed with the schema of the current connection.
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "KEY_PREFIX": "rustok",
        "OPTIONS": dict(_REDIS_OPTIONS),
    },
    # Platform data about tenants (module toggles): keys name the tenant explicitly, so the
    # same entry is found whichever schema is active when it is read or invalidated.
    "platform": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "rustok-platform",
        "OPTIONS": dict(_REDIS_OPTIONS),
    },
    # The page cache (rustok.page_cache): keys name the tenant's schema; entries name what they show (tags).
    "pages": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "rustok-pages",
        "OPTIONS": dict(_REDIS_OPTIONS),
    },
}

# Anonymous storefront pages and public GET answers of the API are kept this many seconds
# (rustok.page_cache, docs/operations.md); RUSTOK_PAGE_CACHE=0 turns the cache off (benchmarks
# compare both). Cacheable answers tell browsers and CDNs they may keep them PAGE_CACHE_MAX_AGE.
PAGE_CACHE = env_bool("RUSTOK_PAGE_CACHE", True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "60"))
# Each web process also keeps the entries it read or stored in its memory, up to this many bytes of
# them, served without asking Redis while invalidations reach it (rustok.near_cache); 0: no copy.
PAGE_CACHE_NEAR_BYTES = int(os.environ.get("PAGE_CACHE_NEAR_BYTES", str(32 * 1024 * 1024)))
# Parts of pages (the frame's settings and menu, the category tree, a list's counts) are kept the
# same way, with the tags they show (rustok.page_cache.fragment); RUSTOK_FRAGMENT_CACHE=0 turns
# that off.
FRAGMENT_CACHE = env_bool("RUSTOK_FRAGMENT_CACHE", True)

CELERY_BROKER_URL = celery_url(os.environ.get("CELERY_BROKER_URL", REDIS_URL))
CELERY_RESULT_BACKEND = celery_url(os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL))
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TENANT_CACHE_SECONDS = 30
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queuing a task must never hold a request for long when Redis is unreachable (apps.events.dispatch).
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2

# --- events (apps.events, docs/events.md) --------------------------------------------------------
EVENTS_BATCH_SIZE = int(os.environ.get("EVENTS_BATCH_SIZE", "100"))  # events per relay task
EVENTS_MAX_ATTEMPTS = int(os.environ.get("EVENTS_MAX_ATTEMPTS", "5"))  # then a dead letter
EVENTS_RETRY_BASE_SECONDS = int(os.environ.get("EVENTS_RETRY_BASE_SECONDS", "30"))  # doubled per try
EVENTS_RETRY_MAX_SECONDS = int(os.environ.get("EVENTS_RETRY_MAX_SECONDS", "3600"))
EVENTS_SWEEP_SECONDS = int(os.environ.get("EVENTS_SWEEP_SECONDS", "30"))
EVENTS_RELAY_QUEUED_SECONDS = int(os.environ.get("EVENTS_RELAY_QUEUED_SECONDS", "60"))
# After this many failures in a row to queue a relay, commits stop trying for this long.
EVENTS_QUEUE_BREAKER_FAILURES = int(os.environ.get("EVENTS_QUEUE_BREAKER_FAILURES", "3"))
EVENTS_QUEUE_BREAKER_SECONDS = int(os.environ.get("EVENTS_QUEUE_BREAKER_SECONDS", "30"))
EVENTS_RELAY_TIME_LIMIT = int(
    os.environ.get("EVENTS_RELAY_TIME_LIMIT", "120")
)  # seconds per relay task  # a queued relay that never ran is queued again after this
EVENTS_RETENTION_DAYS = int(os.environ.get("EVENTS_RETENTION_DAYS", "30"))  # dispatched events kept
# /health/ready says "degraded" beyond these (summed over tenants / the oldest pending event).
EVENTS_BACKLOG_LIMIT = int(os.environ.get("EVENTS_BACKLOG_LIMIT", "10000"))
EVENTS_LAG_LIMIT_SECONDS = int(os.environ.get("EVENTS_LAG_LIMIT_SECONDS", "300"))

# --- content (apps.content, docs/content.md) -----------------------------------------------------
CONTENT_PUBLISH_DUE_SECONDS = int(os.environ.get("CONTENT_PUBLISH_DUE_SECONDS", "60"))  # scheduled checks
CONTENT_IMAGE_MAX_BYTES = int(os.environ.get("CONTENT_IMAGE_MAX_BYTES", str(5 * 1024 * 1024)))
# The largest catalogue file the admin imports (it is read and checked in the request).
CATALOG_IMPORT_MAX_BYTES = int(os.environ.get("CATALOG_IMPORT_MAX_BYTES", str(20 * 1000 * 1000)))
CONTENT_IMAGE_MAX_PIXELS = int(os.environ.get("CONTENT_IMAGE_MAX_PIXELS", str(40_000_000)))
# Widths (pixels) of the WebP renditions made of an image readers are shown (rustok.renditions).
IMAGE_RENDITION_WIDTHS = tuple(int(width) for width in env_list("IMAGE_RENDITION_WIDTHS", "320,640,1280"))
CONTENT_PREVIEW_HOURS = int(os.environ.get("CONTENT_PREVIEW_HOURS", "24"))  # preview links last
BLOG_FEED_ITEMS = int(os.environ.get("BLOG_FEED_ITEMS", "20"))
# URLs in /sitemap.xml before it becomes an index of numbered pages (the protocol's limit).
SITEMAP_MAX_URLS = int(os.environ.get("SITEMAP_MAX_URLS", "50000"))

# --- inventory (apps.inventory, docs/inventory.md) -----------------------------------------------
# How often expired reservations are given back to available stock (seconds).
INVENTORY_RELEASE_EXPIRED_SECONDS = int(os.environ.get("INVENTORY_RELEASE_EXPIRED_SECONDS", "60"))

# --- payments (apps.payments, docs/payments.md) -------------------------------------------------
# The providers a site can take payments through: dotted paths of Provider classes.
PAYMENTS_PROVIDERS = env_list(
    "PAYMENTS_PROVIDERS",
    "apps.payments.providers.manual.ManualProvider,apps.payments.providers.demo.DemoProvider",
)
# A provider call that times out or finds the provider down is tried this many times in all,
# pausing PAYMENTS_RETRY_BACKOFF seconds, then twice that, ..., with the same idempotency key.
PAYMENTS_CALL_ATTEMPTS = int(os.environ.get("PAYMENTS_CALL_ATTEMPTS", "3"))
PAYMENTS_RETRY_BACKOFF = float(os.environ.get("PAYMENTS_RETRY_BACKOFF", "0.2"))
# After this many failed calls in a row a provider is not called for PAYMENTS_BREAKER_SECONDS.
PAYMENTS_BREAKER_FAILURES = int(os.environ.get("PAYMENTS_BREAKER_FAILURES", "5"))
PAYMENTS_BREAKER_SECONDS = float(os.environ.get("PAYMENTS_BREAKER_SECONDS", "30"))
# The Retry-After of a 503 payment_provider_unavailable (seconds).
PAYMENTS_RETRY_AFTER = int(os.environ.get("PAYMENTS_RETRY_AFTER", "30"))
# The demo provider: the key its notifications are signed with ("": derived from SECRET_KEY),
# how long its bank takes to approve a pending charge (seconds; negative: never), and the socket
# timeout of its ledger in Redis (PAYMENTS_DEMO_REDIS_URL, default the cache's Redis).
PAYMENTS_DEMO_SECRET = os.environ.get("PAYMENTS_DEMO_SECRET", "")
PAYMENTS_DEMO_SETTLE_SECONDS = float(os.environ.get("PAYMENTS_DEMO_SETTLE_SECONDS", "5"))
PAYMENTS_DEMO_REDIS_URL = os.environ.get("PAYMENTS_DEMO_REDIS_URL", "")
PAYMENTS_DEMO_REDIS_TIMEOUT = float(os.environ.get("PAYMENTS_DEMO_REDIS_TIMEOUT", "2"))

# --- orders (apps.orders, docs/orders.md) --------------------------------------------------------
# How long the signed link to an order mailed to a guest works (days).
ORDERS_GUEST_LINK_DAYS = int(os.environ.get("ORDERS_GUEST_LINK_DAYS", "90"))

CELERY_BEAT_SCHEDULE = {
    "events-sweep": {"task": "events.sweep", "schedule": float(EVENTS_SWEEP_SECONDS)},
    "content-publish-due": {"task": "content.publish_due", "schedule": float(CONTENT_PUBLISH_DUE_SECONDS)},
    "inventory-release-expired": {
        "task": "inventory.release_expired",
        "schedule": float(INVENTORY_RELEASE_EXPIRED_SECONDS),
    },
}

# --- request pipeline ----------------------------------------------------------------------------
MIDDLEWARE = [
    # Request id first, so every answer (health, refusals) is logged with it and echoes it.
    "rustok.logs.RequestContextMiddleware",
    # What every part of a request asks alike (the module toggles) is read once per request.
    "rustok.per_request.RequestMemoMiddleware",
    # Health and static files answer on every host, before the tenant is looked up.
    "rustok.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "rustok.tenancy.TenantMiddleware",
    # The page cache's headers, storage and 304s: outside the session, CSRF and message
    # middlewares, so it sees every cookie they set (rustok.page_cache).
    "rustok.page_cache.UpdatePageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "rustok.i18n.TenantLocaleMiddleware",
    # A NUL byte in the path is a 404 before any view looks it up (rustok.paths); after the
    # language is chosen, so the 404 page is in the reader's language.
    "rustok.paths.RefuseNulPathMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Answers from the page cache once the tenant, the language and the address are settled, when
    # rustok.wsgi's CachedPages (in front of this chain) could not look the page up.
    "rustok.page_cache.FetchPageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a sign-in refused by the lockout into a 429 (problem+json or page), any interface.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # `site`: the storefront layout's settings, menu and languages (read lazily).
                "apps.site.context_processors.site",
            ],
        },
    },
]

# The admin's theme (django-unfold, docs/admin.md). Everything it loads is in our static files:
# its fonts and scripts ship with it; no setting here names another host.
UNFOLD = {
    "SITE_SYMBOL": "dashboard",
    "SHOW_LANGUAGES": True,  # the language menu (en, ru) posts to Django's set_language
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": True,
    "STYLES": [lambda request: static("rustok/admin.css")],
    "SIDEBAR": {"show_search": True, "show_all_applications": True},
}

WSGI_APPLICATION = "rustok.wsgi.application"

# --- users ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Where Django's login view sends a user who signed in on the login page itself (no `next`): the
# admin, the one place with a sign-in page on both the platform's and the sites' hosts (unfold's
# login form carries no `next` field, so the default /accounts/profile/ would be a 404).
LOGIN_REDIRECT_URL = "/admin/"
AUTHENTICATION_BACKENDS = [
    # First: refuses any sign-in while the account or the address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "apps.accounts.backends.PasswordBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Proxies in front of the app that append to X-Forwarded-For (0: use REMOTE_ADDR). The client
# address of throttling, lockout and the audit log is read through rustok.net.client_ip.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# JWT: a short access token and a refresh token that rotates on every use (apps.accounts.jwt).
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=int(os.environ.get("ACCESS_TOKEN_MINUTES", "10"))),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=int(os.environ.get("REFRESH_TOKEN_DAYS", "14"))),
    "ALGORITHM": "HS256",
    "SIGNING_KEY": SECRET_KEY,
    "ISSUER": "rustok",
    "USER_ID_CLAIM": "user_id",
    "UPDATE_LAST_LOGIN": False,
}
# The refresh token just exchanged, presented again within this many seconds (two tabs, a
# retried request), gets the same new pair instead of revoking the sign-in (0: never).
AUTH_REFRESH_GRACE_SECONDS = int(os.environ.get("AUTH_REFRESH_GRACE_SECONDS", "5"))
# Cookie mode (browsers): both tokens in HttpOnly cookies; the refresh cookie only goes to /api/.
AUTH_ACCESS_COOKIE = "rustok_access"
AUTH_REFRESH_COOKIE = "rustok_refresh"
AUTH_REFRESH_COOKIE_PATH = "/api/"

# Login lockout (django-axes, apps.accounts.lockout): AUTH_LOCKOUT_FAILURES failures for one
# e-mail address from one client address lock that pair; AUTH_LOCKOUT_ADDRESS_FAILURES from one
# client address, whatever the e-mail, lock the address. Failures are forgotten
# AUTH_LOCKOUT_MINUTES after the last one; tries during a lockout are not counted.
AXES_FAILURE_LIMIT = int(os.environ.get("AUTH_LOCKOUT_FAILURES", "5"))
AUTH_LOCKOUT_ADDRESS_FAILURES = int(os.environ.get("AUTH_LOCKOUT_ADDRESS_FAILURES", "50"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AUTH_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "apps.accounts.lockout.LockoutHandler"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "apps.accounts.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "rustok.net.client_ip"
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"
# A success does not clear failures: with per-address counting, signing in to one's own account
# would clear the failures recorded against someone else's. Failures age out after the cool-off.
AXES_RESET_ON_SUCCESS = False
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit log (apps.accounts.signals)
AXES_VERBOSE = False
# The lockouts are shown (and cleared, audited) by the accounts admin (apps.accounts.admin), in the
# admin's theme; django-axes' own admin pages would be a second, unthemed view of the same rows.
AXES_ENABLE_ADMIN = False

# --- i18n ----------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)  # per site: rustok.i18n.TenantFallbacks
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- files ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# How long browsers and CDNs may keep an upload served by rustok.media (a stored file never changes).
MEDIA_MAX_AGE = int(os.environ.get("MEDIA_MAX_AGE", str(24 * 3600)))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Each tenant's uploads go under MEDIA_ROOT/<schema>/ (django-tenants' tenant-aware storage).
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    # whitenoise's, its addresses kept per process (rustok.static_files).
    "staticfiles": {"BACKEND": "rustok.static_files.StaticFilesStorage"},
}

# --- APIs ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "rustok.api.problems.exception_handler",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.authentication.ApiTokenAuthentication",
        "apps.accounts.authentication.BearerAuthentication",
        "apps.accounts.authentication.CookieAuthentication",
        "apps.accounts.authentication.SessionAuthentication",
    ],
    # Every view declares its `access`; one without is refused (rustok.api.access).
    "DEFAULT_PERMISSION_CLASSES": ["rustok.api.access.DeclaredAccess"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rustok.api.throttling.TenantThrottle",
        "rustok.api.throttling.ClientThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "tenant": os.environ.get("THROTTLE_TENANT", "6000/min"),
        "tenant_anon": os.environ.get("THROTTLE_TENANT_ANON", "3000/min"),
        "user": os.environ.get("THROTTLE_USER", "600/min"),
        "anon": os.environ.get("THROTTLE_ANON", "120/min"),
        "auth": os.environ.get("THROTTLE_AUTH", "30/min"),
        # Storefront pages and feeds, per client address (rustok.api.throttling.StorefrontThrottle).
        "storefront": os.environ.get("THROTTLE_STOREFRONT", "600/min"),
    },
    "NUM_PROXIES": int(os.environ.get("TRUSTED_PROXY_COUNT", "0")) or None,
    # JSON bodies nested deeper than JSON_MAX_DEPTH are a 400 parse_error (GraphQL too).
    "DEFAULT_PARSER_CLASSES": [
        "rustok.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # django-filter's, building a list's filters only when the request names one (rustok.api.filters).
    "DEFAULT_FILTER_BACKENDS": ["rustok.api.filters.FilterBackend"],
    # ?limit= (default PAGE_SIZE) is clamped to rustok.api.pagination.MAX_LIMIT (100) on every list.
    "DEFAULT_PAGINATION_CLASS": "rustok.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# While Redis is unavailable rate limits let requests through for this long (logged), then each
# process counts them in its own memory until Redis answers again (rustok.api.throttling).
THROTTLE_FAIL_OPEN_SECONDS = int(os.environ.get("THROTTLE_FAIL_OPEN_SECONDS", "60"))
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

# Levels of objects and arrays a JSON body may have (REST and GraphQL; rustok.api.parsers).
JSON_MAX_DEPTH = int(os.environ.get("JSON_MAX_DEPTH", "32"))

SPECTACULAR_SETTINGS = {
    "TITLE": "RusToK API",
    "DESCRIPTION": "REST API of one RusToK tenant, reached at the tenant's own host.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Request bodies get their own components (`...Request`), which mark the required fields and
    # leave out the read-only ones; PATCH bodies (`Patched...Request`) require nothing.
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name get stable component names.
    "ENUM_NAME_OVERRIDES": {
        "AuditActionEnum": "apps.accounts.models.AuditEntry.Action",
        "RevisionActionEnum": "apps.content.models.Revision.Action",
        "ContentKindEnum": "apps.content.kinds.all_kinds",  # every module's kinds
        "PostKindEnum": "apps.blog.kinds.POST_ONLY",  # what /api/v1/blog/posts/ takes
        "ShippingRateKindEnum": "apps.orders.models.RateKind",
        "VoucherKindEnum": "apps.orders.models.VoucherKind",
        "StatusEnum": "apps.content.models.Status",  # named for the content nodes, as ever
        "PaymentStatusEnum": "apps.payments.models.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "rustok.api.openapi.add_problem_responses",
        "rustok.api.openapi.portable_patterns",
        "rustok.api.openapi.closed_requests",
    ],
}

GRAPHENE = {
    "SCHEMA": "rustok.graphql.schema",
    "MIDDLEWARE": ["rustok.graphql.ModuleGateMiddleware"],
}
# GraphQL query limits, checked before a query runs (rustok.graphql_limits, docs/security.md).
GRAPHQL_MAX_QUERY_BYTES = int(os.environ.get("GRAPHQL_MAX_QUERY_BYTES", "32768"))
GRAPHQL_MAX_TOKENS = int(os.environ.get("GRAPHQL_MAX_TOKENS", "2000"))
GRAPHQL_MAX_DEPTH = int(os.environ.get("GRAPHQL_MAX_DEPTH", "12"))
GRAPHQL_MAX_ALIASES = int(os.environ.get("GRAPHQL_MAX_ALIASES", "30"))
GRAPHQL_MAX_FIELDS = int(os.environ.get("GRAPHQL_MAX_FIELDS", "500"))
GRAPHQL_MAX_COST = int(os.environ.get("GRAPHQL_MAX_COST", "5000"))
# Arguments that say how many items a list field answers; no list answers more than the maximum
# page size per request, so the cost counts at most that (and that when no size is given).
GRAPHQL_COST_SIZE_ARGUMENTS = ("first", "last", "limit")
GRAPHQL_MAX_PAGE_SIZE = 100
# GraphiQL, the in-browser IDE, answers browsers at /api/graphql/ with DEBUG on or when this is set.
# Its scripts and styles are served from the platform's own static files, never from a CDN.
GRAPHIQL = env_bool("GRAPHIQL", DEBUG)
# The schema can be introspected with DEBUG on, or when this is set (e.g. for a schema registry);
# on by default where GraphiQL is, which reads the schema to offer its docs and completion.
GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", GRAPHIQL)

# --- health --------------------------------------------------------------------------------------
# Seconds each dependency may take before it counts as down.
HEALTH_CHECK_TIMEOUT = float(os.environ.get("HEALTH_CHECK_TIMEOUT", "2"))
# The event backlog is counted at most this often per process.
HEALTH_EVENTS_CACHE_SECONDS = int(os.environ.get("HEALTH_EVENTS_CACHE_SECONDS", "15"))

# --- logging -------------------------------------------------------------------------------------
from rustok.logs import configure as configure_logging  # noqa: E402

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": configure_logging(json_output=os.environ.get("LOG_FORMAT", "console") == "json"),
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- security headers ----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))  # seconds; mails are sent by event handlers

# The e-mail is unique case-insensitively (a functional unique constraint on Lower(email)), which
# the auth system check cannot see.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
