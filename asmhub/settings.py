"""Settings of the ASM Hub, read from environment variables.

Safe defaults for a laptop (SQLite under var/, DEBUG on); with DJANGO_DEBUG off, a missing
secret key or host list stops the start-up with a clear message.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ASMHUB_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default):
    """Read a yes/no environment variable; unknown spellings are an error, not a guess."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def proxy_ssl_header(proxy_count):
    """The header that says a request came over HTTPS (SECURE_PROXY_SSL_HEADER): the
    X-Forwarded-Proto our proxy sets, and none without a proxy, as any client can send it."""
    return ("HTTP_X_FORWARDED_PROTO", "https") if proxy_count > 0 else None


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-a-laptop"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, with the hub's own site: each role's desk (asmhub/admin_site.py).
    "asmhub.apps.HubAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "django_countries",
    "taggit",
    "simple_history",
    "axes",
    "csp",
    # The JSON API under /api/: REST framework, its OpenAPI document, Swagger UI's own
    # files (no CDN) and CORS.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    # The outbox: mail is a row until `manage.py send_mail` sends it.
    "mailer",
    "asmhub",
    "resources",
    "learning_groups",
    "dialogues",
    "voices",
    "network",
    "usage",
    "usage_reports",
]

MIDDLEWARE = [
    "asmhub.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything else that can answer (CommonMiddleware), so every /api/ answer has
    # CORS; it answers preflights itself.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Counts machine use of the API, OAI-PMH and the feeds: one INSERT after the answer.
    "usage.middleware.MachineUseMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Records who made each change in the model history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a database or storage outage into a 503 page.
    "asmhub.middleware.OutageMiddleware",
    # Last, as django-axes asks: it turns a lock-out into a response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username or address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "asmhub.urls"

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
                "asmhub.context_processors.site",
            ],
            # Content in the reader's language, for every app's templates.
            "libraries": {"translations": "core.translation_tags"},
        },
    },
]

WSGI_APPLICATION = "asmhub.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'asmhub.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite is the embedded laptop database: persistent connections buy nothing there.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A database that is down must give a quick 503, not a worker stuck until its timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The interface's languages: each needs its catalogue in locale/<code>/ and nothing else
# (English unprefixed, the others under /<code>/).
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
    ("sw", _("Swahili")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Numbers as each language writes them; asmhub/formats/ holds where we differ from Django.
FORMAT_MODULE_PATH = ["asmhub.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploads on S3-compatible object storage when a bucket is named; boto3 reads the keys
# from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or its other usual sources).
S3_BUCKET = os.environ.get("S3_BUCKET") or os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if S3_BUCKET:
    from botocore.config import Config as BotoConfig

    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL") or os.environ.get("AWS_S3_ENDPOINT_URL")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT_URL,
            "region_name": os.environ.get("S3_REGION") or os.environ.get("AWS_DEFAULT_REGION"),
            "location": os.environ.get("S3_PREFIX", ""),
            # Never overwrite: a new upload with a taken name gets a suffix, as on disk.
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("S3_SIGNED_URL_SECONDS", "300")),
            "addressing_style": os.environ.get(
                "S3_ADDRESSING_STYLE", "path" if S3_ENDPOINT_URL else "auto"
            ),
            # An unreachable bucket must fail within seconds, never hang a worker.
            "client_config": BotoConfig(
                connect_timeout=float(os.environ.get("S3_CONNECT_TIMEOUT", "3")),
                read_timeout=float(os.environ.get("S3_READ_TIMEOUT", "20")),
                retries={"max_attempts": 2, "mode": "standard"},
                signature_version="s3v4",
            ),
        },
    }
# Downloads stream through the app (counted, resumable, one origin); with this on they
# are counted and then redirected to a short-lived signed URL of the bucket instead.
ASMHUB_DOWNLOAD_REDIRECT = env_bool("ASMHUB_DOWNLOAD_REDIRECT", False)

# The cache every app server shares when Redis is configured. An unreachable Redis is
# logged and treated as a miss, so the site keeps serving, uncached.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "asmhub"),
            "TIMEOUT": 300,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "asmhub.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The parts of every page that no content changes ({% cache %} in the header and footer:
# their links and words in each language), kept in each process; the page cache and
# everything kept under the content version stay in "default".
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "asmhub-fragments",
    "TIMEOUT": None,
}
# Hashed static names may be cached for ever by browsers and proxies.
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# Bound what a query string can make the server do before a view sees it.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

