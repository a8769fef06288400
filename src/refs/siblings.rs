//! A port given by a sibling key: `host = db` then `port = 3307` in the same section or block,
//! with the same key prefix (`spring.mail.host` and `spring.mail.port`, `DB_HOST` and
//! `DB_PORT`, Logstash's `host => ".."` and `port => N`). The reference gets that port.

use super::context::KeyValue;
use super::{Reference, Strength};
use rustc_hash::FxHashMap;
use std::hash::Hasher;
use std::ops::Range;

/// The words that end a host key and name the host (`DB_HOST`, `mail_smtphost`,
/// `-Dhttp.proxyHost`): what is before them is the key's prefix, which its port key shares.
pub(super) const HOST_WORDS: [&str; 6] = [
    "hostname",
    "host",
    "address",
    "addr",
    "servername",
    "server",
];

/// Host keys and port keys seen so far, each with the section it is in. Key prefixes are kept
/// as hashes of their lower-case bytes: this runs on every `key value` line, where an
/// allocation per key shows.
#[derive(Default)]
pub(super) struct Siblings {
    section: usize,
    indent: usize,
    /// Section, key prefix, and the references the host key's value gave.
    hosts: Vec<(usize, u64, Range<usize>)>,
    /// The first port of each section and key prefix.
    ports: FxHashMap<(usize, u64), u16>,
    /// Section, indent and references of a `hostname` that names a server only beside a
    /// `port` key of the same block.
    if_port: Vec<(usize, usize, Range<usize>)>,
    /// The first `port` key of each section and indent.
    bare_ports: FxHashMap<(usize, usize), u16>,
    /// Whether the last key had no value.
    opens: bool,
}

impl Siblings {
    /// Which section or block this is, counted from the file's top.
    pub(super) fn section(&self) -> usize {
        self.section
    }

    /// A `[section]` header, or a block opening or closing.
    pub(super) fn next_section(&mut self) {
        self.section += 1;
    }

