//! End-to-end over real SSH: stale config references, drift, and the audit report.

mod lab;
mod output;

use lab::{Lab, comeback_bin};
use output::{assert_has, exited};

/// db on host-1, app on host-2 whose config still names a decommissioned replica, web on host-3.
fn stack_with_a_removed_host(lab: &Lab) -> std::path::PathBuf {
    lab.service(0, "db", 7001, "");
    lab.service(
        1,
        "app",
        7002,
        &format!(
            "# app settings\nupstream = {db}:7001\nreplica_host = db-legacy.invalid\nDATABASE_URL=postgres://app:Sekr1tPw@{db}:7001/app\n",
            db = lab.hosts[0].address
        ),
    );
    lab.service(2, "web", 7003, "");
    let app_conf = lab.hosts[1].dir.join("app.conf");
    lab.plan_with(
        "defaults:\n  health: { timeout: 10s, interval: 100ms, settle: 200ms }\n",
        &format!(
            r#"  db:
    hosts: [host-1]
    restart: "{{vars.dir}}/bin/restart db"
    health: [{{ tcp: 7001 }}]
  app:
    hosts: [host-2]
    depends_on: [db]
    restart: "{{vars.dir}}/bin/restart app"
    configs: ["{}"]
    health: [{{ tcp: 7002 }}]
  web:
    hosts: [host-3]
    depends_on: [app]
    restart: "{{vars.dir}}/bin/restart web"
    health: [{{ tcp: 7003 }}]
"#,
            app_conf.display()
        ),
    )
}

#[test]
fn a_config_naming_a_removed_host_makes_the_dry_run_exit_3_and_list_it() {
    let lab = Lab::start(3);
    let plan = stack_with_a_removed_host(&lab);
    let out = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&out, 3);
    let conf = lab.hosts[1].dir.join("app.conf");
    assert_has(
        &err,
        &format!("{}:3  db-legacy.invalid  STALE", conf.display()),
    );
    assert!(
        !err.contains("Sekr1tPw"),
        "a password reached the output: {err}"
    );
    assert!(lab.restart_ids().is_empty());
}

#[test]
fn a_real_run_halts_before_the_service_with_a_stale_reference() {
    let lab = Lab::start(3);
    let plan = stack_with_a_removed_host(&lab);
    // Every step's preflight runs before the first restart: the stale reference of step 2
    // stops the run before step 1 is touched, and it ends as the dry run would (exit 3).
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 3);
    assert_has(&err, "[2/3] app@host-2 FAILED in preflight");
    assert_has(&err, "db-legacy.invalid (does not resolve)");
    assert_has(
        &err,
        "nothing was restarted: one step would halt at preflight (app@host-2)",
    );
    assert!(lab.restart_ids().is_empty(), "nothing touched");
}

#[test]
fn a_config_edited_after_its_service_started_is_drift() {
    let lab = Lab::start(1);
    lab.service(0, "db", 7001, "max_connections = 100\n");
    // mtimes and process start times have one-second resolution.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    lab.set_config(0, "db", "max_connections = 500\n");
    let conf = lab.hosts[0].dir.join("db.conf");
    let plan = lab.plan(&format!(
        r#"  db:
    hosts: [host-1]
    restart: "{{vars.dir}}/bin/restart db"
    configs: ["{}"]
    pid_file: {}
    health: [{{ tcp: 7001 }}]
"#,
        conf.display(),
        lab.hosts[0].dir.join("db.pid").display()
    ));
    let out = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&out, 0);
    assert!(
        err.contains(&format!(
            "drift: {} changed after the process started",
            conf.display()
        )),
        "{err}"
    );
}

