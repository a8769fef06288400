//! The run's state, folded from events as a journal or a live run gives them.

use super::*;
use crate::exec::Phase;
use crate::exec::event::{
    BatchStarted, Estimated, RunResumed, RunStarted, StepStarted, StepSucceeded,
};
use std::time::Duration;
use time::OffsetDateTime;

fn at(event: Event, ts: &str) -> Record {
    Record {
        v: crate::exec::event::VERSION,
        ts: ts.into(),
        event,
    }
}

fn time(ts: &str) -> OffsetDateTime {
    OffsetDateTime::parse(ts, &time::format_description::well_known::Rfc3339).expect("time")
}

fn started(index: usize, step: &str) -> Event {
    Event::StepStarted(StepStarted {
        index,
        step: step.into(),
        resumed: None,
    })
}

fn estimated(steps: Vec<(usize, Option<u64>)>, batches: Vec<Vec<usize>>) -> Event {
    Event::Estimated(Estimated {
        steps,
        total_ms: None,
        batches,
    })
}

/// Regression: the clock took a step's start from the time it folded the event, so a
/// progress display or a message built later (or from a replay) was off by the delay.
#[test]
fn the_clock_counts_from_the_stamp_not_from_when_it_folds() {
    let mut state = RunState::default();
    state.on(&at(
        estimated(vec![(1, Some(60_000)), (2, Some(30_000))], vec![]),
        "2026-01-01T10:00:00Z",
    ));
    state.on(&at(started(1, "a@h"), "2026-01-01T10:00:00Z"));
    let now = time("2026-01-01T10:00:40Z");
    assert_eq!(state.remaining(now), Some(Duration::from_secs(50)));
    assert_eq!(
        crate::eta::end_time(now, Duration::from_secs(50)),
        "10:01 UTC"
    );
}

#[test]
fn the_clock_has_no_end_until_every_remaining_step_has_history() {
    let now = OffsetDateTime::now_utc;
    let mut state = RunState::default();
    state.on(&Record::now(estimated(
        vec![(1, Some(60_000)), (2, None)],
        vec![],
    )));
    state.on(&Record::now(started(1, "a@h")));
    assert_eq!(state.remaining(now()), None);
    state.on(&Record::now(started(2, "b@h")));
    assert_eq!(state.remaining(now()), None);
    let mut state = RunState::default();
    state.on(&Record::now(estimated(
        vec![(1, Some(60_000)), (2, Some(30_000))],
        vec![],
    )));
    state.on(&Record::now(started(1, "a@h")));
    let left = state.remaining(now()).expect("known");
    assert!(left <= Duration::from_secs(90) && left > Duration::from_secs(80));
}

/// Regression: with `batch: 10%` the ETA summed every member, about ten times too late.
#[test]
fn a_batch_takes_as_long_as_its_slowest_member_not_their_sum() {
    let mut state = RunState::default();
    state.on(&at(
        estimated(
            vec![
                (1, Some(10_000)),
                (2, Some(30_000)),
                (3, Some(20_000)),
                (4, Some(30_000)),
                (5, Some(5_000)),
            ],
            vec![vec![2, 3], vec![4, 5]],
        ),
        "2026-01-01T10:00:00Z",
    ));
    state.on(&at(started(1, "db@h1"), "2026-01-01T10:00:00Z"));
    // db alone (10 s), then two batches of web (30 s each, their slowest).
    assert_eq!(
        state.remaining(time("2026-01-01T10:00:00Z")),
        Some(Duration::from_secs(70))
    );
    // The batch's members start one after the other: the unit's clock is its first start.
    state.on(&at(started(2, "web@h1"), "2026-01-01T10:00:10Z"));
    state.on(&at(started(3, "web@h2"), "2026-01-01T10:00:11Z"));
    assert_eq!(
        state.remaining(time("2026-01-01T10:00:20Z")),
        Some(Duration::from_secs(50))
    );
}

