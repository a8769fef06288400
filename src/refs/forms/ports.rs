//! Port notations beside `host:port`: Unbound's and Knot's `10.0.0.53@853`, Exim's
//! `host::587`, BIND's `port 5353` keyword, squid's positional `cache_peer HOST parent 3128
//! 3130`, and the transport prefixes of snmpd (`udp:host:162`), which are no host.

use crate::refs::line::Line;
use crate::refs::tokens::port;
use memchr::memmem::Finder;
use std::sync::LazyLock;

/// Built once: a finder per call costs more than the search on a short line.
static PORT: LazyLock<Finder> = LazyLock::new(|| Finder::new("port"));
static CHECK: LazyLock<Finder> = LazyLock::new(|| Finder::new("check"));

impl Line<'_> {
    /// A line's `port N` keyword gives its port to the line's references without one; not
    /// HAProxy's `check port N`, the port of its health checks.
    pub(in crate::refs) fn port_keyword(&mut self, first: usize) {
        let b = self.text.as_bytes();
        if self.found[first..].iter().all(|r| r.port.is_some())
            || PORT.find(b).is_none()
            || CHECK.find(b).is_some()
        {
            return;
        }
        if let Some(p) = port_keyword(self.text) {
            for r in &mut self.found[first..] {
                r.port.get_or_insert(p);
            }
        }
    }
}

/// Transport prefixes written before an address (`udp:10.0.8.5:161`, `tcp6:[::1]:161`): the
/// address without it.
pub(super) fn without_transport(token: &str) -> &str {
    // Every prefix ends in `:`, which most words have none of.
    if memchr::memchr(b':', token.as_bytes()).is_none() {
        return token;
    }
    for prefix in [
        "udp:", "tcp:", "udp6:", "tcp6:", "tls:", "dtlsudp:", "dtls:",
    ] {
        if let Some(rest) = token.get(..prefix.len())
            && rest.eq_ignore_ascii_case(prefix)
        {
            return &token[prefix.len()..];
        }
    }
    token
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
            .is_some_and(|w| without_transport(w).is_empty())
}

/// `@853` right after an address, then an optional `#tls-name`: the port and where the whole
/// notation ends (the name is what the server's certificate says, no host to reach).
pub(super) fn at_port(text: &str, at: usize) -> Option<(u16, usize)> {
    let b = text.as_bytes();
    // dnsmasq writes the port after `#`: `server=10.0.0.53#5353`.
    if b.get(at) == Some(&b'#') {
        let digits = b[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let end = at + 1 + digits;
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
    let digits = b[at + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
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
pub(super) fn port_keyword(text: &str) -> Option<u16> {
    let b = text.as_bytes();
    PORT.find_iter(b).find_map(|at| {
        let word_start = at == 0 || b[at - 1].is_ascii_whitespace() || b[at - 1] == b'{';
        let spaces = b[at + 4..]
            .iter()
            .take_while(|c| **c == b' ' || **c == b'\t')
            .count();
        let from = at + 4 + spaces;
        let digits = b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
        let ends = b
            .get(from + digits)
            .is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b';' | b'{' | b'}'));
        (word_start && spaces > 0 && (1..=5).contains(&digits) && ends)
            .then(|| port(&text[from..from + digits]))
            .flatten()
    })
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
        assert_eq!(without_transport("db:5432"), "db:5432");
        assert!(after_transport("trap2sink udp:nms", 13));
        assert!(!after_transport("x db:nms", 4));
        assert_eq!(at_port("9.9.9.9@853#dns.quad9.net x", 7), Some((853, 25)));
        assert_eq!(at_port("a@853x", 1), None);
        assert_eq!(at_port("a@b", 1), None);
        assert_eq!(double_colon_port("h::587 : x", 1), Some((587, 6)));
        assert_eq!(double_colon_port("h::587a", 1), None);
        assert_eq!(
            port_keyword("also-notify { 10.0.0.6 port 5353; };"),
            Some(5353)
        );
        assert_eq!(port_keyword("listen-on port 53 { 10.0.0.2; };"), Some(53));
        assert_eq!(port_keyword("report 53"), None);
        assert_eq!(port_keyword("port=53"), None);
    }
}
