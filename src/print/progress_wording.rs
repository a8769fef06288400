//! What the operator reads in the moments that were worded wrong: a reload, a resume's closing
//! line, a halt in a gate (whose abandoned checks are housekeeping), a real run stopped by its
//! precheck. Each as a snapshot of the lines printed for a sequence of events.

use super::Progress;
use crate::exec::event::{
    ChecksInferred, CommandEnded, RestartEvidence, RunFinished, RunResumed, RunStarted, StepFailed,
    StepStarted, StepSucceeded,
};
use crate::exec::{Consumer, Event, Mode, Outcome, Phase, Record, Seen};
use crate::plan::model::Action;
use std::sync::{Arc, Mutex};

fn printed(events: Vec<Event>) -> String {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let mut progress = Progress::captured(lines.clone());
    for event in events {
        progress.on(&Record {
            v: crate::exec::VERSION,
            ts: "2026-12-06T03:00:00Z".into(),
            event,
        });
    }
    // The expected end is the clock's now plus estimates: not part of the wording.
    let ends = regex::Regex::new(r"expected end \d\d:\d\d UTC").expect("regex");
    let text = lines.lock().expect("lines").join("\n");
    ends.replace_all(&text, "expected end [time]").into_owned()
}

fn started(mode: Mode, steps: &[&str]) -> Event {
    RunStarted::of(mode, steps)
}

fn step(index: usize, id: &str) -> Event {
    Event::StepStarted(StepStarted {
        index,
        step: id.into(),
        resumed: None,
    })
}

fn passed(index: usize, id: &str) -> Event {
    Event::StepSucceeded(StepSucceeded {
        index,
        step: id.into(),
        elapsed_ms: 1200,
    })
}

fn finished(outcome: Outcome) -> Event {
    Event::RunFinished(RunFinished {
        outcome,
        elapsed_ms: 4200,
    })
}

#[test]
fn a_reload_is_said_as_a_reload() {
    let nginx = Seen {
        pid: 123,
        started: 1,
    };
    insta::assert_snapshot!(printed(vec![
        started(Mode::Run, &["nginx@web-01"]),
        step(1, "nginx@web-01"),
        Event::RestartEvidence(RestartEvidence {
            index: 1,
            action: Action::Reload,
            command: "systemctl reload nginx".into(),
            unit: None,
            before: Some(nginx),
            after: Some(nginx),
            proved: true,
        }),
        Event::ChecksInferred(ChecksInferred {
            index: 1,
            checks: vec![
                "systemd says nginx is active".into(),
                "port 80 still listens, owned by the same process (pid 123)".into(),
            ],
        }),
        passed(1, "nginx@web-01"),
        finished(Outcome::Completed),
    ]));
}

#[test]
fn a_resume_says_what_it_ran_and_that_the_run_is_whole() {
    insta::assert_snapshot!(printed(vec![
        Event::RunResumed(RunResumed {
            run_id: "R".into(),
            plan: "/srv/plan.yaml".into(),
            plan_sha256: None,
            steps: (1..=7).map(|i| (i, format!("s{i}@h"))).collect(),
            from: 6,
        }),
        step(6, "s6@h"),
        passed(6, "s6@h"),
        step(7, "s7@h"),
        passed(7, "s7@h"),
        finished(Outcome::Completed),
    ]));
}

#[test]
fn a_halt_in_a_gate_does_not_tell_of_the_checks_it_abandoned() {
    insta::assert_snapshot!(printed(vec![
        started(Mode::Run, &["app@a"]),
        step(1, "app@a"),
        Event::StepFailed(StepFailed {
            index: 1,
            step: "app@a".into(),
            phase: Phase::HealthGate,
            target: "app@a".into(),
            check: Some("http http://a:8080/health".into()),
            reason: "not healthy within 1m00s (60 attempts): 503".into(),
            impact: None,
            runbook: None,
        }),
        Event::CommandEnded(CommandEnded {
            host: "a".into(),
            pgid: 4242,
            command: "curl -fsS http://db:5432".into(),
            killed: true,
        }),
        finished(Outcome::Halted {
            index: 1,
            step: "app@a".into(),
        }),
    ]));
}

#[test]
fn a_real_run_stopped_by_its_precheck_says_nothing_was_restarted() {
    insta::assert_snapshot!(printed(vec![
        started(Mode::Run, &["db@a", "app@b"]),
        finished(Outcome::StaleReferences {
            steps: vec!["app@b".into()],
        }),
    ]));
}