SESSION_COOKIE_HTTPONLY = True
# A working day: a forgotten admin session on a shared computer does not live for weeks.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_SECONDS", str(12 * 60 * 60)))
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content Security Policy: scripts and styles only from our own files, never inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Brute-force protection of the admin login (django-axes): after ASMHUB_LOGIN_FAILURES
# failed attempts on one username, or from one address, it is locked out for an hour
# (`manage.py axes_reset_username NAME` lifts it sooner).
AXES_FAILURE_LIMIT = int(os.environ.get("ASMHUB_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Keep the record of attempts to what the lock-out needs: no log of every success.
AXES_DISABLE_ACCESS_LOG = True
# Behind ASMHUB_PROXY_COUNT trusted proxies, the client address is read from
# X-Forwarded-For and the scheme from X-Forwarded-Proto; without proxies those headers are
# ignored, as anyone can forge them.
ASMHUB_PROXY_COUNT = int(os.environ.get("ASMHUB_PROXY_COUNT", "0"))
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(ASMHUB_PROXY_COUNT)
if ASMHUB_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = ASMHUB_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# One JSON object a line in production (for a log shipper), plain text on a laptop.
# Every record made while a request runs carries its request id.
LOG_FORMAT = os.environ.get("ASMHUB_LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"ASMHUB_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "asmhub.logs.RequestIdFilter"},
        "as_warning": {"()": "asmhub.logs.AsWarningFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # The request log of asmhub.middleware replaces Django's own per-request warnings.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        # A request for a host we do not serve is a client's doing: one line, no traceback.
        "django.security.DisallowedHost": {"filters": ["as_warning"]},
    },
}

# Optional error reporting: on only when a DSN is given (pip install 'asmhub[sentry]').
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError as error:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is missing: pip install 'asmhub[sentry]'."
        ) from error
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
    )

# Programme settings.
ASMHUB_SITE_NAME = os.environ.get("ASMHUB_SITE_NAME", "ASM Hub")
ASMHUB_PAGE_SIZE = 20

