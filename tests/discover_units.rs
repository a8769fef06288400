//! The draft from hand-made facts of systemd and SysV hosts: units that listen on nothing are
//! services too, the OS's plumbing is told from what the host says (the manager's package,
//! `RefuseManualStart`, a terminal, a base-OS priority with nothing to talk to), and a listen
//! line is never an edge.

use comeback::discover::facts::systemd::RunningUnit;
use comeback::discover::facts::{HostFacts, Listener, Manager, Process, parse_endpoint};
use comeback::discover::{self, HostScan, identify::identify};
use std::path::Path;

fn process(pid: u32, name: &str, args: &[&str], unit: Option<&str>) -> Process {
    Process {
        pid,
        ppid: 1,
        name: name.into(),
        exe: format!("/usr/bin/{name}"),
        args: args.iter().map(|a| a.to_string()).collect(),
        unit: unit.map(String::from),
        package: None,
    }
}

fn unit(name: &str, pid: u32, package: (&str, &str)) -> RunningUnit {
    RunningUnit {
        name: name.into(),
        main_pid: pid,
        file: format!("/lib/systemd/system/{name}.service"),
        package: Some((package.0.into(), package.1.into())),
        ..RunningUnit::default()
    }
}

/// db-01 under systemd: PostgreSQL and PgBouncer listening, rsyslog and cron not, journald,
/// a getty and the system bus.
fn db_host() -> HostFacts {
    let mut facts = HostFacts {
        os: "Linux".into(),
        manager: Some(Manager::Systemd),
        addresses: vec!["10.0.0.31".parse().expect("ip")],
        manager_exe: Some("/usr/lib/systemd/systemd".into()),
        manager_package: Some("systemd".into()),
        ..HostFacts::default()
    };
    for p in [
        process(
            10,
            "postgres",
            &["/usr/lib/postgresql/15/bin/postgres"],
            Some("postgresql@15-main"),
        ),
        process(
            20,
            "pgbouncer",
            &["/usr/sbin/pgbouncer", "/etc/pgbouncer/pgbouncer.ini"],
            Some("pgbouncer"),
        ),
        process(
            30,
            "rsyslogd",
            &["/usr/sbin/rsyslogd", "-n"],
            Some("rsyslog"),
        ),
        process(40, "cron", &["/usr/sbin/cron", "-f"], Some("cron")),
        process(
            50,
            "systemd-journal",
            &["/lib/systemd/systemd-journald"],
            Some("systemd-journald"),
        ),
        process(60, "agetty", &["/sbin/agetty", "tty1"], Some("getty@tty1")),
        process(
            70,
            "dbus-daemon",
            &["/usr/bin/dbus-daemon", "--system"],
            Some("dbus"),
        ),
        process(80, "systemd-resolve", &[], Some("systemd-resolved")),
        process(90, "polkitd", &[], Some("polkit")),
    ] {
        facts.processes.insert(p.pid, p);
    }
    facts.listeners = vec![
        Listener {
            at: parse_endpoint("10.0.0.31:5432").expect("ep"),
            pids: vec![10],
        },
        Listener {
            at: parse_endpoint("0.0.0.0:6432").expect("ep"),
            pids: vec![20],
        },
    ];
    let mut getty = unit("getty@tty1", 60, ("systemd", "important"));
    getty.terminal = true;
    let mut bus = unit("dbus", 70, ("dbus", "optional"));
    bus.refused_by_hand = true;
    let mut pgbouncer = unit("pgbouncer", 20, ("pgbouncer", "optional"));
    pgbouncer.environment_files = vec!["/etc/default/pgbouncer".into()];
    let mut polkit = unit("polkit", 90, ("polkitd", "optional"));
    polkit.bus_name = Some("org.freedesktop.PolicyKit1".into());
    facts.units = vec![
        unit("systemd-resolved", 80, ("systemd-resolved", "optional")),
        polkit,
        unit("postgresql@15-main", 10, ("postgresql-15", "optional")),
        pgbouncer,
        unit("rsyslog", 30, ("rsyslog", "important")),
        unit("cron", 40, ("cron", "important")),
        unit("systemd-journald", 50, ("systemd", "important")),
        getty,
        bus,
    ];
    facts
}

fn draft(facts: HostFacts, configs: &[(&str, &str, &str)]) -> discover::Draft {
    let source = "hosts:\n  db-01: { address: 10.0.0.31 }\nservices: {}\n";
    let model = comeback::plan::parse(source, Path::new("."))
        .map_err(|_| "plan")
        .expect("valid")
        .model;
    let mut resolved = std::collections::BTreeMap::new();
    resolved.insert("old-log-01.example.invalid".to_string(), vec![]);
    let scan = HostScan {
        identified: identify(&facts),
        facts,
        configs: configs
            .iter()
            .map(|(u, path, text)| (u.to_string(), vec![(path.to_string(), text.to_string())]))
            .collect(),
        resolved,
    };
    discover::build(&model, &[(0, scan)], &[])
}

