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
        matches!(self, Frame::Top | Frame::Command | Frame::Paren)
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

/// Where a placeholder stands: its quoting, or why there is none.
pub(crate) type Site = Result<Quoting, &'static str>;

/// Reads a shell command's text piece by piece, placeholders between the pieces.
pub(crate) struct Lexer {
    /// Open frames; the bottom one is `Top` and never closes.
    stack: Vec<Frame>,
    /// A backslash was just read: the next character is literal.
    escaped: bool,
    /// The last character read (a placeholder counts as a word character).
    previous: Option<char>,
    /// `previous` as it was before the pending backslash.
    before_escape: Option<char>,
    /// Here-documents announced on this line, their bodies starting at its end.
    heredocs: Vec<(String, bool)>,
    /// A construct whose quoting this lexer does not model: every placeholder of the command
    /// is refused, wherever it stands.
    refused: Option<&'static str>,
}

/// Where bash evaluates a value as arithmetic even when it is quoted (`a[$(cmd)]` runs there).
const ARITHMETIC: &str =
    "in a bash arithmetic context (`((...))`, `[[...]]`, `$[...]`, `let`, `declare`, `typeset`)";

/// Characters that end a shell word outside quotes.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')' | '<' | '>')
}

impl Lexer {
    pub(crate) fn new() -> Lexer {
        Lexer {
            stack: vec![Frame::Top],
            escaped: false,
            previous: None,
            before_escape: None,
            heredocs: Vec::new(),
            refused: None,
        }
    }

    fn escape(&mut self) {
        self.escaped = true;
        self.before_escape = self.previous;
    }

    fn refuse(&mut self, why: &'static str) {
        self.refused.get_or_insert(why);
    }

    fn top(&self) -> &Frame {
        self.stack.last().expect("Top never closes")
    }

    fn push(&mut self, frame: Frame) {
        self.stack.push(frame);
    }

    fn pop(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
    }

    /// The site of a placeholder standing here.
    pub(crate) fn placeholder(&mut self) -> Site {
        let quoting = if self.escaped {
            Err("right after a backslash")
        } else if let Some(why) = self.stack.iter().rev().find_map(Frame::unsafe_because) {
            Err(why)
        } else {
            Ok(match self.top() {
                Frame::Single => Quoting::InSingle,
                Frame::Double => Quoting::InDouble,
                _ => Quoting::Bare,
            })
        };
        if let Some(Frame::HereDoc { line, .. }) = self.stack.last_mut() {
            // A value is never the delimiter line.
            line.push('\0');
        }
        self.escaped = false;
        self.previous = Some('_');
        quoting
    }

