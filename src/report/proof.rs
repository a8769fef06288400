//! What the report keeps of service managers and restart proofs: each host's manager, each
//! step's process before and after its restart, the checks inferred for it, and the configs it
//! loaded at last.

use super::{Report, StepReport};
use crate::exec::Seen;
use crate::inspect::Manager;
use crate::plan::model::Action;
use serde::Serialize;
use std::fmt::Write;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct HostManager {
    pub host: String,
    pub manager: Option<Manager>,
    pub error: Option<String>,
}

/// The process before and after a step's restart command.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RestartProof {
    pub action: Action,
    /// The member unit whose process it is, when not the service's own (an umbrella's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub command: String,
    pub before: Option<Seen>,
    pub after: Option<Seen>,
    pub proved: bool,
}

/// `pid 812 (started 2026-11-28 02:10:00 UTC)`.
pub(super) fn process(seen: Option<&Seen>) -> String {
    match seen {
        Some(s) => format!("pid {} (started {})", s.pid, utc(s.started)),
        None => "no process".into(),
    }
}

/// The Markdown section listing each host's manager.
pub(super) fn managers_markdown(report: &Report, out: &mut String) {
    if report.managers.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## Service managers\n");
    for m in &report.managers {
        let what = match (&m.manager, &m.error) {
            (Some(manager), _) => manager.to_string(),
            (None, Some(e)) => format!("**unknown**: {}", super::markdown::cell(e)),
            (None, None) => "unknown".into(),
        };
        let _ = writeln!(out, "- {}: {what}", m.host);
    }
}

/// The lines of a step's proof, inferred checks and configs loaded at last.
pub(super) fn step_markdown(step: &StepReport, out: &mut String) {
    for p in &step.restart_proofs {
        let verdict = match (p.proved, p.action) {
            (true, Action::Restart) => "replaced",
            (true, Action::Reload) => "reloaded in place",
            (false, _) => "**not proved**",
        };
        let whose = p
            .unit
            .as_ref()
            .map(|u| format!("{}: ", super::markdown::cell(u)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "- {} proof: {verdict}: {whose}{} → {} (`{}`)",
            p.action,
            process(p.before.as_ref()),
            process(p.after.as_ref()),
            super::markdown::cell(&p.command)
        );
    }
    for w in &step.warnings {
        let _ = writeln!(out, "- **warning**: {}", super::markdown::cell(w));
    }
    for c in &step.inferred_checks {
        let _ = writeln!(out, "- inferred check: {}", super::markdown::cell(c));
    }
    for path in &step.configs_loaded {
        let _ = writeln!(
            out,
            "- loaded at last: `{path}` (changed under the old process)"
        );
    }
}

fn utc(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| unix.to_string())
}
