//! How a value must be written where its placeholder stands in a shell command. One quoting
//! does not fit all: `'...'` around a value inside `"..."` is two literal quote characters, and
//! `$(...)` in the value runs. A small lexer over the command's own text tells, for each
//! placeholder, whether it stands bare, inside `'...'` or inside `"..."`; where no quoting can
//! be trusted (backticks, `${...}`, a comment, a here-document, right after a backslash, a quote
//! never closed) the plan is refused instead.

use std::borrow::Cow;

/// The quoting a substituted value gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quoting {
    /// Not a shell command (a URL, a path): the value as it is.
    Verbatim,
    /// A bare shell word: the value in single quotes when it needs any.
    Bare,
    /// Inside `'...'`: each `'` closes, writes an escaped quote and reopens.
    InSingle,
    /// Inside `"..."`: `\`, `$`, backtick and `"` escaped.
    InDouble,
}

impl Quoting {
    /// The value as it must be written; `None` when no quoting can carry it (a NUL byte).
    pub(crate) fn apply(self, value: &str) -> Option<Cow<'_, str>> {
        if self != Quoting::Verbatim && value.contains('\0') {
            return None;
        }
        match self {
            Quoting::Verbatim => Some(Cow::Borrowed(value)),
            Quoting::Bare => shlex::try_quote(value).ok(),
            Quoting::InSingle => Some(Cow::Owned(value.replace('\'', r"'\''"))),
            Quoting::InDouble => {
                let mut out = String::with_capacity(value.len());
                for c in value.chars() {
                    if matches!(c, '\\' | '$' | '`' | '"') {
                        out.push('\\');
                    }
                    out.push(c);
                }
                Some(Cow::Owned(out))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Frame {
    /// The command itself, `$(...)` and `(...)`: shell code where a bare word is safe.
    Top,
    Command,
    Paren,
    /// `case ... esac`, whose patterns end in a `)` that closes nothing.
    Case,
    Single,
    Double,
    // Where a value cannot be quoted with confidence.
    Backtick,
    Brace,
    DollarSingle,
    DollarDouble,
    Arithmetic,
    Comment,
    HereDoc {
        delimiter: String,
        strip_tabs: bool,
        line: String,
    },
}

impl Frame {
    /// Shell code whose lines end where a here-document starts.
    fn is_command_line(&self) -> bool {
        matches!(
            self,
            Frame::Top | Frame::Command | Frame::Paren | Frame::Case
        )
    }

    /// Why a placeholder inside this frame cannot be quoted, if it cannot.
    fn unsafe_because(&self) -> Option<&'static str> {
        Some(match self {
            Frame::Backtick => "inside backticks",
            Frame::Brace => "inside `${...}`",
            Frame::DollarSingle => "inside `$'...'`",
            Frame::DollarDouble => "inside `$\"...\"`",
            Frame::Arithmetic => "inside `$((...))`",
            Frame::Comment => "in a shell comment",
            Frame::HereDoc { .. } => "inside a here-document",
            _ => return None,
        })
    }
}

/// Where a placeholder stands: its quoting, or why there is none; and the frame it is in, so
/// a frame never closed can be told at the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Site {
    pub(crate) quoting: Result<Quoting, &'static str>,
    frame: usize,
}

/// Reads a shell command's text piece by piece, placeholders between the pieces.
pub(crate) struct Lexer {
    /// Open frames with their ids; the bottom one is `Top` and never closes.
    stack: Vec<(usize, Frame)>,
    next_id: usize,
    /// A backslash was just read: the next character is literal.
    escaped: bool,
    /// The last character read (a placeholder counts as a word character).
    previous: Option<char>,
    /// Here-documents announced on this line, their bodies starting at its end.
    heredocs: Vec<(String, bool)>,
}

/// Characters that end a shell word outside quotes.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')' | '<' | '>')
}

impl Lexer {
    pub(crate) fn new() -> Lexer {
        Lexer {
            stack: vec![(0, Frame::Top)],
            next_id: 1,
            escaped: false,
            previous: None,
            heredocs: Vec::new(),
        }
    }

    fn top(&self) -> &Frame {
        &self.stack.last().expect("Top never closes").1
    }

    fn push(&mut self, frame: Frame) {
        self.stack.push((self.next_id, frame));
        self.next_id += 1;
    }

    fn pop(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
    }

    /// The site of a placeholder standing here.
    pub(crate) fn placeholder(&mut self) -> Site {
        let frame = self.stack.last().expect("Top never closes").0;
        let quoting = if self.escaped {
            Err("right after a backslash")
        } else if let Some(why) = self
            .stack
            .iter()
            .rev()
            .find_map(|(_, f)| f.unsafe_because())
        {
            Err(why)
        } else {
            Ok(match self.top() {
                Frame::Single => Quoting::InSingle,
                Frame::Double => Quoting::InDouble,
                _ => Quoting::Bare,
            })
        };
        if let Some((_, Frame::HereDoc { line, .. })) = self.stack.last_mut() {
            // A value is never the delimiter line.
            line.push('\0');
        }
        self.escaped = false;
        self.previous = Some('_');
        Site { quoting, frame }
    }

