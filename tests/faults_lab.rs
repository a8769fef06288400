//! Regressions of issue 10, over real SSH against the test lab: a restart that outlives comeback
//! (kill -9, a double Ctrl-C), SIGTERM and SIGHUP, the report after a resume, the control
//! directory's mode.

mod lab;
mod output;

use lab::Lab;
use output::{assert_has, exited};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// db on host-1 (its restart takes `restart_s` seconds before it begins), app on host-2.
fn slow_pair(lab: &Lab, restart_s: &str, settle: &str) -> PathBuf {
    lab.service(0, "db", 7001, "");
    lab.service(1, "app", 7002, "");
    lab.plan(&format!(
        r#"  db:
    hosts: [host-1]
    restart: "sleep {restart_s}; {{vars.dir}}/bin/restart db"
    restart_timeout: 20s
    health: [{{ tcp: 7001, timeout: 10s, interval: 100ms, settle: {settle} }}]
  app:
    hosts: [host-2]
    depends_on: [db]
    restart: "{{vars.dir}}/bin/restart app"
    health: [{{ tcp: 7002, timeout: 10s, interval: 100ms, settle: 200ms }}]
"#
    ))
}

fn spawn_run(lab: &Lab, plan: &PathBuf) -> Child {
    Command::new(lab::comeback_bin())
        .arg("run")
        .arg(plan)
        .arg("--yes")
        .env("TMPDIR", lab.root.path().join("tmp"))
        .env_remove("SSH_AUTH_SOCK")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn")
}

