# /etc/chef/client.rb -- managed by the chef-client cookbook, do not edit.
# Settings reference: https://docs.chef.io/config_rb_client/
# Node: db-replica-03.corp.example.net   Owner: config-mgmt@example.com

chef_license 'accept'

log_level        :info
log_location     '/var/log/chef/client.log'
verbose_logging  false

# Chef Infra Server (org "platform")
chef_server_url  'https://chef.corp.example.net/organizations/platform'
# old standalone server, decommissioned:
# chef_server_url 'https://chef-old.corp.example.net:8443/organizations/platform'

node_name              'db-replica-03.corp.example.net'
validation_client_name 'platform-validator'
validation_key         '/etc/chef/platform-validator.pem'
client_key             '/etc/chef/client.pem'
trusted_certs_dir      '/etc/chef/trusted_certs'
ssl_verify_mode        :verify_peer
verify_api_cert        true

environment   'production'
policy_group  'prod-db'
policy_name   'postgres-replica'

file_cache_path  '/var/cache/chef'
file_backup_path '/var/lib/chef/backup'
file_staging_uses_destdir true
pid_file '/var/run/chef/client.pid'

interval 1800
splay    300

# Egress goes through the corporate proxy; internal names are direct.
http_proxy       'http://proxy.corp.example.net:3128'
http_proxy_user  'chef-egress'
http_proxy_pass  'Zx7-chef-proxy-Rt4bY8'
https_proxy      'http://proxy.corp.example.net:3128'
no_proxy         'localhost,127.0.0.1,.corp.example.net,169.254.169.254'

# Gems for cookbook dependencies come from the internal mirror.
rubygems_url 'https://gems.corp.example.net/'

# Run reports and compliance data to Chef Automate.
data_collector.server_url 'https://automate.corp.example.net/data-collector/v0/'
data_collector.token      'Zx7-chef-automate-Pn9sK2'

# Keep only the attributes the CMDB needs.
allowed_automatic_attributes [
  'fqdn',
  'ipaddress',
  'platform',
  'platform_version',
  'network/interfaces/eth0/addresses',
]

ohai.disabled_plugins = [:Passwd, :Sessions]

exception_handlers << Chef::Handler::ErrorReport.new
