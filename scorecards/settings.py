"""Settings for the scorecards service, read from environment variables.

Defaults are production-safe (DEBUG off, HTTPS only, a strong SECRET_KEY required);
production sets SECRET_KEY, ALLOWED_HOSTS and usually DATABASE_URL / REDIS_URL.
`make run` is a local demo over plain http: it turns off SECURE_SSL_REDIRECT and
SECURE_COOKIES and nothing else.
"""

import logging
import math
import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


# The env* helpers refuse a value they cannot read, naming the variable: a typo
# such as SECURE_COOKIES=ture must stop the service, not quietly mean "off".
# An unset or empty variable gives the default.
def env(name: str, default: str) -> str:
    return os.getenv(name, "").strip() or default


def envbool(name: str, default: str) -> bool:
    value = env(name, default)
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(
        f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}."
    )


def envint(name: str, default: str, *, minimum: int | None = None) -> int:
    value = env(name, default)
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value!r}.")
    return number


def envfloat(name: str, default: str, *, minimum: float | None = None) -> float:
    value = env(name, default)
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    # float() also reads "nan" and "inf", which no setting can use.
    if not math.isfinite(number):
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.")
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum:g}, not {value!r}.")
    return number


def envlist(name: str, default: str) -> list[str]:
    # Here an empty value is not the default: ALLOWED_HOSTS= means no hosts.
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def envheader(name: str, default: str) -> tuple[str, str] | None:
    """``Header-Name: value`` as Django's (META key, value) pair; ``none`` for no header."""
    value = env(name, default)
    if value.lower() == "none":
        return None
    header, _, expected = (part.strip() for part in value.partition(":"))
    if not re.fullmatch(r"[A-Za-z0-9-]+", header) or not expected:
        raise ImproperlyConfigured(
            f"{name} must be a header and the value that means HTTPS "
            f"(e.g. 'X-Forwarded-Proto: https') or none, not {value!r}."
        )
    return f"HTTP_{header.upper().replace('-', '_')}", expected


# ---------------------------------------------------------------------------
# Security. Safe by default: DEBUG off, HTTPS only, a strong SECRET_KEY. A local
# demo over plain http (make run) turns off only SECURE_SSL_REDIRECT and
# SECURE_COOKIES; DEBUG=true (development) changes their defaults the same way.
# ---------------------------------------------------------------------------
DEBUG = envbool("DEBUG", "false")

# Unset, SECRET_KEY is read from SECRET_KEY_FILE: `make install` writes a random key
# to .secret_key once (git-ignored), so no checkout runs with a key anyone knows.
SECRET_KEY_FILE = Path(env("SECRET_KEY_FILE", str(BASE_DIR / ".secret_key")))


