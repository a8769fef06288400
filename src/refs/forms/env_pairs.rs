//! Several `KEY=VALUE` pairs on one line (systemd's `Environment=DB_HOST=db-03 DB_PORT=5433`,
//! `env APP_SERVER=app-7:8080 ./run`): a host key among them names hosts, and the `*_PORT` pair
//! of the same prefix gives their port.

use crate::refs::context::{self, KeyKind};
use crate::refs::forms::conninfo::conninfo_value;
use crate::refs::forms::remote_paths::TARGET_START;
use crate::refs::line::Line;
use crate::refs::tokens::{byte_table, port, run_back, split_port};

/// The bytes of an environment variable or property name.
static ENV_KEY_BYTE: [bool; 256] = byte_table(b"_.-", true, false);

/// The `KEY=VALUE` pairs of a value from `from` on: the key's range and the value's.
fn pairs(
    text: &str,
    from: usize,
) -> impl Iterator<Item = (usize, usize, std::ops::Range<usize>)> + '_ {
    let b = text.as_bytes();
    memchr::memchr_iter(b'=', &b[from..]).filter_map(move |at| {
        let equals = from + at;
        let start = run_back(b, equals, &ENV_KEY_BYTE);
        let boundary = start == from || start == 0 || TARGET_START[b[start - 1] as usize];
        (start < equals && boundary).then(|| (start, equals, conninfo_value(text, equals)))
    })
}

/// How many `KEY=VALUE` pairs of one line are read.
const PAIR_LIMIT: usize = 64;

/// Whether `key` is `prefix` + `port` in any case: `DB_PORT` for `DB_`.
fn is_port_of(key: &str, prefix: &str) -> bool {
    key.len() == prefix.len() + 4
        && key[..prefix.len()].eq_ignore_ascii_case(prefix)
        && key[prefix.len()..].eq_ignore_ascii_case("port")
}

impl Line<'_> {
    /// Several `KEY=VALUE` pairs on one line (systemd `Environment=`, `env A=1 B=2`): a host
    /// key among them names hosts, and a `*_PORT` pair with its prefix gives their port.
    pub(in crate::refs) fn env_pairs(&mut self, from: usize) {
        let text = self.text;
        // A line of more pairs is data: the first ones are read, which keeps the pairing linear.
        let all: Vec<_> = pairs(text, from).take(PAIR_LIMIT).collect();
        for (start, equals, value) in all.iter().cloned() {
            let key = &text[start..equals];
            if context::classify(key) != KeyKind::Hosts
                || value.is_empty()
                || !self.free(start, value.end)
                || text[value.clone()].contains("://")
            {
                continue;
            }
            let prefix_len = key
                .bytes()
                .rposition(|c| matches!(c, b'_' | b'.' | b'-'))
                .map_or(0, |i| i + 1);
            let prefix = &key[..prefix_len];
            let sibling = all
                .iter()
                .find(|(s, e, _)| is_port_of(&text[*s..*e], prefix))
                .and_then(|(_, _, v)| port(&text[v.clone()]));
            self.claim(start, value.end);
            for item in text[value.clone()].split(',') {
                let (host, explicit) = split_port(item);
                self.add(host, explicit.or(sibling), start, value.end);
            }
        }
    }
}
