//! Hooks and pacing against the scripted transport: what runs, in which order, and what the
//! halt says is still owed. The real thing is proven in tests/window_lab.rs.

use super::event::{Asking, HooksPending, StepFailed};
use super::tests::drive;
use super::*;
use std::sync::{Arc, Mutex};

const PLAN: &str = r#"
hosts:
  lb: {}
  a: {}
  b: {}
defaults:
  health: { timeout: 1s, interval: 10ms, settle: 0s }
services:
  web:
    hosts: [a, b]
    restart: "restart-web {host}"
    health: [{ command: "check-web {host}" }]
    before:
      - { on: lb, run: "drain {host}" }
      - "stop-cron {host}"
    after:
      - { on: lb, run: "ready {host}", timeout: 5s }
"#;

fn walk(fails: &'static str, pacing: Pacing) -> (Outcome, Vec<String>, Vec<Event>) {
    let (outcome, ran, events) = drive(PLAN, fails, RunOptions::default(), pacing);
    let ran = ran
        .into_iter()
        .filter(|c| c != "true" && !c.starts_with("check") && !c.starts_with("done with"))
        .collect();
    (outcome, ran, events)
}

fn pending(events: &[Event]) -> Option<Vec<(String, String)>> {
    events.iter().find_map(|e| match e {
        Event::HooksPending(HooksPending { after, .. }) => Some(after.clone()),
        _ => None,
    })
}

#[test]
fn before_hooks_run_before_the_restart_and_after_hooks_once_healthy() {
    let (outcome, ran, events) = walk("", Pacing::default());
    assert_eq!(outcome, Outcome::Completed);
    assert_eq!(
        ran,
        [
            "drain a",
            "stop-cron a",
            "restart-web a",
            "ready a",
            "drain b",
            "stop-cron b",
            "restart-web b",
            "ready b"
        ]
    );
    assert_eq!(pending(&events), None);
}

#[test]
fn a_failing_before_hook_restarts_nothing_and_owes_the_after_hooks() {
    let (outcome, ran, events) = walk("stop-cron a", Pacing::default());
    assert!(matches!(outcome, Outcome::Halted { index: 1, .. }));
    assert_eq!(ran, ["drain a", "stop-cron a"]);
    assert_eq!(
        pending(&events),
        Some(vec![("lb".into(), "ready a".into())])
    );
}

#[test]
fn a_failing_restart_between_the_hooks_leaves_the_node_drained() {
    let (_, ran, events) = walk("restart-web a", Pacing::default());
    assert_eq!(ran, ["drain a", "stop-cron a", "restart-web a"]);
    assert_eq!(
        pending(&events),
        Some(vec![("lb".into(), "ready a".into())])
    );
    let failed = events.iter().find_map(|e| match e {
        Event::StepFailed(StepFailed { phase, .. }) => Some(*phase),
        _ => None,
    });
    assert_eq!(failed, Some(Phase::Restart));
}

#[test]
fn a_failing_after_hook_is_still_owed() {
    let (outcome, ran, events) = walk("ready a", Pacing::default());
    assert!(matches!(outcome, Outcome::Halted { index: 1, .. }));
    assert_eq!(ran.last().map(String::as_str), Some("ready a"));
    assert_eq!(
        pending(&events),
        Some(vec![("lb".into(), "ready a".into())])
    );
}

#[test]
fn the_canary_stops_cleanly_after_n_steps() {
    let pacing = Pacing {
        stop_after: Some(1),
        ..Pacing::default()
    };
    let (outcome, ran, _) = walk("", pacing);
    assert_eq!(
        outcome,
        Outcome::Stopped {
            after: Some("web@a".into()),
            steps: 1
        }
    );
    assert!(!ran.iter().any(|c| c.ends_with(" b")), "{ran:?}");
}

#[test]
fn answers_at_each_step_all_stops_asking_and_no_stops_cleanly() {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let record = asked.clone();
    let ask: Ask = Arc::new(move |index, _steps: &[String]| {
        record.lock().expect("lock").push(index);
        Answer::All
    });
    let (outcome, _, _) = walk(
        "",
        Pacing {
            ask: Some(ask),
            ..Pacing::default()
        },
    );
    assert_eq!(outcome, Outcome::Completed);
    assert_eq!(*asked.lock().expect("lock"), [1], "`all` stops asking");

    let ask: Ask =
        Arc::new(|index, _steps: &[String]| if index == 1 { Answer::Yes } else { Answer::No });
    let (outcome, ran, _) = walk(
        "",
        Pacing {
            ask: Some(ask),
            ..Pacing::default()
        },
    );
    assert_eq!(
        outcome,
        Outcome::Stopped {
            after: Some("web@a".into()),
            steps: 1
        }
    );
    assert!(!ran.iter().any(|c| c.ends_with(" b")));
}

/// `--step` asks once per unit of the walk: a batch is asked about whole, every member named,
/// and `no` stops before any of them.
#[test]
fn a_batch_is_asked_about_once_with_every_member() {
    const BATCHED: &str = r#"
hosts: { a: {}, b: {}, c: {} }
defaults:
  health: { timeout: 1s, interval: 10ms, settle: 0s }
services:
  web:
    hosts: [a, b, c]
    batch: 2
    restart: "restart-web {host}"
    health: [{ command: "check-web {host}" }]
"#;
    let asked = Arc::new(Mutex::new(Vec::new()));
    let record = asked.clone();
    let ask: Ask = Arc::new(move |index, steps: &[String]| {
        record.lock().expect("lock").push((index, steps.to_vec()));
        if index == 1 { Answer::Yes } else { Answer::No }
    });
    let pacing = Pacing {
        ask: Some(ask),
        ..Pacing::default()
    };
    let (outcome, ran, events) = drive(BATCHED, "", RunOptions::default(), pacing);
    assert_eq!(
        *asked.lock().expect("lock"),
        [
            (1, vec!["web@a".to_string(), "web@b".to_string()]),
            (3, vec!["web@c".to_string()]),
        ]
    );
    assert!(matches!(outcome, Outcome::Stopped { steps: 2, .. }));
    assert!(!ran.iter().any(|c| c == "restart-web c"), "{ran:?}");
    let batch = events.iter().find_map(|e| match e {
        Event::Asking(Asking { batch, .. }) if !batch.is_empty() => Some(batch.clone()),
        _ => None,
    });
    assert_eq!(batch, Some(vec!["web@a".to_string(), "web@b".to_string()]));
}
