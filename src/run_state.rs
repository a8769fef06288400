//! One fold of a run's events into the state that every consumer reads (the progress display,
//! the report, the notifications): which run, which steps, the one in flight, its batch, how
//! many passed, the failure, the expected end. Each consumer then only says what it makes of it.

use crate::eta::{Clock, stamp};
use crate::exec::event::{
    BatchStarted, CheckPassed, Estimated, Pausing, PhaseStarted, RestartEvidence, RunFinished,
    RunResumed, RunStarted, StepFailed, StepStarted, StepSucceeded,
};
use crate::exec::{Event, Mode, Outcome, Phase, Record};
use std::collections::{BTreeSet, HashMap};

/// The run as its events told it so far.
#[derive(Debug, Clone, Default)]
pub(crate) struct RunState {
    pub mode: Mode,
    pub run_id: String,
    /// The plan file, as the start event names it.
    pub plan: String,
    /// Every step of the run, `(number, service@host)`, in order; a resume names them again
    /// and each is kept once.
    pub steps: Vec<(usize, String)>,
    /// The last step's number: `[3/total]`.
    pub total: usize,
    /// Whether this invocation is a resume.
    pub resumed: bool,
    /// The first step of this invocation (a resume's is where it picks the run up).
    pub from: usize,
    /// The step most recently started.
    pub current: Option<(usize, String)>,
    /// Per step in a gate, checks passed and checks awaited (a batch's members gate side by
    /// side).
    gates: HashMap<usize, (usize, usize)>,
    /// Steps that passed in this invocation (a resume counts only its own).
    pub passed: usize,
    /// Which of them were reloads.
    pub reloads: BTreeSet<usize>,
    /// The last step that failed.
    pub failure: Option<Failure>,
    /// Where each step stands in `steps`, by its number: 10,000 steps need no search.
    at: HashMap<usize, usize>,
    /// The batch each step of the latest `batch_started` runs in, until it starts.
    batch_next: HashMap<usize, usize>,
    /// The batch each step's latest attempt ran in (a resumed member runs alone: none).
    batch: HashMap<usize, usize>,
    clock: Clock,
}

/// The moments of a run that people outside ops are told of: what `on` says an event was.
#[derive(Debug)]
pub(crate) enum Moment<'a> {
    /// A run, or a resume, began.
    Began,
    /// Its expected length is known (`None`: no estimate yet); `batched`: some instances
    /// restart side by side.
    Estimated {
        total_ms: Option<u64>,
        batched: bool,
    },
    /// A step started: `current` is it.
    StepStarted,
    /// The run ended.
    Finished {
        outcome: &'a Outcome,
        elapsed_ms: u64,
    },
}

/// A failed step, as the operator and the people told about it need it.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub phase: Phase,
    pub impact: Option<String>,
    pub runbook: Option<String>,
}