#[test]
fn a_binary_replaced_under_its_running_service_is_drift() {
    let lab = Lab::start(1);
    // The service runs from its own copy of the binary, which an "upgrade" then replaces the
    // way package managers do: a new file renamed over the old path.
    let bin = lab.hosts[0].dir.join("bin/demo-v1");
    std::fs::copy(comeback_bin(), &bin).expect("copy");
    lab.service_from(0, "db", 7001, "max_connections = 100\n", &bin);
    let upgrade = lab.hosts[0].dir.join("bin/demo-v2");
    std::fs::write(&upgrade, "#!/bin/sh\n").expect("upgrade");
    std::fs::rename(&upgrade, &bin).expect("replace");
    let plan = lab.plan(&format!(
        r#"  db:
    hosts: [host-1]
    restart: "{{vars.dir}}/bin/restart db"
    pid_file: {}
    health: [{{ tcp: 7001 }}]
"#,
        lab.hosts[0].dir.join("db.pid").display()
    ));
    let out = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&out, 0);
    let drift = format!(
        "drift: the process runs {}, deleted or replaced on disk",
        bin.display()
    );
    assert_eq!(err.matches(&drift).count(), 1, "{err}");
}

#[test]
fn audit_writes_both_reports() {
    let lab = Lab::start(3);
    let plan = stack_with_a_removed_host(&lab);
    let out = lab.run("audit", &plan, &[]);
    let err = exited(&out, 3);
    // Regression: the audit's progress and summary said "dry run".
    assert!(err.contains("comeback audit "), "{err}");
    assert!(err.contains("\naudit: every step is healthy, but"), "{err}");
    assert!(!err.contains("dry run"), "{err}");
    let run = lab.last_run();
    let journal = std::fs::read_to_string(run.join("journal.jsonl")).expect("journal");
    let first: serde_json::Value =
        serde_json::from_str(journal.lines().next().expect("a line")).expect("json");
    assert_eq!(first["event"], "run_started");
    assert_eq!(first["mode"], "audit");
    let md = std::fs::read_to_string(run.join("report.md")).expect("report.md");
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run.join("report.json")).expect("report.json"),
    )
    .expect("json");
    assert!(md.starts_with("# Takeover audit:"), "{md}");
    assert!(md.contains("### Components at risk"));
    assert!(
        md.contains("names db-legacy.invalid which does not resolve"),
        "{md}"
    );
    assert!(md.contains("single instance: a single point of failure"));
    assert!(md.contains("```mermaid\nflowchart LR"));
    assert!(!md.contains("Sekr1tPw"));
    assert_eq!(json["mode"], "audit");
    assert_eq!(json["summary"]["steps"], 3);
    let app = json["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["step"] == "app@host-2")
        .expect("app step");
    let stale: Vec<&serde_json::Value> = app["references"]
        .as_array()
        .expect("refs")
        .iter()
        .filter(|r| r["status"] == "stale")
        .collect();
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0]["host"], "db-legacy.invalid");
    assert_eq!(stale[0]["line"], 3);
    assert!(lab.restart_ids().is_empty(), "an audit restarts nothing");
}

#[test]
fn a_real_run_writes_its_report_from_its_events() {
    let lab = Lab::start(1);
    lab.service(0, "db", 7001, "");
    let plan = lab.plan(
        r#"  db:
    hosts: [host-1]
    restart: "{vars.dir}/bin/restart db"
    health: [{ tcp: 7001, interval: 100ms, settle: 200ms }]
"#,
    );
    let out = lab.run("run", &plan, &["--yes"]);
    exited(&out, 0);
    let run = lab.last_run();
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run.join("report.json")).expect("report.json"),
    )
    .expect("json");
    let step = &json["steps"][0];
    assert_eq!(step["result"]["result"], "passed");
    assert!(step["restarted_at"].is_string());
    assert!(step["healthy_after_ms"].is_u64());
    assert_eq!(step["checks_passed"][0], "tcp 7001");
}

