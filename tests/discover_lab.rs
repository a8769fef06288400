//! `comeback discover` on namespace hosts running real Debian daemons through their own init
//! scripts: HAProxy in front of two nginx backends, a Redis Sentinel holding connections to Redis
//! on another host, and a Postfix whose relay was removed long ago.

mod lab;
mod output;

use comeback::plan;
use lab::Lab;
use output::{assert_has, exited};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const LB: usize = 0;
const WEB: [usize; 2] = [1, 2];
const CACHE: usize = 3;
const MONITOR: usize = 4;
const MAIL: usize = 5;

fn address(lab: &Lab, i: usize) -> &str {
    &lab.hosts[i].address
}

/// Starts each host's daemon through its init script, with its config written in place.
fn topology(lab: &Lab) {
    let backends: Vec<String> = WEB
        .iter()
        .enumerate()
        .map(|(n, &i)| format!("    server web{} {}:80 check\n", n + 1, address(lab, i)))
        .collect();
    lab.exec(
        LB,
        &format!(
            "cat >> /etc/haproxy/haproxy.cfg <<'EOF'\n\nfrontend www\n    bind *:80\n    default_backend web\n\nbackend web\n{}EOF\nservice haproxy start",
            backends.concat()
        ),
    );
    for i in WEB {
        lab.exec(i, "service nginx start");
    }
    lab.exec(
        CACHE,
        "sed -i -e 's/^bind .*/bind 0.0.0.0/' -e 's/^protected-mode yes/protected-mode no/' /etc/redis/redis.conf && service redis-server start",
    );
    lab.exec(
        MONITOR,
        &format!(
            "sed -i 's/^sentinel monitor mymaster .*/sentinel monitor mymaster {} 6379 1/' /etc/redis/sentinel.conf && service redis-sentinel start",
            address(lab, CACHE)
        ),
    );
    lab.exec(
        MAIL,
        "cat > /etc/postfix/main.cf <<'EOF'\ncompatibility_level = 3.6\nmyhostname = localhost\nmydestination = localhost\ninet_interfaces = all\ninet_protocols = ipv4\n# the relay that was decommissioned last year\nrelayhost = [old-relay.example.invalid]:25\nEOF\ntouch -d '-5 seconds' /etc/postfix/main.cf && newaliases 2>/dev/null; service postfix start",
    );
    let net = lab.net.as_ref().expect("namespace lab");
    for (i, port) in [
        (LB, 80),
        (1, 80),
        (2, 80),
        (CACHE, 6379),
        (MONITOR, 26379),
        (MAIL, 25),
    ] {
        net.wait_for_port(address(lab, i), port);
    }
    // Sentinel connects to its master within a second of starting.
    let mut connected = false;
    for _ in 0..100 {
        let ss = lab.exec(MONITOR, "ss -Htn state established");
        if ss.contains(&format!("{}:6379", address(lab, CACHE))) {
            connected = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(connected, "sentinel never connected to redis");
}

/// service -> (hosts, depends_on) of a plan that passes validation.
fn shape(path: &Path) -> BTreeMap<String, (Vec<String>, BTreeSet<String>)> {
    let loaded = plan::load(path).unwrap_or_else(|e| panic!("{}", e.render()));
    let m = &loaded.model;
    m.services
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                (
                    s.instances
                        .iter()
                        .map(|i| m.hosts[i.host].name.clone())
                        .collect(),
                    s.depends_on
                        .iter()
                        .map(|&d| m.services[d].name.clone())
                        .collect(),
                ),
            )
        })
        .collect()
}

fn hand_written(lab: &Lab) -> String {
    let name = |i: usize| lab.hosts[i].name.clone();
    format!(
        "  haproxy:\n    hosts: [{lb}]\n    restart: service haproxy restart\n    depends_on: [nginx]\n    configs: [/etc/haproxy/haproxy.cfg]\n    health: [{{ tcp: 80 }}]\n\
         \x20 nginx:\n    hosts: [{w1}, {w2}]\n    restart: service nginx restart\n    configs: [/etc/nginx/nginx.conf]\n    health: [{{ tcp: 80 }}]\n\
         \x20 redis-server:\n    hosts: [{cache}]\n    restart: service redis-server restart\n    configs: [/etc/redis/redis.conf]\n    health: [{{ tcp: 6379 }}]\n\
         \x20 redis-sentinel:\n    hosts: [{mon}]\n    restart: service redis-sentinel restart\n    depends_on: [redis-server]\n    configs: [/etc/redis/sentinel.conf]\n    health: [{{ tcp: 26379 }}]\n\
         \x20 postfix:\n    hosts: [{mail}]\n    restart: service postfix restart\n    configs: [/etc/postfix/main.cf]\n    health: [{{ tcp: 25 }}]\n",
        lb = name(LB),
        w1 = name(WEB[0]),
        w2 = name(WEB[1]),
        cache = name(CACHE),
        mon = name(MONITOR),
        mail = name(MAIL),
    )
}

