"""Settings shared by every environment. Everything a deployment changes comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", ".localhost,localhost,127.0.0.1").split(",")

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/prm")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
# No JIT compilation: this is a many-short-queries application, and PostgreSQL's JIT spends a second compiling
# any statement whose estimate looks large (routing's nearest-dealer scan does), to save milliseconds.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
# Issue `SET search_path` once per schema switch, not before every query (django-tenants forgets it on
# rollback, so a rolled-back SET is issued again).
TENANT_LIMIT_SET_CALLS = True

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")

# Apps in the public schema: tenants, domains and the operator's own users.
SHARED_APPS = [
    "django_tenants",
    "prm.tenancy",
    "prm.accounts",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
]
# Apps with a copy of their tables in every tenant's schema. Users and sessions are here too, so a login at
# one manufacturer's domain means nothing at another's.
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "prm.accounts",
    "rest_framework.authtoken",
    "prm.core",
    "prm.portals",
    "partners",
    "orders",
    "catalog",
    "purchasing",
    "training",
    "rewards",
    "announcements",
    "campaigns",
    "notices",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenancy.Tenant"
TENANT_DOMAIN_MODEL = "tenancy.Domain"
PUBLIC_SCHEMA_URLCONF = "prm.urls_public"
ROOT_URLCONF = "prm.urls_tenant"
SHOW_PUBLIC_IF_NO_TENANT_FOUND = False
# The public domain the operator console answers on.
PUBLIC_DOMAIN = os.environ.get("PUBLIC_DOMAIN", "localhost")
# How e-mails link to a tenant's portal ({domain}: the tenant's primary domain).
PORTAL_URL = os.environ.get("PORTAL_URL", "http://{domain}:8000")
# New tenants are cloned from a template schema kept at the latest migration: seconds, not a full migrate.
TENANT_BASE_SCHEMA = "tenant_template"
TENANT_CREATION_FAKES_MIGRATIONS = True

MIDDLEWARE = [
    "prm.core.middleware.RejectNullCharactersMiddleware",
    "prm.tenancy.middleware.TenantMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "prm.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "prm.portals.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "prm.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Login throttling: 10 failures for one e-mail from one address lock it for 15 minutes. Counted in the cache,
# whose keys carry the tenant, so one manufacturer's lockouts never touch another's.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
CSRF_FAILURE_VIEW = "prm.portals.errors.csrf_failure"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portals:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
# Each tenant's files live under MEDIA_ROOT/<schema>/...: one tenant's upload path can't name another's file.
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
DEALER_LIST_MAX_BYTES = 50 * 1024 * 1024  # defaults; each tenant sets its own (Tenant.dealer_list_max_*)
DEALER_LIST_MAX_ROWS = 200_000
# Seconds without a progress report after which a running import counts as stopped (its worker died) and the
# upload's page offers to run it again.
DEALER_LIST_STALLED_AFTER = 120

# Cache keys carry the tenant's schema: no entry is shared between manufacturers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("CACHE_URL", REDIS_URL),
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "KEY_PREFIX": "prm",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "PRM <no-reply@prm.localhost>")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "prm")
CELERY_IMPORTS = ["prm.core.tasks_mail"]  # tasks outside an app's tasks.py
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_TENANT_CACHE_SECONDS = 30

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "prm.accounts.authentication.UserLanguageTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "prm.core.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "prm.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PRM extranet API",
    "DESCRIPTION": "Partner network, dealer-list uploads and customer orders of one manufacturer (tenant).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"DeclineReasonEnum": "orders.choices.DeclineReason"},
}

# Where the region centroid table is read from (shipped with the code).
ROUTING_MAX_CANDIDATES = int(os.environ.get("ROUTING_MAX_CANDIDATES", "5"))
# Orders still waiting for a dealer after this many seconds are routed again by beat (a lost or killed task).
ROUTING_SWEEP_AFTER = int(os.environ.get("ROUTING_SWEEP_AFTER", "120"))
ORDER_STALE_DAYS = int(os.environ.get("ORDER_STALE_DAYS", "7"))  # no step on an accepted order for this long

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

CELERY_BEAT_SCHEDULE = {
    "sweep-waiting-orders": {"task": "orders.tasks.sweep_waiting_orders", "schedule": 120.0},
    "sweep-overdue-offers": {"task": "orders.tasks.sweep_overdue_offers", "schedule": 60.0},
    "expire-deals": {"task": "orders.tasks.expire_deals", "schedule": 3600.0},
    "flag-stale-orders": {"task": "orders.tasks.flag_stale_orders", "schedule": 3600.0},
    "refresh-routing-stats": {"task": "orders.tasks.refresh_routing_stats", "schedule": 3600.0},
    "cancel-unpaid-orders": {"task": "purchasing.tasks.cancel_unpaid_orders", "schedule": 3600.0},
    # tiers: every night, after the day's orders and courses are in
    "recompute-tiers": {"task": "rewards.tier_tasks.recompute_tiers", "schedule": crontab(minute=30, hour=2)},
    # points: expire what is due and warn of what expires soon, daily just after midnight in Seoul (beat's clock
    # is UTC); the task takes "today" from TIME_ZONE, and a second run the same day changes nothing
    "expire-points": {"task": "rewards.tasks.expire_points", "schedule": crontab(minute=10, hour=15)},
    # campaigns: those that ended yesterday close just after midnight in Seoul; plans with money left to claim
    # a week before their deadline are reminded at 9:00 in Seoul (both idempotent)
    "close-ended-campaigns": {"task": "campaigns.tasks.close_ended", "schedule": crontab(minute=20, hour=15)},
    "remind-fund-claim-deadlines": {"task": "campaigns.tasks.remind_claim_deadlines",
                                    "schedule": crontab(minute=0, hour=0)},
    # announcements scheduled for later: published (and told) within a minute of their time
    "publish-due-announcements": {"task": "announcements.tasks.publish_due", "schedule": 60.0},
    # notices: deliveries a dead worker left leased, a lost fan-out or sender message (notices/sweep.py)
    "sweep-notices": {"task": "notices.tasks.sweep_notices", "schedule": 60.0},
}

# Without Redis (a bare laptop), `make demo` runs tasks in-process and caches in memory; it says so.
if env_bool("PRM_NO_REDIS", False):
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "KEY_FUNCTION": "django_tenants.cache.make_key"}}
