//! `ssh.max_connections` against real `sshd`s: a dry run and a real run over more hosts than
//! masters, with the master processes counted from /proc while they run. Never more than the
//! bound alive at once, every host reached, every step done, nothing left behind.

mod lab;
mod output;

use lab::Lab;
use output::{assert_has, exited};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const HOSTS: usize = 5;
const BOUND: usize = 2;

/// What the sampler saw: the most masters alive at one time, and every master seen.
#[derive(Default)]
struct Seen {
    most: usize,
    sockets: BTreeSet<String>,
}

/// The control sockets (`-S PATH`) of the live `ssh -M` processes whose socket is under
/// `tmp`: one per master (while `ssh -f` forks, parent and child share it).
fn masters_alive(tmp: &Path) -> BTreeSet<String> {
    let tmp = tmp.to_string_lossy();
    let mut sockets = BTreeSet::new();
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return sockets;
    };
    for entry in procs.flatten() {
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let argv: Vec<String> = cmdline
            .split(|b| *b == 0)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        let is_ssh = argv
            .first()
            .is_some_and(|a| a == "ssh" || a.ends_with("/ssh"));
        if !is_ssh || !argv.iter().any(|a| a == "-M") {
            continue;
        }
        if let Some(i) = argv.iter().position(|a| a == "-S")
            && let Some(socket) = argv.get(i + 1)
            && socket.starts_with(&*tmp)
        {
            sockets.insert(socket.clone());
        }
    }
    sockets
}

