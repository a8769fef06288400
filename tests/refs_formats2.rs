//! Recall, precision and port accuracy of the reference scanner on a second set of formats new
//! to it (issue 26): proxies and balancers, DNS servers, mail, service discovery, log and metric
//! shippers, compose files, cluster managers, DRBD, package sources, NTP, SNMP, JDBC URLs. Each
//! file under `tests/refs_formats2/` was written from its format's documentation with traps, and
//! `tests/refs_formats2.expected` lists every reference, by hand.

mod corpus;

use std::collections::{BTreeMap, BTreeSet};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/refs_formats2");

fn found() -> BTreeSet<String> {
    corpus::found(DIR)
}

fn expected() -> BTreeSet<String> {
    corpus::expected(DIR)
}

/// `file line host kind` -> port: an entry with its port taken out, so that a host found with
/// the wrong port counts against port accuracy and not twice against recall and precision.
fn by_host(entries: &BTreeSet<String>) -> BTreeMap<String, Option<String>> {
    entries
        .iter()
        .map(|e| {
            let mut words: Vec<&str> = e.split(' ').collect();
            let address = words[2];
            // `fd00::1:53` keeps its colons: the port is what follows the last one, if digits,
            // and the test writes every IPv6 host with a port only where the file gives one.
            let (host, port) = match address.rsplit_once(':') {
                Some((h, p)) if !h.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                    (h.to_string(), Some(p.to_string()))
                }
                _ => (address.to_string(), None),
            };
            let host = host.clone();
            words[2] = &host;
            (words.join(" "), port)
        })
        .collect()
}

#[test]
fn recall_precision_and_ports_on_a_second_set_of_new_formats() {
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
    // Port accuracy: of the expected hosts found at their line and kind, how many carry the
    // expected port (or none where the file gives none).
    let (found_hosts, expected_hosts) = (by_host(&found), by_host(&expected));
    let located: Vec<_> = expected_hosts
        .iter()
        .filter(|(k, _)| found_hosts.contains_key(*k))
        .collect();
    let right_port = located
        .iter()
        .filter(|(k, port)| found_hosts.get(*k) == Some(port))
        .count();
    let ports = right_port as f64 / located.len().max(1) as f64;
    println!(
        "refs_formats2: {} expected, {} found, {hits} right: recall {recall:.3}, precision {precision:.3}, ports {ports:.3} ({right_port} of {})",
        expected.len(),
        found.len(),
        located.len()
    );
    assert!(recall >= 0.97, "recall {recall:.3} < 0.97");
    assert!(precision >= 0.97, "precision {precision:.3} < 0.97");
    assert!(ports >= 0.90, "port accuracy {ports:.3} < 0.90");
}

#[test]
fn the_corpus_has_at_least_20_formats_each_with_references() {
    corpus::assert_every_file_has_references(DIR, 20);
}

#[test]
fn passwords_and_secrets_in_these_formats_never_reach_the_output() {
    corpus::assert_no_secret(
        DIR,
        &[
            "T3legr4fPw",
            "Al3rtPw",
            "MyStatsPw1",
            "F1leb3atPw",
            "Flu3ntB1tPw",
            "R3plPatroni",
            "Drbd5ecret",
        ],
    );
}