def secret_key() -> str:
    key = os.getenv("SECRET_KEY", "").strip()
    if not key and "SECRET_KEY_FILE" in os.environ and not SECRET_KEY_FILE.is_file():
        raise ImproperlyConfigured(f"SECRET_KEY_FILE names {SECRET_KEY_FILE}, which is no file.")
    if not key and SECRET_KEY_FILE.is_file():
        key = SECRET_KEY_FILE.read_text().strip()
    if not key:
        raise ImproperlyConfigured(
            "Set SECRET_KEY (or run `make install`, which writes a random one to .secret_key)."
        )
    # Django's own test of a strong key (check --deploy, security.W009). Never echo it.
    if not DEBUG and (len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-")):
        raise ImproperlyConfigured(
            "SECRET_KEY must be at least 50 characters with at least 5 different ones, "
            f"not a {len(key)}-character value; make one with: "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    return key


SECRET_KEY = secret_key()

# HTTPS: redirect http to https, tell browsers to stay on https (HSTS), and trust the
# header a TLS-terminating proxy sets (say none when no proxy sits in front).
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(not DEBUG))
SECURE_PROXY_SSL_HEADER = envheader("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto: https")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", str(365 * 24 * 3600), minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false")
# Load balancers probe health over plain http inside the network: no redirect for them.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
# Session and CSRF cookies only over HTTPS.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", str(not DEBUG))
# Asking browsers to preload HSTS is the domain owner's choice, so it is off by
# default; check --deploy would otherwise note that on every run.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Content Security Policy (django-csp): the pages load scripts and styles from our
# own static files only - no inline script, no style attributes, nothing from a CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login brute-force protection (django-axes), counted in the database so that every
# gunicorn worker and machine sees the same failures. After LOGIN_FAILURE_LIMIT
# failures an account, and separately an address, is locked for LOGIN_COOLOFF_SECONDS
# after its last failure; recruiters unlock early in the admin (Login lockouts).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5", minimum=1)
AXES_COOLOFF_TIME = timedelta(seconds=envint("LOGIN_COOLOFF_SECONDS", "900", minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "hiring.pages.lockout.login_username"
AXES_LOCKOUT_CALLABLE = "hiring.pages.lockout.locked_out"
# Tries while locked out neither count nor extend the lock.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the one
# the outermost of them saw (X-Forwarded-For, counted from the right).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0", minimum=0)
AXES_CLIENT_IP_CALLABLE = "hiring.audit.client_address"
AXES_ENABLE_ADMIN = False  # hiring.admin.logins shows the lockouts, for recruiters
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not recorded
AXES_VERBOSE = False  # no start-up banner; failures are still logged

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # First, so that its admin/base_site.html (the favicon) overrides the admin's own.
    "hiring",
    # The admin, on the site that groups its index (scorecards/admin_site.py).
    "scorecards.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",  # login lockouts (its LoginLockout proxy and its permissions are hiring's)
]

MIDDLEWARE = [
    # First: times every request, redirects and errors included (/metrics).
    "scorecards.metrics.RequestMetricsMiddleware",
    # A request id on every log line, and one line per request (scorecards/logs.py).
    "scorecards.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who is acting and from where, for the audit events the request records.
    "hiring.audit.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# AxesStandaloneBackend first: it refuses a locked-out login before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "scorecards.urls"
WSGI_APPLICATION = "scorecards.wsgi.application"
AUTH_USER_MODEL = "hiring.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hiring.pages.navigation.navigation",
            ],
        },
    },
]

