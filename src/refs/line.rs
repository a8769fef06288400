//! One line as the forms read it: the spans they already claimed, and how a host they find
//! becomes a `Reference` (its column, its masked text, the checks every host passes: not a
//! label, not a wildcard, not twice on one line).

use super::context::{self, KeyKind, names_an_address};
use super::kinds;
use super::scan::ScanOptions;
use super::tokens::{
    is_fqdn, is_hostname, is_opaque_token, names_no_host, parse_ip, port, run_back,
    without_closing_quote,
};
use super::{Kind, Reference, Strength};
use crate::redact;
use rustc_hash::FxHashSet;

/// At most this many references from one line: a generated line listing more is data, not a
/// config an operator maintains, and the cap keeps the scan linear.
const LINE_REFERENCE_LIMIT: usize = 256;

/// The longest `text` a reference carries: enough to recognise the line, bounded so that one
/// enormous line cannot make the scan quadratic.
pub(super) const TEXT_LIMIT: usize = 256;

pub(super) struct Line<'a> {
    pub(super) text: &'a str,
    number: usize,
    /// Per byte of the line, whether a form already claimed it; empty until the first claim.
    claimed: &'a mut Vec<bool>,
    /// Where this line's references start in `found`.
    pub(super) first_found: usize,
    /// Character count before each byte, for columns on non-ASCII lines; built on first use.
    chars: Option<Vec<u32>>,
    pub(super) found: &'a mut Vec<Reference>,
    pub(super) options: &'a ScanOptions,
    /// Names the file declares as labels: never hosts.
    labels: &'a FxHashSet<String>,
    /// The line's value is where the service listens: only its addresses count, as `listen`.
    pub(super) listen: bool,
    /// It listens only by the block it stands in (`server:`, `frontend`): a name there is
    /// reached, not bound (a PMM agent's `server: address: pmm.example.com:443`).
    pub(super) listen_by_block: bool,
    /// Whether the line holds `\.` anywhere: asked once, when a reference is first added.
    escaped_dot: Option<bool>,
    /// The key whose value `value_tokens` reads, if it names hosts: whether it holds mailboxes
    /// is asked only when a value has an `@`.
    pub(super) key: &'a str,
    /// The line's key names a peer by its role: a bare word in its value is no host.
    pub(super) needs_evidence: bool,
    /// Where the value of the line's key starts, if that key names no server (`rtname`,
    /// `WebDomain`): a bare name there has no evidence of one.
    pub(super) plain_value: Option<usize>,
    /// Where in `found` this line's bare names under such a key are: weak if no port comes.
    pub(super) bare_names: Vec<usize>,
    /// Where the value `value_tokens` reads ends: the line's end, or a setting's closing
    /// quote (`<add key="host" value="db-01" type="primary"/>`).
    pub(super) value_end: usize,
}

impl<'a> Line<'a> {
    /// The line `text`, number `number` (1-based), read afresh: `claimed` is cleared, and what
    /// its forms find is pushed to `found`.
    pub(super) fn new(
        text: &'a str,
        number: usize,
        claimed: &'a mut Vec<bool>,
        found: &'a mut Vec<Reference>,
        options: &'a ScanOptions,
        labels: &'a FxHashSet<String>,
    ) -> Self {
        claimed.clear();
        Line {
            text,
            number,
            claimed,
            first_found: found.len(),
            chars: None,
            found,
            options,
            labels,
            listen: false,
            listen_by_block: false,
            escaped_dot: None,
            key: "",
            needs_evidence: false,
            plain_value: None,
            bare_names: Vec::new(),
            value_end: text.len(),
        }
    }
}

