//! Scale benchmark (issue #27): N hosts (`SCALE_HOSTS`, default 1,000) on loopback addresses in
//! a private network namespace, ONE sshd, an unprivileged user with `/bin/sh` and no dotfiles;
//! a plan with one service per host (restart `true`, one `command: true` health check).
//! Side by side, alternating over `SCALE_ROUNDS` rounds (default 2), best of each:
//! (a) `comeback run --dry-run` (default `ssh.max_connections` 64, `connect_concurrency` 32);
//! (b) the floor: one fresh `ssh HOST true` per host, 32 at a time (`xargs -P 32`).
//! Prints both, the ratio (target <= 1.2), and the peak memory of comeback plus every ssh it
//! started, summed RSS sampled every 100 ms (target < 512 MB). Then (c) one real run of every
//! step (`comeback run --yes`, `SCALE_REAL=0` skips it) with the pool in force: its time per
//! step, its peak memory and the most ssh processes alive at once. Asserts nothing.
//!
//! Run as root: `cargo bench --bench scale`; 5,000 hosts: `SCALE_HOSTS=5000 cargo bench --bench
//! scale`. Without root it says that it cannot run, and measures nothing. `SCALE_COMEBACK=PATH`
//! measures another comeback binary; `SCALE_LOG=FILE` keeps the dry run's stderr.

#[path = "scale/tree.rs"]
mod tree;
#[path = "scale/world.rs"]
mod world;

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::Stdio;
use std::time::{Duration, Instant};
use world::World;

const CONCURRENCY: usize = 32;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(default)
}

fn plan(world: &World) -> std::path::PathBuf {
    let mut text = String::from("hosts:\n");
    for (i, a) in world.addresses.iter().enumerate() {
        let _ = writeln!(
            text,
            "  h{i:05}: {{ address: {a}, user: {}, identity: {} }}",
            world::USER,
            world.identity.display()
        );
    }
    let _ = write!(
        text,
        "ssh:\n  known_hosts: {}\n  config: {}\n  connect_timeout: 30s\n\
         defaults:\n  health: {{ timeout: 30s, interval: 1s, settle: 0s }}\nservices:\n",
        world.known_hosts.display(),
        world.ssh_config.display()
    );
    for i in 0..world.addresses.len() {
        let _ = writeln!(
            text,
            "  s{i:05}:\n    hosts: [h{i:05}]\n    restart: \"true\"\n    health: [{{ command: \"true\" }}]"
        );
    }
    let path = world.dir().join("plan.yaml");
    std::fs::write(&path, text).expect("plan");
    path
}

struct Measured {
    elapsed: Duration,
    peak: tree::Peak,
    ok: bool,
    tail: String,
}

/// comeback `run PLAN` with `flag` (`--dry-run`, `--yes`), inside the namespace, with its
/// memory sampled.
fn comeback(world: &World, plan: &std::path::Path, flag: &str) -> Measured {
    let tmp = world.dir().join("tmp");
    let _ = std::fs::create_dir_all(&tmp);
    let log = world.dir().join(format!("run{flag}.log"));
    let start = Instant::now();
    // Another build of comeback (the package's, a debug one) can be measured the same way.
    let bin = std::env::var("SCALE_COMEBACK").unwrap_or(env!("CARGO_BIN_EXE_comeback").into());
    let child = world
        .command(&bin)
        .arg("run")
        .arg(plan)
        .arg(flag)
        .env("TMPDIR", &tmp)
        .env_remove("SSH_AUTH_SOCK")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log"))
        .spawn()
        .expect("comeback");
    let sampler = tree::sample(child.id(), tmp.to_string_lossy().into_owned());
    let out = child.wait_with_output().expect("comeback ends");
    let elapsed = start.elapsed();
    let peak = sampler.stop();
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    // Its stderr, kept (with COMEBACK_LOG=comeback=debug: every master opened and closed).
    if let Ok(keep) = std::env::var("SCALE_LOG") {
        let _ = std::fs::write(keep, &text);
    }
    let tail: Vec<&str> = text.lines().rev().take(3).collect();
    Measured {
        elapsed,
        peak,
        ok: out.status.success(),
        tail: tail.into_iter().rev().collect::<Vec<_>>().join("\n    "),
    }
}

