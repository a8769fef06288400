//! The draft builder on hand-made host facts: services kept as the plan has them, edges from
//! connections and references, self-references, externals, stale names and the cycle rule.

use comeback::discover::facts::{
    Connection, HostFacts, Listener, Manager, Process, parse_endpoint,
};
use comeback::discover::{self, HostScan, identify::identify};
use std::path::Path;

fn endpoint(text: &str) -> comeback::discover::facts::Endpoint {
    parse_endpoint(text).expect("endpoint")
}

/// A SysV host running `units` (name, pid, listening endpoint), each with its init script.
fn host(address: &str, units: &[(&str, u32, &str)]) -> HostFacts {
    let mut facts = HostFacts {
        os: "Linux".into(),
        manager: Some(Manager::Sysv),
        addresses: vec![address.parse().expect("ip")],
        ssh: Some(endpoint(&format!("{address}:22"))),
        ..HostFacts::default()
    };
    for (name, pid, at) in units {
        facts.init_scripts.push(name.to_string());
        facts.processes.insert(
            *pid,
            Process {
                pid: *pid,
                ppid: 1,
                name: name.to_string(),
                exe: format!("/usr/sbin/{name}"),
                ..Process::default()
            },
        );
        facts.listeners.push(Listener {
            at: endpoint(at),
            pids: vec![*pid],
        });
    }
    facts
}

fn scan(facts: HostFacts, configs: &[(&str, &str, &str)]) -> HostScan {
    let mut resolved = std::collections::BTreeMap::new();
    resolved.insert("gone.example.invalid".to_string(), vec![]);
    resolved.insert(
        "api.partner.example".to_string(),
        vec!["203.0.113.7".parse().expect("ip")],
    );
    HostScan {
        identified: identify(&facts),
        facts,
        configs: configs
            .iter()
            .map(|(unit, path, text)| {
                (unit.to_string(), vec![(path.to_string(), text.to_string())])
            })
            .collect(),
        resolved,
    }
}

#[test]
fn edges_evidence_externals_stale_names_and_the_plans_own_services() {
    let source = "hosts:\n  web-01: { address: 10.0.0.21 }\n  db-01: { address: 10.0.0.31 }\n\
                  services:\n  postgresql:\n    hosts: [db-01]\n    restart: service postgresql restart\n    health: [{ tcp: 5432 }]\n";
    let model = comeback::plan::parse(source, Path::new("."))
        .map_err(|_| "plan")
        .expect("valid")
        .model;
    let mut web = host(
        "10.0.0.21",
        &[("app", 100, "0.0.0.0:8080"), ("nginx", 200, "0.0.0.0:80")],
    );
    web.connections = vec![
        // app -> postgresql on db-01, twice; nginx -> app over loopback; app -> the internet.
        Connection {
            local: endpoint("10.0.0.21:40000"),
            peer: endpoint("10.0.0.31:5432"),
            pids: vec![100],
            count: 2,
        },
        Connection {
            local: endpoint("127.0.0.1:50000"),
            peer: endpoint("127.0.0.1:8080"),
            pids: vec![200],
            count: 1,
        },
        Connection {
            local: endpoint("10.0.0.21:41000"),
            peer: endpoint("198.51.100.9:443"),
            pids: vec![100],
            count: 1,
        },
        // The accepted end of nginx's connection: not a dependency of app.
        Connection {
            local: endpoint("127.0.0.1:8080"),
            peer: endpoint("127.0.0.1:50000"),
            pids: vec![100],
            count: 1,
        },
    ];
    let mut db = host("10.0.0.31", &[("postgresql", 300, "0.0.0.0:5432")]);
    // postgresql (already in the plan) names the app in its config: said, not written.
    db.connections = vec![];
    let scans = vec![
        (
            0,
            scan(
                web,
                &[(
                    "app",
                    "/etc/app/app.env",
                    "DB=postgres://10.0.0.31:5432/shop\nSMTP=gone.example.invalid:25\nAPI=https://api.partner.example/v1\nSELF=http://127.0.0.1:8080/\nCACHE=http://[2001:db8::7]:11211/\n",
                )],
            ),
        ),
        (
            1,
            scan(
                db,
                &[(
                    "postgresql",
                    "/etc/postgresql/postgresql.conf",
                    "archive_command = 'curl -s http://10.0.0.21:8080/archive'\n",
                )],
            ),
        ),
    ];
    let draft = discover::build(&model, &scans, &[]);

    let names: Vec<&str> = draft.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["app", "nginx"], "postgresql is already in the plan");
    assert_eq!(draft.duplicates.len(), 1);
    let edges: Vec<(&str, &str, String)> = draft
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str(), e.evidence_text()))
        .collect();
    assert_eq!(
        edges,
        [
            (
                "app",
                "postgresql",
                "connection 10.0.0.21:40000 -> 10.0.0.31:5432; /etc/app/app.env:1".to_string()
            ),
            (
                "nginx",
                "app",
                "connection 127.0.0.1:50000 -> 127.0.0.1:8080".to_string()
            ),
        ]
    );
    let external: Vec<&str> = draft.external.iter().map(|x| x.endpoint.as_str()).collect();
    assert!(external.contains(&"198.51.100.9:443"), "{external:?}");
    // An IPv6 endpoint keeps its brackets, or its port would read as part of the address.
    assert!(external.contains(&"[2001:db8::7]:11211"), "{external:?}");
    assert!(
        external.contains(&"api.partner.example:443"),
        "{external:?}"
    );
    let suggested: Vec<(&str, &str)> = draft
        .suggested
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    assert_eq!(suggested, [("postgresql", "app")]);
    assert_eq!(draft.stale.len(), 1, "{:?}", draft.stale);
    assert_eq!(draft.stale[0].name, "gone.example.invalid");
    assert_eq!(draft.stale[0].at, "/etc/app/app.env:2");

    // The plan with them passes check, and discover on it adds nothing.
    let text = discover::yaml::write_plan(source, &draft).expect("yaml");
    assert!(text.starts_with(source));
    let model = comeback::plan::parse(&text, Path::new("."))
        .unwrap_or_else(|d| panic!("{text}\n{d:?}"))
        .model;
    let again = discover::build(&model, &scans, &[]);
    assert!(again.services.is_empty(), "{:?}", again.services);
    assert_eq!(
        discover::yaml::write_plan(&text, &again).expect("yaml"),
        text
    );
}