/// db on host-1 whose config binds `address` besides its own loopback ones.
fn service_binding(lab: &Lab, address: &str) -> std::path::PathBuf {
    lab.service(
        0,
        "db",
        7001,
        // The demo service reads `key = value` lines; the loopback listen address is never a
        // finding.
        &format!("bind-address = {address}\nlisten_address = 127.0.0.1\nport = 7001\n"),
    );
    lab.plan(&format!(
        r#"  db:
    hosts: [host-1]
    restart: "{{vars.dir}}/bin/restart db"
    configs: ["{}"]
    health: [{{ tcp: 7001 }}]
"#,
        lab.hosts[0].dir.join("db.conf").display()
    ))
}

/// TEST-NET-1: documentation only, never an address of this machine.
const MOVED_ADDRESS: &str = "192.0.2.77";

#[test]
fn a_bind_address_the_host_does_not_have_is_a_finding_of_the_dry_run() {
    let lab = Lab::start(1);
    let plan = service_binding(&lab, MOVED_ADDRESS);
    let out = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&out, 3);
    let conf = lab.hosts[0].dir.join("db.conf");
    assert_has(
        &err,
        &format!(
            "{}:1  {MOVED_ADDRESS}:7001  LISTEN: not an address of this host",
            conf.display()
        ),
    );
    assert!(lab.restart_ids().is_empty());
}

#[test]
fn a_bind_address_the_host_does_not_have_halts_a_real_run_in_preflight() {
    let lab = Lab::start(1);
    let plan = service_binding(&lab, MOVED_ADDRESS);
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 3);
    assert_has(&err, "[1/1] db@host-1 FAILED in preflight");
    assert_has(
        &err,
        &format!("{MOVED_ADDRESS} (not an address of this host)"),
    );
    assert!(lab.restart_ids().is_empty(), "nothing restarted");
    let run = lab.last_run();
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run.join("report.json")).expect("report.json"),
    )
    .expect("json");
    let reference = &json["steps"][0]["references"][0];
    assert_eq!(reference["kind"], "listen");
    assert_eq!(reference["status"], "not_local");
    let md = std::fs::read_to_string(run.join("report.md")).expect("report.md");
    assert!(
        md.contains("**listen**: not an address of this host"),
        "{md}"
    );
}

#[test]
fn a_bind_address_the_host_has_passes() {
    // This machine's own first non-loopback address, when it has one: the positive control.
    let out = std::process::Command::new("hostname")
        .arg("-I")
        .output()
        .expect("hostname -I");
    let own = String::from_utf8_lossy(&out.stdout);
    let Some(own) = own
        .split_whitespace()
        .find(|a| a.parse::<std::net::Ipv4Addr>().is_ok())
    else {
        panic!("this machine has no non-loopback IPv4 address to bind: {own:?}");
    };
    let lab = Lab::start(1);
    let plan = service_binding(&lab, own);
    let out = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&out, 0);
    assert!(!err.contains("not an address of this host"), "{err}");
}