    /// Once the whole command is read: why none of its placeholders can be trusted, if so. A
    /// quote, `(` or here-document left open means this reading and the shell's disagree
    /// somewhere, so no site found on the way is sure.
    pub(crate) fn finish(&self) -> Option<&'static str> {
        self.refused.or_else(|| {
            (self.stack.len() > 1 || !self.heredocs.is_empty() || self.escaped)
                .then_some("in a command that leaves a quote, `(` or here-document open")
        })
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
                // A backslash-newline joins the lines: the word before it goes on.
                self.previous = if c == '\n' {
                    self.before_escape
                } else {
                    Some(c)
                };
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
                    '\\' => self.escape(),
                    '\'' if top == Frame::DollarSingle => self.pop(),
                    '"' if top != Frame::DollarSingle => self.pop(),
                    '`' | '$' if top == Frame::Double => i += self.expansion(c, &chars[i..]),
                    _ => {}
                },
                _ => match c {
                    '\\' => self.escape(),
                    '\'' => self.push(Frame::Single),
                    '"' => self.push(Frame::Double),
                    '`' | '$' => i += self.expansion(c, &chars[i..]),
                    // bash reads `((...))` as arithmetic, where even a quoted value is evaluated.
                    '(' if next == Some('(') => self.refuse(ARITHMETIC),
                    '(' => self.push(Frame::Paren),
                    '[' if next == Some('[') && self.previous.is_none_or(ends_word) => {
                        self.refuse(ARITHMETIC)
                    }
                    ')' if top == Frame::Arithmetic => {
                        if next == Some(')') {
                            i += 1;
                        }
                        self.pop();
                    }
                    ')' if matches!(top, Frame::Command | Frame::Paren) => self.pop(),
                    ')' if top == Frame::Top => {
                        self.refuse("in a command with a `)` that closes nothing")
                    }
                    '}' if top == Frame::Brace => self.pop(),
                    'a'..='z' if top.is_command_line() && self.previous.is_none_or(ends_word) => {
                        let word: String = chars[i - 1..]
                            .iter()
                            .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                            .collect();
                        let whole = chars.get(i - 1 + word.len()).is_none_or(|c| ends_word(*c));
                        match word.as_str() {
                            // Patterns end in a `)` that closes nothing, and `case` may be a
                            // mere argument: not modelled, so refused.
                            "case" | "esac" if whole => {
                                self.refuse("in a command that uses `case`")
                            }
                            "let" | "declare" | "typeset" if whole => self.refuse(ARITHMETIC),
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
                // dash has no `$'...'`: it reads the same text with other quotes than bash.
                self.refuse("in a command that uses `$'...'`, which dash and bash read apart");
                self.push(Frame::DollarSingle);
                1
            }
            (Some('['), _) => {
                self.refuse(ARITHMETIC);
                0
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
        if delimiter.is_empty() || i == rest.len() {
            // A placeholder as (part of) the delimiter: the body's end cannot be known.
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
        let Some(Frame::HereDoc {
            delimiter,
            strip_tabs,
            line,
        }) = self.stack.last_mut()
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
        let whole = lexer.finish();
        found
            .into_iter()
            .map(|site| match (site, whole) {
                (Ok(_), Some(_)) => Err("whole command refused"),
                (site, _) => site,
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
    }

    /// Each found in review: a reading that differs from the shell's somewhere makes every
    /// placeholder of the command untrusted, not only the ones after it.
    #[test]
    fn constructs_not_modelled_refuse_the_whole_command() {
        const REFUSED: Site = Err("whole command refused");
        // `case` as a mere argument made `)` close nothing.
        assert_eq!(sites("echo \"$(grep -c case /etc/hosts) '@'\""), [REFUSED]);
        assert_eq!(
            sites("x=b; echo \"$(case $x in a) echo esac;; b) echo '@';; esac)\" @"),
            [REFUSED; 2]
        );
        assert_eq!(sites("echo case_x) @"), [REFUSED]);
        // A placeholder inside a here-document's delimiter: the body's end is unknown.
        assert_eq!(
            sites("cat <<EOF@\nEOF\necho @\nEOFx\n"),
            [REFUSED, Err("inside a here-document")]
        );
        // dash reads `$'\''` as `$` and a quoted backslash, then a quote that opens.
        assert_eq!(sites("echo $'\\'' @ ''"), [REFUSED]);
        // bash evaluates a value as arithmetic there, quoted or not.
        for command in [
            "[[ 1 -eq @ ]]",
            "(( 1 + @ ))",
            "echo $[ 1 + @ ]",
            "let x=@",
            "declare -i x=@",
        ] {
            assert_eq!(sites(command), [REFUSED], "{command}");
        }
        assert_eq!(sites("echo '@"), [REFUSED]);
        assert_eq!(sites("echo \"$(@"), [REFUSED]);
    }

    #[test]
    fn a_backslash_newline_joins_the_word_before_it() {
        // `a\<newline>#'` is the word `a#` and an opening quote, not a comment.
        assert_eq!(sites("echo a\\\n#'\n@\n'"), [Ok(InSingle)]);
        assert_eq!(
            sites("echo \\\n# @\n@"),
            [Err("in a shell comment"), Ok(Bare)]
        );
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
        assert_eq!(
            sites("cat <<END\n@\nEND\n"),
            [Err("inside a here-document")]
        );
    }
}
