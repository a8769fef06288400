//! `discover` writes `cluster:` for a service whose instances the hosts show linked as one
//! cluster, from hand-made facts: each kind by its own port or config key, the leader where
//! the links show one, never for instances nothing links (a client of Redis on a Redis host is
//! no replica), never for one instance, and hostile names never break the draft or the report.

use comeback::cluster::Kind;
use comeback::discover::facts::systemd::RunningUnit;
use comeback::discover::facts::{
    Connection, HostFacts, Listener, Manager, Process, parse_endpoint,
};
use comeback::discover::{self, Draft, HostScan, identify::identify};
use std::collections::BTreeMap;
use std::path::Path;

const IPS: [&str; 3] = ["10.0.0.11", "10.0.0.12", "10.0.0.13"];

/// One host as a test writes it: its facts and its units' config files.
struct Host {
    facts: HostFacts,
    configs: BTreeMap<String, Vec<(String, String)>>,
    resolved: BTreeMap<String, Vec<std::net::IpAddr>>,
}

fn host(n: usize) -> Host {
    Host {
        facts: HostFacts {
            os: "Linux".into(),
            manager: Some(Manager::Systemd),
            addresses: vec![IPS[n].parse().expect("ip")],
            manager_package: Some("systemd".into()),
            ..HostFacts::default()
        },
        configs: BTreeMap::new(),
        resolved: BTreeMap::new(),
    }
}

impl Host {
    /// `unit` runs as `pid` (its title `args`), listening on `ports` at every address.
    fn runs(mut self, unit: &str, pid: u32, args: &str, ports: &[u16]) -> Self {
        self.facts.processes.insert(
            pid,
            Process {
                pid,
                ppid: 1,
                name: unit.into(),
                exe: format!("/usr/sbin/{unit}"),
                args: vec![args.into()],
                unit: Some(unit.into()),
                package: None,
            },
        );
        self.facts.units.push(RunningUnit {
            name: unit.into(),
            main_pid: pid,
            file: format!("/lib/systemd/system/{unit}.service"),
            package: Some((unit.into(), "optional".into())),
            ..RunningUnit::default()
        });
        for port in ports {
            self.facts.listeners.push(Listener {
                at: parse_endpoint(&format!("0.0.0.0:{port}")).expect("endpoint"),
                pids: vec![pid],
            });
        }
        self
    }

    /// A child process `pid` of `parent` (same unit), titled `args`.
    fn child(mut self, parent: u32, pid: u32, args: &str) -> Self {
        let mut p = self.facts.processes[&parent].clone();
        p.pid = pid;
        p.ppid = parent;
        p.args = vec![args.into()];
        self.facts.processes.insert(pid, p);
        self
    }

    /// `pid` (empty: not shown) holds a connection from `local` to `peer`.
    fn connects(mut self, pids: &[u32], local: &str, peer: &str) -> Self {
        self.facts.connections.push(Connection {
            local: parse_endpoint(local).expect("local"),
            peer: parse_endpoint(peer).expect("peer"),
            pids: pids.to_vec(),
            count: 1,
        });
        self
    }

    fn config(mut self, unit: &str, path: &str, text: &str) -> Self {
        self.configs
            .entry(unit.into())
            .or_default()
            .push((path.into(), text.into()));
        self
    }

    fn resolves(mut self, name: &str, ip: &str) -> Self {
        self.resolved
            .insert(name.into(), vec![ip.parse().expect("ip")]);
        self
    }
}

/// The inventory: three hosts named `names`, at 10.0.0.11-13.
fn source(names: &[&str]) -> String {
    let mut text = "hosts:\n".to_string();
    for (n, name) in names.iter().enumerate() {
        text.push_str(&format!("  {name}: {{ address: {} }}\n", IPS[n]));
    }
    text.push_str("services: {}\n");
    text
}

