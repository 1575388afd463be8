"""One settings module, driven by the environment (django-environ).

Production differs from development only by environment variables. Unset services fall back to
embedded equivalents so that `make run` works on a bare machine: SQLite, a filesystem Celery broker,
local-memory cache and an in-memory channel layer.
"""

from datetime import timedelta
from pathlib import Path

import environ

from domain import uploads as domain_uploads

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)


def _local_secret_key() -> str:
    """No SECRET_KEY in the environment: make one per installation and keep it in var/ (never in git)."""
    import secrets

    path = VAR_DIR / "secret_key"
    VAR_DIR.mkdir(exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY", default=None) or _local_secret_key()


def _local_media_master_key() -> str:
    """No MEDIA_MASTER_KEY in the environment: make one per installation in var/ (never in git, never in the
    database). It wraps every person's data key: lose it and every stored photo is unreadable; set it in
    production and keep it out of the backups of the database and the media (README: keys and retention)."""
    import base64
    import secrets

    path = VAR_DIR / "media_master_key"
    VAR_DIR.mkdir(exist_ok=True)
    if not path.exists():
        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


MEDIA_MASTER_KEY_FROM_ENV = bool(env("MEDIA_MASTER_KEY", default=None))  # `check --deploy` warns when not
MEDIA_MASTER_KEY = env("MEDIA_MASTER_KEY", default=None) or _local_media_master_key()
MEDIA_MASTER_KEYS_PREVIOUS = env.list("MEDIA_MASTER_KEYS_PREVIOUS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The port the web server listens on (`make run` sets WEB_PORT for every process it starts, since honcho gives each
# process its own PORT); links the app writes (emails, QR codes) follow it unless SITE_URL is set.
WEB_PORT = env.int("WEB_PORT", default=env.int("PORT", default=8000))
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{WEB_PORT}").rstrip("/")
# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks). Everyone else's header is ignored:
# the client's address is the TCP peer. The server command passes the same list to --forwarded-allow-ips.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

INSTALLED_APPS = [
    "daphne" if env.bool("USE_DAPHNE", default=False) else "channels",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "django_celery_beat",
    "skincare.core",
    "accounts",
    "analysis",
    "ingredients",
    "routines",
    "progress",
    "recommendations",
    "consultations",
    "privacy",
]
if INSTALLED_APPS[0] == "daphne":
    INSTALLED_APPS.insert(1, "channels")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "skincare.core.middleware.ProfileLanguageMiddleware",
    "skincare.core.middleware.LazyMessageMiddleware",  # Django's, its storage made when first used
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "skincare.core.middleware.ApiErrorMiddleware",
]

ROOT_URLCONF = "skincare.urls"
WSGI_APPLICATION = "skincare.wsgi.application"
ASGI_APPLICATION = "skincare.asgi.application"
APPEND_SLASH = False  # API paths answer with and without a trailing slash; no redirects.

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
                "skincare.core.context_processors.site",
            ],
        },
    },
]

# Every form field through one accessible template (label, help and errors tied to the control).
FORM_RENDERER = "skincare.core.forms.FormRenderer"

# --- database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: wait for locks, take write locks up front, use WAL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    # PostgreSQL: psycopg's connection pool, one per process, bounded. Under ASGI a persistent connection per request
    # thread (CONN_MAX_AGE > 0) exhausts max_connections in seconds; a pool caps each process at DB_POOL_MAX_SIZE
    # and waits up to DB_POOL_TIMEOUT s for a free connection (then 503 service_unavailable). The bound to keep under
    # PostgreSQL's max_connections: (web processes + worker processes + beat) x DB_POOL_MAX_SIZE (README: Scaling).
    # DB_POOL=0 turns it off (then CONN_MAX_AGE applies); DATABASE_PGBOUNCER=1 when PgBouncer (transaction mode)
    # sits in between: no server-side cursors and no prepared statements, which transaction pooling cannot keep.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    if env.bool("DB_POOL", default=True):
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # required by the pool: connections go back to it after a request
        _options["pool"] = {
            "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
            "max_size": env.int("DB_POOL_MAX_SIZE", default=4),
            "timeout": env.float("DB_POOL_TIMEOUT", default=5.0),
            "max_idle": env.float("DB_POOL_MAX_IDLE", default=300.0),
            "max_lifetime": env.float("DB_POOL_MAX_LIFETIME", default=3600.0),
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
    if env.bool("DATABASE_PGBOUNCER", default=False):
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        _options["prepare_threshold"] = None
    _options.setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5))
    # Who holds each connection, in pg_stat_activity (e.g. DB_APPLICATION_NAME=skincare-web in the web service).
    _options.setdefault("application_name", env("DB_APPLICATION_NAME", default="skincare"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # with the pool: each connection is checked when taken
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- redis: cache, broker, results, channel layer ------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "skincare.core.cache.RedisCache",  # Django's, with one connection pool per process
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_PREFIX", default="skincare"),
        }
    }
    # redis-py 8 defaults socket_timeout to 5 s, the same as channels_redis' blocking BZPOPMIN: every idle
    # consumer then dies with "Timeout reading from ...". A longer socket timeout keeps sockets alive.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 30}]},
        }
    }
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
    CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