#[test]
fn every_running_unit_but_the_os_s_own_and_a_forwarding_syslog_is_a_service() {
    let facts = db_host();
    let found = identify(&facts);
    let units: Vec<&str> = found.instances.iter().map(|i| i.unit()).collect();
    // The manager's own are gone already; the base OS's wait for their configs.
    assert_eq!(
        units,
        [
            "cron",
            "pgbouncer",
            "polkit",
            "postgresql@15-main",
            "rsyslog"
        ]
    );
    assert_eq!(
        found.plumbing,
        [
            (
                "dbus".to_string(),
                "systemd refuses to start or stop it by hand".to_string()
            ),
            (
                "getty@tty1".to_string(),
                "a login on a terminal (TTYPath)".to_string()
            ),
            (
                "systemd-journald".to_string(),
                "its unit file ships with the service manager (package systemd)".to_string()
            ),
            (
                "systemd-resolved".to_string(),
                "its unit file ships with the service manager (package systemd-resolved)"
                    .to_string()
            ),
        ]
    );
    let pgbouncer = found
        .instances
        .iter()
        .find(|i| i.unit() == "pgbouncer")
        .expect("pgbouncer");
    assert_eq!(pgbouncer.environment_files, ["/etc/default/pgbouncer"]);
    let rsyslog = found
        .instances
        .iter()
        .find(|i| i.unit() == "rsyslog")
        .expect("rsyslog");
    assert!(rsyslog.listeners.is_empty());
    assert_eq!(rsyslog.owner.root, 30);
    assert_eq!(rsyslog.process.name, "rsyslogd");

    let d = draft(
        facts,
        &[
            (
                "rsyslog",
                "/etc/rsyslog.d/90-forward.conf",
                "*.* @@old-log-01.example.invalid:514\n",
            ),
            ("cron", "/etc/default/cron", "EXTRA_OPTS=\"-L 15\"\n"),
            (
                "postgresql@15-main",
                "/etc/postgresql/15/main/postgresql.conf",
                "listen_addresses = 'localhost,10.0.0.31'\nport = 5432\n",
            ),
            (
                "pgbouncer",
                "/etc/pgbouncer/pgbouncer.ini",
                "[databases]\nshop = host=127.0.0.1 port=5432\n",
            ),
        ],
    );
    let services: Vec<&str> = d.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(services, ["pgbouncer", "postgresql-15-main", "rsyslog"]);
    let rsyslog = d
        .services
        .iter()
        .find(|s| s.name == "rsyslog")
        .expect("rsyslog");
    assert!(rsyslog.health.is_empty());
    assert_eq!(d.stale.len(), 1, "{:?}", d.stale);
    assert_eq!(d.stale[0].name, "old-log-01.example.invalid");
    let cron = d
        .plumbing
        .iter()
        .find(|p| p.unit == "cron")
        .expect("cron left out");
    assert_eq!(
        cron.why,
        "the base OS's (package cron, priority important), and it talks to no other host"
    );
    let polkit = d
        .plumbing
        .iter()
        .find(|p| p.unit == "polkit")
        .expect("polkit left out");
    assert_eq!(
        polkit.why,
        "the base OS's (a service of the system bus, BusName=org.freedesktop.PolicyKit1), and it talks to no other host"
    );
    assert_eq!(d.plumbing.len(), 6, "{:?}", d.plumbing);
    // PgBouncer uses PostgreSQL; PostgreSQL's listen line names nothing it uses.
    let edges: Vec<(&str, &str)> = d
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    assert_eq!(edges, [("pgbouncer", "postgresql-15-main")]);
    assert!(d.broken.is_empty());
}

#[test]
fn an_init_script_whose_pid_file_names_a_live_process_is_a_service_without_a_port() {
    let mut facts = HostFacts {
        os: "Linux".into(),
        manager: Some(Manager::Sysv),
        init_scripts: vec!["app".into(), "gone".into()],
        pid_files: vec![("/run/app.pid".into(), 38), ("/run/gone.pid".into(), 99)],
        ..HostFacts::default()
    };
    facts.processes.insert(
        38,
        process(
            38,
            "python3",
            &[
                "/usr/bin/python3",
                "/usr/local/lib/app/app",
                "-c",
                "/etc/app/app.ini",
            ],
            None,
        ),
    );
    let found = identify(&facts);
    let units: Vec<(&str, u32, Option<&str>)> = found
        .instances
        .iter()
        .map(|i| (i.unit(), i.owner.root, i.owner.pid_file.as_deref()))
        .collect();
    // `gone`'s pid file outlived its process: not running, not a service.
    assert_eq!(units, [("app", 38, Some("/run/app.pid"))]);
}
