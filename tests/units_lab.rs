//! Real Debian daemons (Redis, HAProxy, Postfix, nginx) in namespace hosts, restarted through
//! their own init scripts via `service` with `unit:` in the plan: each restart is proved by a
//! new process, a reload by the same one, and a restart that restarts nothing fails.

mod lab;
mod output;

use lab::Lab;
use output::{assert_has, exited};
use serde_json::Value;

const TIMING: &str = "defaults:\n  health: { timeout: 20s, interval: 200ms, settle: 1s }\n";

/// Configures and starts the four daemons on host `i` through their init scripts.
fn start_daemons(lab: &Lab, i: usize, daemons: &[&str]) {
    // Postfix as installed with "No configuration" has no main.cf; it ignores a config less
    // than a second old.
    lab.exec(
        i,
        "printf 'myhostname = lab.example\\ninet_interfaces = all\\ninet_protocols = ipv4\\n\
         mydestination =\\ncompatibility_level = 3.6\\n' \
         > /etc/postfix/main.cf && touch -d '-10 seconds' /etc/postfix/main.cf",
    );
    lab.exec(
        i,
        "printf 'global\\n  stats socket /run/haproxy/admin.sock mode 660 level admin\\n\
         defaults\\n  mode http\\n  timeout connect 1s\\n  timeout client 5s\\n  timeout server 5s\\n\
         frontend web\\n  bind :8080\\n  http-request return status 200\\n' > /etc/haproxy/haproxy.cfg",
    );
    for d in daemons {
        lab.exec(i, &format!("service {d} start"));
    }
}

/// The pid the daemon's pid file names on host `i`, once it names one: `service start` can
/// return before a daemon that forks has written it (Redis, under load).
fn pid_in(lab: &Lab, i: usize, file: &str) -> u32 {
    let wait = format!(
        "for _ in $(seq 100); do p=$(head -n 1 {file} 2>/dev/null | tr -dc 0-9); \
         [ -n \"$p\" ] && break; sleep 0.1; done; printf %s \"$p\""
    );
    lab.exec(i, &wait)
        .parse()
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn events<'a>(journal: &'a [Value], name: &str) -> Vec<&'a Value> {
    journal.iter().filter(|r| r["event"] == name).collect()
}

#[test]
fn every_debian_daemon_restarts_through_its_init_script_with_proof() {
    let lab = Lab::start_ns(1);
    start_daemons(&lab, 0, &["redis-server", "haproxy", "postfix", "nginx"]);
    let old = [
        pid_in(&lab, 0, "/run/redis/redis-server.pid"),
        pid_in(&lab, 0, "/run/haproxy.pid"),
        pid_in(&lab, 0, "/var/spool/postfix/pid/master.pid"),
        pid_in(&lab, 0, "/run/nginx.pid"),
    ];
    // main.cf edited after Postfix started (mtimes are whole seconds): never loaded.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    lab.exec(
        0,
        "echo '# relayhost changed months ago' >> /etc/postfix/main.cf",
    );
    let plan = lab.plan_with(
        TIMING,
        "  redis:\n    hosts: [host-1]\n    unit: redis-server\n    configs: [/etc/redis/redis.conf]\n\
         \x20 haproxy:\n    hosts: [host-1]\n    unit: haproxy\n    health: [{ tcp: 8080 }]\n\
         \x20 postfix:\n    hosts: [host-1]\n    unit: postfix\n    configs: [/etc/postfix/main.cf]\n\
         \x20 nginx:\n    hosts: [host-1]\n    unit: nginx\n\
         \x20 nginx-config:\n    hosts: [host-1]\n    depends_on: [nginx]\n    unit: nginx\n    action: reload\n",
    );

    let dry = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&dry, 0);
    assert_has(
        &err,
        "service manager of host-1: SysV init scripts (service)",
    );
    assert_has(
        &err,
        "drift: /etc/postfix/main.cf changed after the process started",
    );

    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 0);
    assert_has(&err, "restart proved: new process");
    assert_has(&err, "reload proved: same process");
    let journal = lab.journal();
    let proofs = events(&journal, "restart_evidence");
    assert_eq!(proofs.len(), 5, "{proofs:?}");
    let new = [
        pid_in(&lab, 0, "/run/redis/redis-server.pid"),
        pid_in(&lab, 0, "/run/haproxy.pid"),
        pid_in(&lab, 0, "/var/spool/postfix/pid/master.pid"),
        pid_in(&lab, 0, "/run/nginx.pid"),
    ];
    for (n, proof) in proofs.iter().take(4).enumerate() {
        assert_eq!(proof["proved"], true, "{proof}");
        assert_eq!(proof["before"]["pid"], old[n], "{proof}");
        assert_eq!(proof["after"]["pid"], new[n], "{proof}");
        assert_ne!(old[n], new[n]);
    }
    // The reload kept nginx's master.
    assert_eq!(proofs[4]["action"], "reload");
    assert_eq!(proofs[4]["before"]["pid"], new[3]);
    assert_eq!(proofs[4]["after"]["pid"], new[3]);
    assert_eq!(proofs[4]["proved"], true);
    // No `health`: the manager's status and the old ports, owned by the new process.
    let inferred = events(&journal, "checks_inferred");
    let redis = inferred[0]["checks"].to_string();
    assert!(redis.contains("says redis-server is active"), "{redis}");
    assert!(
        redis.contains(&format!(
            "port 6379 listens again, owned by the new process (pid {})",
            new[0]
        )),
        "{redis}"
    );
    let postfix = inferred[1]["checks"].to_string();
    assert!(postfix.contains("port 25 listens again"), "{postfix}");
    let loaded = events(&journal, "configs_loaded");
    assert_eq!(loaded.len(), 1, "{loaded:?}");
    assert_eq!(loaded[0]["paths"][0], "/etc/postfix/main.cf");
    let report = std::fs::read_to_string(lab.last_run().join("report.md")).expect("report");
    assert_has(&report, "## Service managers");
    assert_has(&report, "- host-1: SysV init scripts (service)");
    assert_has(&report, "- loaded at last: `/etc/postfix/main.cf`");
    assert_has(
        &report,
        &format!("- restart proof: replaced: pid {}", old[0]),
    );
    assert_has(&report, "- inferred check: port 6379 listens again");
    // Inferred checks verify a unit without `health`: not a risk.
    assert!(!report.contains("cannot be verified"), "{report}");
    assert_has(
        &report,
        "(inferred from its unit: active, and its old ports listen again)",
    );
}

