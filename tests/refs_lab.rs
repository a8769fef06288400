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
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 1);
    assert_has(&err, "[2/3] app@host-2 FAILED in preflight");
    assert_has(&err, "db-legacy.invalid (does not resolve)");
    assert_eq!(
        lab.restart_ids(),
        ["db@host-1"],
        "app and everything after it untouched"
    );
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