impl Line<'_> {
    pub(super) fn free(&self, start: usize, end: usize) -> bool {
        self.claimed.is_empty() || !self.claimed[start..end].contains(&true)
    }

    pub(super) fn claim(&mut self, start: usize, end: usize) {
        if self.claimed.is_empty() {
            self.claimed.resize(self.text.len(), false);
        }
        self.claimed[start..end].fill(true);
    }

    fn column(&mut self, at: usize) -> usize {
        if self.text.is_ascii() {
            return at + 1;
        }
        let text = self.text;
        let chars = self.chars.get_or_insert_with(|| {
            let mut counts = Vec::with_capacity(text.len() + 1);
            let mut n = 0u32;
            for (i, _) in text.char_indices() {
                counts.resize(i, n);
                counts.push(n);
                n += 1;
            }
            counts.resize(text.len() + 1, n);
            counts
        });
        chars[at] as usize + 1
    }

    /// `:PORT` right after `at`: the port and where it ends.
    pub(super) fn port_after(&self, at: usize) -> Option<(Option<u16>, usize)> {
        let rest = self.text.as_bytes().get(at..)?;
        if rest.first() != Some(&b':') {
            return None;
        }
        let digits = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
        (1..=5)
            .contains(&digits)
            .then(|| (port(&self.text[at + 1..at + 1 + digits]), at + 1 + digits))
    }

    /// A host and its port as a pair: PgCat's `["db.example.com", 5432, "primary"]`, Python's
    /// `("10.0.0.5", 8125)`. The port after the quoted host that ends at `at`, and where its
    /// digits end.
    pub(super) fn tuple_port(&self, at: usize) -> Option<(u16, usize)> {
        let b = self.text.as_bytes();
        let quote = *b.get(at)?;
        if !matches!(quote, b'"' | b'\'') {
            return None;
        }
        let open = b[..at].iter().rposition(|&c| c == quote)?;
        let opened = b[..open].trim_ascii_end().last();
        if !matches!(opened, Some(b'[' | b'(')) {
            return None;
        }
        let rest = &b[at + 1..];
        let comma = rest.iter().position(|c| !c.is_ascii_whitespace())?;
        if rest[comma] != b',' {
            return None;
        }
        let from = comma
            + 1
            + rest[comma + 1..]
                .iter()
                .take_while(|c| c.is_ascii_whitespace())
                .count();
        let digits = rest[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let next = rest.get(from + digits);
        if !(1..=5).contains(&digits)
            || next.is_some_and(|c| !matches!(c, b',' | b']' | b')' | b' '))
        {
            return None;
        }
        let end = at + 1 + from + digits;
        let p = port(&self.text[end - digits..end])?;
        plausible_port(p).then_some((p, end))
    }

    /// Whether the word around `start..end` is a regular expression (`[a-z]+\.example\.com$`,
    /// `^10\.0\.`): it matches names, it names none. Read no further than a text is shown,
    /// so a line of thousands of names stays linear.
    fn in_pattern(&mut self, start: usize, end: usize) -> bool {
        let b = self.text.as_bytes();
        if !*self.escaped_dot.get_or_insert_with(|| has_escaped_dot(b)) {
            return false;
        }
        let end = end.min(b.len());
        let start = start.min(end);
        let bound = |c: &u8| c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'=');
        let floor = start.saturating_sub(TEXT_LIMIT);
        let from = b[floor..start]
            .iter()
            .rposition(bound)
            .map_or(floor, |i| floor + i + 1);
        let ceiling = (end + TEXT_LIMIT).min(b.len());
        let to = b[end..ceiling]
            .iter()
            .position(bound)
            .map_or(ceiling, |i| end + i);
        has_escaped_dot(&b[from..to])
    }

    pub(super) fn before(&self, at: usize) -> Option<u8> {
        at.checked_sub(1).map(|i| self.text.as_bytes()[i])
    }

    pub(super) fn after(&self, at: usize) -> Option<u8> {
        self.text.as_bytes().get(at).copied()
    }

    /// Whether the value at `start` is compared, not used: lighttpd's `$HTTP["host"] ==
    /// "shop.example.com" {`, a template's `if host == 'db-01'`: a condition on a name.
    fn compared(&self, start: usize, is_address: bool) -> bool {
        let before = self.text.as_bytes()[..start].trim_ascii_end();
        // Quoted, or an address (Kamailio's `src_ip==10.0.0.5`): an unquoted name after `==`
        // may be anything's.
        let quoted = before
            .strip_suffix(b"\"")
            .or_else(|| before.strip_suffix(b"'"));
        let Some(before) = quoted.or(is_address.then_some(before)) else {
            return false;
        };
        let before = before.trim_ascii_end();
        // rsyslog's property filters: `:hostname, isequal, "web01"`.
        let before = before.strip_suffix(b",").unwrap_or(before).trim_ascii_end();
        [
            &b"=="[..],
            b"!=",
            b"=~",
            b"!~",
            b"isequal",
            b"startswith",
            b"contains",
        ]
        .iter()
        .any(|op| before.ends_with(op))
    }

    /// Whether the value at `start` is a request's `Host:` header written in a string
    /// (Varnish's probe `"Host: shop.example.com"`, a health check's `\r\nHost: x`): the name
    /// the request asks for, sent to another server.
    fn in_host_header(&self, start: usize) -> bool {
        let before = self.text.as_bytes()[..start].trim_ascii_end();
        let Some(before) = before.strip_suffix(b":") else {
            return false;
        };
        let Some(at) = before.len().checked_sub(4) else {
            return false;
        };
        let head = &before[..at];
        before[at..].eq_ignore_ascii_case(b"host")
            && (head.ends_with(b"\"") || head.ends_with(b"'") || head.ends_with(b"\\n"))
    }

    /// Whether the value at `start` is the common name of a certificate's subject (Kafka's
    /// `super.users=User:CN=kafka-3.example.net`): a name it proves, not a server.
    fn in_subject(&self, start: usize) -> bool {
        let b = self.text.as_bytes();
        let before = &b[..start];
        before.len() >= 3
            && before[before.len() - 3..].eq_ignore_ascii_case(b"cn=")
            // A URL is no certificate's name (`cn=postgres://db/x`).
            && !{
                let rest = &b[start..];
                let scheme = rest
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
                    .count();
                scheme > 0 && rest[scheme..].starts_with(b"://")
            }
    }

    /// Whether the address at `start..end` bounds a range or is a network with its mask: a
    /// DHCP pool's `"10.0.0.100 - 10.0.0.200"`, OpenVPN's `route 10.40.0.0 255.255.0.0`,
    /// `10.0.0.0 mask 255.255.0.0`, OpenLDAP's `peername.ip=10.0.0.0%255.255.0.0`.
    fn in_range_or_masked(&self, start: usize, end: usize) -> bool {
        let b = self.text.as_bytes();
        let raw_after = b.get(end..).unwrap_or_default();
        let after = raw_after.trim_ascii_start();
        let before = b.get(..start).unwrap_or_default().trim_ascii_end();
        let to_address = after
            .strip_prefix(b"-")
            .is_some_and(|rest| parse_ip(address_at_start(rest.trim_ascii_start())).is_some());
        let from_address = before
            .strip_suffix(b"-")
            .is_some_and(|rest| parse_ip(address_at_end(rest.trim_ascii_end())).is_some());
        let mask = after
            .strip_prefix(b"mask ")
            .or_else(|| after.strip_prefix(b"netmask "))
            .or_else(|| raw_after.strip_prefix(b"%"))
            .unwrap_or(after);
        to_address || from_address || is_netmask(address_at_start(mask.trim_ascii_start()))
    }

    /// Whether the address at `start` is the argument of a flag that binds, in a daemon's
    /// options (`MINIO_OPTS="--address 10.0.0.5:9000"`, `--bind 10.0.0.5`, `--listen-addr x`);
    /// a URL there (`vault --address https://…`) is a server's.
    fn after_listen_flag(&self, start: usize) -> bool {
        let b = self.text.as_bytes();
        let before = b.get(..start).unwrap_or_default();
        let flag = before.trim_ascii_end();
        if flag.len() == before.len()
            || !b
                .get(start)
                .is_some_and(|c| c.is_ascii_digit() || *c == b'[')
        {
            return false;
        }
        let from = flag
            .iter()
            .rposition(|c| c.is_ascii_whitespace() || matches!(c, b'"' | b'\''))
            .map_or(0, |i| i + 1);
        flag[from..].strip_prefix(b"--").is_some_and(|name| {
            matches!(name, b"address" | b"addr")
                || std::str::from_utf8(name)
                    .is_ok_and(|name| kinds::classify(name) == KeyKind::Listen)
        })
    }

    /// Whether `host`, at `start`, is a secret: the value of a key or flag named like one
    /// (`password='Zx7-pg-Wn6c'`, `"password": "…"`, `-p Zx7-pg-Wn6c`), and no host name
    /// (`krb5_kpasswd = kpasswd.example.com` names a server under a key named like a secret).
    /// Whatever form misread it, a password is never shown as a host.
    fn is_secret(&self, host: &str, start: usize) -> bool {
        let before =
            without_closing_quote(self.text.as_bytes()[..start].trim_ascii_end()).trim_ascii_end();
        let key = match before
            .strip_suffix(b"=")
            .or_else(|| before.strip_suffix(b":"))
        {
            // `key=`, `key: `, JSON's `"key": `.
            Some(pair) => {
                let pair = without_closing_quote(pair.trim_ascii_end());
                &pair[run_back(pair, pair.len(), &context::KEY_BYTE)..]
            }
            // A flag and its argument: `-p …`, `--password …`.
            None if before.len() < start => {
                let flag = &before[run_back(before, before.len(), &context::KEY_BYTE)..];
                if !flag.starts_with(b"-") {
                    return false;
                }
                flag
            }
            None => return false,
        };
        std::str::from_utf8(key)
            .is_ok_and(|key| redact::secret_name(key.trim_start_matches('-')) || key == "-p")
            && !is_fqdn(host)
    }

    /// Records `host` (and `port`) found at `start..end` of the line, unless it names no host.
    pub(super) fn add(&mut self, host: &str, port: Option<u16>, start: usize, end: usize) {
        self.add_as(host, port, start, end, Strength::Strong);
    }

    /// Like `add`, with the strength of the evidence. On a listen line only addresses count,
    /// and never a wildcard or loopback one: those are every host's own.
    pub(super) fn add_as(
        &mut self,
        host: &str,
        port: Option<u16>,
        start: usize,
        end: usize,
        strength: Strength,
    ) {
        let host = host.trim_end_matches('.');
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        let ip = parse_ip(host);
        let listen = (self.listen || ip.is_some() && self.after_listen_flag(start))
            && (ip.is_some() || !self.listen_by_block);
        let names_a_host = match ip {
            Some(ip) => {
                !(names_no_host(ip)
                    || listen && ip.is_loopback()
                    || self.in_range_or_masked(start, end))
            }
            None => {
                !listen
                    && is_hostname(host)
                    && !is_class_name(host)
                    // Under a host key, a long name is a name (`DB_HOST=SqlServerProd2019Primary`).
                    && (!is_opaque_token(host) || !self.key.is_empty())
                    // Icinga 2's `object Endpoint "sat-1.example.com" { host =
                    // "sat-1.example.com" }` names its own label, and reaches it.
                    && (!self.labels.contains(host) || names_an_address(self.key))
            }
        };
        if !names_a_host
            || self.compared(start, ip.is_some())
            || self.in_host_header(start)
            || self.in_subject(start)
            || ip.is_none() && self.is_secret(host, start)
        {
            return;
        }
        let port = port.or_else(|| self.tuple_port(end).map(|(p, _)| p));
        // Lines name a handful of hosts; a pathological one with thousands costs a scan each,
        // bounded by the cap below.
        let this_line = &self.found[self.first_found..];
        let duplicate = this_line.len() >= LINE_REFERENCE_LIMIT
            || this_line.iter().any(|r| r.host == host && r.port == port);
        if !duplicate && !self.in_pattern(start, end) {
            // The text takes the quotes and punctuation that close the value (`.host =
            // "db-02";` reads whole, not cut where the host ends), never more words: what
            // follows on the line may be a password (`.pgpass`: `host:port:db:user:secret`).
            let closing = self.text.as_bytes()[end.min(self.text.len())..]
                .iter()
                .take_while(|c| matches!(c, b'"' | b'\'' | b';' | b',' | b')' | b']' | b'}'))
                .count();
            let mut end = (end + closing).min(start + TEXT_LIMIT);
            while !self.text.is_char_boundary(end) {
                end -= 1;
            }
            let column = self.column(start);
            // Asked of the reference's own text, not of its line: a secret elsewhere on the line
            // is not in the text, and most texts rule one out in a pass over a few bytes.
            let text = &self.text[start..end];
            let text = if redact::may_hold_secret(text) {
                redact::secrets(text).into_owned()
            } else {
                text.to_string()
            };
            self.found.push(Reference {
                host: host.to_string(),
                port,
                line: self.number,
                column,
                text,
                kind: if listen { Kind::Listen } else { Kind::Connect },
                strength,
            });
        }
    }
}

