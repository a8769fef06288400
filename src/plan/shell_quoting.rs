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
    /// Inside `"..."`: the quote closed, the value as a bare word, the quote reopened.
    InDouble,
}

impl Quoting {
    /// The value as it must be written; `None` when no quoting can carry it (a NUL byte).
    pub(crate) fn apply(self, value: &str) -> Option<Cow<'_, str>> {
        // bash evaluates `a[$(cmd)]` as an array subscript wherever a value ends up read as a
        // variable name or a number, quoted or not; no value needs both.
        let subscript_with_code = value.contains('[') && value.contains(['$', '`']);
        if self != Quoting::Verbatim && (value.contains('\0') || subscript_with_code) {
            return None;
        }
        match self {
            Quoting::Verbatim => Some(Cow::Borrowed(value)),
            Quoting::Bare => shlex::try_quote(value).ok(),
            Quoting::InSingle => Some(Cow::Owned(value.replace('\'', r"'\''"))),
            // The double quote closed, the value quoted as a bare word, the quote reopened: no
            // backslash a multibyte locale (BIG5, GBK) could swallow into the character before.
            // A value shlex leaves as it is (plain ASCII letters, digits, `-./:@`...) goes in
            // as it is, so a command shown to the operator reads as written.
            Quoting::InDouble => {
                let quoted = shlex::try_quote(value).ok()?;
                if quoted == value {
                    Some(Cow::Borrowed(value))
                } else {
                    Some(Cow::Owned(format!("\"{quoted}\"")))
                }
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
    /// The current bare word holds a `[`: bash may read `a[...]` as an array subscript, whose
    /// text it evaluates as arithmetic, quoted or not.
    subscript: bool,
    /// The bare word being read, the last one read, and the first of this simple command:
    /// `test -v`, `[ -v` and `printf -v` read the next word as a variable name.
    word: String,
    last_word: String,
    command: Option<String>,
    /// This simple command has an `env` or `export` word (`command export`, `/usr/bin/env`):
    /// a value starting one of its words could name a variable (`BASH_ENV=...`).
    sets_variables: bool,
}

/// Characters that end a shell word outside quotes (the shell splits on these blanks only).
fn ends_word(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>'
    )
}

/// Words that make bash read a value as a variable name or arithmetic, or that change how the
/// rest of the text is read, wherever they stand (even quoted: `'let'` still runs `let`).
const UNMODELLED_WORDS: [&str; 30] = [
    "alias",
    "case",
    "declare",
    "esac",
    "eval",
    "let",
    "local",
    "read",
    "typeset",
    "readonly",
    // Builtins and variables that run a string as code.
    "trap",
    "source",
    "mapfile",
    "readarray",
    "shopt",
    "enable",
    "PS0",
    "PS1",
    "PS2",
    "PS3",
    "PS4",
    "PROMPT_COMMAND",
    "BASH_ENV",
    "ENV",
    "BASH_ALIASES",
    "BASH_CMDS",
    ".",
    "compgen",
    "complete",
    "xtrace",
];

/// Text this reader does not follow the way every shell does (found by attacking it): any of
/// it makes every placeholder of the command refused. `code` is the command with each
/// placeholder written as `x`.
pub(crate) fn unmodelled(code: &str) -> Option<&'static str> {
    const SEQUENCES: [(&str, &str); 10] = [
        ("`", "in a command with backticks"),
        ("\\\n", "in a command with a backslash-newline"),
        ("<<", "in a command with a here-document"),
        (
            "$((",
            "in a command with `$((...))`, which dash and bash read apart",
        ),
        ("$[", "in a command with bash's `$[...]` arithmetic"),
        (
            "$\"",
            "in a command with `$\"...\"`, which dash and bash read apart",
        ),
        ("((", "in a command with bash's `((...))` arithmetic"),
        ("[[", "in a command with bash's `[[...]]`"),
        ("<(", "in a command with bash's process substitution"),
        (">(", "in a command with bash's process substitution"),
    ];
    if let Some((_, what)) = SEQUENCES
        .iter()
        .find(|(seq, _)| code.contains(seq) && !(*seq == "<<" && only_here_strings(code)))
    {
        return Some(what);
    }
    // `>&2` and `2>&1` are plain; bash expands any other word after `>&` twice.
    for op in [">&", "<&"] {
        for (at, _) in code.match_indices(op) {
            let word: String = code[at + 2..]
                .trim_start_matches([' ', '\t'])
                .chars()
                .take_while(|c| !ends_word(*c))
                .collect();
            if !(word == "-" || !word.is_empty() && word.chars().all(|c| c.is_ascii_digit())) {
                return Some(
                    "in a command with `>&` or `<&` before a word, which bash expands twice",
                );
            }
        }
    }
    if code
        .chars()
        .any(|c| (c.is_whitespace() || c.is_control()) && !matches!(c, ' ' | '\t' | '\n'))
    {
        return Some("in a command with a blank other than space, tab and newline");
    }
    // `${NAME}` is plain; `${x:-'...'}` reads its quotes apart in dash and bash.
    let mut rest = code;
    while let Some(at) = rest.find("${") {
        rest = &rest[at + 2..];
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if name_len == 0 || !rest[name_len..].starts_with('}') {
            return Some("in a command with a `${...}` other than `${NAME}`");
        }
    }
    // Words as the shell sees them once quotes and backslashes are gone: `e''val` is `eval`.
    let unquoted = code.replace(['\'', '"', '\\'], "");
    let words = unquoted.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'));
    let mut words: Vec<&str> = words.filter(|w| !w.is_empty()).collect();
    words.extend(
        unquoted
            .split([' ', '\t', '\n', ';', '&', '|', '(', ')'])
            .filter(|w| *w == "."),
    );
    // `set -x` (or `-ex`, `+x`...) expands `PS4`, command substitutions included, at every line.
    let xtrace = words
        .windows(2)
        .any(|pair| pair[0] == "set" && pair[1].starts_with(['-', '+']) && pair[1].contains('x'));
    if xtrace {
        return Some("in a command that turns on `set -x`, which runs what `PS4` holds");
    }
    if let Some(word) = words.iter().find(|w| UNMODELLED_WORDS.contains(w)) {
        return Some(match *word {
            "case" | "esac" => "in a command that uses `case`",
            "alias" => "in a command that defines an alias",
            "eval" | "trap" | "source" | "." | "mapfile" | "readarray" | "compgen" | "complete" => {
                "in a command with a builtin that runs a string as code"
            }
            _ => {
                "in a command with a bash builtin that reads values as variable names or arithmetic"
            }
        });
    }
    None
}

