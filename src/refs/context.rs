//! Where a line says what its words are: `key = value` and `key: value` pairs, directives
//! (`server ntp1 iburst`), and YAML lists under a key. A key like `seeds` or `REDIS_HOST`
//! makes bare names in its value hosts; a key like `bind` or `server_name` makes none of them.

use super::tokens::byte_table;
use rustc_hash::FxHashSet;
use std::sync::LazyLock;

/// Letters, digits, `_`, `.` and `-`: the bytes of a key.
static KEY_BYTE: [bool; 256] = byte_table(b"_.-", true, false);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// Its value names hosts, even bare single words.
    Hosts,
    /// Its value is this host's own name or a bind address: nothing in it is a reference.
    Own,
    Other,
}

/// Runs on every line with a key: the key is lowered into a stack buffer and looked up in
/// sets with a fast hash, not compared against each word of the lists.
pub fn classify(key: &str) -> KeyKind {
    let mut buf = [0u8; 64];
    let Some(lower) = buf.get_mut(..key.len()) else {
        return KeyKind::Other;
    };
    lower.copy_from_slice(key.as_bytes());
    lower.make_ascii_lowercase();
    if OWN_KEYS.contains(&*lower) {
        return KeyKind::Own;
    }
    let last = lower
        .rsplit(|b| matches!(b, b'.' | b'_' | b'-'))
        .next()
        .unwrap_or(lower);
    if HOST_KEYS.contains(last) {
        KeyKind::Hosts
    } else {
        KeyKind::Other
    }
}

/// Last segments of keys whose values name other hosts.
static HOST_KEYS: LazyLock<FxHashSet<&[u8]>> = LazyLock::new(|| {
    [
        "host",
        "hosts",
        "hostaddr",
        "server",
        "servers",
        "address",
        "addresses",
        "addr",
        "seeds",
        "seed",
        "relayhost",
        "upstream",
        "upstreams",
        "master",
        "primary",
        "replicaof",
        "slaveof",
        "brokers",
        "broker",
        "endpoint",
        "endpoints",
        "target",
        "targets",
        "peer",
        "peers",
        "connect",
        "url",
        "urls",
        "uri",
        "dsn",
        "zookeeper",
        "gateway",
        "proxy",
        "nameserver",
        "nameservers",
        "smarthost",
        "mailhu",
        "pool",
        "remote",
    ]
    .into_iter()
    .map(str::as_bytes)
    .collect()
});

/// Whole keys that name this host itself, or where it listens.
static OWN_KEYS: LazyLock<FxHashSet<&[u8]>> = LazyLock::new(|| {
    [
        "bind",
        "bind-address",
        "bind_address",
        "bindaddress",
        "listen",
        "listen_addresses",
        "listen-address",
        "listen_address",
        "listeners",
        "network.host",
        "http.host",
        "transport.host",
        "server_name",
        "servername",
        "hostname",
        "myhostname",
        "mydomain",
        "myorigin",
        "mydestination",
        "node.name",
        "cluster.name",
        "cluster.initial_master_nodes",
        "initial_master_nodes",
        "mynetworks",
        "inet_interfaces",
        "allow",
        "deny",
        "ignoreip",
        "wsrep_node_name",
        "wsrep_cluster_name",
        "advertise",
        "interface",
        "interfaces",
    ]
    .into_iter()
    .map(str::as_bytes)
    .collect()
});

/// A line split at its key: `value_start` is the byte offset of the value in the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyValue<'a> {
    pub key: &'a str,
    pub value: &'a str,
    pub value_start: usize,
    /// `key value` with no `=` or `:` (nginx, chrony, redis, postfix master.cf).
    pub directive: bool,
    /// Indentation of the key, for YAML lists under it.
    pub indent: usize,
}

/// `key = value`, `key: value`, `"key": value`, `- key: value` or `key value`. Hand-written:
/// it runs on every line, where a regex with captures costs more than the rest of the scan.
pub fn key_value(line: &str) -> Option<KeyValue<'_>> {
    let b = line.as_bytes();
    let skip_space = |mut i: usize| {
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        i
    };
    let indent = skip_space(0);
    let mut i = indent;
    if b.get(i) == Some(&b'-') && matches!(b.get(i + 1), Some(b' ' | b'\t')) {
        i = skip_space(i + 1);
    }
    let quote = matches!(b.get(i), Some(b'"' | b'\'')).then(|| b[i]);
    if quote.is_some() {
        i += 1;
    }
    let start = i;
    if !b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    {
        return None;
    }
    while i < b.len() && KEY_BYTE[b[i] as usize] {
        i += 1;
    }
    let key = &line[start..i];
    if let Some(q) = quote
        && b.get(i) == Some(&q)
    {
        i += 1;
    }
    let after_key = skip_space(i);
    let (value_start, directive) = match b.get(after_key) {
        Some(b'=') => (skip_space(after_key + 1), false),
        Some(b':') if matches!(b.get(after_key + 1), None | Some(b' ' | b'\t')) => {
            (skip_space(after_key + 1), false)
        }
        _ if after_key > i && after_key < b.len() => (after_key, true),
        _ => return None,
    };
    Some(KeyValue {
        key,
        value: &line[value_start..],
        value_start,
        directive,
        indent,
    })
}

pub fn list_item(line: &str) -> Option<(usize, usize)> {
    let indent = line.len() - line.trim_start().len();
    let rest = line[indent..].strip_prefix('-')?;
    let value = rest.trim_start();
    (rest.len() != value.len() || value.is_empty()).then_some((indent, line.len() - value.len()))
}

/// A line with nothing to read: blank, or a comment in one of the usual syntaxes.
pub fn is_blank_or_comment(line: &str) -> bool {
    let b = line.as_bytes();
    let Some(first) = b.iter().position(|c| !c.is_ascii_whitespace()) else {
        return true;
    };
    let t = &b[first..];
    matches!(t[0], b'#' | b';') || t.starts_with(b"//") || t.starts_with(b"<!--")
}
