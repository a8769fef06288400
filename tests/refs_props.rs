//! Property tests of the reference scanner: it never panics, finishes on any input, and never
//! lets a password from a URL or a conninfo string into its output.

use comeback::refs::{ScanOptions, scan};
use proptest::prelude::*;

/// Text made of the characters configs are made of, so the scanner's forms are exercised.
fn config_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex(r"([a-z0-9.:/@\[\],=;'\x22 #\-_*%{}()]|\n|://|\.com|\.internal|host=|port=|[0-9]{1,3}\.){0,400}")
        .expect("valid strategy")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_and_reports_sane_positions(text in config_text()) {
        let lines: Vec<&str> = text.lines().collect();
        for r in scan(&text, &ScanOptions::default()) {
            prop_assert!(r.line >= 1 && r.line <= lines.len());
            prop_assert!(r.column >= 1 && r.column <= lines[r.line - 1].chars().count());
            prop_assert!(!r.host.is_empty());
        }
    }

    #[test]
    fn never_panics_on_arbitrary_unicode(text in any::<String>()) {
        let _ = scan(&text, &ScanOptions::default());
    }

    #[test]
    fn a_url_password_never_appears_in_the_output(
        before in "[a-z =:,]{0,30}",
        scheme in "(postgres|mysql|redis|amqp|http|https|jdbc:mysql|mongodb)",
        user in "[a-z]{0,8}",
        password in "[A-Z0-9!$^*~+]{6,20}",
        // A valid host name: a label never ends with a hyphen.
        host in "[a-z]([a-z0-9-]{0,9}[a-z0-9])?(\\.prod\\.internal)?",
        port in proptest::option::of(1u16..65535),
        after in "[a-z /?=&]{0,30}",
    ) {
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        let text = format!("{before}{scheme}://{user}:{password}@{host}{port}/db{after}\nhost={host} password={password} port=5432\n");
        let refs = scan(&text, &ScanOptions::default());
        // Regression: a scanner that found nothing passed this test. The URL's and the
        // conninfo's host must both be found, and neither may carry the password.
        let found = refs.iter().filter(|r| r.host == host).count();
        prop_assert!(found >= 2, "{text:?}: {refs:?}");
        for r in &refs {
            prop_assert!(!r.text.contains(&password), "{:?} leaks {}", r.text, password);
            prop_assert!(!r.host.contains(&password));
        }
    }
}

#[test]
fn pathological_lines_finish() {
    // Long runs of what almost matches: dotted words, colons, brackets, conninfo keys, rsyslog
    // actions, bracketed names, URLs without a space, a host list. Each took minutes while a
    // form read to the end of the line for every match.
    let cases = [
        "a.".repeat(200_000),
        "1:".repeat(200_000),
        "[".repeat(200_000),
        "host=".repeat(200_000),
        "@@(".repeat(200_000),
        "[a.b]".repeat(200_000),
        "postgres://u:p@h,".repeat(200_000),
        format!(
            "seeds = {}",
            (0..50_000)
                .map(|i| format!("h{i}"))
                .collect::<Vec<_>>()
                .join(",")
        ),
        (0..50_000)
            .map(|i| format!("10.0.{}.{} ", i / 250, i % 250))
            .collect::<String>(),
    ];
    // Each case is one line. The almost-matches yield nothing but the one real IPv6 literal at
    // the start of `1:1:1:1:1:1:1:1:…`, and `a.b` and `h` once each (a line names a host
    // once); the real lists are capped at 256 references a line (what keeps a generated line
    // from making the scan quadratic).
    let expected = [0, 1, 0, 0, 0, 1, 1, 256, 256];
    for (text, expected) in cases.iter().zip(expected) {
        let refs = scan(text, &ScanOptions::default());
        assert_eq!(refs.len(), expected, "{}…", &text[..40]);
    }
}
