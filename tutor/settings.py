"""Tertulia settings: one file, read from the environment (see README "Configuration")."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from tutor.channel_layers import redis_layer
from tutor.env import envbool, envint, envlist, envsecret, envstr, envurl

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("TERTULIA_DATA_DIR", str(BASE_DIR / ".data")))

DEBUG = envbool("DEBUG", False)
# Under pytest: plain static storage (no manifest to build) and plain http for the test servers.
TESTING = envbool("TERTULIA_TESTING", "pytest" in sys.modules)
SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and envbool("TERTULIA_REQUIRE_SECRET", False):
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    # Development and tests only: a fixed, obviously-insecure key. Production sets SECRET_KEY.
    SECRET_KEY = "django-insecure-tertulia-development-key-change-me"  # noqa: S105
# Rotating SECRET_KEY: the old keys, comma-separated, keep sessions and reset links valid
# until they expire (docs/deploy.md).
SECRET_KEY_FALLBACKS = [
    k.strip() for k in envsecret("SECRET_KEY_FALLBACKS").split(",") if k.strip()
]

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "channels",
    "allauth",
    "allauth.account",
    "lti_tool",  # django-lti: platform registrations, deployments, keys (lessons/lti/)
    "accounts",
    "lessons",
    "tutor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the switcher's cookie, else the browser's Accept-Language ...
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # ... and for a signed-in user, their native language when the site speaks it.
    "accounts.middleware.InterfaceLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.OnboardingMiddleware",
]

ROOT_URLCONF = "tutor.urls"
ASGI_APPLICATION = "tutor.asgi.application"

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
                "tutor.context_processors.site",
            ],
        },
    },
]

# Widget templates (e.g. the CEFR level picker) live in templates/ like every other template.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# PostgreSQL only: DATABASE_URL, else the embedded server under .data/ (zero configuration).
_database_url = envstr("DATABASE_URL")
if not _database_url:
    from tutor.embedded_db import embedded_database_url

    _database_url = embedded_database_url(DATA_DIR)
DATABASES = {
    "default": dj_database_url.parse(_database_url, conn_max_age=600, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Tertulia needs PostgreSQL: DATABASE_URL must be postgres://...")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = envstr("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {"default": redis_layer(REDIS_URL)}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: email is the login; verification mails go to the console in development.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = envstr("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
LOGIN_REDIRECT_URL = "lessons:home"
LOGIN_URL = "account_login"
ACCOUNT_FORMS = {
    "signup": "accounts.allauth_forms.SignupForm",
    "login": "accounts.allauth_forms.LoginForm",
}
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# The site's name and address, as pages and e-mails give them. SITE_URL (https://host) is where
# links in e-mails point; unset, they point at the address the request came to.
SITE_NAME = envstr("SITE_NAME", "Tertulia").strip() or "Tertulia"
SITE_URL = envurl("SITE_URL")
_mail_host = urlsplit(SITE_URL).hostname if SITE_URL else "localhost"
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@{_mail_host}>")
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{SITE_NAME}: "

LANGUAGE_CODE = "en"
# The interface's languages (docs/ARCHITECTURE.md, "Languages of the interface"), each named in
# itself for the switcher. Catalogs: locale/<code>/LC_MESSAGES (`make messages`).
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("pt", "Português"),
    ("ja", "日本語"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = envstr("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# Gemini. The key stays on the server: never in a template, a frame or a log line.
GEMINI_API_KEY = envsecret("GEMINI_API_KEY")
GEMINI_LIVE_MODEL = envstr("GEMINI_LIVE_MODEL", "gemini-3.8-live")
GEMINI_TEXT_MODEL = envstr("GEMINI_TEXT_MODEL", "gemini-3.5-flash")
# Reads a card's model answer aloud on the drill page (generate_content with AUDIO out).
GEMINI_TTS_MODEL = envstr("GEMINI_TTS_MODEL", "gemini-3.8-flash-tts")
GOOGLE_GEMINI_BASE_URL = envstr("GOOGLE_GEMINI_BASE_URL")
# Seconds to wait for Live's setupComplete before retrying (the SDK itself waits forever).
GEMINI_CONNECT_TIMEOUT = envint("GEMINI_CONNECT_TIMEOUT", 10, minimum=1)
# Live keepalive (tutor.live.config): Google's pongs take 8-30 s, so wait 60 s for one.
GEMINI_PING_INTERVAL = envint("GEMINI_PING_INTERVAL", 20, minimum=1)
GEMINI_PING_TIMEOUT = envint("GEMINI_PING_TIMEOUT", 60, minimum=1)
# The emulator's CA when GOOGLE_GEMINI_BASE_URL points at it (SSL_CERT_FILE also works).
GEMINI_CA_FILE = envstr("GEMINI_CA_FILE") or envstr("SSL_CERT_FILE")
# The offline demo tutor is in use whenever no real key is configured.
DEMO_TUTOR = not GEMINI_API_KEY

# Conversations and the anonymous trial (seconds, counts).
TRIAL_SECONDS = envint("TRIAL_SECONDS", 60, minimum=1)
TRIALS_PER_SESSION = envint("TRIALS_PER_SESSION", 1, minimum=1)
TRIALS_PER_IP = envint("TRIALS_PER_IP", 5, minimum=1)
TRIAL_WINDOW_SECONDS = envint("TRIAL_WINDOW_SECONDS", 24 * 3600, minimum=60)
RECONNECT_GRACE_SECONDS = envint("RECONNECT_GRACE_SECONDS", 20, minimum=0)
# A live runtime writes Conversation.last_activity_at this often; the sweep ends an active
# conversation only after grace + margin without it, and the margin is at least three beats.
CONVERSATION_HEARTBEAT_SECONDS = envint("CONVERSATION_HEARTBEAT_SECONDS", 30, minimum=1)
SWEEP_MARGIN_SECONDS = envint("SWEEP_MARGIN_SECONDS", 120, minimum=0)
# One process owns a conversation's Live session, under a lease (Redis with several
# processes) renewed every third of this; a dead owner's conversations move after it.
CONVERSATION_LEASE_SECONDS = envint("CONVERSATION_LEASE_SECONDS", 10, minimum=1)
# Handing a conversation over waits this long at most for the tutor's turn in flight to end
# (its resumption handle then covers it); a longer turn is cut and kept, interrupted.
HANDOVER_SETTLE_SECONDS = envint("HANDOVER_SETTLE_SECONDS", 3, minimum=0)
# Sweep conversations nobody is behind (a dead process, a page left or never started) when the
# ASGI app starts and then every SWEEP_EVERY_SECONDS (0: never). Both off under tests, whose
# servers opt in.
SWEEP_ON_START = envbool("SWEEP_ON_START", not TESTING)
SWEEP_EVERY_SECONDS = envint("SWEEP_EVERY_SECONDS", 0 if TESTING else 60, minimum=0)
CONVERSATION_MAX_SECONDS = envint("CONVERSATION_MAX_SECONDS", 30 * 60, minimum=60)
# A spoken placement's limit: three to five minutes of talk, then the result.
PLACEMENT_MAX_SECONDS = envint("PLACEMENT_MAX_SECONDS", 5 * 60, minimum=60)
CONVERSATION_STARTS_PER_HOUR = envint("CONVERSATION_STARTS_PER_HOUR", 30, minimum=1)
MAX_INBOUND_BYTES_PER_SECOND = envint("MAX_INBOUND_BYTES_PER_SECOND", 256_000, minimum=8_000)
# More abuse limits (docs/SECURITY.md). Per IP: one school may share an address, hence generous.
CONVERSATION_STARTS_PER_IP_PER_HOUR = envint("CONVERSATION_STARTS_PER_IP_PER_HOUR", 300, minimum=1)
# The page sends 25-50 audio frames a second; a flood of tiny frames costs CPU, not bytes.
MAX_INBOUND_FRAMES_PER_SECOND = envint("MAX_INBOUND_FRAMES_PER_SECOND", 200, minimum=100)
# Spoken answers checked on the drill page (each one a Gemini call), per learner and per
# address in the last hour.
DRILL_CHECKS_PER_HOUR = envint("DRILL_CHECKS_PER_HOUR", 120, minimum=1)
DRILL_CHECKS_PER_IP_PER_HOUR = envint("DRILL_CHECKS_PER_IP_PER_HOUR", 1200, minimum=1)
# Words looked up in captions (a cached word costs no Gemini call, but every tap counts): per
# learner and per address in the last hour, and in all per anonymous trial.
WORD_LOOKUPS_PER_HOUR = envint("WORD_LOOKUPS_PER_HOUR", 200, minimum=1)
WORD_LOOKUPS_PER_IP_PER_HOUR = envint("WORD_LOOKUPS_PER_IP_PER_HOUR", 2000, minimum=1)
WORD_LOOKUPS_PER_TRIAL = envint("WORD_LOOKUPS_PER_TRIAL", 10, minimum=1)
# "What could I say?" hints (each one a Gemini call), per learner (or trial browser session)
# and per address in the last hour (lessons/services/hints.py).
HINTS_PER_HOUR = envint("HINTS_PER_HOUR", 60, minimum=1)
HINTS_PER_IP_PER_HOUR = envint("HINTS_PER_IP_PER_HOUR", 600, minimum=1)

# /metrics (tutor/probes.py) answers only `Authorization: Bearer <METRICS_TOKEN>`; unset, 404.
METRICS_TOKEN = envsecret("METRICS_TOKEN")

# Privacy (docs/SECURITY.md): what is kept and for how long; `manage.py enforce_retention`
# (run it daily) deletes what is past its time.
STORE_LEARNER_AUDIO = envbool("STORE_LEARNER_AUDIO", False)
LEARNER_AUDIO_DIR = Path(envstr("LEARNER_AUDIO_DIR", str(DATA_DIR / "audio")))
AUDIO_RETENTION_DAYS = envint("AUDIO_RETENTION_DAYS", 30, minimum=1)
# 0: a transcript stays until its learner deletes it (or their account).
TRANSCRIPT_RETENTION_DAYS = envint("TRANSCRIPT_RETENTION_DAYS", 0, minimum=0)
TRIAL_RETENTION_DAYS = envint("TRIAL_RETENTION_DAYS", 7, minimum=1)  # unclaimed anonymous trials

# Production hardening (DEBUG off). TERTULIA_INSECURE_HTTP=1 serves plain http locally.
if not DEBUG and not TESTING and not envbool("TERTULIA_INSECURE_HTTP", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Django 5.2 has no CSP middleware; ours sets one strict policy (no inline script).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self' blob:; connect-src 'self' ws: wss:; worker-src 'self' blob:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
MIDDLEWARE.insert(1, "tutor.middleware.ContentSecurityPolicyMiddleware")
# First of all: load balancers probe a worker by its own address over plain http, so the
# probes answer before the host check and the HTTPS redirect (tutor/probes.py).
MIDDLEWARE.insert(0, "tutor.probes.ProbeMiddleware")

# LOG_FORMAT=json: one JSON object per line with the conversation id (tutor/logformat.py).
LOG_FORMAT = envstr("LOG_FORMAT", "plain").strip().lower()
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_secrets": {"()": "tutor.logsafety.RedactSecrets"},
        "withhold_frames": {"()": "tutor.logsafety.WithholdFrames"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "tutor.logformat.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
        # At DEBUG they log handshake headers, the key (x-goog-api-key) among them, and every
        # frame, the learner's words among them.
        "websockets.client": {"filters": ["redact_secrets", "withhold_frames"]},
        "websockets.server": {"filters": ["redact_secrets", "withhold_frames"]},
    },
}
