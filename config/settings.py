"""Civitas settings: one module, configured from environment variables.

Safe defaults for production: DEBUG is off, a real SECRET_KEY and ALLOWED_HOSTS
are required, cookies are secure and HSTS is on unless DEBUG is set. See
`.env.example` for every variable.
"""

import os
import sys
import tempfile
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str, redis_url_with_database_offset

BASE_DIR = Path(__file__).resolve().parent.parent

# pytest imports settings itself; tests get a throwaway secret and plain HTTP.
TESTING = "pytest" in sys.modules

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("Set SECRET_KEY (DEBUG is off).")
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "common.views.csrf_failure"

INSTALLED_APPS = [
    "daphne",  # its runserver serves websockets in development; uvicorn serves production
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",  # trigram similarity for similar-proposal detection (no-op on SQLite)
    # third party
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "channels",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, not a CDN
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "django_comments_xtd",  # before django_comments, so its templates and admin win
    "django_comments",
    # project, in layer order (docs/architecture.md): each app imports only from those above it here
    "common",
    "accounts",
    "agencies",
    "notifications",
    "live",
    "record",
    "contests",
    "engagement",
    "moderation",
    "discussion",
    "proposals",
    "reports",
    "microtasks",
    "voting",
    "integrity",
    "jury",
    "privacy",
    "demo",
]

