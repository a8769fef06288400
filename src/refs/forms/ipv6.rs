//! IPv6 literals written bare (`fd00::11`, `2001:db8:0:0:1:0:0:1`), not glued to a word, a
//! path or a network prefix. Only lines with `::` or seven colons are read.

use crate::refs::line::Line;
use crate::refs::tokens::parse_ip;
use regex::Regex;
use std::sync::LazyLock;

static IPV6: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:%[a-z0-9]+)?").expect("valid regex")
});

impl Line<'_> {
    pub(in crate::refs) fn ipv6(&mut self) {
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
            if glued
                || !self.free(s, e)
                || parse_ip(m.as_str()).is_none()
                || is_fingerprint(m.as_str())
            {
                continue;
            }
            self.claim(s, e);
            self.add(m.as_str(), None, s, e);
        }
    }
}

/// Eight groups of two hex digits (`4f:2b:9c:7d:11:e0:5a:88`): a key's fingerprint or a
/// hardware address, which an address is written as only by chance.
fn is_fingerprint(text: &str) -> bool {
    text.split(':').count() == 8 && text.split(':').all(|group| group.len() == 2)
}
