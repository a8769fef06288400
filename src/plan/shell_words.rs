//! Which words make a shell command read a value as code again, judged by where they stand: the
//! name of a command (or of the command a wrapper such as `sudo` runs), an assignment before it,
//! the arguments of builtins that take variable names. A word inside a string is data and never
//! counts: `logger "restart done, local state ok"` is a plain command.

/// Commands that run a string as shell code, or read one as a variable name or arithmetic.
const EVALUATORS: [&str; 18] = [
    "eval",
    ".",
    "source",
    "trap",
    "alias",
    "let",
    "fc",
    "bind",
    "compgen",
    "complete",
    "mapfile",
    "readarray",
    "ssh",
    "watch",
    "parallel",
    "[[",
    "case",
    "coproc",
];

/// Programs that run their `-c` argument as shell code.
const SHELLS: [&str; 16] = [
    "sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "yash", "posh", "fish", "csh", "tcsh", "su",
    "runuser", "flock", "script",
];

/// Programs that run the command in their arguments: each of their words may be its name.
const WRAPPERS: [&str; 20] = [
    "sudo", "doas", "env", "exec", "command", "builtin", "nohup", "setsid", "nice", "ionice",
    "timeout", "stdbuf", "chroot", "xargs", "find", "time", "chrt", "taskset", "nsenter",
    "busybox",
];

/// Builtins whose arguments are variable names (`declare "$x"` evaluates `a[$(...)]` in `$x`).
const DECLARERS: [&str; 5] = ["declare", "typeset", "local", "export", "readonly"];
const NAMERS: [&str; 2] = ["read", "unset"];

/// Variables bash reads as code or arithmetic when set (`PS4`, `RANDOM=x` evaluates `$x`).
const SPECIAL_VARIABLES: [&str; 14] = [
    "PS0",
    "PS1",
    "PS2",
    "PS3",
    "PS4",
    "PROMPT_COMMAND",
    "BASH_ENV",
    "ENV",
    "RANDOM",
    "SRANDOM",
    "OPTIND",
    "SECONDS",
    "BASH_ALIASES",
    "BASH_CMDS",
];

/// Shell keywords: the command's name comes after them.
const KEYWORDS: [&str; 16] = [
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "in", "!", "{", "}",
    "function", "select",
];

fn is_name(word: &str) -> bool {
    let mut chars = word.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// What a redirection operator waits for: its target word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Redirect {
    File,
    /// `>&` and `<&`: bash reads the word as a number, evaluating it as arithmetic.
    Duplicate,
}

/// One simple command being read, word by word, as the shell sees its words once quotes are
/// gone.
#[derive(Debug, Clone, Default)]
pub(super) struct Simple {
    /// The current word without its quotes, backslashes and expansions.
    word: String,
    /// A word is being read (an empty `""` is one).
    in_word: bool,
    /// Where in `word` its first expansion (`$x`, `$(...)`, a value) stands.
    expanded_at: Option<usize>,
    /// The command's name, once read.
    command: Option<String>,
    /// Every later word may be the name of the command a wrapper runs.
    wrapped: bool,
    /// The shell (or `su`, `flock`...) run: a `-c` makes it run a string.
    shell: Option<String>,
    /// A builtin that takes variable names: every argument must be a literal name.
    declares: bool,
    names: bool,
    /// `printf -v` or `test -v` was read: the next word is a variable name.
    printf_v: bool,
    test: bool,
    /// `--` was read: no later argument is an option.
    double_dash: bool,
    redirect: Option<Redirect>,
}

impl Simple {
    pub(super) fn push(&mut self, c: char) {
        self.word.push(c);
        self.in_word = true;
    }

    /// A quote opened: a word begins even if it stays empty.
    pub(super) fn quote(&mut self) {
        self.in_word = true;
    }

    pub(super) fn expansion(&mut self) {
        self.expanded_at.get_or_insert(self.word.len());
        self.in_word = true;
    }

    pub(super) fn in_word(&self) -> bool {
        self.in_word
    }

    /// The next word is a redirection's target; `duplicate` for `>&` and `<&`.
    pub(super) fn redirect(&mut self, duplicate: bool) {
        self.redirect = Some(if duplicate {
            Redirect::Duplicate
        } else {
            Redirect::File
        });
    }

    /// A value standing here starts an argument with no `--` before it: one that begins with
    /// `-` would be read as an option.
    pub(super) fn starts_argument(&self) -> bool {
        self.word.is_empty()
            && self.expanded_at.is_none()
            && self.command.is_some()
            && self.redirect.is_none()
            && !self.double_dash
    }

    /// The simple command ends (`;`, `|`, `&`, a newline, `)`).
    pub(super) fn end_command(&mut self) -> Option<String> {
        let refused = self.end_word();
        *self = Simple::default();
        refused
    }