/// `<<<` (a here-string) is a quoted word like any other; `<<` alone starts a here-document.
fn only_here_strings(code: &str) -> bool {
    code.replace("<<<", "").find("<<").is_none()
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
            subscript: false,
            word: String::new(),
            last_word: String::new(),
            command: None,
            sets_variables: false,
        }
    }

    /// Follows the bare words of the command (see `word`).
    fn bare_word(&mut self, c: char) {
        if !ends_word(c) {
            self.word.push(c);
            return;
        }
        self.subscript = false;
        if !self.word.is_empty() {
            let word = std::mem::take(&mut self.word);
            // `NAME=value` before a command is an assignment, not the command's name.
            let assignment = word.split_once('=').is_some_and(|(name, _)| {
                !name.is_empty()
                    && !name.starts_with(|c: char| c.is_ascii_digit())
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
            if self.command.is_none() && !assignment {
                if word.contains(['$', '`']) {
                    // `${e}al` may spell any builtin: which command runs is unknown.
                    self.refuse("in a command whose command name is computed");
                }
                self.command = Some(word.clone());
            }
            let name = word.replace(['"', '\'', '\\'], "");
            if matches!(name.rsplit('/').next(), Some("env" | "export")) {
                self.sets_variables = true;
            }
            self.last_word = word;
        }
        if matches!(c, ';' | '&' | '|' | '(' | ')' | '\n') {
            self.command = None;
            self.last_word.clear();
            self.sets_variables = false;
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
        } else if self.subscript && self.top().is_command_line() {
            Err("inside `[...]`, which bash may evaluate as an array subscript")
        } else if self.word.trim_matches(['"', '\'']).is_empty()
            && self.last_word == "-v"
            && matches!(self.command.as_deref(), Some("test" | "[" | "printf"))
        {
            Err("after `-v`, which reads it as a variable name")
        } else if self.word.trim_matches(['"', '\'']).is_empty()
            && (self.sets_variables
                || self.command.as_deref() == Some("printf") && self.last_word == "printf")
        {
            Err("where its value could name a variable or an option")
        } else if self.word == "~" {
            Err("right after `~`, which the shell expands")
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
        self.word.push('_');
        quoting
    }

    /// Once the whole command is read: why none of its placeholders can be trusted, if so. A
    /// quote, `(` or here-document left open means this reading and the shell's disagree
    /// somewhere, so no site found on the way is sure.
    pub(crate) fn finish(&self) -> Option<&'static str> {
        self.refused.or_else(|| {
            // A comment may run to the end of the command.
            let open = self.stack.iter().filter(|f| **f != Frame::Comment).count() > 1;
            (open || !self.heredocs.is_empty() || self.escaped)
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
                    Some('_')
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
                    '(' => self.push(Frame::Paren),
                    '[' => self.subscript = true,
                    ')' if top == Frame::Arithmetic => {
                        if next == Some(')') {
                            i += 1;
                        }
                        self.pop();
                    }
                    ')' if top == Frame::Command => {
                        self.pop();
                        // `$(...)` is part of a word: a `#` right after it is no comment.
                        self.previous = Some('_');
                        continue;
                    }
                    ')' if top == Frame::Paren => self.pop(),
                    ')' if top == Frame::Top => {
                        self.refuse("in a command with a `)` that closes nothing")
                    }
                    '}' if top == Frame::Brace => self.pop(),
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
            if top.is_command_line() {
                self.bare_word(c);
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
        let whole = lexer
            .finish()
            .or_else(|| unmodelled(&command.replace('@', "x")));
        found
            .into_iter()
            .map(|site| match (site, whole) {
                (Ok(_), Some(_)) => Err("whole command refused"),
                (site, _) => site,
            })
            .collect()
    }

    use Quoting::*;

    /// Every placeholder of each command is refused.
    #[track_caller]
    fn refused_whole(commands: &[&str]) {
        for command in commands {
            assert!(
                sites(command).iter().all(Result::is_err),
                "accepted: {command:?}"
            );
        }
    }

    /// Some placeholder of each command is refused (the one that could be misused).
    #[track_caller]
    fn refused_somewhere(commands: &[&str]) {
        for command in commands {
            assert!(
                sites(command).iter().any(Result::is_err),
                "accepted: {command:?}"
            );
        }
    }

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

    /// The second review's bypasses: each construct refuses every placeholder of its command.
    #[test]
    fn the_second_reviews_constructs_refuse_the_whole_command() {
        refused_whole(&[
            // bash expands the word after `>&` twice.
            "echo hi >& /var/log/@.log",
            "echo hi >&@",
            // Array subscripts and builtins that read a value as a name or arithmetic.
            "f() { local -i x=@; }",
            "'let' x=@",
            "\\declare -i x=@",
            "[ -v @ ]",
            "test -v @",
            "printf -v @ %s x",
            "read @ </dev/null",
            "n=@; echo $((n + 1))",
            // Lookahead across a backslash-newline.
            "printf '[%s]' \"$\\\n@\"",
            "echo a\\\n#'\n@\n'",
            // Blanks the shell does not split on.
            "echo a\r#'\n@\"' #\"",
            "echo a\u{a0}#' @ '",
            // Backticks, here-documents, `${...}` with quotes, aliases.
            "echo `true #` '\n`@\"' #\"",
            "cat <<\"E F\"\nbody\nE F\n\" @'\" #'\nE\n",
            "echo \"${x:-'}\" '}\"@\"' #\"",
            "alias q=\"echo '\"\nq @\"' #\"",
            "cat <(true)#'\n@\"' #\"",
        ]);
        assert_eq!(
            sites("a[@]=1"),
            [Err(
                "inside `[...]`, which bash may evaluate as an array subscript"
            )]
        );
        // `$(...)` is part of a word: a `#` after it starts no comment.
        assert_eq!(sites("echo $(true)#'\n@\"' #\""), [Ok(InSingle)]);
        // What stays allowed: plain words, quotes, `$(...)`, `${NAME}`, here-strings, `[ -f ]`.
        assert_eq!(
            sites("kill -HUP $(cat /run/@.pid) && echo \"${HOME} @\" <<< '@' && [ -f @ ] >&2 2>&1"),
            [Ok(Bare), Ok(InDouble), Ok(InSingle), Ok(Bare)]
        );
    }

    /// The third review's bypasses.
    #[test]
    fn the_third_reviews_constructs_are_refused() {
        // An escaped blank or operator is part of a word: the `#` after it is no comment, the
        // quote opens, and the placeholder after it is bare, as the shell reads it.
        assert_eq!(sites("echo \\ #'\n' @ #'"), [Ok(Bare)]);
        assert_eq!(sites("echo a\\;#'\n' @ #'"), [Ok(Bare)]);
        refused_whole(&[
            "echo $\"$(echo \" '@' \")\"",
            // Forbidden words split by quotes or a backslash.
            "e''val @",
            "e\\val @",
            "l\"\"et x=@",
            // Builtins and variables that run a string as code.
            "trap @ EXIT",
            "set -x; PS4=\"+ @ \"; true",
            "BASH_ALIASES[q]=\"echo '\"\nq @\"' #\"",
            "mapfile -C @ -c 1 a </etc/hostname",
            ". /dev/stdin <<< @",
            "BASH_ENV=@ bash -c true",
        ]);
        // Still plain: a path starting with `./`, a word with a dot.
        assert_eq!(sites("./run @ && cat a.conf"), [Ok(Bare)]);
    }

    /// The fourth review's bypasses.
    #[test]
    fn the_fourth_reviews_constructs_are_refused() {
        refused_somewhere(&[
            "compgen -W @ x",
            "set -x; export @; true",
            "set -ex; true @",
            "export @; set -o xtrace; true",
            "env @ bash -c true",
            "printf @ @; true",
            "e=ev; ${e}al @",
            "c=compgen; $c -W @",
            "echo ~@",
        ]);
        // The fifth review: quotes around the placeholder, or another spelling of the command.
        refused_somewhere(&[
            "export \"@\"; bash /x/s.sh",
            "command export @; bash /x/s.sh",
            "/usr/bin/env @ /x/s.sh",
            "exec env \"@\" bash -c 'echo hi'",
            "printf \"@\" x",
            "test -v \"@\"",
        ]);
        assert_eq!(
            sites("export JAVA_HOME=@; env X=@ run"),
            [Ok(Bare), Ok(Bare)]
        );
        // An assignment before the command is not its name.
        assert_eq!(sites("out=$(echo @) && echo \"$out\""), [Ok(Bare)]);
        assert_eq!(sites("printf '%s' @"), [Ok(Bare)]);
    }

    /// Values bash could run as an array subscript (`x=@; a[x]=1`, `RANDOM=@`, `[ -v "$x" ]`)
    /// are refused in every quoting; values without both `[` and `$` or a backtick pass.
    #[test]
    fn a_value_with_a_subscript_and_code_is_never_substituted() {
        for quoting in [Bare, InSingle, InDouble] {
            assert_eq!(quoting.apply("b[$(touch MARK)]"), None);
            assert_eq!(quoting.apply("b[`touch MARK`]"), None);
            assert!(quoting.apply("b[1]").is_some());
            assert!(quoting.apply("$HOME").is_some());
        }
        assert!(Verbatim.apply("b[$(x)]").is_some(), "not a shell command");
    }

    #[test]
    fn contexts_without_a_safe_quoting_are_refused() {
        assert_eq!(sites("echo \"`@`\""), [Err("inside backticks")]);
        assert_eq!(
            sites("echo ${X:-@} @"),
            [Err("inside `${...}`"), Err("whole command refused")]
        );
        assert_eq!(
            sites("echo $'@' $\"@\""),
            [Err("inside `$'...'`"), Err("inside `$\"...\"`")]
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
        assert_eq!(
            sites("cat <<END\n@\nEND\n"),
            [Err("inside a here-document")]
        );
    }
}
