//! Rolling-restart benchmark on the test lab: N hosts (10, then 50), each its own sshd and one
//! web service (restart + tcp + http checks, settle 0). Times side by side in one run:
//! (a) `comeback run --yes`;
//! (b) the floor: one OpenSSH ControlMaster per host opened in parallel, then a shell loop over
//!     the same steps through them (both parts timed);
//! (c) the same loop with a new SSH connection per command.
//! Then the read-only pass: `comeback run --dry-run` over 50 hosts against the slowest single
//! host's dry run alone. Then a stateless tier of 200 instances restarted with `batch: 10%`
//! against one at a time and against the floor. Prints totals, per-step overhead and ratios;
//! asserts nothing.
//!
//! Run: `cargo bench --bench rolling_restart` (as root or as the user sshd may log in as).
//! `COMEBACK_BENCH_BASE=/path/to/an/older/comeback` adds that build's run beside this one's in
//! the rolling part (after it with `COMEBACK_BENCH_BASE_LAST=1`); `COMEBACK_BENCH_LOG=DIR` keeps
//! each rolling run's debug log there; `COMEBACK_BENCH_ROUNDS=N` runs the rolling part's (a), (a0)
//! and (b) N times in the same lab and prints the medians; `COMEBACK_BENCH_CPU=<a cgroup's
//! cpuacct.usage>` (the bench run inside that cgroup) adds the CPU seconds each run cost. Each
//! kept log starts with `bench: spawned <unix time>` and ends with `bench: exited <unix time>`,
//! so that the phases before its first line and after its last can be read.

#[path = "../tests/lab/mod.rs"]
mod lab;

use lab::{Lab, SSH_PORT};
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PORT: u16 = 7100;

fn plan(lab: &Lab) -> std::path::PathBuf {
    plan_in_batches(lab, "1")
}

fn plan_in_batches(lab: &Lab, batch: &str) -> std::path::PathBuf {
    let hosts: Vec<String> = lab.hosts.iter().map(|h| h.name.clone()).collect();
    lab.plan_with(
        "defaults:\n  health: { timeout: 30s, interval: 100ms, settle: 0s }\n",
        &format!(
            "  web:\n    hosts: [{}]\n    restart: \"{{vars.dir}}/bin/restart web\"\n    batch: {batch}\n    health:\n      - tcp: {PORT}\n      - http: \"http://{{address}}:{PORT}/health\"\n",
            hosts.join(", ")
        ),
    )
}

/// Runs `comeback` and samples its peak memory (VmHWM) until it exits.
fn comeback(lab: &Lab, args: &[&str]) -> (Duration, f64, bool) {
    comeback_with(lab, lab::comeback_bin(), args, None)
}

/// `COMEBACK_BENCH_BASE`: another build of comeback (the one before a change), run side by side
/// with this one in the rolling part, so their ratios come from the same run.
fn base_bin() -> Option<String> {
    std::env::var("COMEBACK_BENCH_BASE")
        .ok()
        .filter(|b| !b.is_empty())
}

/// `COMEBACK_BENCH_LOG`: a folder where the rolling part keeps each run's debug log (every
/// remote command, its phase and its time: `COMEBACK_LOG=comeback=debug`).
fn log_path(name: &str) -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("COMEBACK_BENCH_LOG")?;
    Some(std::path::Path::new(&dir).join(name))
}

