//! rsyslog forwarding actions after a selector: `*.* @@logs.example.com:514` (TCP), `@host`
//! (UDP, port 514), `@@(o,z9)host` with options. An `@` elsewhere (PAM's `@include`, Samba's
//! `@group`) is no action.

use crate::refs::features::Features;
use crate::refs::line::Line;
use crate::refs::tokens::{HOST_BYTE, byte_table, run_forward};

/// rsyslog action options: `@@(o,z9)host`.
static RSYSLOG_OPTION_BYTE: [bool; 256] =
    byte_table(b"abcdefghijklmnopqrstuvwxyz0123456789,", false, false);

impl Line<'_> {
    /// rsyslog forwarding: `*.* @@logs.example.com:514` (TCP), `@host` (UDP), `@@(o)host`.
    pub(in crate::refs) fn rsyslog(&mut self, features: &Features) {
        if !features.at() {
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
                let options_end = run_forward(b, host + 1, &RSYSLOG_OPTION_BYTE);
                if b.get(options_end) != Some(&b')') {
                    continue;
                }
                host = options_end + 1;
            }
            let host_end = run_forward(b, host, &HOST_BYTE);
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
