# /etc/pulp/settings.py - pulpcore 3.49 (pulp_rpm, pulp_container, pulp_python)
# Loaded via PULP_SETTINGS=/etc/pulp/settings.py (dynaconf). Owned by ansible role pulp.pulp_installer.

SECRET_KEY = "Pulp-Django-Secret-Nc73Ba1xQe"

# Public URL clients use to fetch content (served by the content app behind nginx)
CONTENT_ORIGIN = "https://repos.corp.example.net"
CONTENT_PATH_PREFIX = "/pulp/content/"
ALLOWED_HOSTS = ["repos.corp.example.net", "pulp-api-01.corp.example.net", "localhost"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "pulp",
        "USER": "pulp",
        "PASSWORD": "Pulp-Pg-Hy42Ds8m",
        "HOST": "pg-pulp.corp.example.net",
        "PORT": "5432",
        "OPTIONS": {
            "sslmode": "verify-full",
            "sslrootcert": "/etc/pki/corp-root-ca.pem",
        },
    },
}

# Content-app cache
CACHE_ENABLED = True
REDIS_HOST = "10.44.6.15"
REDIS_PORT = 6379
REDIS_DB = 3
REDIS_PASSWORD = "Pulp-Redis-Wm60Kt2b"

# Artifacts in the on-prem S3 (MinIO) cluster
STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3boto3.S3Boto3Storage",
        "OPTIONS": {
            "access_key": "PULPMINIO7Q2XZ",
            "secret_key": "Pulp-Minio-Secret-Lr85Vd3f",
            "bucket_name": "pulp-artifacts",
            "endpoint_url": "https://s3.storage.corp.example.net:9000",
            "region_name": "dc1",
            "signature_version": "s3v4",
            "addressing_style": "path",
            "default_acl": "private",
        },
    },
}
MEDIA_ROOT = ""

# Container registry token auth (pulp_container)
TOKEN_AUTH_DISABLED = False
TOKEN_SERVER = "https://repos.corp.example.net/token/"
TOKEN_SIGNATURE_ALGORITHM = "ES256"
PUBLIC_KEY_PATH = "/etc/pulp/certs/token_public_key.pem"
PRIVATE_KEY_PATH = "/etc/pulp/certs/token_private_key.pem"

# Task status events to the platform Kafka
KAFKA_BOOTSTRAP_SERVERS = "kafka-a.corp.example.net:9093,kafka-b.corp.example.net:9093"
KAFKA_SECURITY_PROTOCOL = "sasl_ssl"
KAFKA_SASL_MECHANISM = "SCRAM-SHA-512"
KAFKA_SASL_USERNAME = "pulp-tasks"
KAFKA_SASL_PASSWORD = "Pulp-Kafka-Tg19Xw6u"
KAFKA_TASKS_STATUS_TOPIC = "pulpcore.tasking.status"

# LDAP login for the API (django-auth-ldap)
AUTHENTICATION_BACKENDS = [
    "django_auth_ldap.backend.LDAPBackend",
    "pulpcore.backends.ObjectRolePermissionBackend",
]
AUTH_LDAP_SERVER_URI = "ldaps://ldap.corp.example.net"
AUTH_LDAP_BIND_DN = "uid=svc-pulp,ou=Services,dc=corp,dc=example,dc=net"
AUTH_LDAP_BIND_PASSWORD = "Pulp-Ldap-Qe57Fc4h"

ANALYTICS = False