    /// Every `key value` line: a key less indented than the one before starts another YAML
    /// mapping; a `*port` key is recorded.
    pub(super) fn key(&mut self, kv: KeyValue<'_>) {
        // So does a key under one with no value, which opens a mapping (Misskey's `port: 3000`
        // is its own; the `port: 5432` under `db:` is the database's).
        if kv.indent < self.indent || kv.indent > self.indent && self.opens {
            self.section += 1;
        }
        self.indent = kv.indent;
        self.opens = kv.value.trim_ascii().is_empty();
        // Envoy's `socket_address` gives `address` and `port_value`; pgpool's numbered
        // `backend_port0` is `backend_hostname0`'s.
        let (key, index) = indexed(kv.key);
        // A port key ends in `port`, `portnumber` or `port_value`: one byte rules out most
        // keys before the comparisons below.
        if !key
            .as_bytes()
            .last()
            .is_some_and(|c| matches!(c | 0x20, b't' | b'r' | b'e'))
        {
            return;
        }
        let envoy = key.len() >= 10 && key.ends_with("_value");
        // A JDBC data source's `serverName` and `portNumber`.
        let prefix = if envoy {
            prefix_of(key, "port_value", index)
        } else {
            prefix_of(key, "port", index).or_else(|| prefix_of(key, "portnumber", index))
        };
        let Some(prefix) = prefix else {
            return;
        };
        let value = kv.value.trim_start_matches(['>', ' ', '\t', '"', '\'']);
        let digits = value.bytes().take_while(u8::is_ascii_digit).count();
        let glued = value
            .as_bytes()
            .get(digits)
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b':'));
        if let Some(port) = value[..digits].parse::<u16>().ok().filter(|p| *p > 0)
            && !glued
        {
            self.ports.entry((self.section, prefix)).or_insert(port);
            if kv.key.eq_ignore_ascii_case("port") {
                self.bare_ports
                    .entry((self.section, kv.indent))
                    .or_insert(port);
            }
        }
    }

    /// The references `found[range]` came from the value of the host key `kv`. A key in camel
    /// case (Zabbix's `ListenIP`, beside `ListenPort`) is tried by its camel prefix first.
    /// Without `bare`, only a port key with a prefix of its own gives its port (`smtp_port` to
    /// `smtp`, not a file's own `port`).
    pub(super) fn hosts(&mut self, kv: KeyValue<'_>, first: usize, end: usize, bare: bool) {
        if first < end {
            self.prefixes(kv, first..end, bare);
        }
    }

    /// A key over a list of hosts, whose items' references start at `first`: its prefixes are
    /// reckoned once, each item's references added by `grow`. How many prefixes it has.
    pub(super) fn list(&mut self, kv: KeyValue<'_>, first: usize) -> usize {
        let before = self.hosts.len();
        self.prefixes(kv, first..first, true);
        self.hosts.len() - before
    }

    /// The list's items so far gave the references up to `end`: the last `count` prefixes'.
    pub(super) fn grow(&mut self, count: usize, end: usize) {
        let from = self.hosts.len().saturating_sub(count);
        for (_, _, range) in &mut self.hosts[from..] {
            range.end = end;
        }
    }

    fn prefixes(&mut self, kv: KeyValue<'_>, range: Range<usize>, bare: bool) {
        let (key, index) = indexed(kv.key);
        // Without `bare`, the empty prefix (a file's own `port`) is left out.
        let (section, skip) = (self.section, (!bare).then(|| prefix_hash("", index)));
        let push = |hosts: &mut Vec<_>, prefix: u64| {
            if Some(prefix) != skip {
                hosts.push((section, prefix, range.clone()));
            }
        };
        // Rspamd's `smtp` beside `smtp_port`, Icecast's `<master-server>` beside
        // `<master-server-port>`: the host key itself is the port's prefix.
        push(&mut self.hosts, hash_of(&[key, "_"], index));
        // Zabbix's `JavaGateway` beside `JavaGatewayPort`.
        push(&mut self.hosts, hash_of(&[key], index));
        let segment = key
            .bytes()
            .rposition(|c| matches!(c, b'.' | b'_' | b'-'))
            .map_or(0, |i| i + 1);
        // Nextcloud's `mail_smtphost` beside `mail_smtpport`: the word glued to its prefix.
        let b = key.as_bytes();
        if let Some(word) = HOST_WORDS.iter().find(|w| {
            b.len() > w.len() && b[b.len() - w.len()..].eq_ignore_ascii_case(w.as_bytes())
        }) {
            push(
                &mut self.hosts,
                prefix_hash(&key[..key.len() - word.len()], index),
            );
        }
        if let Some(camel) = camel_prefix(&key[segment..]) {
            push(
                &mut self.hosts,
                prefix_hash(&key[..segment + camel.len()], index),
            );
        }
        push(&mut self.hosts, prefix_hash(&key[..segment], index));
        // PostgreSQL's `listen_addresses` beside `port`, pgpool's `pcp_listen_addresses` beside
        // `pcp_port`: the port of what listens is named without the word.
        let head = &key[..segment];
        if let Some(cut) = ["listen", "bind"].iter().find_map(|w| {
            let cut = head.len().checked_sub(w.len() + 1)?;
            head.as_bytes()[cut..head.len() - 1]
                .eq_ignore_ascii_case(w.as_bytes())
                .then_some(cut)
        }) {
            push(&mut self.hosts, prefix_hash(&key[..cut], index));
        }
    }

    /// The references `found[first..end]`, of a key at `indent`, name a server if a `port` key
    /// beside it (same section, same indent: not a probe's `port` nested deeper) gives them its
    /// port, and are this host's own name otherwise.
    pub(super) fn server_if_port(&mut self, indent: usize, first: usize, end: usize) {
        if first < end {
            self.if_port.push((self.section, indent, first..end));
        }
    }

    /// Each host key's references without a port get the port of a sibling key; a listen
    /// address too (`http.host` and `http.port`, `listen_addr` and `listen_port`). Of a key's
    /// prefixes, the first with a port gives it. A `hostname` without a `port` beside it is
    /// left out. The bare names at `bare_names` that are still without a port are weak.
    pub(super) fn give_ports(self, found: &mut Vec<Reference>, bare_names: &[usize]) {
        let mut given: Option<Range<usize>> = None;
        for (section, prefix, range) in self.hosts {
            if given.as_ref() == Some(&range) {
                continue;
            }
            let Some(&port) = self.ports.get(&(section, prefix)) else {
                continue;
            };
            for r in &mut found[range.clone()] {
                r.port.get_or_insert(port);
            }
            given = Some(range);
        }
        for &i in bare_names {
            if found[i].port.is_none() {
                found[i].strength = Strength::Weak;
            }
        }
        let mut own = Vec::new();
        for (section, indent, range) in self.if_port {
            match self.bare_ports.get(&(section, indent)) {
                Some(&port) => {
                    for r in &mut found[range] {
                        r.port.get_or_insert(port);
                    }
                }
                None => own.extend(range),
            }
        }
        // Ascending, as they were found.
        if !own.is_empty() {
            let (mut index, mut own) = (0, own.into_iter().peekable());
            found.retain(|_| {
                index += 1;
                own.next_if_eq(&(index - 1)).is_none()
            });
        }
    }
}

