//! End-to-end: `comeback run`, `--dry-run` and `resume` over real SSH against the test lab.

mod lab;
mod output;

use lab::Lab;
use output::{assert_has, exited};
use std::time::{Duration, Instant};

const DEFAULTS: &str = "defaults:\n  health: { timeout: 10s, interval: 100ms, settle: 300ms }\n";

/// db on host-1, app on host-2 and host-3, web on host-4.
fn three_tier(lab: &Lab) -> std::path::PathBuf {
    let a = |i: usize| lab.hosts[i].address.clone();
    lab.service(0, "db", 7001, "");
    lab.service(1, "app", 7002, &format!("upstream = {}:7001\n", a(0)));
    lab.service(2, "app", 7002, &format!("upstream = {}:7001\n", a(0)));
    lab.service(
        3,
        "web",
        7003,
        &format!("upstream = {0}:7002, {1}:7002\n", a(1), a(2)),
    );
    lab.plan_with(
        DEFAULTS,
        r#"  db:
    hosts: [host-1]
    restart: "{vars.dir}/bin/restart db"
    health: [{ tcp: 7001 }]
    impact: Nobody can log in.
    runbook: Check the database log.
  app:
    hosts: [host-2, host-3]
    depends_on: [db]
    restart: "{vars.dir}/bin/restart app"
    health:
      - http: "http://{address}:7002/health"
      - command: "kill -0 $(cat {vars.dir}/app.pid)"
    impact: The shop is down.
    runbook: |
      Read {dir}/app.out on the host.
      Then restart it by hand.
  web:
    hosts: [host-4]
    depends_on: [app]
    restart: "{vars.dir}/bin/restart web"
    health: [{ tcp: 7003 }]
"#,
    )
}

#[test]
fn a_three_tier_plan_restarts_every_instance_once_in_order_never_two_at_a_time() {
    let lab = Lab::start(4);
    let plan = three_tier(&lab);
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 0);
    assert_eq!(
        lab.restart_ids(),
        ["db@host-1", "app@host-2", "app@host-3", "web@host-4"]
    );
    let restarts = lab.restarts();
    for pair in restarts.windows(2) {
        assert!(pair[0].1 <= pair[1].0, "restarts overlap: {pair:?}");
    }
    assert_has(&err, "done: 4 steps restarted and verified");
    assert_eq!(lab.leftovers(), Vec::<String>::new());
}

#[test]
fn a_failing_restart_halts_the_run_and_touches_nothing_after() {
    let lab = Lab::start(4);
    let plan = three_tier(&lab);
    // app's restart on host-2 fails the way a real one does: a message and a non-zero exit.
    let text = std::fs::read_to_string(&plan).expect("plan").replace(
        "restart: \"{vars.dir}/bin/restart app\"",
        "restart: \"echo 'Job for app.service failed' >&2; exit 1\"",
    );
    std::fs::write(&plan, text).expect("plan");
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 1);
    assert_eq!(
        lab.restart_ids(),
        ["db@host-1"],
        "nothing after the failed step is touched"
    );
    for expected in [
        "[2/4] app@host-2 FAILED in restart",
        "the restart command exited 1: Job for app.service failed",
        "impact:  The shop is down.",
        "Read {dir}/app.out on the host.",
        "HALTED at step 2: app@host-2",
        "not run: 3. app@host-3, 4. web@host-4",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert_eq!(lab.leftovers(), Vec::<String>::new());
}

#[test]
fn a_service_that_dies_within_its_settle_time_fails_the_step() {
    let lab = Lab::start(1);
    lab.service(0, "db", 7001, "");
    // Edited on disk, never loaded: the restart loads it, and the service crashes a bit later.
    lab.set_config(0, "db", "die_after = 500ms\n");
    let plan = lab.plan(
        r#"  db:
    hosts: [host-1]
    restart: "{vars.dir}/bin/restart db"
    health: [{ tcp: 7001, timeout: 5s, interval: 100ms, settle: 2s }]
"#,
    );
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 1);
    assert_has(&err, "FAILED in health gate");
    assert_has(&err, "came up, then failed");
    assert_eq!(lab.leftovers(), Vec::<String>::new());
}

