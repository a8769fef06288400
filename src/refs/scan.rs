//! The scanner proper: each line goes through the forms below, most specific first; a span of
//! the line that one form claimed is not read again by the next.

use super::context::{self, KeyKind, KeyValue};
use super::erlang_nodes::ListOpen;
use super::labels;
use super::ports;
use super::scope::{Scope, Scopes};
use super::siblings::Siblings;
use super::tokens::{
    byte_table, default_port, is_fqdn, is_hostname, names_no_host, parse_ip, port,
};
use super::{Kind, Reference, Strength};
use crate::redact;
use regex::Regex;
use rustc_hash::FxHashSet;
use std::ops::Range;
use std::sync::LazyLock;

/// What the plan adds per service: hosts to ignore, and patterns (regexes with a named group
/// `host`, optionally `port`) for forms the scanner does not know.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Host names never reported.
    pub ignore: Vec<String>,
    /// Extra forms: regexes with a named group `host` (and optionally `port`).
    pub patterns: Vec<Regex>,
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid regex")
}

static IPV6: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:%[a-z0-9]+)?"));

/// Every host the text references, in the order they appear.
pub fn scan(text: &str, options: &ScanOptions) -> Vec<Reference> {
    // Names the file itself declares (nginx `upstream backend {`, BIND `key "xfer" {`) are
    // labels, so `proxy_pass http://backend` and `key xfer` name no host.
    let labels = labels::declared(text);
    let mut found = Vec::new();
    // A list of hosts (or, `true`, of listen addresses) under a key, from this indent on.
    let mut list_under: Option<(usize, bool)> = None;
    let mut siblings = Siblings::default();
    let mut scopes = Scopes::default();
    // The indent of the last key that names no hosts, and whether it is an access rule: lines
    // indented deeper continue its value (LDIF and schema definitions folded over lines, YAML
    // lists, Postfix continuations), though under a mere section name (`zone:`) a `key: value`
    // line is read.
    let mut no_hosts_above: Option<(usize, bool)> = None;
    // A list of a cluster's members that goes on over the next lines (RabbitMQ's Erlang terms).
    let mut members_open = ListOpen::default();
    // Reused from line to line: most lines claim something, and an allocation per line shows.
    let mut claimed: Vec<bool> = Vec::new();
    for (n, line) in lines(text).enumerate() {
        if context::is_blank_or_comment(line) {
            continue;
        }
        let features = Features::of(line);
        let scope = scopes.line(line, features.brace);
        if let Some((indent, access)) = no_hosts_above {
            let line_indent = line.len() - line.trim_ascii_start().len();
            let pair = || context::key_value(line).is_some_and(|kv| !kv.directive);
            if line_indent > indent && (access || !pair()) {
                continue;
            }
            if line_indent <= indent {
                no_hosts_above = None;
            }
        }
        let header = features.bracket && is_section_header(line);
        if features.brace || header {
            siblings.next_section();
        }
        // Structure: a section header (`[[inputs.cpu]]`), a block's label alone before its
        // brace (Caddy's `shop.example.com {`), a block of clients or of this host's own names.
        if header || (features.brace && is_block_label(line)) || scope >= Scope::Own {
            continue;
        }
        claimed.clear();
        let mut l = Line {
            text: line,
            number: n + 1,
            claimed: &mut claimed,
            first_found: found.len(),
            chars: None,
            may_hold_secret: None,
            found: &mut found,
            options,
            labels: &labels,
            listen: false,
            key: "",
            needs_evidence: false,
        };
        l.templates(&features);
        l.user_patterns();
        let kv = context::key_value(line);
        // A cluster's members, in their exact forms, before any looser form reads the line.
        l.members(kv, &features, &mut members_open);
        if let Some((indent, listen)) = list_under {
            match context::list_item(line) {
                Some((item_indent, value_start))
                    if item_indent >= indent && !is_mapping(&line[value_start..]) =>
                {
                    l.listen = listen;
                    if !listen {
                        l.urls(&features);
                        l.bracketed(&features);
                    }
                    l.value_tokens(value_start, false);
                    continue;
                }
                Some(_) => {}
                None => list_under = None,
            }
        }
        let kind = kv.map_or(KeyKind::Other, |kv| kind_in(kv, scope));
        if let Some(kv) = kv {
            siblings.key(kv);
        }
        if let Some(value_start) = virtual_host(line) {
            l.listen = true;
            l.value_tokens(value_start, false);
            continue;
        }
        let first = l.found.len();
        match (kind, kv) {
            (KeyKind::NoHosts | KeyKind::Access, Some(kv)) => {
                // A block it opens (`zone "x" {`) holds keys of its own.
                if !kv.value.trim_end().ends_with('{') {
                    no_hosts_above = Some((kv.indent, kind == KeyKind::Access));
                }
                continue;
            }
            (KeyKind::Image, Some(kv)) => {
                l.image(kv.value_start);
                continue;
            }
            (KeyKind::Listen, Some(kv)) => {
                l.listen = true;
                if kv.value.trim().is_empty() && !kv.directive {
                    list_under = Some((kv.indent + 1, true));
                }
                l.value_tokens(kv.value_start, false);
                siblings.hosts(kv, first, l.found.len());
                continue;
            }
            (KeyKind::Hosts | KeyKind::HostsWithEvidence, Some(kv)) => {
                l.key = kv.key;
                l.needs_evidence = kind == KeyKind::HostsWithEvidence;
            }
            _ => {}
        }
        l.urls(&features);
        l.oracle(&features);
        l.bracketed(&features);
        l.rsyslog(&features);
        l.conninfo(&features);
        if features.paren {
            l.syslog_ng();
        }
        l.remote_paths(&features);
        l.shares(&features);
        if let (KeyKind::Other, Some(kv)) = (kind, kv)
            && features.equals
            && kv.value.contains('=')
        {
            l.env_pairs(kv.value_start);
        }
        if let (KeyKind::Hosts | KeyKind::HostsWithEvidence, Some(kv)) = (kind, kv) {
            if kv.value.trim().is_empty() && !kv.directive {
                list_under = Some((kv.indent + 1, false));
            } else if !kv.value.trim_end().ends_with('{') {
                l.value_tokens(kv.value_start, kv.directive && names_one_server(kv.key));
                siblings.hosts(kv, first, l.found.len());
            }
        }
        if features.double_colon || features.colons >= 7 {
            l.ipv6();
        }
        if features.dot_digit || features.colon_digit || features.dot_letter {
            l.words(&features);
        }
        l.port_keyword(first);
    }
    siblings.give_ports(&mut found);
    if !options.ignore.is_empty() {
        found.retain(|r: &Reference| {
            !options
                .ignore
                .iter()
                .any(|pattern| ignored(pattern, &r.host))
        });
    }
    found
}

