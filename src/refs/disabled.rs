//! A block the file switches off (`enabled=0` in a yum repository, `enabled: false` under a
//! YAML key): nothing uses what it names, so its references are listed but never block a run.

use super::context::KeyValue;
use super::{Reference, Strength};

#[derive(Default)]
pub(super) struct Disabled {
    /// For each reference found so far: its section and its line's indent.
    marks: Vec<(usize, usize)>,
    /// Sections switched off, each with the indent of its switch.
    off: Vec<(usize, usize)>,
}

impl Disabled {
    /// The references found since the last call came from a line of `section` with `indent`.
    pub(super) fn mark(&mut self, found: usize, section: usize, indent: usize) {
        self.marks.resize(found, (section, indent));
    }

    /// A `key value` line of `section`: the block's own switch (the whole key `enabled` or
    /// `disabled`, not `tls_enabled`) turns it off. At a file's top, before any header or
    /// block, a switch is one setting among others.
    pub(super) fn key(&mut self, line: &str, kv: KeyValue<'_>, section: usize) {
        // The key alone, as the line starts (Ruby's `redis['enable'] = false` switches off a
        // bundled Redis, not the block it stands in).
        let head = line.trim_start_matches([' ', '\t', '-', '"', '\'', '<']);
        if (section == 0 && kv.indent == 0)
            || !head.starts_with(kv.key)
            || kv.key.contains(['[', '.'])
        {
            return;
        }
        let value = kv
            .value
            .trim_matches(|c: char| c.is_ascii_whitespace() || matches!(c, '"' | '\'' | ',' | ';'));
        let is = |words: &[&str]| words.iter().any(|w| value.eq_ignore_ascii_case(w));
        let off = match kv.key.to_ascii_lowercase().as_str() {
            "enabled" | "enable" => is(&["false", "0", "no", "off"]),
            "disabled" | "disable" => is(&["true", "1", "yes", "on"]),
            _ => false,
        };
        if off {
            self.off.push((section, kv.indent));
        }
    }

    /// References of a block switched off, on its switch's level or deeper, become weak.
    pub(super) fn weaken(self, found: &mut [Reference]) {
        if self.off.is_empty() {
            return;
        }
        for (r, (section, indent)) in found.iter_mut().zip(self.marks) {
            if self.off.iter().any(|&(s, i)| s == section && indent >= i) {
                r.strength = Strength::Weak;
            }
        }
    }
}
