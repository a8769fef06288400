//! Recall and precision of the reference scanner on formats it was not built with: each file
//! under `tests/refs_formats/` mixes real references with traps, and
//! `tests/refs_formats.expected` lists every reference, reviewed by hand.

mod corpus;

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
    corpus::assert_every_file_has_references(DIR, 15);
}

#[test]
fn passwords_in_these_formats_never_reach_the_output() {
    corpus::assert_no_secret(DIR, &["Pg4ssw0rd", "R3plic4te", "LocalOnly9", "Ld4pS3cret"]);
}
