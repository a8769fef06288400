//! Where a part of a YAML scalar's value stands in the plan file. Quotes, escapes, indentation
//! and line folding exist only in the source, so a byte range the template parser computes in
//! the value is walked back to the file by decoding the scalar again, side by side with its
//! source, before a caret may point at it.

use std::ops::Range;

/// The source bytes of `part` of `value`, the value of the scalar written at `scalar` (its whole
/// source range, quotes included, as the YAML parser reports it). `None` unless decoding the
/// source again gives `value` back and the source bytes found are exactly the part's text: the
/// caller then falls back to a coarser position rather than point at the wrong place.
pub(crate) fn source_range(
    source: &str,
    scalar: Range<usize>,
    value: &str,
    part: Range<usize>,
) -> Option<Range<usize>> {
    let text = source.get(scalar.clone())?;
    let wanted = value.get(part.clone()).filter(|p| !p.is_empty())?;
    let indent = scalar.start - source[..scalar.start].rfind('\n').map_or(0, |n| n + 1);
    let styles: &[Style] = match text.as_bytes().first() {
        Some(b'\'') => &[Style::SingleQuoted],
        Some(b'"') => &[Style::DoubleQuoted],
        // A block scalar's location is its first content line: its header is not in `text`, so
        // each remaining style is tried and only one that reproduces the value is trusted.
        _ => &[Style::Literal, Style::Folded, Style::Plain],
    };
    styles.iter().find_map(|style| {
        let decoded = style.decode(text, indent)?;
        if decoded.value.trim_end_matches('\n') != value.trim_end_matches('\n') {
            return None;
        }
        let start = *decoded.origin.get(part.start)?;
        let end = *decoded.origin.get(part.end - 1)? + 1;
        (text.get(start..end) == Some(wanted)).then(|| scalar.start + start..scalar.start + end)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// A scalar's value as decoded here, with the source offset each of its bytes came from.
#[derive(Default)]
struct Decoded {
    value: String,
    origin: Vec<usize>,
    /// Bytes written by an escape: line folding never trims them.
    kept: usize,
}

impl Decoded {
    fn push(&mut self, c: char, at: usize) {
        self.value.push(c);
        self.origin.extend((0..c.len_utf8()).map(|k| at + k));
    }

    fn trim_blanks(&mut self) {
        while self.value.len() > self.kept && self.value.ends_with([' ', '\t', '\r']) {
            self.value.pop();
            self.origin.pop();
        }
    }
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r')
}

impl Style {
    fn decode(self, text: &str, indent: usize) -> Option<Decoded> {
        match self {
            Style::Plain | Style::SingleQuoted | Style::DoubleQuoted => self.flow(text),
            Style::Literal | Style::Folded => block(text, indent, self == Style::Folded),
        }
    }

    /// Plain and quoted scalars: a line break between text becomes a space, each empty line a
    /// newline, blanks around breaks vanish; `''` and backslash escapes where the style has them.
    fn flow(self, text: &str) -> Option<Decoded> {
        let bytes = text.as_bytes();
        let (mut i, end) = match self {
            Style::Plain => (0, text.len()),
            Style::SingleQuoted => (
                1,
                text.len()
                    .checked_sub(1)
                    .filter(|&e| e >= 1 && bytes[e] == b'\'')?,
            ),
            _ => (
                1,
                text.len()
                    .checked_sub(1)
                    .filter(|&e| e >= 1 && bytes[e] == b'"')?,
            ),
        };
        let mut d = Decoded::default();
        while i < end {
            let c = text[i..].chars().next()?;
            match c {
                '\n' => {
                    d.trim_blanks();
                    let mut j = i + 1;
                    let mut empty_lines = 0;
                    loop {
                        while j < end && is_blank(bytes[j]) {
                            j += 1;
                        }
                        if j < end && bytes[j] == b'\n' {
                            empty_lines += 1;
                            j += 1;
                        } else {
                            break;
                        }
                    }
                    if empty_lines == 0 {
                        d.push(' ', i);
                    }
                    for _ in 0..empty_lines {
                        d.push('\n', i);
                    }
                    i = j;
                }
                '\'' if self == Style::SingleQuoted => {
                    if bytes.get(i + 1) != Some(&b'\'') {
                        return None;
                    }
                    d.push('\'', i);
                    i += 2;
                }
                '\\' if self == Style::DoubleQuoted => {
                    i = escape(text, i, end, &mut d)?;
                    d.kept = d.value.len();
                }
                c => {
                    d.push(c, i);
                    i += c.len_utf8();
                }
            }
        }
        Some(d)
    }
}

/// One backslash escape of a double-quoted scalar at `i`; returns where the text goes on.
fn escape(text: &str, i: usize, end: usize, d: &mut Decoded) -> Option<usize> {
    let next = text.get(i + 1..end)?.chars().next()?;
    let hex = |len: usize| -> Option<(char, usize)> {
        let digits = text.get(i + 2..i + 2 + len)?;
        let code = u32::from_str_radix(digits, 16).ok()?;
        Some((char::from_u32(code)?, 2 + len))
    };
    let (c, len) = match next {
        '\n' => {
            // An escaped line break joins the lines with nothing between them.
            let mut j = i + 2;
            while j < end && is_blank(text.as_bytes()[j]) {
                j += 1;
            }
            return Some(j);
        }
        '0' => ('\0', 2),
        'a' => ('\x07', 2),
        'b' => ('\x08', 2),
        't' | '\t' => ('\t', 2),
        'n' => ('\n', 2),
        'v' => ('\x0b', 2),
        'f' => ('\x0c', 2),
        'r' => ('\r', 2),
        'e' => ('\x1b', 2),
        ' ' | '"' | '/' | '\\' => (next, 2),
        'N' => ('\u{85}', 2),
        '_' => ('\u{a0}', 2),
        'L' => ('\u{2028}', 2),
        'P' => ('\u{2029}', 2),
        'x' => hex(2)?,
        'u' => hex(4)?,
        'U' => hex(8)?,
        _ => return None,
    };
    d.push(c, i);
    Some(i + len)
}

/// `|` and `>` scalars: `text` starts at the first content character, `indent` columns in;
/// later lines lose that indentation. Folding joins two adjacent text lines with a space, turns
/// each empty line between them into a newline, and keeps line breaks around more-indented lines.
fn block(text: &str, indent: usize, folded: bool) -> Option<Decoded> {
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let content = if at == 0 {
            Some(line)
        } else {
            let spaces = line.len() - line.trim_start_matches(' ').len();
            if spaces >= indent {
                Some(&line[indent..])
            } else if line.trim().is_empty() {
                Some("")
            } else {
                None
            }
        };
        let Some(content) = content else { break };
        lines.push((at + line.len() - content.len(), content));
        at += raw.len();
    }
    let mut d = Decoded::default();
    let mut pending_empty = 0;
    let mut previous: Option<(usize, &str)> = None;
    for &(start, content) in &lines {
        if content.is_empty() {
            pending_empty += 1;
            continue;
        }
        if let Some((prev_start, prev)) = previous {
            let break_at = prev_start + prev.len();
            let more_indented = |l: &str| l.starts_with([' ', '\t']);
            if folded && !more_indented(prev) && !more_indented(content) {
                if pending_empty == 0 {
                    d.push(' ', break_at);
                }
            } else {
                d.push('\n', break_at);
            }
            for _ in 0..pending_empty {
                d.push('\n', break_at);
            }
        } else {
            for _ in 0..pending_empty {
                d.push('\n', start);
            }
        }
        pending_empty = 0;
        for (k, c) in content.char_indices() {
            d.push(c, start + k);
        }
        previous = Some((start, content));
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The YAML parser's own view of `doc`'s `a:` value, and where `needle`'s `nth` occurrence in
    /// that value lands in the source, as (line, column) 1-based.
    fn caret(doc: &str, needle: &str, nth: usize) -> Option<(usize, usize)> {
        #[derive(serde::Deserialize)]
        struct Doc {
            a: serde_saphyr::Spanned<String>,
        }
        let parsed: Doc = serde_saphyr::from_str(doc).expect("valid YAML");
        let span = crate::plan::diagnostic::Span::of(&parsed.a.referenced, doc).expect("span");
        let value = &parsed.a.value;
        let start = value.match_indices(needle).nth(nth).expect("in value").0;
        let found = source_range(doc, span.bytes, value, start..start + needle.len())?;
        assert_eq!(&doc[found.clone()], needle);
        let line_start = doc[..found.start].rfind('\n').map_or(0, |n| n + 1);
        Some((
            doc[..found.start].matches('\n').count() + 1,
            doc[line_start..found.start].chars().count() + 1,
        ))
    }

    #[test]
    fn plain_scalars_map_straight_and_across_folded_lines() {
        assert_eq!(caret("a: run {x} {x}\n", "{x}", 1), Some((1, 12)));
        assert_eq!(caret("a: run\n  then  {x}\n", "{x}", 0), Some((2, 9)));
        assert_eq!(caret("a: é {x}\n", "{x}", 0), Some((1, 6)));
    }

    #[test]
    fn single_quoted_scalars_skip_the_quote_and_doubled_quotes() {
        assert_eq!(caret("a: 'it''s {x} {x}'\n", "{x}", 1), Some((1, 15)));
        assert_eq!(caret("a: 'one\n\n  two {x}'\n", "{x}", 0), Some((3, 7)));
    }

    #[test]
    fn double_quoted_scalars_skip_escapes() {
        let doc = "a: \"say \\\"hi\\\" \\t\\u00e9 {x} {x}\"\n";
        assert_eq!(caret(doc, "{x}", 1), Some((1, 29)));
        // An escaped line break joins two lines without a space.
        assert_eq!(caret("a: \"one\\\n   {x}\"\n", "{x}", 0), Some((2, 4)));
    }

    #[test]
    fn literal_block_lines_keep_their_own_line() {
        let doc = "a: |\n  set -e\n  cd /srv\n  run {x} {x}\nb: 1\n";
        assert_eq!(caret(doc, "{x}", 0), Some((4, 7)));
        assert_eq!(caret(doc, "{x}", 1), Some((4, 11)));
        let indented = "a: |-\n    one\n      two {x}\n";
        assert_eq!(caret(indented, "{x}", 0), Some((3, 11)));
    }

    #[test]
    fn folded_block_lines_fold_but_point_at_their_own_line() {
        let doc = "a: >\n  one\n  two\n\n  three {x}\n    deeper {x}\n";
        assert_eq!(caret(doc, "{x}", 0), Some((5, 9)));
        assert_eq!(caret(doc, "{x}", 1), Some((6, 12)));
    }

    #[test]
    fn a_value_that_does_not_decode_the_same_has_no_position() {
        let doc = "a: run {x}\n";
        assert_eq!(source_range(doc, 3..10, "run {y}", 4..7), None);
        assert_eq!(source_range(doc, 3..10, "run {x}", 4..4), None);
        assert_eq!(source_range(doc, 3..10, "run {x}", 4..7), Some(7..10));
    }
}