/// A real HAProxy, run by the test, in front of a lab service; its config in the stock Debian
/// style, with the `default-server init-addr last,libc,none` that read as three stale hosts.
struct Haproxy(std::process::Child);

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_dry_run_of_a_real_haproxy_with_init_addr_exits_0_when_its_backends_exist() {
    let lab = Lab::start(2);
    lab.service(0, "app", 7001, "");
    let (app, lb) = (&lab.hosts[0].address, &lab.hosts[1].address);
    let cfg = lab.hosts[1].dir.join("haproxy.cfg");
    std::fs::write(
        &cfg,
        format!(
            r#"global
	log /dev/log	local0
	log /dev/log	local1 notice
	stats timeout 30s
	ca-base /etc/ssl/certs
	crt-base /etc/ssl/private
	ssl-default-bind-ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384
	ssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256
	ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets

defaults
	log	global
	mode	http
	option	httplog
	option	dontlognull
	timeout connect 5000
	timeout client  50000
	timeout server  50000
	default-server init-addr last,libc,none

frontend web
	bind {lb}:7080
	default_backend app

backend app
	balance roundrobin
	server app1 {app}:7001 check inter 2s
"#
        ),
    )
    .expect("haproxy.cfg");
    let haproxy = ["/usr/sbin/haproxy", "/usr/local/sbin/haproxy"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("haproxy is installed (scripts/test installs it)");
    let check = std::process::Command::new(haproxy)
        .args(["-c", "-f"])
        .arg(&cfg)
        .output()
        .expect("haproxy -c");
    assert!(
        check.status.success(),
        "haproxy rejects the config: {}",
        String::from_utf8_lossy(&check.stderr)
    );
    let _haproxy = Haproxy(
        std::process::Command::new(haproxy)
            .args(["-db", "-f"])
            .arg(&cfg)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start haproxy"),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect((lb.as_str(), 7080)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "haproxy does not listen"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let plan = lab.plan(&format!(
        r#"  app:
    hosts: [host-1]
    restart: "{{vars.dir}}/bin/restart app"
    health: [{{ tcp: 7001 }}]
  lb:
    hosts: [host-2]
    depends_on: [app]
    restart: "true"
    configs: ["{}"]
    health: [{{ tcp: 7080 }}, {{ http: "http://{{address}}:7080/" }}]
"#,
        cfg.display()
    ));
    let out = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&out, 0);
    for word in ["init-addr", "last", "libc", "STALE"] {
        assert!(!err.contains(word), "{word} in the dry run: {err}");
    }
    // The backend is a reference that was checked, not skipped.
    let run = lab.last_run();
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(run.join("report.json")).expect("report.json"),
    )
    .expect("json");
    let lb_step = json["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["step"] == "lb@host-2")
        .expect("lb step");
    let refs = lb_step["references"].as_array().expect("references");
    assert_eq!(refs.len(), 1, "{refs:?}");
    assert_eq!(refs[0]["host"], app.as_str());
    assert_eq!(refs[0]["port"], 7001);
    assert_eq!(refs[0]["status"], "ok");
}

/// db on host-1 whose config names `target` in a key that says nothing about hosts.
fn service_naming(lab: &Lab, target: &str) -> std::path::PathBuf {
    lab.service(0, "db", 7001, &format!("run = {target}\n"));
    lab.plan(&format!(
        r#"  db:
    hosts: [host-1]
    restart: "{{vars.dir}}/bin/restart db"
    configs: ["{}"]
    health: [{{ tcp: 7001 }}]
"#,
        lab.hosts[0].dir.join("db.conf").display()
    ))
}

#[test]
fn a_weak_reference_is_listed_as_unverified_and_never_blocks() {
    let lab = Lab::start(1);
    let plan = service_naming(&lab, "gone-app:9100");
    let out = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&out, 0);
    assert_has(&err, "gone-app:9100  unverified: may not be a host");
    let out = lab.run("run", &plan, &["--yes"]);
    exited(&out, 0);
    assert_eq!(lab.restart_ids(), ["db@host-1"]);
}

#[test]
fn a_weak_reference_the_inventory_knows_is_checked_like_a_strong_one() {
    // `host-1` is an inventory name, so `host-1:7001` is a host; the host itself cannot
    // resolve that name (the lab has no DNS for it), so the service could not reach it.
    let lab = Lab::start(1);
    let plan = service_naming(&lab, "host-1:7001");
    let out = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&out, 3);
    assert_has(&err, "host-1:7001  STALE");
}

#[test]
fn the_audit_reports_a_bind_address_the_host_does_not_have_as_its_own_risk() {
    let lab = Lab::start(1);
    let plan = service_binding(&lab, MOVED_ADDRESS);
    let out = lab.run("audit", &plan, &[]);
    exited(&out, 3);
    let md = std::fs::read_to_string(lab.last_run().join("report.md")).expect("report.md");
    assert!(
        md.contains(&format!(
            "db.conf:1 binds {MOVED_ADDRESS}: not an address of this host"
        )),
        "{md}"
    );
    assert!(
        md.contains("**listen**: not an address of this host"),
        "{md}"
    );
    assert!(lab.restart_ids().is_empty(), "an audit restarts nothing");
}
