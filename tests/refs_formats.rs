//! Recall and precision of the reference scanner on formats it was not built with: each file
//! under `tests/refs_formats/` mixes real references with traps, and
//! `tests/refs_formats.expected` lists every reference, reviewed by hand.

mod corpus;

use comeback::refs::{ScanOptions, scan};
use std::collections::BTreeSet;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/refs_formats");

fn found() -> BTreeSet<String> {
    corpus::found(DIR)
}

fn expected() -> BTreeSet<String> {
    corpus::expected(DIR)
}

#[test]
fn recall_and_precision_on_formats_outside_the_first_corpus() {
    let (found, expected) = (found(), expected());
    let hits = found.intersection(&expected).count() as f64;
    let recall = hits / expected.len() as f64;
    let precision = hits / found.len() as f64;
    for missed in expected.difference(&found) {
        println!("missed: {missed}");
    }
    for wrong in found.difference(&expected) {
        println!("not a reference: {wrong}");
    }
    println!(
        "refs_formats: {} expected, {} found, {hits} right: recall {recall:.3}, precision {precision:.3}",
        expected.len(),
        found.len()
    );
    assert!(recall >= 0.97, "recall {recall:.3} < 0.97");
    assert!(precision >= 0.97, "precision {precision:.3} < 0.97");
}

#[test]
fn the_corpus_has_at_least_15_formats_each_with_references() {
    let expected = expected();
    let files: Vec<String> = std::fs::read_dir(DIR)
        .expect("corpus dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.len() >= 15, "{} formats", files.len());
    for file in &files {
        assert!(
            expected.iter().any(|e| e.starts_with(&format!("{file} "))),
            "{file} has no expected reference"
        );
    }
}

#[test]
fn passwords_in_these_formats_never_reach_the_output() {
    for entry in std::fs::read_dir(DIR).expect("corpus dir") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("text");
        for r in scan(&text, &ScanOptions::default()) {
            for secret in ["Pg4ssw0rd", "R3plic4te", "LocalOnly9", "Ld4pS3cret"] {
                assert!(!r.text.contains(secret), "{secret} in {:?}", r.text);
                assert!(!r.host.contains(secret), "{secret} in {:?}", r.host);
            }
        }
    }
}
