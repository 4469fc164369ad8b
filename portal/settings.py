"""The portal's one settings module: every value comes from the environment.

Defaults are safe for a laptop (SQLite, tasks run eagerly, email to the console)
and refuse to guess production secrets: with DEBUG off, a missing SECRET_KEY
stops start-up. `.env.example` lists every variable.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# The test suite runs with DEBUG off (as Django forces) but over plain HTTP on
# loopback, so it needs a throwaway key and no HTTPS redirect.
RUNNING_TESTS = "pytest" in sys.modules

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG or RUNNING_TESTS:
        SECRET_KEY = "insecure-local-development-key-never-use-in-production-0123456789"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment "
            "(or DEBUG=1 for local development only)."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Email links must reach the server that sent them: by default, the port `make run` serves.
_local_site_url = f"http://127.0.0.1:{env.int('PORT', default=8000)}"
SITE_URL = env.str("SITE_URL", default=_local_site_url).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "post_office",
    "axes",
    "auditlog",
    "csp",
    # The second factor (docs/adr/0010): authenticator-app codes and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "notifications",
    "programmes",
    "applications",
    "registers",
    "console",
    "providers",
    "equality",
    "reports",
    "privacy",
    "resources",
    "network",
    "pages",
    "demo",
]

MIDDLEWARE = [
    # First: every response, a refusal included, and every log line a request causes
    # carries its X-Request-ID. It reads a header, never the body.
    "portal.request_id.RequestIdMiddleware",
    # Next: an oversized body is refused before anything reads it.
    "portal.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.rate_limits.RateLimitMiddleware",
    "portal.middleware.PrivilegedSessionTimeoutMiddleware",
    # Staff, screeners, provider staff and administrators pass a second factor first.
    "portal.middleware.SecondFactorMiddleware",
    # Names the signed-in person as the actor of every audited change a request makes.
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

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
                "pages.navigation.navigation",
            ],
        },
    },
]

# --- Data stores -----------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
_ON_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# Persistent connections in the production shape: a new PostgreSQL connection costs a few
# milliseconds of every request (and of every task: Celery's Django fixup closes a
# connection only when it is too old or broken). Health checks find a connection the server
# dropped before a request uses it. Tests open and close their own, so keep none there.
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "CONN_MAX_AGE", default=60 if _ON_POSTGRES and not RUNNING_TESTS else 0
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
# Behind PgBouncer in transaction pooling, a named server-side cursor (what .iterator()
# uses for the streamed exports) may land on another server connection mid-stream: turn
# them off there. Session pooling, or no pooler, keeps them.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
    "DISABLE_SERVER_SIDE_CURSORS", default=False
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if not REDIS_URL and not DEBUG and not RUNNING_TESTS and not env.bool("ALLOW_NO_REDIS", False):
    # Without Redis, tasks run inside web requests and every rate limit is per process:
    # fine on a laptop, wrong in production, so it has to be asked for by name.
    raise ImproperlyConfigured(
        "REDIS_URL is not set. Production needs Redis for background tasks and shared rate "
        "limits. Set REDIS_URL, or ALLOW_NO_REDIS=1 if you really mean to run without it."
    )
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # A signed-in request reads its session from Redis, not the database (portal/sessions.py).
    SESSION_ENGINE = "portal.sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long a session's cached copy lasts before the database is read again: the most a
# sign-out made while Redis could not be reached may take to reach every web process.
SESSION_CACHE_SECONDS = env.int("SESSION_CACHE_SECONDS", default=300)

# The public catalogue pages each web process keeps rendered under the catalogue version
# (programmes.catalogue_cache): at most this many characters of them per process; 0 keeps none.
CATALOGUE_CACHE_BYTES = env.int("CATALOGUE_CACHE_BYTES", default=32 * 1024 * 1024)

# --- Celery ------------------------------------------------------------------
# Without Redis, tasks run in the web process as they are called, so a laptop
# needs no broker and no worker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="portal")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must not hang on a dead broker: give up publishing quickly and
# let the periodic outbox sweep pick the work up later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULE = {
    "outbox-deliver": {
        "task": "notifications.tasks.outbox_deliver_task",
        # Every minute: the safety net that sends anything queued while the
        # broker or the worker was down. OUTBOX_SWEEP_SECONDS shortens it (tests).
        "schedule": (
            timedelta(seconds=env.int("OUTBOX_SWEEP_SECONDS"))
            if env.str("OUTBOX_SWEEP_SECONDS", default="")
            else crontab(minute="*")
        ),
    },
    "offers-expire": {
        "task": "applications.tasks.offers_expire_due_task",
        # Every minute: expires lapsed offers and hands their places on. Offers have
        # no timed task of their own (a long ETA outlives Redis's visibility timeout).
        # OFFERS_SWEEP_SECONDS shortens it (bench/topology.py).
        "schedule": (
            timedelta(seconds=env.int("OFFERS_SWEEP_SECONDS"))
            if env.str("OFFERS_SWEEP_SECONDS", default="")
            else crontab(minute="*")
        ),
    },
    "offer-reminders": {
        "task": "applications.tasks.offer_reminders_task",
        # Every 15 minutes: "your offer ends soon" emails, each sent once.
        "schedule": crontab(minute="*/15"),
    },
    "waiting-lists-close": {
        "task": "applications.tasks.waiting_lists_close_task",
        # 00:05 every day, just after cohorts start at midnight.
        "schedule": crontab(hour="0", minute="5"),
    },
    "next-starts-refresh": {
        "task": "programmes.tasks.next_starts_refresh_task",
        # 00:01 every day: the directory's stored next start dates for the new day
        # (programmes.services.next_starts); until then it works them out per row.
        "schedule": crontab(hour="0", minute="1"),
    },
    "cohort-announcements": {
        "task": "programmes.tasks.cohort_announcements_task",
        # Every 10 minutes: "new dates are open" emails, in batches, each sent once.
        "schedule": crontab(minute="*/10"),
    },
    "export-jobs-sweep": {
        "task": "providers.tasks.export_jobs_sweep_task",
        # Every 2 minutes (someone may be watching the export page): queues again
        # exports whose task never reached a worker, and restarts once, or fails with
        # a reason, builds whose worker died (silent past CELERY_TASK_TIME_LIMIT).
        "schedule": crontab(minute="*/2"),
    },
    "invitation-imports-sweep": {
        "task": "applications.tasks.invitation_imports_sweep_task",
        # Every 2 minutes (someone may be watching the import page): queues again
        # confirmed CSV imports whose task never reached a worker.
        "schedule": crontab(minute="*/2"),
    },
    "export-purge-expired": {
        "task": "providers.tasks.export_purge_expired_task",
        # 03:20 every night: exported personal data does not outlive its download link.
        "schedule": crontab(hour="3", minute="20"),
    },
    "privacy-exports-sweep": {
        "task": "privacy.tasks.data_exports_sweep_task",
        # Every 2 minutes (someone may be watching the page): queues again data
        # downloads whose task was lost, and restarts once builds whose worker died.
        "schedule": crontab(minute="*/2"),
    },
    "privacy-exports-purge": {
        "task": "privacy.tasks.data_exports_purge_task",
        # 03:25 every night: a data download's file goes when its link expires.
        "schedule": crontab(hour="3", minute="25"),
    },
    "privacy-retention": {
        "task": "privacy.tasks.inactive_accounts_anonymise_task",
        # 04:10 every night: anonymises applicants inactive for RETENTION_DAYS.
        "schedule": crontab(hour="4", minute="10"),
    },
    "outbox-cleanup": {
        "task": "notifications.tasks.outbox_cleanup_task",
        # 03:15 every night, when nobody is applying.
        "schedule": crontab(hour="3", minute="15"),
    },
}

# --- Email -----------------------------------------------------------------
# Every email is written to post_office's queue in the database (the outbox)
# in the same transaction as the change behind it; EMAIL_URL is the transport
# the outbox delivers through.
if RUNNING_TESTS:
    _email_default = "memorymail://"
elif DEBUG:
    _email_default = "consolemail://"
else:
    _email_default = "smtp://127.0.0.1:25"
_email = env.email_url("EMAIL_URL", default=_email_default)
EMAIL_DELIVERY_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
EMAIL_BACKEND = "post_office.EmailBackend"
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Leadership programmes <no-reply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
POST_OFFICE = {
    "BACKENDS": {"default": EMAIL_DELIVERY_BACKEND},
    "DEFAULT_PRIORITY": "medium",
    # Delivery is triggered by notifications.outbox, which survives a dead broker.
    "CELERY_ENABLED": False,
    "MAX_RETRIES": 5,
    "RETRY_INTERVAL": timedelta(minutes=5),
    "MESSAGE_ID_ENABLED": True,
    "LOG_LEVEL": 1,
}
# Sent mail is kept this long (then deleted nightly) to answer "did my offer email go?".
OUTBOX_SENT_RETENTION_DAYS = env.int("OUTBOX_SENT_RETENTION_DAYS", default=180)
# A committed email's delivery run starts this many seconds later, so the emails of
# every transaction committed meanwhile go out in that one run (notifications.outbox).
OUTBOX_GATHER_SECONDS = env.float("OUTBOX_GATHER_SECONDS", default=0.5)

# --- Accounts --------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/account/login/"
# Signing in lands on the applicant's dashboard; a `?next=` still wins.
LOGIN_REDIRECT_URL = "/account/applications/"
LOGOUT_REDIRECT_URL = "/"
AUTHENTICATION_BACKENDS = [
    # Refuses sign-in after repeated failures before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
# Lock the account name from one address, so an attacker cannot lock everyone out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Our sign-in form and the admin's name the address differently; count both as one account.
AXES_USERNAME_CALLABLE = "accounts.throttling.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if RUNNING_TESTS:
    # Argon2 is slow by design; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Locale ----------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = DEBUG or RUNNING_TESTS
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or RUNNING_TESTS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded documents live outside any public URL and are served by views that
# check who is asking.
PRIVATE_STORAGE_ROOT = Path(env.str("PRIVATE_STORAGE_ROOT", default=str(BASE_DIR / "private")))
# Applicants with no sign-in and no change to an application for this many days are
# anonymised by the nightly retention job (privacy.services.retention).
RETENTION_DAYS = env.int("RETENTION_DAYS", default=3 * 365)

# --- REST API --------------------------------------------------------------
# Deny by default: every API view states who may use it.
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    # Documents every operation's error responses and parameter bounds (portal/api_schema.py).
    "DEFAULT_SCHEMA_CLASS": "portal.api_schema.PortalAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "portal.api_errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Leadership programme portal API",
    "DESCRIPTION": "Programmes, cohorts and availability; enrolment lists for providers.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Programme format and cohort delivery mode share one set of choices: name it once.
    "ENUM_NAME_OVERRIDES": {"DeliveryFormatEnum": "programmes.models.DeliveryFormat"},
    # What the URL converters accept: ids start at 1, slugs are Django's slug characters.
    "PATH_CONVERTER_OVERRIDES": {
        "int": {"type": "integer", "minimum": 1},
        "slug": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security --------------------------------------------------------------
# On by default outside development; each can be switched off for a setup
# where a proxy terminates TLS and already does the job.
_secure_default = not DEBUG and not RUNNING_TESTS
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_secure_default)
# Load balancers probe over plain HTTP inside the network; a redirect would read as down.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=_secure_default)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _secure_default else 0)
# Both reach beyond this site (every subdomain; browsers' built-in lists) and take months
# to undo, so they are opt-in, and the deploy check's reminders about them are silenced
# only while they are deliberately left off.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Where the Django admin lives. A path of your own keeps it out of every scanner's list.
ADMIN_PATH = env.str("ADMIN_PATH", default="admin/").strip("/") + "/"
# The second factor (django-otp, docs/adr/0010). The issuer names the account in the
# authenticator app. After each wrong code a device waits 2^(n-1) seconds before it checks
# another (1, 2, 4, … 512 s after ten), which makes guessing a six-digit code hopeless.
OTP_TOTP_ISSUER = "Leadership programmes"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Which request header holds the caller's address for the per-address limits
# (portal/rate_limits.py): REMOTE_ADDR unless a proxy you trust sets another.
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Everything the pages load comes from this site, and no page has inline script or style
# (tests/portal/test_content_security_policy.py keeps it so). JSON-LD blocks are data,
# not script, so the policy does not apply to them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The largest request body accepted, checked on Content-Length before it is read. The
# biggest legitimate one is a 5 MB document upload with its form.
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=8 * 1024 * 1024)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Sessions of people with a staff, screener, provider or administrator role end after
# this long without a request (portal/middleware.py); applicants keep SESSION_COOKIE_AGE.
PRIVILEGED_SESSION_IDLE_SECONDS = env.int("PRIVILEGED_SESSION_IDLE_SECONDS", default=30 * 60)
X_FRAME_OPTIONS = "DENY"

# --- Logging and error reports -----------------------------------------------
# Plain text by default; LOG_FORMAT=json writes one JSON object a line for a log
# collector. Either way every record has request_id (portal/request_id.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every successful sign-in at INFO; failures still show as WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
}
# A worker keeps this configuration, rather than Celery's own, when the lines are JSON.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

# Error reports to Sentry (or anything that speaks its protocol) only when SENTRY_DSN
# is set; without it the SDK is never started. No personal data is sent (portal/sentry.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from portal.sentry import sentry_start

    sentry_start(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        sample_rate=env.float("SENTRY_SAMPLE_RATE", default=1.0),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