/// One fresh `ssh HOST true` per host, `CONCURRENCY` at a time; how many failed.
fn floor(world: &World) -> (Duration, usize) {
    let script = r#"cfg=$1 n=$2
xargs -P "$n" -I{} sh -c 'ssh -F "$0" "$1" true </dev/null || echo FAIL' "$cfg" {}"#;
    let start = Instant::now();
    let mut child = world
        .command("sh")
        .args(["-c", script, "sh"])
        .arg(&world.ssh_config)
        .arg(CONCURRENCY.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("floor");
    let input = world.addresses.join("\n") + "\n";
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("addresses");
    let out = child.wait_with_output().expect("floor ends");
    let failed = String::from_utf8_lossy(&out.stdout).matches("FAIL").count();
    (start.elapsed(), failed)
}

fn main() {
    let n = env_number("SCALE_HOSTS", 1000);
    let rounds = env_number("SCALE_ROUNDS", 2);
    if let Some(why) = world::cannot_run() {
        println!("scale bench: CANNOT RUN, nothing measured: {why}");
        return;
    }
    let world = match World::start(n) {
        Ok(world) => world,
        Err(e) => {
            println!("scale bench: CANNOT RUN, nothing measured: {e}");
            return;
        }
    };
    let plan = plan(&world);
    println!(
        "\nscale: {n} hosts on 127.42.x.y in network namespace {}, one sshd, user {} (/bin/sh, no dotfiles)",
        world.netns,
        world::USER
    );
    let mut best_floor: Option<Duration> = None;
    let mut best_run: Option<Measured> = None;
    for round in 1..=rounds {
        let (floor_time, failed) = floor(&world);
        let run = comeback(&world, &plan, "--dry-run");
        println!(
            "  round {round}: floor {:.2}s ({failed} failed), comeback dry run {:.2}s (exit ok: {}), peak {:.0} MB over {} processes",
            floor_time.as_secs_f64(),
            run.elapsed.as_secs_f64(),
            run.ok,
            run.peak.bytes as f64 / 1e6,
            run.peak.processes
        );
        if !run.ok {
            println!("    comeback said: {}", run.tail);
        }
        best_floor = Some(best_floor.map_or(floor_time, |b| b.min(floor_time)));
        let better = best_run.as_ref().is_none_or(|b| run.elapsed < b.elapsed);
        let peak = best_run.as_ref().map_or(run.peak, |b| {
            if b.peak.bytes > run.peak.bytes {
                b.peak
            } else {
                run.peak
            }
        });
        if better {
            best_run = Some(Measured { peak, ..run });
        } else if let Some(b) = best_run.as_mut() {
            b.peak = peak;
        }
    }
    let (Some(floor), Some(run)) = (best_floor, best_run) else {
        return;
    };
    let ratio = run.elapsed.as_secs_f64() / floor.as_secs_f64();
    let mb = run.peak.bytes as f64 / 1e6;
    println!(
        "\n  best of {rounds}        | time     | per host | peak memory (comeback + its ssh)"
    );
    println!(
        "  floor (ssh true x{CONCURRENCY}) | {:>7.2}s | {:>6.1}ms |",
        floor.as_secs_f64(),
        floor.as_secs_f64() * 1e3 / n as f64
    );
    println!(
        "  comeback dry run    | {:>7.2}s | {:>6.1}ms | {mb:.0} MB ({} processes; at most {} ssh at once; comeback alone {:.0} MB)",
        run.elapsed.as_secs_f64(),
        run.elapsed.as_secs_f64() * 1e3 / n as f64,
        run.peak.processes,
        run.peak.most_ssh,
        run.peak.own as f64 / 1e6
    );
    println!(
        "  ratio dry run / floor {ratio:.2} (target <= 1.2: {}); peak {mb:.0} MB (target < 512 MB: {})",
        if ratio <= 1.2 { "met" } else { "MISSED" },
        if mb < 512.0 { "met" } else { "MISSED" }
    );
    println!(
        "  extrapolated (linear, not measured) to 10,000 hosts: dry run {:.0}s, floor {:.0}s",
        run.elapsed.as_secs_f64() * 10_000.0 / n as f64,
        floor.as_secs_f64() * 10_000.0 / n as f64
    );
    println!("  5,000 hosts: SCALE_HOSTS=5000 cargo bench --bench scale");
    if std::env::var("SCALE_REAL").as_deref() != Ok("0") {
        real_run(&world, &plan, n);
    }
}

/// One real run of every step, the pool in force: each step restarts and gates its service.
fn real_run(world: &World, plan: &std::path::Path, n: usize) {
    let run = comeback(world, plan, "--yes");
    println!(
        "\n  real run of {n} steps | {:>7.2}s | {:>6.1}ms per step | exit ok: {} | peak {:.0} MB ({} processes; at most {} ssh at once)",
        run.elapsed.as_secs_f64(),
        run.elapsed.as_secs_f64() * 1e3 / n as f64,
        run.ok,
        run.peak.bytes as f64 / 1e6,
        run.peak.processes,
        run.peak.most_ssh
    );
    println!("    comeback said: {}", run.tail);
}
