//! A scanner corpus: a folder of config files and, beside it, `<folder>.expected`, every
//! reference reviewed by hand, one per line as `file line host[:port] [listen|member] [weak]`.
#![allow(dead_code)] // each corpus test uses its own part

use comeback::refs::{ScanOptions, scan};
use std::collections::{BTreeMap, BTreeSet};

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

/// Recall, precision and port accuracy of the scanner on the corpus `dir`, by the measure of
/// the testers: a reference listed at any strength counts as found, and only strong
/// ones (those that block a run) count against precision.
#[derive(Debug)]
pub struct Score {
    pub recall: f64,
    pub precision: f64,
    /// Of the expected hosts found at their line and kind, the share with the expected port
    /// (or none where the file gives none).
    pub ports: f64,
}

/// An entry without its strength: `file line host[:port] [listen|member]`.
fn unweighted(entry: &str) -> String {
    entry.strip_suffix(" weak").unwrap_or(entry).to_string()
}

/// `file line host kind` -> port: an entry with its port taken out, so that a host found with
/// the wrong port counts against port accuracy and not twice against recall and precision.
fn by_host(entries: &BTreeSet<String>) -> BTreeMap<String, Option<String>> {
    entries
        .iter()
        .map(|e| {
            let mut words: Vec<&str> = e.split(' ').collect();
            // `fd00::1:53` keeps its colons: the port is what follows the last one, if digits,
            // and the lists write every IPv6 host with a port only where the file gives one.
            let (host, port) = match words[2].rsplit_once(':') {
                Some((h, p)) if !h.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                    (h.to_string(), Some(p.to_string()))
                }
                _ => (words[2].to_string(), None),
            };
            words[2] = &host;
            (words.join(" "), port)
        })
        .collect()
}

impl Score {
    /// Fails unless each figure reaches its floor.
    pub fn at_least(&self, recall: f64, precision: f64, ports: f64) {
        assert!(self.recall >= recall, "recall below {recall}: {self:?}");
        assert!(
            self.precision >= precision,
            "precision below {precision}: {self:?}"
        );
        assert!(self.ports >= ports, "port accuracy below {ports}: {self:?}");
    }
}

/// Scores the scanner on `dir` against its list, printing every miss, every false strong
/// reference and every false weak one.
pub fn score(dir: &str) -> Score {
    let (found, expected) = (found(dir), expected(dir));
    let expected: BTreeSet<String> = expected.iter().map(|e| unweighted(e)).collect();
    let listed: BTreeSet<String> = found.iter().map(|e| unweighted(e)).collect();
    let strong: BTreeSet<String> = found
        .iter()
        .filter(|e| !e.ends_with(" weak"))
        .cloned()
        .collect();
    let hits = listed.intersection(&expected).count() as f64;
    let strong_hits = strong.intersection(&expected).count() as f64;
    for missed in expected.difference(&listed) {
        println!("missed: {missed}");
    }
    for wrong in strong.difference(&expected) {
        println!("not a reference: {wrong}");
    }
    for wrong in listed
        .difference(&expected)
        .filter(|e| !strong.contains(*e))
    {
        println!("not a reference, listed weak: {wrong}");
    }
    let (found_hosts, expected_hosts) = (by_host(&listed), by_host(&expected));
    let located: Vec<_> = expected_hosts
        .iter()
        .filter(|(k, _)| found_hosts.contains_key(*k))
        .collect();
    let right_port = located
        .iter()
        .filter(|(k, port)| found_hosts.get(*k) == Some(port))
        .count();
    let score = Score {
        recall: hits / expected.len() as f64,
        precision: strong_hits / strong.len().max(1) as f64,
        ports: right_port as f64 / located.len().max(1) as f64,
    };
    println!(
        "{dir}: {} expected, {} listed ({} strong), {hits} found, {strong_hits} of them strong, \
         {right_port} of {} ports right: {score:?}",
        expected.len(),
        listed.len(),
        strong.len(),
        located.len()
    );
    score
}

/// The tests of a set of formats written blind, in a file of its own: every file of
/// `tests/FOLDER` has a reviewed reference (20 formats at least), recall, precision and ports stay
/// at their floors, and none of the set's passwords reaches the output.
#[allow(unused_macros)] // the corpora written by hand have tests of their own
macro_rules! written_blind {
    ($folder:literal, floors: ($recall:expr, $precision:expr, $ports:expr) $(, secrets: [$($secret:literal),* $(,)?])? $(,)?) => {
        const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/", $folder);

        #[test]
        fn the_corpus_has_at_least_20_formats_each_with_references() {
            corpus::assert_every_file_has_references(DIR, 20);
        }

        #[test]
        fn recall_precision_and_ports_stay_at_their_floors() {
            corpus::score(DIR).at_least($recall, $precision, $ports);
        }

        $(
            #[test]
            fn passwords_in_these_formats_never_reach_the_output() {
                corpus::assert_no_secret(DIR, &[$($secret),*]);
            }
        )?
    };
}
#[allow(unused_imports)]
pub(crate) use written_blind;
