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

    /// A `key value` line of `section`: the block's own switch (the whole key `enabled`,
    /// `active` or `disabled`, not `tls_enabled`) turns it off. At a file's top, before any header or
    /// block, a switch is one setting among others.
    pub(super) fn key(&mut self, line: &str, kv: KeyValue<'_>, section: usize) {
        // Runs on every `key value` line: most keys are ruled out by their length.
        let is = |text: &str, words: &[&str]| words.iter().any(|w| text.eq_ignore_ascii_case(w));
        // The values that switch the block off.
        let off: &[&str] = match kv.key.len() {
            6 | 7 if is(kv.key, &["enable", "enabled", "active"]) => &["false", "0", "no", "off"],
            7 | 8 if is(kv.key, &["disable", "disabled"]) => &["true", "1", "yes", "on"],
            _ => return,
        };
        // The key alone, as the line starts (Ruby's `redis['enable'] = false` switches off a
        // bundled Redis, not the block it stands in).
        let head = line.trim_start_matches([' ', '\t', '-', '"', '\'', '<']);
        if (section == 0 && kv.indent == 0) || !head.starts_with(kv.key) {
            return;
        }
        let value = kv
            .value
            .trim_matches(|c: char| c.is_ascii_whitespace() || matches!(c, '"' | '\'' | ',' | ';'));
        if is(value, off) {
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
