//! A member's answer as the executor hands it over, and the reading of the `key: value` and
//! `key=value` lines most clients print. Answers are hostile input: a line that is not what the
//! kind prints is skipped, never trusted.

/// What one question run on a member's host gave back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    /// Exit status; `None` when the host killed it or it did not run.
    pub code: Option<i32>,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error, or why it could not run.
    pub stderr: String,
}

impl Answer {
    /// It ran and exited 0.
    pub fn ok(&self) -> bool {
        self.code == Some(0)
    }

    /// What to show of a failed answer: stderr, else stdout, on one line.
    pub(super) fn why(&self) -> String {
        let text = if self.stderr.trim().is_empty() {
            &self.stdout
        } else {
            &self.stderr
        };
        super::one_line(text)
    }
}

impl Answer {
    /// Its last line of stderr, else [`Answer::why`]: for clients that log structured warnings
    /// first and say what failed last (etcdctl).
    pub(super) fn last_words(&self) -> String {
        match self.stderr.lines().map(str::trim).rfind(|l| !l.is_empty()) {
            Some(line) => super::one_line(line),
            None => self.why(),
        }
    }
}

/// The value of `key` in lines of `key<sep>value` (the last one wins), trimmed, `\r` too.
pub(super) fn value<'a>(text: &'a str, key: &str, sep: char) -> Option<&'a str> {
    text.lines()
        .rev()
        .filter_map(|l| l.split_once(sep))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim())
}
