//! The executor against a scripted transport: which commands run, in which order, and when the
//! walk stops. The real transport is proven end to end in tests/run_lab.rs.

use super::event::StepStarted;
use super::*;
use crate::plan::{self, Selection};
use crate::transport::{Answers, Transport};
use std::path::Path;
use std::sync::Mutex;

/// Answers every command with exit 0, except those containing `fails`; records what ran.
pub(super) struct Scripted {
    pub(super) fails: &'static str,
    pub(super) ran: Mutex<Vec<String>>,
}

impl Answers for Scripted {
    fn exit_code(&self, command: &str) -> i32 {
        self.ran.lock().expect("lock").push(command.to_string());
        i32::from(!self.fails.is_empty() && command.contains(self.fails))
    }

    /// Told among the commands, as `done with <host index>`.
    fn done_with(&self, host: crate::plan::model::HostId) {
        self.ran
            .lock()
            .expect("lock")
            .push(format!("done with {host}"));
    }
}

const PLAN: &str = r#"
hosts:
  a: {}
  b: {}
defaults:
  health: { timeout: 1s, interval: 10ms, settle: 0s }
services:
  db:
    hosts: [a]
    restart: restart-db
    health: [{ command: check-db }]
  app:
    hosts: [a, b]
    depends_on: [db]
    restart: "restart-app {host}"
    health: [{ command: "check-app {host}" }]
"#;

