"""Nautobot configuration -- /opt/nautobot/nautobot_config.py (Nautobot 2.1)."""
import os

from nautobot.core.settings import *  # noqa: F403
from nautobot.core.settings_funcs import is_truthy

ALLOWED_HOSTS = ["nautobot.corp.example.net", "10.40.15.10"]
CSRF_TRUSTED_ORIGINS = ["https://nautobot.corp.example.net"]
SECRET_KEY = "Ntb-Django-Secret-7f3Kq9Lm2Wx8Rt"

DATABASES = {
    "default": {
        "NAME": "nautobot",
        "USER": "nautobot",
        "PASSWORD": "Ntb-Pg-Prod-4412Hc",
        "HOST": "pg-nautobot.db.corp.example.net",
        "PORT": "5432",
        "CONN_MAX_AGE": 300,
        "ENGINE": "django.db.backends.postgresql",
    }
}

CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://:Ntb-Redis-8830Gy@10.40.15.21:6379/1",
        "TIMEOUT": 300,
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    }
}

CELERY_BROKER_URL = "redis://:Ntb-Redis-8830Gy@10.40.15.21:6379/0"
CELERY_RESULT_BACKEND = CELERY_BROKER_URL

# Outgoing mail (job results, password resets)
EMAIL_HOST = "smtp-relay.corp.example.net"
EMAIL_PORT = 25
SERVER_EMAIL = "nautobot@corp.example.net"
EMAIL_TIMEOUT = 10

# NAPALM credentials used by the device "LLDP neighbors" and config views
NAPALM_USERNAME = "svc-napalm"
NAPALM_PASSWORD = "Ntb-Napalm-2291Fd"
NAPALM_TIMEOUT = 30

INTERNAL_IPS = ("127.0.0.1", "::1")
BANNER_TOP = "PRODUCTION - changes are audited"
METRICS_ENABLED = True
LOGIN_REQUIRED = True
MAINTENANCE_MODE = False
CHANGELOG_RETENTION = 365
GIT_ROOT = "/opt/nautobot/git"

HTTP_PROXIES = {
    "http": "http://proxy.corp.example.net:3128",
    "https": "http://proxy.corp.example.net:3128",
}

PLUGINS = ["nautobot_ssot", "nautobot_device_lifecycle_mgmt"]

PLUGINS_CONFIG = {
    "nautobot_ssot": {
        "enable_infoblox": True,
        "infoblox_url": "https://gm.infoblox.corp.example.net",
        "infoblox_username": "svc-nautobot",
        "infoblox_password": "Ntb-Ibx-Api-6673Ja",
        "infoblox_verify_ssl": True,
        "infoblox_wapi_version": "v2.12",
    },
}

AUTHENTICATION_BACKENDS = [
    "social_core.backends.open_id_connect.OpenIdConnectAuth",
    "nautobot.core.authentication.ObjectPermissionBackend",
]
SOCIAL_AUTH_OIDC_OIDC_ENDPOINT = "https://id.corp.example.net"
SOCIAL_AUTH_OIDC_KEY = "nautobot"
SOCIAL_AUTH_OIDC_SECRET = os.getenv("NAUTOBOT_OIDC_SECRET", "")
