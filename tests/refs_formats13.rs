//! The scanner on an eleventh set of formats, written blind (issue 26): Cassandra,
//! Elasticsearch, Prometheus, an OpenVPN client, PowerDNS, FreeRADIUS's proxy.conf, rsyslog,
//! Varnish, Docker's daemon.json, containerd, an Ansible inventory, Laravel's `.env`, Rails's
//! database.yml, MediaWiki, mod_jk's workers.properties, Kafka in KRaft mode, Headscale, an autofs
//! map, Aerospike and Garage. It was held out while the rules of the tenth set were written,
//! then scored once by the tester's script: recall 0.83, precision 0.68, ports 0.95, the same as
//! the build before those rules. The rules written from it then (where a service listens by
//! its block: Aerospike's `service {`, containerd's `[debug]` and `[metrics]`, rsyslog's
//! `input(`; by a key of its own: `metrics-addr`, `src_ipaddr`; the names it tells:
//! `broadcast_rpc_address`, `publish_host`; an HTTP `Host:` header, a certificate's `CN=`,
//! rsyslog's `isequal` and `PermittedPeer`) bring it to 0.87, 0.74 and 0.95. Still taken for
//! servers: loopback connects, a header value Varnish sets, containerd's `[grpc]` and
//! `stream_server_address`, Docker's `ip`, Ansible's group variables and Headscale's DNS
//! settings.

mod corpus;

corpus::written_blind!(
    "refs_formats13",
    floors: (0.89, 0.76, 0.97),
    secrets: [
        "pa55-w0rd",
        "r3d1s-Pr0d",
        "M4il-S3nd",
        "Xk8!vq2mLs",
        "pu11-0nly-T0ken",
        "w1k1-DB-s3cret",
        "Hs-Pg-p4ss",
        "q7Rj#v9LpW",
        "K4fk4-ks-pw",
        "s3cr3t-radius-01",
        "Edur0am-FLR-k3y",
        "AjpS3cr3t-2024",
        "Pdn5-Sup3r-S3cret",
        "w3bP4ss",
    ],
);
