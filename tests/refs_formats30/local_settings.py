# /opt/healthchecks/hc/local_settings.py
# Overrides for hc/settings.py (Healthchecks v3.x, self-hosted "cron-watch").
# This file is imported at the end of settings.py; keep secrets out of git
# (deployed from the vault by the hc_app role).

DEBUG = False
SECRET_KEY = "Hc-django-Rq83Vn1Ls6Jt"

SITE_ROOT = "https://cron-watch.corp.example.net"
SITE_NAME = "Cron Watch"
ALLOWED_HOSTS = ["cron-watch.corp.example.net", "hc.internal.corp.example.net"]
CSRF_TRUSTED_ORIGINS = ["https://cron-watch.corp.example.net"]

# Pings arrive on the public name; email pings via the inbound smtpd on hc-mx.
PING_ENDPOINT = SITE_ROOT + "/ping/"
PING_EMAIL_DOMAIN = "ping.corp.example.net"
PING_BODY_LIMIT = 10000

REGISTRATION_OPEN = False
ADMINS = [("Ops on call", "oncall@corp.example.net")]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "hc",
        "USER": "hc_app",
        "PASSWORD": "Hc-pg-Tw57Ke2m",
        "HOST": "pg-tools.corp.example.net",
        "PORT": "5432",
        "CONN_MAX_AGE": 0,
        "OPTIONS": {"sslmode": "verify-full", "target_session_attrs": "read-write"},
    }
}

# Outgoing mail
DEFAULT_FROM_EMAIL = "cron-watch@corp.example.net"
EMAIL_HOST = "10.50.0.25"
EMAIL_PORT = 587
EMAIL_HOST_USER = "cron-watch"
EMAIL_HOST_PASSWORD = "Hc-smtp-Xa19Df"
EMAIL_USE_TLS = True
EMAIL_USE_VERIFICATION = True

# Ping body storage for large bodies
S3_ENDPOINT = "objects.corp.example.net:9000"
S3_REGION = "dc1"
S3_BUCKET = "hc-ping-bodies"
S3_ACCESS_KEY = "HCACCESS7ZK2Q9"
S3_SECRET_KEY = "Hc-s3-Pm64Bz8r"
S3_SECURE = True

# Integrations
INTEGRATIONS_ALLOW_PRIVATE_IPS = True
MATRIX_HOMESERVER = "https://matrix.corp.example.net"
MATRIX_USER_ID = "@cronwatch:corp.example.net"
MATRIX_ACCESS_TOKEN = "syt_Y3Jvbndh_Hc-mx-Ju42Wq"
SIGNAL_CLI_SOCKET = "10.50.0.31:7583"
APPRISE_ENABLED = False
WEBHOOKS_ENABLED = True
SLACK_ENABLED = False
