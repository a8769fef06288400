//! Run-level behaviour that needs no SSH: the lock, Ctrl-C, confirmation, resume refusals.
//! Hosts are `connection: local`; services are real demo-service processes on loopback.

mod output;

use output::{assert_has, exited};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `n` distinct free ports: each listener is held until all are chosen, or the kernel may hand
/// a just-closed port out again.
fn free_ports(n: usize) -> Vec<u16> {
    let held: Vec<TcpListener> = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0").expect("bind"))
        .collect();
    held.iter()
        .map(|l| l.local_addr().expect("addr").port())
        .collect()
}

struct Local {
    dir: tempfile::TempDir,
    ports: Vec<u16>,
}

impl Local {
    /// `n` services s1..sN, each depending on the previous one, all already running.
    fn new(n: usize, settle: &str) -> Local {
        let dir = tempfile::tempdir().expect("tempdir");
        let ports = free_ports(n);
        // The demo's own restart script (`src/remote/demo_restart.sh`), recording each restart.
        let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
        let restart = format!(
            "#!/bin/sh\nd={} exe={} log=out record=1\n{}",
            quote(&dir.path().display().to_string()),
            quote(env!("CARGO_BIN_EXE_comeback")),
            include_str!("../src/remote/demo_restart.sh")
        );
        let script = dir.path().join("restart");
        std::fs::write(&script, restart).expect("script");
        Command::new("chmod")
            .arg("+x")
            .arg(&script)
            .status()
            .expect("chmod");
        let mut services = String::new();
        for (i, port) in ports.iter().enumerate() {
            let name = format!("s{}", i + 1);
            std::fs::write(dir.path().join(format!("{name}.conf")), "").expect("conf");
            Command::new(&script)
                .arg(&name)
                .arg(port.to_string())
                .status()
                .expect("start");
            let deps = if i == 0 {
                String::new()
            } else {
                format!("s{i}")
            };
            services.push_str(&format!(
                "  {name}:\n    hosts: [here]\n    depends_on: [{deps}]\n    restart: \"{} {name} {port}\"\n    health: [{{ tcp: {port} }}]\n",
                script.display()
            ));
        }
        let plan = format!(
            "hosts:\n  here: {{ connection: local }}\ndefaults:\n  health: {{ timeout: 5s, interval: 50ms, settle: {settle} }}\nservices:\n{services}"
        );
        std::fs::write(dir.path().join("plan.yaml"), plan).expect("plan");
        let local = Local { dir, ports };
        for port in &local.ports {
            wait_for(*port);
        }
        // The first restart record is the harness's own start; forget it.
        std::fs::remove_file(local.dir.path().join("restarts.log")).expect("log");
        local
    }

    fn plan(&self) -> PathBuf {
        self.dir.path().join("plan.yaml")
    }

    fn restarts(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("restarts.log"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| match l.split_whitespace().collect::<Vec<_>>()[..] {
                [_, "start", name] => Some(name.to_string()),
                _ => None,
            })
            .collect()
    }

    /// `comeback run PLAN --yes` in the background, its stderr dropped.
    fn start_run(&self) -> std::process::Child {
        self.run_command(&["--yes"])
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn")
    }

    /// `comeback run PLAN FLAGS...`, not started yet.
    fn run_command(&self, flags: &[&str]) -> Command {
        let mut cmd = self.comeback();
        cmd.arg("run").arg(self.plan()).args(flags);
        cmd
    }

    /// `comeback run PLAN FLAGS...`, waited for.
    fn run(&self, flags: &[&str]) -> std::process::Output {
        self.run_command(flags).output().expect("runs")
    }

    fn comeback(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_comeback"));
        cmd.stdin(Stdio::null());
        cmd
    }
}

impl Drop for Local {
    fn drop(&mut self) {
        for entry in std::fs::read_dir(self.dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if entry.path().extension().is_some_and(|e| e == "pid")
                && let Ok(pid) = std::fs::read_to_string(entry.path())
            {
                let _ = Command::new("kill").arg(pid.trim()).status();
            }
        }
    }
}

fn wait_for(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "port {port} never opened");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn journal(dir: &Path) -> String {
    let runs = dir.join(".comeback/runs");
    let mut ids: Vec<_> = std::fs::read_dir(runs)
        .expect("runs")
        .map(|e| e.expect("e").path())
        .collect();
    ids.sort();
    std::fs::read_to_string(ids.last().expect("run").join("journal.jsonl")).unwrap_or_default()
}