/// Every whole line of every journal of the lab, oldest run first (a line being written is
/// skipped).
fn journal_lines(lab: &Lab) -> Vec<serde_json::Value> {
    let runs = lab.root.path().join(".comeback/runs");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(runs)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs.iter()
        .filter_map(|d| std::fs::read_to_string(d.join("journal.jsonl")).ok())
        .flat_map(|t| {
            t.lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Waits until the journal's last event matches `point`.
fn wait_until(lab: &Lab, what: &str, point: impl Fn(&serde_json::Value) -> bool) {
    wait_for_journal(lab, what, |events| events.last().is_some_and(&point));
}

/// Waits until the journal's events match `point`.
fn wait_for_journal(lab: &Lab, what: &str, point: impl Fn(&[serde_json::Value]) -> bool) {
    // Generous: on a loaded 2-core machine a run's connect and preflight can take a while.
    let deadline = Instant::now() + Duration::from_secs(90);
    while !point(&journal_lines(lab)) {
        assert!(Instant::now() < deadline, "the run never reached {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn phase(phase: &'static str, index: u64) -> impl Fn(&serde_json::Value) -> bool {
    move |e| e["event"] == "phase_started" && e["phase"] == phase && e["index"] == index
}

/// Step `index`'s restart command is being sent (its processes before it journaled).
fn restart_sent(index: u64) -> impl Fn(&serde_json::Value) -> bool {
    move |e| e["event"] == "restart_begun" && e["index"] == index
}

fn signal(child: &Child, name: &str) {
    let ok = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(child.id().to_string())
        .status()
        .expect("kill");
    assert!(ok.success());
}

/// Each host's restart log, checked: a restart of a service never starts while another one of
/// it runs. Returns `service@host` of every restart that began.
fn restarts_one_at_a_time(lab: &Lab) -> Vec<String> {
    let mut began = Vec::new();
    for h in &lab.hosts {
        let Ok(text) = std::fs::read_to_string(h.dir.join("restarts.log")) else {
            continue;
        };
        let mut open: Vec<String> = Vec::new();
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words[1] {
                "start" => {
                    assert!(
                        !open.iter().any(|s| s == words[2]),
                        "{} restarted twice at the same time on {}:\n{text}",
                        words[2],
                        h.name
                    );
                    open.push(words[2].to_string());
                    began.push(format!("{}@{}", words[2], h.name));
                }
                _ => open.retain(|s| s != words[2]),
            }
        }
    }
    began
}

fn resume(lab: &Lab, plan: &PathBuf) -> std::process::Output {
    lab.comeback()
        .args(["resume", "--yes", "--plan"])
        .arg(plan)
        .output()
        .expect("runs")
}

/// Processes on this machine still carrying a run's mark from this lab.
fn marked_processes(lab: &Lab) -> Vec<String> {
    let ps = Command::new("ps")
        .args(["-eo", "pid,args"])
        .output()
        .expect("ps");
    let dir = lab.root.path().to_str().expect("utf8");
    String::from_utf8_lossy(&ps.stdout)
        .lines()
        .filter(|l| l.contains("bin/restart db") && l.contains(dir))
        .map(str::to_string)
        .collect()
}

#[test]
fn after_kill_9_during_a_restart_resume_waits_for_it_and_does_not_restart_it_again() {
    let lab = Lab::start(2);
    let plan = slow_pair(&lab, "3", "200ms");
    let mut child = spawn_run(&lab, &plan);
    wait_until(&lab, "db's restart", restart_sent(1));
    std::thread::sleep(Duration::from_millis(300));
    child.kill().expect("kill -9");
    let _ = child.wait();

    let out = resume(&lab, &plan);
    let err = exited(&out, 0);
    assert_has(
        &err,
        "host-1: a command of the interrupted run is still running there",
    );
    assert_has(&err, "sleep 3; ");
    assert_has(&err, "the command of the interrupted run ended");
    // The restart completed while comeback was away: its host kept the exit status, so it is
    // verified, never run a second time.
    assert_has(
        &err,
        "the restart completed while comeback was away (exit 0): verifying it, not restarting again",
    );
    let began = restarts_one_at_a_time(&lab);
    assert_eq!(began, ["db@host-1", "app@host-2"]);
    let events = journal_lines(&lab);
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "command_still_running" && e["host"] == "host-1"),
        "the journal says what resume found"
    );
    // (The killed run's SSH masters idle out on their own: see run_lab.rs.)
    assert_eq!(marked_processes(&lab), Vec::<String>::new());
}

#[test]
fn a_second_ctrl_c_kills_the_restart_in_flight_on_its_host() {
    let lab = Lab::start(2);
    let plan = slow_pair(&lab, "3", "200ms");
    let child = spawn_run(&lab, &plan);
    wait_until(&lab, "db's restart", restart_sent(1));
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, "INT");
    std::thread::sleep(Duration::from_millis(100));
    signal(&child, "INT");
    let out = child.wait_with_output().expect("exits");
    let err = exited(&out, 130);
    assert_has(&err, "killed a command this run left running");
    // Longer than the restart's own sleep: had it been left running, it would have begun.
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!(restarts_one_at_a_time(&lab), Vec::<String>::new());
    assert_eq!(marked_processes(&lab), Vec::<String>::new());
    let last = journal_lines(&lab).pop().expect("events");
    assert_eq!(last["event"], "run_finished");
    assert_eq!(last["outcome"]["outcome"], "aborted");
    assert_eq!(lab.leftovers(), Vec::<String>::new());
}

#[test]
fn sigterm_and_sighup_finish_the_step_in_flight_record_it_and_close() {
    for (name, code) in [("TERM", 143), ("HUP", 129)] {
        let lab = Lab::start(2);
        let plan = slow_pair(&lab, "1", "200ms");
        let mut child = spawn_run(&lab, &plan);
        wait_until(&lab, "db's restart", restart_sent(1));
        // The run's SSH control directory is private while it runs.
        let control: Vec<_> = std::fs::read_dir(lab.root.path().join("tmp"))
            .expect("tmp")
            .flatten()
            .collect();
        assert_eq!(control.len(), 1, "one control directory");
        let mode = control[0].metadata().expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "{:?}", control[0].path());

        if name == "HUP" {
            // The operator's terminal went away: every write to it fails from now on.
            drop(child.stderr.take());
        }
        signal(&child, name);
        let out = child.wait_with_output().expect("exits");
        let err = exited(&out, code);
        if name == "TERM" {
            assert_has(&err, &format!("SIG{name}: finishing the step in flight"));
        }
        assert_eq!(restarts_one_at_a_time(&lab), ["db@host-1"], "SIG{name}");
        let events = journal_lines(&lab);
        assert!(events.iter().any(|e| e["event"] == "step_succeeded"));
        let last = events.last().expect("events");
        assert_eq!(last["event"], "run_finished", "SIG{name}");
        assert_eq!(last["outcome"]["outcome"], "interrupted", "SIG{name}");
        let report = std::fs::read_to_string(lab.last_run().join("report.md")).expect("report");
        assert_has(&report, "- outcome: `interrupted`");
        assert_eq!(lab.leftovers(), Vec::<String>::new(), "SIG{name}");
    }
}