# Discovery: where the hub lives for links in e-mails and harvests made outside a request,
# how much one export or harvest page may hold, and how alerts are mailed.
ASMHUB_BASE_URL = os.environ.get("ASMHUB_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ASMHUB_ADMIN_EMAIL = os.environ.get("ASMHUB_ADMIN_EMAIL", "hub@example.org")
ASMHUB_EXPORT_LIMIT = 1000
# An offline pack (docs/offline.md) holds at most this many resources, and their files
# only while they add up to at most this many bytes.
ASMHUB_PACK_MAX_RESOURCES = int(os.environ.get("ASMHUB_PACK_MAX_RESOURCES", "200"))
ASMHUB_PACK_MAX_BYTES = int(os.environ.get("ASMHUB_PACK_MAX_BYTES", str(100 * 1024 * 1024)))
ASMHUB_FEED_SIZE = 50
ASMHUB_OAI_PAGE_SIZE = 100
# The repository part of OAI identifiers (oai:<this>:resource/42): a domain name that must
# never change once harvesters know it.
ASMHUB_OAI_REPOSITORY_ID = os.environ.get("ASMHUB_OAI_REPOSITORY_ID", "asmhub.example.org")
ASMHUB_API_PAGE_SIZE = 20
ASMHUB_API_MAX_PAGE_SIZE = 100
ASMHUB_ALERT_CONFIRM_DAYS = 7
# Against mail bombs: unconfirmed alerts one address may hold (beyond, nothing is recorded
# or mailed; one confirmation mail a day goes to an address whatever the count), and alert
# requests one client address may make (django-ratelimit, over the default cache: Redis
# when REDIS_URL is set, so the count holds across app servers).
ASMHUB_ALERT_MAX_PENDING = int(os.environ.get("ASMHUB_ALERT_MAX_PENDING", "5"))
ASMHUB_ALERT_RATE = os.environ.get("ASMHUB_ALERT_RATE", "10/h")
# The client address as the login lock-out reads it (django-axes, ASMHUB_PROXY_COUNT).
RATELIMIT_IP_META_KEY = "axes.helpers.get_client_ip_address"
# With the cache down, let requests through: the limits per address are in the database.
RATELIMIT_FAIL_OPEN = True

# Miners' voices (voices/): the largest photo and recording the public form takes, in
# bytes, and how many voices one client address may send (django-ratelimit, as alerts).
ASMHUB_VOICE_MAX_PHOTO_SIZE = int(
    os.environ.get("ASMHUB_VOICE_MAX_PHOTO_SIZE", str(8 * 1024 * 1024))
)
ASMHUB_VOICE_MAX_AUDIO_SIZE = int(
    os.environ.get("ASMHUB_VOICE_MAX_AUDIO_SIZE", str(10 * 1024 * 1024))
)
ASMHUB_VOICE_RATE = os.environ.get("ASMHUB_VOICE_RATE", "5/h")

# The read-only JSON API (core/api.py's ApiView: JSON only, whatever the Accept header):
# no sessions or logins; errors in its own shape. Open to every origin, under /api/ only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{ASMHUB_SITE_NAME} API",
    "VERSION": "1",
    "DESCRIPTION": (
        "Read-only JSON: the same filters as the library. Bad parameters give a 400 with a "
        "JSON error naming the parameter; a database outage, a 503 with the same error "
        "object (code database_unavailable) and Retry-After. Answers carry an ETag; send "
        "If-None-Match to get a 304."
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "LearningGroupStatusEnum": "learning_groups.models.LearningGroup.Status",
        "DialogueStatusEnum": "dialogues.models.Dialogue.Status",
    },
}
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["If-None-Match", "If-Modified-Since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]
# No Access-Control-Max-Age on a preflight answer, as the API has always answered.
CORS_PREFLIGHT_MAX_AGE = 0

EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20
# No request talks to SMTP: mail becomes a row of the outbox (django-mailer) in the
# transaction of the change that causes it, and `manage.py send_mail`, run by cron, hands
# it to MAILER_EMAIL_BACKEND, which the EMAIL_BACKEND environment variable names. What
# fails is deferred, retried by `manage.py retry_deferred` at most MAILER_EMAIL_MAX_RETRIES
# times, and stays in the admin for curators to see (docs/deploy.md).
EMAIL_BACKEND = "mailer.backend.DbBackend"
MAILER_EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILER_EMAIL_MAX_RETRIES = int(os.environ.get("ASMHUB_MAIL_MAX_RETRIES", "96"))
# A run stops after this many failures: a stalled server costs it 5 × EMAIL_TIMEOUT.
MAILER_EMAIL_MAX_DEFERRED = 5
# Its lock file outlives a killed run and stops all mail; cron's flock or the systemd
# timer keep to one run at a time instead, and rows are locked while they are sent.
MAILER_USE_FILE_LOCK = False
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", ASMHUB_ADMIN_EMAIL)

# Largest file a partner or curator may upload, in bytes (200 MB by default).
ASMHUB_MAX_UPLOAD_SIZE = int(os.environ.get("ASMHUB_MAX_UPLOAD_SIZE", str(200 * 1024 * 1024)))
# What a ZIP, Office, OpenDocument or EPUB file may expand to, in bytes, all members
# together (five times the upload limit: 1000 MB by default), and how many times smaller
# than that a member or the whole may be compressed (ZIP bombs reach 1000 to 1).
ASMHUB_MAX_UNCOMPRESSED_SIZE = int(
    os.environ.get("ASMHUB_MAX_UNCOMPRESSED_SIZE", str(5 * ASMHUB_MAX_UPLOAD_SIZE))
)
ASMHUB_MAX_COMPRESSION_RATIO = int(os.environ.get("ASMHUB_MAX_COMPRESSION_RATIO", "100"))
# Resumable uploads in the admin (the tus protocol): the parts the browser sends, in
# bytes (a part cut by a dropped connection is sent again), and the hours an unfinished
# upload is kept before `clear_uploads` deletes it.
ASMHUB_UPLOAD_CHUNK_SIZE = int(os.environ.get("ASMHUB_UPLOAD_CHUNK_SIZE", str(2 * 1024 * 1024)))
ASMHUB_UPLOAD_EXPIRY_HOURS = int(os.environ.get("ASMHUB_UPLOAD_EXPIRY_HOURS", "24"))
# Several PDFs at once (one draft each): how many files a batch takes, and how many bytes
# all of them together.
ASMHUB_BATCH_MAX_FILES = int(os.environ.get("ASMHUB_BATCH_MAX_FILES", "10"))
ASMHUB_BATCH_MAX_SIZE = int(
    os.environ.get("ASMHUB_BATCH_MAX_SIZE", str(max(ASMHUB_MAX_UPLOAD_SIZE, 100 * 1024 * 1024)))
)
FILE_UPLOAD_HANDLERS = [
    # Small uploads in memory, the rest streamed to disk, never past the size limit.
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "resources.files.uploads.SizeLimitedUploadHandler",
]
AXES_VERBOSE = False

# Backups write JSON with times to the microsecond (Django's JSON keeps milliseconds).
SERIALIZATION_MODULES = {"pjson": "core.precise_json"}

# Seconds cached library pages, facet counts and result pages are kept; entries are keyed
# by the library's content version, so a change makes them unreachable at once. 0: off.
ASMHUB_SEARCH_CACHE_SECONDS = int(os.environ.get("ASMHUB_SEARCH_CACHE_SECONDS", "3600"))
# Whole public pages of the library (and its feed) kept under the content version for
# anonymous visitors (resources/search/pagecache.py); off, only their parts are cached.
ASMHUB_SEARCH_PAGE_CACHE = env_bool("ASMHUB_SEARCH_PAGE_CACHE", True)
# On PostgreSQL, count facets and pick result pages from an in-memory column copy of the
# search index (resources/search/facetindex/) rather than in SQL; kept current from a change log,
# and rebuilt beside the one in use in a background thread after changes.
ASMHUB_FACET_INDEX = env_bool("ASMHUB_FACET_INDEX", True)
ASMHUB_FACET_INDEX_BACKGROUND = env_bool("ASMHUB_FACET_INDEX_BACKGROUND", True)
# After this many requests a process moves its long-lived objects out of the garbage
# collector's sight (core/memory.py); 0 never does.
ASMHUB_GC_SETTLE_AFTER = int(os.environ.get("ASMHUB_GC_SETTLE_AFTER", "20"))
