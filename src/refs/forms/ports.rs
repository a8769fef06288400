//! Port notations beside `host:port`: Unbound's and Knot's `10.0.0.53@853`, Exim's
//! `host::587`, Geode's `host[10334]`, BIND's `port 5353` keyword, squid's positional `cache_peer HOST parent 3128
//! 3130`, and the transport prefixes of snmpd (`udp:host:162`), which are no host.

use crate::refs::line::Line;
use crate::refs::tokens::{port, split_port};

impl Line<'_> {
    /// A line's `port N` keyword gives its port to the line's references without one; not
    /// HAProxy's `check port N`, the port of its health checks.
    pub(in crate::refs) fn port_keyword(&mut self, first: usize) {
        if self.found[first..].iter().all(|r| r.port.is_some()) {
            return;
        }
        self.port_keyword_from(0, first);
    }

    /// The `port N` keyword or port pair of the line from byte `from` gives its port to the
    /// references from `first` without one. A prefixed pair (`ansible_port=2222`) gives it only
    /// to hosts written bare: `CACHE_HOST=c-1 C_PORT=1` pairs by prefix, or not at all.
    pub(super) fn port_keyword_from(&mut self, from: usize, first: usize) {
        let Some((p, prefixed)) = port_keyword(&self.text[from..]) else {
            return;
        };
        let b = self.text.as_bytes();
        let ascii = self.text.is_ascii();
        for r in &mut self.found[first..] {
            // The text may start at the pair's key (`CACHE_HOST=c-1`): the host is in it.
            let start = r.column - 1;
            let host_at = self.text.get(start..).and_then(|t| t.find(r.host.as_str()));
            let pair_value = !ascii
                || host_at
                    .is_some_and(|at| (start + at).checked_sub(1).is_some_and(|i| b[i] == b'='));
            if !(prefixed && pair_value) {
                r.port.get_or_insert(p);
            }
        }
    }
}

/// The transports written before an address, each ending in `:` (`udp:10.0.8.5:161`,
/// `tcp6:[::1]:161`, a ZooKeeper string's `zk:zk1:2181,zk2:2181/chroot`, OfflineIMAP's
/// `proxy = SOCKS5:10.0.0.9:1080`).
const TRANSPORTS: [&str; 12] = [
    "udp:", "tcp:", "udp6:", "tcp6:", "tls:", "dtlsudp:", "dtls:", "zk:", "socks5:", "socks4:",
    "socks:",
    // Thanos's, Cortex's and Mimir's `dns+memcached:11211`: the name is resolved as written
    // (not `dnssrv+`, whose name is an SRV record's).
    "dns+",
];

/// How long the transport before the address in `token` is, or 0. `zk:` is one only before a
/// name with a dot or a port: `zk:2181` is the host `zk`.
fn transport_len(token: &str) -> usize {
    // Every address after a prefix has a port, and most words have no `:`.
    if memchr::memchr(b':', token.as_bytes()).is_none() {
        return 0;
    }
    TRANSPORTS
        .iter()
        .find(|p| {
            token
                .get(..p.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(p))
        })
        .filter(|p| {
            let rest = &token[p.len()..];
            **p != "zk:"
                || rest.starts_with(|c: char| c.is_ascii_alphabetic()) && rest.contains(['.', ':'])
        })
        .map_or(0, |p| p.len())
}

/// The address in `token` without a transport before it, or a strategy for picking among
/// several (Rspamd's `round-robin:scan-01:11333`, Pulsar's `metadata-store:zk:zk1:2181`).
pub(super) fn without_transport(token: &str) -> &str {
    let transport = transport_len(token);
    if transport > 0 {
        return &token[transport..];
    }
    // How to pick among hosts that each have a port (`backup-server:backups/db` is a host and
    // a path).
    let b = token.as_bytes();
    let word = b
        .iter()
        .take_while(|c| c.is_ascii_alphabetic() || **c == b'-')
        .count();
    if b.get(word) != Some(&b':') {
        return token;
    }
    let rest = &token[word + 1..];
    if is_strategy(&b[..word])
        && rest.starts_with(|c: char| c.is_ascii_alphabetic())
        && rest.split(',').all(|item| {
            let address = item.split('/').next().unwrap_or(item);
            split_port(&address[transport_len(address)..]).1.is_some()
        })
    {
        return &rest[transport_len(rest)..];
    }
    token
}