#[test]
fn the_report_after_resumes_is_the_whole_history_from_the_events_own_times() {
    let lab = Lab::start(2);
    let plan = slow_pair(&lab, "0", "30s");
    // First session: app cannot start, the run halts at step 2.
    lab.set_config(1, "app", "fail_start = true\n");
    let text = std::fs::read_to_string(&plan)
        .expect("plan")
        .replace("settle: 30s", "settle: 200ms");
    std::fs::write(&plan, &text).expect("plan");
    let out = lab.run("run", &plan, &["--yes"]);
    assert_has(&exited(&out, 1), "HALTED at step 2: app@host-2");
    lab.set_config(1, "app", "");
    std::thread::sleep(Duration::from_millis(1100));
    let out = resume(&lab, &plan);
    exited(&out, 0);

    let events = journal_lines(&lab);
    let ts = |what: &str, n: usize| -> String {
        events
            .iter()
            .filter(|e| e["event"] == what)
            .nth(n)
            .expect(what)["ts"]
            .as_str()
            .expect("ts")
            .to_string()
    };
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(lab.last_run().join("report.json")).expect("report"),
    )
    .expect("json");
    assert_eq!(report["started_at"], ts("run_started", 0));
    assert_eq!(report["finished_at"], ts("run_finished", 1));
    let steps = report["steps"].as_array().expect("steps");
    assert_eq!(
        steps[0]["started_at"],
        ts("step_started", 0),
        "db's own time"
    );
    assert_eq!(steps[0]["restarted_at"], ts("restarted", 0));
    assert_eq!(report["summary"]["earlier_failures"], 1);
    let history = report["history"].as_array().expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["outcome"]["outcome"], "halted");
    assert_eq!(history[1]["outcome"]["outcome"], "completed");
    let md = std::fs::read_to_string(lab.last_run().join("report.md")).expect("md");
    assert_has(&md, "1 failed attempt before this result, over 2 sessions");
    assert_has(&md, "`halted`");
    assert_has(&md, "attempt started");
    assert_has(&md, "failed in health gate");
}

#[test]
fn after_kill_9_in_a_health_gate_the_report_keeps_the_restart_time() {
    let lab = Lab::start(2);
    let plan = slow_pair(&lab, "0", "30s");
    let mut child = spawn_run(&lab, &plan);
    wait_until(&lab, "db's settle", |e| e["event"] == "check_up");
    child.kill().expect("kill -9");
    let _ = child.wait();
    let text = std::fs::read_to_string(&plan)
        .expect("plan")
        .replace("settle: 30s", "settle: 200ms");
    std::fs::write(&plan, text).expect("plan");
    exited(&resume(&lab, &plan), 0);
    let events = journal_lines(&lab);
    let restarted = events
        .iter()
        .find(|e| e["event"] == "restarted")
        .expect("restarted")["ts"]
        .clone();
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(lab.last_run().join("report.json")).expect("report"),
    )
    .expect("json");
    assert_eq!(report["steps"][0]["restarted_at"], restarted);
    let md = std::fs::read_to_string(lab.last_run().join("report.md")).expect("md");
    assert_has(&md, "not finished (comeback stopped)");
    assert_has(&md, "(never: comeback stopped)");
}

