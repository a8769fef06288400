#########################
#                       #
#   Required settings   #
#                       #
#########################
# NetBox 3.6 - /opt/netbox/netbox/netbox/configuration.py (deployed by ansible)
# https://docs.netbox.dev/en/stable/configuration/
import os

ALLOWED_HOSTS = ['netbox.example.com', 'netbox01.example.com', '10.14.0.15']

DATABASE = {
    'NAME': 'netbox',
    'USER': 'netbox',
    'PASSWORD': os.environ.get('NETBOX_DB_PASSWORD', ''),
    'HOST': 'pg-netbox.example.com',
    'PORT': '6432',            # via pgbouncer
    'CONN_MAX_AGE': 300,
}

REDIS = {
    'tasks': {
        'HOST': '10.14.0.21',
        'PORT': 6379,
        'PASSWORD': '',
        'DATABASE': 0,
        'SSL': False,
    },
    'caching': {
        'SENTINELS': [('10.14.0.31', 26379), ('10.14.0.32', 26379), ('sentinel3.example.com', 26380)],
        'SENTINEL_SERVICE': 'netbox-cache',
        'PASSWORD': '',
        'DATABASE': 1,
        'SSL': False,
    }
}

SECRET_KEY = os.environ['NETBOX_SECRET_KEY']

#########################
#   Optional settings   #
#########################
ADMINS = [
    ('NetOps', 'netops@example.com'),
]
BASE_PATH = ''
CORS_ORIGIN_ALLOW_ALL = False
CORS_ORIGIN_WHITELIST = ['https://grafana.example.com']
EMAIL = {
    'SERVER': 'mail.example.com',
    'PORT': 25,
    'USERNAME': '',
    'PASSWORD': '',
    'USE_SSL': False,
    'USE_TLS': False,
    'TIMEOUT': 10,
    'FROM_EMAIL': 'netbox@example.com',
}
HTTP_PROXIES = {
    'http': 'http://proxy.example.com:3128',
    'https': 'http://proxy.example.com:3128',
}
INTERNAL_IPS = ('127.0.0.1', '::1', '10.14.0.0/24')
LOGIN_REQUIRED = True
MAINTENANCE_MODE = False
# Old LibreNMS link-out, replaced by the netbox_librenms plugin:
# DEVICE_LINK = 'https://librenms.example.com/device/'
PLUGINS = ['netbox_secrets']
PLUGINS_CONFIG = {
    'netbox_secrets': {'public_key_size': 2048},
}
REMOTE_AUTH_ENABLED = False
TIME_ZONE = 'Europe/Amsterdam'
