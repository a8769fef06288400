//! The words of a value under a key that names hosts or listen addresses: which are hosts,
//! which are keywords with their argument (`key "xfer"`, `port 5353`, `tls dot`), which are
//! mailboxes (`alerts@example.com`: the domain is no server), and the ports written after them
//! (`10.0.0.53@853`, `udp:10.0.8.5:161`, squid's `parent 3128`).

use super::ports::{self, is_peer_type, without_transport};
use crate::refs::context::{self, KeyKind};
use crate::refs::kinds;
use crate::refs::line::{Line, plausible_port};
use crate::refs::tokens::{
    byte_table, is_fqdn, is_hostname, parse_ip, port, quoted_end, run_back, split_port,
};
use std::net::Ipv4Addr;

/// What separates the words of a value (Traffic Server's `parent="a:8080|1.0;b:8080|1.0"`
/// gives each its weight after a `|`).
static VALUE_SEPARATOR: [bool; 256] = byte_table(b",;'\"[]{}()<>|", false, true);

/// Keywords inside a list of servers whose next word is their argument, never a host: BIND's
/// `10.0.0.5 key "xfer" tls "dot"`, `port 5353`, `dscp 10`, `source 10.0.0.1`.
fn takes_argument(word: &[u8]) -> bool {
    ["key", "tls", "port", "dscp", "source", "source-v6"]
        .iter()
        .any(|k| word.eq_ignore_ascii_case(k.as_bytes()))
}

