## GitLab configuration settings
##! This file is generated during initial installation and **is not** modified
##! during upgrades.
##! Check out the latest version of this file to know about the different
##! settings that can be configured by this file, which may be found at:
##! https://gitlab.com/gitlab-org/omnibus-gitlab/raw/master/files/gitlab-config-template/gitlab.rb.template

external_url 'https://gitlab.corp.example.com'
registry_external_url 'https://registry.corp.example.com:5050'

### Email settings
gitlab_rails['gitlab_email_enabled'] = true
gitlab_rails['gitlab_email_from'] = 'gitlab@corp.example.com'
gitlab_rails['gitlab_email_reply_to'] = 'noreply@corp.example.com'

gitlab_rails['smtp_enable'] = true
gitlab_rails['smtp_address'] = "smtp.corp.example.com"
gitlab_rails['smtp_port'] = 587
gitlab_rails['smtp_user_name'] = "gitlab"
gitlab_rails['smtp_password'] = "smtp-pass-2020"
gitlab_rails['smtp_domain'] = "corp.example.com"
gitlab_rails['smtp_authentication'] = "login"
gitlab_rails['smtp_enable_starttls_auto'] = true

### LDAP
gitlab_rails['ldap_enabled'] = true
gitlab_rails['ldap_servers'] = YAML.load <<-'EOS'
  main:
    label: 'Corp AD'
    host: 'dc01.corp.example.com'
    port: 636
    uid: 'sAMAccountName'
    bind_dn: 'CN=svc-gitlab,OU=Service,DC=corp,DC=example,DC=com'
    password: 'ldap-bind-pw'
    encryption: 'simple_tls'
    active_directory: true
    base: 'OU=Users,DC=corp,DC=example,DC=com'
  secondary:
    label: 'Lab LDAP'
    host: '10.40.0.5'
    port: 389
    uid: 'uid'
    base: 'ou=people,dc=lab,dc=example,dc=com'
EOS

### External PostgreSQL
postgresql['enable'] = false
gitlab_rails['db_adapter'] = "postgresql"
gitlab_rails['db_encoding'] = "unicode"
gitlab_rails['db_host'] = "10.80.0.40"
gitlab_rails['db_port'] = 5432
gitlab_rails['db_username'] = "gitlab"
gitlab_rails['db_password'] = "pg-gitlab-pw"

### External Redis
redis['enable'] = false
gitlab_rails['redis_host'] = "redis-gl.corp.example.com"
gitlab_rails['redis_port'] = 6380
gitlab_rails['redis_password'] = "redis-gl-pw"

### Object storage (MinIO)
gitlab_rails['object_store']['enabled'] = true
gitlab_rails['object_store']['connection'] = {
  'provider' => 'AWS',
  'region' => 'us-east-1',
  'aws_access_key_id' => 'gitlab',
  'aws_secret_access_key' => 'minio-secret-key',
  'endpoint' => 'http://minio.corp.example.com:9000',
  'path_style' => true
}

### Web server / listeners
nginx['listen_addresses'] = ['10.80.0.50']
nginx['listen_port'] = 443
nginx['real_ip_trusted_addresses'] = ['10.80.0.2', '10.80.0.3']
gitlab_workhorse['listen_network'] = "tcp"
gitlab_workhorse['listen_addr'] = "127.0.0.1:8181"
prometheus['listen_address'] = '10.80.0.50:9090'
node_exporter['listen_address'] = '0.0.0.0:9100'

gitlab_rails['monitoring_whitelist'] = ['127.0.0.0/8', '10.60.0.0/24']
gitlab_rails['trusted_proxies'] = ['10.80.0.2']

### Container registry
registry['registry_http_addr'] = "127.0.0.1:5000"
gitlab_rails['registry_api_url'] = "http://127.0.0.1:5000"

### Backups to the NAS
gitlab_rails['backup_upload_connection'] = {
  'provider' => 'AWS',
  'endpoint' => 'https://s3.backup.corp.example.com',
  'aws_access_key_id' => 'backup'
}
gitlab_rails['backup_upload_remote_directory'] = 'gitlab-backups'
