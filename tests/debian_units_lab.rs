//! Debian's own daemons under their own systemd units, on a test host whose PID 1 is a real
//! systemd (systemd-nspawn): PostgreSQL (the `postgresql` umbrella unit and its
//! `postgresql@15-main` cluster), PgBouncer, MariaDB, memcached, Varnish, rsyslog (it listens
//! on nothing), ZooKeeper (a Java daemon, through the unit systemd generates from its init
//! script) and a Python app as a unit of its own. Each is restarted with proof; a stopped unit
//! halts the run before anything is touched; a Varnish whose VCL names a removed backend fails
//! at start, and the halt says what systemd logged.

mod lab;
mod output;

use lab::Lab;
use output::{assert_has, exited};
use serde_json::Value;
use std::time::Instant;

/// A small HTTP app in Python, its port from its config file (named on its command line).
const SHOP: &str = r#"#!/usr/bin/python3
import http.server, sys
conf = sys.argv[sys.argv.index("--config") + 1]
port = int(next(l.split("=")[1] for l in open(conf) if l.startswith("port")))
class Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *a):
        pass
http.server.HTTPServer(("0.0.0.0", port), Ok).serve_forever()
"#;

const SHOP_UNIT: &str = "[Unit]\nDescription=the shop, a Python app\n[Service]\n\
ExecStart=/usr/bin/python3 /usr/local/lib/shop/shop --config /etc/shop/shop.conf\n\
[Install]\nWantedBy=multi-user.target\n";

const DAEMONS: &[&str] = &[
    "postgresql",
    "pgbouncer",
    "mariadb",
    "memcached",
    "varnish",
    "rsyslog",
    "zookeeper",
    "shop",
];

/// The pid of a daemon as its host tells it: systemd's main pid, or (for ZooKeeper, whose unit
/// is generated from its init script and has none) the pid file its script writes.
fn pid_of(lab: &Lab, daemon: &str) -> u32 {
    match daemon {
        "postgresql" => main_pid(lab, "postgresql@15-main"),
        "zookeeper" => lab
            .exec(0, "cat /run/zookeeper/zookeeper.pid")
            .trim()
            .parse()
            .expect("pid"),
        unit => main_pid(lab, unit),
    }
}

fn main_pid(lab: &Lab, unit: &str) -> u32 {
    lab.exec(0, &format!("systemctl show -p MainPID --value {unit}"))
        .trim()
        .parse()
        .expect("pid")
}

fn events<'a>(journal: &'a [Value], name: &str) -> Vec<&'a Value> {
    journal.iter().filter(|r| r["event"] == name).collect()
}