/// `round-robin`, `master-slave`: a word of letters with a hyphen that says how to pick hosts.
pub(super) fn is_strategy(word: &[u8]) -> bool {
    word.len() >= 4
        && word.contains(&b'-')
        && word.iter().all(|c| c.is_ascii_alphabetic() || *c == b'-')
}

/// Whether the word before the `:` at `colon` is a transport name (`udp:`).
pub(super) fn after_transport(text: &str, colon: usize) -> bool {
    let b = text.as_bytes();
    let start = b[..colon]
        .iter()
        .rposition(|c| !c.is_ascii_alphanumeric())
        .map_or(0, |i| i + 1);
    start < colon
        && text
            .get(start..=colon)
            .is_some_and(|w| TRANSPORTS.iter().any(|p| w.eq_ignore_ascii_case(p)))
}

/// `@853` right after an address, then an optional `#tls-name`: the port and where the whole
/// notation ends (the name is what the server's certificate says, no host to reach).
pub(super) fn at_port(text: &str, at: usize) -> Option<(u16, usize)> {
    let b = text.as_bytes();
    // Geode's and JGroups' `locator-1.example.net[10334]` (an index, `module.app[1]`, is short).
    if b.get(at) == Some(&b'[') {
        let (digits, end) = digits_after(b, at);
        return ((3..=5).contains(&digits) && b.get(end) == Some(&b']'))
            .then(|| port(&text[at + 1..end]))
            .flatten()
            .map(|p| (p, end + 1));
    }
    // dnsmasq writes the port after `#`: `server=10.0.0.53#5353`.
    if b.get(at) == Some(&b'#') {
        let (digits, end) = digits_after(b, at);
        let glued = b
            .get(end)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'.');
        return ((1..=5).contains(&digits) && !glued)
            .then(|| port(&text[at + 1..end]))
            .flatten()
            .map(|p| (p, end));
    }
    if b.get(at) != Some(&b'@') {
        return None;
    }
    let (digits, _) = digits_after(b, at);
    let p = port(text.get(at + 1..at + 1 + (1..=5).contains(&digits).then_some(digits)?)?)?;
    let mut end = at + 1 + digits;
    if b.get(end) == Some(&b'#') {
        end += 1 + b[end + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-'))
            .count();
    } else if b.get(end).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some((p, end))
}

/// How many digits follow the marker at `at` (`@`, `#`, `[`), and where they end.
fn digits_after(b: &[u8], at: usize) -> (usize, usize) {
    let digits = b[at + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    (digits, at + 1 + digits)
}

/// Exim's `::587` right after a host name: the port and where it ends.
pub(super) fn double_colon_port(text: &str, at: usize) -> Option<(u16, usize)> {
    let rest = text.get(at..)?.strip_prefix("::")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let glued = rest
        .as_bytes()
        .get(digits)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b':');
    if !(1..=5).contains(&digits) || glued {
        return None;
    }
    Some((port(&rest[..digits])?, at + 2 + digits))
}

