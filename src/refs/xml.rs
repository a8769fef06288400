//! One XML element at the start of a line, its name and its quoted attributes: the forms that
//! read settings (`<add key= value=>`), hosts (`<host name= port=>`) and listeners
//! (`<transportConnector uri=>`) written as elements read them here.

use super::context::KeyValue;
use super::tokens::ends_with_ignore_case;
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

/// Hadoop's settings, `<name>dfs.namenode.rpc-address</name>` with `<value>nn1:8020</value>`
/// on the next line (or both on one `<property>` line): the name is the key of the value that
/// follows it, as `key = value` would be.
#[derive(Default)]
pub(super) struct NamedValues<'t> {
    name: Option<&'t str>,
}

impl<'t> NamedValues<'t> {
    /// The line's setting: a `<value>` line with the key named before it; any other line as
    /// `key_value` read it.
    pub(super) fn pair(&mut self, line: &'t str, kv: Option<KeyValue<'t>>) -> Option<KeyValue<'t>> {
        let kv = kv?;
        match kv.key {
            "name" => self.named(line, kv.value_start, kv.indent).or(Some(kv)),
            "value" => match self.name.take() {
                Some(name) => Some(value_of(line, name, kv.value_start, kv.indent)),
                None => Some(kv),
            },
            "property" if kv.value.starts_with("<name>") => {
                self.named(line, kv.value_start + "<name>".len(), kv.indent)
            }
            // The element around them is no section of its own: `hive.server2.thrift.port` is
            // the port of `hive.server2.thrift.bind.host`, a property away.
            "property" if kv.value.trim_ascii().is_empty() => None,
            "description" => Some(kv),
            _ => {
                self.name = None;
                Some(kv)
            }
        }
    }

    /// A `<name>` element's text, from `start` in `line`: the key of the value that follows it,
    /// on the next line, or on this one (`<name>k</name><value>v</value>`, returned as `k = v`).
    fn named(&mut self, line: &'t str, start: usize, indent: usize) -> Option<KeyValue<'t>> {
        let text = &line[start..];
        self.name = text_of(text, "name").filter(|n| !n.contains('<'));
        let at = text.find("<value>")?;
        let name = self.name.take()?;
        Some(value_of(line, name, start + at + "<value>".len(), indent))
    }
}

/// A property element alone on its line: `<property>` or `</property>` around one of Hadoop's
/// settings, or a whole one (`<property name="portNumber" value="5433"/>`). Properties are
/// one block's settings, not blocks: the port of one is its sibling's.
pub(super) fn is_property_tag(line: &str) -> bool {
    let t = line.trim_ascii_start();
    let t = t
        .strip_prefix("</")
        .or_else(|| t.strip_prefix('<'))
        .unwrap_or_default();
    let name = &t[..t
        .bytes()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_')))
        .unwrap_or(t.len())];
    ends_with_ignore_case(name.as_bytes(), b"property")
}

/// The text of an element up to its closing tag (`dfs.x</name>` -> `dfs.x`).
fn text_of<'a>(text: &'a str, element: &str) -> Option<&'a str> {
    let end = text.find("</")?;
    (text[end + 2..].starts_with(element)).then(|| text[..end].trim())
}

/// The setting `name` whose value starts at `start` in `line` and runs to the next tag.
fn value_of<'t>(line: &'t str, name: &'t str, start: usize, indent: usize) -> KeyValue<'t> {
    let end = memchr::memchr(b'<', &line.as_bytes()[start..]).map_or(line.len(), |i| start + i);
    KeyValue {
        key: name,
        value: &line[start..end],
        value_start: start,
        directive: false,
        indent,
    }
}

/// log4net's `<remoteAddress value="10.0.0.5" />`: an element that holds one setting, its name
/// the key and its one attribute, `value`, the value.
pub(super) fn value_element(line: &str) -> Option<KeyValue<'_>> {
    let t = line.trim_ascii_end().strip_suffix("/>")?;
    let indent = t.len() - t.trim_ascii_start().len();
    let name_start = indent + 1;
    if t.as_bytes().get(indent) != Some(&b'<') {
        return None;
    }
    let name_len = t[name_start..]
        .bytes()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')))?;
    let rest = &t[name_start + name_len..];
    let attribute = rest.trim_ascii_start().strip_prefix("value=")?;
    let quote = *attribute
        .as_bytes()
        .first()
        .filter(|q| matches!(q, b'"' | b'\''))?;
    let value = &attribute[1..];
    let end = memchr::memchr(quote, value.as_bytes())?;
    if name_len == 0 || !value[end + 1..].trim_ascii().is_empty() {
        return None;
    }
    let value_start = t.len() - value.len();
    Some(KeyValue {
        key: &t[name_start..name_start + name_len],
        value: &value[..end],
        value_start,
        directive: false,
        indent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_element_holding_one_value_is_a_setting() {
        let kv = value_element("    <remoteAddress value=\"10.80.4.15\" />").expect("setting");
        assert_eq!(
            (kv.key, kv.value, kv.value_start),
            ("remoteAddress", "10.80.4.15", 26)
        );
        for not_one in [
            "<appender name=\"x\" value=\"y\" />",
            "<remotePort value=\"514\">",
            "<x value=\"a\" other=\"b\" />",
            "<日 value=\"a\" />",
            "<value=\"a\" />",
        ] {
            assert!(value_element(not_one).is_none(), "{not_one}");
        }
    }

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
