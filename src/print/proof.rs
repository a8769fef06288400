//! How the operator reads service managers and restart proofs as they happen.

use crate::exec::Seen;
use crate::inspect::Manager;
use crate::plan::model::Action;

/// `service manager of web-01: systemd`.
pub(crate) fn manager(host: &str, manager: Option<Manager>, error: Option<&str>) -> String {
    match manager {
        Some(m) => format!("service manager of {host}: {m}"),
        None => format!(
            "service manager of {host}: unknown: {}",
            error.unwrap_or("no answer")
        ),
    }
}

/// `restart proved: new process (pid 812 -> pid 907)`.
pub(crate) fn proved(
    action: Action,
    unit: Option<&str>,
    before: Option<Seen>,
    after: Option<Seen>,
) -> String {
    let pid = |s: Option<Seen>| s.map_or("none".to_string(), |s| format!("pid {}", s.pid));
    let how = match action {
        Action::Restart => "restart proved: new process",
        Action::Reload => "reload proved: same process",
    };
    let whose = unit.map(|u| format!("{u}: ")).unwrap_or_default();
    format!("{how} ({whose}{} -> {})", pid(before), pid(after))
}

/// A stop the service manager had to force.
pub(crate) fn stop_forced(unit: &str, log: &str) -> String {
    format!("warning: the stop of {unit} was forced: the manager killed it ({log})")
}

/// The checks inferred for a unit with no `health`.
pub(crate) fn inferred(checks: &[String]) -> String {
    format!(
        "no health checks in the plan; inferred: {}",
        checks.join("; ")
    )
}

/// Configs changed under the old process, loaded by the restart.
pub(crate) fn loaded(paths: &[String]) -> String {
    format!("loaded at last: {}", paths.join(", "))
}
