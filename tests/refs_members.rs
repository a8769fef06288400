//! Member references through the real binary: `comeback refs --format json` over one config
//! per cluster daemon as it is found on a host (`tests/refs_members/`: Galera, Redis and
//! Sentinel, PostgreSQL, etcd in its three places, ZooKeeper, RabbitMQ in both formats) must
//! report each member the file names as `kind: member`, with its host, port and line, show no
//! password, and name no member anywhere else. Hostile text under these keys never panics.

use assert_cmd::Command;
use comeback::refs::{Kind, ScanOptions, scan};
use proptest::prelude::*;
use std::path::PathBuf;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/refs_members");

/// `(file, line, host, port)` of every member the corpus names, reviewed by hand.
const MEMBERS: &[(&str, usize, &str, Option<u16>)] = &[
    // Galera: the port only where the address writes one.
    ("60-galera.cnf", 6, "db-01.prod.internal", None),
    ("60-galera.cnf", 6, "db-02.prod.internal", None),
    ("60-galera.cnf", 6, "10.0.0.13", Some(4567)),
    // Debian's /etc/default/etcd.
    ("default-etcd", 6, "10.0.2.11", Some(2380)),
    ("default-etcd", 6, "etcd-2", Some(2380)),
    ("default-etcd", 6, "etcd-3.prod.internal", Some(2380)),
    ("etcd.conf.yml", 8, "10.0.1.10", Some(2380)),
    ("etcd.conf.yml", 8, "10.0.1.11", Some(2380)),
    ("etcd.conf.yml", 8, "etcd-2.prod.internal", Some(2380)),
    // `--initial-cluster` on a command line continued over lines.
    ("etcd.service", 9, "10.0.3.1", Some(2380)),
    ("etcd.service", 9, "10.0.3.2", Some(2380)),
    ("etcd.service", 9, "node-c", Some(2380)),
    ("postgresql.auto.conf", 4, "pg-01.prod.internal", Some(5432)),
    ("rabbitmq.conf", 3, "mq-01", None),
    ("rabbitmq.conf", 4, "mq-02.prod.internal", None),
    ("rabbitmq.conf", 5, "mq-03", None),
    // The Erlang list over three lines, a commented-out node among them.
    ("rabbitmq.config", 4, "mq-old-01", None),
    ("rabbitmq.config", 4, "mq-old-02", None),
    ("rabbitmq.config", 6, "mq-old-03.prod.internal", None),
    ("recovery.conf", 3, "10.0.0.41", Some(5433)),
    ("redis-old.conf", 3, "10.0.0.31", Some(6379)),
    ("redis.conf", 6, "cache-01.prod.internal", Some(6379)),
    ("sentinel.conf", 6, "10.0.0.31", Some(6379)),
    ("sentinel.conf", 14, "cache-02.prod.internal", Some(6379)),
    ("sentinel.conf", 15, "10.0.0.33", Some(6380)),
    ("sentinel.conf", 16, "10.0.0.32", Some(26379)),
    ("sentinel.conf", 17, "cache-03", Some(26379)),
    // ZooKeeper: the quorum port, for participants and observers alike.
    ("zoo.cfg", 8, "zk1.prod.internal", Some(3888)),
    ("zoo.cfg", 9, "zk2", Some(3888)),
    ("zoo.cfg", 10, "10.0.4.13", Some(3888)),
    ("zoo.cfg", 11, "zk-observer", Some(3888)),
];

/// Every password the corpus holds, in conninfo strings, URLs, Sentinel and Redis directives,
/// Galera's SST credentials and RabbitMQ's default user.
const SECRETS: &[&str] = &[
    "Sst5ecretPw",
    "S3ntinelAuth",
    "R3disLocalPw",
    "R3plicaAuth",
    "Pg4ssw0rdRepl",
    "Ur1Passw0rd",
    "Rabb1tDefault",
    "Rabb1tClassic",
    "Sh0pDbPass",
];

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(DIR)
        .expect("corpus dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

/// `comeback refs --format FORMAT` over `files`: its stdout.
fn refs(format: &str, files: &[PathBuf]) -> String {
    let out = Command::cargo_bin("comeback")
        .expect("binary")
        .args(["refs", "--format", format])
        .args(files)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).expect("utf-8")
}

fn json(files: &[PathBuf]) -> Vec<serde_json::Value> {
    let parsed: serde_json::Value = serde_json::from_str(&refs("json", files)).expect("json");
    parsed.as_array().expect("an array").clone()
}

fn file_name(entry: &serde_json::Value) -> String {
    let path = entry["file"].as_str().expect("file");
    path.rsplit('/').next().expect("name").to_string()
}

