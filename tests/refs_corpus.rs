//! The reference scanner over real-world config formats: the exact references each must yield,
//! and the traps it must not fall into.

use comeback::refs::{ScanOptions, scan};

/// `line host[:port]` for each reference, in order; ` listen`, ` member` and ` weak` where they
/// apply.
fn found(file: &str) -> Vec<String> {
    let path = format!("{}/tests/refs/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("corpus file");
    scan(&text, &ScanOptions::default())
        .into_iter()
        .map(|r| format!("{} {}", r.line, r.summary()))
        .collect()
}

#[test]
fn galera() {
    assert_eq!(
        found("galera.cnf"),
        [
            "6 10.0.0.11 member",
            "6 10.0.0.12 member",
            "6 db-03.prod.internal member",
            "7 10.0.0.11 listen"
        ]
    );
}

#[test]
fn haproxy_server_lines_name_the_address_not_the_server_name() {
    assert_eq!(
        found("haproxy.cfg"),
        [
            "19 10.0.0.21:8080",
            "20 web-02.prod.internal:8080",
            "21 10.0.0.23:8080"
        ]
    );
}

#[test]
fn nginx_upstreams_proxies_but_not_server_names_or_sockets() {
    assert_eq!(
        found("nginx.conf"),
        [
            "8 10.0.0.21:8080",
            "9 app-02.prod.internal:8080",
            "20 api.prod.internal:9000"
        ]
    );
}

#[test]
fn postfix_relayhost_but_not_own_names_or_networks() {
    assert_eq!(found("main.cf"), ["7 smtp.relay.example.net:587"]);
}

#[test]
fn redis_sentinel() {
    assert_eq!(
        found("sentinel.conf"),
        [
            "4 10.0.0.31:6379 member",
            "7 10.0.0.32:6379 member",
            "8 10.0.0.33:26379 member",
            "9 redis-old.prod.internal:6379 member"
        ]
    );
}

#[test]
fn elasticsearch_seed_hosts_list_but_not_node_names() {
    assert_eq!(
        found("elasticsearch.yml"),
        [
            "5 10.0.0.51 listen",
            "8 es-01",
            "9 es-02.prod.internal",
            "10 10.0.0.53:9300"
        ]
    );
}

#[test]
fn kafka_advertised_listener_and_zookeeper_chroot_list() {
    assert_eq!(
        found("server.properties"),
        [
            "4 kafka-01.prod.internal:9092 weak",
            "7 zk1:2181",
            "7 zk2:2181",
            "7 zk3.prod.internal:2181"
        ]
    );
}

#[test]
fn cassandra_seeds_and_listen_address() {
    assert_eq!(
        found("cassandra.yaml"),
        [
            "6 10.0.0.61",
            "6 10.0.0.62:7000",
            "6 cass-03.prod.internal",
            "7 10.0.0.61 listen"
        ]
    );
}

#[test]
fn postgresql_conninfo_and_archive_target() {
    assert_eq!(
        found("postgresql.auto.conf"),
        [
            "2 10.0.0.11 listen",
            "3 pg-primary.prod.internal:5433 member",
            "4 backup-01.prod.internal"
        ]
    );
}

#[test]
fn dotenv_urls_with_credentials_and_bare_host_variables_with_sibling_ports() {
    assert_eq!(
        found("app.env"),
        [
            "3 db-vip.prod.internal:5432",
            "4 cache-01:6379",
            "5 mq-01.prod.internal:5672",
            "6 mail-01:587",
            "8 sentry.example.com:443"
        ]
    );
}

#[test]
fn rsyslog_forwarding_tcp_and_udp() {
    assert_eq!(
        found("rsyslog.conf"),
        ["3 logs.prod.internal:514", "4 10.0.0.70:514"]
    );
}

#[test]
fn chrony_pools_and_servers() {
    assert_eq!(
        found("chrony.conf"),
        [
            "1 2.debian.pool.ntp.org",
            "2 ntp1.prod.internal",
            "3 10.0.0.80"
        ]
    );
}

#[test]
fn prometheus_targets() {
    assert_eq!(
        found("prometheus.yml"),
        [
            "8 alertmanager.prod.internal:9093",
            "12 node-01:9100",
            "12 node-02:9100",
            "12 10.0.0.93:9100",
            "17 shop.example.com:443"
        ]
    );
}

#[test]
fn log4j_syslog_appender_but_not_packages_or_file_names() {
    assert_eq!(found("log4j2.xml"), ["7 syslog.prod.internal:6514"]);
}

#[test]
fn traps_are_not_references() {
    assert_eq!(found("traps.conf"), Vec::<String>::new());
}

#[test]
fn credentials_never_reach_the_output() {
    for file in [
        "app.env",
        "postgresql.auto.conf",
        "galera.cnf",
        "sentinel.conf",
    ] {
        let path = format!("{}/tests/refs/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("corpus file");
        for r in scan(&text, &ScanOptions::default()) {
            for secret in [
                "s3cr3tP4ss",
                "cacheP4ss",
                "mqP4ss",
                "abc123def",
                "r3pl1c@te",
                "Sup3rSecret",
                "Str0ngPass",
            ] {
                assert!(!r.text.contains(secret), "{file}: {secret} in {:?}", r.text);
            }
        }
    }
}

#[test]
fn columns_point_at_the_reference() {
    let text = "x = 1\nupstream = cache-01:6379\n";
    let refs = scan(text, &ScanOptions::default());
    assert_eq!((refs[0].line, refs[0].column), (2, 12));
}

#[test]
fn plan_patterns_and_ignores() {
    let options = ScanOptions {
        ignore: vec!["*.example.com".into(), "legacy-db".into()],
        patterns: vec![
            regex::Regex::new(r"peer_node\((?P<host>[a-z0-9-]+),\s*(?P<port>\d+)\)")
                .expect("regex"),
        ],
    };
    let text = "peers = legacy-db, a.example.com, new-db\ncustom = peer_node(ring-7, 7001)\n";
    let refs: Vec<(String, Option<u16>)> = scan(text, &options)
        .into_iter()
        .map(|r| (r.host, r.port))
        .collect();
    assert_eq!(
        refs,
        [
            ("new-db".to_string(), None),
            ("ring-7".to_string(), Some(7001))
        ]
    );
}