#[test]
fn a_step_keeps_the_batch_it_ran_in_and_a_resumed_one_runs_alone() {
    let mut state = RunState::default();
    state.on(&Record::now(Event::BatchStarted(BatchStarted {
        service: "web".into(),
        batch: 2,
        indices: vec![4, 5],
        steps: vec!["web@h1".into(), "web@h2".into()],
    })));
    state.on(&Record::now(started(4, "web@h1")));
    state.on(&Record::now(started(5, "web@h2")));
    assert_eq!((state.batch(4), state.batch(5)), (Some(2), Some(2)));
    // The resume runs step 5 again, alone.
    state.on(&Record::now(started(5, "web@h2")));
    assert_eq!((state.batch(4), state.batch(5)), (Some(2), None));
}

#[test]
fn a_resume_names_the_steps_again_and_each_is_kept_once() {
    let steps = vec![(1, "db@h".to_string()), (2, "web@h".to_string())];
    let mut state = RunState::default();
    state.on(&Record::now(Event::RunStarted(RunStarted {
        run_id: "r".into(),
        plan: "/p.yaml".into(),
        plan_sha256: None,
        mode: Mode::Run,
        steps: steps.clone(),
        only: vec![],
        limit: vec![],
        with_dependents: false,
    })));
    state.on(&Record::now(Event::StepSucceeded(StepSucceeded {
        index: 1,
        step: "db@h".into(),
        elapsed_ms: 1,
    })));
    state.on(&Record::now(Event::RunResumed(RunResumed {
        run_id: "r".into(),
        plan: "/p.yaml".into(),
        plan_sha256: None,
        steps,
        from: 2,
    })));
    assert_eq!(state.steps.len(), 2);
    assert_eq!((state.total, state.passed, state.resumed), (2, 0, true));
    assert_eq!(state.id(2), "web@h");
    assert_eq!(state.id(9), "");
}

#[test]
fn each_unit_after_the_current_one_waits_its_pause_first() {
    let mut state = RunState::default();
    state.on(&at(
        estimated(
            vec![(1, Some(10_000)), (2, Some(10_000)), (3, Some(10_000))],
            vec![],
        ),
        "2026-01-01T10:00:00Z",
    ));
    state.on(&at(
        Event::Pausing(Pausing {
            before: 1,
            ms: 5_000,
        }),
        "2026-01-01T10:00:00Z",
    ));
    state.on(&at(started(1, "a@h"), "2026-01-01T10:00:00Z"));
    assert_eq!(
        state.remaining(time("2026-01-01T10:00:04Z")),
        Some(Duration::from_secs(6 + 2 * 15))
    );
}

/// A cluster's leader goes last, whatever its place in the plan: every unit not started yet
/// remains, before or after the one in flight.
#[test]
fn units_that_start_out_of_order_still_count_until_they_start() {
    let mut state = RunState::default();
    state.on(&at(
        estimated(
            vec![(1, Some(10_000)), (2, Some(20_000)), (3, Some(30_000))],
            vec![],
        ),
        "2026-01-01T10:00:00Z",
    ));
    state.on(&at(started(2, "r@b"), "2026-01-01T10:00:00Z"));
    assert_eq!(
        state.remaining(time("2026-01-01T10:00:00Z")),
        Some(Duration::from_secs(60))
    );
    state.on(&at(started(3, "r@c"), "2026-01-01T10:00:20Z"));
    assert_eq!(
        state.remaining(time("2026-01-01T10:00:20Z")),
        Some(Duration::from_secs(40))
    );
    state.on(&at(started(1, "r@a"), "2026-01-01T10:00:50Z"));
    assert_eq!(
        state.remaining(time("2026-01-01T10:00:55Z")),
        Some(Duration::from_secs(5))
    );
}

/// Regression: a batch's members gate side by side, and one count for all read `4/2`.
#[test]
fn each_member_of_a_batch_counts_its_own_checks() {
    let gate = |index, checks| {
        Event::PhaseStarted(PhaseStarted {
            index,
            phase: Phase::HealthGate,
            checks,
        })
    };
    let passed = |index: usize| {
        Event::CheckPassed(CheckPassed {
            index,
            phase: Phase::HealthGate,
            target: format!("web@h{index}"),
            check: "tcp 80".into(),
            attempts: 1,
            healthy_after_ms: 5,
        })
    };
    let mut state = RunState::default();
    for event in [gate(1, 2), gate(2, 2), passed(1), passed(2), passed(1)] {
        state.on(&Record::now(event));
    }
    assert_eq!((state.gate(1), state.gate(2)), ((2, 2), (1, 2)));
}