#[test]
fn a_second_run_on_the_same_plan_exits_4_while_the_first_runs() {
    let local = Local::new(2, "3s");
    let mut first = local.start_run();
    wait_until("the first run to start restarting", || {
        !local.restarts().is_empty()
    });
    let second = local.run(&["--yes"]);
    let err = exited(&second, 4);
    assert_has(&err, "another comeback run (pid");
    assert_eq!(first.wait().expect("wait").code(), Some(0));
}

#[test]
fn a_lock_left_by_a_dead_run_is_taken_over_with_a_message() {
    let local = Local::new(1, "0s");
    std::fs::create_dir_all(local.dir.path().join(".comeback")).expect("dir");
    // A pid that cannot be running: above the kernel's maximum.
    std::fs::write(local.dir.path().join(".comeback/lock"), "4194305").expect("lock");
    let out = local.run(&["--yes"]);
    assert_has(
        &exited(&out, 0),
        "took over the lock left by comeback pid 4194305",
    );
}

#[test]
fn without_a_terminal_and_without_yes_a_real_run_refuses_to_start() {
    let local = Local::new(1, "0s");
    let out = local.run(&[]);
    assert_has(&exited(&out, 2), "pass --yes");
    assert!(local.restarts().is_empty());
}

#[test]
fn the_first_ctrl_c_finishes_the_step_in_flight_then_exits_130() {
    let local = Local::new(3, "1500ms");
    let run = local
        .run_command(&["--yes"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    wait_until("step 1 to restart", || local.restarts().len() == 1);
    Command::new("kill")
        .arg("-INT")
        .arg(run.id().to_string())
        .status()
        .expect("kill");
    let out = run.wait_with_output().expect("wait");
    let err = exited(&out, 130);
    assert_eq!(local.restarts(), ["s1"], "only the step in flight ran");
    let journal = journal(local.dir.path());
    assert!(
        journal.contains(r#""event":"step_succeeded","index":1"#),
        "the step in flight was verified and recorded"
    );
    assert!(journal.contains(r#""outcome":"interrupted""#), "{journal}");
    assert_has(&err, "comeback resume --plan");
}

#[test]
fn a_second_ctrl_c_stops_at_once_and_records_it() {
    let local = Local::new(2, "30s");
    let mut run = local.start_run();
    wait_until("step 1 to restart", || local.restarts().len() == 1);
    let started = Instant::now();
    for _ in 0..2 {
        Command::new("kill")
            .arg("-INT")
            .arg(run.id().to_string())
            .status()
            .expect("kill");
        std::thread::sleep(Duration::from_millis(200));
    }
    let status = run.wait().expect("wait");
    assert_eq!(status.code(), Some(130));
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "did not wait out the 30s settle"
    );
    assert!(journal(local.dir.path()).contains(r#""outcome":"aborted""#));
}

#[test]
fn resume_refuses_when_the_plan_changed_the_remaining_order() {
    let local = Local::new(3, "0s");
    // s2 fails to restart: the run halts at step 2.
    let plan = std::fs::read_to_string(local.plan()).expect("plan");
    let broken = plan.replacen(&format!("s2 {}", local.ports[1]), "s2 1; exit 1", 1);
    std::fs::write(local.plan(), &broken).expect("plan");
    let out = local.run(&["--yes"]);
    assert_eq!(out.status.code(), Some(1));
    // Now s3 no longer depends on s2, and comes first among the remaining steps.
    let reordered = broken
        .replace("depends_on: [s2]", "depends_on: []")
        .replace("  s3:", "  s0:")
        .replace("s3 ", "s0 ");
    let reordered = {
        // Move s0 before s2 in the file so plan order puts it first.
        let start = reordered.find("  s0:").expect("s0");
        let s0 = reordered[start..].to_string();
        let rest = &reordered[..start];
        let s2 = rest.find("  s2:").expect("s2");
        format!("{}{}{}", &rest[..s2], s0, &rest[s2..])
    };
    std::fs::write(local.plan(), reordered).expect("plan");
    let out = local
        .comeback()
        .args(["resume", "--yes", "--plan"])
        .arg(local.plan())
        .output()
        .expect("runs");
    assert_has(
        &exited(&out, 2),
        "the plan changed the order of the steps still to run",
    );
}