SOCIAL_PROVIDERS = env_list("SOCIAL_PROVIDERS", default=[])
INSTALLED_APPS += [f"allauth.socialaccount.providers.{name}" for name in SOCIAL_PROVIDERS]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "common.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "common.middleware.MalformedInputMiddleware",  # NUL bytes -> 400, ids beyond any database id -> 404
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "agencies.mfa.MFASetupRequiredMiddleware",  # staff and admins set up MFA at their next sign-in
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Data stores -----------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=0),
    )
}
# PostgreSQL: a psycopg connection pool per process, on by default. Under ASGI every request runs in
# its own thread, so persistent connections (CONN_MAX_AGE) pile up one per thread until PostgreSQL
# refuses clients; the pool reuses them instead (Django requires CONN_MAX_AGE=0 with it). Sized so the
# WEB_CONCURRENCY web processes of a machine (default: one per core) use at most three quarters of
# DATABASE_MAX_CONNECTIONS (PostgreSQL's max_connections, 100 by default) together; the rest is left
# for task workers, beat and maintenance. DATABASE_POOL_MAX_SIZE=<n> sets it, 0 turns the pool off.
WEB_CONCURRENCY = max(1, env_int("WEB_CONCURRENCY", default=os.cpu_count() or 1))
DATABASE_MAX_CONNECTIONS = env_int("DATABASE_MAX_CONNECTIONS", default=100)
DATABASE_POOL_MAX_SIZE = env_int(
    "DATABASE_POOL_MAX_SIZE", default=max(4, DATABASE_MAX_CONNECTIONS * 3 // 4 // WEB_CONCURRENCY)
)
if DATABASE_POOL_MAX_SIZE and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(2, DATABASE_POOL_MAX_SIZE),
        "max_size": DATABASE_POOL_MAX_SIZE,
        "timeout": env_int("DATABASE_POOL_TIMEOUT", default=10),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the one-process embedded default serve
    # concurrent requests without "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Browser tests (tests/e2e) serve the app from another thread, which cannot see
    # an in-memory database: tests use a throwaway file, one per test process so
    # parallel runs never share it. Django deletes it when the run ends.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"civitas-test-{os.getpid()}.sqlite3"),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 default, opted into now

REDIS_URL = env_str("REDIS_URL", default="")
CHANNEL_PREFIX = env_str("CHANNEL_PREFIX", default="civitas")
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", … under `pytest -n N`
if REDIS_URL and _xdist_worker.startswith("gw") and not os.environ.get("CIVITAS_TEST_WORKER_REDIS"):
    # Parallel test workers each get a database of their own from pytest-django; in Redis they get
    # the next database numbers (the suite flushes its cache database, and Celery's queues live
    # there) and their own channel prefix (pub/sub channels are shared by every Redis database).
    # Written back to the environment, once, for the servers and workers a test starts.
    REDIS_URL = redis_url_with_database_offset(REDIS_URL, int(_xdist_worker[2:]))
    CHANNEL_PREFIX = f"{CHANNEL_PREFIX}{_xdist_worker}"
    os.environ.update(REDIS_URL=REDIS_URL, CHANNEL_PREFIX=CHANNEL_PREFIX, CIVITAS_TEST_WORKER_REDIS="1")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "common.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", default="civitas"),
        }
    }
    # Pub/sub layer: a group_send is one PUBLISH, and each process fans it out to its own
    # viewers, so a push costs the same with 10 or 10,000 viewers (docs/live-leaderboard.md).
    CHANNEL_LAYERS = {
        "default": {
            # channels-redis's pub/sub layer, rebuilding its subscriptions after a Redis restart
            # (live/channel_layer.py); the idle PING every 2 s notices a dead connection.
            "BACKEND": "live.channel_layer.ResilientRedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "health_check_interval": 2, "socket_connect_timeout": 2}],
                "prefix": CHANNEL_PREFIX,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Accounts (django-allauth) ------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Changing an email address or the password needs the password entered within the last
# ACCOUNT_REAUTHENTICATION_TIMEOUT seconds; the owner (and, for an email change, the old address) is told.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("ACCOUNT_REAUTHENTICATION_TIMEOUT", default=300)
ACCOUNT_EMAIL_NOTIFICATIONS = True
# API tokens expire this many days after they were issued (0: never); a password change revokes them.
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", default=30)
# Multi-factor authentication (allauth.mfa): TOTP apps with recovery codes. MFA_REQUIRED_FOR_STAFF makes
# it mandatory for agency staff and site admins from their next sign-in (agencies/mfa.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", default="Civitas")
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", default=not (DEBUG or TESTING))
# Failed logins are throttled per IP and per account (stored in the cache, so
# shared through Redis when REDIS_URL is set).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}
# Rate limits key on the client address. 0 (default) trusts only the socket address, so a
# forged X-Forwarded-For counts for nothing; behind N reverse proxies that append it, set N.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Civitas] "
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
# Providers are opted in with SOCIAL_PROVIDERS=github,google and their keys,
# e.g. SOCIAL_GITHUB_CLIENT_ID / SOCIAL_GITHUB_SECRET.
SOCIALACCOUNT_PROVIDERS = {
    name: {
        "APPS": [
            {
                "client_id": env_str(f"SOCIAL_{name.upper()}_CLIENT_ID", default=""),
                "secret": env_str(f"SOCIAL_{name.upper()}_SECRET", default=""),
            }
        ]
    }
    for name in SOCIAL_PROVIDERS
}

# --- Email ----------------------------------------------------------------------
# Django's EMAIL_BACKEND only queues (notifications.outbox): every email, allauth's included, is a
# row written with the change that caused it, and a task delivers it through EMAIL_DELIVERY_BACKEND.
EMAIL_BACKEND = "notifications.backends.OutboxEmailBackend"
# EMAIL_BACKEND in the environment meant the delivery backend before the outbox existed; still honoured.
_DELIVERY_DEFAULT = f"django.core.mail.backends.{'console' if DEBUG else 'smtp'}.EmailBackend"
EMAIL_DELIVERY_BACKEND = env_str("EMAIL_DELIVERY_BACKEND", default=env_str("EMAIL_BACKEND", default=_DELIVERY_DEFAULT))
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS (STARTTLS, usually port 587) or EMAIL_USE_SSL (port 465), not both.")
EMAIL_SSL_CERTFILE = env_str("EMAIL_SSL_CERTFILE", default="") or None
EMAIL_SSL_KEYFILE = env_str("EMAIL_SSL_KEYFILE", default="") or None
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=5)  # seconds per SMTP operation; a slow server is a retry
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-emails"))  # the file backend's folder
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="Civitas <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Transient failures are retried after 30 s, 60 s, 120 s, … (capped); after EMAIL_MAX_ATTEMPTS, `failed`.
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", default=10)
EMAIL_RETRY_BACKOFF_SECONDS = env_int("EMAIL_RETRY_BACKOFF_SECONDS", default=30)
EMAIL_RETRY_BACKOFF_MAX_SECONDS = env_int("EMAIL_RETRY_BACKOFF_MAX_SECONDS", default=3600)
EMAIL_SWEEP_GRACE_SECONDS = env_int("EMAIL_SWEEP_GRACE_SECONDS", default=60)  # the sweep re-enqueues this overdue

# --- Background work and timers (Celery; config/celery.py, docs/operations.md) ----------------
# With REDIS_URL, Redis is the broker and `celery -A config worker` runs the tasks; without it (the
# embedded default), and in tests that start no worker, tasks run eagerly in-process after commit.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", default=REDIS_URL or "memory://localhost/")
_EAGER_DEFAULT = TESTING or CELERY_BROKER_URL.startswith("memory://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=_EAGER_DEFAULT)
CELERY_TASK_EAGER_PROPAGATES = False  # an eager task's error is logged, never raised into the request
CELERY_TASK_IGNORE_RESULT = True  # tasks record what they did in the database; no result backend
# A task is acknowledged only when it finished, and one whose worker died is given to another worker.
CELERY_TASK_ACKS_LATE = CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands an unacknowledged task (its worker was killed) to another worker after this long
# (workers look for such tasks every 10 s: a restore throttle of 1 scans on each look).
_VISIBILITY = env_int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": _VISIBILITY, "unacked_restore_throttle": 1}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A broker that is down must not hold a request long: two quick tries, then the caller logs.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = env_str("CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "celerybeat-schedule"))
DIGEST_HOUR = env_int("DIGEST_HOUR", default=7)
# Comment IP addresses (kept for abuse handling) are erased after this many days (privacy.tasks, docs/privacy.md).
PERSONAL_LOG_RETENTION_DAYS = env_int(
    "PERSONAL_LOG_RETENTION_DAYS", default=90
)  # local hour (TIME_ZONE) of the daily digest
# Every timer of the platform, one line each (docs/operations.md lists them). Each task is safe to run twice.
CELERY_BEAT_SCHEDULE = {
    "outgoing-emails-sweep": {"task": "notifications.tasks.outgoing_emails_sweep", "schedule": 60},
    "phase-notifications": {"task": "contests.tasks.phase_notifications_send", "schedule": 300},
    "review-assignments": {"task": "jury.tasks.review_assignments_run", "schedule": 300},
    "reports-overdue": {"task": "reports.tasks.reports_overdue_mark", "schedule": 900},
    "report-followups": {"task": "reports.tasks.report_followups_send", "schedule": 3600},
    "integrity-scan": {"task": "integrity.tasks.integrity_scan_voting_contests", "schedule": 300},
    "digests": {"task": "notifications.tasks.digests_send", "schedule": crontab(minute=0, hour=DIGEST_HOUR)},
    "task-claims-expire": {"task": "microtasks.tasks.claims_expire", "schedule": 60},
    "task-claims-remind": {"task": "microtasks.tasks.claims_remind_expiring", "schedule": 60},
    "task-work-auto-approve": {"task": "microtasks.tasks.submissions_auto_approve", "schedule": 300},
    "personal-logs-purge": {"task": "privacy.tasks.personal_logs_purge_run", "schedule": crontab(minute=30, hour=3)},
}