#[test]
fn a_dependent_that_never_reconnects_is_caught_by_the_dependents_gate() {
    let lab = Lab::start(2);
    lab.service(0, "db", 7001, "");
    lab.service(
        1,
        "app",
        7002,
        &format!(
            "upstream = {}:7001\nhold_upstream = true\n",
            lab.hosts[0].address
        ),
    );
    let plan = lab.plan_with(
        DEFAULTS,
        r#"  db:
    hosts: [host-1]
    restart: "{vars.dir}/bin/restart db"
    health: [{ tcp: 7001 }]
  app:
    hosts: [host-2]
    depends_on: [db]
    restart: "{vars.dir}/bin/restart app"
    health: [{ http: "http://{address}:7002/health", timeout: 6s }]
"#,
    );
    // The check's timeout is long enough for a loaded CI machine to get the 503 at least once.
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 1);
    assert_has(&err, "[1/2] db@host-1 FAILED in dependents gate");
    assert_has(&err, "check:   app@host-2: http");
    assert_has(&err, "503");
    assert_eq!(lab.restart_ids(), ["db@host-1"]);
    assert_eq!(lab.leftovers(), Vec::<String>::new());
}

#[test]
fn a_hanging_check_is_cut_by_its_timeout_on_the_host_too() {
    let lab = Lab::start(1);
    lab.service(0, "db", 7001, "");
    let plan = lab.plan(
        r#"  db:
    hosts: [host-1]
    restart: "{vars.dir}/bin/restart db"
    health: [{ command: "sleep 477", timeout: 1s }]
"#,
    );
    let started = Instant::now();
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 1);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the check was not cut"
    );
    assert_has(&err, "timed out after 1.0s");
    assert!(
        lab.restart_ids().is_empty(),
        "an unhealthy service is not restarted"
    );
    std::thread::sleep(Duration::from_millis(300));
    let ps = std::process::Command::new("pgrep")
        .args(["-f", "sleep 477"])
        .output()
        .expect("pgrep");
    assert!(
        ps.stdout.is_empty(),
        "the host killed the command at its deadline"
    );
    assert_eq!(lab.leftovers(), Vec::<String>::new());
}

#[test]
fn a_frozen_sshd_is_reported_unreachable_before_anything_restarts() {
    let lab = Lab::start(3);
    let plan = three_tier_small(&lab);
    lab.freeze(2, true);
    let started = Instant::now();
    let out = lab.run("run", &plan, &["--yes"]);
    let elapsed = started.elapsed();
    lab.freeze(2, false);
    let err = exited(&out, 1);
    assert_has(&err, "unreachable: host-3");
    assert_has(&err, "no step was run");
    // connect_timeout is 3s; the bound only proves the run does not hang on the host.
    assert!(elapsed < Duration::from_secs(15), "took {elapsed:?}");
    assert!(lab.restart_ids().is_empty());
    assert_eq!(lab.leftovers(), Vec::<String>::new());
}

/// db on host-1, app on host-2 and host-3.
fn three_tier_small(lab: &Lab) -> std::path::PathBuf {
    three_tier_small_checked(lab, "{ tcp: 7001 }")
}

/// As [`three_tier_small`], with `app_health` as app's health check.
fn three_tier_small_checked(lab: &Lab, app_health: &str) -> std::path::PathBuf {
    for i in 0..lab.hosts.len() {
        lab.service(i, "svc", 7001, "");
    }
    lab.plan_with(
        DEFAULTS,
        &format!(
            r#"  db:
    hosts: [host-1]
    restart: "{{vars.dir}}/bin/restart svc"
    health: [{{ tcp: 7001 }}]
  app:
    hosts: [host-2, host-3]
    depends_on: [db]
    restart: "{{vars.dir}}/bin/restart svc"
    health: [{app_health}]
"#
        ),
    )
}

#[test]
fn a_changed_host_key_is_refused_and_nothing_runs() {
    let mut lab = Lab::start(3);
    let plan = three_tier_small(&lab);
    lab.change_host_key(1);
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 1);
    assert_has(&err, "host `host-2` refused its SSH host key");
    assert!(
        err.contains(lab.known_hosts.to_str().expect("utf8")),
        "names the known_hosts file: {err}"
    );
    assert!(lab.restart_ids().is_empty());
    assert_eq!(lab.leftovers(), Vec::<String>::new());
}

#[test]
fn dry_run_restarts_nothing_and_passes_on_a_healthy_lab() {
    let lab = Lab::start(4);
    let plan = three_tier(&lab);
    let out = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&out, 0);
    assert!(lab.restart_ids().is_empty());
    assert_has(&err, "dry run: all 4 steps are ready");
    assert_eq!(lab.leftovers(), Vec::<String>::new());
}