/// Walks `plan`'s whole order on the scripted transport: the outcome, every command run in
/// order, and every event emitted.
pub(super) fn drive(
    plan: &str,
    fails: &'static str,
    options: RunOptions,
    pacing: Pacing,
) -> (Outcome, Vec<String>, Vec<Event>) {
    let transport = Scripted {
        fails,
        ran: Mutex::new(Vec::new()),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (outcome, events) = walk_on(plan, &transport, options, pacing, runtime);
    let ran = transport.ran.into_inner().expect("lock");
    (outcome, ran, events)
}

/// Walks `plan`'s whole order on `transport` in `runtime`: the outcome and every event.
pub(super) fn walk_on<T: Transport>(
    plan: &str,
    transport: &T,
    options: RunOptions,
    pacing: Pacing,
    runtime: tokio::runtime::Runtime,
) -> (Outcome, Vec<Event>) {
    let model = plan::parse(plan, Path::new(".")).expect("valid").model;
    let steps = plan::plan(&model, &Selection::default())
        .expect("steps")
        .steps;
    let kept = Kept::default();
    let events = Events::new(vec![Box::new(kept.clone())]);
    let (_tx, rx) = watch::channel(Stop::No);
    let outcome = runtime.block_on(
        Executor::new(&model, transport, &events, options, rx)
            .with_pacing(pacing)
            .run(&steps, None),
    );
    let events = kept.0.lock().expect("lock").clone();
    (outcome, events)
}

/// Keeps every event emitted, for the test to read.
#[derive(Clone, Default)]
struct Kept(std::sync::Arc<Mutex<Vec<Event>>>);

impl Consumer for Kept {
    fn on(&mut self, record: &Record) {
        self.0.lock().expect("lock").push(record.event.clone());
    }
}

fn walk(fails: &'static str, options: RunOptions) -> (Outcome, Vec<String>) {
    let (outcome, ran, _) = drive(PLAN, fails, options, Pacing::default());
    (
        outcome,
        ran.into_iter()
            .filter(|c| c != "true" && !c.starts_with("done with"))
            .collect(),
    )
}

/// Walks [`PLAN`] as a real run whose hosts are still connecting: the connecting ends with
/// `end` once the walk has nothing left to do but wait for it. The outcome, every command run
/// (`connected` marks where the connecting ended) and every event.
fn walk_connecting(
    fails: &'static str,
    end: Result<(), Vec<String>>,
) -> (Outcome, Vec<String>, Vec<Event>) {
    let transport = Scripted {
        fails,
        ran: Mutex::new(Vec::new()),
    };
    let model = plan::parse(PLAN, Path::new(".")).expect("valid").model;
    let steps = plan::plan(&model, &Selection::default())
        .expect("steps")
        .steps;
    let kept = Kept::default();
    let events = Events::new(vec![Box::new(kept.clone())]);
    let (_tx, rx) = watch::channel(Stop::No);
    let (connected, connected_rx) = watch::channel(None);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let outcome = runtime.block_on(async {
        let mut executor = Executor::new(&model, &transport, &events, RunOptions::default(), rx)
            .with_connected(Some(connected_rx));
        let connecting = async {
            // Long after the precheck had all it needed: the walk waits for this.
            tokio::time::sleep(Duration::from_millis(50)).await;
            transport.ran.lock().expect("lock").push("connected".into());
            let _ = connected.send(Some(end));
        };
        let (outcome, ()) = tokio::join!(executor.run(&steps, None), connecting);
        outcome
    });
    let ran = transport.ran.into_inner().expect("lock");
    let events = kept.0.lock().expect("lock").clone();
    (
        outcome,
        ran.into_iter().filter(|c| c != "true").collect(),
        events,
    )
}

#[test]
fn hosts_prechecked_while_others_connect_see_no_restart_before_every_host_is_connected() {
    let (outcome, ran, events) = walk_connecting("", Ok(()));
    assert_eq!(outcome, Outcome::Completed);
    // The precheck ran before the connecting ended; the walk only after.
    assert_eq!(
        ran[..4],
        ["check-db", "check-app a", "check-app b", "connected"]
    );
    assert!(ran[4..].iter().any(|c| c == "restart-db"), "{ran:?}");
    // Nothing of the walk was told before: the precheck's end is its first word.
    let prechecked = events
        .iter()
        .position(|e| matches!(e, Event::Prechecked(_)))
        .expect("prechecked");
    assert!(
        events[..prechecked]
            .iter()
            .all(|e| !matches!(e, Event::StepStarted(_))),
        "{events:?}"
    );
}

#[test]
fn a_host_failing_its_precheck_while_others_connect_still_refuses_the_run() {
    let (outcome, ran, events) = walk_connecting("check-app b", Ok(()));
    assert_eq!(
        outcome,
        Outcome::Blocked {
            steps: vec!["app@b".into()]
        }
    );
    assert!(ran.iter().all(|c| !c.starts_with("restart")), "{ran:?}");
    assert_eq!(ran.last().map(String::as_str), Some("connected"));
    assert!(events.iter().any(|e| matches!(e, Event::StepFailed(_))));
}

#[test]
fn a_host_that_never_connected_makes_the_run_unreachable_whatever_the_precheck_said() {
    for fails in ["", "check-app b"] {
        let (outcome, ran, events) = walk_connecting(fails, Err(vec!["b".into()]));
        assert_eq!(
            outcome,
            Outcome::Unreachable {
                hosts: vec!["b".into()]
            }
        );
        assert!(ran.iter().all(|c| !c.starts_with("restart")), "{ran:?}");
        // The precheck's failures are not told: the host's own is.
        assert!(
            events.iter().all(|e| !matches!(
                e,
                Event::StepStarted(_) | Event::StepFailed(_) | Event::Prechecked(_)
            )),
            "{events:?}"
        );
    }
}

#[test]
fn each_host_is_left_to_be_swept_once_no_later_step_touches_it() {
    let (outcome, ran, _) = drive(PLAN, "", RunOptions::default(), Pacing::default());
    assert_eq!(outcome, Outcome::Completed);
    let ran: Vec<&str> = ran
        .iter()
        .map(String::as_str)
        .filter(|c| *c != "true")
        .collect();
    // db@a's dependents gate touches a and b; app@a is a's last step: a is done once it
    // passed, before app@b begins; b's last step is the walk's last, left to the closing
    // sweep.
    let done: Vec<usize> = ran
        .iter()
        .enumerate()
        .filter(|(_, c)| c.starts_with("done with"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(done.len(), 1, "{ran:?}");
    assert_eq!(ran[done[0]], "done with 0");
    assert_eq!(
        ran[done[0] - 1],
        "check-app a",
        "after app@a's gate: {ran:?}"
    );
    assert_eq!(ran[done[0] + 2], "restart-app b", "{ran:?}");
    // A run that halts is done with nothing: its closing sweep takes every host.
    let (_, ran, _) = drive(
        PLAN,
        "restart-app a",
        RunOptions::default(),
        Pacing::default(),
    );
    assert!(ran.iter().all(|c| !c.starts_with("done with")), "{ran:?}");
}

#[test]
fn each_step_runs_preflight_restart_gates_in_order() {
    let (outcome, ran) = walk("", RunOptions::default());
    assert_eq!(outcome, Outcome::Completed);
    assert_eq!(
        ran,
        [
            // The precheck: every step's preflight before the first restart.
            "check-db",
            "check-app a",
            "check-app b",
            // The walk.
            "check-db",
            "restart-db",
            "check-db",
            "check-app a",
            "check-app b",
            "check-app a",
            "restart-app a",
            "check-app a",
            "check-app b",
            "restart-app b",
            "check-app b",
        ]
    );
}

#[test]
fn a_step_that_would_halt_later_stops_the_run_before_the_first_restart() {
    let (outcome, ran, events) = drive(
        PLAN,
        "check-app b",
        RunOptions::default(),
        Pacing::default(),
    );
    assert_eq!(
        outcome,
        Outcome::Blocked {
            steps: vec!["app@b".into()]
        }
    );
    assert!(ran.iter().all(|c| !c.starts_with("restart")), "{ran:?}");
    // Only the blocking step is told: the others did not run, and no event says they did.
    let told: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            Event::StepStarted(StepStarted { step, .. }) => Some(step.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(told, ["app@b"]);
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::StepSucceeded(_) | Event::Prechecked(_)))
    );
}

#[test]
fn nothing_runs_after_a_failed_restart() {
    let (outcome, ran) = walk("restart-app a", RunOptions::default());
    assert_eq!(
        outcome,
        Outcome::Halted {
            index: 2,
            step: "app@a".into()
        }
    );
    assert_eq!(ran.last().map(String::as_str), Some("restart-app a"));
    assert!(
        !ran.iter()
            .any(|c| c.ends_with(" b") && c.starts_with("restart"))
    );
}

#[test]
fn a_dry_run_runs_no_restart_and_visits_every_step() {
    let (outcome, ran) = walk(
        "check-db",
        RunOptions {
            mode: Mode::DryRun,
            allow_unhealthy: false,
            precheck: false,
        },
    );
    assert_eq!(
        outcome,
        Outcome::Blocked {
            steps: vec!["db@a".into()]
        }
    );
    assert!(ran.iter().all(|c| !c.starts_with("restart")), "{ran:?}");
    assert_eq!(ran, ["check-db", "check-app a", "check-app b"]);
}
