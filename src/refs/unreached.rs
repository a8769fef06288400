//! References this service does not reach: those of a block the file switches off
//! (`enabled=0` in a yum repository, `enabled: false` under a YAML key), which nothing uses,
//! and the names it tells its clients (Kafka's `advertised.listeners`), which must resolve for
//! them. They are listed, weak, and never block a run.

use super::context::KeyValue;
use super::{Kind, Reference, Strength};

#[derive(Default)]
pub(super) struct Unreached {
    /// For each reference found so far: its section and its line's indent.
    marks: Vec<(usize, usize)>,
    /// Sections switched off, each with the indent of its switch.
    off: Vec<(usize, usize)>,
    /// Whether an INI or TOML section header has opened a section.
    headers: bool,
    /// The least indent of a key so far: the file's top level, or a JSON root object's.
    outermost: Option<usize>,
    /// Lines (1-based, ascending) of a name told to clients.
    told: Vec<usize>,
}

impl Unreached {
    /// The references found since the last call came from a line of `section` with `indent`.
    pub(super) fn mark(&mut self, found: usize, section: usize, indent: usize) {
        self.marks.resize(found, (section, indent));
    }

    /// A `key value` line of `section`: the block's own switch (the whole key `enabled`,
    /// `active` or `disabled`, not `tls_enabled`) turns it off.
    pub(super) fn key(&mut self, line: &str, kv: KeyValue<'_>, section: usize) {
        let outermost = *self.outermost.get_or_insert(kv.indent);
        self.outermost = Some(outermost.min(kv.indent));
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
        // A switch among a file's top-level settings is one setting among others: only in a
        // section a header opened, or a block inside the top level, does it switch a block off.
        let in_block = self.headers && section > 0 || kv.indent > outermost;
        if !in_block || !head.starts_with(kv.key) {
            return;
        }
        let value = kv
            .value
            .trim_matches(|c: char| c.is_ascii_whitespace() || matches!(c, '"' | '\'' | ',' | ';'));
        if is(value, off) {
            self.off.push((section, kv.indent));
        }
    }

    /// An INI or TOML section header.
    pub(super) fn header(&mut self) {
        self.headers = true;
    }

    /// Line `number` gives a name this service tells its clients (`advertised.listeners`).
    pub(super) fn told(&mut self, number: usize) {
        self.told.push(number);
    }

    /// References of a block switched off, on its switch's level or deeper, and the names told
    /// to clients, become weak.
    pub(super) fn weaken(self, found: &mut [Reference]) {
        if self.off.is_empty() && self.told.is_empty() {
            return;
        }
        for (r, (section, indent)) in found.iter_mut().zip(self.marks) {
            let off = self.off.iter().any(|&(s, i)| s == section && indent >= i);
            let told = r.kind == Kind::Connect && self.told.binary_search(&r.line).is_ok();
            if off || told {
                r.strength = Strength::Weak;
            }
        }
    }
}
