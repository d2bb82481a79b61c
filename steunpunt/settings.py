"""The one settings module of Steunpunt.

Everything that differs between a laptop, CI and production comes from
environment variables; the defaults are safe for development so that a fresh
clone runs. See README.md, "Configuration".
"""

import base64
import hashlib
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

# Lets the type hints subscript Django's classes at run time too
# (models.TextField[str, str], forms.ModelForm[Report]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def env_bool(name: str, default: bool = False) -> bool:
    """NAME as a yes/no switch; unset or empty gives the default.

    Only the words below count, in any case: a typo ("ture") is refused when the
    process starts instead of quietly meaning "no".
    """
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes/no value. "
        "Use 1, true, yes or on for yes, and 0, false, no or off for no (or leave it empty)."
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (Docker/systemd secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE), "
            "or DEBUG=1 for local development."
        )
    SECRET_KEY = "dev-only-not-secret-steunpunt-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_htmx",
    "crispy_forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_tasks_db",
    "crontask",
    "steunpunt",
    "informeren",
    "steunen",
    "signaleren",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Says who may keep a public page (steunpunt/cache.py); before the
    # middleware that sets cookies, so it sees them.
    "steunpunt.cache.PublicPageMiddleware",
    # The language of a page from its path only (/ar/... is Arabic, no prefix is Dutch).
    "steunpunt.languages.LanguageMiddleware",
    # Notices once when the proxy in front and TRUSTED_PROXIES disagree.
    "steunpunt.ratelimit.ProxyHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "steunpunt.middleware.PermissionsPolicyMiddleware",
    "steunpunt.middleware.StaffSessionMiddleware",
    "steunpunt.middleware.TwoFactorMiddleware",
]

# The user and its roles in one query; ModelBackend stays for sessions made before it.
AUTHENTICATION_BACKENDS = [
    "steunpunt.roles.UserWithRolesBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "steunpunt.urls"
# A failed CSRF check gets our own page; the question form comes back filled in.
CSRF_FAILURE_VIEW = "steunpunt.views.csrf_failure"
# The app that owns a form gives it back after a failed CSRF check: route name
# -> that app's view (steunpunt/views.py csrf_failure imports no app itself).
CSRF_FAILURE_FORMS = {
    "steunen:ask": "steunen.views.ask_after_csrf_failure",
    "steunen:ask_child": "steunen.views.ask_after_csrf_failure",
}
# `manage.py load_demo` makes the demo users, then runs each app's own demo, in
# this order (each builds on the one before it).
DEMO_LOADERS = ["informeren.demo.load_demo", "steunen.demo.load_demo", "signaleren.demo.load_demo"]
WSGI_APPLICATION = "steunpunt.wsgi.application"

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
                "steunpunt.context_processors.steunpunt",
                "steunpunt.languages.languages",
            ],
        },
    },
]

# Database: SQLite inside var/ by default so a newcomer needs nothing;
# PostgreSQL in CI and production through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_secret("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'steunpunt.sqlite3'}"),
        # Reuse a connection for this many seconds (checked before each
        # request, so a restarted database is picked up again by itself).
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so the live server of the browser tests gets its
    # own connection per thread; one per test run, so two runs never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account:login"