/// Runs `comeback ARGS` in `lab` while a thread counts its masters every 10 ms.
fn run_sampled(lab: &Lab, args: &[&str]) -> (std::process::Output, Seen) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let done = Arc::new(AtomicBool::new(false));
    let tmp: PathBuf = lab.root.path().join("tmp");
    let sampler = {
        let (seen, done) = (seen.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                let alive = masters_alive(&tmp);
                let mut seen = seen.lock().expect("sampler");
                seen.most = seen.most.max(alive.len());
                seen.sockets.extend(alive);
                drop(seen);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let out = lab
        .comeback()
        .env("COMEBACK_LOG", "comeback::transport=debug")
        .args(args)
        .output()
        .expect("comeback runs");
    done.store(true, Ordering::Relaxed);
    sampler.join().expect("sampler");
    let seen = std::mem::take(&mut *seen.lock().expect("sampler"));
    (out, seen)
}

/// One service per host, a health check on the host and one from the controller: every step
/// needs its host's master again after the bound closed it.
fn plan(lab: &Lab) -> PathBuf {
    for i in 0..HOSTS {
        lab.service(i, "svc", 7001, "");
    }
    lab.plan_with(
        &format!(
            "  max_connections: {BOUND}\ndefaults:\n  health: {{ timeout: 10s, interval: 100ms, settle: 200ms }}\n"
        ),
        r#"  svc:
    hosts: [host-1, host-2, host-3, host-4, host-5]
    restart: "{vars.dir}/bin/restart svc"
    health:
      - tcp: 7001
      - command: "kill -0 $(cat {vars.dir}/svc.pid)"
"#,
    )
}

/// `text` without its terminal colour sequences (`ESC [ ... m`).
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The largest `open=N` of the debug lines `ssh master opened`, and how many there were.
fn opened_lines(stderr: &str) -> (usize, usize) {
    let stderr = plain(stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("ssh master opened"))
        .collect();
    let most = lines
        .iter()
        .filter_map(|l| l.split("open=").nth(1))
        .filter_map(|rest| rest.split_whitespace().next()?.parse::<usize>().ok())
        .max()
        .unwrap_or(0);
    (most, lines.len())
}

#[test]
fn a_dry_run_over_more_hosts_than_masters_never_holds_more_than_the_bound() {
    let lab = Lab::start(HOSTS);
    let plan = plan(&lab);
    let plan = plan.to_str().expect("utf8");
    let (out, seen) = run_sampled(&lab, &["run", plan, "--dry-run"]);
    let err = exited(&out, 0);
    assert!(
        seen.most <= BOUND,
        "{} masters alive at once, bound {BOUND}",
        seen.most
    );
    // The sampler works: it saw masters, and more of them over the run than the bound.
    assert!(seen.sockets.len() > BOUND, "saw {:?}\n{err}", seen.sockets);
    let (most, opened) = opened_lines(&err);
    assert!(most <= BOUND && most > 0, "open={most}\n{err}");
    assert_eq!(opened, HOSTS, "each host connected once:\n{err}");
    for i in 1..=HOSTS {
        assert_has(&err, &format!("svc@host-{i}"));
    }
    assert_eq!(
        lab.restart_ids(),
        Vec::<String>::new(),
        "a dry run restarts nothing"
    );
    assert_eq!(lab.leftovers(), Vec::<String>::new());
}

#[test]
fn a_real_run_reopens_closed_masters_and_completes_every_step_within_the_bound() {
    let lab = Lab::start(HOSTS);
    let plan = plan(&lab);
    let plan = plan.to_str().expect("utf8");
    let (out, seen) = run_sampled(&lab, &["run", plan, "--yes"]);
    let err = exited(&out, 0);
    assert!(
        seen.most <= BOUND,
        "{} masters alive at once, bound {BOUND}",
        seen.most
    );
    assert!(seen.sockets.len() > BOUND, "saw {:?}", seen.sockets);
    let (most, opened) = opened_lines(&err);
    assert!(most <= BOUND && most > 0, "open={most}\n{err}");
    // Connected up front, then reopened for the steps whose master the bound had closed.
    assert!(opened > HOSTS, "{opened} masters opened:\n{err}");
    assert_has(&err, "done: 5 steps restarted and verified");
    assert_eq!(
        lab.restart_ids(),
        (1..=HOSTS)
            .map(|i| format!("svc@host-{i}"))
            .collect::<Vec<_>>()
    );
    // Every host's run folder was swept, by the closing of its master or at the end.
    lab.assert_hosts_swept();
    assert_eq!(lab.leftovers(), Vec::<String>::new());
}

#[test]
fn a_changed_host_key_is_still_refused_when_a_closed_master_reopens() {
    let mut lab = Lab::start(2);
    lab.service(0, "a", 7001, "");
    lab.service(1, "b", 7002, "");
    lab.service(0, "c", 7003, "");
    // a@host-1, b@host-2, c@host-1 over one master: c reopens host-1's, which b closed.
    let plan = lab.plan_with(
        "  max_connections: 1\ndefaults:\n  health: { timeout: 5s, interval: 100ms, settle: 0s }\n",
        r#"  a:
    hosts: [host-1]
    restart: "{vars.dir}/bin/restart a"
    health: [{ tcp: 7001 }]
  b:
    hosts: [host-2]
    depends_on: [a]
    restart: "{vars.dir}/bin/restart b"
    health: [{ tcp: 7002 }]
  c:
    hosts: [host-1]
    depends_on: [b]
    restart: "{vars.dir}/bin/restart c"
    health: [{ tcp: 7003 }]
"#,
    );
    let mut child = std::process::Command::new(lab::comeback_bin())
        .args([
            "run",
            plan.to_str().expect("utf8"),
            "--yes",
            "--pause",
            "2s",
        ])
        .env("TMPDIR", lab.root.path().join("tmp"))
        .env_remove("SSH_AUTH_SOCK")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("comeback runs");
    let stderr = child.stderr.take().expect("piped");
    let mut err = String::new();
    let mut changed = false;
    for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)) {
        let line = line.expect("utf8");
        err.push_str(&line);
        err.push('\n');
        // b's step has begun: host-1's master is closed (or about to be) until c needs it.
        if !changed && line.contains("b@host-2") {
            std::thread::sleep(Duration::from_millis(300));
            lab.change_host_key(0);
            changed = true;
        }
    }
    let status = child.wait().expect("comeback ends");
    assert!(changed, "b's step never began:\n{err}");
    assert_eq!(status.code(), Some(1), "{err}");
    assert_has(&err, "host `host-1` refused its SSH host key");
    assert_eq!(lab.restart_ids(), ["a@host-1", "b@host-2"], "{err}");
}