# Proof of work (common/pow.py, static/js/pow.js): zero bits asked on sign-up (0 turns it off), and on a
# vote once an account casts more than POW_VOTE_RATE ballots.
POW_SIGNUP_DIFFICULTY = env_int("POW_SIGNUP_DIFFICULTY", default=16)
POW_VOTE_DIFFICULTY = env_int("POW_VOTE_DIFFICULTY", default=15)
POW_VOTE_RATE = env_str("POW_VOTE_RATE", default="30/60")

# Text messages (phone verification codes): a class with send(phone, text), accounts.sms.
SMS_BACKEND = env_str("SMS_BACKEND", default="accounts.sms.ConsoleSmsBackend")

# --- Internationalisation --------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", default="UTC")
CELERY_TIMEZONE = TIME_ZONE  # beat's crontab entries (the digest hour) are local times
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LOGO_MAX_BYTES = 2 * 1024 * 1024
# Images whose header announces more pixels are refused before decoding (common.uploads):
# 25 M pixels is a 5000 x 5000 photo, about 100 MB of memory once decoded.
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", default=25_000_000)

# --- API (Django REST framework + drf-spectacular) ---------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous API call gets 401 with a WWW-Authenticate header.
        "accounts.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # JSON nested deeper than API_JSON_MAX_DEPTH is a 400 before Python's recursive decoder sees it.
    "DEFAULT_PARSER_CLASSES": [
        "common.api.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # Every unsafe API method counts against the view's `throttle_scope` ("write" unless it says
    # otherwise), per account and per IP, in the same counters as the form views.
    "DEFAULT_THROTTLE_CLASSES": ["common.api.WriteRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "token": env_str("TOKEN_RATE_LIMIT", default="10/min"),
        "write": env_str("API_WRITE_RATE_LIMIT", default="120/min"),
        "vote": env_str("VOTE_RATE_LIMIT", default="600/min"),
    },
}
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", default=32)
SPECTACULAR_SETTINGS = {
    # Swagger UI from drf-spectacular-sidecar's static files (no CDN, no inline script: see the CSP below).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TITLE": "Civitas API",
    "DESCRIPTION": "Public API of the Civitas crowdsourcing platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {  # choice sets that share the field name "status", named for a stable schema
        "ProposalStatusEnum": "proposals.models.Proposal.Status",
        "OfficialStatusEnum": "proposals.models.Proposal.OFFICIAL_STATUSES",
        "VerificationLevelEnum": "contests.models.Contest.Verification",
        "ReportStatusEnum": "reports.models.Report.Status",
        "ReviewerStatusEnum": "jury.models.ContestReviewer.Status",
    },
}

