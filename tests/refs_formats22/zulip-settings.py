################################################################
# Zulip Server settings -- /etc/zulip/settings.py on chat-app01
# Secrets (postgres_password, rabbitmq_password, ...) are in
# /etc/zulip/zulip-secrets.conf, not here.
################################################################

ZULIP_ADMINISTRATOR = "chat-admins@corp.example.net"
EXTERNAL_HOST = "chat.corp.example.net"
ALLOWED_HOSTS = ["chat.corp.example.net", "chat-app01.corp.example.net", "10.40.8.11"]

## Outgoing email
EMAIL_HOST = "smtp-relay.corp.example.net"
EMAIL_HOST_USER = "zulip@corp.example.net"
EMAIL_USE_TLS = True
EMAIL_PORT = 587
NOREPLY_EMAIL_ADDRESS = "noreply@chat.corp.example.net"

AUTHENTICATION_BACKENDS = (
    "zproject.backends.EmailAuthBackend",
    "zproject.backends.ZulipLDAPAuthBackend",
    # "zproject.backends.GitHubAuthBackend",
)

## LDAP
import ldap
from django_auth_ldap.config import LDAPSearch

AUTH_LDAP_SERVER_URI = "ldaps://ldap1.corp.example.net ldaps://ldap2.corp.example.net"
AUTH_LDAP_BIND_DN = "cn=zulip,ou=services,dc=corp,dc=example,dc=net"
AUTH_LDAP_USER_SEARCH = LDAPSearch(
    "ou=people,dc=corp,dc=example,dc=net", ldap.SCOPE_SUBTREE, "(uid=%(user)s)"
)
LDAP_APPEND_DOMAIN = "corp.example.net"
AUTH_LDAP_USER_ATTR_MAP = {"full_name": "cn", "avatar": "jpegPhoto"}

## Remote services (app tier is split from the data tier)
REMOTE_POSTGRES_HOST = "pg-zulip.db.corp.example.net"
REMOTE_POSTGRES_PORT = "5432"
REMOTE_POSTGRES_SSLMODE = "verify-full"

RABBITMQ_HOST = "10.40.8.21"
RABBITMQ_USERNAME = "zulip"

MEMCACHED_LOCATION = "10.40.8.22:11211"
MEMCACHED_USERNAME = "zulip@localhost"

REDIS_HOST = "10.40.8.23"
REDIS_PORT = 6379

## Push notifications go through the corporate relay to the bouncer
PUSH_NOTIFICATION_BOUNCER_URL = "https://push-bouncer.corp.example.net"
PUSH_NOTIFICATION_REDACT_CONTENT = True

## Incoming email (polled)
EMAIL_GATEWAY_PATTERN = "chat+%s@corp.example.net"
EMAIL_GATEWAY_LOGIN = "chat-gateway@corp.example.net"
EMAIL_GATEWAY_IMAP_SERVER = "imap.corp.example.net"
EMAIL_GATEWAY_IMAP_PORT = 993
EMAIL_GATEWAY_IMAP_FOLDER = "INBOX"

## Video calls open in the user's browser
JITSI_SERVER_URL = "https://meet.corp.example.net"

LOCAL_UPLOADS_DIR = "/home/zulip/uploads"
MAX_FILE_UPLOAD_SIZE = 50
CAMO_URI = "/external_content/"