else:
    # Embedded default: a filesystem broker shared by web, worker and beat on one machine.
    # The cache must be shared across processes too (throttles, lockout, OTP limits): a DB cache.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    _broker_dir = Path(env("SKINCARE_BROKER_DIR", default=str(VAR_DIR / "broker")))
    for _sub in ("out", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),  # exchange tables; kombu's default is ./control
        "store_processed": False,
    }
    # Results are not needed by the app (tasks write their outcome to the database); keep none.
    CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)

# --- celery ---------------------------------------------------------------------------------
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"analysis.tasks.*": {"queue": "inference"}}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
# Periodic tasks every app registers; `manage.py setup_periodic_tasks` writes them to the DB scheduler.
PERIODIC_TASKS: dict[str, dict] = {}

# --- storage --------------------------------------------------------------------------------
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default=env("S3_BUCKET", default=""))
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=env("S3_ENDPOINT_URL", default=None))
    AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default="us-east-1")
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = 600
    AWS_S3_FILE_OVERWRITE = False
    _MEDIA_BACKEND = {"BACKEND": "storages.backends.s3.S3Storage"}
else:
    _MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Every stored image is encrypted (privacy.storage): the real backend holds ciphertext only, and links are
# signed, expiring /media/s/ links served by the app, which checks the viewer, records the access and decrypts.
DEFAULT_STORAGE = {"BACKEND": "privacy.storage.EncryptedStorage", "OPTIONS": {"inner": _MEDIA_BACKEND}}
STORAGES = {
    "default": DEFAULT_STORAGE,
    # Hashed names (collectstatic): whitenoise serves them with a far-future, immutable Cache-Control.
    "staticfiles": {"BACKEND": env("STATICFILES_BACKEND", default="skincare.core.storage.StaticFilesStorage")},
}
SIGNED_URL_MAX_AGE = env.int("SIGNED_URL_MAX_AGE", default=600)
DATA_UPLOAD_MAX_MEMORY_SIZE = 15 * 1024 * 1024  # JSON uploads carry base64 images (10 MB * 4/3)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- REST framework, JWT, schema --------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.LanguageJWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "skincare.core.negotiation.ContentNegotiation",
    "DEFAULT_PARSER_CLASSES": [
        "skincare.core.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "skincare.core.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "skincare.core.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "skincare.core.throttling.UserRateThrottle",
        "skincare.core.throttling.IPRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("THROTTLE_USER", default="100/min"),
        "ip": env("THROTTLE_IP", default="1000/min"),
        "login": env("THROTTLE_LOGIN", default="10/min"),
        "otp": env("THROTTLE_OTP", default="5/min"),
        "upload": env("THROTTLE_UPLOAD", default="20/min"),
        "password_reset": env("THROTTLE_PASSWORD_RESET", default="5/min"),
        "share_report": env("THROTTLE_SHARE_REPORT", default="10/hour"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # DRF's own get_ident would believe anyone's X-Forwarded-For; ours read skincare.core.clientip (TRUSTED_PROXIES).
    "NUM_PROXIES": 0,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# The signed-in person's row for API authentication, cached (accounts.usercache): on with Redis, off on the embedded
# file cache.
AUTH_USER_CACHE_SECONDS = env.int("AUTH_USER_CACHE_SECONDS", default=60 if REDIS_URL else 0)
# A person's read-heavy API answers (history, routines, notifications, catalogue search), cached until their data
# changes (skincare.core.readcache): on with Redis, off on the embedded file cache.
READ_CACHE_SECONDS = env.int("READ_CACHE_SECONDS", default=60 if REDIS_URL else 0)
# A web process's own copies of its large cached answers (skincare.core.readcache.NearCopies): a hit then reads only
# the versions from Redis. Bytes per process (0 = off), and the smallest answer worth a copy.
READ_CACHE_NEAR_BYTES = env.int("READ_CACHE_NEAR_BYTES", default=8 * 1024 * 1024)
READ_CACHE_NEAR_MIN_BYTES = env.int("READ_CACHE_NEAR_MIN_BYTES", default=16 * 1024)
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": env("JWT_SIGNING_KEY", default=SECRET_KEY),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Skincare API",
    "DESCRIPTION": "Mobile API v1 of the self-hosted skincare platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": [
        "skincare.core.schema.drop_trailing_slash_duplicates",
        "skincare.core.schema.drop_shadowed_routes",
    ],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "skincare.core.schema.add_error_responses",
    ],
    # One name per shared choice set, so clients get stable enum names across endpoints.
    "ENUM_NAME_OVERRIDES": {
        "TrafficLightEnum": ["green", "yellow", "red"],
        "ConsentKindEnum": ["terms", "privacy", "photo_analysis", "marketing"],
        "ProductCategoryEnum": "ingredients.models.PRODUCT_CATEGORIES",
        "ConsultationStatusEnum": "consultations.models.Consultation.Status",
        "AnalysisStatusEnum": "analysis.models.SkinAnalysis.Status",
        "CancelledByEnum": "consultations.models.Consultation.CancelledBy",
        "PhotoRetentionEnum": "skincare.core.models.PhotoRetention",
    },
}