#[test]
fn each_daemon_config_names_its_members_with_host_port_and_line() {
    let entries = json(&corpus());
    let members: Vec<(String, usize, String, Option<u16>)> = entries
        .iter()
        .filter(|e| e["kind"] == "member")
        .map(|e| {
            (
                file_name(e),
                e["line"].as_u64().expect("line") as usize,
                e["host"].as_str().expect("host").to_string(),
                e["port"].as_u64().map(|p| p as u16),
            )
        })
        .collect();
    let expected: Vec<(String, usize, String, Option<u16>)> = MEMBERS
        .iter()
        .map(|&(f, l, h, p)| (f.to_string(), l, h.to_string(), p))
        .collect();
    assert_eq!(members, expected);
    // Every member is strong evidence, and its column points at its text in the file.
    for e in entries.iter().filter(|e| e["kind"] == "member") {
        assert_eq!(e["strength"], "strong", "{e}");
        let file = std::fs::read_to_string(e["file"].as_str().expect("file")).expect("read");
        let line = file
            .lines()
            .nth(e["line"].as_u64().expect("line") as usize - 1)
            .expect("the line");
        let column = e["column"].as_u64().expect("column") as usize;
        let at: String = line.chars().skip(column - 1).collect();
        let text = e["text"].as_str().expect("text");
        let shown = text.split("****").next().expect("text before a mask");
        assert!(at.starts_with(shown), "{e}: column {column} of {line:?}");
        assert!(text.contains(e["host"].as_str().expect("host")), "{e}");
    }
}

#[test]
fn a_bootstrap_address_and_a_primary_name_no_one() {
    for file in ["galera-bootstrap.cnf", "redis-primary.conf"] {
        let entries = json(&[PathBuf::from(DIR).join(file)]);
        assert!(entries.is_empty(), "{file}: {entries:?}");
    }
}

#[test]
fn lookalikes_outside_a_cluster_config_are_connections_not_members() {
    let entries = json(&[PathBuf::from(DIR).join("not-members.conf")]);
    let found: Vec<(u64, &str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().expect("line"),
                e["host"].as_str().expect("host"),
                e["kind"].as_str().expect("kind"),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (3, "app-01.prod.internal", "connect"),
            (4, "app-02", "connect"),
            (5, "pg-09.prod.internal", "connect"),
            (6, "db-09.prod.internal", "connect"),
        ]
    );
}

#[test]
fn passwords_never_appear_in_either_format() {
    let files = corpus();
    let all: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("read"))
        .collect();
    for format in ["json", "text"] {
        let out = refs(format, &files);
        for secret in SECRETS {
            assert!(all.contains(secret), "{secret} is not in the corpus");
            assert!(!out.contains(secret), "{format}: {secret} shown:\n{out}");
        }
    }
}

#[test]
fn the_text_format_marks_members() {
    let out = refs("text", &[PathBuf::from(DIR).join("zoo.cfg")]);
    assert!(out.contains("\tzk2:3888 (member)\t"), "{out}");
}

/// The keys and prefixes of every member form, as they start a line.
const KEYS: &[&str] = &[
    "wsrep_cluster_address = ",
    "wsrep_cluster_address=\"gcomm://",
    "wsrep-cluster-address='gcomm://",
    "--wsrep_cluster_address=gcomm://",
    "initial-cluster: ",
    "ETCD_INITIAL_CLUSTER=\"",
    "--initial-cluster ",
    "--initial-cluster=",
    "server.1=",
    "server.12 = ",
    "cluster_formation.classic_config.nodes.1 = ",
    "{cluster_nodes, {[",
    "  {cluster_nodes, {['rabbit@",
    "primary_conninfo = '",
    "primary_conninfo = 'postgresql://",
    "sentinel monitor m ",
    "sentinel known-sentinel m ",
    "replicaof ",
    "slaveof ",
];

/// What the values of these forms are made of, and what breaks them: quotes, separators,
/// schemes, brackets, newlines, non-ASCII.
fn hostile_value() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        r#"([a-z0-9.:/@\[\],=;'" #%{}()\-_\t]|\n|gcomm://|http://|rabbit@|host=|hostaddr=|port=|password=|::|\\|ü|é|'rabbit@h'|:2888:3888|a=http://){0,120}"#,
    )
    .expect("valid strategy")
}

fn hostile_lines() -> impl Strategy<Value = String> {
    proptest::collection::vec((proptest::sample::select(KEYS), hostile_value()), 1..8).prop_map(
        |lines| {
            lines
                .into_iter()
                .map(|(key, value)| format!("{key}{value}\n"))
                .collect()
        },
    )
}

