# superset_config.py - Apache Superset 3.1, BI cluster (https://bi.example.com)
# Loaded via SUPERSET_CONFIG_PATH=/etc/superset/superset_config.py
import os

from cachelib.redis import RedisCache
from celery.schedules import crontab
from flask_appbuilder.security.manager import AUTH_LDAP

ROW_LIMIT = 5000
SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]

# Metadata database
SQLALCHEMY_DATABASE_URI = "postgresql+psycopg2://superset:change-me@pg-superset.db.example.com:5432/superset"
SQLALCHEMY_POOL_SIZE = 10

REDIS_HOST = "redis-bi.cache.example.com"
REDIS_PORT = 6379

CACHE_CONFIG = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_DEFAULT_TIMEOUT": 300,
    "CACHE_KEY_PREFIX": "superset_",
    "CACHE_REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/1",
}
DATA_CACHE_CONFIG = {**CACHE_CONFIG, "CACHE_KEY_PREFIX": "superset_data_"}


class CeleryConfig:
    broker_url = "redis://redis-bi.cache.example.com:6379/0"
    imports = ("superset.sql_lab", "superset.tasks.scheduler")
    result_backend = "redis://redis-bi.cache.example.com:6379/0"
    worker_prefetch_multiplier = 1
    task_acks_late = False
    beat_schedule = {
        "reports.scheduler": {"task": "reports.scheduler", "schedule": crontab(minute="*", hour="*")},
        "reports.prune_log": {"task": "reports.prune_log", "schedule": crontab(minute=10, hour=0)},
    }


CELERY_CONFIG = CeleryConfig

RESULTS_BACKEND = RedisCache(host="redis-results.cache.example.com", port=6380, key_prefix="superset_results")

# Alerts & reports
SMTP_HOST = "smtp.example.com"
SMTP_STARTTLS = True
SMTP_SSL = False
SMTP_USER = "superset"
SMTP_PORT = 587
SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
SMTP_MAIL_FROM = "superset@example.com"
EMAIL_REPORTS_SUBJECT_PREFIX = "[Superset] "

# headless browser in the worker renders the dashboards from the local web process
WEBDRIVER_BASEURL = "http://localhost:8088/"
WEBDRIVER_BASEURL_USER_FRIENDLY = "https://bi.example.com/"

# Authentication
AUTH_TYPE = AUTH_LDAP
AUTH_LDAP_SERVER = "ldaps://ldap.corp.example.com:636"
AUTH_LDAP_SEARCH = "ou=people,dc=corp,dc=example,dc=com"
AUTH_LDAP_UID_FIELD = "uid"
AUTH_LDAP_BIND_USER = "cn=superset,ou=services,dc=corp,dc=example,dc=com"
AUTH_LDAP_BIND_PASSWORD = os.environ.get("LDAP_BIND_PASSWORD")
AUTH_USER_REGISTRATION = True
AUTH_USER_REGISTRATION_ROLE = "Gamma"

ENABLE_PROXY_FIX = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "img-src": ["'self'", "data:", "https://tiles.example.org"],
    },
    "force_https": False,
}
FEATURE_FLAGS = {"ALERT_REPORTS": True, "DASHBOARD_RBAC": True}