/// What a key's value names, from the key, the form of the line and the block it stands in.
fn kind_in(kv: KeyValue<'_>, scope: Scope) -> KeyKind {
    let kind = context::classify(kv.key);
    let one_word = || {
        let value = kv.value.trim_end_matches([';', ' ', '\t']);
        !value.is_empty() && !value.contains([' ', '\t', '*', '?'])
    };
    // OpenSSH's `HostName db.example.com` names the host to reach; `hostname = web-01`
    // (and Zabbix's `Hostname=`) is this host's own name.
    if kv.directive && kv.key.eq_ignore_ascii_case("hostname") {
        return KeyKind::Hosts;
    }
    // ODBC's `Servername = 10.0.4.30` is the server; Apache's `ServerName` is its own.
    if !kv.directive && kv.key.eq_ignore_ascii_case("servername") {
        return KeyKind::Hosts;
    }
    // OpenSSH's `Host app-*` and pg_hba's `host all all 10.0.0.0/8` are patterns and
    // connection types; Fluent Bit's and msmtp's `Host 10.0.0.5` (one address) is a server.
    if kv.directive && kv.key.eq_ignore_ascii_case("host") {
        return if one_word() {
            KeyKind::HostsWithEvidence
        } else {
            KeyKind::Other
        };
    }
    // In `listeners:` or `listener "tcp" {`, an address key gives where this service listens.
    if scope == Scope::Listen
        && matches!(kind, KeyKind::Hosts | KeyKind::HostsWithEvidence)
        && context::names_an_address(kv.key)
    {
        return KeyKind::Listen;
    }
    kind
}

/// A YAML list item that is a mapping (`- url: http://x`, `- id: primary`): its keys say what
/// its values are, not the list's key.
fn is_mapping(item: &str) -> bool {
    context::key_value(item).is_some_and(|kv| !kv.directive)
}

/// A block's label alone before its brace: Caddy's `shop.example.com {`, `http://x {`.
fn is_block_label(line: &str) -> bool {
    let t = line.trim_ascii();
    t.strip_suffix('{')
        .map(str::trim_ascii_end)
        .is_some_and(|label| !label.is_empty() && !label.contains([' ', '\t', '=', '{', '"']))
}

/// Apache's `<VirtualHost 10.0.0.5:443>`: where the value starts, its addresses this host's own.
fn virtual_host(line: &str) -> Option<usize> {
    let t = line.trim_ascii_start();
    let tag = t.get(..13)?;
    tag.eq_ignore_ascii_case("<VirtualHost ")
        .then(|| line.len() - t.len() + 13)
}

/// `[section]` or TOML's `[[inputs.cpu]]` alone on its line: what follows is another block.
pub(super) fn is_section_header(line: &str) -> bool {
    let t = line.trim_ascii();
    let inner = t.trim_start_matches('[').trim_end_matches(']');
    t.starts_with('[') && t.ends_with(']') && !inner.is_empty() && !inner.contains(['[', ']'])
}

/// Directives whose value is one server and its options: HAProxy's `server NAME ADDR check`,
/// nginx's `server ADDR weight=5`, chrony's `server ntp1 iburst`, OpenVPN's `remote HOST PORT`,
/// squid's `cache_peer HOST parent 3128 3130`.
fn names_one_server(key: &str) -> bool {
    let b = key.as_bytes();
    ["server", "pool", "peer", "remote"].iter().any(|name| {
        b.len() >= name.len() && b[b.len() - name.len()..].eq_ignore_ascii_case(name.as_bytes())
    })
}

/// `str::lines` with a SIMD newline search: config lines are short, and the per-line cost shows.
fn lines(text: &str) -> impl Iterator<Item = &str> + '_ {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .chain(std::iter::once(text.len()))
        .filter_map(move |end| {
            let line = &text[start..end];
            let last = end == text.len();
            start = end + 1;
            if last && line.is_empty() {
                return None;
            }
            Some(line.strip_suffix('\r').unwrap_or(line))
        })
}

