//! A whole run around the walk: connect to every host the steps need (a real run touches
//! nothing unless all answer), wait for what an interrupted run left running, walk with the
//! connections kept alive and the operator's signals heard, kill what this run left behind,
//! close. Emits every event of the run, its first and last included; the caller only chooses
//! the consumers and turns the outcome into an exit code.

use super::event::{
    HostConnected, HostUnreachable, RunFinished, RunResumed, RunStarted, StopAsked,
};
use super::{Event, Events, Executor, Mode, Outcome, Pacing, Resumed, RunOptions, Stop, leftovers};
use crate::plan::{Model, Step};
use crate::transport::Fleet;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// What a run is: its first event (`RunStarted` or `RunResumed`), how it walks, and how the
/// first step of a resume starts again.
pub struct Session<'a> {
    /// The plan's validated model.
    pub model: &'a Model,
    /// The steps to walk, in order (a [`crate::plan::Plan`]'s, or the rest of a resumed run).
    pub steps: &'a [Step],
    /// `RunStarted` (its `mode` is the walk's) or `RunResumed` (always a real run).
    pub start: Event,
    /// How the first step of a resume starts again; `None` for a new run.
    pub first: Option<Resumed>,
    /// The restart the interrupted run had begun, when `first` is [`Resumed::Recover`].
    pub began: Option<super::RestartBegan>,
    /// A resume's other steps the interrupted run touched (a batch's members), by index:
    /// each runs again in full, even if down.
    pub retry: Vec<usize>,
    /// Restart a service even when it was unhealthy before we touched it (never in an audit).
    pub allow_unhealthy: bool,
    /// `--stop-after`, `--pause`, `--step` of a real run.
    pub pacing: Pacing,
    /// The `Estimated` event, emitted after the start by a real run.
    pub estimated: Option<Event>,
    /// `--cold-start`: the steps' cluster comes back from a full outage.
    pub cold_start: Option<super::ColdStart>,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ended {
    /// What the run added up to (also the `RunFinished` event's).
    pub outcome: Outcome,
    /// The number of the signal that stopped it (SIGINT 2, SIGHUP 1, SIGTERM 15), if one did.
    pub signal: Option<i32>,
}

