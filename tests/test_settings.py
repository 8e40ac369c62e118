"""Every setting the README documents does what it says, and the README documents exactly what the settings read.

Each variable of the README's Settings table is set in a fresh process that imports `newsroom.settings` (settings are
read once, at import), and the values it produces are checked. The table and the variables `newsroom/settings.py`
reads are both parsed here, so a variable added to one and not the other, or added to both without a case below,
fails the suite.
"""

import ast
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
SETTINGS = REPO / "newsroom" / "settings.py"
REDIS_URL = "redis://127.0.0.1:6379/7"
PRODUCTION = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "a-production-secret-" + "x" * 40}
VARIABLE = re.compile(r"`([A-Z][A-Z0-9_]+)`")


def documented_variables() -> set[str]:
    """Return the variables named in the first column of the README's Settings table."""
    section = README.read_text().split("\n## Settings", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|") and not line.startswith("|---")]
    return {name for row in rows[1:] for name in VARIABLE.findall(row.split("|")[1])}


def _is_os_environ(node) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ" and getattr(node.value, "id", "") == "os"


def _string(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def variables_read_by_settings() -> set[str]:
    """Return the environment variables `newsroom/settings.py` reads, in any of the ways it may read one.

    `os.environ[...]`, `os.environ.get(...)` and friends, `os.getenv(...)`, `"X" in os.environ`, and any helper whose
    name contains `env` called with the variable's name first (`env_bool("X", ...)`).
    """
    names = set()
    for node in ast.walk(ast.parse(SETTINGS.read_text())):
        if isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            names.add(_string(node.slice))
        elif isinstance(node, ast.Compare) and any(_is_os_environ(c) for c in node.comparators):
            names.add(_string(node.left))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", "")
            if "env" in name.lower() or (isinstance(func, ast.Attribute) and _is_os_environ(func.value)):
                names.add(_string(node.args[0]))
    return {name for name in names if name and re.fullmatch(r"[A-Z][A-Z0-9_]+", name)}


def load_settings(env: dict[str, str], expression: str, *, setup: bool = False):
    """Import the settings in a new process with only `env` set (of the settings' variables); return `expression`.

    `expression` is evaluated with the settings module as `s`; with `setup`, Django is set up first, and `caches`
    and `round_trip(cache)` (store a value, read it back, delete it) are at hand.
    """
    clean = {key: value for key, value in os.environ.items() if key not in SETTING_NAMES}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    code = (
        "import json, os, sys\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'newsroom.settings'\n"
        + (DJANGO_SETUP if setup else "")
        + "import newsroom.settings as s\n"
        f"print(json.dumps({expression}, default=str))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise SettingsFailed(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "no output")
    return json.loads(done.stdout.strip().splitlines()[-1])


class SettingsFailed(Exception):
    pass


DJANGO_SETUP = f"""
import django
django.setup()
from django.core.cache import caches


def round_trip(cache):
    key = "settings-test-{uuid.uuid4().hex}"
    cache.set(key, {{"n": 1}}, 30)
    try:
        return cache.get(key)
    finally:
        cache.delete(key)
"""


PROD_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
DB = "[s.DATABASES['default'][k] for k in ('ENGINE', 'NAME', 'HOST', 'PORT', 'USER', 'CONN_MAX_AGE')]"
SECURE = (
    "[s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
    "s.SECURE_HSTS_PRELOAD]"
)
RATES = "s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']"
CACHE_ROUND_TRIP = (
    "[s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'], type(caches['default']).__name__, "
    "round_trip(caches['default'])]"
)

# variable -> cases: (environment, expression over the settings `s`, expected value); an expected exception is
# given as SettingsFailed("text in the error"). Django is set up first where the expression uses `caches`.
EFFECTS: dict[str, list[tuple[dict, str, object]]] = {
    "DJANGO_DEBUG": [
        (
            {"DJANGO_DEBUG": "1"},
            "[s.DEBUG, s.STORAGES['staticfiles']['BACKEND'], s.ALLOWED_HOSTS]",
            [True, "django.contrib.staticfiles.storage.StaticFilesStorage", ["127.0.0.1", "localhost"]],
        ),
        (PRODUCTION, "[s.DEBUG, s.STORAGES['staticfiles']['BACKEND'], s.ALLOWED_HOSTS]", [False, PROD_STORAGE, []]),
        ({"DJANGO_DEBUG": "0"}, "s.DEBUG", SettingsFailed("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")),
        ({}, "s.DEBUG", True),
    ],
    "DJANGO_SECRET_KEY": [
        ({"DJANGO_SECRET_KEY": "k" * 60}, "s.SECRET_KEY", "k" * 60),
        ({}, "s.SECRET_KEY", "insecure-development-key-only-for-debug-mode"),
    ],
    "DJANGO_ALLOWED_HOSTS": [
        (
            {**PRODUCTION, "DJANGO_ALLOWED_HOSTS": " news.example , desk.example,"},
            "s.ALLOWED_HOSTS",
            ["news.example", "desk.example"],
        ),
    ],
    "DJANGO_CSRF_TRUSTED_ORIGINS": [
        (
            {"DJANGO_CSRF_TRUSTED_ORIGINS": "https://news.example,https://desk.example"},
            "s.CSRF_TRUSTED_ORIGINS",
            ["https://news.example", "https://desk.example"],
        ),
        ({}, "s.CSRF_TRUSTED_ORIGINS", []),
    ],
    "DJANGO_CORS_ALLOWED_ORIGINS": [
        (
            {"DJANGO_CORS_ALLOWED_ORIGINS": " https://app.example ,https://partner.example,"},
            "s.CORS_ALLOWED_ORIGINS",
            ["https://app.example", "https://partner.example"],
        ),
        ({}, "s.CORS_ALLOWED_ORIGINS", []),
    ],
    "DATABASE_URL": [
        (
            {"DATABASE_URL": "postgres://editor@db.example:6543/newsroom"},
            DB,
            ["django.db.backends.postgresql", "newsroom", "db.example", 6543, "editor", 60],
        ),
        (
            {"DATABASE_URL": "sqlite:////srv/newsroom/news.sqlite3"},
            "[s.DATABASES['default']['NAME'], s.DATABASES['default']['OPTIONS']['transaction_mode']]",
            ["/srv/newsroom/news.sqlite3", "IMMEDIATE"],
        ),
        (
            {},
            "[s.DATABASES['default']['NAME'].endswith('db.sqlite3'), s.DATABASES['default']['OPTIONS']['timeout']]",
            [True, 20],
        ),
    ],
    "DJANGO_CONN_MAX_AGE": [
        (
            {"DATABASE_URL": "postgres://editor@db.example/newsroom", "DJANGO_CONN_MAX_AGE": "600"},
            "s.DATABASES['default']['CONN_MAX_AGE']",
            600,
        ),
        (
            {"DATABASE_URL": "postgres://editor@db.example/newsroom", "DJANGO_CONN_MAX_AGE": "0"},
            "s.DATABASES['default']['CONN_MAX_AGE']",
            0,
        ),
    ],
    "REDIS_URL": [
        (
            {"REDIS_URL": REDIS_URL},
            CACHE_ROUND_TRIP,
            ["django.core.cache.backends.redis.RedisCache", REDIS_URL, "RedisCache", {"n": 1}],
        ),
        ({}, "s.CACHES['default']['BACKEND']", "django.core.cache.backends.locmem.LocMemCache"),
    ],
    "NEWSROOM_API_ANON_RATE": [
        ({"NEWSROOM_API_ANON_RATE": "7/second"}, RATES, {"anon": "7/second", "user": "1200/minute"}),
        ({}, RATES, {"anon": "120/minute", "user": "1200/minute"}),
    ],
    "NEWSROOM_API_USER_RATE": [
        ({"NEWSROOM_API_USER_RATE": "5000/hour"}, RATES, {"anon": "120/minute", "user": "5000/hour"}),
    ],
    "DJANGO_NUM_PROXIES": [
        ({"DJANGO_NUM_PROXIES": "2"}, "s.REST_FRAMEWORK['NUM_PROXIES']", 2),
        ({}, "s.REST_FRAMEWORK['NUM_PROXIES']", 0),
    ],
    "NEWSROOM_IMPORT_MAX_BYTES": [
        ({"NEWSROOM_IMPORT_MAX_BYTES": "1234"}, "s.NEWSROOM_IMPORT_MAX_BYTES", 1234),
        ({}, "s.NEWSROOM_IMPORT_MAX_BYTES", 5242880),
    ],
    "NEWSROOM_UPLOAD_MAX_BYTES": [
        ({"NEWSROOM_UPLOAD_MAX_BYTES": "4096"}, "s.NEWSROOM_UPLOAD_MAX_BYTES", 4096),
        ({}, "s.NEWSROOM_UPLOAD_MAX_BYTES", 52428800),
    ],
    "NEWSROOM_LOGIN_FAILURE_LIMIT": [
        ({"NEWSROOM_LOGIN_FAILURE_LIMIT": "3"}, "s.AXES_FAILURE_LIMIT", 3),
        ({}, "s.AXES_FAILURE_LIMIT", 5),
    ],
    "NEWSROOM_LOGIN_COOLOFF_MINUTES": [
        ({"NEWSROOM_LOGIN_COOLOFF_MINUTES": "2"}, "s.AXES_COOLOFF_TIME.total_seconds()", 120.0),
        ({}, "s.AXES_COOLOFF_TIME.total_seconds()", 900.0),
    ],
    "DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE": [
        (
            {"DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE": "2048"},
            "[s.DATA_UPLOAD_MAX_MEMORY_SIZE, s.FILE_UPLOAD_MAX_MEMORY_SIZE]",
            [2048, 2048],
        ),
        ({}, "s.DATA_UPLOAD_MAX_MEMORY_SIZE", 5242880),
    ],
    "DJANGO_BEHIND_TLS_PROXY": [
        ({"DJANGO_BEHIND_TLS_PROXY": "1"}, "s.SECURE_PROXY_SSL_HEADER", ["HTTP_X_FORWARDED_PROTO", "https"]),
        ({}, "s.SECURE_PROXY_SSL_HEADER", None),
    ],
    "DJANGO_SECURE_SSL_REDIRECT": [
        (PRODUCTION, SECURE, [True, True, True, 31536000, True]),
        ({**PRODUCTION, "DJANGO_SECURE_SSL_REDIRECT": "0"}, "s.SECURE_SSL_REDIRECT", False),
        ({"DJANGO_SECURE_SSL_REDIRECT": "1"}, "s.SECURE_SSL_REDIRECT", True),
        ({}, SECURE, [False, False, False, 0, False]),
    ],
    "DJANGO_SECURE_COOKIES": [
        (
            {**PRODUCTION, "DJANGO_SECURE_COOKIES": "0"},
            "[s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE]",
            [False, False],
        ),
    ],
    "DJANGO_HSTS_SECONDS": [
        ({**PRODUCTION, "DJANGO_HSTS_SECONDS": "60"}, "s.SECURE_HSTS_SECONDS", 60),
    ],
    "DJANGO_HSTS_PRELOAD": [
        ({**PRODUCTION, "DJANGO_HSTS_PRELOAD": "0"}, "s.SECURE_HSTS_PRELOAD", False),
    ],
    "DJANGO_STATIC_ROOT": [
        ({"DJANGO_STATIC_ROOT": "/srv/newsroom/static"}, "str(s.STATIC_ROOT)", "/srv/newsroom/static"),
        ({}, "str(s.STATIC_ROOT) == str(s.BASE_DIR / 'staticfiles')", True),
    ],
    "DJANGO_LOG_LEVEL": [
        ({"DJANGO_LOG_LEVEL": "DEBUG"}, "s.LOGGING['root']['level']", "DEBUG"),
        ({}, "s.LOGGING['root']['level']", "WARNING"),
    ],
    "DJANGO_TIME_ZONE": [
        ({"DJANGO_TIME_ZONE": "Asia/Almaty"}, "s.TIME_ZONE", "Asia/Almaty"),
        ({}, "s.TIME_ZONE", "UTC"),
    ],
    "NEWSROOM_TASKS_BACKEND": [
        (
            {},
            "[s.TASKS['default']['BACKEND'], s.RQ_QUEUES, 'django_rq' in s.INSTALLED_APPS]",
            ["django_tasks_db.DatabaseBackend", {}, False],
        ),
        (
            {"NEWSROOM_TASKS_BACKEND": "redis", "REDIS_URL": REDIS_URL},
            "[s.TASKS['default']['BACKEND'], s.RQ_QUEUES['default']['URL'], 'django_rq' in s.INSTALLED_APPS, s.RQ]",
            ["django_tasks_rq.RQBackend", REDIS_URL, True, {"JOB_CLASS": "django_tasks_rq.Job"}],
        ),
        ({"NEWSROOM_TASKS_BACKEND": "redis"}, "s.TASKS", SettingsFailed("needs NEWSROOM_TASKS_REDIS_URL or REDIS_URL")),
        ({"NEWSROOM_TASKS_BACKEND": "celery"}, "s.TASKS", SettingsFailed("must be 'database' or 'redis'")),
    ],
    "NEWSROOM_TASKS_REDIS_URL": [
        (
            {"NEWSROOM_TASKS_BACKEND": "redis", "REDIS_URL": REDIS_URL, "NEWSROOM_TASKS_REDIS_URL": "redis://q:6379/3"},
            "[s.RQ_QUEUES['default']['URL'], s.CACHES['default']['LOCATION']]",
            ["redis://q:6379/3", REDIS_URL],
        ),
    ],
    "NEWSROOM_TASK_LEASE_SECONDS": [
        ({"NEWSROOM_TASK_LEASE_SECONDS": "30"}, "s.NEWSROOM_TASK_LEASE_SECONDS", 30.0),
        ({}, "s.NEWSROOM_TASK_LEASE_SECONDS", 300.0),
    ],
    "NEWSROOM_TASK_SYNCHRONOUS_COMMIT": [
        ({}, "s.NEWSROOM_TASK_SYNCHRONOUS_COMMIT", "off"),
        ({"NEWSROOM_TASK_SYNCHRONOUS_COMMIT": "ON"}, "s.NEWSROOM_TASK_SYNCHRONOUS_COMMIT", "on"),
        ({"NEWSROOM_TASK_SYNCHRONOUS_COMMIT": "sometimes"}, "s.TASKS", SettingsFailed("must be 'on' or 'off'")),
    ],
    "NEWSROOM_CHANGES_RETENTION_DAYS": [
        ({"NEWSROOM_CHANGES_RETENTION_DAYS": "7"}, "s.NEWSROOM_CHANGES_RETENTION_DAYS", 7.0),
        ({}, "s.NEWSROOM_CHANGES_RETENTION_DAYS", 30.0),
    ],
    "NEWSROOM_WEBHOOKS_RETRY_SCHEDULE": [
        ({"NEWSROOM_WEBHOOKS_RETRY_SCHEDULE": "0,1,60"}, "s.NEWSROOM_WEBHOOKS_RETRY_SCHEDULE", [0.0, 1.0, 60.0]),
        ({}, "s.NEWSROOM_WEBHOOKS_RETRY_SCHEDULE", [0.0, 5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0]),
    ],
    "NEWSROOM_WEBHOOKS_TIMEOUT": [
        ({"NEWSROOM_WEBHOOKS_TIMEOUT": "2.5"}, "s.NEWSROOM_WEBHOOKS_TIMEOUT", 2.5),
        ({}, "s.NEWSROOM_WEBHOOKS_TIMEOUT", 5.0),
    ],
    "NEWSROOM_WEBHOOKS_DISABLE_AFTER_DAYS": [
        ({"NEWSROOM_WEBHOOKS_DISABLE_AFTER_DAYS": "1"}, "s.NEWSROOM_WEBHOOKS_DISABLE_AFTER_DAYS", 1.0),
        ({}, "s.NEWSROOM_WEBHOOKS_DISABLE_AFTER_DAYS", 5.0),
    ],
    "NEWSROOM_WEBHOOKS_ALLOW_PRIVATE": [
        ({"NEWSROOM_WEBHOOKS_ALLOW_PRIVATE": "1"}, "s.NEWSROOM_WEBHOOKS_ALLOW_PRIVATE", True),
        ({}, "s.NEWSROOM_WEBHOOKS_ALLOW_PRIVATE", False),
    ],
    "NEWSROOM_SCHEDULER_INTERVAL_SECONDS": [
        ({"NEWSROOM_SCHEDULER_INTERVAL_SECONDS": "0.5"}, "s.NEWSROOM_SCHEDULER_INTERVAL_SECONDS", 0.5),
        ({}, "s.NEWSROOM_SCHEDULER_INTERVAL_SECONDS", 5.0),
    ],
    "NEWSROOM_TASK_MAX_ATTEMPTS": [
        ({"NEWSROOM_TASK_MAX_ATTEMPTS": "2"}, "s.NEWSROOM_TASK_MAX_ATTEMPTS", 2),
        ({}, "s.NEWSROOM_TASK_MAX_ATTEMPTS", 5),
    ],
    "NEWSROOM_SYNC_IMPORT_MAX_PIECES": [
        ({"NEWSROOM_SYNC_IMPORT_MAX_PIECES": "1"}, "s.NEWSROOM_SYNC_IMPORT_MAX_PIECES", 1),
        ({}, "s.NEWSROOM_SYNC_IMPORT_MAX_PIECES", 10),
    ],
    "NEWSROOM_FEEDS_ALLOW_PRIVATE": [
        ({"NEWSROOM_FEEDS_ALLOW_PRIVATE": "1"}, "s.NEWSROOM_FEEDS_ALLOW_PRIVATE", True),
        ({}, "s.NEWSROOM_FEEDS_ALLOW_PRIVATE", False),
    ],
    "NEWSROOM_FEEDS_USER_AGENT_URL": [
        (
            {"NEWSROOM_FEEDS_USER_AGENT_URL": "https://news.example/bot"},
            "s.NEWSROOM_FEEDS_USER_AGENT_URL",
            "https://news.example/bot",
        ),
        ({}, "s.NEWSROOM_FEEDS_USER_AGENT_URL", ""),
    ],
    "NEWSROOM_FEEDS_MAX_BYTES": [
        ({"NEWSROOM_FEEDS_MAX_BYTES": "1000"}, "s.NEWSROOM_FEEDS_MAX_BYTES", 1000),
        ({}, "s.NEWSROOM_FEEDS_MAX_BYTES", 20971520),
    ],
    "NEWSROOM_FEEDS_CONNECT_TIMEOUT": [
        ({"NEWSROOM_FEEDS_CONNECT_TIMEOUT": "2.5"}, "s.NEWSROOM_FEEDS_CONNECT_TIMEOUT", 2.5),
        ({}, "s.NEWSROOM_FEEDS_CONNECT_TIMEOUT", 10.0),
    ],
    "NEWSROOM_FEEDS_READ_TIMEOUT": [
        ({"NEWSROOM_FEEDS_READ_TIMEOUT": "4"}, "s.NEWSROOM_FEEDS_READ_TIMEOUT", 4.0),
        ({}, "s.NEWSROOM_FEEDS_READ_TIMEOUT", 30.0),
    ],
    "NEWSROOM_FEEDS_DEADLINE_SECONDS": [
        ({"NEWSROOM_FEEDS_DEADLINE_SECONDS": "60"}, "s.NEWSROOM_FEEDS_DEADLINE_SECONDS", 60.0),
        ({}, "s.NEWSROOM_FEEDS_DEADLINE_SECONDS", 120.0),
    ],
    # What the numbers do to polling is tests/feeds/test_polling.py's (the scheduler's groups, a task's fetches).
    "NEWSROOM_FEEDS_PER_TASK": [
        ({"NEWSROOM_FEEDS_PER_TASK": "3"}, "s.NEWSROOM_FEEDS_PER_TASK", 3),
        ({}, "s.NEWSROOM_FEEDS_PER_TASK", 10),
    ],
    "NEWSROOM_FEEDS_FETCH_THREADS": [
        ({"NEWSROOM_FEEDS_FETCH_THREADS": "4"}, "s.NEWSROOM_FEEDS_FETCH_THREADS", 4),
        ({}, "s.NEWSROOM_FEEDS_FETCH_THREADS", 10),
    ],
    "NEWSROOM_SYNC_IMPORT_MAX_BYTES": [
        ({"NEWSROOM_SYNC_IMPORT_MAX_BYTES": "65536"}, "s.NEWSROOM_SYNC_IMPORT_MAX_BYTES", 65536),
        ({}, "s.NEWSROOM_SYNC_IMPORT_MAX_BYTES", 1048576),
    ],
}

SETTING_NAMES = documented_variables() | variables_read_by_settings() | set(EFFECTS)


def test_the_readme_documents_exactly_the_variables_the_settings_read():
    documented, read = documented_variables(), variables_read_by_settings()
    assert documented, "no variables found in the README's Settings table"
    assert not read - documented, f"read by newsroom/settings.py but not in the README's table: {read - documented}"
    assert not documented - read, f"in the README's table but not read by newsroom/settings.py: {documented - read}"


def test_the_settings_parser_finds_each_way_of_reading_a_variable():
    assert {"DJANGO_DEBUG", "DJANGO_ALLOWED_HOSTS", "REDIS_URL", "DATABASE_URL"} <= variables_read_by_settings()


@pytest.mark.parametrize("variable", sorted(documented_variables()))
def test_each_documented_variable_has_the_effect_it_documents(variable):
    assert variable in EFFECTS, f"{variable} is documented but no test checks its effect: add cases to EFFECTS"
    for env, expression, expected in EFFECTS[variable]:
        setup = "caches[" in expression
        if isinstance(expected, SettingsFailed):
            with pytest.raises(SettingsFailed, match=str(expected)):
                load_settings(env, expression, setup=setup)
        else:
            assert load_settings(env, expression, setup=setup) == expected, (variable, env)