/// The draft, the plan it writes (which must pass check) and the report.
fn discover(names: &[&str], hosts: Vec<Host>) -> (Draft, String, comeback::plan::model::Model) {
    let source = source(names);
    let model = comeback::plan::parse(&source, Path::new("."))
        .unwrap_or_else(|d| panic!("{source}\n{d:?}"))
        .model;
    let scans: Vec<(usize, HostScan)> = hosts
        .into_iter()
        .enumerate()
        .map(|(n, h)| {
            (
                n,
                HostScan {
                    identified: identify(&h.facts),
                    facts: h.facts,
                    configs: h.configs,
                    resolved: h.resolved,
                },
            )
        })
        .collect();
    let draft = discover::build(&model, &scans, &[]);
    let text = discover::yaml::write_plan(&source, &draft).expect("yaml");
    let plan = comeback::plan::parse(&text, Path::new("."))
        .unwrap_or_else(|d| panic!("the draft does not pass check:\n{text}\n{d:?}"))
        .model;
    let report = discover::markdown(&draft, "plan.yaml", "");
    assert!(
        !report.chars().any(|c| c.is_control() && c != '\n'),
        "{report:?}"
    );
    (draft, text, plan)
}

const NAMES: [&str; 3] = ["db-01", "db-02", "db-03"];

/// The kind the checked plan gives `service`, if any.
fn kind(plan: &comeback::plan::model::Model, service: &str) -> Option<Kind> {
    let s = plan.services.iter().find(|s| s.name == service)?;
    s.cluster.as_ref().map(|c| c.kind)
}

fn ip(n: usize, port: u16) -> String {
    format!("{}:{port}", IPS[n])
}

#[test]
fn galera_nodes_linked_on_4567_are_one_galera_cluster() {
    // Each node connects to the ones after it; each accepts from the ones before.
    let hosts: Vec<Host> = (0..3)
        .map(|n| {
            let mut h = host(n).runs("mariadb", 100, "/usr/sbin/mariadbd", &[3306, 4567]);
            for m in n + 1..3 {
                h = h.connects(&[100], &ip(n, 40000 + m as u16), &ip(m, 4567));
            }
            for m in 0..n {
                h = h.connects(&[100], &ip(n, 4567), &ip(m, 40000 + n as u16));
            }
            h
        })
        .collect();
    let (draft, text, plan) = discover(&NAMES, hosts);
    assert_eq!(kind(&plan, "mariadb"), Some(Kind::Galera), "{text}");
    let c = &draft.clusters[0];
    assert_eq!(c.members, NAMES);
    assert_eq!(c.leader, None);
    assert!(c.unlinked.is_empty());
    assert!(
        c.evidence
            .contains(&"db-01: connection 10.0.0.11:40001 -> 10.0.0.12:4567".to_string()),
        "{:?}",
        c.evidence
    );
    assert!(text.contains("    cluster: { kind: galera }\n"), "{text}");
    assert!(
        text.contains("    # a galera cluster of db-01, db-02, db-03: db-01: connection 10.0.0.11 -> 10.0.0.12:4567;"),
        "{text}"
    );
    // A cluster is no dependency of itself.
    assert!(draft.edges.is_empty(), "{:?}", draft.edges);
}

#[test]
fn gcomm_addresses_alone_make_a_galera_cluster_when_the_sockets_show_no_process() {
    let cnf = "[galera]\nwsrep_on = ON\nwsrep_cluster_address = \"gcomm://db-01.lan,db-02.lan,db-03.lan\"\n";
    let hosts: Vec<Host> = (0..3)
        .map(|n| {
            let mut h = host(n)
                .runs("mariadb", 100, "/usr/sbin/mariadbd", &[3306, 4567])
                .config("mariadb", "/etc/mysql/mariadb.conf.d/60-galera.cnf", cnf);
            for (m, ip) in IPS.iter().enumerate() {
                h = h.resolves(&format!("db-0{}.lan", m + 1), ip);
            }
            h
        })
        .collect();
    let (draft, text, plan) = discover(&NAMES, hosts);
    assert_eq!(kind(&plan, "mariadb"), Some(Kind::Galera), "{text}");
    assert!(
        draft.clusters[0]
            .evidence
            .contains(&"db-02: /etc/mysql/mariadb.conf.d/60-galera.cnf:3 names db-03.lan".into()),
        "{:?}",
        draft.clusters[0].evidence
    );
    // Naming the other members is what a cluster's config does: no note for each of them.
    assert!(draft.notes.is_empty(), "{:?}", draft.notes);
    assert!(
        text.contains("    # would come back from a full outage: yes, after a clean full stop, from the last member stopped"),
        "{text}"
    );
}

