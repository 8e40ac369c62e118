"""Settings for newsroom, read from the environment (twelve-factor).

Every setting that differs between a laptop and production comes from an environment variable; the defaults are
safe for local development only (DEBUG on, a throwaway secret key, SQLite). See README.md, "Settings".
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers as default_cors_headers
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Cross-origin requests (articles/api/cors.py): these origins may write to the API; any origin may read the API and
# the feeds. Never with credentials (cookies): a cross-origin client signs in with a token.
CORS_ALLOWED_ORIGINS = env_list("DJANGO_CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/(api|feeds)/"
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "X-Total-Count", "Retry-After", "Location"]
CORS_ALLOW_HEADERS = (*default_cors_headers, "if-match", "if-none-match", "if-modified-since")
CORS_PREFLIGHT_MAX_AGE = 86400

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "taggit",
    "simple_history",
    "axes",
    "django_tasks_db",
    "newsroom.apps.NewsroomConfig",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before any middleware that may answer on its own (the NUL guard, WhiteNoise, CommonMiddleware).
    "corsheaders.middleware.CorsMiddleware",
    "newsroom.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out client before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],  # every template lives in an app (newsroom's own included): APP_DIRS finds them
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"


def database_from_env() -> dict:
    """Return the default database: DATABASE_URL, or a SQLite file in the project tuned for concurrent writers."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")))
        if config["ENGINE"] != "django.db.backends.sqlite3":
            return config
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(BASE_DIR / "db.sqlite3")}
    # IMMEDIATE transactions take the write lock up front, so a second writer waits (up to `timeout` seconds)
    # instead of failing with "database is locked" when it upgrades a read transaction. WAL lets readers go on
    # while one process writes.
    config["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}


def tasks_from_env() -> tuple[dict, dict]:
    """Return the task queue (`TASKS`) and, for the Redis engine, its RQ queues (`RQ_QUEUES`).

    NEWSROOM_TASKS_BACKEND picks the engine: `database` (django-tasks-db: the database is the queue, `db_worker`
    runs the tasks) or `redis` (django-tasks-rq: RQ queues on NEWSROOM_TASKS_REDIS_URL, else REDIS_URL; `rqworker`
    runs the tasks).
    """
    engine = os.environ.get("NEWSROOM_TASKS_BACKEND", "database").strip().lower()
    if engine == "database":
        return {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}, {}
    if engine != "redis":
        raise ImproperlyConfigured(f"NEWSROOM_TASKS_BACKEND must be 'database' or 'redis', not {engine!r}.")
    url = os.environ.get("NEWSROOM_TASKS_REDIS_URL") or os.environ.get("REDIS_URL")
    if not url:
        raise ImproperlyConfigured("NEWSROOM_TASKS_BACKEND=redis needs NEWSROOM_TASKS_REDIS_URL or REDIS_URL.")
    # A job runs for at most an hour: RQ's default of three minutes would kill a large import in the middle.
    return {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}, {
        "default": {"URL": url, "DEFAULT_TIMEOUT": 3600}
    }


TASKS, RQ_QUEUES = tasks_from_env()
if RQ_QUEUES:
    INSTALLED_APPS.append("django_rq")
    # django-tasks-rq runs a task through its own job class; every worker uses it without being told.
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
# How long a claim on a row's background work lasts unless its worker renews it: a worker that dies hands its work
# to another one after this long (articles/claims.py).
NEWSROOM_TASK_LEASE_SECONDS = float(os.environ.get("NEWSROOM_TASK_LEASE_SECONDS", "300"))
# On PostgreSQL, workers commit without waiting for the disk (`off`, the default; `on` waits): every task is
# at-least-once, so a database crash costs at most a redo (articles/taskqueue.py, relax_commit_durability).
NEWSROOM_TASK_SYNCHRONOUS_COMMIT = os.environ.get("NEWSROOM_TASK_SYNCHRONOUS_COMMIT", "off").strip().lower()
if NEWSROOM_TASK_SYNCHRONOUS_COMMIT not in {"on", "off"}:
    raise ImproperlyConfigured("NEWSROOM_TASK_SYNCHRONOUS_COMMIT must be 'on' or 'off'.")
# How often `run_scheduler` looks for due work.
NEWSROOM_SCHEDULER_INTERVAL_SECONDS = float(os.environ.get("NEWSROOM_SCHEDULER_INTERVAL_SECONDS", "5"))
# How many workers may take a queued import before it is left for an editor, with the last error.
NEWSROOM_TASK_MAX_ATTEMPTS = int(os.environ.get("NEWSROOM_TASK_MAX_ATTEMPTS", "5"))
# How long the change feed (/api/v1/changes/) keeps its changes, the tombstones of deletions among them; a cursor
# older than that is answered 410 Gone and its reader starts over (articles/changes.py).
NEWSROOM_CHANGES_RETENTION_DAYS = float(os.environ.get("NEWSROOM_CHANGES_RETENTION_DAYS", "30"))
# Webhooks (articles/webhooks/): the wait before each attempt (seconds; Svix's schedule: at once, 5 s, 5 min, 30 min,
# 2 h, 5 h, 10 h, 10 h), each attempt's timeout, how long an endpoint may fail before it is disabled, and whether
# private addresses may receive (tests, a receiver beside newsroom).
NEWSROOM_WEBHOOKS_RETRY_SCHEDULE = [
    float(part)
    for part in os.environ.get("NEWSROOM_WEBHOOKS_RETRY_SCHEDULE", "0,5,300,1800,7200,18000,36000,36000").split(",")
]
NEWSROOM_WEBHOOKS_TIMEOUT = float(os.environ.get("NEWSROOM_WEBHOOKS_TIMEOUT", "5"))
NEWSROOM_WEBHOOKS_DISABLE_AFTER_DAYS = float(os.environ.get("NEWSROOM_WEBHOOKS_DISABLE_AFTER_DAYS", "5"))
NEWSROOM_WEBHOOKS_ALLOW_PRIVATE = env_bool("NEWSROOM_WEBHOOKS_ALLOW_PRIVATE", False)
# Imports from the admin and the API larger than either limit run on the queue (202 Accepted); smaller ones at once.
NEWSROOM_SYNC_IMPORT_MAX_PIECES = int(os.environ.get("NEWSROOM_SYNC_IMPORT_MAX_PIECES", "10"))
NEWSROOM_SYNC_IMPORT_MAX_BYTES = int(os.environ.get("NEWSROOM_SYNC_IMPORT_MAX_BYTES", str(1024 * 1024)))
# Feeds (articles/feeds/): polling is polite and bounded. Feeds on private, loopback or link-local addresses are
# refused unless allowed (tests, the demo); the User-Agent names newsroom and the address given here.
NEWSROOM_FEEDS_ALLOW_PRIVATE = env_bool("NEWSROOM_FEEDS_ALLOW_PRIVATE", False)
NEWSROOM_FEEDS_USER_AGENT_URL = os.environ.get("NEWSROOM_FEEDS_USER_AGENT_URL", "").strip()
NEWSROOM_FEEDS_MAX_BYTES = int(os.environ.get("NEWSROOM_FEEDS_MAX_BYTES", str(20 * 1024 * 1024)))
NEWSROOM_FEEDS_CONNECT_TIMEOUT = float(os.environ.get("NEWSROOM_FEEDS_CONNECT_TIMEOUT", "10"))
NEWSROOM_FEEDS_READ_TIMEOUT = float(os.environ.get("NEWSROOM_FEEDS_READ_TIMEOUT", "30"))
NEWSROOM_FEEDS_DEADLINE_SECONDS = float(os.environ.get("NEWSROOM_FEEDS_DEADLINE_SECONDS", "120"))
# The scheduler hands due feeds to the workers this many to a task; a task fetches them in this many threads.
NEWSROOM_FEEDS_PER_TASK = int(os.environ.get("NEWSROOM_FEEDS_PER_TASK", "10"))
NEWSROOM_FEEDS_FETCH_THREADS = int(os.environ.get("NEWSROOM_FEEDS_FETCH_THREADS", "10"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` (bin/deploy) puts the static files WhiteNoise serves when DEBUG is off.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Request size limits: an API client or an upload cannot make the server buffer more than this.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", str(5 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
DATA_UPLOAD_MAX_NUMBER_FILES = 200

# The importer refuses files larger than this many bytes (a clear `failed` outcome, nothing stored but the reason).
NEWSROOM_IMPORT_MAX_BYTES = int(os.environ.get("NEWSROOM_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
# The admin's import page refuses a request larger than this before reading it (every file of one upload together).
NEWSROOM_UPLOAD_MAX_BYTES = int(os.environ.get("NEWSROOM_UPLOAD_MAX_BYTES", str(50 * 1024 * 1024)))

# Security: strict by default when DEBUG is off; each can be relaxed from the environment behind a TLS proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_TLS_PROXY", False) else None
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Password hashing: PBKDF2 in production; tests switch to a fast hasher in tests/settings.py.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

TAGGIT_CASE_INSENSITIVE = True

SIMPLE_HISTORY_REVERT_DISABLED = False

# Sign-in lockout (django-axes, articles/login_lockout.py): after AXES_FAILURE_LIMIT failures within the cool-off
# time, from one address or for one account (counted separately), sign-in is refused until the cool-off has passed
# since the latest failure; a success forgets the account's failures. `manage.py axes_reset` unlocks everyone.
AXES_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("NEWSROOM_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "articles.login_lockout.LoginAttemptsHandler"
AXES_CLIENT_IP_CALLABLE = "articles.login_lockout.client_address"
AXES_LOCKOUT_CALLABLE = "articles.login_lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429

# REST API (articles/api). Rates are requests per second/minute/hour/day from the environment; the counters live in
# the default cache, so production needs the shared Redis cache (REDIS_URL) for the limits to hold across workers.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["articles.api.permissions.ModelPermissionsOrAnonReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "articles.api.parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["articles.api.filtering.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "articles.api.pagination.PageNumberPagination",
    "DEFAULT_THROTTLE_CLASSES": ["articles.api.throttling.AnonThrottle", "articles.api.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("NEWSROOM_API_ANON_RATE", "120/minute"),
        "user": os.environ.get("NEWSROOM_API_USER_RATE", "1200/minute"),
    },
    # How many trusted proxies append to X-Forwarded-For; 0: the client address is REMOTE_ADDR alone (a client's own
    # X-Forwarded-For is ignored). The API's and the feeds' throttles and the sign-in lockout all read it from here.
    "NUM_PROXIES": int(os.environ.get("DJANGO_NUM_PROXIES", "0")),
    "EXCEPTION_HANDLER": "articles.api.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "articles.api.schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "newsroom API",
    "DESCRIPTION": (
        "Published articles for sites, apps and partners; editorial writes and imports for staff. "
        "Anonymous readers see published articles only. Lists paginate by page number (`page`, `page_size` up to "
        "100) or, with `pagination=cursor`, by keyset cursors (follow `next`). Article lists and details carry "
        "ETag and Last-Modified; send If-None-Match to get 304 Not Modified."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Request bodies are documented as JSON (imports also as text/plain): form encodings cannot carry the lists and
    # nulls the resources take, though the server still reads simple forms.
    "PARSER_WHITELIST": ["articles.api.parsers.LimitedJSONParser", "articles.api.parsers.PlainTextParser"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "AuthorKindEnum": "articles.models.Author.Kind",
        "SourceKindEnum": "articles.models.Source.Kind",
        "ArticleStatusEnum": "articles.models.Article.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "articles.api.schema.add_error_responses",
    ],
}