/// BIND's and NSD's `port N` among a line's words (`also-notify { 10.0.0.6 port 5353; }`,
/// `listen-on port 53 { ... }`): the port, which the line's addresses without one take.
///
/// Also a port key among the line's pairs, in any case: `ansible_port=2222` after an inventory's
/// host, Bacula's `DB Address = db; DB Port = 5432`, one-line XML's `<port>2182</port>`.
/// The port, and whether its key had a prefix glued to it.
pub(super) fn port_keyword(text: &str) -> Option<(u16, bool)> {
    let b = text.as_bytes();
    memchr::memchr2_iter(b'p', b'P', b).find_map(|at| {
        let before = at.checked_sub(1).map(|i| b[i]);
        // A command's flag: `check_http -H shop -p 443`, `--port 5432` (not `-P`: iperf's and
        // xargs's count of parallel jobs).
        let flag = before == Some(b'-')
            && at
                .checked_sub(2)
                .is_none_or(|i| b[i].is_ascii_whitespace() || b[i] == b'-');
        // The database plugins' `check_pgsql -H host -P 5432`, `check_mysql`: `-P` is the port
        // there (check_snmp's `-P 3` is its protocol version).
        let plugin = || {
            b[at] == b'P'
                && [&b"check_pgsql"[..], b"check_mysql"]
                    .iter()
                    .any(|p| memchr::memmem::find(b, p).is_some())
        };
        if flag && (b[at] == b'p' || plugin()) && b.get(at + 1) == Some(&b' ') {
            return number_at(text, at + 1).map(|p| (p, false));
        }
        if !b[at..].get(..4)?.eq_ignore_ascii_case(b"port") {
            return None;
        }
        let long_flag = flag && at >= 2 && b[at - 2] == b'-';
        // HAProxy's `check port 8080`: the port of its health checks.
        if text[..at].trim_ascii_end().ends_with("check") {
            return None;
        }
        let word_start = before.is_none_or(|c| c.is_ascii_whitespace() || c == b'{');
        // `ansible_port=`, `<port>`: the key of a pair, not a word among words.
        let key_end = before.is_some_and(|c| matches!(c, b'_' | b'-' | b'.' | b'<'));
        // `"port" => 8080`, `"port": 5432`: a quoted key.
        let quoted = matches!(before, Some(b'"' | b'\''))
            && b.get(at + 4) == before.as_ref()
            && at
                .checked_sub(2)
                .is_none_or(|i| !b[i].is_ascii_alphanumeric());
        let rest = &b[at + 4 + usize::from(quoted)..];
        let spaces = |from: usize| {
            rest[from..]
                .iter()
                .take_while(|c| **c == b' ' || **c == b'\t')
                .count()
        };
        let mut from = spaces(0);
        let arrow = rest[from..].starts_with(b"=>");
        // `port: 8125` too, in a one-line object (`{ host: "10.0.0.5", port: 8125 }`).
        let colon = rest.get(from) == Some(&b':')
            && (quoted || word_start && rest.get(from + 1) == Some(&b' '));
        let paired = arrow || matches!(rest.get(from), Some(b'=' | b'>')) || colon;
        if paired {
            from += 1 + usize::from(arrow);
            from += spaces(from);
            // An XML attribute, `port='6789'` (libvirt's `<host name='mon1' port='6789'/>`), or
            // a quoted key's quoted value (Sentry's `{"host": "10.0.0.5", "port": "6379"}`).
            if (word_start || quoted) && matches!(rest.get(from), Some(b'\'' | b'"')) {
                from += 1;
            }
        } else if from == 0 || key_end && !long_flag || quoted {
            return None;
        }
        if !(word_start || key_end || quoted)
            || (before == Some(b'<')) != (rest.first() == Some(&b'>'))
        {
            return None;
        }
        let digits = rest[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let ends = rest.get(from + digits).is_none_or(|c| {
            c.is_ascii_whitespace() || matches!(c, b';' | b'{' | b'}' | b',' | b'<' | b'"' | b'\'')
        });
        let from = at + 4 + usize::from(quoted) + from;
        ((1..=5).contains(&digits) && ends)
            .then(|| port(&text[from..from + digits]))
            .flatten()
            .map(|p| (p, key_end && before != Some(b'<') && !long_flag))
    })
}

/// The port written after the spaces from `at`, ending at a space, a `;` or the end.
fn number_at(text: &str, at: usize) -> Option<u16> {
    let rest = text[at..].trim_start_matches([' ', '\t']);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let ends = rest
        .as_bytes()
        .get(digits)
        .is_none_or(|c| c.is_ascii_whitespace() || *c == b';');
    ((1..=5).contains(&digits) && ends)
        .then(|| port(&rest[..digits]))
        .flatten()
}

/// Squid's `cache_peer HOST TYPE HTTP-PORT ICP-PORT`: the word after the host is the peer's
/// type, and the port follows it.
pub(super) fn is_peer_type(word: &str) -> bool {
    ["parent", "sibling", "multicast"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notations() {
        assert_eq!(without_transport("udp:10.0.8.5:161"), "10.0.8.5:161");
        assert_eq!(without_transport("SOCKS5:10.77.0.9:1080"), "10.77.0.9:1080");
        assert_eq!(without_transport("db:5432"), "db:5432");
        assert_eq!(
            without_transport("round-robin:scan-01:11333"),
            "scan-01:11333"
        );
        assert_eq!(without_transport("db-01:5432"), "db-01:5432");
        assert_eq!(
            without_transport("zk:zk1.example.com:2181"),
            "zk1.example.com:2181"
        );
        assert_eq!(without_transport("zk:2181"), "zk:2181");
        // A chain of strategy-like words is read once each, not once per way to split it.
        let chain = format!("{}h:1", "a-aa:".repeat(64));
        assert_eq!(without_transport(&chain), chain);
        assert_eq!(
            without_transport("metadata-store:zk:zk1.example.com:2181/ledgers"),
            "zk1.example.com:2181/ledgers"
        );
        assert_eq!(without_transport("web-server:8080"), "web-server:8080");
        assert_eq!(
            without_transport("backup-server:backups/db"),
            "backup-server:backups/db"
        );
        assert!(after_transport("trap2sink udp:nms", 13));
        assert!(!after_transport("x db:nms", 4));
        assert_eq!(at_port("9.9.9.9@853#dns.quad9.net x", 7), Some((853, 25)));
        assert_eq!(at_port("a@853x", 1), None);
        assert_eq!(at_port("a@b", 1), None);
        assert_eq!(double_colon_port("h::587 : x", 1), Some((587, 6)));
        assert_eq!(double_colon_port("h::587a", 1), None);
        assert_eq!(
            port_keyword("also-notify { 10.0.0.6 port 5353; };"),
            Some((5353, false))
        );
        assert_eq!(
            port_keyword("listen-on port 53 { 10.0.0.2; };"),
            Some((53, false))
        );
        assert_eq!(port_keyword("report 53"), None);
        assert_eq!(port_keyword("export=53"), None);
        assert_eq!(port_keyword("ports 53"), None);
        assert_eq!(port_keyword("web-02 ansible_port=2222"), Some((2222, true)));
        assert_eq!(
            port_keyword("DB Address = db; DB Port = 5432"),
            Some((5432, false))
        );
        assert_eq!(
            port_keyword("<node><host>10.0.0.5</host><port>2182</port></node>"),
            Some((2182, false))
        );
        assert_eq!(port_keyword("a <port 53"), None);
        assert_eq!(
            port_keyword(r#"( "host" => "api-01", "port" => 8080 ),"#),
            Some((8080, false))
        );
        assert_eq!(
            port_keyword(r#"{"host": "db", "port": 5432}"#),
            Some((5432, false))
        );
        assert_eq!(port_keyword(r#"{"export": 5432}"#), None);
        assert_eq!(
            port_keyword("check_http!-H shop.example.com -S -p 443 -u /"),
            Some((443, false))
        );
        assert_eq!(port_keyword("iperf3 -c perf.example.com -P 4"), None);
        assert_eq!(
            port_keyword("pg_dump --port 5433 -h db"),
            Some((5433, false))
        );
        assert_eq!(
            port_keyword("pg_dump --port=5433 -h db"),
            Some((5433, false))
        );
        assert_eq!(port_keyword("mysql -p secret"), None);
        assert_eq!(port_keyword("tar -p 5x"), None);
        assert_eq!(port_keyword("server w 10.0.0.1 check port 8080"), None);
        assert_eq!(port_keyword("port=53x"), None);
    }
}