/// Whether `b` holds `\.`: a search for the backslash alone, as a two-byte `memmem` search
/// builds its searcher on every call, which costs more than the pass over a line.
fn has_escaped_dot(b: &[u8]) -> bool {
    memchr::memchr_iter(b'\\', b).any(|i| b.get(i + 1) == Some(&b'.'))
}

/// Whether a number beside a host may be its port: a weight, a status or a timeout is a small
/// number, a port there is a server's own (from 1024) or a well-known one.
pub(super) fn plausible_port(p: u16) -> bool {
    const WELL_KNOWN: [u16; 16] = [
        21, 22, 25, 53, 80, 110, 143, 389, 443, 465, 514, 587, 636, 853, 993, 995,
    ];
    p >= 1024 || WELL_KNOWN.contains(&p)
}

/// The longest address written (a full IPv6 with an IPv4 tail is 45 bytes): a longer run of
/// address characters is none, and reading no further keeps a line of them linear.
const ADDRESS_LIMIT: usize = 46;

fn is_address_byte(c: &u8) -> bool {
    c.is_ascii_hexdigit() || matches!(c, b'.' | b':')
}

/// The address characters `b` starts with (digits, hex letters, `.` and `:`), as text.
fn address_at_start(b: &[u8]) -> &str {
    let n = b
        .iter()
        .take(ADDRESS_LIMIT + 1)
        .take_while(|c| is_address_byte(c))
        .count();
    if n > ADDRESS_LIMIT {
        return "";
    }
    std::str::from_utf8(&b[..n]).unwrap_or_default()
}

