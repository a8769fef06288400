//! Addresses between brackets: Postfix's `[mail.example.com]:587` and `[2001:db8::1]:5432`,
//! which are neither URLs nor bare words, and never an INI section alone on its line.

use crate::refs::features::Features;
use crate::refs::line::Line;
use crate::refs::tokens::{byte_table, is_hostname, parse_ip, run_forward};

/// What may stand between brackets around an address: `[2001:db8::1%eth0]`, `[mx.example.com]`.
static BRACKETED_BYTE: [bool; 256] = byte_table(b".:-%", true, false);

impl Line<'_> {
    /// `[mail.example.com]:587` (Postfix) and `[2001:db8::1]:5432`.
    pub(in crate::refs) fn bracketed(&mut self, features: &Features) {
        if !features.bracket() {
            return;
        }
        let text = self.text;
        let b = text.as_bytes();
        for open in memchr::memchr_iter(b'[', b) {
            let close = run_forward(b, open + 1, &BRACKETED_BYTE);
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
}
