//! Where each placeholder of a shell command stands. A value is never written into the text: the
//! host gets it in the command's environment and the command expands it inside double quotes,
//! so all a placeholder needs is the quoting around it (`"${CB_V1}"` bare, `${CB_V1}` inside
//! `"..."`, `'"${CB_V1}"'` inside `'...'`). An expansion is never parsed again, except where
//! the command itself re-reads a string as code (`eval`, `sh -c`, `ssh`, `$((...))`, ... see
//! `shell_words`): there, and inside constructs whose quoting differs (backticks, `${...}`,
//! here-documents), a placeholder is refused.

use super::shell_words::Simple;

/// The quoting around a placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quoting {
    /// A bare word (or part of one).
    Bare,
    /// Inside `'...'`: the quote closed, the expansion, the quote reopened.
    InSingle,
    /// Inside `"..."`: the expansion as it is.
    InDouble,
}

impl Quoting {
    /// How the command expands the environment variable `name` here.
    pub(crate) fn expand(self, name: &str) -> String {
        match self {
            Quoting::Bare => format!("\"${{{name}}}\""),
            Quoting::InSingle => format!("'\"${{{name}}}\"'"),
            Quoting::InDouble => format!("${{{name}}}"),
        }
    }
}

/// Where a placeholder stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Site {
    pub(crate) quoting: Quoting,
    /// It starts an argument with no `--` before it: a value beginning with `-` would be an
    /// option.
    pub(crate) starts_argument: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Code {
    /// The command itself.
    Top,
    /// `$(...)`.
    Substitution,
    /// `(...)`, `<(...)`.
    Paren,
    /// Backticks: code, but no place for a value (their backslashes are read twice).
    Backtick,
}

#[derive(Debug, Clone)]
enum Frame {
    Code(Code, Simple),
    Single,
    Double,
    Brace,
    DollarSingle,
    DollarDouble,
    /// `$((...))` and `((...))`, with the parentheses open inside.
    Arithmetic(usize),
    Comment,
    HereDoc {
        delimiter: String,
        strip_tabs: bool,
        line: String,
    },
}

impl Frame {
    /// Why a placeholder inside this frame is refused, if it is.
    fn refuses(&self) -> Option<&'static str> {
        Some(match self {
            Frame::Code(Code::Backtick, _) => "inside backticks",
            Frame::Brace => "inside `${...}`",
            Frame::DollarSingle => "inside `$'...'`",
            Frame::DollarDouble => "inside `$\"...\"`",
            Frame::Arithmetic(_) => "inside arithmetic",
            Frame::HereDoc { .. } => "inside a here-document",
            _ => return None,
        })
    }
}

/// Reads a shell command's text piece by piece, placeholders between the pieces.
pub(crate) struct Lexer {
    /// Open frames; the bottom one is the command's own code and never closes.
    stack: Vec<Frame>,
    /// A backslash was just read: the next character is literal.
    escaped: bool,
    /// Here-documents announced on this line, their bodies starting at its end.
    heredocs: Vec<(String, bool)>,
    /// Why every placeholder of the command is refused, if it is.
    refused: Option<String>,
}

fn ends_word(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>'
    )
}

impl Lexer {
    pub(crate) fn new() -> Lexer {
        Lexer {
            stack: vec![Frame::Code(Code::Top, Simple::default())],
            escaped: false,
            heredocs: Vec::new(),
            refused: None,
        }
    }

    fn refuse(&mut self, why: Option<String>) {
        if self.refused.is_none() {
            self.refused = why;
        }
    }

    fn push(&mut self, frame: Frame) {
        self.stack.push(frame);
    }

    fn pop(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
    }

    /// The simple command a character here belongs to: the code on top, or under the quote
    /// on top.
    fn simple(&mut self) -> Option<&mut Simple> {
        let n = self.stack.len();
        let under = match self.stack.last()? {
            Frame::Code(..) => n - 1,
            Frame::Single | Frame::Double if n >= 2 => n - 2,
            _ => return None,
        };
        match &mut self.stack[under] {
            Frame::Code(_, simple) => Some(simple),
            _ => None,
        }
    }

    fn push_char(&mut self, c: char) {
        if let Some(simple) = self.simple() {
            simple.push(c);
        }
    }

    fn end_word(&mut self) {
        let refused = self.simple().and_then(Simple::end_word);
        self.refuse(refused);
    }

    fn end_command(&mut self) {
        let refused = self.simple().and_then(Simple::end_command);
        self.refuse(refused);
    }