# --- security -------------------------------------------------------------------------------
LOGIN_LOCKOUT_ATTEMPTS = env.int("LOGIN_LOCKOUT_ATTEMPTS", default=5)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=15 * 60)
# No SECURE_PROXY_SSL_HEADER: Django would believe X-Forwarded-Proto from anyone. The ASGI server (scripts/web.sh)
# takes the scheme from X-Forwarded-Proto only when the peer is one of TRUSTED_PROXIES (--forwarded-allow-ips).
SECURE_PROXY_SSL_HEADER = None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- email, SMS, errors -----------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Skincare <no-reply@localhost>")
SMS_BACKEND = env("SMS_BACKEND", default="accounts.sms.ConsoleSmsBackend")
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False, traces_sample_rate=env.float("SENTRY_TRACES", default=0.0))

# --- i18n -----------------------------------------------------------------------------------
# The language of a page: the signed-in person's profile, else the language cookie (the switcher, Django's
# set_language), else Accept-Language, else LANGUAGE_CODE. No URL prefix: the same links work in every
# language (emails, the apps, shared links). Catalogs live in locale/<ll_CC>/LC_MESSAGES/django.po; the
# compiled .mo files are built by `make run` / `make test` (compilemessages), never committed.
# Arabic is there for right-to-left readiness: its catalog is partial (README).
LANGUAGE_CODE = env("LANGUAGE_CODE", default="en")
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("pt-br", "Português (Brasil)"),
    ("hi", "हिन्दी"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- ml -------------------------------------------------------------------------------------
ML_MODELS_DIR = env.path("ML_MODELS_DIR", default=VAR_DIR / "models")

# Admin lists: above this many rows (PostgreSQL's estimate), an unfiltered list shows the estimate, not COUNT(*).
ADMIN_ESTIMATED_COUNT_ABOVE = env.int("ADMIN_ESTIMATED_COUNT_ABOVE", default=100_000)
# Every photo upload (analysis, progress, label scans) goes through skincare/core/intake.py with these limits;
# their values are the domain's (domain/uploads.py).
ANALYSIS_MAX_UPLOAD_BYTES = domain_uploads.MAX_UPLOAD_BYTES
ANALYSIS_MAX_PIXELS = domain_uploads.MAX_PIXELS
ANALYSIS_MAX_SIDE = domain_uploads.MAX_SIDE
# POST /api/v1/analysis/analyze (the original mobile client's synchronous upload) waits this long for the worker,
# then answers 202 with the status URL.
SEED_ANALYZE_WAIT_SECONDS = env.float("SEED_ANALYZE_WAIT_SECONDS", default=30.0)

# --- dermatologist consultations -------------------------------------------------------------------
CONSULTATION_BOOKING_NOTICE_MINUTES = env.int("CONSULTATION_BOOKING_NOTICE_MINUTES", default=60)
CONSULTATION_CANCEL_NOTICE_HOURS = env.int("CONSULTATION_CANCEL_NOTICE_HOURS", default=24)
CONSULTATION_REMINDER_MINUTES = env.list("CONSULTATION_REMINDER_MINUTES", cast=int, default=[1440, 60])
CONSULTATION_SHARE_GRACE_MINUTES = env.int("CONSULTATION_SHARE_GRACE_MINUTES", default=60)
CONSULTATION_MAX_UPCOMING = env.int("CONSULTATION_MAX_UPCOMING", default=3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
