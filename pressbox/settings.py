"""Pressbox settings: one file, every knob from a PRESSBOX_* environment variable.

docs/configuration.md lists each variable. Tests override through pytest-django's
`settings` fixture; there are no per-environment settings files.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from pressbox.lib.env import (
    ConfigError,
    data_dir,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    env_url,
)
from pressbox.lib.pagefiles import configured as page_files_dir
from pressbox.lib.urls import cache_config, email_config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

DEBUG = env_bool("PRESSBOX_DEBUG", False)
SECRET_KEY = env_secret("PRESSBOX_SECRET_KEY", generate_into=DATA_DIR / "secret_key")

SITE_URL = env_url("PRESSBOX_SITE_URL", "http://127.0.0.1:8000", schemes={"http", "https"})
SITE_URL = SITE_URL.rstrip("/")
_site = urlsplit(SITE_URL)
if not _site.hostname:
    raise ConfigError(f"PRESSBOX_SITE_URL must include a host name, not {SITE_URL!r}.")
if _site.path not in {"", "/"}:
    raise ConfigError(
        f"PRESSBOX_SITE_URL must be an origin such as https://blog.example, not {SITE_URL!r}."
    )
ALLOWED_HOSTS = env_list("PRESSBOX_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
if _site.hostname not in ALLOWED_HOSTS and "*" not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_site.hostname)
CSRF_TRUSTED_ORIGINS = [SITE_URL]

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "pressbox.accounts.apps.PressboxAdminConfig",  # django.contrib.admin, our login page
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "pressbox",
    "pressbox.accounts",
    "pressbox.posts",
    "pressbox.comments",
    "pressbox.importers",
    "pressbox.exporters",
    "pressbox.dashboard",
    "pressbox.media",
    "pressbox.search",
    "django_otp",  # two-factor sign-in (pressbox.accounts.twofactor)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First, outside the page cache: every response, cached or not, gets the current
    # Content-Security-Policy; behind a proxy, REMOTE_ADDR is the reader's (issue 8).
    "pressbox.lib.security.SecurityHeadersMiddleware",
    "pressbox.lib.security.ProxyHeadersMiddleware",
    # A clean 503 page while the database is unreachable, 507 when the disk is full.
    "pressbox.lib.outage.OutageMiddleware",
    # ETag on GETs, and 304 to a client that already holds the page.
    "pressbox.lib.conditional.ConditionalGetMiddleware",
    # gzip or brotli for what the page cache below did not answer already encoded.
    "pressbox.lib.compression.CompressionMiddleware",
    # Then at once: a cached page answers before sessions, templates and the ORM (issue 7).
    "pressbox.lib.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pressbox.posts.middleware.RedirectFallbackMiddleware",
]

ROOT_URLCONF = "pressbox.urls"
WSGI_APPLICATION = "pressbox.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["pressbox.templatetags.pressbox_tags"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pressbox.posts.context_processors.site",
                "pressbox.dashboard.context_processors.dashboard_nav",
            ],
        },
    },
]

# Database: a SQLite file in the data dir, unless PRESSBOX_DATABASE_URL says otherwise.
DATABASE_URL = env_url(
    "PRESSBOX_DATABASE_URL", "", schemes={"postgres", "postgresql", "pgsql", "sqlite"}
)
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as exc:
        raise ConfigError(f"PRESSBOX_DATABASE_URL cannot be read: {exc}.") from None
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "pressbox.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Writers queue on BEGIN IMMEDIATE instead of failing mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (email, later search and images) waits in the database, so a failing
# SMTP server loses nothing; `pressbox serve` runs the worker beside the web server.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

CACHES = {
    "default": cache_config(
        "PRESSBOX_CACHE_URL", env_str("PRESSBOX_CACHE_URL"), default_dir=DATA_DIR / "cache"
    )
}

# The full-page cache for anonymous readers (pressbox/lib/pagecache.py).
PRESSBOX_PAGE_CACHE = env_bool("PRESSBOX_PAGE_CACHE", True)
PRESSBOX_PAGE_CACHE_SECONDS = env_int("PRESSBOX_PAGE_CACHE_SECONDS", 3600, minimum=1)
# Cached pages also written as files for nginx to serve (pressbox/lib/pagefiles.py).
PRESSBOX_PAGE_CACHE_DIR = page_files_dir(
    "PRESSBOX_PAGE_CACHE_DIR", env_str("PRESSBOX_PAGE_CACHE_DIR"), data_dir=DATA_DIR
)

_email = email_config(
    "PRESSBOX_EMAIL_URL", env_str("PRESSBOX_EMAIL_URL"), default_dir=DATA_DIR / "mail"
)
globals().update(_email)
DEFAULT_FROM_EMAIL = env_str("PRESSBOX_EMAIL_FROM", f"Pressbox <noreply@{_site.hostname}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_USER_MODEL = "accounts.User"
# Argon2 for new passwords; a PBKDF2 (or older) hash still verifies and is rehashed with
# Argon2 at that user's next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "dashboard:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "dashboard:login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("PRESSBOX_TIME_ZONE", "UTC")
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ConfigError(
        f"PRESSBOX_TIME_ZONE must be a time zone name such as Europe/London, not {TIME_ZONE!r}."
    ) from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at start-up when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # whitenoise's, compressing (gzip and brotli) only what changed since last start.
        "BACKEND": "pressbox.lib.staticfiles.CompressedOnceStaticFilesStorage",
    },
}
# Hashed names (theme.3f2a9c1b7d4e.css, all a page links) are immutable for ten years
# whatever this says; an unhashed name may change, so browsers check again after a
# minute, as docs/nginx/pressbox.conf tells nginx.
WHITENOISE_MAX_AGE = 60 if not DEBUG else 0

# Security (issue 8; docs/deploy.md "Production settings"). The Content-Security-Policy
# comes from pressbox.lib.security. The CSRF cookie stays readable by the dashboard's
# scripts, as Django intends; the session cookie never is.
_https = _site.scheme == "https"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _https
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = _https
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
PRESSBOX_BEHIND_PROXY = env_bool("PRESSBOX_BEHIND_PROXY", False)
if PRESSBOX_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("PRESSBOX_SSL_REDIRECT", False)
# A load balancer or systemd probe checks health over plain HTTP on the loopback.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("PRESSBOX_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("PRESSBOX_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("PRESSBOX_HSTS_PRELOAD", False)
for _name, _asked in [
    ("PRESSBOX_SSL_REDIRECT", SECURE_SSL_REDIRECT),
    ("PRESSBOX_HSTS_SECONDS", SECURE_HSTS_SECONDS),
]:
    if _asked and not _https:
        raise ConfigError(f"{_name} needs an https:// PRESSBOX_SITE_URL, not {SITE_URL!r}.")

# JSON lines on stderr with no personal data: no IP, email, cookie or query string
# (pressbox/lib/jsonlog.py; `serve` gives granian the same format).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "pressbox.lib.jsonlog.JSONFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "pressbox": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Django's own loggers in JSON too (its default prints plain text under DEBUG).
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Django logs each 4xx with the request path only; keep it quiet about bodies.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# Comments (issue 3 makes these owner-editable).
PRESSBOX_COMMENT_MAX_LENGTH = 20_000
PRESSBOX_COMMENT_NAME_MAX_LENGTH = 200
# The form's signed timestamp: a comment sent less than MIN_SECONDS after the form was
# served, or more than MAX_AGE seconds after, is refused politely (docs/comments.md).
PRESSBOX_COMMENT_FORM_MIN_SECONDS = 3
PRESSBOX_COMMENT_FORM_MAX_AGE = 3 * 24 * 3600
# Spam checks a new comment goes through, in order (docs/spam.md tells how to add one).
PRESSBOX_SPAM_CHECKS = [
    "pressbox.comments.spam.honeypot.check",
    "pressbox.comments.spam.disallowed_keys.check",
    "pressbox.comments.spam.moderation_keys.check",
    "pressbox.comments.spam.links.check",
    "pressbox.comments.spam.bayes.check",
]

# Media library (issue 4): uploads larger than this, or with more pixels, are refused.
PRESSBOX_MEDIA_MAX_BYTES = 20 * 1024 * 1024
PRESSBOX_MEDIA_MAX_PIXELS = 50_000_000
