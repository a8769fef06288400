# consul-template configuration
# https://github.com/hashicorp/consul-template/blob/main/docs/configuration.md

log_level = "info"
pid_file  = "/var/run/consul-template.pid"
kill_signal = "SIGINT"

consul {
  address = "consul.service.dc1.example.com:8501"
  token   = "00000000-0000-0000-0000-000000000000"

  auth {
    enabled  = false
  }

  retry {
    enabled     = true
    attempts    = 12
    backoff     = "250ms"
    max_backoff = "1m"
  }

  ssl {
    enabled     = true
    verify      = true
    ca_cert     = "/etc/consul.d/ca.pem"
    server_name = "server.dc1.consul"
  }
}

vault {
  address     = "https://vault.example.com:8200"
  renew_token = true
  vault_agent_token_file = "/run/vault/token"

  retry {
    attempts = 5
  }

  ssl {
    enabled = true
    ca_cert = "/etc/vault.d/ca.pem"
  }
}

syslog {
  enabled  = true
  facility = "LOCAL5"
}

deduplicate {
  enabled = false
  prefix  = "consul-template/dedup/"
}

template {
  source      = "/etc/consul-template/templates/haproxy.cfg.ctmpl"
  destination = "/etc/haproxy/haproxy.cfg"
  command     = "systemctl reload haproxy"
  perms       = 0644
  backup      = true
  wait {
    min = "2s"
    max = "10s"
  }
}

template {
  contents    = "{{ with secret \"database/creds/app\" }}DATABASE_URL=postgres://{{ .Data.username }}:{{ .Data.password }}@pg.db.example.net:5432/app{{ end }}"
  destination = "/etc/app/env"
  command     = "/usr/local/bin/notify-reload --target app01.example.com"
}

exec {
  command = "/usr/local/bin/app --upstream=backend.example.org:9000"
  kill_timeout = "5s"
}