    /// Whether `site` was inside a frame the command never closes (a quote, `$(`, ...).
    pub(crate) fn still_open(&self, site: &Site) -> bool {
        site.frame != 0 && self.stack.iter().any(|(id, _)| *id == site.frame)
    }

    /// Reads one piece of the command's text.
    pub(crate) fn text(&mut self, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).copied();
            i += 1;
            if std::mem::take(&mut self.escaped) {
                self.previous = Some(c);
                continue;
            }
            let top = self.top().clone();
            match top {
                Frame::Single => {
                    if c == '\'' {
                        self.pop();
                    }
                }
                Frame::Comment => {
                    if c == '\n' {
                        self.pop();
                        self.line_end();
                    }
                }
                Frame::HereDoc { .. } => self.heredoc_char(c),
                Frame::DollarSingle | Frame::DollarDouble | Frame::Double => match c {
                    '\\' => self.escaped = true,
                    '\'' if top == Frame::DollarSingle => self.pop(),
                    '"' if top != Frame::DollarSingle => self.pop(),
                    '`' | '$' if top == Frame::Double => i += self.expansion(c, &chars[i..]),
                    _ => {}
                },
                _ => match c {
                    '\\' => self.escaped = true,
                    '\'' => self.push(Frame::Single),
                    '"' => self.push(Frame::Double),
                    '`' | '$' => i += self.expansion(c, &chars[i..]),
                    '(' => self.push(Frame::Paren),
                    ')' if top == Frame::Arithmetic => {
                        if next == Some(')') {
                            i += 1;
                        }
                        self.pop();
                    }
                    ')' if matches!(top, Frame::Command | Frame::Paren) => self.pop(),
                    '}' if top == Frame::Brace => self.pop(),
                    'a'..='z' if top.is_command_line() && self.previous.is_none_or(ends_word) => {
                        let word: String = chars[i - 1..]
                            .iter()
                            .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                            .collect();
                        let whole = chars.get(i - 1 + word.len()).is_none_or(|c| ends_word(*c));
                        match word.as_str() {
                            "case" if whole => self.push(Frame::Case),
                            "esac" if whole && top == Frame::Case => self.pop(),
                            _ => {}
                        }
                        i += word.len() - 1;
                    }
                    '#' if top != Frame::Brace
                        && top != Frame::Arithmetic
                        && self.previous.is_none_or(ends_word) =>
                    {
                        self.push(Frame::Comment)
                    }
                    '<' if next == Some('<') && top.is_command_line() => {
                        i += 1;
                        if chars.get(i) == Some(&'<') {
                            i += 1;
                        } else {
                            i += self.heredoc_operator(&chars[i..]);
                        }
                    }
                    '\n' if top.is_command_line() => self.line_end(),
                    _ => {}
                },
            }
            self.previous = Some(chars[i - 1]);
        }
    }

    /// `$(`, `$((`, `${`, `$'`, `$"` or a backtick at the start of `rest` (just after `c`);
    /// returns how many more characters it took.
    fn expansion(&mut self, c: char, rest: &[char]) -> usize {
        if c == '`' {
            if *self.top() == Frame::Backtick {
                self.pop();
            } else {
                self.push(Frame::Backtick);
            }
            return 0;
        }
        let in_double = *self.top() == Frame::Double;
        match (rest.first(), rest.get(1)) {
            (Some('('), Some('(')) => {
                self.push(Frame::Arithmetic);
                2
            }
            (Some('('), _) => {
                self.push(Frame::Command);
                1
            }
            (Some('{'), _) => {
                self.push(Frame::Brace);
                1
            }
            (Some('\''), _) if !in_double => {
                self.push(Frame::DollarSingle);
                1
            }
            (Some('"'), _) if !in_double => {
                self.push(Frame::DollarDouble);
                1
            }
            _ => 0,
        }
    }

    /// After `<<`: the optional `-` and the delimiter word (its quotes removed); returns how
    /// many characters it took.
    fn heredoc_operator(&mut self, rest: &[char]) -> usize {
        let mut i = 0;
        let strip_tabs = rest.first() == Some(&'-');
        if strip_tabs {
            i += 1;
        }
        while rest.get(i).is_some_and(|c| *c == ' ' || *c == '\t') {
            i += 1;
        }
        let mut delimiter = String::new();
        while let Some(&c) = rest.get(i).filter(|c| !ends_word(**c)) {
            if !matches!(c, '\'' | '"' | '\\') {
                delimiter.push(c);
            }
            i += 1;
        }
        if delimiter.is_empty() {
            // A placeholder as the delimiter: the body's end cannot be known.
            delimiter.push('\0');
        }
        self.heredocs.push((delimiter, strip_tabs));
        i
    }

    /// The end of a line of code: a here-document announced on it starts.
    fn line_end(&mut self) {
        if !self.heredocs.is_empty() {
            let (delimiter, strip_tabs) = self.heredocs.remove(0);
            self.push(Frame::HereDoc {
                delimiter,
                strip_tabs,
                line: String::new(),
            });
        }
    }

    fn heredoc_char(&mut self, c: char) {
        let Some((
            _,
            Frame::HereDoc {
                delimiter,
                strip_tabs,
                line,
            },
        )) = self.stack.last_mut()
        else {
            return;
        };
        if c != '\n' {
            line.push(c);
            return;
        }
        let shown = if *strip_tabs {
            line.trim_start_matches('\t')
        } else {
            line.as_str()
        };
        if shown == delimiter.as_str() {
            self.pop();
            self.line_end();
        } else {
            line.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quoting of each `@` in `command`, read as a placeholder.
    fn sites(command: &str) -> Vec<Result<Quoting, &'static str>> {
        let mut lexer = Lexer::new();
        let mut found = Vec::new();
        let mut pieces = command.split('@');
        lexer.text(pieces.next().unwrap_or_default());
        for piece in pieces {
            found.push(lexer.placeholder());
            lexer.text(piece);
        }
        found
            .into_iter()
            .map(|site| match site.quoting {
                Ok(_) if lexer.still_open(&site) => Err("never closed"),
                q => q,
            })
            .collect()
    }

    use Quoting::*;

    #[test]
    fn bare_single_and_double_quoted_placeholders() {
        assert_eq!(
            sites("echo @ '@' \"@\" x@y"),
            [Ok(Bare), Ok(InSingle), Ok(InDouble), Ok(Bare)]
        );
        assert_eq!(
            sites(r#"echo "it's @" 'say "@"' \' @"#),
            [Ok(InDouble), Ok(InSingle), Ok(Bare)]
        );
        assert_eq!(sites(r#"echo "a\"@" 'a\'@"#), [Ok(InDouble), Ok(Bare)]);
    }

    #[test]
    fn command_substitution_starts_a_fresh_context() {
        assert_eq!(
            sites(r#"echo "x $(cat '@' @) @""#),
            [Ok(InSingle), Ok(Bare), Ok(InDouble)]
        );
        assert_eq!(sites("echo $( (cd @) ) @"), [Ok(Bare), Ok(Bare)]);
        // A `case` pattern's `)` closes nothing.
        assert_eq!(
            sites("echo \"$(case $x in a) echo @;; (b) echo @;; esac) @\" @"),
            [Ok(Bare), Ok(Bare), Ok(InDouble), Ok(Bare)]
        );
        assert_eq!(sites("echo case_x) @ esac @"), [Ok(Bare), Ok(Bare)]);
    }

    #[test]
    fn contexts_without_a_safe_quoting_are_refused() {
        assert_eq!(sites("echo `@` @"), [Err("inside backticks"), Ok(Bare)]);
        assert_eq!(sites("echo \"`@`\""), [Err("inside backticks")]);
        assert_eq!(sites("echo ${X:-@} @"), [Err("inside `${...}`"), Ok(Bare)]);
        assert_eq!(
            sites("echo $'@' $\"@\""),
            [Err("inside `$'...'`"), Err("inside `$\"...\"`")]
        );
        assert_eq!(
            sites("echo $((1 + @)) @"),
            [Err("inside `$((...))`"), Ok(Bare)]
        );
        assert_eq!(
            sites("echo \\@ \"\\@\""),
            [Err("right after a backslash"); 2]
        );
        assert_eq!(
            sites("echo x # @\necho @"),
            [Err("in a shell comment"), Ok(Bare)]
        );
        assert_eq!(sites("echo a#@ $#@"), [Ok(Bare), Ok(Bare)]);
        assert_eq!(sites("echo '@"), [Err("never closed")]);
        assert_eq!(sites("echo \"$(@"), [Err("never closed")]);
    }

    #[test]
    fn here_documents_are_refused_until_their_delimiter() {
        let command = "cat <<'EOF' > @\nline @\nEOF\necho @ <<< @";
        assert_eq!(
            sites(command),
            [Ok(Bare), Err("inside a here-document"), Ok(Bare), Ok(Bare)]
        );
        assert_eq!(
            sites("cat <<-END\n\t@\n\tEND\n@"),
            [Err("inside a here-document"), Ok(Bare)]
        );
        assert_eq!(sites("cat <<END\n@"), [Err("inside a here-document")]);
    }
}