/// The words of a value: split at white space, commas, semicolons, quotes and brackets.
fn words(text: &str, from: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let is_separator = |b: u8| VALUE_SEPARATOR[b as usize];
    let bytes = text.as_bytes();
    let mut i = from;
    std::iter::from_fn(move || {
        while i < bytes.len() && is_separator(bytes[i]) {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !is_separator(bytes[i]) {
            i += 1;
        }
        (i > start).then_some((start, i))
    })
}

impl Line<'_> {
    /// Bare names in the value of a key that names hosts; for `server`-like directives only the
    /// address among the first two words (HAProxy's `server NAME ADDR` vs nginx's `server ADDR`).
    pub(in crate::refs) fn value_tokens(&mut self, from: usize, first_only: bool) {
        let text = self.text;
        let bytes = text.as_bytes();
        // A path (KrakenD's `"endpoint": "/v1/users/{id}"`), not a server.
        let value = text
            .get(from..self.value_end.max(from))
            .unwrap_or_default()
            .trim_start_matches(['"', '\'']);
        if value.starts_with('/') && !value.starts_with("//") {
            return;
        }
        let first_found = self.found.len();
        let mut skip_argument = false;
        // A comment after the value (`4;  # num of children`) is prose.
        let value = words(&text[..self.value_end.max(from)], from).take_while(|&(s, _)| {
            !(bytes[s] == b'#' && s > 0 && bytes[s - 1].is_ascii_whitespace())
        });
        // Where the quoted value of a pair skipped below ends: its other words are its too.
        let mut pair_value_end = 0;
        let all = value.filter(|&(s, e)| {
            let t = &bytes[s..e];
            if s < pair_value_end {
                return false;
            }
            // A keyword's argument (`key "xfer"`) is no host, nor the keyword.
            if std::mem::take(&mut skip_argument) {
                return false;
            }
            if takes_argument(t) {
                skip_argument = true;
                return false;
            }
            // A word before `=` is a key: `port` in `host = db port = 5433`; a word after one
            // is that key's value (`dsn = pgsql://x password='s3cret'`), a host only if that
            // key names hosts too (`parent="a:8080;b:8080"`).
            let key = bytes[e..].iter().find(|b| **b != b' ' && **b != b'\t') == Some(&b'=')
                // A quoted key of a map written inline: `{"host": "10.0.0.5", "db": "0"}`.
                || s > 0
                    && matches!(bytes[s - 1], b'"' | b'\'')
                    && bytes.get(e) == Some(&bytes[s - 1])
                    && bytes.get(e + 1) == Some(&b':');
            let value_of_pair = s > from
                && bytes[from..s]
                    .iter()
                    .rposition(|b| !matches!(b, b' ' | b'\t' | b'"' | b'\''))
                    .filter(|&at| bytes[from + at] == b'=')
                    .is_some_and(|at| {
                        let equals = from + at;
                        let key = &text[run_back(bytes, equals, &context::KEY_BYTE)..equals];
                        // ProxySQL's `{ hostname="10.0.0.13", port=3306 }` names the server.
                        !(key.eq_ignore_ascii_case("hostname")
                            || matches!(
                                kinds::classify(key),
                                KeyKind::Hosts | KeyKind::HostsWithEvidence | KeyKind::Listen
                            ))
                    });
            if value_of_pair && matches!(bytes[s - 1], b'"' | b'\'') {
                pair_value_end = quoted_end(bytes, s - 1);
            }
            !matches!(t[0], b'/' | b'@' | b'$' | b'%' | b'<' | b'#' | b'*' | b'!')
                && !t.contains(&b'=')
                && !key
                && !value_of_pair
                && !t.windows(3).any(|w| w == b"://")
        });
        let mut tokens = all;
        if first_only {
            let looks_like_address = |(s, e): (usize, usize)| {
                let t = text[s..e].trim_end_matches('.');
                split_port(t).1.is_some() || parse_ip(t).is_some() || is_fqdn(t)
            };
            let (first, second) = (tokens.next(), tokens.next());
            let chosen = match (first, second) {
                (Some(b), Some(_)) if looks_like_address(b) => Some(b),
                (Some(_), Some(b)) if looks_like_address(b) => Some(b),
                (a, _) => a,
            };
            // OpenVPN's `remote HOST PORT`: a number right after the host is its port; squid's
            // `cache_peer HOST parent 3128 3130`: after the peer's type.
            let mut next = if chosen == first {
                second
            } else {
                tokens.next()
            };
            if next.is_some_and(|(s, e)| is_peer_type(&text[s..e])) {
                next = tokens.next();
            }
            let next_port = next
                .filter(|&(s, e)| e - s <= 5 && bytes[s..e].iter().all(u8::is_ascii_digit))
                .and_then(|(s, e)| port(&text[s..e]));
            if let Some((s, e)) = chosen {
                self.value_token(s, e, next_port);
            }
        } else {
            // On a listen line, a bare number beside an address is its port: collectd's
            // `Listen "10.0.0.5" "25826"`, keepalived's `virtual_server 10.0.0.100 443 {`,
            // Mosquitto's `listener 1883 10.0.0.5`.
            let (mut number_before, mut added_before) = (None, None);
            // In words without commas, after an address (Heartbeat's `stonith_host
            // lb01.example.com external/ipmi lb02.example.com 10.0.9.12 ADMIN secret lan`), a
            // bare word is an argument, a user or a password: never listed. (A list of peers,
            // `db1, db2.example.com, db3`, is read whole.)
            let arguments = memchr::memchr(b',', &bytes[from..]).is_none();
            let needs_evidence = self.needs_evidence;
            let mut end_before = None;
            // The word right after a pair's port is its role (`"primary"`), named with no dot.
            let mut role_next = false;
            for (s, e) in tokens {
                let address = memchr::memchr2(b'.', b':', &bytes[s..e]).is_some();
                let digits = e - s <= 5 && bytes[s..e].iter().all(u8::is_ascii_digit);
                // A host and its port as a pair (PgCat's `["db.example.com", 5432, "primary"]`):
                // the number after a quoted host and a comma. What follows is the pair's role.
                if digits
                    && added_before.is_some()
                    && end_before
                        .and_then(|b| self.tuple_port(b))
                        .map(|(_, end)| end)
                        == Some(e)
                {
                    added_before = None;
                    role_next = true;
                    continue;
                }
                end_before = Some(e);
                let number = digits.then(|| port(&text[s..e])).flatten();
                // A server's port as the word after it, in words without commas (OpenVPN's
                // `http-proxy proxy.example.net 3128`, 3proxy's `parent 1000 http 10.0.0.8
                // 3128`); a count or a weight there is small (NUT's `MONITOR ups@nut 1 …`).
                if let (Some(p), Some(from)) = (number, added_before)
                    && !self.listen
                    && arguments
                    && plausible_port(p)
                {
                    self.give_port(from, p);
                    added_before = None;
                    continue;
                }
                if let Some(p) = number.filter(|_| self.listen) {
                    if let Some(from) = added_before.take() {
                        self.give_port(from, p);
                    }
                    number_before = Some(p);
                    continue;
                }
                let from = self.found.len();
                let before = self.needs_evidence;
                self.needs_evidence |= std::mem::take(&mut role_next);
                // JGroups' `initial_hosts="10.0.0.21[7800],10.0.0.23[7800]"` (Infinispan,
                // Keycloak, WildFly).
                let bracket_port = (bytes.get(e) == Some(&b'['))
                    .then(|| ports::at_port(text, e))
                    .flatten()
                    .map(|(p, _)| p);
                self.value_token(s, e, bracket_port);
                self.needs_evidence = before | (arguments && address);
                added_before = (self.found.len() > from).then_some(from);
                if let (Some(p), Some(from)) = (number_before.take(), added_before) {
                    self.give_port(from, p);
                }
            }
            self.needs_evidence = needs_evidence;
        }
        if self.found.len() > first_found {
            self.port_keyword_from(from, first_found);
        }
    }

    /// The references found since `from` without a port get `port`.
    fn give_port(&mut self, from: usize, port: u16) {
        for r in &mut self.found[from..] {
            r.port.get_or_insert(port);
        }
    }

    fn value_token(&mut self, s: usize, e: usize, next_port: Option<u16>) {
        if !self.free(s, e) {
            return;
        }
        let text = self.text;
        let bytes = text.as_bytes();
        let whole = (s, e);
        // A call (`ENV.fetch("X")`) is code, not a host.
        if bytes.get(e) == Some(&b'(') {
            return;
        }
        // Unbound's `9.9.9.9@853#dns.quad9.net`: the name after `#` is the certificate's;
        // dnsmasq's `10.0.0.53#5353`: the digits after it are the port.
        let mut at_port = None;
        let e = match bytes[s..e].iter().position(|&b| b == b'#') {
            Some(hash) => {
                at_port = super::ports::at_port(text, s + hash).map(|(p, _)| p);
                s + hash
            }
            None => e,
        };
        let mut s = s;
        let mut end = e;
        if let Some(at) = bytes[s..e].iter().rposition(|&b| b == b'@') {
            let after = &text[s + at + 1..e];
            if !after.is_empty() && after.bytes().all(|b| b.is_ascii_digit()) {
                // `10.0.70.10@53`: the port of Unbound, Knot and NSD.
                at_port = port(after);
                end = s + at;
            } else {
                // `rabbit@mq-01`, `deploy@bastion`: the host is after the user; in a key of
                // mailboxes, `alerts@example.com` names no server at all.
                if is_fqdn(split_port(after).0) && context::names_mailboxes(self.key) {
                    self.claim(s, e);
                    return;
                }
                // A milter's socket, `inet:8891@10.0.0.5` (OpenDKIM, OpenDMARC): port first.
                let user = &text[s..s + at];
                if let Some(p) = ["inet:", "inet6:"]
                    .iter()
                    .find_map(|t| user.strip_prefix(t))
                    .and_then(port)
                {
                    at_port = Some(p);
                }
                s += at + 1;
            }
        }
        let s = s + (text[s..end].len() - without_transport(&text[s..end]).len());
        // `zk3:2181/kafka`: a chroot or path after the address is not part of it; `10.0.0.0/8`
        // and `fe80::/10` are networks, no host at all.
        let end = match bytes[s..end].iter().position(|&b| b == b'/') {
            Some(slash) => {
                let prefix = &bytes[s + slash + 1..end];
                if (1..=3).contains(&prefix.len()) && prefix.iter().all(u8::is_ascii_digit) {
                    return;
                }
                s + slash
            }
            None => end,
        };
        // Dynomite's and Conductor's `host:port:rack[:password]`: the fields after the port
        // name no host.
        let (e, end) = match leading_host_port(&text[s..end]) {
            Some(len) => (s + len, s + len),
            None => (e, end),
        };
        let token = &text[s..end];
        if token.is_empty() || token.bytes().all(|b| b.is_ascii_digit()) {
            return;
        }
        let (host, port) = split_port(token);
        let port = port.or(at_port);
        // Under a role key (`master`, `proxy`), a bare word is a role or a label, not a host.
        let evidence = port.is_some() || host.contains('.') || parse_ip(host).is_some();
        if self.needs_evidence && !evidence {
            return;
        }
        self.claim(whole.0, whole.1);
        self.add(host, port.or(next_port), s, e);
    }
}

/// How long the `host:port` that starts `token` is, when more `:` fields follow it: a dotted
/// host (no IPv6 address has a dot before its first colon) and a port.
fn leading_host_port(token: &str) -> Option<usize> {
    let address = |h: &str| h.contains('.') && is_hostname(h) || h.parse::<Ipv4Addr>().is_ok();
    let (host, rest) = token.split_once(':')?;
    let (port_text, fields) = rest.split_once(':')?;
    // A forward's `10.0.0.5:15432:db2.example.com:5432` is two addresses: read as written.
    let forward = fields
        .split_once(':')
        .is_some_and(|(h, p)| address(h) && p.bytes().next().is_some_and(|c| c.is_ascii_digit()));
    (address(host) && !forward)
        .then(|| port(port_text))
        .flatten()
        .map(|_| host.len() + 1 + port_text.len())
}
