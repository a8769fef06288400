//! The plan's own forms: `refs.patterns`, regexes with a named group `host` (and optionally
//! `port`) for what the scanner does not know. They read the line first, so what they claim is
//! theirs.

use crate::refs::line::Line;
use crate::refs::tokens::port;

impl Line<'_> {
    pub(in crate::refs) fn user_patterns(&mut self) {
        for pattern in &self.options.patterns {
            for caps in pattern.captures_iter(self.text) {
                let (Some(whole), Some(host)) = (caps.get(0), caps.name("host")) else {
                    continue;
                };
                let port = caps.name("port").and_then(|p| port(p.as_str()));
                self.add(host.as_str(), port, whole.start(), whole.end());
                self.claim(whole.start(), whole.end());
            }
        }
    }
}