#[test]
fn a_galera_config_naming_a_removed_member_would_not_come_back() {
    let cnf =
        "[galera]\nwsrep_cluster_address = \"gcomm://10.0.0.11,10.0.0.12,10.0.0.13,db-old.lan\"\n";
    let hosts: Vec<Host> = (0..3)
        .map(|n| {
            host(n)
                .runs("mariadb", 100, "/usr/sbin/mariadbd", &[3306, 4567])
                .config("mariadb", "/etc/mysql/mariadb.conf.d/60-galera.cnf", cnf)
        })
        .collect();
    let (draft, text, _) = discover(&NAMES, hosts);
    let verdict = draft.clusters[0].comes_back.as_ref().expect("a verdict");
    assert!(!verdict.comes_back, "{verdict:?}");
    assert!(
        text.contains("    # would come back from a full outage: no, db-01's config names db-old.lan, which does not resolve from there;"),
        "{text}"
    );
    let report = discover::markdown(&draft, "plan.yaml", "");
    assert!(
        report.contains("| no, db-01's config names db-old.lan"),
        "{report}"
    );
}

#[test]
fn redis_replicas_make_a_redis_cluster_led_by_the_primary_they_connect_to() {
    let hosts: Vec<Host> = (0..3)
        .map(|n| {
            let h = host(n).runs("redis-server", 200, "/usr/bin/redis-server *:6379", &[6379]);
            if n == 0 {
                h.connects(&[200], &ip(0, 6379), &ip(1, 41000))
            } else {
                h.connects(&[200], &ip(n, 41000), &ip(0, 6379)).config(
                    "redis-server",
                    "/etc/redis/redis.conf",
                    "port 6379\nreplicaof 10.0.0.11 6379\n",
                )
            }
        })
        .collect();
    let names = ["cache-01", "cache-02", "cache-03"];
    let (draft, text, plan) = discover(&names, hosts);
    assert_eq!(kind(&plan, "redis-server"), Some(Kind::Redis), "{text}");
    let c = &draft.clusters[0];
    assert_eq!(c.members, names);
    let leader = c.leader.as_ref().expect("the primary");
    assert_eq!(leader.host, "cache-01");
    assert_eq!(
        leader.why,
        "the primary: cache-02, cache-03 replicate from it"
    );
    assert!(
        text.contains("    # leads now: cache-01 (the primary: cache-02, cache-03 replicate from it); the run asks the cluster again\n    # would come back from a full outage: yes, from cache-01 (the primary: the newest data; then the replicas)\n    cluster: { kind: redis }\n"),
        "{text}"
    );
    // Never a switchover the operator did not ask for.
    assert!(!text.contains("switchover"), "{text}");
    let report = discover::markdown(&draft, "plan.yaml", "");
    assert!(
        report.contains("| redis-server | redis (`cluster:` written) | cache-01, cache-02, cache-03 | cache-01 (the primary: cache-02, cache-03 replicate from it; the run asks again) | yes, from cache-01 (the primary: the newest data; then the replicas) |"),
        "{report}"
    );
}

#[test]
fn two_redis_instances_nothing_links_are_no_cluster_and_neither_is_a_client_of_one() {
    // cache-02's app uses cache-01's Redis: a client, not a replica.
    let hosts = vec![
        host(0)
            .runs("redis-server", 200, "/usr/bin/redis-server *:6379", &[6379])
            .connects(&[200], &ip(0, 6379), &ip(1, 41000)),
        host(1)
            .runs("redis-server", 200, "/usr/bin/redis-server *:6379", &[6379])
            .runs("app", 300, "/usr/sbin/app", &[8080])
            .connects(&[300], &ip(1, 41000), &ip(0, 6379)),
    ];
    let (draft, text, plan) = discover(&NAMES[..2], hosts);
    assert!(draft.clusters.is_empty(), "{:?}", draft.clusters);
    assert_eq!(kind(&plan, "redis-server"), None);
    assert!(!text.contains("cluster"), "{text}");
    // The app's use of Redis is still an edge.
    assert_eq!(draft.edges.len(), 1);
}

#[test]
fn a_single_instance_is_no_cluster_whatever_its_config_names() {
    let hosts = vec![
        host(0)
            .runs("mariadb", 100, "/usr/sbin/mariadbd", &[3306, 4567])
            .config(
                "mariadb",
                "/etc/mysql/conf.d/galera.cnf",
                "wsrep_cluster_address = gcomm://10.0.0.11,10.0.0.12,10.0.0.13\n",
            ),
        host(1).runs("nginx", 100, "/usr/sbin/nginx", &[80]),
    ];
    let (draft, text, _) = discover(&NAMES[..2], hosts);
    assert!(draft.clusters.is_empty(), "{:?}", draft.clusters);
    assert!(!text.contains("cluster: {"), "{text}");
}

