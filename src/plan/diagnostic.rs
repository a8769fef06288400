//! Errors and warnings about a plan file, each pointing at the line it is about, rendered the
//! way rustc renders its own: `error:`, `--> file:line:col`, the source line, a caret, a hint.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde_saphyr::Location;
use std::fmt;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// An error stops the plan from being used; a warning does not.
pub enum Severity {
    /// The plan cannot be used.
    Error,
    /// Valid, but worth a look.
    Warning,
}

/// Where in the plan file a diagnostic points: 1-based line and column, and a byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
    /// Byte range in the plan's text.
    pub bytes: Range<usize>,
}

impl Span {
    /// The span of a YAML node; `None` where the parser knows no position.
    pub fn of(location: &Location, source: &str) -> Option<Span> {
        if location.line() == 0 {
            return None;
        }
        let start = match location.span().byte_offset() {
            Some(offset) if (offset as usize) <= source.len() => offset as usize,
            _ => byte_of(source, location.line(), location.column())?,
        };
        let len = location.span().byte_len().unwrap_or(0) as usize;
        let end = (start + len).min(source.len());
        Some(Span {
            line: location.line(),
            column: location.column(),
            bytes: start..end,
        })
    }

    /// Where bytes `part` of `value`, the value of the scalar this span covers, are written in
    /// the file, quotes, escapes and block indentation accounted for. Where that cannot be
    /// proven, the first occurrence of the part's text on the scalar's first line.
    pub(crate) fn within(self, source: &str, value: &str, part: Range<usize>) -> Span {
        match super::scalar::source_range(source, self.bytes.clone(), value, part.clone()) {
            Some(bytes) => {
                let line_start = source[..bytes.start].rfind('\n').map_or(0, |n| n + 1);
                Span {
                    line: source[..bytes.start].matches('\n').count() as u64 + 1,
                    column: source[line_start..bytes.start].chars().count() as u64 + 1,
                    bytes,
                }
            }
            None => {
                let needle = value.get(part).unwrap_or_default();
                self.narrowed_to(source, needle)
            }
        }
    }

    /// The first occurrence of `needle` at or after this span's start, on the same line: where a
    /// word inside a longer YAML value (a key inside a flow mapping, a placeholder inside a
    /// string) really is.
    pub fn narrowed_to(mut self, source: &str, needle: &str) -> Span {
        let rest = &source[self.bytes.start..];
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        if let Some(found) = line.find(needle) {
            self.column += line[..found].chars().count() as u64;
            self.bytes = self.bytes.start + found..self.bytes.start + found + needle.len();
        }
        self
    }
}

/// Byte offset of a 1-based line and (character) column.
fn byte_of(source: &str, line: u64, column: u64) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        source
            .match_indices('\n')
            .nth(line as usize - 2)
            .map(|(i, _)| i + 1)?
    };
    let rest = &source[line_start..];
    let col = rest
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    Some(line_start + col)
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// One problem of a plan: what, where, and a hint.
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, with the key path.
    pub message: String,
    /// Where in the file, when the YAML tells.
    pub span: Option<Span>,
    /// A `did you mean`, or what to write instead.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(message: impl Into<String>, span: Option<Span>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            hint: None,
        }
    }

    /// A warning at `span`.
    pub fn warning(message: impl Into<String>, span: Option<Span>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message, span)
        }
    }

    /// The same diagnostic with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether it stops the plan.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders against the plan's source text; `path` is how the operator named the file.
    pub fn render(&self, path: &str, source: &str) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut group = Group::with_title(level.primary_title(self.message.as_str()));
        // Owned here so the snippet can borrow it: the text as it may be shown.
        let shown;
        match &self.span {
            Some(span) => {
                let bytes;
                (shown, bytes) = masked(source, span.bytes.clone());
                let annotation = AnnotationKind::Primary.span(bytes);
                group = group.element(
                    Snippet::source(&shown)
                        .path(path)
                        .fold(true)
                        .annotation(annotation),
                );
            }
            None => {
                group = group.element(Level::NOTE.message(format!("in {path}")));
            }
        }
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        Renderer::plain().render(&[group]).to_string()
    }
}

/// The plan's text as a diagnostic may quote it: every line holding a secret (a password, a
/// token, a webhook's URL) masked, and `bytes` moved to where it now stands (onto the whole line
/// when the line it points into was masked).
fn masked(source: &str, bytes: Range<usize>) -> (String, Range<usize>) {
    let mut shown = String::with_capacity(source.len());
    let mut span = bytes.clone();
    let mut at = 0;
    for line in source.split_inclusive('\n') {
        let end = at + line.len();
        let line_shown = mask_line(line);
        if line_shown != line {
            let start = shown.len();
            if bytes.start >= end {
                let delta = line_shown.len() as isize - line.len() as isize;
                span =
                    span.start.saturating_add_signed(delta)..span.end.saturating_add_signed(delta);
            } else if bytes.start >= at {
                let len = line_shown.trim_end_matches('\n').len();
                span = start + (bytes.start - at).min(len)..start + len;
            }
        }
        shown.push_str(&line_shown);
        at = end;
    }
    let len = shown.len();
    (shown, span.start.min(len)..span.end.min(len))
}

fn mask_line(line: &str) -> std::borrow::Cow<'_, str> {
    let line = crate::redact::secrets(line);
    // A webhook's URL is its token: `url: https://chat.example.com/hooks/XXXX`.
    let key = line.trim_start().trim_start_matches("- ").trim_start();
    let Some(value) = key.strip_prefix("url:") else {
        return line;
    };
    let url = value.trim().trim_matches(|c| c == '"' || c == '\'');
    if !url.contains("://") {
        return line;
    }
    let head = &line[..line.len() - value.len()];
    let newline = if line.ends_with('\n') { "\n" } else { "" };
    std::borrow::Cow::Owned(format!(
        "{head} {}{newline}",
        crate::redact::masked_url(url)
    ))
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.span {
            Some(span) => write!(f, "{}:{}: {}", span.line, span.column, self.message)?,
            None => f.write_str(&self.message)?,
        }
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// The known name closest to a misspelt one, if any is close enough to be a typo.
pub fn closest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|name| (strsim::jaro_winkler(wrong, name), name))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

/// `did you mean `x`?` for the closest known name.
pub fn did_you_mean<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(wrong, known).map(|name| format!("did you mean `{name}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_of_a_scalar_is_found_in_the_file_or_else_searched_on_its_line() {
        let source = "a: |\n  one {x}\n  two {x}\n";
        let scalar = Span {
            line: 2,
            column: 3,
            bytes: 7..source.len(),
        };
        let value = "one {x}\ntwo {x}\n";
        let found = scalar.clone().within(source, value, 12..15);
        assert_eq!((found.line, found.column, found.bytes), (3, 7, 21..24));
        // A value the scalar does not decode to: the first `{x}` on the scalar's first line.
        let fallback = scalar.within(source, "two {x}", 4..7);
        assert_eq!(
            (fallback.line, fallback.column, fallback.bytes),
            (2, 7, 11..14)
        );
    }
}