#[test]
fn discover_finds_every_service_and_true_edge_of_the_lab_and_marks_the_stale_relay() {
    let lab = Lab::start_ns(6);
    topology(&lab);
    let root = lab.root.path();
    // The usual start: an inventory with hosts and no services.
    let skeleton = lab.plan_with("", "");
    let text = std::fs::read_to_string(&skeleton).expect("plan");
    std::fs::write(&skeleton, text.replace("services:\n", "services: {}\n")).expect("plan");

    let draft = root.join("draft.yaml");
    let report = root.join("discovery.md");
    let out = lab.run(
        "discover",
        &skeleton,
        &[
            "--out",
            draft.to_str().expect("utf8"),
            "--report",
            report.to_str().expect("utf8"),
        ],
    );
    let err = exited(&out, 0);
    let yaml = std::fs::read_to_string(&draft).expect("draft written");
    let name = |i: usize| lab.hosts[i].name.clone();

    // Every service, named by its unit, on the hosts that run it; no sshd.
    let found = shape(&draft);
    let expected: BTreeMap<String, (Vec<String>, BTreeSet<String>)> = [
        ("haproxy", vec![name(LB)], ["nginx"].as_slice()),
        ("nginx", vec![name(WEB[0]), name(WEB[1])], &[]),
        ("postfix", vec![name(MAIL)], &[]),
        ("redis-sentinel", vec![name(MONITOR)], &["redis-server"]),
        ("redis-server", vec![name(CACHE)], &[]),
    ]
    .into_iter()
    .map(|(s, hosts, deps)| {
        (
            s.to_string(),
            (hosts, deps.iter().map(|d| d.to_string()).collect()),
        )
    })
    .collect();
    assert_eq!(found, expected, "{yaml}\n{err}");

    // Evidence: the live connection and the config lines, as comments.
    assert_has(
        &yaml,
        &format!(
            "- redis-server  # connection {} -> {}:6379; /etc/redis/sentinel.conf:",
            address(&lab, MONITOR),
            address(&lab, CACHE)
        ),
    );
    assert_has(&yaml, "/etc/redis/sentinel.conf:");
    assert_has(&yaml, "- nginx  # /etc/haproxy/haproxy.cfg:");
    // Restarts through the hosts' init scripts, with their pid files and config files.
    assert_has(&yaml, "unit: redis-server\n");
    assert_has(&yaml, "- /etc/postfix/main.cf");
    assert_has(&yaml, "- /etc/haproxy/haproxy.cfg");
    assert_has(&yaml, "- tcp: 6379");
    // The stale relay, marked where the operator reads it.
    assert_has(
        &yaml,
        "# STALE: /etc/postfix/main.cf:7 names old-relay.example.invalid",
    );
    let md = std::fs::read_to_string(&report).expect("report written");
    for needle in [
        "## Service graph",
        "```mermaid",
        "old-relay.example.invalid (does not resolve)",
        "## External endpoints",
        "## Hosts that could not be read\n\nNone.",
    ] {
        assert_has(&md, needle);
    }

    if std::env::var_os("DISCOVER_SHOW").is_some() {
        eprintln!("{err}\n{yaml}\n{md}");
    }

    // The same findings as JSON, for scripts.
    let out = lab.run("discover", &skeleton, &["--format", "json"]);
    exited(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let edge = json["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .find(|e| e["from"] == "redis-sentinel")
        .expect("sentinel's edge");
    assert_eq!(edge["to"], "redis-server");
    assert_eq!(edge["evidence"][0]["kind"], "connection");
    assert_eq!(json["stale"][0]["name"], "old-relay.example.invalid");

    // It passes `check`.
    let check = lab
        .comeback()
        .arg("check")
        .arg(&draft)
        .output()
        .expect("check");
    exited(&check, 0);

    // Idempotent on its own output, and byte-stable for the same hosts.
    let again = root.join("again.yaml");
    let out = lab.run(
        "discover",
        &draft,
        &["--out", again.to_str().expect("utf8")],
    );
    exited(&out, 0);
    assert_eq!(std::fs::read_to_string(&again).expect("again"), yaml);
    let twice = root.join("twice.yaml");
    let out = lab.run(
        "discover",
        &skeleton,
        &["--out", twice.to_str().expect("utf8")],
    );
    exited(&out, 0);
    assert_eq!(std::fs::read_to_string(&twice).expect("twice"), yaml);

    // `run --dry-run` on the draft says what it says on a hand-written plan of the same lab:
    // the stale relay blocks Postfix (exit 3).
    let dry_draft = lab.run("run", &draft, &["--dry-run"]);
    let hand = lab.plan_with("", &hand_written(&lab));
    let dry_hand = lab.run("run", &hand, &["--dry-run"]);
    let hand_err = exited(&dry_hand, 3);
    assert_has(&hand_err, "old-relay.example.invalid");
    let draft_err = exited(&dry_draft, 3);
    assert_has(&draft_err, "old-relay.example.invalid");
}

#[test]
fn a_host_that_cannot_be_read_is_reported_and_the_rest_written() {
    let lab = Lab::start_ns(2);
    lab.exec(1, "service nginx start");
    // Postfix whose pid file is gone: its process is `master`, and only its package, postfix,
    // names the init script.
    lab.exec(
        1,
        "printf 'compatibility_level = 3.6\\nmyhostname = localhost\\nmydestination = localhost\\ninet_interfaces = all\\ninet_protocols = ipv4\\n' > /etc/postfix/main.cf && touch -d '-5 seconds' /etc/postfix/main.cf && service postfix start && rm /var/spool/postfix/pid/master.pid",
    );
    lab.net
        .as_ref()
        .expect("net")
        .wait_for_port(&lab.hosts[1].address, 80);
    // A host without `ss`, and one that does not exist.
    lab.exec(0, ": > /run/no-ss && mount --bind /run/no-ss /usr/bin/ss");
    let plan = lab.plan_with("", "");
    let text = std::fs::read_to_string(&plan).expect("plan").replace(
        "services:\n",
        "  gone: { address: 10.77.0.200, port: 2222 }\nservices: {}\n",
    );
    // `gone` must sit under hosts: put it right after the lab's hosts.
    let text = text
        .replacen(
            "ssh:\n",
            "  gone: { address: 10.77.0.200, port: 2222 }\nssh:\n",
            1,
        )
        .replace(
            "  gone: { address: 10.77.0.200, port: 2222 }\nservices: {}\n",
            "services: {}\n",
        );
    std::fs::write(&plan, text).expect("plan");
    let report = lab.root.path().join("discovery.md");
    let out = lab.run(
        "discover",
        &plan,
        &[
            "--report",
            report.to_str().expect("utf8"),
            "--timeout",
            "5s",
        ],
    );
    let err = exited(&out, 1);
    assert_has(&err, "gone: not read");
    assert_has(&err, "host-1: not read: `ss` is missing");
    let yaml = String::from_utf8_lossy(&out.stdout);
    assert_has(&yaml, "  nginx:\n");
    assert_has(
        &yaml,
        "# on host-2: init script postfix by its package; listens on 0.0.0.0:25",
    );
    let md = std::fs::read_to_string(&report).expect("report");
    assert_has(&md, "- **gone**: host 'gone' is unreachable");
    assert_has(&md, "- **host-1**: 'ss' is missing");
}

#[test]
fn on_systemd_hosts_units_come_from_cgroups_and_our_sshd_is_left_out() {
    let lab = Lab::start_systemd(2, &[]);
    lab.exec(
        0,
        "sed -i -e 's/^bind .*/bind 0.0.0.0/' -e 's/^protected-mode yes/protected-mode no/' /etc/redis/redis.conf && systemctl start redis-server",
    );
    lab.exec(
        1,
        &format!(
            "sed -i 's/^sentinel monitor mymaster .*/sentinel monitor mymaster {} 6379 1/' /etc/redis/sentinel.conf && systemctl start redis-sentinel",
            address(&lab, 0)
        ),
    );
    let mut connected = false;
    for _ in 0..100 {
        if lab
            .exec(1, "ss -Htn state established")
            .contains(&format!("{}:6379", address(&lab, 0)))
        {
            connected = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(connected, "sentinel never connected to redis");
    let skeleton = lab.plan_with("", "  {}\n");
    let out = lab.run("discover", &skeleton, &[]);
    let err = exited(&out, 0);
    let yaml = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_has(&err, "discovered: 2 services new");
    assert_has(
        &yaml,
        "  redis-server:\n    # on host-1: systemd unit redis-server.service; listens on 0.0.0.0:6379\n    hosts: [host-1]\n    unit: redis-server\n",
    );
    assert_has(&yaml, "  redis-sentinel:\n");
    assert_has(
        &yaml,
        &format!(
            "      - redis-server  # connection {} -> {}:6379",
            address(&lab, 1),
            address(&lab, 0)
        ),
    );
    // The sshd carrying our connections is a unit too, and not a service to restart (two
    // services above, not three).
    assert!(!yaml.contains("unit: ssh"), "{yaml}");
}