/// What the property below once found (CI, 2026-12-07): an IPv6 "zone" that ran on to a `@`.
#[test]
fn an_ipv6_zone_glued_to_a_user_info_is_no_member() {
    for text in [
        "wsrep_cluster_address=\"gcomm://::a%rabbit@\n",
        "wsrep_cluster_address=gcomm://::a%r@h,db-02\n",
    ] {
        let hosts: Vec<String> = scan(text, &ScanOptions::default())
            .into_iter()
            .map(|r| r.host)
            .collect();
        assert!(
            hosts.iter().all(|h| !h.contains('@')),
            "{text:?}: {hosts:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn hostile_text_under_member_keys_never_panics(text in hostile_lines()) {
        let lines: Vec<&str> = text.lines().collect();
        for r in scan(&text, &ScanOptions::default()) {
            prop_assert!(r.line >= 1 && r.line <= lines.len());
            prop_assert!(r.column >= 1 && r.column <= lines[r.line - 1].chars().count());
            prop_assert!(!r.host.is_empty());
            if r.kind == Kind::Member {
                prop_assert!(
                    !r.host.contains(|c: char| c.is_whitespace() || "'\",=@/;".contains(c)),
                    "{:?}", r
                );
            }
        }
    }

    #[test]
    fn a_password_beside_a_member_never_appears(
        host in "[a-z][a-z0-9-]{0,10}[a-z0-9](\\.prod\\.internal)?",
        password in "[A-Z0-9!$^*~+]{6,20}",
        form in 0usize..4,
    ) {
        // Words the scanner never takes for a host's name (a switch, a protocol, an address
        // family: `host=tls` was drawn once).
        prop_assume!(![
            "on", "off", "yes", "no", "true", "false", "none", "null", "nil", "auto", "dynamic",
            "default", "any", "all", "disabled", "enabled", "iburst", "prefer", "check", "backup",
            "weight", "ssl", "tls", "required", "optional", "unix", "file", "tcp", "udp", "http",
            "https", "ipv4", "ipv6", "inet", "inet6",
        ]
        .contains(&host.as_str()));
        let text = match form {
            0 => format!("primary_conninfo = 'user=replicator password={password} host={host} port=5432'"),
            1 => format!("primary_conninfo = 'host={host} password=''{password}'' port=5432'"),
            2 => format!("primary_conninfo = 'postgresql://replicator:{password}@{host}:5432/postgres'"),
            _ => format!("initial-cluster: a=https://root:{password}@{host}:2380,b=http://{host}-2:2380"),
        };
        let refs = scan(&text, &ScanOptions::default());
        prop_assert!(
            refs.iter().any(|r| r.host == host && r.kind == Kind::Member),
            "{text:?}: {refs:?}"
        );
        for r in &refs {
            prop_assert!(!r.text.contains(&password), "{:?} leaks {}", r.text, password);
            prop_assert!(!r.host.contains(&password));
        }
    }
}

#[test]
fn megabytes_of_junk_under_member_keys_finish() {
    // Each case is a line (or a list of lines) of a megabyte or so that almost matches; a form
    // that read to the end of the line once per match would not finish.
    let cases: Vec<(String, usize)> = vec![
        // One address, listed again and again: a line names a host once.
        (
            format!("wsrep_cluster_address = gcomm://{}", "db,".repeat(400_000)),
            1,
        ),
        ("wsrep_cluster_address=".repeat(60_000), 0),
        ("initial-cluster=".repeat(80_000), 0),
        (
            format!("initial-cluster: {}", "a=http://h:2380,".repeat(80_000)),
            1,
        ),
        (format!("initial-cluster: {}", "=://,".repeat(250_000)), 0),
        (format!("server.1={}", "zk:2888:".repeat(150_000)), 0),
        (
            format!("server.1=zk:2888:3888;{}", ";".repeat(1_000_000)),
            1,
        ),
        (
            format!("{{cluster_nodes, {{[{}", "'rabbit@mq',".repeat(100_000)),
            1,
        ),
        (
            format!("{{cluster_nodes, {{['{}", "rabbit@".repeat(150_000)),
            0,
        ),
        // An Erlang list left open over many lines: each line read once.
        (
            format!(
                "{{cluster_nodes, {{[\n{}",
                "'rabbit@mq-01', rabbit@mq02,\n".repeat(40_000)
            ),
            80_000,
        ),
        (
            format!("primary_conninfo = '{}'", "host=".repeat(200_000)),
            0,
        ),
        (
            format!("sentinel monitor m {} 6379 2", "h".repeat(1_000_000)),
            0,
        ),
    ];
    for (text, expected) in &cases {
        let refs = scan(text, &ScanOptions::default());
        assert_eq!(refs.len(), *expected, "{}…", &text[..40]);
        assert!(refs.iter().all(|r| r.kind == Kind::Member));
    }
    // And through the binary: a file of such lines is read, not a crash. Half the cases (the
    // open Erlang list's many entries are not among them): a debug build is slow to print.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("junk.cnf");
    let junk: String = cases
        .iter()
        .step_by(2)
        .map(|(text, _)| format!("{text}\n"))
        .collect();
    std::fs::write(&file, junk).expect("write");
    let entries = json(&[file]);
    assert!(entries.iter().all(|e| e["kind"] == "member"));
}
