"""Beacon's one settings module: every knob comes from the environment (see README's table)."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url

from beacon.conf import (
    SettingError,
    development_secrets,
    env_bool,
    env_int,
    env_list,
    env_str,
    parse_field_keys,
    parse_signing_key,
)

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("BEACON_VAR_DIR", str(BASE_DIR / "var")))

BEACON_ENV = env_str("BEACON_ENV", "development")
if BEACON_ENV not in {"development", "production", "test"}:
    raise SettingError(f"BEACON_ENV={BEACON_ENV!r} must be development, production or test.")
PRODUCTION = BEACON_ENV == "production"
TESTING = BEACON_ENV == "test" or "pytest" in sys.modules

_dev_secrets: dict[str, str] = {} if PRODUCTION else development_secrets(VAR_DIR / "dev-secrets.json")


def _secret(name: str) -> str:
    return env_str(name, _dev_secrets.get(name, ""), required=PRODUCTION)


SECRET_KEY = _secret("SECRET_KEY")
if PRODUCTION and len(SECRET_KEY) < 50:
    raise SettingError("SECRET_KEY is too short: use at least 50 random characters.")
BEACON_FIELD_KEYS = parse_field_keys("BEACON_FIELD_KEYS", _secret("BEACON_FIELD_KEYS"))
BEACON_BLIND_INDEX_KEY = _secret("BEACON_BLIND_INDEX_KEY")
if len(BEACON_BLIND_INDEX_KEY) < 32:
    raise SettingError("BEACON_BLIND_INDEX_KEY is too short: use at least 32 random characters.")
# The audit chain is sealed with HMAC keys that never enter the database (first seals, all verify),
# and checkpoints of it are signed with an Ed25519 key (docs/security.md).
BEACON_AUDIT_KEYS = parse_field_keys("BEACON_AUDIT_KEYS", _secret("BEACON_AUDIT_KEYS"))
BEACON_AUDIT_SIGNING_KEY = parse_signing_key("BEACON_AUDIT_SIGNING_KEY", _secret("BEACON_AUDIT_SIGNING_KEY"))
BEACON_AUDIT_CHECKPOINT_DIR = Path(env_str("BEACON_AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit-checkpoints")))

DEBUG = env_bool("BEACON_DEBUG", not PRODUCTION and not TESTING)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise SettingError("ALLOWED_HOSTS is not set: list the host names Beacon answers to, comma-separated.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
BEACON_SITE_URL = env_str("BEACON_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "huey.contrib.djhuey",
    "ninja",  # serves the API docs (Swagger UI) from its own static files, never a CDN
    "beacon.accounts",
    "beacon.audit",
    "beacon.crypto",
    "beacon.reference",
    "beacon.web",
    "beacon.api",
    "beacon.demo",
    "beacon.screening",
    "beacon.directory",
    "beacon.cases",
    "beacon.tips",
    "beacon.messaging",
    "beacon.portal",
    "beacon.intel",
    "beacon.insights",
    "beacon.outreach",
    "beacon.matters",
    "beacon.lifecycle",
]

MIDDLEWARE = [
    "beacon.web.middleware.AnonymiseRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "beacon.web.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "beacon.web.middleware.StaffLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "beacon.accounts.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "beacon.urls"
WSGI_APPLICATION = "beacon.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "beacon.web.context_processors.beacon",
            ],
            "builtins": ["beacon.web.templatetags.staff_dates"],
        },
    }
]

# Database: embedded SQLite (WAL) by default, PostgreSQL in production via DATABASE_URL.
_default_sqlite = f"sqlite:///{VAR_DIR / 'beacon.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", _default_sqlite), conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
        )
    }
except ValueError as exc:
    raise SettingError(f"DATABASE_URL is malformed ({exc}): use postgres://user:pass@host:5432/name.") from None
_engine = DATABASES["default"]["ENGINE"]
if _engine == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside one writer; IMMEDIATE avoids lock upgrades failing mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("BEACON_TEST_SQLITE", "") or None}
elif _engine.startswith("django.db.backends.postgresql"):
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    raise SettingError("DATABASE_URL must point to PostgreSQL (postgres://...) or SQLite (sqlite:///...).")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in failures (docs/security.md). django-axes locks the pair (user name, address): someone
# guessing from one place is stopped there, and cannot lock the account holder out from theirs.
# Guessing spread over many addresses meets accounts.throttle's per-account slow-down instead,
# which reads axes' failure log and never locks.
AXES_FAILURE_LIMIT = env_int("BEACON_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("BEACON_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # one row per failure: the slow-down and the holder's own list
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 500
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
BEACON_SLOWDOWN_AFTER = env_int("BEACON_SLOWDOWN_AFTER", 10, minimum=1)
BEACON_SLOWDOWN_MAX_SECONDS = env_int("BEACON_SLOWDOWN_MAX_SECONDS", 30, minimum=1)
# The audit page flags an account refused this many times within this many hours.
BEACON_PROBING_THRESHOLD = env_int("BEACON_PROBING_THRESHOLD", 20, minimum=1)
BEACON_PROBING_HOURS = env_int("BEACON_PROBING_HOURS", 24, minimum=1)

# Retention: days after which `beacon purge` deletes a record (0: kept until deleted by hand). The
# defaults are placeholders: each period is the agency's decision (its funders' record-keeping
# terms, state law, its counsel), set here before the purge is scheduled. See docs/security.md.
BEACON_RETAIN_CLOSED_TIPS_DAYS = env_int("BEACON_RETAIN_CLOSED_TIPS_DAYS", 3 * 365, minimum=0)
BEACON_RETAIN_CLOSED_CASES_DAYS = env_int("BEACON_RETAIN_CLOSED_CASES_DAYS", 7 * 365, minimum=0)
BEACON_RETAIN_MESSAGES_DAYS = env_int("BEACON_RETAIN_MESSAGES_DAYS", 365, minimum=0)
BEACON_RETAIN_INTEL_POSTS_DAYS = env_int("BEACON_RETAIN_INTEL_POSTS_DAYS", 2 * 365, minimum=0)
BEACON_RETAIN_AUDIT_DAYS = env_int("BEACON_RETAIN_AUDIT_DAYS", 0, minimum=0)

# Sessions end after a period without activity.
SESSION_COOKIE_AGE = env_int("BEACON_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("BEACON_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("BEACON_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEACON_BEHIND_PROXY", False) else None
# same-origin: nothing leaks to other sites, and form POSTs keep a real Origin for CSRF checks.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
OTP_TOTP_ISSUER = "Beacon"

# Strict Content-Security-Policy: nothing inline, nothing from another host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Languages: the public portal ships the languages of Illinois residents with limited English.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("pl", "Polski"),
    ("zh-hans", "简体中文"),
    ("ar", "العربية"),
    ("tl", "Tagalog"),
    ("ko", "한국어"),
    ("ru", "Русский"),
    ("gu", "ગુજરાતી"),
    ("vi", "Tiếng Việt"),
    ("uk", "Українська"),
    ("ur", "اردو"),
    ("hi", "हिन्दी"),
]
LANGUAGES_BIDI = ["ar", "ur", "he", "fa"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/Chicago"  # shown to people; stored in UTC

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("BEACON_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(env_str("BEACON_MEDIA_ROOT", str(VAR_DIR / "media")))
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Background work (Huey): embedded SQLite queue on one machine, Redis when workers scale out.
_task_broker = env_str("BEACON_TASK_BROKER", "")
if _task_broker.startswith("redis://"):
    HUEY = {"huey_class": "huey.RedisHuey", "name": "beacon", "url": _task_broker, "immediate": False}
elif _task_broker:
    raise SettingError("BEACON_TASK_BROKER must be empty (embedded queue) or a redis:// URL.")
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "beacon",
        "filename": str(VAR_DIR / "tasks.sqlite3"),
        "immediate": env_bool("BEACON_TASKS_IMMEDIATE", TESTING),
    }
HUEY["consumer"] = {"workers": env_int("BEACON_TASK_WORKERS", 2, minimum=1), "worker_type": "thread"}

# Two-way SMS and WhatsApp through Twilio: off unless BEACON_TWILIO_ENABLED=true.
BEACON_TWILIO = {
    "enabled": env_bool("BEACON_TWILIO_ENABLED", False),
    "account_sid": env_str("BEACON_TWILIO_ACCOUNT_SID", ""),
    "auth_token": env_str("BEACON_TWILIO_AUTH_TOKEN", ""),
    "sms_from": env_str("BEACON_TWILIO_SMS_FROM", ""),
    "whatsapp_from": env_str("BEACON_TWILIO_WHATSAPP_FROM", ""),
    "webhook_url": env_str("BEACON_TWILIO_WEBHOOK_URL", ""),
    "api_url": env_str("BEACON_TWILIO_API_URL", ""),
    "timeout": float(env_int("BEACON_TWILIO_TIMEOUT_SECONDS", 10, minimum=1)),
}
if BEACON_TWILIO["enabled"]:
    for _name, _key in (("BEACON_TWILIO_ACCOUNT_SID", "account_sid"), ("BEACON_TWILIO_AUTH_TOKEN", "auth_token")):
        if not BEACON_TWILIO[_key]:
            raise SettingError(f"{_name} is not set: it is required when BEACON_TWILIO_ENABLED=true.")
    if not (BEACON_TWILIO["sms_from"] or BEACON_TWILIO["whatsapp_from"]):
        raise SettingError(
            "BEACON_TWILIO_SMS_FROM or BEACON_TWILIO_WHATSAPP_FROM must be set when BEACON_TWILIO_ENABLED=true."
        )
    if BEACON_TWILIO["whatsapp_from"] and not BEACON_TWILIO["whatsapp_from"].startswith("whatsapp:"):
        raise SettingError("BEACON_TWILIO_WHATSAPP_FROM must look like whatsapp:+13125550100.")

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "beacon@localhost")

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("BEACON_CACHE_URL")}
        if env_str("BEACON_CACHE_URL", "")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "beacon"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"strip_identifying": {"()": "beacon.web.logging.StripIdentifyingDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["strip_identifying"]},
    },
    "root": {"handlers": ["console"], "level": env_str("BEACON_LOG_LEVEL", "INFO")},
    "loggers": {
        # Twilio's client logs every API request at INFO; nothing of a reporter's messages belongs in logs.
        "twilio": {"level": "WARNING"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

BEACON_API_TOKEN_DAYS = env_int("BEACON_API_TOKEN_DAYS", 365, minimum=1)

# --- Public portal and tip line (beacon.portal, beacon.tips) ---------------------------------------
# Django's LANG_INFO lacks Tagalog and Gujarati, which the portal ships: add them so language
# names and bidi information resolve.
from django.conf.locale import LANG_INFO  # noqa: E402

LANG_INFO.setdefault("tl", {"bidi": False, "code": "tl", "name": "Tagalog", "name_local": "Tagalog"})
LANG_INFO.setdefault("gu", {"bidi": False, "code": "gu", "name": "Gujarati", "name_local": "ગુજરાતી"})
# Hourly limits per client pseudonym on public forms (0 = no limit): tips sent, codename tries,
# information added.
BEACON_PUBLIC_RATE_LIMITS = {
    "tip": env_int("BEACON_TIP_RATE_LIMIT", 30, minimum=0),
    "codename": env_int("BEACON_CODENAME_RATE_LIMIT", 60, minimum=0),
    "add": env_int("BEACON_TIP_ADD_RATE_LIMIT", 60, minimum=0),
}