LOGIN_REDIRECT_URL = "account:workspace"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "nl"
# The public pages in each of these, each under its own prefix (/en/, /ar/...;
# Dutch has none); staff pages are Dutch only. Each language is named in itself.
# steunpunt/languages.py says how a request gets its language: from the path alone.
LANGUAGES = [
    ("nl", "Nederlands"),
    ("en", "English"),
    ("ar", "العربية"),
    ("tr", "Türkçe"),
    ("pl", "Polski"),
    ("uk", "Українська"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# A CDN in front of several servers: its address, e.g. https://cdn.example.nl/static/
STATIC_URL = env_str("STATIC_URL", "/static/")
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages come from npm (package.json + lockfile), never copied by hand.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Widgets render with the site's own templates, so a widget can have one in templates/.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = ["formulier"]
CRISPY_TEMPLATE_PACK = "formulier"

# Email through Django's mailers: console in development, SMTP in production;
# tests get locmem from Django's test runner.
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else SMTP_BACKEND,
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": (
            {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_secret("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            }
            if EMAIL_BACKEND_PATH == SMTP_BACKEND
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Steunpunt <noreply@steunpunt.example>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Security. Behind TLS in production; plain http on a laptop (DEBUG).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# No script reads the token from the cookie: htmx sends it from hx-headers on <body>.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
X_FRAME_OPTIONS = "DENY"
# same-origin: other sites never learn where a visitor came from. Not
# "no-referrer": then browsers send "Origin: null" with every form post,
# which Django's CSRF protection (rightly) refuses.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline scripts or styles anywhere: every script is a static file of our own.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# One process: a local-memory cache. Several (production): a shared Redis,
# so rate limits, read counts and locks hold across all of them.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_secret("REDIS_URL"),
            # A Redis that hangs must not hang every request (see steunpunt/cache.py).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if env_secret("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Per process, for fragments of published content under the content
    # version (steunpunt/cache.py: never anything of one visitor).
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "steunpunt-local",
        "OPTIONS": {"MAX_ENTRIES": 5000},  # fragments of some KB: a few MB at most
    },
}

# Logging: requests are not logged with client addresses; asker data never
# reaches a log line (privacy by design, see README).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A link's token in a logged path ("Gone: /advies/<token>/") becomes "[geheim]".
    "filters": {"url_secrets": {"()": "steunpunt.logsecrets.HideUrlSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        # runserver's access log prints client addresses: keep it quiet.
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # One line per task run and state is noise; failures still show.
        "django.tasks": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # The scheduler logs every run of every job; failures still show.
        "apscheduler": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # The loggers that write request paths: their lines pass the filter first.
        "django.request": {"filters": ["url_secrets"]},
        "django.security": {"filters": ["url_secrets"]},
        "django.security.csrf": {"filters": ["url_secrets"]},
    },
}

# The steunpunt this deployment serves (one deployment, one region).
STEUNPUNT_NAME = env_str("STEUNPUNT_NAME", "Ouder- en Jeugdsteunpunt Lindewaarde")
STEUNPUNT_EMAIL = env_str("STEUNPUNT_EMAIL", "info@steunpunt-lindewaarde.example")
STEUNPUNT_PHONE = env_str("STEUNPUNT_PHONE", "0999 12 00 00")
# Free text, shown as written on pages in every language; left empty, the
# hours are said in the page's language from STEUNPUNT_OPEN_FROM and _UNTIL.
STEUNPUNT_HOURS = env_str("STEUNPUNT_HOURS", "")
# Each region's own face (steunpunt/theme.py): its logo, a static file beside the name
# in the header ("" for none), and any colour token of the stylesheet, e.g.
# STEUNPUNT_COLOR_PRIMARY=#7a1f5c for --steunpunt-color-primary. `manage.py check`
# refuses colours whose contrast is below WCAG AA.
STEUNPUNT_LOGO = env_str("STEUNPUNT_LOGO", "img/logo-lindewaarde.svg")
STEUNPUNT_COLORS = {
    name.removeprefix("STEUNPUNT_COLOR_").lower().replace("_", "-"): value.strip()
    for name, value in sorted(os.environ.items())
    if name.startswith("STEUNPUNT_COLOR_")
}
# Opening hours as times (HH:MM), Monday to Friday except the Feestdagen:
# a call-back is asked for in a window within them (steunen/openingstijden.py).
STEUNPUNT_OPEN_FROM = env_str("STEUNPUNT_OPEN_FROM", "09:00")
STEUNPUNT_OPEN_UNTIL = env_str("STEUNPUNT_OPEN_UNTIL", "17:00")
CALLBACK_WINDOW_MINUTES = env_int("CALLBACK_WINDOW_MINUTES", 60)
CALLBACK_DAYS_AHEAD = env_int("CALLBACK_DAYS_AHEAD", 10)  # open days one can choose from
# Back office: a colleague's advice on a case is promised within this many working days.
CONSULTATION_WORKING_DAYS = env_int("CONSULTATION_WORKING_DAYS", 2)
# Where "Snel weg" takes a visitor: a neutral site that gives nothing away.
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.buienradar.nl/")

# steunen: the promise for a first answer, in working days (weekends and
# Feestdagen don't count), and the key for hashing return codes. Keep
# RETURN_CODE_KEY stable: changing it makes every existing code invalid.
FIRST_RESPONSE_WORKING_DAYS = env_int("FIRST_RESPONSE_WORKING_DAYS", 2)
RETURN_CODE_KEY = env_secret("RETURN_CODE_KEY") or f"return-code:{SECRET_KEY}"
# A wrong return code is slowed down and limited per client.
RETURN_CODE_ATTEMPTS = env_int("RETURN_CODE_ATTEMPTS", 10)
RETURN_CODE_WINDOW_SECONDS = env_int("RETURN_CODE_WINDOW_SECONDS", 15 * 60)
RETURN_CODE_FAILURE_DELAY = float(env_str("RETURN_CODE_FAILURE_DELAY", "0.5"))

# The public address of the site, for links in emails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Background tasks (Django's tasks framework). "database": tasks are rows in
# PostgreSQL, run by `manage.py db_worker`, periodic ones enqueued by
# `manage.py crontask` (see README, Running in production). "immediate": run
# in the request itself, for development without extra processes.
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate" if DEBUG else "database")
if TASKS_BACKEND not in {"database", "immediate"}:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'database' or 'immediate'.")
TASKS = {
    "default": (
        {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
        if TASKS_BACKEND == "database"
        else {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    )
}
# The scheduler takes a lock in Redis, so only one of several runs the schedule.
CRONTASK = {"REDIS_URL": env_secret("REDIS_URL") or None}
# A notification that cannot be mailed is tried again later, this many times
# (the waits grow from one minute to an hour: about two days in all).
MAIL_ATTEMPTS = env_int("MAIL_ATTEMPTS", 50)
# How many proxies in front of the app add to X-Forwarded-For (for rate limits),
# and from where they connect: the header of anyone else is ignored (steunpunt/ratelimit.py).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
TRUSTED_PROXY_NETWORKS = env_list(
    "TRUSTED_PROXY_NETWORKS", "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"
)
# How long an asker's conversation stays open in the browser after entering the code.
ASKER_SESSION_MINUTES = env_int("ASKER_SESSION_MINUTES", 30)

# informeren: a published page is due for a new check after this many days.
CONTENT_REVIEW_DAYS = env_int("CONTENT_REVIEW_DAYS", 365)
# Page reads are counted in the cache and flushed to the database at most
# this often (see informeren/usage.py).
COUNT_READS = env_bool("COUNT_READS", True)
READS_FLUSH_SECONDS = env_int("READS_FLUSH_SECONDS", 60)
# How long the proxy in front (or a CDN, or a browser) may keep a public page
# made for a visitor without a session: Cache-Control: public, max-age=N
# (steunpunt/cache.py). A published change shows after at most this (0 = off).
PUBLIC_PAGE_SECONDS = env_int("PUBLIC_PAGE_SECONDS", 0 if DEBUG else 10)
# Participants' names and emails are removed this many days after a meeting.
MEETING_RETENTION_DAYS = env_int("MEETING_RETENTION_DAYS", 30)

# signaleren: published counts under this number are shown as "< N".
REPORT_SUPPRESSION_THRESHOLD = env_int("REPORT_SUPPRESSION_THRESHOLD", 10)

# Personal data of closed cases is erased this many days after closing
# (default about 12 months); the statistics stay.
CASE_RETENTION_DAYS = env_int("CASE_RETENTION_DAYS", 365)

# E-mail intake (steunen/mailintake.py): mails in the steunpunt's mailbox
# become cases, polled over IMAP with TLS (implicit TLS on 993, or STARTTLS).
# Off while MAIL_INTAKE_HOST is unset. The certificate is always verified:
# MAIL_INTAKE_CA_FILE names a private CA if the server has one.
MAIL_INTAKE_HOST = env_str("MAIL_INTAKE_HOST")
MAIL_INTAKE_PORT = env_int("MAIL_INTAKE_PORT", 993)
MAIL_INTAKE_STARTTLS = env_bool("MAIL_INTAKE_STARTTLS", False)
MAIL_INTAKE_USER = env_str("MAIL_INTAKE_USER")
MAIL_INTAKE_PASSWORD = env_secret("MAIL_INTAKE_PASSWORD")
MAIL_INTAKE_FOLDER = env_str("MAIL_INTAKE_FOLDER", "INBOX")
MAIL_INTAKE_CA_FILE = env_str("MAIL_INTAKE_CA_FILE")
MAIL_INTAKE_TIMEOUT = env_int("MAIL_INTAKE_TIMEOUT", 30)
# The address askers write to and our mails come from (Reply-To too).
MAIL_INTAKE_ADDRESS = env_str("MAIL_INTAKE_ADDRESS", STEUNPUNT_EMAIL)
# A larger mail is not read in: it stays in the mailbox, the sender is told.
MAIL_INTAKE_MAX_BYTES = env_int("MAIL_INTAKE_MAX_BYTES", 25 * 1024 * 1024)

# Anonymous forms: at most this many questions per client per hour, and
# meeting sign-ups likewise; logins lock after this many failures per
# username and client together (so nobody can lock out a colleague).
QUESTIONS_PER_HOUR = env_int("QUESTIONS_PER_HOUR", 10)
# Reactions on information pages ("Was deze pagina nuttig?") per client per hour.
FEEDBACK_PER_HOUR = env_int("FEEDBACK_PER_HOUR", 20)
SIGNUPS_PER_HOUR = env_int("SIGNUPS_PER_HOUR", 10)
LOGIN_FAILURES_ALLOWED = env_int("LOGIN_FAILURES_ALLOWED", 5)
LOGIN_LOCK_SECONDS = env_int("LOGIN_LOCK_SECONDS", 15 * 60)
# Login tries from one client on any username (password spraying) per LOGIN_LOCK_SECONDS.
LOGIN_TRIES_PER_CLIENT = env_int("LOGIN_TRIES_PER_CLIENT", 20)
# What one return code may send in a day: replies, files, and the bytes of those files.
ASKER_REPLIES_PER_DAY = env_int("ASKER_REPLIES_PER_DAY", 20)
ASKER_FILES_PER_DAY = env_int("ASKER_FILES_PER_DAY", 5)
ASKER_FILE_BYTES_PER_DAY = env_int("ASKER_FILE_BYTES_PER_DAY", 25 * 1024 * 1024)
# The puzzle on the question form (steunpunt/puzzle.py): zero bits the page's
# script finds (16: about a second), the wait that counts instead without
# JavaScript, and how long a form may stand open.
PUZZLE_BITS = env_int("PUZZLE_BITS", 16)
PUZZLE_WAIT_SECONDS = env_int("PUZZLE_WAIT_SECONDS", 15)
PUZZLE_MAX_AGE_SECONDS = env_int("PUZZLE_MAX_AGE_SECONDS", 6 * 60 * 60)
# Staff sessions end after this much inactivity, and in any case this long after login.
STAFF_IDLE_MINUTES = env_int("STAFF_IDLE_MINUTES", 30)
STAFF_SESSION_HOURS = env_int("STAFF_SESSION_HOURS", 10)

# Encryption at rest of questions, messages, notes and askers' contact
# details (steunpunt/crypto.py). Comma separated Fernet keys, newest first;
# generate one with (see README):
#   python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
FIELD_ENCRYPTION_KEYS = [
    key.strip() for key in env_secret("FIELD_ENCRYPTION_KEYS").split(",") if key.strip()
]
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG and not env_bool("ALLOW_DERIVED_FIELD_KEY", False):
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is not set (see README, 'Encryption at rest'), "
            "or set ALLOW_DERIVED_FIELD_KEY=1 to derive one from SECRET_KEY."
        )
    # Development and tests: a key derived from SECRET_KEY (same as crypto.dev_key).
    FIELD_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(f"field-key:{SECRET_KEY}".encode()).digest()
        ).decode()
    ]

# Ed25519 key this deployment signs with (steunpunt/signing.py): the national feed
# at a hub, the reports a region shares with the hub. 32 raw bytes in url-safe
# base64 (`manage.py shell -c "from steunpunt.signing import new_private_key;
# print(new_private_key())"`). Development and tests: derived from SECRET_KEY.
NATIONAL_SIGNING_KEY = env_secret("NATIONAL_SIGNING_KEY")
if not NATIONAL_SIGNING_KEY and (DEBUG or env_bool("ALLOW_DERIVED_FIELD_KEY", False)):
    # Same as signing.derived_private_key.
    NATIONAL_SIGNING_KEY = base64.urlsafe_b64encode(
        hashlib.sha256(f"signing-key:{SECRET_KEY}".encode()).digest()
    ).decode()

# The national hub (issue 26). A deployment with NATIONAL_HUB=1 is the national
# editorial office: it publishes the national information set as a signed feed and
# receives the report figures regions share. A region names its hub by URL and the
# hub's public key; with no NATIONAL_HUB_URL it works on its own as before (the file
# export and import stay). REGION_CODE names this region to the hub.
NATIONAL_HUB = env_bool("NATIONAL_HUB", False)
NATIONAL_HUB_URL = env_str("NATIONAL_HUB_URL", "").rstrip("/")
NATIONAL_HUB_PUBLIC_KEY = env_str("NATIONAL_HUB_PUBLIC_KEY", "")
REGION_CODE = env_str("REGION_CODE", "lindewaarde")

# Two-factor authentication (TOTP, with recovery codes) for every staff page.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", STEUNPUNT_NAME)
# Passkeys (WebAuthn, django-otp-webauthn) as the preferred second factor:
# bound to the site's own host name (from SITE_URL), never a login by
# themselves. Browsers allow them only over https or on http://localhost (not
# on an IP address): in development, open the site as localhost to try them.
_SITE = urlsplit(SITE_URL)
_SITE_HOST = "localhost" if _SITE.hostname in {"127.0.0.1", "::1", None} else _SITE.hostname
OTP_WEBAUTHN_RP_ID = env_str("OTP_WEBAUTHN_RP_ID", _SITE_HOST)
OTP_WEBAUTHN_RP_NAME = STEUNPUNT_NAME
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("OTP_WEBAUTHN_ALLOWED_ORIGINS") or [
    f"{_SITE.scheme}://{_SITE_HOST}" + (f":{_SITE.port}" if _SITE.port else "")
]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Files from askers: stored encrypted here, never under a URL of the web server.
PRIVATE_FILES_ROOT = env_str("PRIVATE_FILES_ROOT", str(BASE_DIR / "var" / "private"))
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