#[test]
fn a_stale_pid_file_that_makes_the_init_script_restart_nothing_is_caught() {
    let lab = Lab::start_ns(1);
    start_daemons(&lab, 0, &["redis-server"]);
    let old = pid_in(&lab, 0, "/run/redis/redis-server.pid");
    // The pid file names a process that is gone: the init script stops nothing, and the
    // redis it starts cannot bind the port the old one still holds.
    lab.exec(0, "echo 999999 > /run/redis/redis-server.pid");
    let plan = lab.plan_with(
        TIMING,
        "  redis:\n    hosts: [host-1]\n    unit: redis-server\n    impact: Sessions are lost.\n",
    );
    // The init script's own status says so before anything is touched.
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 1);
    assert_has(
        &err,
        &format!(
            "says redis-server is not running (status exited 1), yet its process runs as pid {old}: the manager has lost track of it"
        ),
    );
    assert_has(
        &err,
        "nothing was restarted: one step would halt at preflight",
    );
    // Pressed on, the restart through the script restarts nothing, and the proof says so.
    let out = lab.run("run", &plan, &["--yes", "--allow-unhealthy"]);
    let err = exited(&out, 1);
    assert_has(
        &err,
        &format!("the restart command exited 0, but redis-server is still pid {old} started"),
    );
    assert_has(&err, "nothing was restarted");
    // The old process still serves, and the journal keeps both sides of the evidence.
    lab.exec(0, &format!("kill -0 {old}"));
    let journal = lab.journal();
    let proof = events(&journal, "restart_evidence");
    assert_eq!(proof.len(), 1);
    assert_eq!(proof[0]["proved"], false);
    assert_eq!(proof[0]["before"]["pid"], old);
    assert_eq!(proof[0]["after"]["pid"], old);
}

#[test]
fn bad_units_are_refused_naming_host_and_unit_before_anything_restarts() {
    let lab = Lab::start_ns(1);
    start_daemons(&lab, 0, &["redis-server", "nginx"]);
    let redis = pid_in(&lab, 0, "/run/redis/redis-server.pid");
    let nginx = pid_in(&lab, 0, "/run/nginx.pid");
    let untouched = |lab: &Lab| {
        assert_eq!(pid_in(lab, 0, "/run/redis/redis-server.pid"), redis);
        assert_eq!(pid_in(lab, 0, "/run/nginx.pid"), nginx);
        lab.exec(0, &format!("kill -0 {redis} && kill -0 {nginx}"));
    };
    // nginx comes first: a problem found with a later step still restarts nothing.
    let plan = |unit: &str| {
        lab.plan_with(
            TIMING,
            &format!(
                "  nginx:\n    hosts: [host-1]\n    unit: nginx\n\
                 \x20 redis:\n    hosts: [host-1]\n    depends_on: [nginx]\n    unit: {unit}\n"
            ),
        )
    };

    let out = lab.run("run", &plan("redis-sever"), &["--yes"]);
    let err = exited(&out, 2);
    assert_has(
        &err,
        "host `host-1`, unit `redis-sever` (redis@host-1): unknown unit `redis-sever`: there is no /etc/init.d/redis-sever",
    );
    untouched(&lab);
    // Refused with nothing left behind: the lookups' run folder goes too.
    lab.assert_hosts_swept();

    // The pid file names another program (here the host's sshd).
    let dir = lab.hosts[0].dir.display().to_string();
    lab.exec(0, &format!("cp /run/redis/redis-server.pid {dir}/redis.pid; cat /run/sshd.pid > /run/redis/redis-server.pid"));
    let out = lab.run("run", &plan("redis-server"), &["--yes"]);
    let err = exited(&out, 2);
    assert_has(
        &err,
        "host `host-1`, unit `redis-server` (redis@host-1): pid file /run/redis/redis-server.pid points at pid",
    );
    assert_has(&err, "which runs /usr/sbin/sshd, not redis-server");
    lab.exec(
        0,
        &format!("cp {dir}/redis.pid /run/redis/redis-server.pid"),
    );
    untouched(&lab);

    // A host where no service manager can be told: init scripts but no `service`.
    lab.exec(
        0,
        &format!("touch {dir}/no-service && mount --bind {dir}/no-service /usr/sbin/service"),
    );
    let out = lab.run("run", &plan("redis-server"), &["--dry-run"]);
    let err = exited(&out, 2);
    assert_has(
        &err,
        "host `host-1`: cannot tell its service manager, so unit `nginx` (nginx@host-1) cannot be restarted through it",
    );
    assert_has(&err, "no `service` command");
    let out = lab.run("run", &plan("redis-server"), &["--yes"]);
    exited(&out, 2);
    untouched(&lab);
    lab.assert_hosts_swept();
}

