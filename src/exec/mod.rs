//! The step protocol: preflight, restart, health gate, dependents gate, record; one step at a
//! time, halting on the first failure. Emits events and never prints.

pub mod event;
mod step;
#[cfg(test)]
mod tests;
mod units;

pub use event::{Consumer, Event, Events, Outcome, Phase, Resumed};
pub use step::StepFailure;
pub use units::Seen;

use crate::checks::Checker;
use crate::plan::{Model, Step};
use crate::transport::Transport;
use futures_util::StreamExt;
use std::sync::atomic::AtomicBool;
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
    resolved: units::Resolved,
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
            resolved: units::Resolved::default(),
        }
    }

    /// Walks `steps` in order. `first` says how the first step resumes, if this is a resume.
    pub async fn run(&mut self, steps: &[Step], first: Option<Resumed>) -> Outcome {
        let started = Instant::now();
        let outcome = match self.resolve_units(steps).await {
            Ok(()) => self.walk(steps, first).await,
            Err(problems) => Outcome::Invalid { problems },
        };
        self.events.emit(Event::RunFinished {
            outcome: outcome.clone(),
            elapsed_ms: millis(started.elapsed()),
        });
        outcome
    }

    async fn walk(&self, steps: &[Step], first: Option<Resumed>) -> Outcome {
        let mut tally = Tally::default();
        if self.options.dry_run {
            // Read-only: every step's preflight runs at once (bounded), and the events of each
            // are replayed in step order, so the operator reads them as a sequential walk.
            let concurrency = self.model.ssh.connect_concurrency;
            let this = self;
            let mut done = futures_util::stream::iter(steps.iter().map(|step| async move {
                let recorder = Recorder::default();
                let events = Events::new(vec![Box::new(recorder.clone())]);
                let sink = Sink {
                    events: &events,
                    stale: AtomicBool::new(false),
                };
                let result = this.run_step(&sink, step, None).await;
                (recorder.take(), result, sink.stale.into_inner())
            }))
            .buffered(concurrency);
            while let Some((events, result, stale)) = done.next().await {
                for event in events {
                    this.events.emit(event);
                }
                tally.record(result, stale, true);
            }
            return tally.outcome();
        }
        for (n, step) in steps.iter().enumerate() {
            if *self.stop.borrow() >= Stop::AfterStep {
                return Outcome::Interrupted {
                    after: tally.last_done,
                };
            }
            let resumed = if n == 0 { first } else { None };
            let sink = Sink {
                events: self.events,
                stale: AtomicBool::new(false),
            };
            let mut stop = self.stop.clone();
            let result = tokio::select! {
                result = self.run_step(&sink, step, resumed) => result,
                _ = stop.wait_for(|s| *s == Stop::Now) => {
                    return Outcome::Aborted { step: Some(step.id(self.model)) };
                }
            };
            if let Some(halt) = tally.record(result, sink.stale.into_inner(), false) {
                return halt;
            }
        }
        tally.outcome()
    }

    /// One step, bracketed by its start and end events.
    async fn run_step(&self, sink: &Sink<'_>, step: &Step, resumed: Option<Resumed>) -> StepEnd {
        let id = step.id(self.model);
        sink.events.emit(Event::StepStarted {
            index: step.index,
            step: id.clone(),
            resumed,
        });
        let started = Instant::now();
        let result = self.step(sink, step, resumed).await;
        match &result {
            Ok(()) => sink.events.emit(Event::StepSucceeded {
                index: step.index,
                step: id.clone(),
                elapsed_ms: millis(started.elapsed()),
            }),
            Err(failure) => {
                let service = &self.model.services[step.service];
                sink.events.emit(Event::StepFailed {
                    index: step.index,
                    step: id.clone(),
                    phase: failure.phase,
                    target: failure.target.clone(),
                    check: failure.check.clone(),
                    reason: failure.reason.clone(),
                    impact: service.impact.clone(),
                    runbook: service.runbook.clone(),
                });
            }
        }
        StepEnd {
            index: step.index,
            id,
            passed: result.is_ok(),
        }
    }
}

/// Where a step's events go, and whether its configs named a host that is gone.
pub(crate) struct Sink<'a> {
    events: &'a Events,
    stale: AtomicBool,
}

struct StepEnd {
    index: usize,
    id: String,
    passed: bool,
}

/// The walk's running account, and the outcome it adds up to.
#[derive(Default)]
struct Tally {
    last_done: Option<String>,
    blocked: Vec<String>,
    stale: Vec<String>,
}

impl Tally {
    /// Returns the halt of a real run on a failed step.
    fn record(&mut self, end: StepEnd, stale: bool, dry_run: bool) -> Option<Outcome> {
        if stale {
            self.stale.push(end.id.clone());
        }
        if end.passed {
            self.last_done = Some(end.id);
            None
        } else if dry_run {
            self.blocked.push(end.id);
            None
        } else {
            Some(Outcome::Halted {
                index: end.index,
                step: end.id,
            })
        }
    }

    fn outcome(self) -> Outcome {
        if !self.blocked.is_empty() {
            Outcome::Blocked {
                steps: self.blocked,
            }
        } else if !self.stale.is_empty() {
            Outcome::StaleReferences { steps: self.stale }
        } else {
            Outcome::Completed
        }
    }
}

/// Keeps the events of a step that runs alongside others, to be replayed in order.
#[derive(Clone, Default)]
struct Recorder(std::sync::Arc<std::sync::Mutex<Vec<Event>>>);

impl Recorder {
    fn take(&self) -> Vec<Event> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl Consumer for Recorder {
    fn on(&mut self, event: &Event) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(event.clone());
    }
}