#[test]
fn debian_daemons_restart_with_proof_and_a_stopped_or_failing_unit_halts() {
    let lab = Lab::start_systemd(1, &[("shop.service", SHOP_UNIT)]);
    lab.exec(
        0,
        &format!(
            "echo 'nameserver 127.0.0.1' > /etc/resolv.conf\n\
             mkdir -p /usr/local/lib/shop /etc/shop\n\
             cat > /usr/local/lib/shop/shop <<'EOF'\n{SHOP}EOF\n\
             printf 'port = 8081\\ndatabase = postgresql://shop@127.0.0.1:5432/shop\\n' > /etc/shop/shop.conf"
        ),
    );
    lab.exec(0, &format!("systemctl start {}", DAEMONS.join(" ")));
    // Every unit but memcached starts at boot.
    lab.exec(
        0,
        "systemctl enable postgresql pgbouncer mariadb varnish rsyslog shop 2>&1",
    );
    let cluster = main_pid(&lab, "postgresql@15-main");
    assert_ne!(cluster, 0, "PostgreSQL's cluster runs");
    assert_eq!(
        main_pid(&lab, "postgresql"),
        0,
        "the umbrella has no process"
    );
    let services: String = DAEMONS
        .iter()
        .map(|d| format!("  {d}:\n    hosts: [host-1]\n    unit: {d}\n"))
        .collect();
    let services = services.replace(
        "  shop:\n    hosts: [host-1]\n    unit: shop\n",
        "  shop:\n    hosts: [host-1]\n    unit: shop\n    depends_on: [postgresql]\n    configs: [/etc/shop/shop.conf]\n",
    );
    let plan = lab.plan_with(
        "defaults:\n  health: { timeout: 60s, interval: 300ms, settle: 1s }\n",
        &services,
    );

    let dry = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&dry, 0);
    assert_has(&err, "service manager of host-1: systemd");
    assert_has(&err, "postgresql restarts postgresql@15-main");
    assert_has(
        &err,
        "warning: memcached is not enabled at boot: it runs now, but will not come back after a reboot (systemctl enable memcached)",
    );
    for enabled in ["pgbouncer", "mariadb", "varnish", "rsyslog", "shop"] {
        assert!(
            !err.contains(&format!("warning: {enabled} is not enabled")),
            "{err}"
        );
    }

    let before: Vec<u32> = DAEMONS.iter().map(|d| pid_of(&lab, d)).collect();
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 0);
    assert_has(&err, "preflight of all 8 steps passed");
    assert_has(&err, "done: 8 steps restarted and verified");
    assert_has(
        &err,
        "restart proved: new process (postgresql@15-main: pid ",
    );
    let journal = lab.journal();
    let proofs = events(&journal, "restart_evidence");
    assert_eq!(proofs.len(), DAEMONS.len(), "{proofs:?}");
    for (proof, (daemon, old)) in proofs.iter().zip(DAEMONS.iter().zip(&before)) {
        assert_eq!(proof["proved"], true, "{daemon}: {proof}");
        assert_eq!(proof["before"]["pid"], *old, "{daemon}: {proof}");
        assert_ne!(proof["after"]["pid"], *old, "{daemon}: {proof}");
        assert_eq!(
            proof["after"]["pid"],
            pid_of(&lab, daemon),
            "{daemon}: {proof}"
        );
    }
    assert_eq!(proofs[0]["unit"], "postgresql@15-main");
    assert_ne!(main_pid(&lab, "postgresql@15-main"), cluster);
    let report = std::fs::read_to_string(lab.last_run().join("report.md")).expect("report");
    assert!(
        report.contains("memcached is not enabled at boot"),
        "{report}"
    );

    // A unit stopped on purpose is never started silently, and nothing else is touched.
    lab.exec(0, "systemctl stop memcached");
    let postgres = main_pid(&lab, "postgresql@15-main");
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 1);
    assert_has(&err, "systemd says memcached is inactive (dead)");
    assert_has(
        &err,
        "nothing was restarted: one step would halt at preflight (memcached@host-1)",
    );
    assert_eq!(main_pid(&lab, "postgresql@15-main"), postgres);
    assert_eq!(
        lab.exec_output(0, "systemctl is-active memcached").stdout,
        b"inactive\n"
    );

    // A VCL naming a backend that no longer resolves fails Varnish's start: the halt comes as
    // soon as systemd knows, with its words and the unit's log.
    lab.exec(
        0,
        "sed -i 's/\\.host = \"127.0.0.1\"/.host = \"old-app-02.lab\"/' /etc/varnish/default.vcl \
         && grep -q old-app-02.lab /etc/varnish/default.vcl",
    );
    let began = Instant::now();
    let out = lab.run("run", &plan, &["--yes", "--only", "varnish"]);
    let err = exited(&out, 1);
    assert!(
        began.elapsed().as_secs() < 30,
        "waited {:?} for a unit systemd knew had failed",
        began.elapsed()
    );
    // Caught while its new process was awaited, or in the gate once it had shown: either
    // way in systemd's words, long before the gate's timeout.
    assert!(
        err.contains("FAILED in restart") || err.contains("FAILED in health gate"),
        "{err}"
    );
    assert_has(&err, "systemd says varnish is failed");
    assert_has(&err, "the last lines of its log (journalctl -u varnish)");
    assert_has(&err, "old-app-02.lab");
}
