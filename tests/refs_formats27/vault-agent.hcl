# /etc/vault-agent.d/vault-agent.hcl
# Vault Agent on app hosts: renders DB credentials for the billing service.
pid_file = "/run/vault-agent/pidfile"
exit_after_auth = false

vault {
  address     = "https://vault.corp.example.net:8200"
  ca_cert     = "/etc/vault-agent.d/corp-root-ca.pem"
  tls_server_name = "vault.corp.example.net"

  retry {
    num_retries = 5
  }
}

auto_auth {
  method "approle" {
    mount_path = "auth/approle-billing"
    config = {
      role_id_file_path                   = "/etc/vault-agent.d/role_id"
      secret_id_file_path                 = "/etc/vault-agent.d/secret_id"
      remove_secret_id_file_after_reading = false
    }
  }

  sink "file" {
    config = {
      path = "/run/vault-agent/token"
      mode = 0640
    }
  }
}

cache {
  use_auto_auth_token = true
}

api_proxy {
  use_auto_auth_token = true
}

# Local apps talk to the agent instead of Vault directly
listener "tcp" {
  address     = "127.0.0.1:8100"
  tls_disable = true
}

# Sidecar metrics for the node's Prometheus
listener "tcp" {
  address     = "10.110.4.21:8300"
  tls_cert_file = "/etc/vault-agent.d/agent.crt"
  tls_key_file  = "/etc/vault-agent.d/agent.key"
  role        = "metrics_only"
}

template_config {
  static_secret_render_interval = "10m"
  exit_on_retry_failure         = true
}

template {
  source      = "/etc/vault-agent.d/templates/billing-db.ctmpl"
  destination = "/etc/billing/db.env"
  perms       = "0640"
  command     = "systemctl reload billing"
}

template {
  contents    = "{{ with secret \"database/creds/billing\" }}postgres://{{ .Data.username }}:{{ .Data.password }}@pg-billing.corp.example.net:5432/billing{{ end }}"
  destination = "/etc/billing/dsn"
}

telemetry {
  prometheus_retention_time = "24h"
  disable_hostname          = true
}
