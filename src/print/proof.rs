//! How the operator reads service managers and restart proofs as they happen.

use crate::exec::Event;
use crate::plan::model::Action;

/// The step index (if any) and the text of a unit event; `None` for any other event.
pub(crate) fn line(event: &Event) -> Option<(Option<usize>, String)> {
    Some(match event {
        Event::ManagerDetected {
            host,
            manager,
            error,
        } => (
            None,
            match (manager, error) {
                (Some(m), _) => format!("service manager of {host}: {m}"),
                (None, e) => format!(
                    "service manager of {host}: unknown: {}",
                    e.as_deref().unwrap_or("no answer")
                ),
            },
        ),
        Event::RestartEvidence {
            index,
            action,
            unit,
            before,
            after,
            proved: true,
            ..
        } => {
            let pid = |s: &Option<crate::exec::Seen>| {
                s.map_or("none".to_string(), |s| format!("pid {}", s.pid))
            };
            let how = match action {
                Action::Restart => "restart proved: new process",
                Action::Reload => "reload proved: same process",
            };
            let whose = unit.as_ref().map(|u| format!("{u}: ")).unwrap_or_default();
            (
                Some(*index),
                format!("{how} ({whose}{} -> {})", pid(before), pid(after)),
            )
        }
        Event::StopForced { index, unit, log } => (
            Some(*index),
            format!("warning: the stop of {unit} was forced: the manager killed it ({log})"),
        ),
        Event::ChecksInferred { index, checks } => (
            Some(*index),
            format!(
                "no health checks in the plan; inferred: {}",
                checks.join("; ")
            ),
        ),
        Event::ConfigsLoaded { index, paths } => (
            Some(*index),
            format!("loaded at last: {}", paths.join(", ")),
        ),
        Event::RunStarted { .. }
        | Event::RunResumed { .. }
        | Event::HostConnected { .. }
        | Event::HostUnreachable { .. }
        | Event::BatchStarted { .. }
        | Event::StepStarted { .. }
        | Event::PhaseStarted { .. }
        | Event::Inspected { .. }
        | Event::ClusterViewed { .. }
        | Event::ClusterVerdict { .. }
        | Event::ColdStart { .. }
        | Event::Prechecked { .. }
        | Event::RestartBegun { .. }
        | Event::RestartFound { .. }
        | Event::Restarted { .. }
        | Event::RestartEvidence { .. }
        | Event::CheckUp { .. }
        | Event::CheckPassed { .. }
        | Event::StepSucceeded { .. }
        | Event::StepFailed { .. }
        | Event::CommandStillRunning { .. }
        | Event::CommandEnded { .. }
        | Event::RunFinished { .. }
        | Event::HookRan { .. }
        | Event::HooksPending { .. }
        | Event::Estimated { .. }
        | Event::Pausing { .. }
        | Event::Asking { .. }
        | Event::StopAsked { .. }
        | Event::NotifyFailed { .. } => return None,
    })
}
