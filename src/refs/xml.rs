//! One XML element at the start of a line, its name and its quoted attributes: the forms that
//! read settings (`<add key= value=>`), hosts (`<host name= port=>`) and listeners
//! (`<transportConnector uri=>`) written as elements read them here.

use std::ops::Range;

/// `<name attributes>` or `<name attributes/>`, with byte offsets into its line.
pub(super) struct Element<'a> {
    line: &'a str,
    pub(super) name: &'a str,
    /// From the blank after the name to the `>` (the `/` of `/>` included).
    attributes: Range<usize>,
}

/// The element the line starts with, after its indent.
pub(super) fn element(line: &str) -> Option<Element<'_>> {
    let b = line.as_bytes();
    let start = line.len() - line.trim_ascii_start().len() + 1;
    if b.get(start - 1) != Some(&b'<') || !b.get(start).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let end = start
        + b[start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':'))
            .count();
    let close = end + memchr::memchr(b'>', &b[end..])?;
    Some(Element {
        line,
        name: &line[start..end],
        attributes: end..close,
    })
}

impl Element<'_> {
    /// Whether it closes itself (`<add … />`), with no text after it.
    pub(super) fn self_closing(&self) -> bool {
        self.attributes.end > self.attributes.start
            && self.line.as_bytes()[self.attributes.end - 1] == b'/'
    }

    /// Where its text starts: right after its `>`.
    pub(super) fn text_start(&self) -> usize {
        self.attributes.end + 1
    }

    /// The quoted value of the attribute `name` (`value` of `value="db"`): where it is in the
    /// line.
    pub(super) fn attribute(&self, name: &str) -> Option<Range<usize>> {
        let b = self.line.as_bytes();
        let text = &self.line[self.attributes.clone()];
        let mut from = 0;
        while let Some(at) = text[from..].find(name) {
            let before = self.attributes.start + from + at;
            let after = before + name.len();
            from += at + name.len();
            let starts = b[before - 1].is_ascii_whitespace();
            if starts
                && b.get(after) == Some(&b'=')
                && matches!(b.get(after + 1), Some(b'"' | b'\''))
            {
                let quote = b[after + 1];
                let len = memchr::memchr(quote, &b[after + 2..])?;
                return Some(after + 2..after + 2 + len);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_attributes_and_text() {
        let line = "  <add key=\"host\" value='db-01' type=\"x\"/>";
        let e = element(line).expect("element");
        assert_eq!(e.name, "add");
        assert!(e.self_closing());
        assert_eq!(e.attribute("value").map(|r| &line[r]), Some("db-01"));
        assert_eq!(e.attribute("key").map(|r| &line[r]), Some("host"));
        assert_eq!(e.attribute("ey"), None);
        let line = "<property name=\"url\">jdbc:x</property>";
        let e = element(line).expect("element");
        assert!(!e.self_closing());
        assert_eq!(&line[e.text_start()..], "jdbc:x</property>");
        assert!(element("text <a>").is_none());
        assert!(element("<").is_none());
        assert!(element("<a b=\"é").is_none());
    }
}