/// What one pass over a line's bytes tells about which forms can occur in it at all: most
/// lines rule out most forms, and running a form costs more than this whole pass.
pub(super) struct Features {
    /// A `.` before a digit: `10.0`.
    dot_digit: bool,
    /// A `.` before a letter: `db.example`.
    dot_letter: bool,
    /// `:5432`.
    colon_digit: bool,
    /// `::`, as in IPv6 literals.
    double_colon: bool,
    colons: usize,
    /// `:/`, as in `scheme://`.
    pub(super) scheme: bool,
    pub(super) at: bool,
    bracket: bool,
    pub(super) equals: bool,
    /// `{` or `}`: a block opens or closes.
    pub(super) brace: bool,
    /// `${`, `%{`, `{{` or `$(`: a template or a command substitution.
    pub(super) template: bool,
    /// `//` or a backslash pair: an SMB share, or a URL.
    pub(super) slashes: bool,
    /// `(`: a call, as syslog-ng writes its options.
    pub(super) paren: bool,
}

impl Features {
    /// Branch-free: what a byte starts (`LEAD`) meets what the next one completes (`FOLLOW`);
    /// the bits overlap only for the pairs that matter (`.` then a digit, `:` then `/`, ...).
    fn of(line: &str) -> Features {
        let b = line.as_bytes();
        let (mut flags, mut lead) = (0, 0);
        for &c in b {
            flags |= lead & FOLLOW[c as usize];
            lead = LEAD[c as usize];
        }
        flags |= lead & FOLLOW[0];
        let has = |flag: u16| flags & flag != 0;
        Features {
            dot_digit: has(DOT_DIGIT),
            dot_letter: has(DOT_LETTER),
            colon_digit: has(COLON_DIGIT),
            double_colon: has(DOUBLE_COLON),
            colons: if has(COLON_ANY) {
                b.iter().filter(|&&c| c == b':').count()
            } else {
                0
            },
            scheme: has(COLON_SLASH),
            at: has(AT),
            bracket: has(BRACKET),
            equals: has(EQUALS),
            brace: has(BRACE),
            template: has(TEMPLATE),
            slashes: has(SLASHES),
            paren: has(PAREN),
        }
    }
}

const DOT_DIGIT: u16 = 1;
const DOT_LETTER: u16 = 1 << 1;
const COLON_DIGIT: u16 = 1 << 2;
const DOUBLE_COLON: u16 = 1 << 3;
const COLON_SLASH: u16 = 1 << 4;
const COLON_ANY: u16 = 1 << 5;
const AT: u16 = 1 << 6;
const BRACKET: u16 = 1 << 7;
const EQUALS: u16 = 1 << 8;
const BRACE: u16 = 1 << 9;
const TEMPLATE: u16 = 1 << 10;
const SLASHES: u16 = 1 << 11;
const PAREN: u16 = 1 << 12;
/// Features of a byte alone, whatever follows it.
const ALONE: u16 = COLON_ANY | AT | BRACKET | EQUALS | BRACE | PAREN;

/// Per byte, the features it starts.
static LEAD: [u16; 256] = {
    let mut table = [0; 256];
    table[b'.' as usize] = DOT_DIGIT | DOT_LETTER;
    table[b':' as usize] = COLON_DIGIT | DOUBLE_COLON | COLON_SLASH | COLON_ANY;
    table[b'@' as usize] = AT;
    table[b'[' as usize] = BRACKET;
    table[b'=' as usize] = EQUALS;
    table[b'{' as usize] = BRACE | TEMPLATE;
    table[b'}' as usize] = BRACE;
    table[b'$' as usize] = TEMPLATE;
    table[b'%' as usize] = TEMPLATE;
    table[b'/' as usize] = SLASHES;
    table[b'\\' as usize] = SLASHES;
    table[b'(' as usize] = PAREN;
    table
};

/// Per byte, the features it completes as the next byte.
static FOLLOW: [u16; 256] = {
    let mut table = [ALONE; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_digit() {
            table[c] |= DOT_DIGIT | COLON_DIGIT;
        } else if b.is_ascii_alphabetic() {
            table[c] |= DOT_LETTER;
        }
        c += 1;
    }
    table[b':' as usize] |= DOUBLE_COLON;
    table[b'/' as usize] |= COLON_SLASH | SLASHES;
    table[b'\\' as usize] |= SLASHES;
    table[b'{' as usize] |= TEMPLATE;
    table[b'(' as usize] |= TEMPLATE;
    table
};

/// An ignore entry: an exact host, or `*.domain` / `prefix*`.
fn ignored(pattern: &str, host: &str) -> bool {
    let (p, h) = (pattern.to_ascii_lowercase(), host.to_ascii_lowercase());
    match (p.strip_prefix('*'), p.strip_suffix('*')) {
        (Some(suffix), _) => h.ends_with(suffix),
        (_, Some(prefix)) => h.starts_with(prefix),
        _ => p == h,
    }
}

/// Letters, digits, `.` and `-`: the bytes of a host name.
static WORD_BYTE: [bool; 256] = byte_table(b".-", true, false);
/// What may stand between brackets around an address: `[2001:db8::1%eth0]`, `[mx.example.com]`.
static BRACKETED_BYTE: [bool; 256] = byte_table(b".:-%", true, false);
/// rsyslog action options: `@@(o,z9)host`.
static RSYSLOG_OPTION_BYTE: [bool; 256] =
    byte_table(b"abcdefghijklmnopqrstuvwxyz0123456789,", false, false);
