//! Template and command-substitution spans (`${...}`, `{{ }}`, `%{...}`, `$(...)`, `<% %>`): claimed
//! first, since no word inside is a host until the template is expanded.

use crate::refs::features::Features;
use crate::refs::line::Line;

impl Line<'_> {
    /// Claims template and command-substitution spans: `${if exists{CONFDIR/x}}`, `{{ host }}`,
    /// `%{host}`, `$(awk '{print $2}' f)`. What is inside is not known until it is expanded.
    pub(in crate::refs) fn templates(&mut self, features: &Features) {
        if !features.template() {
            return;
        }
        let b = self.text.as_bytes();
        let mut i = 0;
        while i + 1 < b.len() {
            let (open, close) = match (b[i], b[i + 1]) {
                (b'$' | b'%' | b'{', b'{') => (b'{', b'}'),
                (b'$', b'(') => (b'(', b')'),
                (b'<', b'%') => {
                    // ERB's and EJS's `<%= ENV.fetch("X") %>`: code up to `%>`.
                    let end =
                        memchr::memmem::find(&b[i + 2..], b"%>").map_or(b.len(), |j| i + j + 4);
                    self.claim(i, end);
                    i = end;
                    continue;
                }
                _ => {
                    i += 1;
                    continue;
                }
            };
            let mut depth = 0usize;
            let mut j = i + 1;
            while j < b.len() {
                if b[j] == open {
                    depth += 1;
                } else if b[j] == close {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                j += 1;
            }
            let end = (j + 1).min(b.len());
            self.claim(i, end);
            i = end;
        }
    }
}
