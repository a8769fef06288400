//! The step protocol: preflight, restart, health gate, dependents gate, record; one step at a
//! time, halting on the first failure. Emits events and never prints.

mod batch;
mod cluster;
pub mod event;
mod hooks;
pub(crate) mod leftovers;
mod pacing;
mod proof;
mod recover;
mod session;
mod step;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_cluster;
#[cfg(test)]
mod tests_window;
mod unit_watch;

pub(crate) use batch::units;
pub use cluster::{ColdStart, Moment};
pub use event::{
    Consumer, Event, Events, HookWhen, Mode, Outcome, Phase, Record, Resumed, VERSION,
};
pub use pacing::{Answer, Ask, Pacing};
pub use proof::{Seen, Tracked};
pub use recover::RestartBegan;
pub use session::{Ended, Session};
pub(crate) use step::StepFailure;

use crate::checks::Checker;
use crate::plan::{Model, Step};
use crate::transport::Transport;
use event::{Inspected, Prechecked, StepFailed, StepStarted, StepSucceeded};
use futures_util::StreamExt;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// How the executor walks: chosen once per run (see [`Session`]).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RunOptions {
    /// A read-only mode (dry run, audit) preflights every step, restarts nothing, never halts.
    pub(crate) mode: Mode,
    /// Restart a service even when it was unhealthy before we touched it.
    pub(crate) allow_unhealthy: bool,
    /// The read-only pass of a real run before it touches anything: each step stops after its
    /// preflight, which fails as a real run's would (a stale reference halts).
    pub(crate) precheck: bool,
}

/// The operator's wish to stop, as a Ctrl-C handler sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) enum Stop {
    /// Go on.
    #[default]
    No,
    /// First Ctrl-C: finish the step in flight, record it, then stop.
    AfterStep,
    /// Second Ctrl-C: stop now.
    Now,
}

/// Walks the steps of a plan over a transport, one at a time, emitting events.
pub(crate) struct Executor<'a, T: Transport> {
    model: &'a Model,
    transport: &'a T,
    checker: Checker<'a, T>,
    events: &'a Events,
    options: RunOptions,
    stop: watch::Receiver<Stop>,
    pacing: Pacing,
    resolved: proof::Resolved,
    /// The restart the interrupted run had begun, for a resume that recovers it.
    began: Option<RestartBegan>,
    /// What each cluster's members said of it before the walk.
    clusters: cluster::StartViews,
    /// `--cold-start`: the cluster comes back from a full outage.
    cold: Option<cluster::Cold>,
    /// A resume's first step: its member may still be out of its cluster.
    pinned: Option<(crate::plan::model::ServiceId, crate::plan::model::HostId)>,
    /// A resume's other steps the interrupted run touched (a batch's members): each runs
    /// again in full, even if down.
    retry: std::collections::HashSet<usize>,
    /// When the hosts are connected beside the precheck: the end of their connecting, with the
    /// hosts that did not answer (see [`Executor::connected`]).
    connected: Option<Connected>,
}

/// The end of the connecting of every host: `None` until then, then the hosts that failed.
pub(crate) type Connected = watch::Receiver<Option<Result<(), Vec<String>>>>;

/// A duration in whole milliseconds, as events carry them.
pub(crate) fn millis(d: Duration) -> u64 {
    d.as_millis().try_into().unwrap_or(u64::MAX)
}