# SQLite by default. WAL lets readers run beside the writer, IMMEDIATE takes the
# write lock at BEGIN (no lock-upgrade deadlocks between gunicorn workers and the
# webhook worker) and the timeout makes a busy writer wait instead of failing.
DATABASE_URL = os.getenv("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=envint("CONN_MAX_AGE", "60", minimum=0),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.getenv("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Kept open between requests too: opening one runs the pragmas below again.
            "CONN_MAX_AGE": envint("CONN_MAX_AGE", "60", minimum=0),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Throttle counters must be shared by every server process: Redis when configured.
REDIS_URL = os.getenv("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Computed role comparisons are shared by every server process: in Redis when
# configured, else in files on this machine (no server needed). Each is kept under
# the stamp (ETag) it was computed for; 0 seconds turns the cache off.
COMPARISON_CACHE_SECONDS = envint("COMPARISON_CACHE_SECONDS", "3600", minimum=0)
# While the background worker recomputes a role after a submission, requests get the
# previous copy for at most this long (0: always compute a changed comparison).
COMPARISON_STALE_SECONDS = envint("COMPARISON_STALE_SECONDS", "30", minimum=0)
COMPARISON_CACHE_DIR = env("COMPARISON_CACHE_DIR", str(BASE_DIR / ".cache" / "comparison"))
if REDIS_URL:
    CACHES["comparison"] = {**CACHES["default"], "KEY_PREFIX": "comparison"}
else:
    CACHES["comparison"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": COMPARISON_CACHE_DIR,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }

# REST API (hiring/api/). Requests per API key or user per period ("1200/min");
# the counters are in the default cache, shared by all processes when REDIS_URL is set.
API_THROTTLE_RATE = os.getenv("API_THROTTLE_RATE", "1200/min")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hiring.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["hiring.api.parsers.StrictJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "hiring.api.pagination.CursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["hiring.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_THROTTLE_RATE},
    "DEFAULT_SCHEMA_CLASS": "hiring.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "hiring.api.errors.exception_handler",
    # OPTIONS answers 405: the OpenAPI schema describes every endpoint.
    "DEFAULT_METADATA_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Scorecards API",
    "DESCRIPTION": (
        "Roles, candidates, applications, interviews and scorecards for the ATS, "
        "interviewers and hiring leads. Authenticate with `Authorization: Api-Key <key>`. "
        "Every 4xx response has the `Error` shape."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "hiring.api.schema.postprocess",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RoleStatusEnum": "hiring.models.RoleStatus",
        "ScorecardStatusEnum": "hiring.models.ScorecardStatus",
        "ApplicationStatusEnum": "hiring.models.ApplicationStatus",
        "DecisionEnum": "hiring.models.DecisionValue",
        "RecommendationEnum": "hiring.models.Recommendation",
        "IntakeRecommendationEnum": "hiring.intake.rules.RECOMMENDATIONS",
        "BriefFieldEnum": "hiring.models.BRIEF_FIELDS",
    },
    # The docs page works offline: Swagger UI comes from drf-spectacular-sidecar.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "/favicon.ico",
    "REDOC_DIST": "SIDECAR",
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.getenv("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Files served at the site's root (/favicon.ico), by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "scorecards" / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Webhooks (hiring.webhooks): seconds before a receiver that has not answered counts
# as failed; how long a failing delivery is retried; how often the worker looks for work.
WEBHOOK_TIMEOUT = envfloat("WEBHOOK_TIMEOUT", "10", minimum=0)
WEBHOOK_RETRY_WINDOW = envint("WEBHOOK_RETRY_WINDOW", str(24 * 3600), minimum=0)
WEBHOOK_POLL_INTERVAL = envfloat("WEBHOOK_POLL_INTERVAL", "1", minimum=0)
# Receivers must be on public addresses (no loopback, private, link-local ... ones),
# checked when an endpoint is saved and again, after resolving its name, at every
# delivery. A deployment whose receivers are on its own network turns this on.
WEBHOOK_ALLOW_PRIVATE_NETWORKS = envbool("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "false")

# /metrics (Prometheus) answers only to "Authorization: Bearer <METRICS_TOKEN>";
# unset, /metrics is a 404.
METRICS_TOKEN = os.getenv("METRICS_TOKEN", "").strip()


def email_settings(url: str) -> dict:
    """Django's EMAIL_* settings from an EMAIL_URL (``smtp://user:pass@host:587?tls=true``,
    ``console:`` ...), read by dj-email-url; a URL it cannot read stops the service."""
    try:
        config = dj_email_url.parse(url)
    except ValueError as error:
        raise ImproperlyConfigured(f"EMAIL_URL cannot be read: {error}.") from None
    if "EMAIL_BACKEND" not in config:
        raise ImproperlyConfigured(
            "EMAIL_URL must use one of the schemes "
            f"{', '.join(sorted(dj_email_url.SCHEMES))} (e.g. smtp://host:587?tls=true), "
            f"not {url.partition(':')[0]!r}."
        )
    return {name: value for name, value in config.items() if value is not None}


# Mail (password resets, feedback reminders) goes to the console unless EMAIL_URL names
# a server; without EMAIL_URL, EMAIL_BACKEND may pick any other Django backend.
_email = email_settings(env("EMAIL_URL", "")) if env("EMAIL_URL", "") else {}
EMAIL_BACKEND = _email.get("EMAIL_BACKEND") or env(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH", "")
# Seconds: a mail server that stops answering must not stall the background worker.
EMAIL_TIMEOUT = _email.get("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", _email.get("DEFAULT_FROM_EMAIL", "scorecards@localhost")
)

# Interview feedback: a scorecard is due this many hours after its interview ends.
FEEDBACK_DUE_HOURS = envint("FEEDBACK_DUE_HOURS", "24", minimum=0)
# Interviewers with a draft are reminded by email an hour after the interview ends, then
# daily, for this many days after it ended (0: never).
FEEDBACK_REMINDER_DAYS = envint("FEEDBACK_REMINDER_DAYS", "10", minimum=0)

# Candidates' data: erase a candidate this many days after their last application
# closed (manage.py apply_retention, and the worker daily). Unset: keep for ever.
CANDIDATE_RETENTION_DAYS = (
    envint("CANDIDATE_RETENTION_DAYS", "0", minimum=1)
    if env("CANDIDATE_RETENTION_DAYS", "")
    else None
)

# Role briefs: what a hire costs besides the salary (agency or referral fees, the team's
# interview hours, onboarding), added to the salary band for a first-year cost range.
# A role's brief may set its own.
RECRUITMENT_COST_PER_HIRE = envint("RECRUITMENT_COST_PER_HIRE", "30000", minimum=0)

# LOG_FORMAT=json: one JSON object per line (python-json-logger), for log collectors;
# text otherwise. Every line carries the request's id (scorecards/logs.py).
LOG_FORMAT = env("LOG_FORMAT", "text").lower()
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "scorecards.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
}
# Python's warnings become log lines too (logger py.warnings), in the same format.
logging.captureWarnings(True)