/// The address characters `b` ends with, as text.
fn address_at_end(b: &[u8]) -> &str {
    let n = b
        .iter()
        .rev()
        .take(ADDRESS_LIMIT + 1)
        .take_while(|c| is_address_byte(c))
        .count();
    if n > ADDRESS_LIMIT {
        return "";
    }
    std::str::from_utf8(&b[b.len() - n..]).unwrap_or_default()
}

/// Whether `word` is an IPv4 netmask: ones, then zeros (`255.255.0.0`).
fn is_netmask(word: &str) -> bool {
    word.parse::<std::net::Ipv4Addr>().is_ok_and(|m| {
        let m = u32::from(m);
        m != 0 && (!m).wrapping_add(1) & !m == 0
    })
}

/// A dotted name whose last part is in camel case (`django.core.mail.backends.smtp.EmailBackend`,
/// `org.example.RedisCache`): a class in a package, never a host (DNS names are written in one
/// case).
fn is_class_name(host: &str) -> bool {
    let Some((_, last)) = host.rsplit_once('.') else {
        return false;
    };
    last.as_bytes()
        .windows(2)
        // (`storages.backends.s3boto3.S3Boto3Storage` too, a digit before the capital.)
        .any(|w| (w[0].is_ascii_lowercase() || w[0].is_ascii_digit()) && w[1].is_ascii_uppercase())
}
