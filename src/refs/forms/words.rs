//! Addresses written as bare words anywhere on a line: IPv4 literals (`10.0.0.1:5432`, not
//! networks, masks or OIDs), `name:port` (weak for a single label outside a host key), dotted
//! names ending in a known top-level domain, and the port notations glued to them.

use super::ports;
use crate::refs::Strength;
use crate::refs::context::KeyKind;
use crate::refs::features::Features;
use crate::refs::kinds;
use crate::refs::line::{Line, plausible_port};
use crate::refs::tokens::{HOST_BYTE, is_fqdn, is_hostname, port, run_back, run_forward};

impl Line<'_> {
    /// IPv4 literals (`10.0.0.1`, `10.0.0.1:5432`), `name:port`, and dotted names ending in a
    /// known top-level domain. A word is a maximal run of letters, digits, dots and hyphens;
    /// only one holding a dot or followed by `:port` can be an address, so the words read are
    /// found from the line's dots and colons (one SIMD search), and the rest are never walked.
    /// No regex: this runs on nearly every line.
    pub(in crate::refs) fn words(&mut self, features: &Features) {
        let bytes = self.text.as_bytes();
        // Where the word last read ends: a dot or colon before it was read with it.
        let mut read_to = 0;
        for at in memchr::memchr2_iter(b'.', b':', bytes) {
            if at < read_to {
                continue;
            }
            let start = run_back(bytes, at, &HOST_BYTE);
            let run_end = if bytes[at] == b'.' {
                run_forward(bytes, at, &HOST_BYTE)
            } else {
                at
            };
            read_to = run_end + 1;
            if start == run_end {
                continue;
            }
            let dots = bytes[start..run_end].iter().filter(|&&b| b == b'.').count();
            // A sentence's full stop is not part of the word.
            let (end, dots) = if bytes[run_end - 1] == b'.' {
                (run_end - 1, dots - 1)
            } else {
                (run_end, dots)
            };
            if end > start && (dots > 0 || bytes.get(end) == Some(&b':')) {
                self.word(start, end, features);
            }
        }
    }

    fn word(&mut self, s: usize, e: usize, features: &Features) {
        let word = &self.text[s..e];
        if !self.free(s, e) {
            return;
        }
        let before = self.before(s);
        // Unbound's `10.0.0.53@853#name`, dnsmasq's `10.0.0.53#5353` and Geode's
        // `host.example.net[10334]` (an address's only: a page's `#1` is an anchor, `a.b[0]` an
        // index) and Exim's `host::587`.
        let hash = matches!(self.after(e), Some(b'#' | b'['));
        if let Some((p, end)) =
            ports::at_port(self.text, e).or(ports::double_colon_port(self.text, e))
            && (!hash || word.parse::<std::net::Ipv4Addr>().is_ok() || is_fqdn(word))
            && (word.contains('.') || before == Some(b':'))
            // (dnsmasq's `server=/corp.example.com/10.0.0.53#5353` too.)
            && before != Some(b'@')
            && (hash || before != Some(b'/'))
        {
            self.claim(s, end);
            self.add(word, Some(p), s, end);
            return;
        }
        let port = self.port_after(e);
        let port_glued = port.is_some_and(|(_, end)| {
            self.after(end).is_some_and(|b| {
                b.is_ascii_alphanumeric()
                    || b == b':'
                    || b == b'_'
                    || (b == b'.'
                        && self
                            .after(end + 1)
                            .is_some_and(|c| c.is_ascii_alphanumeric()))
            })
        });
        if features.dot_digit() && word.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            // `( 2.5.4.2 NAME ...`: an OID in LDAP schema syntax, not an address.
            let oid = self.text[..s].ends_with("( ");
            if word.bytes().filter(|b| *b == b'.').count() != 3
                || matches!(before, Some(b'_'))
                || oid
            {
                return;
            }
            let mut end = e;
            if let Some((_, port_end)) = port {
                end = port_end;
            }
            self.claim(s, end);
            // `10.0.0.0/8` is a network; `10.1.2.3/24` an address with its prefix: neither is
            // a host to reach. Nor are an access list's `"10.0.18.0"/24`, `!10.0.18.99` and
            // `10.0.0.0 mask 255.255.0.0`.
            let quoted = usize::from(self.after(e) == Some(b'"'));
            if self.after(e + quoted) == Some(b'/')
                && self
                    .after(e + quoted + 1)
                    .is_some_and(|b| b.is_ascii_digit())
            {
                return;
            }
            let negated = before == Some(b'!')
                || (before == Some(b'"') && s >= 2 && self.before(s - 1) == Some(b'!'));
            // FRR's `bgp router-id 10.0.0.1`: an identifier written as an address.
            // (A range's bounds and a network with its mask are left out where every address
            // is added.)
            if negated || after_no_host_key(self.text, s) {
                return;
            }
            if word.parse::<std::net::Ipv4Addr>().is_ok() {
                let port = match port {
                    Some((p, _)) => p,
                    None => self.next_word_port(s, e),
                };
                self.add(word, port, s, end);
            }
            return;
        }
        if features.colon_digit()
            && let Some((p, end)) = port
        {
            // snmpd's `udp:nms.example.com:162`: after a transport, not glued to a word; a
            // forward's `11443:git.example.com:443` (Cntlm's `Tunnel`, `ssh -L`) after the
            // local port.
            let glued_before = matches!(before, Some(b'/' | b':' | b'_'))
                && !(before == Some(b':')
                    && (ports::after_transport(self.text, s - 1)
                        || after_strategy(self.text, s - 1)
                        || after_local_port(self.text, s - 1)));
            // `.pgpass`'s `host:port:db:user:password`, ZooKeeper's `host:2888:3888`.
            let fields_after = port_glued
                && self.after(end) == Some(b':')
                && is_fqdn(word)
                && !matches!(before, Some(b':'));
            if !glued_before && (!port_glued || fields_after) && is_hostname(word) {
                self.claim(s, end);
                if word.contains('.') {
                    self.add(word, p, s, end);
                } else if before != Some(b',')
                    && plausible_single_label(word, end - e - 1, self.after(end))
                {
                    self.add_as(word, p, s, end, Strength::Weak);
                }
                return;
            }
        }
        if features.dot_letter() && word.contains('.') {
            // Glued to a `*`, a pattern (Pound's `HeadRequire "Host: .*www.example.com.*"`).
            // Glued to a `<`, an element's name (.NET's `<system.net>`).
            let glued_before = matches!(before, Some(b'/' | b'@' | b'_' | b'\\' | b'*' | b'<'));
            // Glued to a `=` (PowerDNS's `forward-zones=corp.example.com=10.0.0.53`) it is a
            // key; to a `(`, a call (`server.log.info(`).
            let glued_after =
                matches!(self.after(e), Some(b'/' | b'_' | b'@' | b'=' | b'(' | b'*'));
            if !glued_before
                && !glued_after
                && is_fqdn(word)
                && !after_name_key(self.text, s)
                && !is_key(self.text, s, e)
            {
                self.claim(s, e);
                // Under a key that names no server, a bare name is no evidence of one (a
                // `defaultHostnameIfEmpty`): weak, unless a port (found here or given later by
                // a sibling key), a command's host flag (`bsmtp -h smtp.example.com`) or a key
                // of its own for a server (Bacula's `dbname = "x"; DB Address = db`) says so.
                let before = self.found.len();
                self.add(word, self.next_word_port(s, e), s, e);
                if self.found.len() > before
                    && self.plain_value.is_some_and(|from| s >= from)
                    && !after_host_flag(self.text, s)
                    && !matches!(
                        kinds::classify(key_before(self.text, s)),
                        KeyKind::Hosts | KeyKind::HostsWithEvidence
                    )
                {
                    self.bare_names.push(before);
                }
            }
        }
    }

    /// A server's port as the next word of a line of words (3proxy's `parent 1000 http
    /// 10.0.0.8 3128`, `tcppm -i10.0.0.4 2525 smtp.example.net 25`): a number a port could be,
    /// after the address that stands alone between blanks. A count or a weight there is small;
    /// not after the line's first word (nginx's `geo` values), a route's mask (its metric), nor
    /// before a record type (a DNS TTL, `www.example.com 3600 A 10.0.0.5`) or a `*` (ppp's
    /// secrets).
    fn next_word_port(&self, s: usize, e: usize) -> Option<u16> {
        let b = self.text.as_bytes();
        if self.listen || !matches!(self.before(s), Some(b' ' | b'\t')) {
            return None;
        }
        // The word before, read back no further than an address is long: a line of
        // thousands of addresses stays linear.
        let last = b[..s].iter().rposition(|c| !c.is_ascii_whitespace())?;
        let floor = last.saturating_sub(16);
        let start = b[floor..=last]
            .iter()
            .rposition(u8::is_ascii_whitespace)
            .map_or(floor, |i| floor + i + 1);
        if (start > floor || floor == 0)
            && self.text[start..=last]
                .parse::<std::net::Ipv4Addr>()
                .is_ok()
        {
            return None;
        }
        let blanks = b[e..]
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t'))
            .count();
        let from = e + blanks;
        let digits = b[from..]
            .iter()
            .take(6)
            .take_while(|c| c.is_ascii_digit())
            .count();
        let ends = b
            .get(from + digits)
            .is_none_or(|c| c.is_ascii_whitespace() || *c == b';');
        if blanks == 0 || !(1..=5).contains(&digits) || !ends {
            return None;
        }
        let next = self.text[from + digits..].split_ascii_whitespace().next();
        if next.is_some_and(|w| w == "*" || w.bytes().all(|c| c.is_ascii_uppercase())) {
            return None;
        }
        port(&self.text[from..from + digits]).filter(|p| plausible_port(*p))
    }
}

