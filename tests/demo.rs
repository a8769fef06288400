//! The README's first command: `comeback demo` restarts every demo service for real, shows the
//! stale reference, and leaves no process and no listening port behind.

mod output;

use output::{assert_has, exited};
use std::os::unix::fs::PermissionsExt;
use std::process::Command;

#[test]
fn the_demo_restarts_every_service_and_leaves_nothing_behind() {
    let root = tempfile::tempdir().expect("tempdir");
    // A folder name a shell, YAML and a template would each misread, unquoted.
    let dir = root.path().join("my \"demo\" {host} 'x'");
    std::fs::create_dir(&dir).expect("dir");
    // An earlier demo's folder whose pid files now name a stranger: it must live on.
    let mut stranger = Command::new("sleep").arg("60").spawn().expect("sleep");
    std::fs::write(dir.join("demo.yaml"), "# an earlier demo's plan\n").expect("plan");
    for name in ["db", "cache", "app", "proxy"] {
        std::fs::write(dir.join(format!("{name}.pid")), stranger.id().to_string()).expect("pid");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_comeback"))
        .args(["demo", "--dir"])
        .arg(&dir)
        .output()
        .expect("runs");
    let alive = stranger.try_wait().expect("wait").is_none();
    let _ = stranger.kill();
    let _ = stranger.wait();
    assert!(alive, "the demo killed a process it did not start");
    let err = exited(&out, 0);
    // The dry run shows the stale reference, then the real run restarts everything.
    assert_has(&err, "smtp-old.demo.invalid:25  STALE");
    assert_has(&err, "done: 4 steps restarted and verified");

    let runs: Vec<_> = std::fs::read_dir(dir.join(".comeback/runs"))
        .expect("runs")
        .map(|e| e.expect("e").path())
        .collect();
    let reports: Vec<serde_json::Value> = runs
        .iter()
        .filter_map(|r| std::fs::read_to_string(r.join("report.json")).ok())
        .map(|t| serde_json::from_str(&t).expect("json"))
        .collect();
    let real = reports
        .iter()
        .find(|r| r["mode"] == "run")
        .expect("the real run's report");
    let restarted: Vec<&str> = real["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter(|s| s["result"]["result"] == "passed" && s["restarted_at"].is_string())
        .map(|s| s["step"].as_str().expect("id"))
        .collect();
    assert_eq!(
        restarted,
        ["db@db-01", "cache@cache-01", "app@app-01", "proxy@proxy-01"]
    );

    // Nothing left: every pid the demo recorded is gone, every port it used is closed.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let plan = std::fs::read_to_string(dir.join("demo.yaml")).expect("plan");
    let ports: Vec<u16> = plan
        .match_indices("tcp: ")
        .map(|(i, _)| {
            plan[i + 5..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .expect("port")
        })
        .collect();
    assert_eq!(ports.len(), 4);
    for port in ports {
        assert!(
            std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
            "port {port} still listens"
        );
    }
    for name in ["db", "cache", "app", "proxy"] {
        let pid = std::fs::read_to_string(dir.join(format!("{name}.pid"))).expect("pid");
        let state = Command::new("ps")
            .args(["-o", "stat=", "-p", pid.trim()])
            .output()
            .expect("ps");
        let state = String::from_utf8_lossy(&state.stdout);
        assert!(
            state.trim().is_empty() || state.starts_with('Z'),
            "{name} (pid {}) still runs",
            pid.trim()
        );
    }
}

#[test]
fn a_folder_with_files_of_its_own_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A plan named like the demo's does not make a project folder the demo's.
    std::fs::write(dir.path().join("demo.yaml"), "hosts: {}\n").expect("file");
    std::fs::write(dir.path().join("notes.txt"), "mine\n").expect("file");
    let out = Command::new(env!("CARGO_BIN_EXE_comeback"))
        .args(["demo", "--dir"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let err = exited(&out, 2);
    assert_has(&err, "holds files of its own");
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["demo.yaml", "notes.txt"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("demo.yaml")).expect("file"),
        "hosts: {}\n"
    );

    let out = Command::new(env!("CARGO_BIN_EXE_comeback"))
        .args(["demo", "--dir"])
        .arg(dir.path().join("new\nline"))
        .output()
        .expect("runs");
    assert_has(&exited(&out, 2), "without control characters");
    assert!(!dir.path().join("new\nline").exists());
}

/// A service's process whose leader exits first and whose other thread still holds its files
/// (its port, for a real one) for 800 ms: `ps` shows the leader a zombie all that time. With
/// arguments that make it the demo's `db` in `dir`; it writes `READY` once it takes SIGTERM, and
/// `GONE` as it ends.
const LINGERING: &str = r#"
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
static const char *gone;
static void touch(const char *path) {
    FILE *f = fopen(path, "w");
    if (f) fclose(f);
}
static volatile sig_atomic_t term;
static void on_term(int s) { (void)s; term = 1; }
static void *linger(void *a) {
    (void)a;
    while (!term) usleep(10000);
    usleep(800000);
    touch(gone);
    _exit(0);
}
int main(int argc, char **argv) {
    (void)argc;
    gone = argv[2];
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    signal(SIGTERM, on_term);
    pthread_sigmask(SIG_BLOCK, &set, 0);
    pthread_t t;
    pthread_create(&t, 0, linger, 0);
    pthread_sigmask(SIG_UNBLOCK, &set, 0);
    touch(argv[1]);
    while (!term) pause();
    pthread_exit(0);
}
"#;

/// Kills the process when the test ends, however it ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits up to 10 s for `path` to hold a whole line.
fn line_of(path: &std::path::Path) -> String {
    for _ in 0..200 {
        if let Ok(text) = std::fs::read_to_string(path)
            && text.ends_with('\n')
        {
            return text;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("nothing written to {}", path.display());
}

#[cfg(target_os = "linux")]
#[test]
fn a_restart_starts_the_new_process_only_once_every_thread_of_the_old_one_is_gone() {
    let root = tempfile::tempdir().expect("tempdir");
    let d = root.path();
    std::fs::write(d.join("lingering.c"), LINGERING).expect("source");
    let built = Command::new("cc")
        .arg("-o")
        .arg(d.join("lingering"))
        .arg(d.join("lingering.c"))
        .arg("-lpthread")
        .output()
        .expect("cc");
    assert!(built.status.success(), "{built:?}");
    // The new process only says whether the old one was gone when it started.
    let new = d.join("new");
    std::fs::write(
        &new,
        format!(
            "#!/bin/sh\nif [ -f '{0}/old.gone' ]; then echo after; else echo before; fi >'{0}/new.tmp'\nmv '{0}/new.tmp' '{0}/new.started'\n",
            d.display()
        ),
    )
    .expect("new");
    std::fs::set_permissions(&new, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let restart = d.join("restart");
    std::fs::write(
        &restart,
        format!(
            "d='{}' exe='{}' log=out record=\n{}",
            d.display(),
            new.display(),
            include_str!("../src/remote/demo_restart.sh")
        ),
    )
    .expect("restart");
    std::fs::write(d.join("db.listen"), "127.0.0.1:1").expect("listen");
    let config = format!("{}/db.conf", d.display());
    // Its process must be ready for SIGTERM, with its own command line, before the restart.
    let old = Command::new(d.join("lingering"))
        .arg(d.join("old.ready"))
        .arg(d.join("old.gone"))
        .args([
            "demo-service",
            "--listen",
            "127.0.0.1:1",
            "--config",
            &config,
        ])
        .spawn()
        .expect("old");
    let old = KillOnDrop(old);
    std::fs::write(d.join("db.pid"), old.0.id().to_string()).expect("pid");
    for _ in 0..200 {
        if d.join("old.ready").exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    let out = Command::new("sh")
        .arg(&restart)
        .arg("db")
        .output()
        .expect("restart");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(line_of(&d.join("new.started")), "after\n");
    drop(old);
}