#[test]
fn resume_after_a_fixed_failure_restarts_only_the_remaining_steps() {
    let lab = Lab::start(4);
    let plan = three_tier(&lab);
    // app on host-3 was given a config it cannot start with.
    lab.set_config(2, "app", "fail_start = true\n");
    let out = lab.run("run", &plan, &["--yes"]);
    assert_has(&exited(&out, 1), "HALTED at step 3: app@host-3");
    assert_eq!(lab.restart_ids(), ["db@host-1", "app@host-2", "app@host-3"]);

    lab.set_config(
        2,
        "app",
        &format!("upstream = {}:7001\n", lab.hosts[0].address),
    );
    let out = resume(&lab, &plan);
    exited(&out, 0);
    assert_eq!(
        lab.restart_ids(),
        [
            "db@host-1",
            "app@host-2",
            "app@host-3",
            "app@host-3",
            "web@host-4"
        ],
        "the failed step runs again in full, then the rest; nothing before it"
    );
    let again = resume(&lab, &plan);
    assert_has(&exited(&again, 0), "nothing to resume");
    assert_eq!(lab.leftovers(), Vec::<String>::new());
}

#[test]
fn resume_after_kill_9_reverifies_the_step_in_flight_without_restarting_it_again() {
    let lab = Lab::start(2);
    lab.service(0, "db", 7001, "");
    lab.service(1, "app", 7002, "");
    let plan = lab.plan(
        r#"  db:
    hosts: [host-1]
    restart: "{vars.dir}/bin/restart db"
    health: [{ tcp: 7001, timeout: 10s, interval: 100ms, settle: 30s }]
  app:
    hosts: [host-2]
    depends_on: [db]
    restart: "{vars.dir}/bin/restart app"
    health: [{ tcp: 7002, timeout: 10s, interval: 100ms, settle: 200ms }]
"#,
    );
    let mut child = std::process::Command::new(lab::comeback_bin())
        .arg("run")
        .arg(&plan)
        .arg("--yes")
        .env("TMPDIR", lab.root.path().join("tmp"))
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !lab.restart_ids().contains(&"db@host-1".to_string()) || !journal_has(&lab, "restarted") {
        assert!(Instant::now() < deadline, "the restart never happened");
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().expect("kill -9");
    let _ = child.wait();
    // The masters of the killed run outlive it, but each exits after 60 s without a session.
    let masters: Vec<String> = lab
        .leftovers()
        .into_iter()
        .filter(|l| l.contains("ssh "))
        .collect();
    assert!(
        !masters.is_empty(),
        "the killed run's masters are still there"
    );
    assert!(
        masters.iter().all(|m| m.contains("ControlPersist=60s")),
        "{masters:?}"
    );

    // The settle time is what a resume re-verifies; shorten it so the test is quick.
    let text = std::fs::read_to_string(&plan)
        .expect("plan")
        .replace("settle: 30s", "settle: 200ms");
    std::fs::write(&plan, text).expect("plan");
    let out = resume(&lab, &plan);
    let err = exited(&out, 0);
    assert_has(&err, "was restarted before comeback stopped: re-verifying");
    assert_eq!(
        lab.restart_ids(),
        ["db@host-1", "app@host-2"],
        "db is re-verified, not restarted twice"
    );
    let resumed = lab
        .journal()
        .into_iter()
        .find(|e| e["event"] == "step_started" && e["resumed"] == "gates_only")
        .expect("a gates-only resume in the journal");
    assert_eq!(resumed["step"], "db@host-1");
}

fn journal_has(lab: &Lab, event: &str) -> bool {
    let runs = lab.root.path().join(".comeback/runs");
    std::fs::read_dir(runs)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| {
            std::fs::read_to_string(e.path().join("journal.jsonl"))
                .is_ok_and(|t| t.contains(&format!("\"event\":\"{event}\"")))
        })
}

