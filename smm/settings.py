"""Settings for the social media team workspace: one module, every knob from the environment.

Development needs no configuration (SQLite under var/, an embedded Celery broker, console email).
Production sets DEBUG=0, which makes SECRET_KEY, ALLOWED_HOSTS and TOKEN_ENCRYPTION_KEY mandatory.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from smm.client_address import client_address_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production-0123456789")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
else:
    # Production secrets have no default: a missing one stops the start-up with a clear error.
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name the hosts this app serves when DEBUG is off.")

# Platform tokens are encrypted at rest with this key (Fernet, 32 url-safe base64 bytes).
# In development it is derived from SECRET_KEY; production must set its own.
TOKEN_ENCRYPTION_KEY = env.str("TOKEN_ENCRYPTION_KEY", default="")
if not DEBUG and not TOKEN_ENCRYPTION_KEY:
    raise ImproperlyConfigured("TOKEN_ENCRYPTION_KEY is required when DEBUG is off.")

TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_TZ = True
LANGUAGE_CODE = "en-us"
USE_I18N = True

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "common.apps.OperatorAdminConfig",  # django.contrib.admin, for operators (common/admin.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "axes",
    "csp",
    # Two-factor login (accounts/two_factor/): TOTP apps, and static tokens as the recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The project's apps, in the order data flows: people, then what they track, then plans.
    "common.apps.CommonConfig",  # shared parts: the numbers filter library, dates, redirects
    "accounts",
    "dashboard",
    "metrics",
    "audits",
    "stakeholders",
    "calendar_app",
    "competitors",
    "strategy",
    "reports",
    "outbox",
    "housekeeping",
    "notifications",
    "media_library",  # images and videos uploaded once, attached to publications (media_library/models.py)
    "bench",  # the benchmark's commands (bench/README.md); no models, no URLs of the project
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every response (the policy is CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the code step (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Secure by default: every view needs login unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.CurrentWorkspaceMiddleware",
    # The workspace's time zone for everything the request shows and reads (accounts/time_zone.py).
    "accounts.time_zone.WorkspaceTimeZoneMiddleware",
    # The workspace's two-factor policy, and the code step for a session that skipped it.
    "accounts.two_factor.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Gives a browser that just logged in its device cookie (accounts/throttle.py).
    "accounts.throttle.KnownDeviceMiddleware",
    # Last, as django-axes asks, so it sees the outcome of every login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smm.urls"
WSGI_APPLICATION = "smm.wsgi.application"

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
                "accounts.context_processors.workspace",
                "calendar_app.context_processors.crisis",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept connection is checked (a cheap round trip) before a request reuses it: one that the database closed
# (a restart, a failover, an idle timeout, pg_terminate_backend) is replaced instead of answering that request 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Web, worker and beat share the SQLite file in development: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The app runs short queries. PostgreSQL's JIT compiles any query its planner thinks costly (~25 ms of
    # compiling to save a few ms on the pages' aggregates), and from ~30,000 rows it starts parallel workers
    # whose start-up costs more than the scan they share (a top-posts ranking: 5 ms alone, 11 ms in parallel).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c max_parallel_workers_per_gather=0"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The post indexes carry extra columns for PostgreSQL's index-only scans (metrics/models.py); SQLite, the
# development default, builds them without the extras, which is all this warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

REDIS_URL = env.str("REDIS_URL", default="")

# The cache may live on its own Redis database (CACHE_URL): clearing a cache that shares the broker's
# database would also drop the queued tasks.
CACHE_URL = env.str("CACHE_URL", default=REDIS_URL)
# The cache holds the login throttle's counters (accounts/throttle.py) and the connectors' rate-limit windows
# (metrics/connectors/): the database's name keeps two databases' entries apart in a shared Redis.
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default=str(DATABASES["default"]["NAME"]))
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# --- Login throttling (accounts/throttle.py tells the whole story) ---------------------------------------------
# The client's address, as the trusted proxies saw it. TRUSTED_PROXY_COUNT is how many proxies stand in front of
# gunicorn, each appending the address it received the request from to X-Forwarded-For: 0 (no proxy) reads the
# socket's REMOTE_ADDR and never the header, which any client can write; 1 (the README's TLS proxy) reads the
# header's right-most entry, the one that proxy added, so whatever a client put in the header before is ignored.
# django-ipware reads it for axes, with the AXES_IPWARE_* settings of smm/client_address.py.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT is the number of proxies in front of the app: 0 or more.")
vars().update(client_address_settings(TRUSTED_PROXY_COUNT))
# First lock: wrong passwords for one account from one address lock that pair (only) for the cool-off.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The cool-off runs from the lock: a try during it (axes counts even the right password as a failure then) does not
# start it again, so a user who retries is not kept out longer.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Axes' database handler, except that a known device of the account has its own count instead of the pair's.
AXES_HANDLER = "accounts.throttle.LockoutHandler"
AXES_USERNAME_FORM_FIELD = "username"
# E-mails are stored in lower case: "Target@x" and "target@x" are one account, counted as one.
AXES_USERNAME_CALLABLE = "accounts.throttle.login_username"
# Every failure is kept (axes' failure log): the second, slower throttle counts them per account across addresses.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Second throttle: this many failures on one account within the window, from any addresses, and a browser that
# never logged in to that account (no device cookie) must confirm itself by e-mail first; known devices log in as
# usual. It never refuses the right password: it asks a new device for the mailbox too.
LOGIN_ACCOUNT_FAILURE_LIMIT = env.int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=20)
LOGIN_ACCOUNT_WINDOW = timedelta(minutes=env.int("LOGIN_ACCOUNT_WINDOW_MINUTES", default=60))
LOGIN_DEVICE_COOKIE_AGE = timedelta(days=env.int("LOGIN_DEVICE_COOKIE_DAYS", default=180))
# Axes' records of log-ins and failures are deleted after this many days (housekeeping, daily).
LOGIN_RECORDS_KEEP_DAYS = env.int("LOGIN_RECORDS_KEEP_DAYS", default=90)
if LOGIN_ACCOUNT_WINDOW.total_seconds() / 60 > LOGIN_RECORDS_KEEP_DAYS * 24 * 60:
    raise ImproperlyConfigured("LOGIN_RECORDS_KEEP_DAYS must keep the failures of LOGIN_ACCOUNT_WINDOW.")
# Nightly pruning (housekeeping/services.py): finished pull runs older than this many days go, except each
# profile's latest run, latest success and latest failure; publishing's delivery-attempt lines ("sending",
# "retry", "no answer") go from the history of posts published longer ago than the second. Who did what stays.
PULL_RUNS_KEEP_DAYS = env.int("PULL_RUNS_KEEP_DAYS", default=90)
PUBLICATION_ATTEMPTS_KEEP_DAYS = env.int("PUBLICATION_ATTEMPTS_KEEP_DAYS", default=180)
if min(PULL_RUNS_KEEP_DAYS, PUBLICATION_ATTEMPTS_KEEP_DAYS) < 1:
    raise ImproperlyConfigured("PULL_RUNS_KEEP_DAYS and PUBLICATION_ATTEMPTS_KEEP_DAYS must be at least 1 day.")

# Two-factor login (accounts/two_factor/): the name authenticator apps show beside the account, and how long the
# code step waits after the right password before the visitor must start again.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Social media workspace")
# Operators (the Django admin) log in with a second factor: on in production, off in development for the demo operator.
OPERATOR_TWO_FACTOR_REQUIRED = env.bool("OPERATOR_TWO_FACTOR_REQUIRED", default=not DEBUG)
TWO_FACTOR_CODE_STEP_SECONDS = env.int("TWO_FACTOR_CODE_STEP_SECONDS", default=300)
# The Django admin lists the devices (for an operator to remove a lost phone) without their secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Social media workspace <noreply@localhost>")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from npm (package-lock.json) and are served from node_modules, never a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/fullcalendar", NODE_MODULES / "fullcalendar"),
    ("vendor/sortablejs", NODE_MODULES / "sortablejs"),
]
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise as they are.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# Uploaded files (idea attachments, the media library) go through Django's storage API: the local disk under
# MEDIA_ROOT by default, an S3-compatible store (django-storages) with MEDIA_STORAGE=s3. Either way they are served
# only by views that check the member (never from MEDIA_URL; smm/urls.py adds no static(MEDIA_URL)).
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE == "local":
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            # Private objects: the app's views stream them to members; a leaked key address opens nothing.
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=300),
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'local' or 's3', not {MEDIA_STORAGE!r}.")
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Idea attachments: the largest file the idea form takes (calendar_app/attachments.py says which kinds).
IDEA_ATTACHMENT_MAX_MB = env.int("IDEA_ATTACHMENT_MAX_MB", default=10)
# The media library's largest image and video (media_library/checks.py).
MEDIA_LIBRARY_MAX_IMAGE_MB = env.int("MEDIA_LIBRARY_MAX_IMAGE_MB", default=20)
MEDIA_LIBRARY_MAX_VIDEO_MB = env.int("MEDIA_LIBRARY_MAX_VIDEO_MB", default=200)
# How long a network may fetch a post's library file from its signed address (media_library/signed.py).
SIGNED_MEDIA_HOURS = env.float("SIGNED_MEDIA_HOURS", default=24)
# How often an Instagram video container's status is asked while Meta prepares it (metrics/connectors/meta.py).
INSTAGRAM_CONTAINER_POLL_SECONDS = env.float("INSTAGRAM_CONTAINER_POLL_SECONDS", default=5.0)
# How often a LinkedIn video just uploaded is asked whether LinkedIn has processed it (metrics/connectors/linkedin.py).
LINKEDIN_VIDEO_POLL_SECONDS = env.float("LINKEDIN_VIDEO_POLL_SECONDS", default=5.0)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: Redis when REDIS_URL is set; otherwise kombu's filesystem transport under var/,
# so worker and beat run on a bare machine with nothing else installed.
CELERY_QUEUE_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    for sub in ("queue", "processed", "results", "control"):
        (CELERY_QUEUE_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),  # kombu's default is ./control, in the source tree
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_QUEUE_DIR / 'results'}"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Publishing has its own queue and workers (Procfile, make run), so that a burst of pulls never delays a due post.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "calendar_app.publish_due_publications": {"queue": "publishing"},
    "calendar_app.publish_publication": {"queue": "publishing"},
    "calendar_app.look_up_publication": {"queue": "publishing"},
    "calendar_app.post_follow_up": {"queue": "publishing"},
}
# How long a send may take before its worker is presumed dead and the post is looked up on the platform instead
# (calendar_app/publisher.py). Above a few platform calls of PLATFORM_HTTP_TIMEOUT each; the send's task is
# stopped at 80 % of it (calendar_app/tasks.py), below CELERY_TASK_TIME_LIMIT.
PUBLISH_SENDING_TIMEOUT = env.float("PUBLISH_SENDING_TIMEOUT", default=300.0)
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_RESULT_EXPIRES = timedelta(days=1)

# --- Celery against broker faults (the outbox's part; outbox/README.md tells the whole story) ------------------
# The waits below depend on each other; a combination that could run a task twice stops the start-up.
#
# No task asks Celery for a countdown longer than this: longer waits are scheduled in the database. (A countdown
# is a message that a worker holds unacknowledged until it is due: see the visibility timeout.)
TASK_LONGEST_COUNTDOWN = 5 * 60
# An attempt of any task is stopped past this (the pool kills its process), so a hung call cannot hold a worker
# for ever, and an attempt that has run for longer is known to be dead (outbox: OUTBOX_ATTEMPT_LEASE).
CELERY_TASK_TIME_LIMIT = 10 * 60
# Redis gives an unacknowledged message to another worker after this. With late acks, a message stays
# unacknowledged while it waits for its countdown and while its task runs, so this must be longer than both
# together, or the task runs twice (kombu's default of 1 hour, against retries of up to 6 hours, did that). It is
# also how long the messages of a worker killed outright wait before another worker gets them: not much longer.
BROKER_VISIBILITY_TIMEOUT = 30 * 60
if BROKER_VISIBILITY_TIMEOUT <= TASK_LONGEST_COUNTDOWN + CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("BROKER_VISIBILITY_TIMEOUT must exceed the longest countdown plus the task time limit.")
REDIS_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    # A healthy Redis takes a message in a millisecond; these bound what a request waits for a sick one. 1 s to
    # connect: a stopped Redis refuses at once, an unreachable host would take the system's two minutes. 2 s for an
    # answer: a frozen Redis accepts connections and never answers (requests hung until it came back).
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    # A connection that a request opens as it sends is tried once: kombu's default is to try again until the
    # connection timeout below has passed, which made a refused hand-over take 2 s instead of a millisecond.
    # (Workers reconnect under CELERY_BROKER_CONNECTION_MAX_RETRIES, sends retry under the publish policy.)
    "max_retries": 0,
    # A command that timed out may still be applied: never send it again on our own (the outbox's claim and the
    # sweep deal with a message that was, or was not, taken).
    "retry_on_timeout": False,
}
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A worker or beat that starts before Redis (make run, a machine's reboot) waits for it, and one that loses it
# keeps trying until it is back, instead of exiting after 100 tries and waiting for a person.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A task running when the broker goes away finishes its work (Celery 6 will cancel it instead). Its late ack is
# lost, so Redis gives the message again after the visibility timeout: the outbox's claim, the pull's idempotent
# upserts and publishing's own claim make that copy change nothing. Said here, so the choice is ours, not a default.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# When a worker or beat sends a message (a fan-out, a retry), at most 3 tries within about 2 s plus the timeouts
# above. (Celery's default is 4 tries; requests send with no retry at all: outbox.services.action_hand_over.)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# The result backend (the same Redis): its defaults are no connect timeout, 120 s per answer and 20 reconnections
# a second apart, which was the 19 s that "Pull now" took with Redis stopped before answering 500.
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_REDIS_RETRY_ON_TIMEOUT = False
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
}
# Queued user actions (outbox/): a message handed over this long ago that no worker started is taken as lost (a
# broker restarted without its data) and sent again; a copy that was not lost after all is skipped by the claim.
OUTBOX_LOST_AFTER = timedelta(minutes=10)
# An attempt running for longer than the time limit allows is dead (its worker was killed): it runs again, at
# most until this many attempts were lost, then the action is failed with the reason.
OUTBOX_ATTEMPT_LEASE = timedelta(seconds=CELERY_TASK_TIME_LIMIT) + timedelta(minutes=1)
OUTBOX_MAX_LOST_ATTEMPTS = 3

# Notifications (notifications/): the daily digest goes out at this hour of each workspace's own time zone, with
# what came before it (beat asks every hour; a missed hour is caught up by the next).
NOTIFICATIONS_DIGEST_HOUR = env.int("NOTIFICATIONS_DIGEST_HOUR", default=7)
if not 0 <= NOTIFICATIONS_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured("NOTIFICATIONS_DIGEST_HOUR is an hour of the day: 0 to 23.")

# Outbound HTTP to the platforms never waits forever.
PLATFORM_HTTP_TIMEOUT = env.float("PLATFORM_HTTP_TIMEOUT", default=15.0)
# The demo platform: seconds each call takes (0.3 is a real platform's pace; 0 in development and tests) and the
# folder where it keeps the posts it accepted, shared by every process on the machine.
DEMO_PLATFORM_LATENCY = env.float("DEMO_PLATFORM_LATENCY", default=0.0)
DEMO_PLATFORM_DIR = env.path("DEMO_PLATFORM_DIR", default=str(VAR_DIR / "demo-platform"))

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp), in development and tests too, so that they prove it: the browser runs only
# our own static files and applies only our own style sheets. No inline script, handler or style attribute; data
# reaches scripts through json_script or data- attributes. The one nonce is for the style element FullCalendar
# injects (it reads it from a csp-nonce meta tag); django-csp adds it to the header only on the pages that ask.
# data: is allowed for images and fonts only: the SVG icons inside Bootstrap's CSS (select arrows, close buttons, the
# menu toggler) and the icon font inside FullCalendar's (its prev/next chevrons). Neither can run anything.
# Browsers report violations to the address in the environment's CSP_REPORT_URI when it is set (the operator's
# collector). Not a setting of that name: django-csp 4 refuses to start on its 3.x settings (CSP_*).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": env.str("CSP_REPORT_URI", default="") or None,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "filters": {"one_line_refusals": {"()": "common.log_filters.OneLineForExpectedRefusals"}},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Django's own console handler would print each record a second time (with DEBUG) on top of the root's.
        "django": {"handlers": [], "propagate": True},
        "django.request": {"filters": ["one_line_refusals"]},
    },
}

# Connecting accounts through the platforms' consent screens (metrics/oauth.py). A platform without its client id
# shows its "Connect" button disabled with the reason; the demo network connects with no network at all.
X_CLIENT_ID = env.str("X_CLIENT_ID", default="")
X_CLIENT_SECRET = env.str("X_CLIENT_SECRET", default="")
X_AUTHORIZE_URL = env.str("X_AUTHORIZE_URL", default="https://x.com/i/oauth2/authorize")
X_TOKEN_URL = env.str("X_TOKEN_URL", default="https://api.x.com/2/oauth2/token")
X_REVOKE_URL = env.str("X_REVOKE_URL", default="https://api.x.com/2/oauth2/revoke")
X_API_URL = env.str("X_API_URL", default="https://api.x.com")
# The name a Mastodon server shows on its consent screen for this site's app (registered per server on first connect).
# The demo journey (metrics/demo_connect.py): in a workspace of demo accounts, "Connect" for a network without app
# keys goes through the app's own demo consent page and stores a demo credential. On by default in development
# (`make run`); a site with DEBUG off refuses it: a production site never connects a fake credential.
OAUTH_DEMO = env.bool("OAUTH_DEMO", default=DEBUG)
if OAUTH_DEMO and not DEBUG:
    raise ImproperlyConfigured("OAUTH_DEMO connects demo credentials: it cannot be on with DEBUG off.")
MASTODON_APP_NAME = env.str("MASTODON_APP_NAME", default="Social media workspace")
META_APP_ID = env.str("META_APP_ID", default="")
META_APP_SECRET = env.str("META_APP_SECRET", default="")
# Facebook Login for Business: a configuration made in the app's dashboard names the permissions; when set, the
# consent address carries config_id instead of scope.
META_CONFIG_ID = env.str("META_CONFIG_ID", default="")
META_GRAPH_URL = env.str("META_GRAPH_URL", default="https://graph.facebook.com")
# Empty: Facebook's dialog for the Graph version the connectors use (metrics.connectors.meta.GRAPH_VERSION).
META_AUTHORIZE_URL = env.str("META_AUTHORIZE_URL", default="")
LINKEDIN_CLIENT_ID = env.str("LINKEDIN_CLIENT_ID", default="")
LINKEDIN_CLIENT_SECRET = env.str("LINKEDIN_CLIENT_SECRET", default="")
LINKEDIN_AUTHORIZE_URL = env.str("LINKEDIN_AUTHORIZE_URL", default="https://www.linkedin.com/oauth/v2/authorization")
LINKEDIN_TOKEN_URL = env.str("LINKEDIN_TOKEN_URL", default="https://www.linkedin.com/oauth/v2/accessToken")
LINKEDIN_REVOKE_URL = env.str("LINKEDIN_REVOKE_URL", default="https://www.linkedin.com/oauth/v2/revoke")
# LinkedIn's versioned REST API (metrics/connectors/linkedin.py): every call names a version (YYYYMM), and LinkedIn
# sunsets each about a year after its release, so it is set here rather than in the code.
LINKEDIN_API_URL = env.str("LINKEDIN_API_URL", default="https://api.linkedin.com")
LINKEDIN_VERSION = env.str("LINKEDIN_VERSION", default="202603")
if not (len(LINKEDIN_VERSION) == 6 and LINKEDIN_VERSION.isdigit()):
    raise ImproperlyConfigured("LINKEDIN_VERSION is a LinkedIn API version as YYYYMM, for example 202603.")
# Bluesky (metrics/connectors/bluesky.py): public reads from the AppView; sign-in (app password) and writes at the
# account's service, bsky.social's entryway for accounts it hosts (it sends each call on to the account's PDS).
BLUESKY_APPVIEW_URL = env.str("BLUESKY_APPVIEW_URL", default="https://public.api.bsky.app")
BLUESKY_SERVICE_URL = env.str("BLUESKY_SERVICE_URL", default="https://bsky.social")
