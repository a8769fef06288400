//! Reference-scanner throughput on a 50 MB corpus of mixed config formats (both test corpora plus
//! comment and prose lines, as real config trees are mostly), side by side with two baselines:
//! splitting the text into lines (the floor of any line scanner) and one IPv4 regex over the
//! whole text (what `grep -E` for addresses costs).
//!
//! Run: `cargo bench --bench refs`. Target: 100 MB/s or more. `COMEBACK_BENCH_MB` (default 50)
//! and `COMEBACK_BENCH_ROUNDS` (default 15) shrink it, e.g. to count instructions under
//! `valgrind --tool=callgrind`, which a shared machine's load does not change.

use comeback::refs::{ScanOptions, scan};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// `name` from the environment, or `default`.
fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn corpus(target_bytes: usize) -> String {
    let mut files: Vec<String> = match std::env::var_os("COMEBACK_BENCH_TREE") {
        Some(tree) => {
            let mut files = Vec::new();
            read_tree(std::path::Path::new(&tree), &mut files);
            files
        }
        None => ["tests/refs", "tests/refs_formats"]
            .iter()
            .flat_map(|dir| {
                std::fs::read_dir(format!("{}/{dir}", env!("CARGO_MANIFEST_DIR")))
                    .expect("corpus dir")
            })
            .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("text"))
            .collect(),
    };
    files.push(
        "# This file is managed by configuration management; local edits will be lost.\n\
         # Tuning notes from the 2019 migration: keep the buffers at 64 MiB and the pool at 32.\n\
         max_connections = 512\nbuffer_pool_size = 64M\nthread_cache = 32\n\n"
            .repeat(4),
    );
    let mut text = String::with_capacity(target_bytes + 65536);
    let mut i = 0;
    while text.len() < target_bytes {
        text.push_str(&files[i % files.len()]);
        i += 1;
    }
    text
}

/// The text files under `dir`, recursively (binary files are left out).
fn read_tree(dir: &std::path::Path, files: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("tree").flatten() {
        let path = entry.path();
        if path.is_dir() {
            read_tree(&path, files);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            files.push(text);
        }
    }
}

/// How long `f` takes once.
fn timed<T>(f: impl FnOnce() -> T) -> Duration {
    let start = Instant::now();
    black_box(f());
    start.elapsed()
}

fn main() {
    // Rounds of the scanner and both baselines in turn, so that a slow phase of a shared
    // machine slows all three alike; the best of each is reported, and the scanner's median too.
    let rounds = setting("COMEBACK_BENCH_ROUNDS", 15).max(1);
    let text = corpus(setting("COMEBACK_BENCH_MB", 50) * 1024 * 1024);
    let mb = text.len() as f64 / (1024.0 * 1024.0);
    let options = ScanOptions::default();
    let ipv4 = regex::Regex::new(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}").expect("regex");
    let (mut scans, mut lines, mut grep) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        scans.push(timed(|| scan(&text, &options).len()));
        lines.push(timed(|| text.lines().count()));
        grep.push(timed(|| ipv4.find_iter(&text).count()));
    }
    scans.sort();
    let (scanner, median) = (scans[0], scans[rounds / 2]);
    let (lines, grep) = (
        *lines.iter().min().expect("rounds"),
        *grep.iter().min().expect("rounds"),
    );
    let refs = scan(&text, &options).len();
    let rate = |d: Duration| mb / d.as_secs_f64();
    println!("reference scanner benchmark: {mb:.1} MB, {refs} references, best of {rounds} rounds");
    println!(
        "  comeback refs::scan        {:>8.1} MB/s   target >= 100 MB/s: {}   (median {:.1} MB/s)",
        rate(scanner),
        if rate(scanner) >= 100.0 {
            "met"
        } else {
            "MISSED"
        },
        rate(median)
    );
    println!(
        "  baseline: split lines      {:>8.1} MB/s   scan is {:.1}x slower",
        rate(lines),
        scanner.as_secs_f64() / lines.as_secs_f64()
    );
    println!(
        "  baseline: one IPv4 regex   {:>8.1} MB/s   scan is {:.1}x slower",
        rate(grep),
        scanner.as_secs_f64() / grep.as_secs_f64()
    );
}