/// As [`comeback`], with the binary `bin`, its stderr kept in `log` (at debug level) when given.
fn comeback_with(
    lab: &Lab,
    bin: &str,
    args: &[&str],
    log: Option<std::path::PathBuf>,
) -> (Duration, f64, bool) {
    let start = Instant::now();
    let spawned = std::time::SystemTime::now();
    let mut command = Command::new(bin);
    if log.is_some() {
        command.env("COMEBACK_LOG", "comeback=debug");
    }
    let mut child = command
        .args(args)
        .env("TMPDIR", lab.root.path().join("tmp"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn comeback");
    let mut stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0.0f64;
    let status = loop {
        if let Some(kb) = std::fs::read_to_string(&status_path).ok().and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        }) {
            peak_kb = peak_kb.max(kb);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let text = reader.join().unwrap_or_default();
    if let Some(log) = log {
        // The spawn and the exit as the bench saw them, around the run's own timestamps: the
        // phases before the first log line and after the last one are read from these.
        let exited = spawned + elapsed;
        let _ = std::fs::write(
            log,
            format!(
                "bench: spawned {}\n{text}bench: exited {}\n",
                unix(spawned),
                unix(exited)
            ),
        );
    }
    if !matches!(status.code(), Some(0 | 3)) {
        eprintln!("comeback {args:?} exited {status}:\n{text}");
    }
    (elapsed, peak_kb / 1024.0, status.success())
}

/// Seconds since the epoch, as the logs' timestamps can be compared with.
fn unix(t: std::time::SystemTime) -> String {
    let d = t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    format!("{}.{:09}", d.as_secs(), d.subsec_nanos())
}

/// The hand-written floor: the same steps as a shell loop, through ControlMasters or not.
const FLOOR: &str = r#"#!/bin/bash
# floor.sh MODE SSH_CONFIG CONTROL_DIR PORT then lines "user address dir" on stdin
mode=$1 cfg=$2 ctl=$3 port=$4
mapfile -t hosts
opts=(-F "$cfg" -o BatchMode=yes)
[ "$mode" != plain ] && opts+=(-o "ControlPath=$ctl/%h")
t0=$(date +%s.%N)
if [ "$mode" != plain ]; then
  for h in "${hosts[@]}"; do read -r user addr dir <<<"$h"; ssh "${opts[@]}" -o ControlMaster=yes -o ControlPersist=60 -fN "$user@$addr" & done
  wait
fi
t1=$(date +%s.%N)
[ "$mode" = connect-only ] && steps=() || steps=("${hosts[@]}")
for h in "${steps[@]}"; do
  read -r user addr dir <<<"$h"
  ssh "${opts[@]}" "$user@$addr" "$dir/bin/restart web" </dev/null
  until (exec 3<>"/dev/tcp/$addr/$port") 2>/dev/null; do sleep 0.005; done
  until exec 3<>"/dev/tcp/$addr/$port" && printf 'GET /health HTTP/1.0\r\n\r\n' >&3 && read -r _ code _ <&3 && [ "$code" = 200 ]; do sleep 0.005; done
  exec 3>&-
done
t2=$(date +%s.%N)
if [ "$mode" != plain ]; then
  for h in "${hosts[@]}"; do read -r user addr dir <<<"$h"; ssh "${opts[@]}" -O exit "$user@$addr" 2>/dev/null; done
fi
echo "$t0 $t1 $t2"
"#;

fn floor(lab: &Lab, mode: &str) -> (f64, f64) {
    let script = lab.root.path().join("floor.sh");
    std::fs::write(&script, FLOOR).expect("script");
    let config = lab.root.path().join("floor_ssh_config");
    let mut text = format!(
        "Host *\n  Port {SSH_PORT}\n  IdentityFile {}\n  IdentitiesOnly yes\n  UserKnownHostsFile {}\n  StrictHostKeyChecking yes\n  LogLevel ERROR\n",
        lab.identity.display(),
        lab.known_hosts.display()
    );
    text.push_str("  ConnectTimeout 10\n");
    std::fs::write(&config, text).expect("config");
    let ctl = tempfile::Builder::new()
        .prefix("fl")
        .tempdir_in("/tmp")
        .expect("control dir");
    let input: String = lab
        .hosts
        .iter()
        .map(|h| format!("{} {} {}\n", lab.user, h.address, h.dir.display()))
        .collect();
    let mut child = Command::new("bash")
        .arg(&script)
        .arg(mode)
        .arg(&config)
        .arg(ctl.path())
        .arg(PORT.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("bash");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("floor");
    let times: Vec<f64> = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    assert_eq!(
        times.len(),
        3,
        "floor script output: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    (times[1] - times[0], times[2] - times[1])
}

/// Only the floor's parallel ControlMaster opening, with a loop over no host.
fn floor_connect_only(lab: &Lab) -> (f64, f64) {
    floor(lab, "connect-only")
}

/// Seconds the hosts spent in their restart commands, from their own records.
fn restart_time(lab: &Lab, since: usize) -> f64 {
    lab.restarts()
        .iter()
        .skip(since)
        .map(|(start, end, _, _)| end - start)
        .sum()
}

/// `COMEBACK_BENCH_ROUNDS`: how many times the rolling part runs (a), (a0) and (b) in the same
/// lab, the order of (a) and (a0) alternating between rounds; medians at the end.
fn rounds() -> usize {
    std::env::var("COMEBACK_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|&r| r > 0)
        .unwrap_or(1)
}

/// `COMEBACK_BENCH_CPU`: a cgroup's `cpuacct.usage` holding the bench (its sshds, the hosts'
/// commands and the runs' ssh masters included): the CPU seconds each run costs the machine,
/// which the other load of a shared machine does not change much.
fn cpu() -> Option<f64> {
    let path = std::env::var_os("COMEBACK_BENCH_CPU")?;
    let ns: f64 = std::fs::read_to_string(path).ok()?.trim().parse().ok()?;
    Some(ns / 1e9)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn rolling(n: usize) {
    let lab = Lab::start(n);
    for i in 0..n {
        lab.service(i, "web", PORT, "");
    }
    let plan = plan(&lab);
    let plan_arg = plan.to_str().expect("utf8");
    let rounds = rounds();
    let suffix = |r: usize| {
        if rounds > 1 {
            format!("-r{}", r + 1)
        } else {
            String::new()
        }
    };

    // CPU seconds of each run: (a), (a0), (b).
    let cpus = std::cell::RefCell::new((Vec::new(), Vec::new(), Vec::new()));
    let base_run = |r: usize| {
        base_bin().map(|bin| {
            let before = lab.restarts().len();
            let log = log_path(&format!("rolling-{n}{}-base.log", suffix(r)));
            let c0 = cpu();
            let (t, _, ok) = comeback_with(&lab, &bin, &["run", plan_arg, "--yes"], log);
            assert!(ok, "comeback run (base) failed");
            cpus.borrow_mut()
                .1
                .push(cpu().zip(c0).map(|(c1, c0)| c1 - c0));
            (t.as_secs_f64(), restart_time(&lab, before))
        })
    };
    // `COMEBACK_BENCH_BASE_LAST=1`: the base build runs after this one in the first round (the
    // first run in a fresh lab may pay for it); the order alternates from then on.
    let base_last = std::env::var_os("COMEBACK_BENCH_BASE_LAST").is_some();
    let per_step = |total: f64, restarts: f64| (total - restarts) / n as f64 * 1000.0;
    let (mut ab, mut a0b) = (Vec::new(), Vec::new());
    for r in 0..rounds {
        let last = base_last != (r % 2 == 1);
        let mut base = if last { None } else { base_run(r) };
        let before = lab.restarts().len();
        let log = log_path(&format!("rolling-{n}{}.log", suffix(r)));
        let c0 = cpu();
        let (a, peak, ok) =
            comeback_with(&lab, lab::comeback_bin(), &["run", plan_arg, "--yes"], log);
        assert!(ok, "comeback run failed");
        cpus.borrow_mut()
            .0
            .push(cpu().zip(c0).map(|(c1, c0)| c1 - c0));
        let a_restarts = restart_time(&lab, before);
        if last {
            base = base_run(r);
        }
        let before = lab.restarts().len();
        let c0 = cpu();
        let (b_connect, b_loop) = floor(&lab, "master");
        cpus.borrow_mut()
            .2
            .push(cpu().zip(c0).map(|(c1, c0)| c1 - c0));
        let b_restarts = restart_time(&lab, before);
        let a = a.as_secs_f64();
        let b = b_connect + b_loop;
        ab.push(a / b);
        if let Some((a0, _)) = base {
            a0b.push(a0 / b);
        }
        if r > 0 {
            println!(
                "  round {}: a {a:.3}s{}   b {b:.3}s (connect {b_connect:.3}s)   a/b = {:.2}{}",
                r + 1,
                base.map_or(String::new(), |(a0, _)| format!("   a0 {a0:.3}s")),
                a / b,
                base.map_or(String::new(), |(a0, _)| format!("   a0/b = {:.2}", a0 / b)),
            );
            continue;
        }
        let before = lab.restarts().len();
        let (_, c_loop) = floor(&lab, "plain");
        let c_restarts = restart_time(&lab, before);
        println!(
            "\nrolling restart, {n} hosts, one web service each (restart + tcp + http, settle 0)"
        );
        println!(
            "  (a) comeback run --yes            total {a:>7.3}s   overhead/step {:>6.1} ms   peak memory {peak:.1} MB",
            per_step(a, a_restarts)
        );
        if let Some((a0, a0_restarts)) = base {
            println!(
                "  (a0) base build (COMEBACK_BENCH_BASE) total {a0:>7.3}s   overhead/step {:>6.1} ms   a0/b = {:.2}",
                per_step(a0, a0_restarts),
                a0 / b
            );
        }
        println!(
            "  (b) ControlMaster floor           total {b:>7.3}s   overhead/step {:>6.1} ms   (connect {b_connect:.3}s + loop {b_loop:.3}s)",
            per_step(b, b_restarts)
        );
        println!(
            "  (c) new connection per command    total {c_loop:>7.3}s   overhead/step {:>6.1} ms",
            per_step(c_loop, c_restarts)
        );
        println!(
            "  a/b = {:.2} (target <= 1.5)   a/c = {:.2} (target < 1)",
            a / b,
            a / c_loop
        );
    }
    let cpus = cpus.into_inner();
    let cpu_line = |name: &str, values: &[Option<f64>]| {
        let values: Vec<f64> = values.iter().flatten().copied().collect();
        if !values.is_empty() {
            let each: Vec<String> = values.iter().map(|v| format!("{v:.3}")).collect();
            println!(
                "  cpu {name}: median {:.3}s ({})",
                median(values.clone()),
                each.join(" ")
            );
        }
    };
    cpu_line("(a)", &cpus.0);
    cpu_line("(a0)", &cpus.1);
    cpu_line("(b)", &cpus.2);
    if rounds > 1 {
        println!(
            "  {rounds} rounds: median a/b = {:.2}{}",
            median(ab),
            if a0b.is_empty() {
                String::new()
            } else {
                format!("   median a0/b = {:.2}", median(a0b))
            }
        );
    }
}

fn dry_run(n: usize) {
    let lab = Lab::start(n);
    // References that resolve without DNS (this machine's resolver throttles bursts of
    // queries, which would measure it rather than comeback), one of them dead.
    for i in 0..n {
        lab.service(
            i,
            "web",
            PORT,
            &format!(
                "upstream = localhost:{PORT}\nreplica_host = {}:1\n",
                lab.hosts[i].address
            ),
        );
    }
    // Every host reads one config and probes its references: the read-only pass in full.
    let hosts: Vec<String> = lab.hosts.iter().map(|h| h.name.clone()).collect();
    let services = |hosts: &[String]| {
        format!(
            "  web:\n    hosts: [{}]\n    restart: \"{{vars.dir}}/bin/restart web\"\n    configs: [\"{{vars.dir}}/web.conf\"]\n    health:\n      - tcp: {PORT}\n",
            hosts.join(", ")
        )
    };
    let all = lab.plan_with("", &services(&hosts));
    let (whole, _, _) = comeback(&lab, &["run", all.to_str().expect("utf8"), "--dry-run"]);
    let mut slowest = Duration::ZERO;
    for host in &hosts {
        let one = lab.plan_with("", &services(std::slice::from_ref(host)));
        let (t, _, _) = comeback(&lab, &["run", one.to_str().expect("utf8"), "--dry-run"]);
        slowest = slowest.max(t);
    }
    let (connect, _) = floor_connect_only(&lab);
    println!("\ndry run (preflight + config references), {n} hosts");
    println!(
        "  comeback run --dry-run, all hosts   {:>7.3}s",
        whole.as_secs_f64()
    );
    println!(
        "  slowest single host alone           {:>7.3}s",
        slowest.as_secs_f64()
    );
    println!("  floor: {n} ControlMasters opened in parallel by ssh alone {connect:.3}s");
    println!(
        "  ratio to the slowest host {:.2} (target <= 3); to parallel connect + slowest host {:.2}",
        whole.as_secs_f64() / slowest.as_secs_f64(),
        whole.as_secs_f64() / (connect + slowest.as_secs_f64())
    );
}

/// A stateless tier: `batch: 10%` against one at a time and against the one-at-a-time floor.
fn batched(n: usize) {
    let lab = Lab::start(n);
    for i in 0..n {
        lab.service(i, "web", PORT, "");
    }
    let one = plan_in_batches(&lab, "1");
    let (single, _, ok) = comeback(&lab, &["run", one.to_str().expect("utf8"), "--yes"]);
    assert!(ok, "comeback run failed");
    let tenth = plan_in_batches(&lab, "10%");
    let (batches, peak, ok) = comeback(&lab, &["run", tenth.to_str().expect("utf8"), "--yes"]);
    assert!(ok, "comeback run with batches failed");
    let (connect, walk) = floor(&lab, "master");
    let (single, batches, floor) = (single.as_secs_f64(), batches.as_secs_f64(), connect + walk);
    println!(
        "
stateless tier, {n} hosts, one web service each (restart + tcp + http, settle 0)"
    );
    println!(
        "  comeback, batch: 10%                total {batches:>7.3}s   peak memory {peak:.1} MB"
    );
    println!("  comeback, one at a time             total {single:>7.3}s");
    println!("  ControlMaster floor, one at a time  total {floor:>7.3}s");
    println!(
        "  batches / one at a time = {:.2}   batches / floor = {:.2}",
        batches / single,
        batches / floor
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    println!(
        "comeback benchmark: rolling restart and dry run on the test lab (real sshd per host)"
    );
    // `cargo bench --bench rolling_restart -- batched` runs that part alone (likewise
    // `rolling`, `dry_run`; `rolling10` or `rolling50` one size of the rolling part).
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let runs = |part: &str| only.is_empty() || only.iter().any(|o| o == part);
    if runs("rolling") || runs("rolling10") {
        rolling(10);
    }
    if runs("rolling") || runs("rolling50") {
        rolling(50);
    }
    if runs("dry_run") {
        dry_run(50);
    }
    if runs("batched") {
        batched(200);
    }
}
