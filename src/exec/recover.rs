//! A restart comeback did not see end (it was killed while the command ran) is not run twice:
//! the remote wrapper kept the command's exit status and end in the run's folder on the host,
//! and the processes before the command were journaled. A resume reads them: a restart that
//! completed and whose proof holds goes straight to its gates; one that failed fails the step;
//! only when the host kept nothing does the step run again in full, and the operator is told.

use super::event::{RestartFound, Restarted};
use super::proof::{Before, Found, Tracked};
use super::unit_watch::Watch;
use super::{Event, Executor, Phase, Sink, StepFailure};
use crate::inspect::ProcessInfo;
use crate::plan::Step;
use crate::plan::model::Check;
use crate::redact;
use crate::transport::Transport;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The restart a run had begun when comeback died, as its journal tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestartBegan {
    /// The step's number in the whole order.
    pub index: usize,
    /// The processes before the command.
    pub before: Vec<Tracked>,
    /// Unix seconds on the host just before the command.
    pub host_now: i64,
}

/// The name under which the host keeps step `index`'s restart status (no plan text in it).
pub(super) fn exit_tag(index: usize) -> String {
    format!("restart-{index}")
}

/// `<status> <end>` as the wrapper writes it.
fn parse_exit(text: &str) -> Option<(i32, i64)> {
    let mut words = text.split_whitespace();
    let code = words.next()?.parse().ok()?;
    let ended = words.next()?.parse().ok()?;
    Some((code, ended))
}

impl<T: Transport> Executor<'_, T> {
    /// What became of the restart `began`: `Some(checks)` when it completed and is proved
    /// (the gates run next, with these inferred checks), `None` when the host cannot tell (the
    /// step runs again in full), a failure when it failed.
    pub(super) async fn recover(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        target: &str,
        began: &RestartBegan,
        watch: Option<&Watch>,
    ) -> Result<Option<Vec<Check>>, StepFailure> {
        // `COMEBACK_RUN` is the run's id in every command of the run (see transport::mark).
        let read = format!(
            "cat \"$HOME/.comeback/runs/$COMEBACK_RUN/{}.exit\" 2>/dev/null; exit 0",
            exit_tag(step.index)
        );
        let found = match self
            .transport
            .run(step.host, &read, Duration::from_secs(30))
            .await
        {
            Ok(out) if out.success() => parse_exit(&out.stdout),
            _ => None,
        };
        sink.events.emit(Event::RestartFound(RestartFound {
            index: step.index,
            code: found.map(|f| f.0),
            ended: found.map(|f| f.1),
        }));
        let command = self.restart_command(step);
        match found {
            None => Ok(None),
            Some((0, _)) => {
                sink.events.emit(Event::Restarted(Restarted {
                    index: step.index,
                    elapsed_ms: 0,
                }));
                if began.before.is_empty() {
                    return Ok(Some(
                        self.status_check(step).into_iter().map(|c| c.0).collect(),
                    ));
                }
                let before = Before {
                    processes: began
                        .before
                        .iter()
                        .map(|t| Found {
                            member: t.unit.clone(),
                            process: t.process.map(|s| ProcessInfo {
                                pid: s.pid,
                                started: s.started,
                                ..ProcessInfo::default()
                            }),
                        })
                        .collect(),
                    now: began.host_now,
                };
                self.prove(sink, step, target, &command.shown, before, watch)
                    .await
                    .map(Some)
            }
            Some((code, _)) => Err(StepFailure {
                phase: Phase::Restart,
                target: target.to_string(),
                check: Some(redact::secrets(&command.shown).into_owned()),
                reason: format!(
                    "the restart command exited {code} while comeback was away (it was killed during the restart): fix the cause, then resume runs it again"
                ),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wrappers_exit_file() {
        assert_eq!(parse_exit("0 1796525480\n"), Some((0, 1_796_525_480)));
        assert_eq!(parse_exit("143 1796525480"), Some((143, 1_796_525_480)));
        assert_eq!(parse_exit(""), None);
        assert_eq!(parse_exit("0"), None);
        assert_eq!(parse_exit("x 1"), None);
    }
}