#[test]
fn a_postgresql_walreceiver_makes_a_postgresql_cluster_led_by_the_walsender_side() {
    let unit = "postgresql@15-main";
    let hosts = vec![
        host(0)
            .runs(unit, 10, "/usr/lib/postgresql/15/bin/postgres", &[5432])
            .child(
                10,
                11,
                "postgres: 15/main: walsender replicator 10.0.0.12(51000) streaming 0/3000148",
            )
            .connects(&[11], &ip(0, 5432), &ip(1, 51000)),
        host(1)
            .runs(unit, 10, "/usr/lib/postgresql/15/bin/postgres", &[5432])
            .child(10, 12, "postgres: 15/main: walreceiver streaming 0/3000148")
            // A backend using the other server (dblink) is no replication.
            .child(10, 13, "postgres: 15/main: app shop [local] SELECT")
            .connects(&[12], &ip(1, 51000), &ip(0, 5432))
            .config(
                unit,
                "/var/lib/postgresql/15/main/postgresql.auto.conf",
                "primary_conninfo = 'host=10.0.0.11 port=5432 user=replicator'\n",
            ),
        host(2)
            .runs(unit, 10, "/usr/lib/postgresql/15/bin/postgres", &[5432])
            .child(10, 13, "postgres: 15/main: app shop [local] SELECT")
            .connects(&[13], &ip(2, 52000), &ip(0, 5432)),
    ];
    let (draft, text, plan) = discover(&NAMES, hosts);
    let c = &draft.clusters[0];
    assert_eq!(c.kind, Kind::Postgresql);
    assert_eq!(c.members, ["db-01", "db-02"]);
    assert_eq!(c.unlinked, ["db-03"]);
    assert_eq!(
        c.leader.as_ref().map(|l| l.why.as_str()),
        Some("the primary (walsender side): db-02 stream from it")
    );
    // db-03 streams from nothing: `cluster:` would never see it whole, so it is only said.
    assert_eq!(kind(&plan, "postgresql-15-main"), None);
    assert!(
        text.contains("# not written: db-03 show no link to it; once every host is a member: cluster: { kind: postgresql }"),
        "{text}"
    );
}

#[test]
fn each_kind_by_its_own_port() {
    for (unit, port, expected) in [
        ("etcd", 2380, Kind::Etcd),
        ("zookeeper", 3888, Kind::Zookeeper),
        ("rabbitmq-server", 25672, Kind::Rabbitmq),
    ] {
        // A ring: each member connects to the next; the sockets show no process on the
        // accepting side only.
        let hosts: Vec<Host> = (0..3)
            .map(|n| {
                host(n)
                    .runs(unit, 500, &format!("/usr/bin/{unit}"), &[port])
                    .connects(&[500], &ip(n, 45000), &ip((n + 1) % 3, port))
                    .connects(&[], &ip(n, port), &ip((n + 2) % 3, 45000))
            })
            .collect();
        let (_, text, plan) = discover(&NAMES, hosts);
        assert_eq!(kind(&plan, unit), Some(expected), "{text}");
    }
}

#[test]
fn accepted_connections_on_a_members_only_port_link_when_no_process_is_shown() {
    let hosts: Vec<Host> = (0..3)
        .map(|n| {
            let mut h = host(n).runs("rabbitmq-server", 500, "beam.smp", &[5672, 25672]);
            for m in 0..n {
                h = h.connects(&[], &ip(n, 25672), &ip(m, 45000));
            }
            h
        })
        .collect();
    let (draft, text, plan) = discover(&NAMES, hosts);
    assert_eq!(
        kind(&plan, "rabbitmq-server"),
        Some(Kind::Rabbitmq),
        "{text}"
    );
    assert!(
        text.contains("db-02: accepted 10.0.0.12:25672 <- 10.0.0.11;"),
        "{text}"
    );
    assert_eq!(draft.clusters[0].leader, None);
}

