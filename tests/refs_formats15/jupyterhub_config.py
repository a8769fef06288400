# /etc/jupyterhub/jupyterhub_config.py -- research notebooks (hub.example.com)
# Options: https://jupyterhub.readthedocs.io/en/stable/reference/api/app.html
# LDAP: https://github.com/jupyterhub/ldapauthenticator
# Owner: research-computing@example.com

c = get_config()  # noqa

# --- Network -------------------------------------------------------------
# Public proxy endpoint (configurable-http-proxy started by the hub).
c.JupyterHub.bind_url = 'http://10.140.0.8:8000'
# The hub API must be reachable from the single-user servers on the
# compute nodes, so it binds to the cluster network.
c.JupyterHub.hub_ip = '10.140.0.8'
c.JupyterHub.hub_port = 8081
# Users reach us through the corporate load balancer.
c.JupyterHub.public_url = 'https://hub.example.com/'

# --- State ---------------------------------------------------------------
c.JupyterHub.db_url = 'postgresql://jupyterhub:Zx7-jhub-db-Aw5sD3@pg-research.corp.example.net/jupyterhub'
c.JupyterHub.cookie_secret_file = '/srv/jupyterhub/jupyterhub_cookie_secret'
c.ConfigurableHTTPProxy.auth_token = 'Zx7-jhub-proxy-Ke2lP6'
c.ConfigurableHTTPProxy.pid_file = '/run/jupyterhub/proxy.pid'

# --- Authentication ------------------------------------------------------
c.JupyterHub.authenticator_class = 'ldapauthenticator.LDAPAuthenticator'
c.LDAPAuthenticator.server_address = 'ldap-research.corp.example.net'
c.LDAPAuthenticator.server_port = 636
c.LDAPAuthenticator.use_ssl = True
c.LDAPAuthenticator.lookup_dn = True
c.LDAPAuthenticator.lookup_dn_search_user = 'uid=jhub-bind,ou=services,dc=corp,dc=example,dc=net'
c.LDAPAuthenticator.lookup_dn_search_password = 'Zx7-jhub-ldap-Uo9iY4'
c.LDAPAuthenticator.user_search_base = 'ou=people,dc=corp,dc=example,dc=net'
c.LDAPAuthenticator.user_attribute = 'uid'
c.LDAPAuthenticator.allowed_groups = [
    'cn=research,ou=groups,dc=corp,dc=example,dc=net',
]
c.Authenticator.admin_users = {'rc-admin', 'jdoe'}

# --- Spawner -------------------------------------------------------------
c.Spawner.default_url = '/lab'
c.Spawner.mem_limit = '8G'
c.Spawner.cpu_limit = 2.0
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 60
# Handed to every user server; the hub itself never uses these.
c.Spawner.environment = {
    'HTTPS_PROXY': 'http://proxy.corp.example.net:3128',
    'PIP_INDEX_URL': 'https://pypi-mirror.corp.example.net/simple',
}

# --- Services ------------------------------------------------------------
c.JupyterHub.services = [
    {
        # external grading service on its own VM; the proxy routes to it
        'name': 'nbgrader-exchange',
        'url': 'http://10.140.2.20:9999',
        'api_token': 'Zx7-jhub-grader-Hr7tN1',
    },
    {
        'name': 'idle-culler',
        'command': ['python3', '-m', 'jupyterhub_idle_culler', '--timeout=3600'],
    },
]
c.JupyterHub.load_roles = [
    {
        'name': 'idle-culler',
        'scopes': ['list:users', 'read:users:activity', 'servers'],
        'services': ['idle-culler'],
    }
]

c.JupyterHub.log_level = 'INFO'
c.JupyterHub.shutdown_on_logout = False