/// An in-house Python app under a Debian-style init script: the interpreter runs the app
/// (named like the unit) as its argument; the pid file is made by start-stop-daemon.
fn shop_init_script(app: &std::path::Path) -> String {
    format!(
        "#!/bin/sh\n### BEGIN INIT INFO\n# Provides: shop\n# Default-Start: 2 3 4 5\n\
         # Default-Stop: 0 1 6\n### END INIT INFO\nPYTHON=/usr/bin/python3\nAPP={app}\n\
         PIDFILE=/run/shop.pid\ncase \"$1\" in\n\
         start) start-stop-daemon --start --background --make-pidfile --pidfile $PIDFILE \
         --exec $PYTHON -- $APP ;;\n\
         stop) start-stop-daemon --stop --pidfile $PIDFILE --remove-pidfile --retry TERM/5 ;;\n\
         restart) $0 stop; $0 start ;;\n\
         status) start-stop-daemon --status --pidfile $PIDFILE ;;\nesac\n",
        app = app.display()
    )
}

#[test]
fn interpreted_daemons_under_init_scripts_are_known_by_their_command_line() {
    let lab = Lab::start_ns(1);
    let app = lab.hosts[0].dir.join("shop");
    std::fs::write(
        &app,
        "import http.server\nclass Ok(http.server.BaseHTTPRequestHandler):\n    \
         def do_GET(self):\n        self.send_response(200); self.end_headers()\n\
         http.server.HTTPServer(('0.0.0.0', 8081), Ok).serve_forever()\n",
    )
    .expect("app");
    lab.exec(
        0,
        &format!(
            "cat > /etc/init.d/shop <<'EOF'\n{}EOF\nchmod 755 /etc/init.d/shop",
            shop_init_script(&app)
        ),
    );
    lab.exec(0, "service shop start && service zookeeper start");
    let java = pid_in(&lab, 0, "/run/zookeeper/zookeeper.pid");
    let python = pid_in(&lab, 0, "/run/shop.pid");
    // Python and Java: the executables are the interpreters, not the daemons.
    assert!(
        lab.exec(0, &format!("readlink /proc/{python}/exe"))
            .contains("python3")
    );
    assert!(
        lab.exec(0, &format!("readlink /proc/{java}/exe"))
            .contains("java")
    );
    let plan = lab.plan_with(
        "defaults:\n  health: { timeout: 60s, interval: 300ms, settle: 1s }\n",
        "  zookeeper:\n    hosts: [host-1]\n    unit: zookeeper\n\
         \x20 shop:\n    hosts: [host-1]\n    unit: shop\n    depends_on: [zookeeper]\n\
         \x20   health: [{ tcp: 8081 }]\n",
    );
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 0);
    assert_has(&err, "done: 2 steps restarted and verified");
    let journal = lab.journal();
    let proofs = events(&journal, "restart_evidence");
    assert_eq!(proofs.len(), 2, "{proofs:?}");
    assert_eq!(proofs[0]["before"]["pid"], java);
    assert_eq!(proofs[1]["before"]["pid"], python);
    for proof in &proofs {
        assert_eq!(proof["proved"], true, "{proof}");
    }
    assert_ne!(pid_in(&lab, 0, "/run/shop.pid"), python);

    // A pid file pointing at a Python program that is not the app is still refused.
    lab.exec(
        0,
        "python3 -c 'import time; time.sleep(600)' >/dev/null 2>&1 & echo $! > /run/shop.pid",
    );
    let out = lab.run("run", &plan, &["--dry-run", "--only", "shop"]);
    let err = exited(&out, 2);
    assert_has(&err, "pid file /run/shop.pid points at pid");
    assert_has(&err, "not shop");
}
