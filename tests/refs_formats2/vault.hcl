ui = true

listener "tcp" {
  address         = "10.0.240.11:8200"
  cluster_address = "10.0.240.11:8201"
  tls_cert_file   = "/etc/vault/tls/vault.crt"
}

storage "raft" {
  path    = "/opt/vault/data"
  node_id = "vault-01"
  retry_join {
    leader_api_addr = "https://vault-02.service.internal:8200"
  }
  retry_join {
    leader_api_addr = "https://10.0.240.13:8200"
  }
}

seal "transit" {
  address    = "https://vault-unseal.service.internal:8200"
  key_name   = "autounseal"
  mount_path = "transit/"
}
