//! syslog-ng's drivers, whose options are calls: `network("logs.example.com" port(6514)
//! transport("tls"))`, `syslog("10.0.0.5" port(601))`, `udp("10.0.0.6" port(514))` send to a
//! host (the first argument) on `port()`; `ip(10.0.0.5)` and `localip()` are where a source
//! listens or a destination binds.

use crate::refs::line::Line;
use crate::refs::tokens::{port, split_port};
use memchr::memmem::Finder;
use std::sync::LazyLock;

/// Built once: a finder per line costs more than the search.
static PORT_CALL: LazyLock<Finder> = LazyLock::new(|| Finder::new("port("));
static IP_CALL: LazyLock<Finder> = LazyLock::new(|| Finder::new("ip("));

/// Drivers whose first argument is the host to send to, and the `host()` option of those that
/// name it so (`sql(type(pgsql) host("db") port("5432"))`, `smtp(host("mx") port(25))`).
const DRIVERS: [&str; 7] = [
    "network(", "syslog(", "tcp(", "udp(", "tcp6(", "udp6(", "host(",
];
/// Options whose argument is an address of this host.
const OWN: [&str; 2] = ["ip(", "localip("];

/// Where `name` (ending in `(`) starts a call at `at`: not the tail of a longer word.
fn calls(b: &[u8], at: usize) -> bool {
    at == 0 || !(b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_')
}

/// The argument of the call whose `(` ends at `from`: without quotes, and where it ends.
fn argument(text: &str, from: usize) -> (&str, usize) {
    let b = text.as_bytes();
    let mut start = from;
    while b.get(start).is_some_and(|c| *c == b' ' || *c == b'\t') {
        start += 1;
    }
    let quoted = matches!(b.get(start), Some(b'"' | b'\''));
    let start = start + usize::from(quoted);
    let len = b[start..]
        .iter()
        .position(|c| c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b')' | b'('))
        .unwrap_or(b.len() - start);
    (&text[start..start + len], start + len)
}

impl Line<'_> {
    /// A driver with its `port()`, and `ip()` options, on one line.
    pub(in crate::refs) fn syslog_ng(&mut self) {
        let text = self.text;
        let b = text.as_bytes();
        if memchr::memchr(b'(', b).is_none()
            || (PORT_CALL.find(b).is_none() && IP_CALL.find(b).is_none())
        {
            return;
        }
        let port_of_line = PORT_CALL
            .find_iter(b)
            .find(|&at| calls(b, at))
            .and_then(|at| port(argument(text, at + 5).0));
        for (names, listen) in [(&DRIVERS[..], false), (&OWN[..], true)] {
            for name in names {
                for at in memchr::memmem::find_iter(b, name.as_bytes()) {
                    // `filter { host("web01"); }` matches the host a message came from.
                    if !calls(b, at)
                        || *name == "host(" && memchr::memmem::find(&b[..at], b"filter").is_some()
                    {
                        continue;
                    }
                    let (host, end) = argument(text, at + name.len());
                    // `network(ip(...) ...)`: an option first, no host.
                    let option = b.get(end) == Some(&b'(');
                    if host.is_empty() || option || !self.free(at, end) {
                        continue;
                    }
                    self.claim(at, end);
                    // Go's DSN `user:pass@tcp(db:3306)/app` writes the port inside.
                    let (host, explicit) = split_port(host);
                    let was = std::mem::replace(&mut self.listen, listen);
                    self.add(host, explicit.or(port_of_line), at, end);
                    self.listen = was;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::refs::{Kind, ScanOptions, scan};

    fn found(text: &str) -> Vec<String> {
        scan(text, &ScanOptions::default())
            .into_iter()
            .map(|r| format!("{}:{:?}:{:?}", r.host, r.port, r.kind == Kind::Listen))
            .collect()
    }

    #[test]
    fn drivers_ports_and_own_addresses() {
        assert_eq!(
            found(r#"destination d { network("logs.example.com" port(6514) transport("tls")); };"#),
            ["logs.example.com:Some(6514):false"]
        );
        assert_eq!(
            found("destination d { udp(\"10.0.0.6\" port(514)); };"),
            ["10.0.0.6:Some(514):false"]
        );
        assert_eq!(
            found("source s { network(ip(10.0.0.5) port(5140)); };"),
            ["10.0.0.5:Some(5140):true"]
        );
        assert_eq!(
            found(r#"    host("pg-logs.example.net") port("5432")"#),
            ["pg-logs.example.net:Some(5432):false"]
        );
        assert_eq!(
            found("dsn = \"app:x@tcp(db.example.com:3306)/app\""),
            ["db.example.com:Some(3306):false"]
        );
        assert_eq!(
            found("options { chain_hostnames(off); use_dns(no); };"),
            Vec::<String>::new()
        );
    }
}