# --- Security -----------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
_production = not (DEBUG or TESTING)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=_production)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=_production)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000 if _production else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Joining the browsers' HSTS preload list is hard to undo, so it is the operator's
# explicit choice (SECURE_HSTS_PRELOAD=1); until then the check --deploy hint is silenced.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp): our own scripts and styles only; an inline <script> needs
# nonce="{{ request.csp_nonce }}". Violations show in the browser console (tests/e2e/test_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page uses are switched off (common.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = env_str(
    "PERMISSIONS_POLICY",
    default="camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), browsing-topics=()",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Proposals -------------------------------------------------------------------------------
PROPOSAL_ATTACHMENT_MAX_BYTES = env_int("PROPOSAL_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)
PROPOSAL_ATTACHMENT_MAX_COUNT = env_int("PROPOSAL_ATTACHMENT_MAX_COUNT", default=5)
# Co-author invitation emails: one resend per cooldown, and caps ("count/period") per account and per address.
COAUTHOR_INVITE_RESEND_COOLDOWN_SECONDS = env_int("COAUTHOR_INVITE_RESEND_COOLDOWN_SECONDS", default=600)
COAUTHOR_INVITES_PER_INVITER = env_str("COAUTHOR_INVITES_PER_INVITER", default="30/d")
COAUTHOR_INVITES_PER_RECIPIENT = env_str("COAUTHOR_INVITES_PER_RECIPIENT", default="3/d")

# --- Comments (django-comments-xtd) -----------------------------------------------------------
# Comments are stored as comments-xtd's XtdComment and written only through discussion.services
# (signed-in, verified users; no anonymous email confirmation). They render only through
# common.sanitize.render_markdown: comments-xtd's own views, templates and markup filters are not used.
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MAX_THREAD_LEVEL = env_int("COMMENTS_MAX_THREAD_LEVEL", default=3)  # 0 = no replies
COMMENTS_XTD_CONFIRM_EMAIL = False  # signed-in users only: nothing to confirm
COMMENTS_XTD_SALT = b"civitas-comments"
COMMENT_MAX_LENGTH = 3000
COMMENTS_XTD_APP_MODEL_OPTIONS = {
    "default": {"who_can_post": "users", "allow_flagging": True, "allow_feedback": True, "show_feedback": True}
}
# Until which contest date comments stay open ("voting_closes_at", "review_closes_at" or "closes_at").
COMMENTS_OPEN_UNTIL = env_str("COMMENTS_OPEN_UNTIL", default="voting_closes_at")
COMMENTS_EDIT_WINDOW_SECONDS = env_int("COMMENTS_EDIT_WINDOW_SECONDS", default=15 * 60)
# Posting limits, per account and per IP: "count/seconds".
COMMENTS_RATE_LIMIT_USER = env_str("COMMENTS_RATE_LIMIT_USER", default="10/60")
COMMENTS_RATE_LIMIT_IP = env_str("COMMENTS_RATE_LIMIT_IP", default="30/60")
COMMENTS_COUNT_POLL_SECONDS = env_int("COMMENTS_COUNT_POLL_SECONDS", default=20)

# --- Live leaderboards ------------------------------------------------------------------------
# At most one push per contest per interval, however many votes arrive (the last change is never lost).
LEADERBOARD_PUSH_INTERVAL_MS = env_int("LEADERBOARD_PUSH_INTERVAL_MS", default=250)
LEADERBOARD_SIZE = env_int("LEADERBOARD_SIZE", default=50)
# Group commit of new ballots (voting/groupcommit.py, PostgreSQL): ballots arriving within the window
# share one transaction; each request is answered after that commit.
VOTE_GROUP_COMMIT = env_bool("VOTE_GROUP_COMMIT", default=True)
VOTE_GROUP_COMMIT_WINDOW_MS = env_int("VOTE_GROUP_COMMIT_WINDOW_MS", default=2)
VOTE_GROUP_COMMIT_MAX = env_int("VOTE_GROUP_COMMIT_MAX", default=200)

# --- Citizen reports (reports/, docs/reports.md) ----------------------------------------------------
REPORT_PHOTO_MAX_BYTES = env_int("REPORT_PHOTO_MAX_BYTES", default=8 * 1024 * 1024)
REPORT_PHOTO_MAX_SIDE = env_int("REPORT_PHOTO_MAX_SIDE", default=2048)  # stored photos are scaled down to this
REPORT_PHOTO_MAX_COUNT = env_int("REPORT_PHOTO_MAX_COUNT", default=4)
REPORT_FOLLOWUP_DAYS = env_int("REPORT_FOLLOWUP_DAYS", default=7)  # "is it really fixed?" this long after fixed
# Map tiles: a URL template such as https://tiles.example.org/{z}/{x}/{y}.png; empty shows markers on a plain background.
REPORT_MAP_TILE_URL = env_str("REPORT_MAP_TILE_URL", default="")
REPORT_MAP_TILE_ATTRIBUTION = env_str("REPORT_MAP_TILE_ATTRIBUTION", default="")
# Where the map opens: "latitude,longitude,zoom".
REPORT_MAP_CENTER = env_str("REPORT_MAP_CENTER", default="31.2304,121.4737,12")

# --- Micro-tasks (microtasks/) -----------------------------------------------------------------
MICROTASKS_OPEN_CLAIMS_LIMIT = env_int("MICROTASKS_OPEN_CLAIMS_LIMIT", default=3)  # active claims per citizen
MICROTASKS_REMINDER_MINUTES = env_int("MICROTASKS_REMINDER_MINUTES", default=10)  # warn before a claim expires
MICROTASKS_PHOTO_MAX_BYTES = env_int("MICROTASKS_PHOTO_MAX_BYTES", default=8 * 1024 * 1024)
# Live-board websockets: open sockets per client address (per process) and client messages per second
# per socket; over either the socket closes with 4429 (live/limits.py). 0 = no cap.
WEBSOCKET_MAX_CONNECTIONS_PER_IP = env_int("WEBSOCKET_MAX_CONNECTIONS_PER_IP", default=20)
WEBSOCKET_MAX_MESSAGES_PER_SECOND = env_int("WEBSOCKET_MAX_MESSAGES_PER_SECOND", default=5)
