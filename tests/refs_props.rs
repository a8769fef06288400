//! Property tests of the reference scanner: it never panics, finishes on any input, and never
//! lets a password from a URL or a conninfo string into its output.

use comeback::refs::{Kind, ScanOptions, Strength, scan};
use proptest::prelude::*;

/// Text made of the characters configs are made of, so the scanner's forms are exercised.
fn config_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex(r"([a-z0-9.:/@\[\],=;'\x22 #\-_*%{}()$<>\\]|\n|://|\.com|\.internal|host=|port=|[0-9]{1,3}\.|//|\$\{|\{\{|\$\(|bind-address = |listen |server\.1=|rsync |ssh |[a-z]+@|:/|\n  |\[s\]\n){0,400}")
        .expect("valid strategy")
}

/// Words the scanner reads as settings or keywords where a host could stand (`host=on`).
const SETTING_WORDS: &[&str] = &[
    "all", "any", "auto", "backup", "check", "default", "disabled", "dscp", "enabled", "false",
    "file", "http", "https", "iburst", "inet", "inet6", "ipv4", "ipv6", "key", "nil", "no", "none",
    "null", "off", "on", "optional", "port", "prefer", "required", "source", "ssl", "tcp", "tls",
    "true", "udp", "unix", "weight", "yes",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_and_reports_sane_positions_kinds_and_strengths(text in config_text()) {
        let lines: Vec<&str> = text.lines().collect();
        for r in scan(&text, &ScanOptions::default()) {
            prop_assert!(r.line >= 1 && r.line <= lines.len());
            prop_assert!(r.column >= 1 && r.column <= lines[r.line - 1].chars().count());
            prop_assert!(!r.host.is_empty());
            // A listen reference is an address, never a wildcard or loopback one; a weak one a
            // single label or a name with no port (under a key that names no server), unless
            // the text switches a block off or tells a name to clients.
            if r.kind == Kind::Listen {
                let ip: std::net::IpAddr = r.host.parse().expect("a listen reference is an address");
                prop_assert!(!ip.is_loopback() && !ip.is_unspecified(), "{}", r.host);
            }
            let lower = text.to_ascii_lowercase();
            let unreached = ["enable", "disable", "active", "advertised"]
                .iter()
                .any(|w| lower.contains(w));
            if r.strength == Strength::Weak && !unreached {
                prop_assert!(r.host.parse::<std::net::IpAddr>().is_err(), "{:?}", r);
                prop_assert!(!r.host.contains('.') || r.port.is_none(), "{:?}", r);
            }
        }
    }

    #[test]
    fn a_password_in_a_copy_target_or_share_line_never_appears(
        user in "[a-z]{1,8}",
        password in "[A-Z0-9!$^*~+]{6,20}",
        host in "[a-z][a-z0-9-]{0,10}(\\.corp\\.internal)?",
        form in 0usize..4,
    ) {
        let text = match form {
            0 => format!("//{host}/share /mnt cifs username={user},password={password} 0 0"),
            1 => format!("15 2 * * * sshpass -p {password} rsync -a /x {user}@{host}:/y"),
            2 => format!("unc = \\\\{host}\\share password={password}"),
            _ => format!("smb://{user}:{password}@{host}/share"),
        };
        for r in scan(&text, &ScanOptions::default()) {
            prop_assert!(!r.text.contains(&password), "{:?} leaks {}", r.text, password);
            prop_assert!(!r.host.contains(&password));
        }
    }

    /// Regression: `dsn = pgsql://x password='Zx7-fs-pg-Wn6cJ4'` showed the password, a word
    /// shaped like a host name, as a host of the `dsn` key.
    #[test]
    fn a_password_shaped_like_a_host_name_in_a_servers_value_never_appears(
        key in "(dsn|odbc-dsn|server|host|servers|backend_host|connection)",
        password in "[A-Z][a-z0-9]{2,5}-[a-z0-9]{2,6}-[A-Za-z0-9]{4,8}",
        quote in "(|'|\")",
        form in 0usize..3,
    ) {
        let value = format!("pgsql://db-01 dbname=app password={quote}{password}{quote}");
        let text = match form {
            0 => format!("{key} = {value}"),
            1 => format!("<param name=\"{key}\" value=\"{}\"/>", value.replace('"', "'")),
            _ => format!("{key}: db-02.example.com user=app password={quote}{password}{quote}"),
        };
        for r in scan(&text, &ScanOptions::default()) {
            prop_assert!(!r.host.contains(&password), "{text:?} shows {r:?}");
            prop_assert!(!r.text.contains(&password), "{text:?} shows {r:?}");
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
        // `host=on` is a boolean, `host=tls` a keyword, not a server, for the scanner as for a
        // reader.
        prop_assume!(!SETTING_WORDS.contains(&host.as_str()));
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        // Under a key that names servers: what comes before the URL varies, but never becomes a
        // key of its own (`id postgres://…` is an identifier, whatever it holds).
        let text = format!("url = {before}{scheme}://{user}:{password}@{host}{port}/db{after}\nhost={host} password={password} port=5432\n");
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
        "ab@cd:/".repeat(200_000),
        "ssh ab@cd ".repeat(200_000),
        "nfs ab:/".repeat(200_000),
        "//ab/".repeat(200_000),
        "${{".repeat(200_000),
        "( 1.2.3.4 ".repeat(100_000),
        // Addresses glued by colons (each was asked whether a mask or a range's end followed,
        // reading the whole run), ports as next words, forwards.
        format!("x {}", "1.1.1.1:".repeat(100_000)),
        "x 10.0.0.1 3128 ".repeat(50_000),
        "1:a.com:1".repeat(100_000),
        "x = a.b.example.com ".repeat(50_000),
        "*.* @".repeat(200_000),
        "ab:cd:".repeat(200_000),
        "//ab".repeat(200_000),
        format!("Environment={}", "A_HOST=h B_PORT=1 ".repeat(100_000)),
        // A list of names without a space, with a regular expression's `\.` on the line: each
        // name is asked whether it stands in a pattern.
        format!(
            "x = ^a\\.b {}",
            (0..70_000)
                .map(|i| format!("h{i}.example.com"))
                .collect::<Vec<_>>()
                .join(",")
        ),
        "[\"a.example.com\", 5432], ".repeat(100_000),
    ];
    // Each case is one line. The almost-matches yield nothing but the one real IPv6 literal at
    // the start of `1:1:1:1:1:1:1:1:…` (`ab:cd:…` is a fingerprint's pairs of digits), and `a.b`, `h`, `cd`, `ab` and
    // `a.b.example.com` once each (a line names a host once); the real lists are capped at 256
    // references a line (what keeps a generated line from making the scan quadratic);
    // `( 1.2.3.4` is an OID and `*.* @` an action without a host; the glued addresses, the
    // address with its port and the forward's host are one each.
    let expected = [
        0, 1, 0, 0, 0, 1, 1, 256, 256, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 256, 1,
    ];
    for (text, expected) in cases.iter().zip(expected) {
        let refs = scan(text, &ScanOptions::default());
        assert_eq!(refs.len(), expected, "{}…", &text[..40]);
    }
}

/// A reference's text is cut at a length, which may fall inside a character: what is read
/// beside it is read as bytes.
#[test]
fn a_reference_cut_inside_a_character_is_read_whole() {
    for text in [
        format!("10.0.0.5:/{}", "é".repeat(300)),
        format!("10.0.0.5:/srv/{} /mnt nfs defaults 0 0", "é".repeat(300)),
    ] {
        let hosts: Vec<String> = scan(&text, &ScanOptions::default())
            .into_iter()
            .map(|r| r.host)
            .collect();
        assert_eq!(hosts, ["10.0.0.5"]);
    }
}

#[test]
fn many_host_and_port_lines_finish() {
    // Sibling ports are matched through a map: 100,000 host keys and as many port keys in one
    // section stay linear.
    let text = "host = db-01\nport = 5432\n".repeat(100_000);
    let refs = scan(&text, &ScanOptions::default());
    assert_eq!(refs.len(), 100_000);
    assert!(refs.iter().all(|r| r.port == Some(5432)));
}

/// Files of many lines in the forms whose references are settled at the end of the file: the
/// address it binds named again on every line, a block's `hostname` on every line, a long list
/// under a host key with its port below. Each is read in one pass over its references.
#[test]
fn files_settled_at_their_end_finish() {
    let bound = format!(
        "bind = 10.0.0.5\n{}",
        (0..30_000)
            .map(|i| format!("x{i}_metrics_address = 10.0.0.5\n"))
            .collect::<String>()
    );
    let refs = scan(&bound, &ScanOptions::default());
    assert_eq!(refs.len(), 30_001);
    assert!(refs.iter().all(|r| r.kind == comeback::refs::Kind::Listen));
    let hostnames = format!("[a]\n{}", "  hostname = h.example.com\n".repeat(30_000));
    assert_eq!(scan(&hostnames, &ScanOptions::default()).len(), 0);
    let list = format!(
        "servers:\n{}servers_port: 2181\n",
        (0..30_000)
            .map(|i| format!("  - zk{i}.example.com\n"))
            .collect::<String>()
    );
    let refs = scan(&list, &ScanOptions::default());
    assert_eq!(refs.len(), 30_000);
    assert!(refs.iter().all(|r| r.port == Some(2181)));
}