#[test]
fn zookeeper_s_leader_is_the_one_listening_on_2888_that_the_others_follow() {
    let zoo = "server.1=10.0.0.11:2888:3888\nserver.2=10.0.0.12:2888:3888\nserver.3=10.0.0.13:2888:3888\n";
    let hosts: Vec<Host> = (0..3)
        .map(|n| {
            let ports: &[u16] = if n == 2 {
                &[2181, 2888, 3888]
            } else {
                &[2181, 3888]
            };
            let h = host(n).runs("zookeeper", 600, "java", ports).config(
                "zookeeper",
                "/etc/zookeeper/conf/zoo.cfg",
                zoo,
            );
            if n == 2 {
                h
            } else {
                h.connects(&[600], &ip(n, 46000), &ip(2, 2888))
            }
        })
        .collect();
    let (draft, text, plan) = discover(&NAMES, hosts);
    assert_eq!(kind(&plan, "zookeeper"), Some(Kind::Zookeeper), "{text}");
    let leader = draft.clusters[0].leader.as_ref().expect("a leader");
    assert_eq!(leader.host, "db-03");
    assert_eq!(
        leader.why,
        "the leader: db-01, db-02 follow it on its port 2888"
    );
}

#[test]
fn a_sentinel_naming_the_redis_it_watches_makes_no_cluster_of_either() {
    let hosts: Vec<Host> = (0..2)
        .map(|n| {
            host(n)
                .runs("redis-server", 200, "redis-server", &[6379])
                .runs("redis-sentinel", 210, "redis-sentinel", &[26379])
                .config(
                    "redis-sentinel",
                    "/etc/redis/sentinel.conf",
                    "sentinel monitor mymaster 10.0.0.11 6379 2\nsentinel known-sentinel mymaster 10.0.0.12 26379 abc\nsentinel known-sentinel mymaster 10.0.0.11 26379 def\n",
                )
        })
        .collect();
    let (draft, _, _) = discover(&NAMES[..2], hosts);
    assert!(draft.clusters.is_empty(), "{:?}", draft.clusters);
}

#[test]
fn hostile_unit_names_and_paths_never_break_the_draft_or_the_report() {
    // Inventory names are plain by `check`; what a host says is not.
    let path = "/etc/mysql/x\n  evil: 1 #\"'`|\u{1b}[2J.cnf";
    let unit = "galera#1:{x}&*y";
    let hosts: Vec<Host> = (0..3)
        .map(|n| {
            host(n)
                .runs(unit, 100, "/usr/sbin/mariadbd", &[3306, 4567])
                .config(
                    unit,
                    path,
                    "wsrep_cluster_address = gcomm://10.0.0.11,10.0.0.12,10.0.0.13\n",
                )
        })
        .collect();
    let (draft, text, plan) = discover(&NAMES, hosts);
    let service = &draft.services[0].name;
    assert_eq!(kind(&plan, service), Some(Kind::Galera), "{text}");
    assert!(!text.contains("\n  evil: 1"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text:?}");
    let report = discover::markdown(&draft, "plan.yaml", "");
    assert!(!report.contains("\n  evil: 1"), "{report}");
}

#[test]
fn a_cluster_the_plan_already_has_is_kept_as_written_and_the_report_says_what_to_add() {
    let mut source = source(&NAMES).replace("services: {}\n", "services:\n");
    source.push_str("  galera:\n    hosts: [db-01, db-02, db-03]\n    unit: mariadb\n");
    let model = comeback::plan::parse(&source, Path::new("."))
        .unwrap_or_else(|d| panic!("{source}\n{d:?}"))
        .model;
    let scans: Vec<(usize, HostScan)> = (0..3)
        .map(|n| {
            let h = host(n)
                .runs("mariadb", 100, "/usr/sbin/mariadbd", &[3306, 4567])
                .connects(&[100], &ip(n, 40000), &ip((n + 1) % 3, 4567));
            (
                n,
                HostScan {
                    identified: identify(&h.facts),
                    facts: h.facts,
                    configs: h.configs,
                    resolved: h.resolved,
                },
            )
        })
        .collect();
    let draft = discover::build(&model, &scans, &[]);
    assert!(draft.services.is_empty());
    assert_eq!(draft.clusters.len(), 1, "{:?}", draft.clusters);
    assert!(draft.clusters[0].in_plan && !draft.clusters[0].written());
    assert_eq!(
        discover::yaml::write_plan(&source, &draft).expect("yaml"),
        source
    );
    let report = discover::markdown(&draft, "plan.yaml", "");
    assert!(
        report.contains("| galera | galera (already in the plan: add `cluster: { kind: galera }` there) | db-01, db-02, db-03 | - |"),
        "{report}"
    );
}