/// What ends a whole URL, as shown in a reference's text.
static URL_END: [bool; 256] = byte_table(b"'\";", false, true);

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
    /// Whether the line could hold a secret to mask in a reference's text; asked of the whole
    /// line once, on its first reference: most lines hold none, and masking per reference
    /// showed in profiles.
    may_hold_secret: Option<bool>,
    pub(super) found: &'a mut Vec<Reference>,
    options: &'a ScanOptions,
    /// Names the file declares as labels: never hosts.
    labels: &'a FxHashSet<String>,
    /// The line's value is where the service listens: only its addresses count, as `listen`.
    pub(super) listen: bool,
    /// The key whose value `value_tokens` reads, if it names hosts: whether it holds mailboxes
    /// is asked only when a value has an `@`.
    pub(super) key: &'a str,
    /// The line's key names a peer by its role: a bare word in its value is no host.
    pub(super) needs_evidence: bool,
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
    fn port_after(&self, at: usize) -> Option<(Option<u16>, usize)> {
        let rest = self.text.as_bytes().get(at..)?;
        if rest.first() != Some(&b':') {
            return None;
        }
        let digits = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
        (1..=5)
            .contains(&digits)
            .then(|| (port(&self.text[at + 1..at + 1 + digits]), at + 1 + digits))
    }

    fn before(&self, at: usize) -> Option<u8> {
        at.checked_sub(1).map(|i| self.text.as_bytes()[i])
    }

    fn after(&self, at: usize) -> Option<u8> {
        self.text.as_bytes().get(at).copied()
    }

    /// Records `host` (and `port`) found at `start..end` of the line, unless it names no host.
    pub(super) fn add(&mut self, host: &str, port: Option<u16>, start: usize, end: usize) {
        self.add_as(host, port, start, end, Strength::Strong);
    }

    /// Like `add`, with the strength of the evidence. On a listen line only addresses count,
    /// and never a wildcard or loopback one: those are every host's own.
    fn add_as(
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
        let names_a_host = match parse_ip(host) {
            Some(ip) => !(names_no_host(ip) || self.listen && ip.is_loopback()),
            None => !self.listen && is_hostname(host) && !self.labels.contains(host),
        };
        if !names_a_host {
            return;
        }
        // Lines name a handful of hosts; a pathological one with thousands costs a scan each,
        // bounded by the cap below.
        let this_line = &self.found[self.first_found..];
        let duplicate = this_line.len() >= LINE_REFERENCE_LIMIT
            || this_line.iter().any(|r| r.host == host && r.port == port);
        if !duplicate {
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
            let line = self.text;
            let text = &line[start..end];
            let text = if *self
                .may_hold_secret
                .get_or_insert_with(|| redact::may_hold_secret(line))
            {
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
                kind: if self.listen {
                    Kind::Listen
                } else {
                    Kind::Connect
                },
                strength,
            });
        }
    }

    fn user_patterns(&mut self) {
        for pattern in &self.options.patterns {
            for caps in pattern.captures_iter(self.text) {
                let (Some(whole), Some(host)) = (caps.get(0), caps.name("host")) else {
                    continue;
                };
                let port = caps.name("port").and_then(|p| port(p.as_str()));
                self.add(host.as_str(), port, whole.start(), whole.end());
                self.claim(whole.start(), whole.end());
            }
        }
    }

    /// `scheme://user:pass@host:port,host2/path`: every host of the authority.
    pub(super) fn urls(&mut self, features: &Features) {
        if !features.scheme {
            return;
        }
        let text = self.text;
        for (scheme_start, authority) in crate::url::authorities(text) {
            let scheme = &text[scheme_start..authority.start - 3];
            if !self.free(scheme_start, authority.end) {
                continue;
            }
            // The text shown is the whole URL up to white space or a quote, read no further
            // than it can be shown: a line of URLs without a space stays linear.
            let limit = (scheme_start + TEXT_LIMIT).clamp(authority.end, text.len());
            let mut end = text.as_bytes()[authority.end..limit]
                .iter()
                .position(|&c| URL_END[c as usize])
                .map_or(limit, |i| authority.end + i);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            self.claim(scheme_start, end.max(authority.end));
            // Apache's `balancer://shop` names a pool of `BalancerMember`s, not a host.
            if ["unix", "file", "ipc", "balancer"]
                .iter()
                .any(|s| s.eq_ignore_ascii_case(scheme))
            {
                continue;
            }
            let hosts = &text[authority.clone()];
            let hosts = hosts.rsplit_once('@').map_or(hosts, |(_, h)| h);
            for item in hosts.split(',') {
                // SQL Server's `sql-01\\REPORTS`: a named instance, whose port the server
                // chooses, unless the URL writes one.
                let instance = item.find('\\');
                let item = instance.map_or(item, |i| &item[..i]);
                let (host, explicit) = split_port(item);
                let implied = default_port(scheme).filter(|_| instance.is_none());
                let port = explicit.or(implied);
                self.add(host, port, scheme_start, end);
            }
        }
    }

    /// `[mail.example.com]:587` (Postfix) and `[2001:db8::1]:5432`.
    fn bracketed(&mut self, features: &Features) {
        if !features.bracket {
            return;
        }
        let text = self.text;
        let b = text.as_bytes();
        for open in memchr::memchr_iter(b'[', b) {
            let close = run_end(b, open + 1, &BRACKETED_BYTE);
            if close == open + 1 || b.get(close) != Some(&b']') {
                continue;
            }
            let inner = &text[open + 1..close];
            let plausible =
                parse_ip(inner).is_some() || (inner.contains('.') && is_hostname(inner));
            let (port, end) = self.port_after(close + 1).unwrap_or((None, close + 1));
            // `[plugins.cri]` alone on its line is an INI or TOML section, not an address.
            let section = end == close + 1
                && text[..open].trim_ascii().is_empty()
                && text[end..].trim_ascii().is_empty();
            if !plausible || section || !self.free(open, end) {
                continue;
            }
            self.claim(open, end);
            self.add(inner, port, open, end);
        }
    }

    /// rsyslog forwarding: `*.* @@logs.example.com:514` (TCP), `@host` (UDP), `@@(o)host`.
    fn rsyslog(&mut self, features: &Features) {
        if !features.at {
            return;
        }
        let text = self.text;
        let b = text.as_bytes();
        for at in memchr::memchr_iter(b'@', b) {
            if at == 0 || !b[at - 1].is_ascii_whitespace() || !after_selector(b, at) {
                continue;
            }
            let mut host = at + 1 + usize::from(b.get(at + 1) == Some(&b'@'));
            if b.get(host) == Some(&b'(') {
                let options_end = run_end(b, host + 1, &RSYSLOG_OPTION_BYTE);
                if b.get(options_end) != Some(&b')') {
                    continue;
                }
                host = options_end + 1;
            }
            let host_end = run_end(b, host, &WORD_BYTE);
            if host_end == host {
                continue;
            }
            let (port, end) = self.port_after(host_end).unwrap_or((None, host_end));
            if !self.free(at, end) {
                continue;
            }
            self.claim(at, end);
            self.add(&text[host..host_end], port.or(Some(514)), at, end);
        }
    }

    /// libpq conninfo: `host=db-01,db-02 port=5432,5433 user=x password=y`.
    pub(super) fn conninfo(&mut self, features: &Features) {
        if !features.equals {
            return;
        }
        let text = self.text;
        let mut hosts = conninfo_values(text, &["host", "hostaddr"]).peekable();
        if hosts.peek().is_none() {
            return;
        }
        let ports: Vec<Option<u16>> = conninfo_values(text, &["port"])
            .find_map(|(_, value)| {
                let value = &text[value];
                let digits = value
                    .bytes()
                    .take_while(|b| b.is_ascii_digit() || *b == b',')
                    .count();
                (digits > 0).then(|| value[..digits].split(',').map(port).collect())
            })
            .unwrap_or_default();
        for (start, value) in hosts {
            let end = value.end;
            let value = &text[value];
            if !self.free(start, end) || value.contains("://") {
                continue;
            }
            self.claim(start, end);
            for (i, host) in value.split(',').enumerate() {
                let (host, explicit) = split_port(host);
                let port = explicit.or_else(|| ports.get(i).or(ports.first()).copied().flatten());
                self.add(host, port, start, end);
            }
        }
    }

    fn ipv6(&mut self) {
        if !self.text.contains("::") && self.text.bytes().filter(|b| *b == b':').count() < 7 {
            return;
        }
        for m in IPV6.find_iter(self.text) {
            let (s, e) = (m.start(), m.end());
            let glued = self
                .before(s)
                .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'[')
                || self
                    .after(e)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'/');
            if glued || !self.free(s, e) || parse_ip(m.as_str()).is_none() {
                continue;
            }
            self.claim(s, e);
            self.add(m.as_str(), None, s, e);
        }
    }

    /// IPv4 literals (`10.0.0.1`, `10.0.0.1:5432`), `name:port`, and dotted names ending in a
    /// known top-level domain, from one walk over the line's words: maximal runs of letters,
    /// digits, dots and hyphens. No regex: this runs on nearly every line.
    fn words(&mut self, features: &Features) {
        let bytes = self.text.as_bytes();
        let in_word = |b: u8| WORD_BYTE[b as usize];
        let mut i = 0;
        while i < bytes.len() {
            if !in_word(bytes[i]) {
                i += 1;
                continue;
            }
            let (start, mut dots) = (i, 0);
            while i < bytes.len() && in_word(bytes[i]) {
                dots += usize::from(bytes[i] == b'.');
                i += 1;
            }
            // A sentence's full stop is not part of the word.
            let end = if bytes[i - 1] == b'.' {
                dots -= 1;
                i - 1
            } else {
                i
            };
            // Only a dotted word or one before `:port` can be an address: most words are
            // neither, and are skipped here.
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
        // Unbound's `10.0.0.53@853#name` and Exim's `host::587`.
        if let Some((p, end)) =
            ports::at_port(self.text, e).or(ports::double_colon_port(self.text, e))
            && (word.contains('.') || before == Some(b':'))
            && !matches!(before, Some(b'@' | b'/'))
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
        if features.dot_digit && word.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
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
            let rest = &self.text[e..];
            if negated || rest.starts_with(" mask ") || rest.starts_with(" netmask ") {
                return;
            }
            if word.parse::<std::net::Ipv4Addr>().is_ok() {
                self.add(word, port.and_then(|(p, _)| p), s, end);
            }
            return;
        }
        if features.colon_digit
            && let Some((p, end)) = port
        {
            // snmpd's `udp:nms.example.com:162`: after a transport, not glued to a word.
            let glued_before = matches!(before, Some(b'/' | b':' | b'_'))
                && !(before == Some(b':') && ports::after_transport(self.text, s - 1));
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
        if features.dot_letter && word.contains('.') {
            let glued_before = matches!(before, Some(b'/' | b'@' | b'_' | b'\\'));
            let glued_after = matches!(self.after(e), Some(b'/' | b'_' | b'@'));
            if !glued_before
                && !glued_after
                && is_fqdn(word)
                && !after_name_key(self.text, s)
                && !is_key(self.text, s, e)
            {
                self.claim(s, e);
                self.add(word, None, s, e);
            }
        }
    }
}