#[test]
fn kill_9_at_any_point_of_a_step_then_resume_restarts_each_service_exactly_once() {
    type Reached = Box<dyn Fn(&[serde_json::Value]) -> bool>;
    type Point = (&'static str, Reached);
    let last = |p: Box<dyn Fn(&serde_json::Value) -> bool>| -> Reached {
        Box::new(move |events: &[serde_json::Value]| events.last().is_some_and(&p))
    };
    let points: Vec<Point> = vec![
        // A point that passes in milliseconds is caught as reached, not as the last event:
        // on a loaded machine the journal may already be past it when it is read.
        (
            "preflight",
            Box::new(|events| events.iter().any(phase("preflight", 1))),
        ),
        (
            "restart, just begun",
            Box::new(|events| events.iter().any(phase("restart", 1))),
        ),
        ("restart, in its sleep", last(Box::new(restart_sent(1)))),
        (
            "restarted",
            Box::new(|events| events.iter().any(|e| e["event"] == "restarted")),
        ),
        (
            "health gate",
            Box::new(|events| events.iter().any(phase("health_gate", 1))),
        ),
        (
            "dependents gate",
            Box::new(|events| events.iter().any(phase("dependents_gate", 1))),
        ),
        (
            "next step",
            Box::new(|events| events.iter().any(restart_sent(2))),
        ),
    ];
    for (n, (what, point)) in points.into_iter().enumerate() {
        let lab = Lab::start(2);
        let plan = slow_pair(&lab, "1", "300ms");
        let mut child = spawn_run(&lab, &plan);
        wait_for_journal(&lab, what, point);
        if n == 2 {
            std::thread::sleep(Duration::from_millis(500));
        }
        child.kill().expect("kill -9");
        let _ = child.wait();
        let out = resume(&lab, &plan);
        let err = exited(&out, 0);
        // Exactly once: never skipped, never twice, wherever comeback died.
        let began = restarts_one_at_a_time(&lab);
        for service in ["db@host-1", "app@host-2"] {
            assert_eq!(
                began.iter().filter(|b| *b == service).count(),
                1,
                "{what}: {service} restarted {began:?}\n{err}"
            );
        }
        assert_eq!(marked_processes(&lab), Vec::<String>::new(), "{what}");
    }
}

#[test]
fn a_restart_that_ignores_sigterm_is_reported_as_timed_out_and_killed() {
    let lab = Lab::start(1);
    lab.service(0, "db", 7001, "");
    let plan = lab.plan(
        r#"  db:
    hosts: [host-1]
    restart: "trap '' TERM; sleep 60"
    restart_timeout: 1s
    health: [{ tcp: 7001, timeout: 5s, interval: 100ms, settle: 0s }]
"#,
    );
    let out = lab.run("run", &plan, &["--yes"]);
    let err = exited(&out, 1);
    assert_has(
        &err,
        "the restart command did not finish within 1.0s and was killed on the host",
    );
    assert!(!err.contains("lost the connection"), "{err}");
    assert_eq!(lab.leftovers(), Vec::<String>::new());
}

/// The pids of this lab's SSH masters.
fn masters(lab: &Lab) -> Vec<String> {
    let ps = Command::new("ps")
        .args(["-eo", "pid,args"])
        .output()
        .expect("ps");
    let tmp = lab.root.path().join("tmp");
    String::from_utf8_lossy(&ps.stdout)
        .lines()
        .filter(|l| l.contains(" -M ") && l.contains(tmp.to_str().expect("utf8")))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

#[test]
fn a_connection_lost_during_a_restart_is_an_unknown_outcome_and_the_restart_is_killed() {
    let lab = Lab::start(2);
    let plan = slow_pair(&lab, "3", "200ms");
    let child = spawn_run(&lab, &plan);
    wait_until(&lab, "db's restart", restart_sent(1));
    std::thread::sleep(Duration::from_millis(300));
    for pid in masters(&lab) {
        Command::new("kill").arg(&pid).status().expect("kill");
    }
    let out = child.wait_with_output().expect("exits");
    let err = exited(&out, 1);
    assert_has(&err, "whether the restart completed is unknown");
    assert_has(&err, "killed a command this run left running");
    // Longer than the restart's own sleep: it was killed through a fresh connection.
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!(restarts_one_at_a_time(&lab), Vec::<String>::new());
    assert_eq!(marked_processes(&lab), Vec::<String>::new());

    let err = exited(&resume(&lab, &plan), 0);
    assert_has(&err, "runs again in full, even if it is down now");
    assert_eq!(restarts_one_at_a_time(&lab), ["db@host-1", "app@host-2"]);
}

#[test]
fn the_identity_file_is_checked_and_the_key_tried_is_named() {
    let lab = Lab::start(1);
    lab.service(0, "db", 7001, "");
    let plan = lab.plan("  db:\n    hosts: [host-1]\n    restart: \"true\"\n");
    let text = std::fs::read_to_string(&plan).expect("plan");
    let identity = lab.identity.to_str().expect("utf8");

    let missing = lab.root.path().join("no-such-key");
    std::fs::write(
        &plan,
        text.replace(identity, missing.to_str().expect("utf8")),
    )
    .expect("plan");
    let err = exited(&lab.run("check", &plan, &[]), 2);
    assert_has(
        &err,
        &format!(
            "identity file `{}` of host `host-1` does not exist",
            missing.display()
        ),
    );

    // A key the host does not accept: the failure names it.
    let other = lab.root.path().join("other_key");
    let made = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&other)
        .status()
        .expect("ssh-keygen");
    assert!(made.success());
    std::fs::write(&plan, text.replace(identity, other.to_str().expect("utf8"))).expect("plan");
    let err = exited(&lab.run("run", &plan, &["--yes"]), 1);
    assert_has(&err, "Permission denied");
    assert_has(
        &err,
        &format!(
            "the key it tried: {} (identity of the plan)",
            other.display()
        ),
    );
}

#[test]
fn resume_refuses_when_the_interrupted_runs_command_outlives_its_wait() {
    let lab = Lab::start(1);
    lab.service(0, "db", 7001, "");
    let plan = lab.plan(
        r#"  db:
    hosts: [host-1]
    restart: "sleep 40; {vars.dir}/bin/restart db"
    restart_timeout: 60s
    health: [{ tcp: 7001, timeout: 1s, interval: 100ms, settle: 0s }]
"#,
    );
    let mut child = spawn_run(&lab, &plan);
    wait_until(&lab, "db's restart", restart_sent(1));
    std::thread::sleep(Duration::from_millis(300));
    child.kill().expect("kill -9");
    let _ = child.wait();
    // The plan now says the restart cannot take that long: resume waits 1 s + 10 s at most.
    let text = std::fs::read_to_string(&plan)
        .expect("plan")
        .replace("restart_timeout: 60s", "restart_timeout: 1s");
    std::fs::write(&plan, text).expect("plan");

    let err = exited(&resume(&lab, &plan), 4);
    assert_has(
        &err,
        "host-1: a command of the interrupted run is still running there",
    );
    assert_has(&err, "sleep 40; ");
    assert_has(
        &err,
        "not resumed: commands of the interrupted run still run on host-1",
    );
    let last = journal_lines(&lab).pop().expect("events");
    assert_eq!(last["outcome"]["outcome"], "still_running");
    // Refused means untouched: the command is still there, found by its pid file in the run's
    // folder of its plan host.
    let runs = lab.hosts[0].dir.join(".comeback/runs");
    let pids: Vec<PathBuf> = std::fs::read_dir(&runs)
        .expect("the run's folder on the host")
        .flatten()
        .flat_map(|run| {
            std::fs::read_dir(run.path().join("host-1"))
                .expect("run")
                .flatten()
        })
        .map(|e| e.path())
        .collect();
    assert_eq!(pids.len(), 1, "{pids:?}");
    let pgid = pids[0].file_stem().expect("stem").to_str().expect("utf8");
    let killed = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .status()
        .expect("kill");
    assert!(killed.success(), "the command's process group was alive");
    assert_eq!(restarts_one_at_a_time(&lab), Vec::<String>::new());
}

/// A resume the plan makes invalid keeps what the interrupted run left on its hosts (the exit
/// file that proves its restart ended) for the next resume, which verifies it.
#[test]
fn an_invalid_resume_keeps_the_interrupted_runs_exit_files_for_the_next_one() {
    let lab = Lab::start(1);
    lab.service(0, "db", 7001, "");
    let text = r#"  db:
    hosts: [host-1]
    restart: "sleep 1; {vars.dir}/bin/restart db"
    restart_timeout: 30s
    health: [{ tcp: 7001, timeout: 1s, interval: 100ms, settle: 0s }]
"#;
    let plan = lab.plan(text);
    let left = || lab.run_folders(0);
    let mut child = spawn_run(&lab, &plan);
    wait_until(&lab, "db's restart", restart_sent(1));
    // Killed once the restart runs on its host, its pid file in the run's folder there.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !left().iter().any(|run| {
        std::fs::read_dir(run.join("host-1")).is_ok_and(|mut files| files.next().is_some())
    }) {
        assert!(
            Instant::now() < deadline,
            "the restart never started on host-1"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill -9");
    let _ = child.wait();
    assert_eq!(left().len(), 1, "the interrupted run's folder on host-1");

    // A unit the host does not have makes the resume invalid before anything is touched.
    let good = std::fs::read_to_string(&plan).expect("plan");
    let bad = good.replace(
        "    hosts: [host-1]\n",
        "    hosts: [host-1]\n    unit: no-such-unit\n",
    );
    assert_ne!(bad, good);
    std::fs::write(&plan, &bad).expect("plan");
    let err = exited(&resume(&lab, &plan), 2);
    assert_has(&err, "unknown unit `no-such-unit`");
    assert_eq!(left().len(), 1, "the invalid resume kept what it inherited");

    std::fs::write(&plan, &good).expect("plan");
    let err = exited(&resume(&lab, &plan), 0);
    assert_has(
        &err,
        "the restart completed while comeback was away (exit 0): verifying it, not restarting again",
    );
    assert_eq!(restarts_one_at_a_time(&lab), ["db@host-1"]);
    lab.assert_hosts_swept();
}