    /// The site of a placeholder standing here.
    pub(crate) fn placeholder(&mut self) -> Result<Site, &'static str> {
        if self.escaped {
            return Err("right after a backslash");
        }
        if let Some(why) = self.stack.iter().rev().find_map(Frame::refuses) {
            if let Some(Frame::HereDoc { line, .. }) = self.stack.last_mut() {
                // A value is never the delimiter line.
                line.push('\0');
            }
            return Err(why);
        }
        let quoting = match self.stack.last() {
            Some(Frame::Single) => Quoting::InSingle,
            Some(Frame::Double) => Quoting::InDouble,
            _ => Quoting::Bare,
        };
        let Some(simple) = self.simple() else {
            // A comment: the expansion is never read.
            return Ok(Site {
                quoting,
                starts_argument: false,
            });
        };
        let starts_argument = simple.starts_argument();
        simple.expansion();
        Ok(Site {
            quoting,
            starts_argument,
        })
    }

    /// Once the whole command is read: why none of its placeholders can be used, if so. A
    /// quote, `(` or here-document left open means this reading and the shell's disagree.
    pub(crate) fn finish(&mut self) -> Option<String> {
        self.end_command();
        let open = self
            .stack
            .iter()
            .filter(|f| !matches!(f, Frame::Comment))
            .count()
            > 1;
        if open || !self.heredocs.is_empty() || self.escaped {
            self.refuse(Some(
                "in a command that leaves a quote, `(` or here-document open".to_string(),
            ));
        }
        self.refused.clone()
    }

    /// Reads one piece of the command's text.
    pub(crate) fn text(&mut self, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let rest = &chars[i + 1..];
            i += 1;
            if std::mem::take(&mut self.escaped) {
                // A backslash-newline joins the lines.
                if c != '\n' {
                    self.push_char(c);
                }
                continue;
            }
            match self.stack.last().expect("the command's code never closes") {
                Frame::Single => match c {
                    '\'' => self.pop(),
                    _ => self.push_char(c),
                },
                Frame::DollarSingle => match c {
                    '\\' => self.escaped = true,
                    '\'' => self.pop(),
                    _ => {}
                },
                Frame::Comment => {
                    if c == '\n' {
                        self.pop();
                        self.end_command();
                        self.line_end();
                    }
                }
                Frame::HereDoc { .. } => self.heredoc_char(c),
                Frame::Double | Frame::DollarDouble => match c {
                    '\\' => self.escaped = true,
                    '"' => self.pop(),
                    '$' => i += self.dollar(rest),
                    '`' => self.backtick(),
                    _ => self.push_char(c),
                },
                Frame::Brace => match c {
                    '\\' => self.escaped = true,
                    '\'' => self.push(Frame::Single),
                    '"' => self.push(Frame::Double),
                    '$' => i += self.dollar(rest),
                    '`' => self.backtick(),
                    '}' => self.pop(),
                    _ => {}
                },
                &Frame::Arithmetic(depth) => match c {
                    '(' => self.stack.push(Frame::Arithmetic(depth + 1)),
                    ')' if depth > 0 => self.pop(),
                    ')' => {
                        if rest.first() == Some(&')') {
                            i += 1;
                        }
                        self.pop();
                    }
                    '$' => i += self.dollar(rest),
                    _ => {}
                },
                Frame::Code(..) => i += self.code(c, rest),
            }
        }
    }

    /// A character of code; returns how many more it took.
    fn code(&mut self, c: char, rest: &[char]) -> usize {
        let next = rest.first().copied();
        let in_word = self.simple().is_some_and(|s| s.in_word());
        match c {
            '\\' => self.escaped = true,
            '\'' | '"' => {
                if let Some(simple) = self.simple() {
                    simple.quote();
                }
                self.push(if c == '"' {
                    Frame::Double
                } else {
                    Frame::Single
                });
            }
            '`' => self.backtick(),
            '$' => return self.dollar(rest),
            '(' if next == Some('(') && !in_word => {
                self.refuse(Some(
                    "in a command with bash's `((...))` arithmetic".to_string(),
                ));
                self.push(Frame::Arithmetic(0));
                return 1;
            }
            '(' => {
                self.end_word();
                self.push(Frame::Code(Code::Paren, Simple::default()));
            }
            ')' => {
                self.end_command();
                if matches!(
                    self.stack.last(),
                    Some(Frame::Code(Code::Substitution | Code::Paren, _))
                ) {
                    self.pop();
                    // `$(...)` is part of the word around it.
                    if let Some(simple) = self.simple() {
                        simple.expansion();
                    }
                }
            }
            '#' if !in_word => self.push(Frame::Comment),
            ' ' | '\t' => self.end_word(),
            ';' | '|' => self.end_command(),
            '\n' => {
                self.end_command();
                self.line_end();
            }
            '&' if next == Some('>') => {
                self.end_word();
                let more = if rest.get(1) == Some(&'>') { 2 } else { 1 };
                if let Some(simple) = self.simple() {
                    simple.redirect(false);
                }
                return more;
            }
            '&' => self.end_command(),
            '<' if next == Some('<') => {
                self.end_word();
                if rest.get(1) == Some(&'<') {
                    // A here-string: the word after it is data on stdin.
                    if let Some(simple) = self.simple() {
                        simple.redirect(false);
                    }
                    return 2;
                }
                return 1 + self.heredoc_operator(&rest[1..]);
            }
            '<' | '>' => {
                self.end_word();
                let mut took = 0;
                if matches!(rest.first(), Some('>' | '|')) && c == '>' {
                    took += 1;
                }
                let duplicate = rest.get(took) == Some(&'&');
                if duplicate {
                    took += 1;
                }
                // `<(...)`: a process substitution, its own code.
                if rest.get(took) != Some(&'(')
                    && let Some(simple) = self.simple()
                {
                    simple.redirect(duplicate);
                }
                return took;
            }
            _ => self.push_char(c),
        }
        0
    }

    /// A backtick: opens a command substitution, or closes the one on top.
    fn backtick(&mut self) {
        if matches!(self.stack.last(), Some(Frame::Code(Code::Backtick, _))) {
            self.end_command();
            self.pop();
            return;
        }
        if let Some(simple) = self.simple() {
            simple.expansion();
        }
        self.push(Frame::Code(Code::Backtick, Simple::default()));
    }

    /// `$` and what follows it in `rest`; returns how many characters of `rest` it took.
    fn dollar(&mut self, rest: &[char]) -> usize {
        let in_double = matches!(self.stack.last(), Some(Frame::Double));
        let plain_dollar = !matches!(
            rest.first(),
            Some(c) if c.is_ascii_alphanumeric() || "_({[@*#?$!-'\"".contains(*c)
        );
        if plain_dollar || in_double && matches!(rest.first(), Some('\'' | '"')) {
            // A `$` that expands nothing is a character like any other.
            self.push_char('$');
            return 0;
        }
        if let Some(simple) = self.simple() {
            simple.expansion();
        }
        match (rest[0], rest.get(1)) {
            ('(', Some('(')) => {
                self.refuse(Some("in a command with `$((...))` arithmetic".to_string()));
                self.push(Frame::Arithmetic(0));
                2
            }
            ('(', _) => {
                self.push(Frame::Code(Code::Substitution, Simple::default()));
                1
            }
            ('[', _) => {
                self.refuse(Some(
                    "in a command with bash's `$[...]` arithmetic".to_string(),
                ));
                self.push(Frame::Arithmetic(0));
                1
            }
            ('{', _) => {
                let why = brace_evaluates(&rest[1..]);
                self.refuse(why.map(|why| format!("in a command with {why}")));
                self.push(Frame::Brace);
                1
            }
            ('\'', _) => {
                self.push(Frame::DollarSingle);
                1
            }
            ('"', _) => {
                self.push(Frame::DollarDouble);
                1
            }
            (c, _) if c.is_ascii_alphabetic() || c == '_' => rest
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .count(),
            _ => 1,
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

/// What in `${...}` (its text after `${`) makes bash evaluate a variable's value as a name or
/// arithmetic: `${!x}`, `${a[...]}`, `${x:offset}`.
fn brace_evaluates(inside: &[char]) -> Option<&'static str> {
    let mut chars = inside.iter().copied().peekable();
    if chars.peek() == Some(&'!') {
        return Some("`${!...}`, which reads a value as a variable name");
    }
    if chars.peek() == Some(&'#') {
        chars.next();
    }
    let name_len = chars
        .clone()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .count();
    let mut after = chars.skip(name_len.max(1));
    match (after.next(), after.next()) {
        (Some('['), _) => Some("`${NAME[...]}`, whose subscript bash evaluates"),
        (Some(':'), Some(c)) if !"-=+?".contains(c) => {
            Some("`${NAME:offset}`, whose offset bash evaluates as arithmetic")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