impl<'a, T: Transport> Executor<'a, T> {
    /// An executor of `model`'s steps over `transport`; `stop` carries the operator's wish.
    pub(crate) fn new(
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
            pacing: Pacing::default(),
            resolved: proof::Resolved::default(),
            began: None,
            clusters: Default::default(),
            cold: None,
            pinned: None,
            retry: Default::default(),
            connected: None,
        }
    }

    /// The hosts are connected beside the walk's first reads: it waits for all of them (see
    /// [`Executor::connected`]).
    pub(crate) fn with_connected(mut self, connected: Option<Connected>) -> Self {
        self.connected = connected;
        self
    }

    /// Once every host of the run has been connected: `Ok` when all answered, else the run is
    /// unreachable (a real run touches nothing unless every host answers). At once when they
    /// were connected before the walk.
    async fn connected(&self) -> Result<(), Outcome> {
        let Some(connected) = &self.connected else {
            return Ok(());
        };
        let mut connected = connected.clone();
        let end = match connected.wait_for(Option::is_some).await {
            Ok(end) => end.clone(),
            // Never told: as if no host had answered.
            Err(_) => Some(Err(Vec::new())),
        };
        match end {
            Some(Err(hosts)) => Err(Outcome::Unreachable { hosts }),
            _ => Ok(()),
        }
    }

    /// A resume's other touched steps, by index (see [`Resumed::Retry`]).
    pub(crate) fn with_retry(mut self, retry: impl IntoIterator<Item = usize>) -> Self {
        self.retry = retry.into_iter().collect();
        self
    }

    /// How `step` starts: as the walk's first step of a resume says (`first`), else again in
    /// full when the interrupted run touched it, else afresh.
    fn resumed_of(&self, step: &Step, first: Option<Resumed>) -> Option<Resumed> {
        first.or_else(|| self.retry.contains(&step.index).then_some(Resumed::Retry))
    }

    /// A cold start of the steps' cluster (see [`ColdStart`]).
    pub(crate) fn with_cold_start(mut self, asked: Option<ColdStart>) -> Self {
        self.cold = asked.map(|asked| cluster::Cold {
            asked,
            ..Default::default()
        });
        self
    }

    /// The restart the interrupted run had begun when comeback died (see [`Resumed::Recover`]).
    pub(crate) fn with_began(mut self, began: Option<RestartBegan>) -> Self {
        self.began = began;
        self
    }

    /// `--stop-after`, `--pause`, `--step` for a real run.
    pub(crate) fn with_pacing(mut self, pacing: Pacing) -> Self {
        self.pacing = pacing;
        self
    }

    /// Walks `steps` in order and emits the run's last event (the unit tests' whole run; a real
    /// one is a [`Session`]). `first` says how the first step resumes, if this is a resume.
    #[cfg(test)]
    pub(crate) async fn run(&mut self, steps: &[Step], first: Option<Resumed>) -> Outcome {
        let started = Instant::now();
        let outcome = self.walk(steps, first).await;
        self.events.emit(Event::RunFinished(event::RunFinished {
            outcome: outcome.clone(),
            elapsed_ms: millis(started.elapsed()),
        }));
        outcome
    }

    /// Walks `steps` in order and says how the walk ended, leaving the run's last event to the
    /// caller (a [`Session`]; the unit tests' `run`).
    pub(crate) async fn walk(&mut self, steps: &[Step], first: Option<Resumed>) -> Outcome {
        // What the units' hosts and the clusters say is told as it is read: on hosts still
        // connecting, only once every host answered.
        let told_at_once = self.cold.is_some()
            || steps.iter().any(|s| {
                let service = &self.model.services[s.service];
                service.unit.is_some() || service.cluster.is_some()
            });
        if told_at_once && let Err(outcome) = self.connected().await {
            return outcome;
        }
        if let Err(problems) = self.resolve_units(steps).await {
            return Outcome::Invalid { problems };
        }
        self.pinned = first.and(steps.first()).map(|s| (s.service, s.host));
        let steps = if self.cold.is_some() {
            match self.plan_cold_start(steps, first.is_some()).await {
                Ok(steps) => steps,
                Err(outcome) => return outcome,
            }
        } else {
            self.look_at_clusters(steps, first.is_some()).await
        };
        self.walk_steps(&steps, first).await
    }

    /// Whether each step stops after its preflight: a read-only walk, or a real run's precheck.
    fn looks_only(&self) -> bool {
        self.options.mode.read_only() || self.options.precheck
    }

    /// Every step's preflight at once (bounded), each step's events kept apart to be replayed
    /// in step order, so the operator reads them as a sequential walk.
    fn preflight_all<'s>(
        &'s self,
        steps: &'s [Step],
        first: Option<Resumed>,
    ) -> impl futures_util::Stream<Item = (Vec<Record>, StepEnd)> + 's {
        let concurrency = self.model.ssh.fan_out();
        futures_util::stream::iter(steps.iter().enumerate().map(move |(n, step)| async move {
            let recorder = Recorder::default();
            let events = Events::new(vec![Box::new(recorder.clone())]);
            let sink = Sink::new(&events);
            let resumed = self.resumed_of(step, if n == 0 { first } else { None });
            let result = self
                .run_step(&sink, step, resumed, batch::Dependents::Gate)
                .await;
            (recorder.take(), result)
        }))
        .buffered(concurrency)
    }

    /// A real run's read-only pass over every step before the first restart: when any step
    /// would halt at its preflight, nothing is touched and the run ends as a dry run would
    /// (its failing steps told in full); else the walk may start.
    async fn precheck(&self, steps: &[Step], first: Option<Resumed>) -> Result<(), Outcome> {
        // A step resumed for its gates alone has no preflight to run; one whose restart may
        // have completed is left to its own step (its preflight, if any, accepts it down).
        let (steps, first) = match first {
            Some(Resumed::GatesOnly | Resumed::Recover) => (&steps[1.min(steps.len())..], None),
            _ => (steps, first),
        };
        let started = Instant::now();
        let mut look = Executor::new(
            self.model,
            self.transport,
            self.events,
            RunOptions {
                precheck: true,
                ..self.options
            },
            self.stop.clone(),
        );
        look.resolved = self.resolved.clone();
        look.clusters = self.clusters.clone();
        look.cold = self.cold.clone();
        look.pinned = self.pinned;
        look.retry = self.retry.clone();
        let mut tally = Tally::default();
        let mut failed = Vec::new();
        let mut looked = std::pin::pin!(look.preflight_all(steps, first));
        while let Some((records, end)) = looked.next().await {
            if !end.passed {
                failed.push((records, end));
            }
        }
        // Nothing is told, and no step starts, before every host of the run was connected: a
        // host that did not answer makes the run unreachable, whatever its steps' prechecks
        // said.
        self.connected().await?;
        for (records, end) in failed {
            // Only the steps that would halt are told: a step that passed its preflight here
            // has not run, and the journal must not say it did.
            for record in &records {
                self.events.forward(record);
            }
            let stale_only = records.iter().any(|r| {
                matches!(&r.event, Event::StepFailed(StepFailed { check: Some(c), .. }) if c == step::CONFIG_REFERENCES)
            });
            tally.record(end, stale_only, true);
        }
        if tally.blocked.is_empty() {
            self.events.emit(Event::Prechecked(Prechecked {
                steps: steps.len(),
                elapsed_ms: millis(started.elapsed()),
            }));
            return Ok(());
        }
        // Steps held back only by stale references end as a dry run's stale references do.
        let stale: std::collections::HashSet<&String> = tally.stale.iter().collect();
        if tally.blocked.iter().all(|s| stale.contains(s)) {
            return Err(Outcome::StaleReferences {
                steps: tally.blocked,
            });
        }
        Err(Outcome::Blocked {
            steps: tally.blocked,
        })
    }

    async fn walk_steps(&self, steps: &[Step], first: Option<Resumed>) -> Outcome {
        let mut tally = Tally::default();
        if self.options.mode.read_only() {
            let mut gone = Vec::new();
            let mut looked = std::pin::pin!(self.preflight_all(steps, None));
            while let Some((records, result)) = looked.next().await {
                for record in &records {
                    self.events.forward(record);
                }
                gone.extend(self.members_gone(steps, &records));
                tally.record(result, names_a_host_gone(&records), true);
            }
            let no = self.tell_verdicts(steps, &gone);
            tally.no_comeback(
                steps
                    .iter()
                    .filter(|s| no.contains(&s.service))
                    .map(|s| s.id(self.model)),
            );
            return tally.outcome();
        }
        if let Err(outcome) = self.precheck(steps, first).await {
            return outcome;
        }
        let mut asking = true;
        let mut done = 0;
        let mut batches: std::collections::HashMap<crate::plan::model::ServiceId, usize> =
            Default::default();
        // A cold start's first members come up side by side; a resumed step goes alone.
        let first_unit = match (&self.cold, first) {
            (Some(cold), _) => cold.together,
            (None, Some(_)) => 1,
            (None, None) => 0,
        };
        let units = batch::units(self.model, steps, first_unit);
        let done_after = done_after(self.model, &units);
        for (n, unit) in units.into_iter().enumerate() {
            if *self.stop.borrow() >= Stop::AfterStep {
                return Outcome::Interrupted {
                    after: tally.last_done,
                };
            }
            let step = &unit[0];
            if let Some(stop) = self
                .pace(n, done, unit, &tally.last_done, &mut asking)
                .await
            {
                return stop;
            }
            let resumed = if n == 0 { first } else { None };
            let mut stop = self.stop.clone();
            let batch = batches.entry(step.service).or_default();
            *batch += usize::from(unit.len() > 1);
            let ends = tokio::select! {
                ends = self.run_unit(unit, *batch, resumed) => ends,
                _ = stop.wait_for(|s| *s == Stop::Now) => {
                    return Outcome::Aborted { step: Some(step.id(self.model)) };
                }
            };
            done += unit.len();
            // A real run halts on a stale reference (preflight fails): it is never only noted.
            // A batch halts once every member has ended, on its first failed member.
            let mut halt = None;
            for end in ends {
                let failed = tally.record(end, false, false);
                halt = halt.or(failed);
            }
            if let Some(halt) = halt {
                return halt;
            }
            // The unit passed and was recorded: what the run may have left on the hosts no
            // later unit touches is swept beside the walk.
            for &h in &done_after[n] {
                self.transport.done_with(h);
            }
        }
        tally.outcome()
    }

    /// One step, bracketed by its start and end events.
    async fn run_step(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        resumed: Option<Resumed>,
        dependents: batch::Dependents,
    ) -> StepEnd {
        let id = step.id(self.model);
        sink.events.emit(Event::StepStarted(StepStarted {
            index: step.index,
            step: id.clone(),
            resumed,
        }));
        let started = Instant::now();
        // At debug level, every remote command of the step is logged inside this span.
        let span = tracing::debug_span!("step", index = step.index, looks = self.looks_only());
        let result =
            tracing::Instrument::instrument(self.step(sink, step, resumed, dependents), span).await;
        match &result {
            Ok(()) => sink.events.emit(Event::StepSucceeded(StepSucceeded {
                index: step.index,
                step: id.clone(),
                elapsed_ms: millis(started.elapsed()),
            })),
            Err(failure) => {
                let service = &self.model.services[step.service];
                sink.events.emit(Event::StepFailed(StepFailed {
                    index: step.index,
                    step: id.clone(),
                    phase: failure.phase,
                    target: failure.target.clone(),
                    check: failure.check.clone(),
                    reason: failure.reason.clone(),
                    impact: service.impact.clone(),
                    runbook: service.runbook.clone(),
                }));
                if let Some(pending) = self.hooks_pending(sink, step, failure) {
                    sink.events.emit(pending);
                }
            }
        }
        StepEnd {
            index: step.index,
            id,
            passed: result.is_ok(),
        }
    }
}

