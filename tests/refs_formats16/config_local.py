##########################################################################
# pgAdmin 4 - local overrides for the DBA portal (server mode)
# /usr/pgadmin4/web/config_local.py -- overrides web/config.py
# Docs: https://www.pgadmin.org/docs/pgadmin4/latest/config_py.html
##########################################################################
import os

SERVER_MODE = True

# Standalone (no Apache): bind the built-in server to the portal VLAN address
DEFAULT_SERVER = '10.77.3.30'
DEFAULT_SERVER_PORT = 5050

# Host header validation (not servers pgAdmin talks to)
ALLOWED_HOSTS = ['10.77.0.0/16', '198.51.100.0/24']

DATA_DIR = '/var/lib/pgadmin'
LOG_FILE = '/var/log/pgadmin/pgadmin4.log'
SESSION_DB_PATH = os.path.join(DATA_DIR, 'sessions')
STORAGE_DIR = os.path.join(DATA_DIR, 'storage')
SESSION_EXPIRATION_TIME = 1
MAX_SESSION_IDLE_TIME = 30
MAX_LOGIN_ATTEMPTS = 5
ENHANCED_COOKIE_PROTECTION = True

# Settings database (users, server definitions) lives in PostgreSQL
CONFIG_DATABASE_URI = 'postgresql://pgadmin_cfg:Qp4-pga-cfg-Wd71Mx@pg-tools.db.corp.example.net:5432/pgadmin4?options=-csearch_path=pgadmin'

# Password reset / notification mail
MAIL_SERVER = 'smtp-relay.corp.example.net'
MAIL_PORT = 587
MAIL_USE_SSL = False
MAIL_USE_TLS = True
MAIL_USERNAME = 'pgadmin'
MAIL_PASSWORD = 'Qp4-pga-smtp-Ke38'
SECURITY_EMAIL_SENDER = 'dba-portal@example.com'

# Authentication: LDAP first, then OAuth2 (Keycloak), internal only for break-glass
AUTHENTICATION_SOURCES = ['ldap', 'oauth2', 'internal']

LDAP_AUTO_CREATE_USER = True
LDAP_CONNECTION_TIMEOUT = 10
LDAP_SERVER_URI = 'ldaps://ldap.corp.example.net'
LDAP_USERNAME_ATTRIBUTE = 'uid'
LDAP_BASE_DN = 'ou=people,dc=corp,dc=example,dc=net'
LDAP_BIND_USER = 'cn=svc-pgadmin,ou=services,dc=corp,dc=example,dc=net'
LDAP_BIND_PASSWORD = 'Qp4-pga-ldap-Zq09'
LDAP_SEARCH_FILTER = '(memberOf=cn=dba,ou=groups,dc=corp,dc=example,dc=net)'
LDAP_CA_CERT_FILE = '/etc/ssl/certs/corp-root-ca.pem'
# LDAP_SERVER_URI = 'ldap://10.77.0.5:389'   # old AD DC, gone

OAUTH2_AUTO_CREATE_USER = True
OAUTH2_CONFIG = [
    {
        'OAUTH2_NAME': 'corp-sso',
        'OAUTH2_DISPLAY_NAME': 'ExampleCorp SSO',
        'OAUTH2_CLIENT_ID': 'pgadmin',
        'OAUTH2_CLIENT_SECRET': 'Qp4-pga-oidc-Vb55Rt',
        'OAUTH2_SERVER_METADATA_URL': 'https://sso.corp.example.net/realms/staff/.well-known/openid-configuration',
        'OAUTH2_SCOPE': 'openid email profile',
        'OAUTH2_USERNAME_CLAIM': 'preferred_username',
        'OAUTH2_ICON': 'fa-key',
        'OAUTH2_BUTTON_COLOR': '#2b5797',
    }
]

# Version check against our internal mirror of www.pgadmin.org/versions.json
UPGRADE_CHECK_ENABLED = True
UPGRADE_CHECK_URL = 'https://mirror.corp.example.net/pgadmin/versions.json'
UPGRADE_CHECK_KEY = 'pgadmin4'