/// Whether the `:` at `colon` ends a word of letters and hyphens that starts the value: Rspamd's
/// `hosts = "round-robin:scan-01:11333,scan-02:11333"` names how to pick, then the hosts.
fn after_strategy(text: &str, colon: usize) -> bool {
    let b = text.as_bytes();
    let start = b[..colon]
        .iter()
        .rposition(|c| !(c.is_ascii_alphabetic() || *c == b'-'))
        .map_or(0, |i| i + 1);
    ports::is_strategy(&b[start..colon])
        && start
            .checked_sub(1)
            .is_some_and(|i| matches!(b[i], b'"' | b'\'' | b'=' | b' '))
}

/// Whether the `:` at `colon` ends a port that starts a word or follows an address: the local
/// side of a forward, `[bind:]port:host:hostport`.
fn after_local_port(text: &str, colon: usize) -> bool {
    let b = text.as_bytes();
    let digits = b[..colon]
        .iter()
        .rev()
        .take(6)
        .take_while(|c| c.is_ascii_digit())
        .count();
    let start = colon - digits;
    // An IPv4 address is at most 15 bytes: read back no further.
    let bind = |colon: usize| {
        let floor = colon.saturating_sub(16);
        let from = b[floor..colon]
            .iter()
            .rposition(|c| !(c.is_ascii_digit() || *c == b'.'))
            .map_or(floor, |i| floor + i + 1);
        text[from..colon].parse::<std::net::Ipv4Addr>().is_ok()
    };
    (1..=5).contains(&digits)
        && start.checked_sub(1).is_none_or(|i| {
            b[i].is_ascii_whitespace()
                || matches!(b[i], b'"' | b'\'' | b'=')
                || b[i] == b':' && bind(i)
        })
}