/// Every host the steps touch: their own, their hooks', and those of the dependents their gates
/// check.
pub(crate) fn hosts_needed(model: &Model, steps: &[Step]) -> Vec<usize> {
    let mut hosts: Vec<usize> = Vec::new();
    for step in steps {
        step_hosts(model, step, &mut hosts);
    }
    hosts.sort_unstable();
    hosts.dedup();
    hosts
}

/// The hosts one step touches (see [`hosts_needed`]), added to `hosts`.
fn step_hosts(model: &Model, step: &Step, hosts: &mut Vec<usize>) {
    hosts.push(step.host);
    // Every member of a cluster is asked about it, selected or not.
    if model.services[step.service].cluster.is_some() {
        hosts.extend(
            model.services[step.service]
                .instances
                .iter()
                .map(|i| i.host),
        );
    }
    let instance = step.instance(model);
    hosts.extend(instance.before.iter().chain(&instance.after).map(|h| h.on));
    for service in model
        .services
        .iter()
        .filter(|s| s.depends_on.contains(&step.service))
    {
        hosts.extend(service.instances.iter().map(|i| i.host));
    }
}

/// For each unit of the walk, the hosts no later unit touches: once it passed, the walk is
/// done with them. The last unit's are left to the closing sweep.
fn done_after(model: &Model, units: &[&[Step]]) -> Vec<Vec<usize>> {
    let mut last = vec![None; model.hosts.len()];
    let mut touched = Vec::new();
    for (n, unit) in units.iter().enumerate() {
        touched.clear();
        for step in unit.iter() {
            step_hosts(model, step, &mut touched);
        }
        for &h in &touched {
            last[h] = Some(n);
        }
    }
    let mut done = vec![Vec::new(); units.len()];
    for (h, n) in last.into_iter().enumerate() {
        if let Some(n) = n.filter(|&n| n + 1 < units.len()) {
            done[n].push(h);
        }
    }
    done
}

