//! Reference-scanner throughput on a 50 MB corpus of mixed config formats (the test corpus plus
//! comment and prose lines, as real config trees are mostly), side by side with two baselines:
//! splitting the text into lines (the floor of any line scanner) and one IPv4 regex over the
//! whole text (what `grep -E` for addresses costs).
//!
//! Run: `cargo bench --bench refs`. Target: 100 MB/s or more.

use comeback::refs::{ScanOptions, scan};
use std::hint::black_box;
use std::time::{Duration, Instant};

const TARGET_BYTES: usize = 50 * 1024 * 1024;

fn corpus() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/refs");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("text"))
        .collect();
    files.push(
        "# This file is managed by configuration management; local edits will be lost.\n\
         # Tuning notes from the 2019 migration: keep the buffers at 64 MiB and the pool at 32.\n\
         max_connections = 512\nbuffer_pool_size = 64M\nthread_cache = 32\n\n"
            .repeat(4),
    );
    let mut text = String::with_capacity(TARGET_BYTES + 65536);
    let mut i = 0;
    while text.len() < TARGET_BYTES {
        text.push_str(&files[i % files.len()]);
        i += 1;
    }
    text
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .min()
        .expect("runs")
}

fn main() {
    let text = corpus();
    let mb = text.len() as f64 / (1024.0 * 1024.0);
    let options = ScanOptions::default();
    let scanner = best_of(3, || scan(&text, &options).len());
    let lines = best_of(3, || text.lines().count());
    let ipv4 = regex::Regex::new(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}").expect("regex");
    let grep = best_of(3, || ipv4.find_iter(&text).count());
    let refs = scan(&text, &options).len();
    let rate = |d: Duration| mb / d.as_secs_f64();
    println!("reference scanner benchmark: {mb:.1} MB, {refs} references");
    println!(
        "  comeback refs::scan        {:>8.1} MB/s   target >= 100 MB/s: {}",
        rate(scanner),
        if rate(scanner) >= 100.0 {
            "met"
        } else {
            "MISSED"
        }
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
