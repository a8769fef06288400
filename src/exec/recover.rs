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

/// Says `<status> <end>` of the restart tagged `$1`, from what the run wrapper left on the host.
const EXIT_SCRIPT: &str = include_str!("../remote/run_exit.sh");

/// `<status> <end>` as [`EXIT_SCRIPT`] says it (anything after is left: an older wrapper wrote
/// the end itself, and the file's mtime follows it).
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
        // `COMEBACK_RUN` is the run's id in every command of the run (see transport::mark);
        // the tag is comeback's own word (`restart-N`), the host's plan name a plain name.
        let host = &self.model.hosts[step.host].name;
        let read =
            crate::inspect::with_args([exit_tag(step.index).as_str(), host.as_str()], EXIT_SCRIPT);
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
                self.prove(sink, step, target, &command.shown, before, watch, None)
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
        // An older wrapper's `<status> <end>`, then the file's mtime: its own end counts.
        assert_eq!(
            parse_exit("0 1796525480 1796525481\n"),
            Some((0, 1_796_525_480))
        );
    }

    /// The wrapper leaves the status, the reader adds the end: as a resume reads them back.
    #[test]
    fn the_exit_file_read_back() {
        let home = tempfile::tempdir().expect("home");
        let argv = crate::transport::mark::command_argv(
            &crate::plan::model::ShellCommand::plain("exit 3"),
            Duration::from_secs(10),
            false,
            Some("R-exit/db-01"),
            Some(&exit_tag(7)),
            None,
        );
        let out = std::process::Command::new(&argv[0])
            .args(&argv[1..])
            .env("HOME", home.path())
            .output()
            .expect("wrapper");
        assert_eq!(out.status.code(), Some(3));
        let read = |tag: &str| {
            let out = std::process::Command::new("sh")
                .args(["-c", EXIT_SCRIPT, "comeback-run", tag, "db-01"])
                .env("HOME", home.path())
                .env("COMEBACK_RUN", "R-exit")
                .output()
                .expect("reader");
            assert!(out.status.success(), "{out:?}");
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs() as i64;
        let (code, ended) = parse_exit(&read(&exit_tag(7))).expect("read back");
        assert_eq!(code, 3);
        assert!((ended - now).abs() <= 5, "{ended} vs {now}");
        assert_eq!(read(&exit_tag(8)), "", "no file: nothing said");
    }
}
