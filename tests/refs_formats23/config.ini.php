; <?php exit; ?> DO NOT REMOVE THIS LINE
; file automatically generated or modified by Matomo; you can manually override the default values in global.ini.php by redefining them in this file.
[database]
host = "mysql-analytics.corp.example.net"
username = "matomo"
password = "Mt09-db-Jr44Sd"
dbname = "matomo"
tables_prefix = "matomo_"
port = 3307
charset = "utf8mb4"
collation = "utf8mb4_general_ci"
enable_ssl = 1
ssl_ca = "/etc/ssl/certs/corp-root-ca.pem"

[database_reader]
host = "10.170.2.41"
username = "matomo_ro"
password = "Mt09-dbro-Wy18Gk"
dbname = "matomo"
port = 3306

[General]
salt = "Mt09salt5f2e8a1c7d3b49e06f7a2c1d8b3e"
trusted_hosts[] = "analytics.example.com"
trusted_hosts[] = "matomo.corp.example.net"
force_ssl = 1
assume_secure_protocol = 1
proxy_client_headers[] = HTTP_X_FORWARDED_FOR
proxy_host_headers[] = HTTP_X_FORWARDED_HOST
proxy_ips[] = 10.170.0.0/24
login_allowlist_ip[] = 10.0.0.0/8
login_allowlist_ip[] = 198.51.100.0/24
enable_browser_archiving_triggering = 0
noreply_email_address = "analytics-noreply@example.com"
enable_trusted_host_check = 1

[mail]
transport = "smtp"
port = 587
host = "smtp-relay.corp.example.net"
type = "Login"
username = "matomo"
password = "Mt09-smtp-Ob75Yh"
encryption = "tls"
defaultHostnameIfEmpty = "analytics.example.com"

[proxy]
type = BASIC
host = "proxy.corp.example.net"
port = 3128
exclude = "localhost,.corp.example.net,10.170.2.41"
username = "svc-matomo"
password = "Mt09-proxy-Ak02Xe"

[Cache]
backend = chained

[ChainedCache]
backends[] = array
backends[] = redis

[RedisCache]
host = "10.170.2.60"
port = 6379
timeout = 0.0
password = "Mt09-redis-Cu86Ni"
database = 14

[LoginLdap]
use_webserver_auth = 0
new_user_default_sites_view_access = "1"
servers[] = "corpdc"

[LoginLdap_corpdc]
hostname = "ldaps://dc02.corp.example.net"
port = 636
base_dn = "OU=Staff,DC=corp,DC=example,DC=net"
admin_user = "CN=svc-matomo,OU=Service Accounts,DC=corp,DC=example,DC=net"
admin_pass = "Mt09-ldap-Fq63Tn"

[Plugins]
Plugins[] = "CorePluginsAdmin"
Plugins[] = "CoreAdminHome"
Plugins[] = "LoginLdap"
Plugins[] = "QueuedTracking"
Plugins[] = "UserCountry"

[PluginsInstalled]
PluginsInstalled[] = "LoginLdap"
PluginsInstalled[] = "QueuedTracking"
