//! A scanner corpus: a folder of config files and, beside it, `<folder>.expected`, every
//! reference reviewed by hand, one per line as `file line host[:port] [listen|member] [weak]`.
#![allow(dead_code)] // each corpus test uses its own part

use comeback::refs::{ScanOptions, scan};
use std::collections::BTreeSet;

/// What the scanner finds in every file of `dir`, in the expected list's form.
pub fn found(dir: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(dir).expect("corpus dir") {
        let path = entry.expect("entry").path();
        let file = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).expect("text");
        for r in scan(&text, &ScanOptions::default()) {
            found.insert(format!("{file} {} {}", r.line, r.summary()));
        }
    }
    found
}

/// The reviewed list beside `dir`.
pub fn expected(dir: &str) -> BTreeSet<String> {
    std::fs::read_to_string(format!("{dir}.expected"))
        .expect("expected list")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Every file of `dir` (at least `min` of them) has a reviewed reference.
pub fn assert_every_file_has_references(dir: &str, min: usize) {
    let expected = expected(dir);
    let files: Vec<String> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.len() >= min, "{} formats", files.len());
    for file in &files {
        assert!(
            expected.iter().any(|e| e.starts_with(&format!("{file} "))),
            "{file} has no expected reference"
        );
    }
}

/// No reference found in `dir` shows any of `secrets`, in its text or its host.
pub fn assert_no_secret(dir: &str, secrets: &[&str]) {
    for entry in std::fs::read_dir(dir).expect("corpus dir") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("text");
        for r in scan(&text, &ScanOptions::default()) {
            for secret in secrets {
                assert!(!r.text.contains(secret), "{secret} in {:?}", r.text);
                assert!(!r.host.contains(secret), "{secret} in {:?}", r.host);
            }
        }
    }
}
