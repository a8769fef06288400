datacenter = "dc1"
data_dir   = "/opt/consul"
retry_join = ["consul-01.corp.internal", "10.0.3.12", "consul-03"]
bind_addr  = "10.0.3.11"
client_addr = "127.0.0.1"
ui_config {
  enabled = true
}
performance {
  raft_multiplier = 1
}
ports {
  grpc = 8502
}