/// A stateless tier in batches of three: one member failing its gate lets the two others in
/// its batch finish, nothing after them starts, the report shows the batch, and `resume`
/// restarts only the failed member and what follows.
#[test]
fn a_batch_finishes_around_its_failed_member_and_resume_restarts_only_that_one_and_the_rest() {
    let lab = Lab::start(5);
    let a = |i: usize| lab.hosts[i].address.clone();
    for i in 0..4 {
        lab.service(i, "web", 7002, "");
    }
    lab.service(4, "lb", 7003, &format!("upstream = {}:7002\n", a(0)));
    let plan = lab.plan_with(
        DEFAULTS,
        r#"  web:
    hosts: [host-1, host-2, host-3, host-4]
    restart: "{vars.dir}/bin/restart web"
    health: [{ tcp: 7002 }]
    batch: 3
  lb:
    hosts: [host-5]
    depends_on: [web]
    restart: "{vars.dir}/bin/restart lb"
    health: [{ tcp: 7003 }]
"#,
    );
    lab.set_config(2, "web", "fail_start = true\n");
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 1);
    assert_has(
        &err,
        "batch 1 of web: web@host-1, web@host-2, web@host-3 side by side",
    );
    assert_has(&err, "HALTED at step 3: web@host-3");
    let mut first = lab.restart_ids();
    first.sort();
    assert_eq!(
        first,
        ["web@host-1", "web@host-2", "web@host-3"],
        "the batch ran, nothing after it"
    );
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(lab.last_run().join("report.json")).expect("report"),
    )
    .expect("json");
    let batches: Vec<(String, Option<u64>)> = report["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            (
                s["step"].as_str().unwrap_or("").to_string(),
                s["batch"].as_u64(),
            )
        })
        .collect();
    assert_eq!(
        batches,
        [
            ("web@host-1".to_string(), Some(1)),
            ("web@host-2".to_string(), Some(1)),
            ("web@host-3".to_string(), Some(1)),
            ("web@host-4".to_string(), None),
            ("lb@host-5".to_string(), None),
        ]
    );

    lab.set_config(2, "web", "");
    let out = resume(&lab, &plan);
    exited(&out, 0);
    assert_eq!(
        lab.restart_ids()[3..],
        ["web@host-3", "web@host-4", "lb@host-5"],
        "only the failed member, then the rest"
    );
    assert_eq!(lab.leftovers(), Vec::<String>::new());
}

/// `comeback resume --yes --plan PLAN` in the lab, waited for.
fn resume(lab: &Lab, plan: &std::path::Path) -> std::process::Output {
    lab.comeback()
        .args(["resume", "--yes", "--plan"])
        .arg(plan)
        .output()
        .expect("runs")
}

/// A batch wider than sshd's sessions per connection (`MaxSessions`, 10 by default), its
/// `before` hooks all on one balancer: comeback runs at most 8 commands at once through a host's
/// master, so the 11th and 12th wait for a session instead of being refused.
#[test]
fn a_wide_batch_waits_for_sessions_on_its_hook_host_instead_of_being_refused() {
    let mut lab = Lab::start(13);
    for i in 0..12 {
        lab.service(i, "web", 7002, "");
    }
    lab.default_max_sessions(12);
    let hosts: Vec<String> = (1..=12).map(|i| format!("host-{i}")).collect();
    let plan = lab.plan_with(
        DEFAULTS,
        &format!(
            r#"  web:
    hosts: [{}]
    restart: "{{vars.dir}}/bin/restart web"
    health: [{{ tcp: 7002 }}]
    batch: 12
    before:
      - {{ on: host-13, run: "sleep 1" }}
"#,
            hosts.join(", ")
        ),
    );
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 0);
    assert_has(&err, "done: 12 steps restarted and verified");
    assert_eq!(
        hooks_ran(&lab),
        vec![Some(true); 12],
        "every hook on host-13 ran"
    );
}

/// Whether each hook the journal records ran well, in order.
fn hooks_ran(lab: &Lab) -> Vec<Option<bool>> {
    lab.journal()
        .iter()
        .filter(|r| r["event"] == "hook_ran")
        .map(|r| r["ok"].as_bool())
        .collect()
}

/// A hook host whose sshd allows two sessions per connection: the batch's third and fourth
/// hooks are refused a session for as long as the first two run, and are tried again.
#[test]
fn a_session_the_hook_host_refuses_for_a_moment_is_tried_again() {
    let mut lab = Lab::start(5);
    for i in 0..4 {
        lab.service(i, "web", 7002, "");
    }
    lab.max_sessions(4, 2);
    let plan = lab.plan_with(
        DEFAULTS,
        r#"  web:
    hosts: [host-1, host-2, host-3, host-4]
    restart: "{vars.dir}/bin/restart web"
    health: [{ tcp: 7002 }]
    batch: 4
    before:
      - { on: host-5, run: "sleep 0.2" }
"#,
    );
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 0);
    assert_has(&err, "done: 4 steps restarted and verified");
    assert_eq!(
        hooks_ran(&lab),
        vec![Some(true); 4],
        "every hook on host-5 ran"
    );
}

