datacenter = "fra1"
data_dir   = "/opt/nomad"
bind_addr  = "10.0.110.5"
name       = "nomad-client-05"

advertise {
  http = "10.0.110.5"
  rpc  = "10.0.110.5"
}

client {
  enabled = true
  servers = ["nomad-01.service.internal:4647", "10.0.110.2:4647"]
  node_class = "web"
}

consul {
  address = "127.0.0.1:8500"
}

vault {
  enabled = true
  address = "https://vault.service.internal:8200"
}

plugin "docker" {
  config {
    allow_privileged = false
  }
}
