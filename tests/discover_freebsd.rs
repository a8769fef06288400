//! FreeBSD discovery on captured outputs (`tests/discover/freebsd/`, written from the man pages'
//! formats): the real FreeBSD script runs here with stand-ins for `sockstat`, `procstat`, `ps`,
//! `service` and `ifconfig` that print those captures, then the real parser and draft builder.

mod standins;

use comeback::discover::facts::{Manager, freebsd};
use comeback::discover::identify::identify;
use std::path::Path;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/discover/freebsd");

/// Stand-in commands that answer from the captures, the way the real ones are called.
const STANDINS: &[(&str, &str)] = &[
    (
        "sockstat",
        r#"case "$*" in *-l*) cat "$FIX/sockstat-l.txt" ;; *-c*) cat "$FIX/sockstat-c.txt" ;; esac"#,
    ),
    (
        "procstat",
        r#"pid=$3; case "$2" in -b) f=procstat-b.txt ;; -c) f=procstat-c.txt ;; esac
awk -v p="$pid" '$1 == p' "$FIX/$f""#,
    ),
    (
        "ps",
        r#"field=$2; pid=$4
awk -v p="$pid" -v f="$field" '$1 == p { if (f == "ppid=") print $2; else { $1 = ""; $2 = ""; sub(/^  /, ""); print } }' "$FIX/ps.txt""#,
    ),
    ("service", r#"[ "$1" = -e ] && cat "$FIX/service-e.txt""#),
    ("ifconfig", r#"cat "$FIX/ifconfig.txt""#),
];

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(FIXTURES).join(name)).expect("fixture")
}

/// The FreeBSD script's output on the captures. Pid files and rc.d folders are globbed on the
/// machine running the test, so those lines come from their captures instead.
fn script_output() -> String {
    let (ok, out) = standins::run(
        &freebsd::wrapped_script(),
        STANDINS,
        &[],
        &[
            ("FIX", FIXTURES),
            ("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.21 22"),
        ],
    );
    assert!(ok, "{out}");
    let mut text: String = out
        .lines()
        .filter(|l| !l.starts_with("PIDFILE ") && !l.starts_with("INITD "))
        .map(|l| format!("{l}\n"))
        .collect();
    for line in fixture("pidfiles.txt").lines() {
        let (path, pid) = line.split_once(' ').expect("path pid");
        text.push_str(&format!("PIDFILE {pid} p{path}\n"));
    }
    for name in fixture("rc.d.txt").lines() {
        text.push_str(&format!("INITD {name}\n"));
    }
    text
}

#[test]
fn sockets_processes_and_rc_scripts_from_freebsd_tools() {
    let mut facts = freebsd::parse(&script_output()).expect("facts");
    facts.manager = Some(Manager::Bsdrc);
    assert_eq!(facts.os, "FreeBSD");
    assert_eq!(
        facts.addresses,
        [
            "10.0.0.21".parse::<std::net::IpAddr>().expect("ip"),
            "fe80::5054:ff:fe12:3456".parse().expect("ip")
        ]
    );
    assert_eq!(
        facts.ssh.map(|e| e.to_string()).as_deref(),
        Some("10.0.0.21:22")
    );
    let listening: Vec<String> = facts
        .listeners
        .iter()
        .map(|l| format!("{} {:?}", l.at, l.pids))
        .collect();
    assert_eq!(
        listening,
        [
            "0.0.0.0:22 [70812]",
            "0.0.0.0:80 [71000, 71001, 71002]",
            "0.0.0.0:111 []",
            "10.0.0.21:8080 [71600]",
            "127.0.0.1:6379 [71200]",
            "127.0.0.1:9000 [71500]",
            "[::1]:6379 [71200]",
        ]
    );
    // Two php-fpm workers' three connections to PostgreSQL fold into one per process.
    let to_pg: Vec<(u32, usize)> = facts
        .connections
        .iter()
        .filter(|c| c.peer.port == 5432)
        .map(|c| (c.pids[0], c.count))
        .collect();
    assert_eq!(to_pg, [(71501, 2), (71502, 1)]);
    let app = &facts.processes[&71600];
    assert_eq!(app.name, "my \"app\" x");
    assert_eq!(app.exe, "/opt/app/bin/app");
    assert_eq!(facts.processes[&71001].ppid, 71000);
    assert_eq!(
        facts.enabled,
        ["hostid", "sshd", "nginx", "php-fpm", "cron"]
    );

    let found = identify(&facts);
    let units: Vec<(&str, u32, &str)> = found
        .instances
        .iter()
        .map(|i| (i.unit(), i.owner.root, i.owner.how.as_str()))
        .collect();
    assert_eq!(
        units,
        [
            (
                "nginx",
                71000,
                "rc.d script nginx, pid file /var/run/nginx.pid"
            ),
            (
                "php-fpm",
                71500,
                "rc.d script php-fpm, pid file /var/run/php-fpm.pid"
            ),
            (
                "redis",
                71200,
                "rc.d script redis, pid file /var/run/redis/redis.pid"
            ),
        ]
    );
    assert_eq!(found.ssh_pids, [70812].into());
    let unowned: Vec<String> = found
        .unowned
        .iter()
        .map(|u| format!("{} {}", u.at, u.process))
        .collect();
    assert_eq!(unowned.len(), 2, "{unowned:?}");
    assert!(unowned[1].ends_with("my \"app\" x"), "{unowned:?}");
}