/// An rsyslog action follows a selector (`*.*`, `mail.info;auth.none`): PAM's `@include
/// common-auth` and Samba's `printer admin = @lpadmin` have none.
fn after_selector(b: &[u8], at: usize) -> bool {
    let end = b[..at]
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    let start = b[..end]
        .iter()
        .rposition(u8::is_ascii_whitespace)
        .map_or(0, |i| i + 1);
    let selector = &b[start..end];
    !selector.is_empty()
        && selector.contains(&b'.')
        && selector.iter().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, b'.' | b'*' | b';' | b',' | b'!' | b'=' | b'-')
        })
        && b[..start].iter().all(u8::is_ascii_whitespace)
}

/// Whether the word at `s..e` is the key of its line (`corp.example.com = CORP.EXAMPLE.COM` in
/// krb5's `[domain_realm]`): structure, not a host.
fn is_key(text: &str, s: usize, e: usize) -> bool {
    let rest = text[e..].trim_start_matches([' ', '\t']);
    text[..s].trim_ascii().is_empty()
        && (rest.starts_with('=')
            || rest
                .strip_prefix(':')
                .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t'])))
}

/// Whether the word at `at` is the value of a key that names no host, inside a line of several
/// pairs: Oracle's `(SERVICE_NAME = shop.example.com)`, BIND's `zone "corp.internal"`.
fn after_name_key(text: &str, at: usize) -> bool {
    let b = &text.as_bytes()[..at];
    let mut end = b.len();
    while end > 0 && matches!(b[end - 1], b' ' | b'\t' | b'"' | b'\'' | b'=' | b':' | b'>') {
        end -= 1;
    }
    let start = b[..end]
        .iter()
        .rposition(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')))
        .map_or(0, |i| i + 1);
    let key = &text[start..end];
    let ends_with = |suffix: &str| {
        key.len() >= suffix.len()
            && key.as_bytes()[key.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    !key.is_empty()
        && (ends_with("name") || ends_with("names") || context::classify(key) == KeyKind::NoHosts)
}

/// Whether a single-label `name:port` outside any host key is worth listing at all (weak): not
/// an option (`timeout:2`, `ndots:5`), a CSS property (`width:100%;`) or a schema identifier
/// (`MSADat2:104`). Host names are lower case in configs; identifiers and macros are not.
fn plausible_single_label(word: &str, port_digits: usize, after: Option<u8>) -> bool {
    port_digits >= 2
        && !word.bytes().any(|b| b.is_ascii_uppercase())
        && !matches!(after, Some(b';' | b'%' | b'.' | b'-'))
}

/// Where each of the `keys` (a whole word, any case) starts in a conninfo string, and its
/// non-empty value. Found from each `=`, which most lines have few of.
fn conninfo_values<'a>(
    text: &'a str,
    keys: &'static [&'static str],
) -> impl Iterator<Item = (usize, Range<usize>)> + 'a {
    let b = text.as_bytes();
    // Pairs do not overlap: an `=` inside a value already read starts no pair, which also
    // keeps `host=host=host=…` linear.
    let mut value_end = 0;
    memchr::memchr_iter(b'=', b)
        .filter_map(move |equals| {
            if equals < value_end {
                return None;
            }
            let key_end = b[..equals]
                .iter()
                .rposition(|c| !c.is_ascii_whitespace())
                .map_or(0, |i| i + 1);
            let key_start = keys.iter().find_map(|key| {
                let start = key_end.checked_sub(key.len())?;
                let whole_word =
                    start == 0 || !(b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'_');
                (whole_word && b[start..key_end].eq_ignore_ascii_case(key.as_bytes()))
                    .then_some(start)
            })?;
            let value = conninfo_value(text, equals);
            value_end = value.end;
            Some((key_start, value))
        })
        .filter(|(_, value)| !value.is_empty())
}

/// The value after a conninfo `=`, without its quotes.
pub(super) fn conninfo_value(text: &str, equals: usize) -> Range<usize> {
    let b = text.as_bytes();
    let mut start = equals + 1;
    while b.get(start).is_some_and(u8::is_ascii_whitespace) {
        start += 1;
    }
    // `host='db-01'`, or `host=''db-01''` inside a quoted setting (postgresql.auto.conf).
    let quoted = start;
    while start < quoted + 2 && matches!(b.get(start), Some(b'\'' | b'"')) {
        start += 1;
    }
    let len = b[start..]
        .iter()
        .position(|c| c.is_ascii_whitespace() || matches!(c, b'\'' | b'"' | b';' | b'&' | b')'))
        .unwrap_or(b.len() - start);
    start..start + len
}

/// Where the run of `class` bytes starting at `from` ends.
fn run_end(b: &[u8], from: usize, class: &[bool; 256]) -> usize {
    from + b[from..].iter().take_while(|&&c| class[c as usize]).count()
}

/// `host:port`, `[v6]:port` or a bare host; an IPv6 literal keeps its colons.
pub(super) fn split_port(item: &str) -> (&str, Option<u16>) {
    let item = item.trim_ascii();
    if let Some(rest) = item.strip_prefix('[')
        && let Some((host, after)) = rest.split_once(']')
    {
        return (host, after.strip_prefix(':').and_then(port));
    }
    let b = item.as_bytes();
    let mut colons = (0..b.len()).filter(|&i| b[i] == b':');
    let Some(colon) = colons.next() else {
        return (item, None);
    };
    if colons.next().is_none() {
        if let Some(p) = port(&item[colon + 1..]) {
            return (&item[..colon], Some(p));
        }
        // Docker's `extra_hosts` and `--add-host`: `name:10.0.5.17` maps a name to an address.
        if item[colon + 1..].parse::<std::net::Ipv4Addr>().is_ok() {
            return (&item[colon + 1..], None);
        }
        return (item, None);
    }
    // ZooKeeper's `host:2888:3888` (the first port) and exim's `host::587`; not IPv6, whose
    // first group is hex digits.
    let host = &item[..colon];
    let ports = item[colon + 1..].trim_start_matches(':');
    let first = ports.split(':').next().unwrap_or_default();
    let all_ports = ports.split(':').all(|p| port(p).is_some());
    let hex_group = host.len() <= 4 && host.bytes().all(|c| c.is_ascii_hexdigit());
    let named = is_hostname(host) || host.parse::<std::net::Ipv4Addr>().is_ok();
    if all_ports && !hex_group && named {
        return (host, port(first));
    }
    (item, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        scan(text, &ScanOptions::default())
            .into_iter()
            .map(|r| match r.port {
                Some(port) => format!("{}:{port}", r.host),
                None => r.host,
            })
            .collect()
    }

    #[test]
    fn rsyslog_actions_with_options_and_default_port() {
        assert_eq!(
            found("*.* @@(o)logs.example.com:10514"),
            ["logs.example.com:10514"]
        );
        assert_eq!(found("kern.* @(z9)10.0.0.5"), ["10.0.0.5:514"]);
        assert_eq!(found("*.* @@(bad option)logs"), Vec::<String>::new());
        assert_eq!(found("admin_email = ops@example.com"), Vec::<String>::new());
    }

    #[test]
    fn bracketed_names_and_addresses_but_not_sections() {
        assert_eq!(
            found("relayhost = [smtp.example.com]:587"),
            ["smtp.example.com:587"]
        );
        assert_eq!(found("upstream = [2001:db8::1]:5432"), ["2001:db8::1:5432"]);
        assert_eq!(found("[mysqld]"), Vec::<String>::new());
        assert_eq!(found("[cluster.settings]"), Vec::<String>::new());
        assert_eq!(found("[mx.example.com]:25"), ["mx.example.com:25"]);
    }

    #[test]
    fn redis_replication_and_sentinel_lines() {
        assert_eq!(found("slaveof 10.0.0.9 6379"), ["10.0.0.9:6379"]);
        assert_eq!(
            found("  SENTINEL known-replica m 10.0.0.2 6380"),
            ["10.0.0.2:6380"]
        );
        assert_eq!(
            found("sentinel monitor m cache-01 6379 2"),
            ["cache-01:6379"]
        );
        assert_eq!(
            found("sentinel down-after-milliseconds m 5000"),
            Vec::<String>::new()
        );
        // A primary's own file: it replicates from no one (not a host `one`).
        assert_eq!(found("replicaof no one"), Vec::<String>::new());
        assert_eq!(found("SLAVEOF NO ONE"), Vec::<String>::new());
    }

    #[test]
    fn conninfo_hosts_take_their_ports_in_order() {
        assert_eq!(
            found("primary_conninfo = 'host=a.example.com,b.example.com port=5432,5433'"),
            ["a.example.com:5432", "b.example.com:5433"]
        );
        assert_eq!(
            found("conn = \"hostaddr = 10.0.0.7 port = 6432 user=x\""),
            ["10.0.0.7:6432"]
        );
        assert_eq!(found("opts = ghost=1 host_name=x"), Vec::<String>::new());
        assert_eq!(found("dsn = \"host = db port = 5433\""), ["db:5433"]);
    }

    /// `host[:port]` with ` listen` / ` weak` where they apply.
    fn described(text: &str) -> Vec<String> {
        scan(text, &ScanOptions::default())
            .iter()
            .map(Reference::summary)
            .collect()
    }

    #[test]
    fn copy_targets_shares_and_ssh() {
        assert_eq!(
            found("0 1 * * * rsync -a /srv/ bk@backup-01:/srv/bk/"),
            ["backup-01"]
        );
        assert_eq!(found("scp x.tgz ops@10.0.0.4:dumps/"), ["10.0.0.4"]);
        assert_eq!(found("ssh -p 22 deploy@bastion 'uptime'"), ["bastion:22"]);
        assert_eq!(found("fs-01:/export /mnt nfs rw 0 0"), ["fs-01"]);
        assert_eq!(found("//fs-02/share /mnt/s cifs guest 0 0"), ["fs-02"]);
        assert_eq!(
            found(r"path = \\fs-03.corp.internal\share"),
            ["fs-03.corp.internal"]
        );
        assert_eq!(found(r"unc = \\fs-04\public"), ["fs-04"]);
        assert_eq!(found(r"unc = \\\\fs-06\\public"), ["fs-06"]);
        assert_eq!(found("media -fstype=cifs ://fs-05/media"), ["fs-05"]);
        // Search paths, sockets, e-mail addresses and drive letters are no targets.
        assert_eq!(found("LD_LIBRARY_PATH=lib:/usr/lib"), Vec::<String>::new());
        assert_eq!(found("socket = unix:/run/app.sock"), Vec::<String>::new());
        assert_eq!(found("notify = ops@example.com"), Vec::<String>::new());
        assert_eq!(found("data = C:/data"), Vec::<String>::new());
        assert_eq!(found("x = 1 // see /etc/x"), Vec::<String>::new());
    }

    #[test]
    fn keyword_values_and_numbered_keys() {
        assert_eq!(found("HostName bastion-02"), ["bastion-02"]);
        assert_eq!(found("hostname = web-01"), Vec::<String>::new());
        assert_eq!(found("Host app-*"), Vec::<String>::new());
        assert_eq!(found("ProxyJump ops@jump-01:2222"), ["jump-01:2222"]);
        assert_eq!(found("relayhost: mx-01"), ["mx-01"]);
        assert_eq!(found("krb5_server kdc-01"), ["kdc-01"]);
        assert_eq!(
            found("remote vpn-01.example.com 1194 udp"),
            ["vpn-01.example.com:1194"]
        );
        assert_eq!(found("server.2=zk-02:2888:3888;2181"), ["zk-02:3888"]);
        assert_eq!(found("server.3=10.0.1.3:2888:3888"), ["10.0.1.3:3888"]);
        assert_eq!(found("nodes.1 = rabbit@mq-01"), ["mq-01"]);
        assert_eq!(found("password server = dc-01"), ["dc-01"]);
        assert_eq!(
            found("server role = standalone server"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("character-set-server = utf8mb4"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("default-server init-addr last,libc,none"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn sibling_ports_in_the_same_section_with_the_same_prefix() {
        assert_eq!(found("[client]\nhost = db-r\nport = 3307\n"), ["db-r:3307"]);
        assert_eq!(
            found("spring.mail.host=mx-02\nspring.mail.port=2525\nserver.port=8080\n"),
            ["mx-02:2525"]
        );
        assert_eq!(
            found("syslog {\n host => \"siem\"\n port => 1514\n}"),
            ["siem:1514"]
        );
        // Another section's port, or another prefix's, is not this host's.
        assert_eq!(found("[a]\nhost = db-a\n[b]\nport = 3307\n"), ["db-a"]);
        assert_eq!(found("upstream_host = up-1\nport = 8080\n"), ["up-1"]);
        assert_eq!(found("db:\n  host: db-y\ncache:\n  port: 6379\n"), ["db-y"]);
    }

    #[test]
    fn pairs_on_one_line_with_their_port() {
        assert_eq!(
            found("Environment=DB_HOST=db-03 DB_PORT=5433 WORKERS=4"),
            ["db-03:5433"]
        );
        assert_eq!(found("env APP_SERVER=app-7:8080 ./run"), ["app-7:8080"]);
        assert_eq!(
            found("Environment=\"CACHE_HOST=c-1\" \"C_PORT=1\""),
            ["c-1"]
        );
        assert_eq!(found("opts = a=1 b=2 mode=x"), Vec::<String>::new());
    }

    #[test]
    fn listen_addresses_are_their_own_kind_and_never_wildcards_or_loopback() {
        assert_eq!(described("bind-address = 10.0.0.5"), ["10.0.0.5 listen"]);
        assert_eq!(described("listen 10.0.0.5:80 ssl;"), ["10.0.0.5:80 listen"]);
        assert_eq!(described("ListenAddress 10.0.0.6"), ["10.0.0.6 listen"]);
        assert_eq!(described("network.host: 10.0.0.7"), ["10.0.0.7 listen"]);
        assert_eq!(
            described("listen_addresses = 'localhost,10.0.0.8'"),
            ["10.0.0.8 listen"]
        );
        for wildcard in [
            "bind 127.0.0.1 ::1",
            "bind-address = 0.0.0.0",
            "listen [::]:80",
            "listen = *:8080",
            "ListenAddress ::",
            "listen 80;",
        ] {
            assert_eq!(described(wildcard), Vec::<String>::new(), "{wildcard}");
        }
    }

    #[test]
    fn single_labels_are_strong_only_in_host_keys_or_known_forms() {
        assert_eq!(described("seeds = es-01"), ["es-01"]);
        assert_eq!(described("targets = app-01:9100"), ["app-01:9100"]);
        assert_eq!(described("run = app-01:9100"), ["app-01:9100 weak"]);
        assert_eq!(
            described("run = 10.0.0.1:9100 db.example.com:5432"),
            ["10.0.0.1:9100", "db.example.com:5432"]
        );
        // Options, CSS, schema identifiers and ratios are not even weak references.
        for not_hosts in [
            "options timeout:2 attempts:3 ndots:5",
            "opts = rw,timeo:30,soft",
            "body { width:100%; z-index:10; }",
            "( MSADat2:104 NAME 'x' )",
            "ratio 16:9 at 12:30:45",
            "version: 2.14.1-rc2",
        ] {
            assert_eq!(described(not_hosts), Vec::<String>::new(), "{not_hosts}");
        }
    }

    #[test]
    fn contexts_that_rule_words_out() {
        for text in [
            "@include common-auth",
            "printer admin = @lpadmin",
            "hosts = ${if exists{CONFDIR/hubbed}{a}{b}}",
            "upstream = {{ db_host }}",
            "upstream = %{host}",
            "old_servers=$(awk '/^server / {print $2}' f)",
            "relay_hosts = 127.0.0.0/8 : 10.0.0.0/8 : fe80::/10",
            "olcAttributeTypes: ( 2.5.4.2 NAME 'knowledgeInformation'",
            "attributetype ( 2.5.6.9 NAME 'groupOfNames'",
            "zone \"10.in-addr.arpa\" { type master; };",
            "search corp.internal",
            "(SERVICE_NAME = shop.corp.internal)",
            "[domain/LDAP]",
        ] {
            assert_eq!(found(text), Vec::<String>::new(), "{text}");
        }
        // An LDIF definition folded over lines stays a definition.
        assert_eq!(
            found(
                "olcAttributeTypes: ( 1.3.6.1.4.1.1466.115.1\n 21.1.5 NAME 'x' DESC 'any\n URI can be used' )\n"
            ),
            Vec::<String>::new()
        );
        // rsyslog still forwards.
        assert_eq!(found("*.* @@logs-01:514"), ["logs-01:514"]);
    }

    #[test]
    fn lines_split_like_str_lines() {
        for text in ["", "a", "a\n", "a\r\nb", "a\n\nb\n", "\n", "a\rb\n"] {
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>()
            );
        }
    }
}