impl RunState {
    /// Folds one more event in; the moment it was, if it was one people are told of.
    pub(crate) fn on<'r>(&mut self, record: &'r Record) -> Option<Moment<'r>> {
        match &record.event {
            Event::RunStarted(RunStarted {
                run_id,
                plan,
                mode,
                steps,
                ..
            }) => {
                self.mode = *mode;
                self.start(run_id, plan, steps, false);
                self.from = steps.first().map_or(1, |(i, _)| *i);
                return Some(Moment::Began);
            }
            Event::RunResumed(RunResumed {
                run_id,
                plan,
                steps,
                from,
                ..
            }) => {
                self.mode = Mode::Run;
                self.start(run_id, plan, steps, true);
                self.from = *from;
                return Some(Moment::Began);
            }
            Event::Estimated(Estimated {
                steps,
                batches,
                total_ms,
            }) => {
                self.clock.estimated(steps, batches);
                return Some(Moment::Estimated {
                    total_ms: *total_ms,
                    batched: !batches.is_empty(),
                });
            }
            Event::BatchStarted(BatchStarted { batch, indices, .. }) => {
                self.batch_next = indices.iter().map(|&i| (i, *batch)).collect();
            }
            Event::StepStarted(StepStarted { index, step, .. }) => {
                self.current = Some((*index, step.clone()));
                match self.batch_next.remove(index) {
                    Some(batch) => self.batch.insert(*index, batch),
                    None => self.batch.remove(index),
                };
                self.clock.started(*index, stamp(record));
                return Some(Moment::StepStarted);
            }
            Event::PhaseStarted(PhaseStarted { index, checks, .. }) => {
                self.gates.insert(*index, (0, *checks));
            }
            Event::CheckPassed(CheckPassed { index, .. }) => {
                if let Some(gate) = self.gates.get_mut(index) {
                    gate.0 += 1;
                }
            }
            Event::RestartEvidence(RestartEvidence {
                index,
                action: crate::plan::model::Action::Reload,
                ..
            }) => {
                self.reloads.insert(*index);
            }
            Event::StepSucceeded(StepSucceeded { index, .. }) => {
                self.passed += 1;
                self.gates.remove(index);
            }
            Event::StepFailed(StepFailed {
                index,
                phase,
                impact,
                runbook,
                ..
            }) => {
                self.gates.remove(index);
                self.failure = Some(Failure {
                    phase: *phase,
                    impact: impact.clone(),
                    runbook: runbook.clone(),
                });
            }
            Event::Pausing(Pausing { ms, .. }) => self.clock.paused(*ms),
            Event::HostConnected(_)
            | Event::HostUnreachable(_)
            | Event::ManagerDetected(_)
            | Event::Inspected(_)
            | Event::ClusterViewed(_)
            | Event::ClusterVerdict(_)
            | Event::ColdStart(_)
            | Event::Prechecked(_)
            | Event::RestartBegun(_)
            | Event::RestartFound(_)
            | Event::Restarted(_)
            | Event::RestartEvidence(_)
            | Event::StopForced(_)
            | Event::ChecksInferred(_)
            | Event::ConfigsLoaded(_)
            | Event::CheckUp(_)
            | Event::CommandStillRunning(_)
            | Event::CommandEnded(_)
            | Event::HookRan(_)
            | Event::HooksPending(_)
            | Event::Asking(_)
            | Event::StopAsked(_)
            | Event::NotifyFailed(_) => {}
            Event::RunFinished(RunFinished {
                outcome,
                elapsed_ms,
            }) => {
                return Some(Moment::Finished {
                    outcome,
                    elapsed_ms: *elapsed_ms,
                });
            }
        }
        None
    }

    fn start(&mut self, run_id: &str, plan: &str, steps: &[(usize, String)], resumed: bool) {
        self.run_id = run_id.to_string();
        self.plan = plan.to_string();
        self.resumed = resumed;
        self.passed = 0;
        self.reloads.clear();
        self.failure = None;
        for (index, id) in steps {
            if !self.at.contains_key(index) {
                self.at.insert(*index, self.steps.len());
                self.steps.push((*index, id.clone()));
            }
        }
        self.total = self.steps.iter().map(|(i, _)| *i).max().unwrap_or(0);
    }

    /// Where step `index` stands in `steps`.
    pub(crate) fn position(&self, index: usize) -> Option<usize> {
        self.at.get(&index).copied()
    }

    /// Step `index`'s `service@host` ("" for a number the run does not have).
    pub(crate) fn id(&self, index: usize) -> &str {
        self.position(index)
            .and_then(|at| self.steps.get(at))
            .map_or("", |(_, id)| id.as_str())
    }

    /// Checks passed and checks awaited in step `index`'s gate.
    pub(crate) fn gate(&self, index: usize) -> (usize, usize) {
        self.gates.get(&index).copied().unwrap_or_default()
    }

    /// The batch step `index`'s latest attempt ran in; `None`: it ran alone.
    pub(crate) fn batch(&self, index: usize) -> Option<usize> {
        self.batch.get(&index).copied()
    }

    /// The expected end of the run, `15:42 UTC`, when every remaining step has a history.
    pub(crate) fn expected_end(&self) -> Option<String> {
        self.clock.expected_end()
    }

    /// How long until the last step ends, from `now`; `None` without a history for each.
    #[cfg(test)]
    pub(crate) fn remaining(&self, now: time::OffsetDateTime) -> Option<std::time::Duration> {
        self.clock.remaining(now)
    }
}

#[cfg(test)]
mod tests;
