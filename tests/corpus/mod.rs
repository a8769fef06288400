//! A scanner corpus: a folder of config files and, beside it, `<folder>.expected`, every
//! reference reviewed by hand, one per line as `file line host[:port] [listen] [weak]`.
#![allow(dead_code)] // each corpus test uses its own part

use comeback::refs::{Kind, ScanOptions, Strength, scan};
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
            let mut line = match r.port {
                Some(p) => format!("{file} {} {}:{p}", r.line, r.host),
                None => format!("{file} {} {}", r.line, r.host),
            };
            if r.kind == Kind::Listen {
                line.push_str(" listen");
            }
            if r.strength == Strength::Weak {
                line.push_str(" weak");
            }
            found.insert(line);
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
