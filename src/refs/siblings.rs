//! A port given by a sibling key: `host = db` then `port = 3307` in the same section or block,
//! with the same key prefix (`spring.mail.host` and `spring.mail.port`, `DB_HOST` and
//! `DB_PORT`, Logstash's `host => ".."` and `port => N`). The reference gets that port.

use super::Reference;
use super::context::KeyValue;
use rustc_hash::FxHashMap;
use std::hash::Hasher;
use std::ops::Range;

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
}

impl Siblings {
    /// A `[section]` header, or a block opening or closing.
    pub(super) fn next_section(&mut self) {
        self.section += 1;
    }

    /// Every `key value` line: a key less indented than the one before starts another YAML
    /// mapping; a `*port` key is recorded.
    pub(super) fn key(&mut self, kv: KeyValue<'_>) {
        if kv.indent < self.indent {
            self.section += 1;
        }
        self.indent = kv.indent;
        // Envoy's `socket_address` gives `address` and `port_value`.
        let envoy = kv.key.len() >= 10 && kv.key.ends_with("_value");
        let prefix = if envoy {
            prefix_of(kv.key, "port_value")
        } else {
            prefix_of(kv.key, "port")
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
        }
    }

    /// The references `found[range]` came from the value of the host key `kv`. A key in camel
    /// case (Zabbix's `ListenIP`, beside `ListenPort`) is tried by its camel prefix first.
    pub(super) fn hosts(&mut self, kv: KeyValue<'_>, first: usize, end: usize) {
        let key = kv.key.as_bytes();
        let segment = key
            .iter()
            .rposition(|c| matches!(c, b'.' | b'_' | b'-'))
            .map_or(0, |i| i + 1);
        if first < end {
            if let Some(camel) = camel_prefix(&kv.key[segment..]) {
                let prefix = prefix_hash(&kv.key[..segment + camel.len()]);
                self.hosts.push((self.section, prefix, first..end));
            }
            self.hosts
                .push((self.section, prefix_hash(&kv.key[..segment]), first..end));
        }
    }

    /// Each host key's references without a port get the port of a sibling key; a listen
    /// address too (`http.host` and `http.port`, `listen_addr` and `listen_port`). Of a key's
    /// prefixes, the first with a port gives it.
    pub(super) fn give_ports(self, found: &mut [Reference]) {
        if self.ports.is_empty() {
            return;
        }
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
    }
}

/// `db_port` -> hash of `db_`, `port` -> hash of ``: the key's prefix when it ends in the
/// segment `name`.
fn prefix_of(key: &str, name: &str) -> Option<u64> {
    let cut = key.len().checked_sub(name.len())?;
    let (prefix, last) = key.split_at_checked(cut)?;
    let whole_segment = prefix.is_empty() || prefix.ends_with(['.', '_', '-']);
    // `ListenPort`: a camel-case segment of its own.
    let camel = prefix.ends_with(|c: char| c.is_ascii_lowercase())
        && last.starts_with(|c: char| c.is_ascii_uppercase());
    ((whole_segment || camel) && last.eq_ignore_ascii_case(name)).then(|| prefix_hash(prefix))
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

/// A hash of the prefix's lower-case bytes: `DB_` and `db_` are one prefix.
fn prefix_hash(prefix: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    for b in prefix.bytes() {
        hasher.write_u8(b.to_ascii_lowercase());
    }
    hasher.finish()
}
