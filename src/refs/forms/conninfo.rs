//! libpq conninfo strings, `host=db-01,db-02 port=5432,5433 user=x`: the hosts in order, each
//! with its port from the `port` list. `conninfo_value` also reads the values of `KEY=VALUE`
//! pairs elsewhere.

use crate::refs::features::Features;
use crate::refs::line::Line;
use crate::refs::tokens::{port, split_port};
use std::ops::Range;

impl Line<'_> {
    /// libpq conninfo: `host=db-01,db-02 port=5432,5433 user=x password=y`.
    pub(in crate::refs) fn conninfo(&mut self, features: &Features) {
        // Its keys, `host` and `hostaddr`, hold `os`.
        if !features.equals() || !features.os() {
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
pub(in crate::refs) fn conninfo_value(text: &str, equals: usize) -> Range<usize> {
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
