//! Recall, precision and port accuracy of the reference scanner on a second set of formats new
//! to it (issue 26): proxies and balancers, DNS servers, mail, service discovery, log and metric
//! shippers, compose files, cluster managers, DRBD, package sources, NTP, SNMP, JDBC URLs. Each
//! file under `tests/refs_formats2/` was written from its format's documentation with traps, and
//! `tests/refs_formats2.expected` lists every reference, by hand.

mod corpus;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/refs_formats2");

#[test]
fn recall_precision_and_ports_on_a_second_set_of_new_formats() {
    corpus::score(DIR).at_least(0.97, 0.97, 0.90);
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
