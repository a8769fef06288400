//! The scanner over the stock `/etc` trees of 31 Debian packages (nginx, HAProxy, Redis,
//! Postfix, exim, MariaDB, PostgreSQL, BIND, OpenLDAP's schemas, ...): files nobody here wrote.
//! A false reference there halts a real run, so every finding is compared with a reviewed
//! snapshot (`tests/refs_debian.snap`) in which each entry is a true reference; an entry
//! reviewed as no host is marked `!` and at most 3 may exist.
//!
//! The trees are downloaded and extracted at test time by `scripts/debian-etc` (run here when
//! the cache is missing). Without network the test fails with a clear message; set
//! `COMEBACK_OFFLINE=1` to skip it instead, and it says so.

use comeback::refs::{ScanOptions, scan};
use std::path::{Path, PathBuf};
use std::process::Command;

const PACKAGES: usize = 31;
const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/refs_debian.snap");

/// The cache of extracted trees: `$COMEBACK_DEBIAN_ETC` or `target/debian-etc`.
fn cache() -> PathBuf {
    std::env::var_os("COMEBACK_DEBIAN_ETC").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/debian-etc"),
        PathBuf::from,
    )
}

/// The extracted trees, one folder per package, after fetching them if needed; `None` when
/// they cannot be had and the operator said the machine is offline.
fn trees() -> Option<PathBuf> {
    let cache = cache();
    let etc = cache.join("etc");
    let complete = |etc: &Path| {
        std::fs::read_dir(etc).is_ok_and(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.path().join(".done").exists())
                .count()
                == PACKAGES
        })
    };
    if !complete(&etc) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/debian-etc");
        let out = Command::new(&script)
            .arg(&cache)
            .output()
            .expect("run scripts/debian-etc");
        if !out.status.success() || !complete(&etc) {
            let why = String::from_utf8_lossy(&out.stderr);
            if std::env::var_os("COMEBACK_OFFLINE").is_some() {
                eprintln!(
                    "SKIPPED refs_debian: COMEBACK_OFFLINE is set and the Debian packages could not be downloaded: {why}"
                );
                return None;
            }
            panic!(
                "could not download and extract the {PACKAGES} Debian packages with {}: {why}\n\
                 (needs apt-get and network; COMEBACK_OFFLINE=1 skips this test)",
                script.display()
            );
        }
    }
    Some(etc)
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let meta = std::fs::symlink_metadata(&path).expect("metadata");
        if meta.is_dir() {
            files(&path, out);
        } else if meta.is_file() && path.file_name().is_some_and(|n| n != ".done") {
            out.push(path);
        }
    }
}

/// `package/path host[:port] [listen|member] [weak]` for every reference, sorted.
fn findings(etc: &Path) -> (usize, Vec<String>) {
    let mut paths = Vec::new();
    files(etc, &mut paths);
    let mut found = Vec::new();
    for path in &paths {
        let text = String::from_utf8_lossy(&std::fs::read(path).expect("read")).into_owned();
        let shown = path
            .strip_prefix(etc)
            .expect("under etc")
            .display()
            .to_string();
        for r in scan(&text, &ScanOptions::default()) {
            found.push(format!("{shown} {}", r.summary()));
        }
    }
    found.sort();
    (paths.len(), found)
}

#[test]
fn stock_configs_of_31_debian_packages_name_only_true_references() {
    let Some(etc) = trees() else { return };
    let (files, found) = findings(&etc);
    assert!(files > 300, "only {files} files extracted");
    let snapshot = std::fs::read_to_string(SNAPSHOT).expect("snapshot");
    let entries: Vec<&str> = snapshot
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let false_ones = entries.iter().filter(|l| l.starts_with('!')).count();
    let mut reviewed: Vec<String> = entries
        .iter()
        .map(|l| l.trim_start_matches('!').trim().to_string())
        .collect();
    reviewed.sort();
    println!(
        "refs_debian: {files} files of {PACKAGES} packages, {} findings, {false_ones} reviewed as no host",
        found.len()
    );
    if found != reviewed {
        let new: Vec<&String> = found.iter().filter(|f| !reviewed.contains(f)).collect();
        let gone: Vec<&String> = reviewed.iter().filter(|r| !found.contains(r)).collect();
        panic!(
            "findings differ from the reviewed snapshot {SNAPSHOT}\nnew (review each): {new:#?}\ngone: {gone:#?}"
        );
    }
    assert!(
        false_ones <= 3,
        "{false_ones} findings that cannot be hosts (at most 3)"
    );
}
