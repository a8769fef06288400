//! The operator's pace through a window: `--stop-after N` (the canary), `--pause DUR` between
//! steps, `--step` (ask before each one). Asking is the caller's business: the executor only
//! hands it the step and waits for the answer.

use super::event::{Asking, Pausing};
use super::{Event, Executor, Outcome, Stop};
use crate::plan::Step;
use crate::transport::Transport;
use std::sync::Arc;
use std::time::Duration;

/// The operator's answer before a step, under `--step`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Run this step.
    Yes,
    /// Stop here, cleanly: `resume` continues with this step.
    No,
    /// Run this step and every next one without asking.
    All,
    /// Stop now, as an interruption.
    Quit,
}

/// Asks the operator about the next unit of the walk: its first step's number and every step
/// of it (`service@host`; more than one for a batch). Runs on a blocking thread.
pub type Ask = Arc<dyn Fn(usize, &[String]) -> Answer + Send + Sync>;

/// How a real run is paced (`--stop-after`, `--pause`, `--step`); the default runs straight on.
#[derive(Clone, Default)]
pub struct Pacing {
    /// Stop cleanly after this many steps of this invocation.
    pub stop_after: Option<usize>,
    /// Wait this long between steps.
    pub pause: Option<Duration>,
    /// Ask before each step, or each batch (on a terminal).
    pub ask: Option<Ask>,
}

impl<T: Transport> Executor<'_, T> {
    /// Before the `n`th unit of this walk (0-based: a step, or a batch), `done` steps done:
    /// the canary stop, the pause, the question. `Some(outcome)` ends the walk there.
    pub(super) async fn pace(
        &self,
        n: usize,
        done: usize,
        unit: &[Step],
        last_done: &Option<String>,
        asking: &mut bool,
    ) -> Option<Outcome> {
        let step = &unit[0];
        let stopped = || Outcome::Stopped {
            after: last_done.clone(),
            steps: done,
        };
        if self.pacing.stop_after == Some(n) {
            return Some(stopped());
        }
        if let Some(pause) = self.pacing.pause.filter(|p| n > 0 && !p.is_zero()) {
            self.events.emit(Event::Pausing(Pausing {
                before: step.index,
                ms: super::millis(pause),
            }));
            let mut stop = self.stop.clone();
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = stop.wait_for(|s| *s >= Stop::AfterStep) => {
                    return Some(Outcome::Interrupted { after: last_done.clone() });
                }
            }
        }
        if let Some(ask) = self.pacing.ask.clone().filter(|_| *asking) {
            let ids: Vec<String> = unit.iter().map(|s| s.id(self.model)).collect();
            self.events.emit(Event::Asking(Asking {
                index: step.index,
                step: ids[0].clone(),
                batch: if ids.len() > 1 {
                    ids.clone()
                } else {
                    Vec::new()
                },
            }));
            let index = step.index;
            let answer = tokio::task::spawn_blocking(move || ask(index, &ids))
                .await
                .unwrap_or(Answer::Quit);
            match answer {
                Answer::Yes => {}
                Answer::All => *asking = false,
                Answer::No => return Some(stopped()),
                Answer::Quit => {
                    return Some(Outcome::Interrupted {
                        after: last_done.clone(),
                    });
                }
            }
        }
        None
    }
}