impl Session<'_> {
    /// The mode and the run id the first event says: a resume continues a real run.
    fn started(&self) -> (Mode, &str) {
        // Not a consumer of events: only the two starts mean anything here, and the CLI
        // begins every session with one of them.
        if let Event::RunStarted(RunStarted { mode, run_id, .. }) = &self.start {
            (*mode, run_id)
        } else if let Event::RunResumed(RunResumed { run_id, .. }) = &self.start {
            (Mode::Run, run_id)
        } else {
            (Mode::Run, "")
        }
    }

    /// The walk's options: its mode is the one the first event says, chosen once.
    fn options(&self) -> RunOptions {
        let (mode, _) = self.started();
        RunOptions {
            mode,
            allow_unhealthy: self.allow_unhealthy && mode != Mode::Audit,
            precheck: false,
        }
    }

    /// Runs the whole session, emitting its events on `events`.
    pub async fn run(self, events: &Events) -> Ended {
        let run_id = self.started().1.to_string();
        events.emit(self.start.clone());
        if let Some(estimated) = self.estimated.clone() {
            events.emit(estimated);
        }
        let (stop_tx, stop_rx) = watch::channel(Stop::No);
        let signal = AtomicI32::new(0);
        let started = Instant::now();
        let outcome = tokio::select! {
            outcome = self.connect_and_walk(events, &run_id, stop_rx) => outcome,
            () = stop_on_signals(stop_tx, &signal, events) => unreachable!("never ends"),
        };
        events.emit(Event::RunFinished(RunFinished {
            outcome: outcome.clone(),
            elapsed_ms: super::millis(started.elapsed()),
        }));
        let signal = match signal.load(Ordering::Relaxed) {
            0 => None,
            n => Some(n),
        };
        Ended { outcome, signal }
    }

    async fn connect_and_walk(
        &self,
        events: &Events,
        run_id: &str,
        stop: watch::Receiver<Stop>,
    ) -> Outcome {
        let model = self.model;
        let hosts = super::hosts_needed(model, self.steps);
        let names: Vec<String> = model.hosts.iter().map(|h| h.name.clone()).collect();
        let options = self.options();
        let tell = |(h, result): crate::transport::FirstContact| match result {
            Ok(()) => events.emit(Event::HostConnected(HostConnected {
                host: names[h].clone(),
            })),
            Err(e) => events.emit(Event::HostUnreachable(HostUnreachable {
                host: names[h].clone(),
                error: e.to_string(),
            })),
        };
        // A read-only pass connects each host as its work reaches it, so that no master is
        // opened twice when the plan has more hosts than `ssh.max_connections`; a real run
        // connects every host before its first step. A new one whose masters all fit in the
        // pool prechecks each host as soon as it is connected, beside the connecting of the
        // others (the walk waits for all of them before it tells anything or restarts
        // anything); a resume first waits for what the interrupted run left running.
        let beside = !options.mode.read_only()
            && self.first.is_none()
            && hosts.len() <= model.ssh.max_connections;
        let (mut fleet, failures, mut contacts) = if options.mode.read_only() {
            let (fleet, contacts) = Fleet::lazy(model, &hosts);
            (fleet, Vec::new(), Some(contacts))
        } else if beside {
            (Fleet::connecting(model, &hosts), Vec::new(), None)
        } else {
            let (fleet, failures) = Fleet::connect(model, &hosts, |h, result| {
                tell((h, result.map_err(Clone::clone)))
            })
            .await;
            (fleet, failures, None)
        };
        fleet.mark(run_id);
        // The hosts the walk is done with, swept beside it.
        let done_with = fleet.sweep_early();
        // A real run touches nothing unless every host answers; a read-only one reports the rest.
        let outcome = if !failures.is_empty() && !options.mode.read_only() {
            Outcome::Unreachable {
                hosts: failures.iter().map(|(h, _)| names[*h].clone()).collect(),
            }
        } else {
            // What the interrupted run left running must end before this one touches anything.
            let busy = if self.first.is_some() {
                let bound = leftover_bound(model);
                leftovers::wait_for(&fleet, &names, &hosts, run_id, bound, events).await
            } else {
                Vec::new()
            };
            if busy.is_empty() {
                if self.first.is_some() {
                    // What the interrupted run left on its hosts (exit files, its folder) is this
                    // run's to clean up; only now, so that a master closed while waiting never
                    // sweeps a command that is still being waited for.
                    fleet.inherit(&hosts);
                }
                let (connected, connected_rx) = watch::channel(None);
                let connecting = async {
                    if beside {
                        let failures = fleet
                            .connect_hosts(&hosts, model.ssh.fan_out(), |h, result| {
                                tell((h, result.map_err(Clone::clone)))
                            })
                            .await;
                        let _ = connected.send(Some(if failures.is_empty() {
                            Ok(())
                        } else {
                            Err(failures.iter().map(|(h, _)| names[*h].clone()).collect())
                        }));
                    }
                };
                let mut executor = Executor::new(model, &fleet, events, options, stop)
                    .with_connected(beside.then_some(connected_rx))
                    .with_pacing(self.pacing.clone())
                    .with_began(self.began.clone())
                    .with_retry(self.retry.iter().copied())
                    .with_cold_start(self.cold_start.clone());
                let keep_alive = async {
                    loop {
                        tokio::time::sleep(KEEP_ALIVE).await;
                        fleet.keep_alive().await;
                    }
                };
                // Each host's first connection, told as it happens (never ends: the fleet holds
                // the sender).
                let told = async {
                    if let Some(contacts) = contacts.as_mut() {
                        while let Some(contact) = contacts.recv().await {
                            tell(contact);
                        }
                    }
                    std::future::pending::<std::convert::Infallible>().await
                };
                let (ended, walk_ended) = tokio::sync::oneshot::channel::<()>();
                let walking = async {
                    let outcome = tokio::select! {
                        outcome = executor.walk(self.steps, self.first) => outcome,
                        _ = keep_alive => unreachable!("the keep-alive loop never ends"),
                        never = told => match never {},
                    };
                    let _ = ended.send(());
                    outcome
                };
                let walk_ended = async {
                    let _ = walk_ended.await;
                };
                let ((), outcome, ()) = tokio::join!(
                    connecting,
                    walking,
                    fleet.sweep_as_told(done_with, walk_ended)
                );
                // The connections made as the walk ended.
                if let Some(contacts) = contacts.as_mut() {
                    while let Ok(contact) = contacts.try_recv() {
                        tell(contact);
                    }
                }
                outcome
            } else {
                Outcome::StillRunning { hosts: busy }
            }
        };
        // Nothing this run started may outlive it: an abort leaves its step's command behind,
        // and a run found unreachable while it prechecked the hosts already connected has its
        // folder there (a run that never walked marked no host: its sweep looks nowhere).
        // What an interrupted run left running is the operator's to judge, and an invalid
        // resume keeps the exit files it inherited for the next one; an invalid new run
        // inherited nothing, and its lookups left its folder on the hosts they asked.
        let keeps_what_it_found = match outcome {
            Outcome::StillRunning { .. } => true,
            Outcome::Invalid { .. } => self.first.is_some(),
            _ => false,
        };
        if !keeps_what_it_found {
            leftovers::sweep(&fleet, &names, events).await;
        }
        fleet.close().await;
        outcome
    }
}

/// How often the SSH masters are told the run is still there (idle steps: long settles, pauses).
const KEEP_ALIVE: Duration = Duration::from_secs(20);

/// How long `resume` waits for a command of the interrupted run: the longest deadline a
/// command of the plan has, and the host's grace to kill it.
fn leftover_bound(model: &Model) -> Duration {
    let longest = model
        .services
        .iter()
        .flat_map(|s| {
            s.instances
                .iter()
                .flat_map(|i| i.health.iter().map(|c| c.timing.timeout))
                .chain([s.restart_timeout])
        })
        .max()
        .unwrap_or_default();
    longest + crate::transport::KILL_GRACE * 2
}

/// The first Ctrl-C, SIGTERM or SIGHUP finishes the step in flight and stops; a second stops at
/// once. `signal` keeps the number of the first, for the exit code (128 + n). Never ends: it
/// is dropped with the walk it listens for.
async fn stop_on_signals(stop: watch::Sender<Stop>, signal: &AtomicI32, events: &Events) {
    use tokio::signal::unix::{SignalKind, signal as listen};
    let (Ok(mut term), Ok(mut hup)) = (
        listen(SignalKind::terminate()),
        listen(SignalKind::hangup()),
    ) else {
        return std::future::pending().await;
    };
    for wish in [Stop::AfterStep, Stop::Now] {
        let (name, n) = tokio::select! {
            Ok(()) = tokio::signal::ctrl_c() => ("Ctrl-C", 2),
            Some(()) = term.recv() => ("SIGTERM", 15),
            Some(()) = hup.recv() => ("SIGHUP", 1),
            else => break,
        };
        let _ = signal.compare_exchange(0, n, Ordering::Relaxed, Ordering::Relaxed);
        events.emit(Event::StopAsked(StopAsked {
            signal: name.into(),
            now: wish == Stop::Now,
        }));
        let _ = stop.send(wish);
    }
    std::future::pending().await
}
