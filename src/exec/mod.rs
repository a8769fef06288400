//! The step protocol: preflight, restart, health gate, dependents gate, record; one step at a
//! time, halting on the first failure. Emits events and never prints.

pub mod event;
mod step;
#[cfg(test)]
mod tests;

pub use event::{Consumer, Event, Events, Outcome, Phase, Resumed};
pub use step::StepFailure;

use crate::checks::Checker;
use crate::plan::{Model, Step};
use crate::transport::Transport;
use std::time::{Duration, Instant};
use tokio::sync::watch;

#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Read-only: preflight every step, restart nothing, never halt.
    pub dry_run: bool,
    /// Restart a service even when it was unhealthy before we touched it.
    pub allow_unhealthy: bool,
}

/// The operator's wish to stop, as a Ctrl-C handler sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Stop {
    #[default]
    No,
    /// First Ctrl-C: finish the step in flight, record it, then stop.
    AfterStep,
    /// Second Ctrl-C: stop now.
    Now,
}

pub struct Executor<'a, T: Transport> {
    model: &'a Model,
    transport: &'a T,
    checker: Checker<'a, T>,
    events: &'a Events,
    options: RunOptions,
    stop: watch::Receiver<Stop>,
    /// Blocking references found so far (a dry run goes on past them).
    stale: std::sync::atomic::AtomicUsize,
}

pub fn millis(d: Duration) -> u64 {
    d.as_millis().try_into().unwrap_or(u64::MAX)
}

impl<'a, T: Transport> Executor<'a, T> {
    pub fn new(
        model: &'a Model,
        transport: &'a T,
        events: &'a Events,
        options: RunOptions,
        stop: watch::Receiver<Stop>,
    ) -> Self {
        Executor {
            model,
            transport,
            checker: Checker::new(transport),
            events,
            options,
            stop,
            stale: Default::default(),
        }
    }

    /// Walks `steps` in order. `first` says how the first step resumes, if this is a resume.
    pub async fn run(&mut self, steps: &[Step], first: Option<Resumed>) -> Outcome {
        let started = Instant::now();
        let outcome = self.walk(steps, first).await;
        self.events.emit(Event::RunFinished {
            outcome: outcome.clone(),
            elapsed_ms: millis(started.elapsed()),
        });
        outcome
    }

    async fn walk(&mut self, steps: &[Step], first: Option<Resumed>) -> Outcome {
        let mut last_done: Option<String> = None;
        let mut blocked = Vec::new();
        let mut stale = Vec::new();
        for (n, step) in steps.iter().enumerate() {
            if *self.stop.borrow() >= Stop::AfterStep {
                return Outcome::Interrupted { after: last_done };
            }
            let id = step.id(self.model);
            let resumed = if n == 0 { first } else { None };
            self.events.emit(Event::StepStarted {
                index: step.index,
                step: id.clone(),
                resumed,
            });
            let started = Instant::now();
            let mut stop = self.stop.clone();
            let stale_before = self.stale.load(std::sync::atomic::Ordering::Relaxed);
            let result = tokio::select! {
                result = self.step(step, resumed) => result,
                _ = stop.wait_for(|s| *s == Stop::Now) => {
                    return Outcome::Aborted { step: Some(id) };
                }
            };
            if self.stale.load(std::sync::atomic::Ordering::Relaxed) > stale_before {
                stale.push(id.clone());
            }
            match result {
                Ok(()) => {
                    self.events.emit(Event::StepSucceeded {
                        index: step.index,
                        step: id.clone(),
                        elapsed_ms: millis(started.elapsed()),
                    });
                    last_done = Some(id);
                }
                Err(failure) => {
                    let service = &self.model.services[step.service];
                    self.events.emit(Event::StepFailed {
                        impact: service.impact.clone(),
                        runbook: service.runbook.clone(),
                        index: step.index,
                        step: id.clone(),
                        phase: failure.phase,
                        target: failure.target,
                        check: failure.check,
                        reason: failure.reason,
                    });
                    if self.options.dry_run {
                        blocked.push(id);
                    } else {
                        return Outcome::Halted {
                            index: step.index,
                            step: id,
                        };
                    }
                }
            }
        }
        if !blocked.is_empty() {
            Outcome::Blocked { steps: blocked }
        } else if !stale.is_empty() {
            Outcome::StaleReferences { steps: stale }
        } else {
            Outcome::Completed
        }
    }
}
