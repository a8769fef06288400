//! Redis replication and Sentinel lines: `replicaof HOST PORT` and `sentinel monitor NAME HOST
//! PORT QUORUM` (and `known-replica`, `known-sentinel`), which name the other members of a
//! replicated Redis.

use crate::refs::line::Line;
use crate::refs::tokens::port;

/// Where `part`, a slice of `text`, starts in it.
fn offset_in(text: &str, part: &str) -> usize {
    part.as_ptr() as usize - text.as_ptr() as usize
}

impl Line<'_> {
    /// Redis `replicaof HOST PORT` and Sentinel `sentinel monitor NAME HOST PORT QUORUM`.
    pub(in crate::refs) fn redis(&mut self) {
        let text = self.text;
        // The first byte rules out nearly every line before a word iterator is built.
        let first_byte = text.trim_ascii_start().bytes().next().unwrap_or(0) | 0x20;
        if first_byte != b'r' && first_byte != b's' {
            return;
        }
        let mut words = text.split_ascii_whitespace();
        let is = |word: Option<&str>, names: &[&str]| {
            word.is_some_and(|w| names.iter().any(|n| w.eq_ignore_ascii_case(n)))
        };
        let first = words.next();
        if is(first, &["sentinel"]) {
            let second = words.next();
            let subcommands = ["monitor", "known-replica", "known-slave", "known-sentinel"];
            if !is(second, &subcommands) || words.next().is_none() {
                return;
            }
        } else if !is(first, &["replicaof", "slaveof"]) {
            return;
        }
        let (Some(host), Some(port_word)) = (words.next(), words.next()) else {
            return;
        };
        // `replicaof no one`: this one is the primary, and names no one.
        if host.eq_ignore_ascii_case("no") && port_word.eq_ignore_ascii_case("one") {
            self.claim(0, text.len());
            return;
        }
        let digits = port_word.bytes().take_while(u8::is_ascii_digit).count();
        let glued = port_word
            .as_bytes()
            .get(digits)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
        if !(1..=5).contains(&digits) || glued {
            return;
        }
        let start = offset_in(text, host);
        let end = offset_in(text, port_word) + digits;
        if self.free(start, end) {
            self.claim(start, end);
            self.add(host, port(&port_word[..digits]), start, end);
        }
    }
}
