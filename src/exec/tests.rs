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
    (outcome, ran.into_iter().filter(|c| c != "true").collect())
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