/// Whether a step's configs named a host that is gone or does not answer, as its `Inspected`
/// event says.
fn names_a_host_gone(records: &[Record]) -> bool {
    records.iter().any(|r| {
        matches!(&r.event, Event::Inspected(Inspected { references, .. })
            if references.iter().any(|f| f.status.blocks()))
    })
}

/// Where a step's events go.
pub(crate) struct Sink<'a> {
    events: &'a Events,
    /// How many `after` hooks passed: the rest are owed if the step fails.
    after_hooks_done: std::sync::atomic::AtomicUsize,
}

impl<'a> Sink<'a> {
    fn new(events: &'a Events) -> Self {
        Sink {
            events,
            after_hooks_done: Default::default(),
        }
    }
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
    fn record(&mut self, end: StepEnd, stale: bool, read_only: bool) -> Option<Outcome> {
        if stale {
            self.stale.push(end.id.clone());
        }
        if end.passed {
            self.last_done = Some(end.id);
            None
        } else if read_only {
            self.blocked.push(end.id);
            None
        } else {
            Some(Outcome::Halted {
                index: end.index,
                step: end.id,
            })
        }
    }

    /// Steps of a cluster that would not come back from a full outage: a finding like a stale
    /// reference, when nothing else is.
    fn no_comeback(&mut self, steps: impl Iterator<Item = String>) {
        for step in steps {
            if !self.stale.contains(&step) {
                self.stale.push(step);
            }
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
struct Recorder(std::sync::Arc<std::sync::Mutex<Vec<Record>>>);

impl Recorder {
    fn take(&self) -> Vec<Record> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl Consumer for Recorder {
    fn on(&mut self, record: &Record) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(record.clone());
    }
}