/// Whether the word at `at` follows a command's flag for a host: `-h`, `-H`, `--host`,
/// `--server` (`bsmtp -h smtp.example.com`, Nagios's `check_http!-H shop.example.com`).
fn after_host_flag(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches([' ', '=']).as_bytes();
    ["-h", "-H", "--host", "--server"].iter().any(|flag| {
        before.len() > flag.len()
            && before.ends_with(flag.as_bytes())
            && matches!(
                before[before.len() - flag.len() - 1],
                b' ' | b'\t' | b'!' | b'"' | b'\''
            )
    })
}

/// Whether the word at `s..e` is the key of its line (`corp.example.com = CORP.EXAMPLE.COM` in
/// krb5's `[domain_realm]`): structure, not a host.
fn is_key(text: &str, s: usize, e: usize) -> bool {
    // Quoted too: PHP's `'memcache.local' => '...'`, JSON's `"a.b": 1`.
    let before = text[..s].trim_ascii();
    let quoted = matches!(before, "'" | "\"");
    let rest = text[e..]
        .strip_prefix(['\'', '"'])
        .filter(|_| quoted)
        .unwrap_or(&text[e..]);
    let rest = rest.trim_start_matches([' ', '\t']);
    (before.is_empty() || quoted)
        && (rest.starts_with('=')
            || rest
                .strip_prefix(':')
                .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t'])))
}

/// Whether the word at `at` is the value of a key that names no host, inside a line of several
/// pairs: Oracle's `(SERVICE_NAME = shop.example.com)`, BIND's `zone "corp.internal"`.
fn after_name_key(text: &str, at: usize) -> bool {
    let key = key_before(text, at);
    let ends_with = |suffix: &str| {
        key.len() >= suffix.len()
            && key.as_bytes()[key.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    !key.is_empty()
        && (ends_with("name") || ends_with("names") || kinds::classify(key) == KeyKind::NoHosts)
}

/// Whether the address at `at` is the value of a key that names no host, inside a line of
/// several words (FRR's `bgp router-id 10.0.0.1`). Unlike a name, an address after a `*name` key
/// is kept: `smtp_servername 10.0.0.10` is a server.
fn after_no_host_key(text: &str, at: usize) -> bool {
    let key = key_before(text, at);
    !key.is_empty() && kinds::classify(key) == KeyKind::NoHosts
}

/// The key written right before the value at `at` (`SERVICE_NAME` of `(SERVICE_NAME = x`,
/// `router-id` of `bgp router-id x`), past the blanks, quotes and separators between them.
fn key_before(text: &str, at: usize) -> &str {
    let before = text[..at].trim_end_matches([' ', '\t', '"', '\'', '=', ':', '>']);
    let start = before
        .bytes()
        .rposition(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')))
        .map_or(0, |i| i + 1);
    &before[start..]
}

/// Whether a single-label `name:port` outside any host key is worth listing at all (weak): not
/// an option (`timeout:2`, `ndots:5`), a CSS property (`width:100%;`) or a schema identifier
/// (`MSADat2:104`). Host names are lower case in configs; identifiers and macros are not.
fn plausible_single_label(word: &str, port_digits: usize, after: Option<u8>) -> bool {
    port_digits >= 2
        && !word.bytes().any(|b| b.is_ascii_uppercase())
        && !matches!(after, Some(b';' | b'%' | b'.' | b'-'))
}