#[test]
fn a_host_without_sockstat_says_so() {
    assert_eq!(
        freebsd::parse("OS FreeBSD\nNOSOCKSTAT\n"),
        Err(comeback::discover::facts::FactsError::NoSockstat)
    );
}

#[test]
fn the_draft_for_a_freebsd_host_restarts_through_rc_d_and_passes_check() {
    use comeback::discover::{self, HostScan};
    let mut facts = freebsd::parse(&script_output()).expect("facts");
    facts.manager = Some(Manager::Bsdrc);
    let scan = HostScan {
        identified: identify(&facts),
        facts,
        configs: Default::default(),
        resolved: Default::default(),
    };
    let source = "hosts:\n  web-01: { address: 10.0.0.21 }\nservices: {}\n";
    let model = comeback::plan::parse(source, Path::new("."))
        .map_err(|_| "plan")
        .expect("valid")
        .model;
    let draft = discover::build(&model, &[(0, scan)], &[]);
    let text = discover::yaml::write_plan(source, &draft).expect("yaml");
    let plan = comeback::plan::parse(&text, Path::new("."))
        .unwrap_or_else(|d| panic!("{text}\n{d:?}"))
        .model;
    // Restarted through rc.d as the units they are (`onerestart` where rc.conf does not enable
    // them, which the manager decides on the host).
    let units: Vec<(&str, Option<&comeback::plan::model::ProcessSource>)> = plan
        .services
        .iter()
        .map(|s| (s.name.as_str(), s.process.as_ref()))
        .collect();
    use comeback::plan::model::ProcessSource::Unit;
    assert_eq!(
        units,
        [
            ("nginx", Some(&Unit("nginx".into()))),
            ("php-fpm", Some(&Unit("php-fpm".into()))),
            ("redis", Some(&Unit("redis".into()))),
        ]
    );
    let redis = draft.services[2].restart.as_deref().expect("rc.d command");
    assert!(redis.contains("service redis onerestart"), "{redis}");
    // nginx talks to php-fpm over loopback; PostgreSQL is outside the inventory.
    let nginx = &plan.services[0];
    assert_eq!(nginx.depends_on, [1], "{text}");
    assert!(
        text.contains(
            "# external: 10.0.0.31:5432 from web-01 (connection 10.0.0.21 -> 10.0.0.31:5432)"
        ),
        "{text}"
    );
    // Loopback-only ports are checked on the host, with FreeBSD's own tool.
    assert!(text.contains("- command: \"sockstat -46 -l -P tcp -p 6379 | grep -q ':6379 '\"  # listens on loopback only"), "{text}");
}
