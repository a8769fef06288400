# Boundary controller config - ctrl01 (10.22.0.11), managed by terraform + cloud-init
# https://developer.hashicorp.com/boundary/docs/configuration/controller

disable_mlock = true

controller {
  name        = "ctrl01"
  description = "Boundary controller, fra1 (ctrl01.example.com)"
  database {
    # url = "env://BOUNDARY_PG_URL"
    url = "postgresql://boundary:${PG_PASS}@pg-boundary.example.com:5432/boundary?sslmode=verify-full"
    max_open_connections = 25
  }
  public_cluster_addr = "ctrl01.example.com:9201"
  graceful_shutdown_wait_duration = "10s"
}

listener "tcp" {
  address              = "10.22.0.11:9200"
  purpose              = "api"
  tls_disable          = false
  tls_cert_file        = "/etc/boundary/tls/ctrl01.example.com.crt"
  tls_key_file         = "/etc/boundary/tls/ctrl01.example.com.key"
  cors_enabled         = true
  cors_allowed_origins = ["https://boundary.example.com", "serve://boundary"]
}

listener "tcp" {
  address = "10.22.0.11"
  purpose = "cluster"
}

listener "tcp" {
  address     = "0.0.0.0:9203"
  purpose     = "ops"
  tls_disable = true
}

kms "transit" {
  purpose         = "root"
  address         = "https://vault.example.com:8200"
  disable_renewal = "false"
  key_name        = "boundary-root"
  mount_path      = "transit/"
  namespace       = "ops/"
  tls_server_name = "vault.example.com"
  tls_ca_cert     = "/etc/boundary/vault-ca.pem"
}

kms "transit" {
  purpose    = "worker-auth"
  address    = "https://10.22.1.5:8200"
  key_name   = "boundary-worker-auth"
  mount_path = "transit/"
}

kms "transit" {
  purpose    = "recovery"
  address    = "https://vault.example.com:8200"
  key_name   = "boundary-recovery"
  mount_path = "transit/"
}

events {
  audit_enabled       = true
  sysevents_enabled   = true
  observations_enable = true
  sink "stderr" {
    name        = "all-events"
    event_types = ["*"]
    format      = "cloudevents-json"
  }
}
