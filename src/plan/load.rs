//! Reading a plan file: YAML errors and validation errors both come out as diagnostics that
//! point at the file's own lines.

use super::diagnostic::{Diagnostic, Span, did_you_mean};
use super::model::Model;
use super::validate::{Validated, validate};
use super::wire::PlanFile;
use regex::Regex;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// A plan that passed validation, with the warnings it still deserves.
#[derive(Debug)]
pub struct LoadedPlan {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its text, for diagnostics that show a line.
    pub source: String,
    /// The validated model.
    pub model: Model,
    /// What is valid but deserves a look.
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, thiserror::Error)]
/// Why a plan could not be loaded.
pub enum LoadError {
    #[error("cannot read plan `{}`: {source}", path.display())]
    /// The file could not be read.
    Read {
        /// The plan file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    #[error("plan `{}` is invalid: {} error(s)", path.display(), diagnostics.len())]
    /// The file is not a valid plan.
    Invalid {
        /// The plan file.
        path: PathBuf,
        /// Its text, for rendering the diagnostics.
        source_text: String,
        /// Every problem found, with its position.
        diagnostics: Vec<Diagnostic>,
    },
}

impl LoadError {
    /// Every error rendered against the file, ready for stderr.
    pub fn render(&self) -> String {
        match self {
            LoadError::Read { .. } => format!("error: {self}\n"),
            LoadError::Invalid {
                path,
                source_text,
                diagnostics,
            } => {
                let shown = path.display().to_string();
                let mut out = String::new();
                for d in diagnostics {
                    out.push_str(&d.render(&shown, source_text));
                    out.push_str("\n\n");
                }
                out.push_str(&format!(
                    "error: {} in {shown}; nothing was run\n",
                    crate::human::count(diagnostics.len(), "error")
                ));
                out
            }
        }
    }
}

/// Reads, parses and validates the plan at `path`.
pub fn load(path: &Path) -> Result<LoadedPlan, LoadError> {
    let source = crate::local_file::read_to_string(path, crate::local_file::PLAN_LIMIT).map_err(
        |source| LoadError::Read {
            path: path.to_path_buf(),
            source,
        },
    )?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match parse(&source, dir) {
        Ok(Validated { model, warnings }) => Ok(LoadedPlan {
            path: path.to_path_buf(),
            source,
            model,
            warnings,
        }),
        Err(diagnostics) => Err(LoadError::Invalid {
            path: path.to_path_buf(),
            source_text: source,
            diagnostics,
        }),
    }
}

/// Parses and validates plan text; `dir` anchors the plan's relative paths.
pub fn parse(source: &str, dir: &Path) -> Result<Validated, Vec<Diagnostic>> {
    let wire: PlanFile =
        serde_saphyr::from_str(source).map_err(|e| vec![yaml_diagnostic(&e, source)])?;
    validate(wire, source, dir)
}

static AT_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r" at line \d+, column \d+$").expect("valid regex"));
static UNKNOWN_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^unknown field `([^`]*)`, expected (?:one of )?(.*)$").expect("valid regex")
});
static DUPLICATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^duplicate mapping key: (.*?)(?:, set DuplicateKeyPolicy.*)?$")
        .expect("valid regex")
});

/// serde-saphyr's error, reworded for an operator and given a hint where we have one.
fn yaml_diagnostic(e: &serde_saphyr::Error, source: &str) -> Diagnostic {
    let raw = e.without_snippet().to_string();
    let message = AT_LINE.replace(&raw, "").into_owned();
    let mut span = e.location().and_then(|l| Span::of(&l, source));
    if let Some(caps) = UNKNOWN_FIELD.captures(&message) {
        let field = caps[1].to_string();
        let expected: Vec<String> = caps[2]
            .split(", ")
            .map(|s| s.trim_matches('`').to_string())
            .collect();
        // Point at the key itself: the parser reports the start of its mapping.
        span = span.map(|s| s.narrowed_to(source, &field));
        let hint = did_you_mean(&field, expected.iter().map(String::as_str))
            .unwrap_or_else(|| format!("the keys allowed here are: {}", expected.join(", ")));
        return Diagnostic::error(format!("unknown key `{field}`"), span).with_hint(hint);
    }
    if let Some(caps) = DUPLICATE.captures(&message) {
        return Diagnostic::error(format!("duplicate key `{}`", &caps[1]), span)
            .with_hint("each key may appear once: YAML would silently keep only one of them");
    }
    Diagnostic::error(format!("invalid YAML: {message}"), span)
}
