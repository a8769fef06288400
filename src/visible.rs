//! Text from outside (remote output, HTTP bodies, config text, names from discovery) can hold
//! terminal escape sequences that clear the screen or forge a line: wherever comeback writes
//! such text for a person, its control characters are shown as escapes (`\x1b`), never obeyed.

use std::borrow::Cow;

/// A character a terminal or a Markdown viewer would act on instead of showing: C0 and C1
/// controls, DEL, and the invisible bidirectional and line-separator formats that reorder or
/// break what is shown. Newline and tab are layout, kept.
fn hidden(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        _ => {
            c.is_control()
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        }
    }
}

/// `text` with every hidden character written out: `\x1b`, `\r`, `\u{202e}`.
pub(crate) fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\r' => out.push_str("\\r"),
            c if hidden(c) && (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A Markdown table cell: visible, on one line, with nothing that ends the cell or escapes
/// the escape (`|`, and `\` before it).
pub(crate) fn cell(text: &str) -> String {
    visible(text)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\t'], " ")
}

/// JSON as serde_json writes it, with the hidden characters it leaves raw (DEL, C1, the
/// formats above) escaped as `\uXXXX` too; outside strings JSON is plain ASCII, so this only
/// ever rewrites string contents.
pub(crate) fn json(json: String) -> String {
    if !json.chars().any(hidden) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_shown_not_obeyed() {
        assert_eq!(
            visible("\u{1b}[2J\u{1b}[32mdone: 4 steps restarted\r\u{7}"),
            "\\x1b[2J\\x1b[32mdone: 4 steps restarted\\r\\x07"
        );
        assert_eq!(visible("a\u{9b}31m\u{202e}b"), "a\\x9b31m\\u{202e}b");
        assert!(matches!(visible("plain\n\ttext é"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_cell_cannot_be_left_or_split() {
        assert_eq!(cell("a|b\nc\\|d\u{1b}"), "a\\|b c\\\\\\|d\\\\x1b");
    }

    #[test]
    fn json_strings_leave_no_control_raw() {
        let text = serde_json::to_string(&"\u{1b}[2J \u{9b}2J \u{7f} \u{202e}").expect("json");
        let escaped = json(text);
        assert_eq!(escaped, r#""\u001b[2J \u009b2J \u007f \u202e""#);
        let back: String = serde_json::from_str(&escaped).expect("valid JSON");
        assert_eq!(back, "\u{1b}[2J \u{9b}2J \u{7f} \u{202e}");
    }
}