/// stderr without its colours.
fn plain(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Each host is prechecked as soon as its own master is up, beside the connecting of the others:
/// a host failing its precheck still refuses the run before any restart, told only once every
/// host was connected, and the hosts the precheck ran commands on are swept.
#[test]
fn a_host_failing_its_precheck_refuses_the_run_before_any_restart() {
    let lab = Lab::start(3);
    let plan = three_tier_small_checked(&lab, r#"{ command: "test ! -e {vars.dir}/broken" }"#);
    std::fs::write(lab.hosts[2].dir.join("broken"), "").expect("broken");
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 1);
    assert_has(&err, "already unhealthy before the restart");
    assert!(lab.restart_ids().is_empty());
    let journal = lab.journal();
    let first_failure = journal
        .iter()
        .position(|e| e["event"] == "step_failed")
        .expect("the failing step is told");
    let connected = journal
        .iter()
        .enumerate()
        .filter(|(_, e)| e["event"] == "host_connected")
        .map(|(i, _)| i)
        .collect::<Vec<_>>();
    assert_eq!(connected.len(), 3, "{journal:?}");
    assert!(connected.iter().all(|&i| i < first_failure), "{journal:?}");
    assert!(journal.iter().all(|e| e["event"] != "prechecked"));
    assert_eq!(lab.leftovers(), Vec::<String>::new());
    lab.assert_hosts_swept();
}

/// A master's first session opened right after its connection waits up to 40 ms on the host
/// keys notice sshd sends then (Nagle on its side, delayed ACK on the client's): the last master
/// of the connecting is on the run's critical path, so its first command gets a second session
/// beside it, whose open carries the acknowledgement. One host: its master is the last.
#[test]
fn the_last_master_s_first_command_is_nudged_past_the_host_keys_notice() {
    let lab = Lab::start(1);
    lab.service(0, "web", 7001, "");
    let plan = lab.plan_with(
        DEFAULTS,
        r#"  web:
    hosts: [host-1]
    restart: "{vars.dir}/bin/restart web"
    health: [{ tcp: 7001 }]
"#,
    );
    let out = lab
        .comeback()
        .env("COMEBACK_LOG", "comeback::transport=debug")
        .args(["run", plan.to_str().expect("utf8"), "--yes"])
        .output()
        .expect("comeback runs");
    let err = exited(&out, 0);
    assert_has(&err, "nudge: a session beside a fresh master's first");
    // Only the first command of the master (twice at most): the walk's are not nudged.
    assert!(err.matches("nudge:").count() <= 2, "{err}");
    assert_eq!(lab.restart_ids(), ["web@host-1"]);
    assert_eq!(lab.leftovers(), Vec::<String>::new());
}

/// A host the walk is done with is swept beside the steps that follow, not at the end: the
/// run's folder on host-1 is gone before host-3's restart begins, and every host is swept
/// once the run ends.
#[test]
fn a_host_is_swept_once_no_later_step_touches_it() {
    let lab = Lab::start(3);
    let plan = three_tier_small(&lab);
    let out = lab
        .comeback()
        .env("COMEBACK_LOG", "comeback=debug")
        .args(["run", plan.to_str().expect("utf8"), "--yes"])
        .output()
        .expect("comeback runs");
    let log = plain(&out.stderr);
    assert!(out.status.success(), "{log}");
    let at = |host: &str, kind: &str| {
        log.lines()
            .position(|l| {
                l.contains("remote command")
                    && l.contains(&format!("host={host} "))
                    && l.contains(&format!("kind=\"{kind}\""))
            })
            .unwrap_or_else(|| panic!("no {kind} command on {host}:\n{log}"))
    };
    // db@host-1 is the first step; host-1's sweep ends before app@host-3's restart.
    assert!(at("host-1", "marks") < at("host-3", "tagged"), "{log}");
    assert_eq!(
        lab.restart_ids(),
        ["svc@host-1", "svc@host-2", "svc@host-3"]
    );
    assert_eq!(lab.leftovers(), Vec::<String>::new());
    lab.assert_hosts_swept();
}