    /// The current word ends; why the command must be refused, if it must.
    pub(super) fn end_word(&mut self) -> Option<String> {
        if !std::mem::take(&mut self.in_word) {
            return None;
        }
        let word = std::mem::take(&mut self.word);
        let expanded_at = self.expanded_at.take();
        if let Some(redirect) = self.redirect.take() {
            let number = !word.is_empty()
                && expanded_at.is_none()
                && (word == "-" || word.chars().all(|c| c.is_ascii_digit()));
            return (redirect == Redirect::Duplicate && !number).then(|| {
                "in a command with `>&` or `<&` before a word other than a number, which bash evaluates as arithmetic".to_string()
            });
        }
        match &self.command {
            None => self.command_word(word, expanded_at),
            Some(_) => self.argument(&word, expanded_at),
        }
    }

    fn command_word(&mut self, word: String, expanded_at: Option<usize>) -> Option<String> {
        let literal = |end: usize| expanded_at.is_none_or(|e| e > end);
        if let Some((name, _)) = word.split_once('=') {
            let name = name.strip_suffix('+').unwrap_or(name);
            if is_name(name) && literal(name.len()) {
                return SPECIAL_VARIABLES.contains(&name).then(|| {
                    format!(
                        "in a command that sets `{name}`, which bash reads as code or arithmetic"
                    )
                });
            }
            if let Some((array, _)) = name.split_once('[')
                && is_name(array)
            {
                return Some(format!(
                    "in a command that sets an element of `{array}`, whose subscript bash evaluates"
                ));
            }
        }
        if expanded_at.is_none() && KEYWORDS.contains(&word.as_str()) {
            return None;
        }
        // `{vars.dir}/bin/restart` is a path; `${e}al` or a bare value could name any builtin.
        if expanded_at.is_some() && !word.contains('/') {
            return Some(
                "in a command whose command name is computed, which could be `eval`".to_string(),
            );
        }
        let name = word.rsplit('/').next().unwrap_or_default().to_string();
        let refused = self.classify(&name);
        self.command = Some(name);
        refused
    }

    /// `name`, the name of a command: notes what its arguments mean.
    fn classify(&mut self, name: &str) -> Option<String> {
        if EVALUATORS.contains(&name) {
            return Some(format!(
                "in a command that runs `{name}`, which reads a string as shell code"
            ));
        }
        if SHELLS.contains(&name) {
            self.shell = Some(name.to_string());
        }
        self.wrapped |= WRAPPERS.contains(&name);
        self.declares |= DECLARERS.contains(&name);
        self.names |= NAMERS.contains(&name);
        self.test |= matches!(name, "test" | "[");
        if name == "printf" {
            self.printf_v = false;
        }
        None
    }

    fn argument(&mut self, word: &str, expanded_at: Option<usize>) -> Option<String> {
        let command = self.command.clone().unwrap_or_default();
        let option = word.starts_with('-') && expanded_at != Some(0);
        if word == "--" && expanded_at.is_none() {
            self.double_dash = true;
        }
        let runs_string = if word.starts_with("--") {
            word.starts_with("--command")
        } else {
            word.contains('c')
        };
        if let Some(shell) = self.shell.as_ref().filter(|_| option && runs_string) {
            return Some(format!(
                "in a command that runs `{shell} {word}`, which reads a string as shell code"
            ));
        }
        if self.wrapped && !option && expanded_at.is_none() {
            let name = word.rsplit('/').next().unwrap_or_default();
            if let Some(refused) = self.classify(name) {
                return Some(refused);
            }
        }
        if self.test && matches!(word, "-v" | "-R") {
            return Some(format!(
                "in a command that runs `{command} {word}`, which evaluates a variable name"
            ));
        }
        if command == "printf" {
            if std::mem::take(&mut self.printf_v) {
                return literal_name(&command, word, expanded_at);
            }
            self.printf_v = word == "-v";
            return None;
        }
        if self.declares && option && word.contains(['i', 'n']) {
            return Some(format!(
                "in a command that runs `{command} {word}`, which evaluates values as arithmetic or names"
            ));
        }
        if (self.declares || self.names) && !option {
            return literal_name(&command, word, expanded_at);
        }
        None
    }
}

/// A builtin's argument that names a variable (`NAME` or `NAME=value`) must name it literally.
fn literal_name(command: &str, word: &str, expanded_at: Option<usize>) -> Option<String> {
    let name = word.split_once('=').map_or(word, |(name, _)| name);
    let name = name.strip_suffix('+').unwrap_or(name);
    let literal = is_name(name) && expanded_at.is_none_or(|e| e > name.len());
    (!literal).then(|| {
        format!("in a command where `{command}` takes a variable name that is not written out")
    })
}