/// `db_port` -> hash of `db_`, `port` -> hash of ``: the key's prefix when it ends in the
/// segment `name`.
fn prefix_of(key: &str, name: &str, index: &str) -> Option<u64> {
    let cut = key.len().checked_sub(name.len())?;
    let (prefix, last) = key.split_at_checked(cut)?;
    // `ListenPort` and `mail_smtpport` as well as `db_port`.
    last.eq_ignore_ascii_case(name)
        .then(|| prefix_hash(prefix, index))
}

/// `backend_hostname0` -> (`backend_hostname`, `0`): a numbered key and its number. A key
/// written as subscripts ends with its last one (phpMyAdmin's `$cfg['Servers'][$i]['port']`).
fn indexed(key: &str) -> (&str, &str) {
    let key = key.trim_end_matches(['\'', '"', ']']);
    let stem = key.trim_end_matches(|c: char| c.is_ascii_digit());
    (stem, &key[stem.len()..])
}

/// `ListenIP` -> `Listen`, `bindIp` -> `bind`: the part of a camel-case segment before the
/// word that names the address.
fn camel_prefix(segment: &str) -> Option<&str> {
    let word = segment
        .char_indices()
        .rev()
        .find(|&(i, c)| c.is_ascii_uppercase() && i > 0)
        .map(|(i, _)| i)?;
    // `ListenIP`'s word starts at `I`, not at its last capital.
    let prefix = segment[..word].trim_end_matches(|c: char| c.is_ascii_uppercase());
    let last = &segment[prefix.len()..];
    let names_address = ["ip", "host", "addr", "address", "hostname"]
        .iter()
        .any(|w| last.eq_ignore_ascii_case(w));
    (names_address && prefix.ends_with(|c: char| c.is_ascii_lowercase())).then_some(prefix)
}

/// A hash of the prefix's lower-case bytes and the key's number: `DB_` and `db_` are one
/// prefix, and `db-` and `db.` too (one separator is as good as another); `backend_` numbered 0
/// another than numbered 1.
fn prefix_hash(prefix: &str, index: &str) -> u64 {
    hash_of(&[prefix], index)
}

/// `prefix_hash` of the parts written one after the other.
fn hash_of(parts: &[&str], index: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    for b in parts.iter().flat_map(|part| part.bytes()) {
        hasher.write_u8(match b {
            b'-' | b'.' => b'_',
            _ => b.to_ascii_lowercase(),
        });
    }
    hasher.write_u8(0);
    hasher.write(index.as_bytes());
    hasher.finish()
}
