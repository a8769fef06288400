//! Consumers benchmark (issue #27): a run of 10,000 steps (2,000 services on 5 hosts), its
//! events fed through every consumer (progress, journal, report, notifications), side by side
//! with the same run of 1,000 steps as the baseline. Prints each consumer's time per step at
//! both sizes and their ratio: about 1.0 means a consumer's cost grows with the steps, not with
//! their square. Asserts nothing.
//!
//! Run: `cargo bench --bench consumers`.

use comeback::exec::event::{
    CheckPassed, Estimated, PhaseStarted, Restarted, RunFinished, RunStarted, StepStarted,
    StepSucceeded,
};
use comeback::exec::{Event, Mode, Outcome, Phase, Record};
use comeback::replay::{Timings, through_consumers};
use std::fmt::Write;
use std::time::Duration;

const HOSTS: usize = 5;

/// A plan of `steps / HOSTS` services on `HOSTS` hosts, and its steps' ids in order.
fn plan(steps: usize, dir: &std::path::Path) -> (comeback::plan::Model, Vec<(usize, String)>) {
    let mut text = String::from("hosts:\n");
    for h in 0..HOSTS {
        let _ = writeln!(text, "  h{h}: {{ address: 10.0.0.{} }}", h + 1);
    }
    text.push_str("services:\n");
    let mut ids = Vec::new();
    for s in 0..steps / HOSTS {
        let _ = writeln!(
            text,
            "  s{s:05}:\n    hosts: [h0, h1, h2, h3, h4]\n    restart: \"true\"\n    health: [{{ tcp: 80 }}]"
        );
        ids.extend((0..HOSTS).map(|h| format!("s{s:05}@h{h}")));
    }
    let path = dir.join(format!("plan-{steps}.yaml"));
    std::fs::write(&path, text).expect("plan");
    let loaded = comeback::plan::load(&path).expect("a valid plan");
    let ids = ids
        .into_iter()
        .enumerate()
        .map(|(i, id)| (i + 1, id))
        .collect();
    (loaded.model, ids)
}

/// The events of a real run in which every step passes: start, estimate, then each step's
/// phases, restart, check and success, then the end.
fn events(steps: &[(usize, String)]) -> Vec<Record> {
    let mut out = vec![
        Event::RunStarted(RunStarted {
            run_id: "bench".into(),
            plan: "/srv/plan.yaml".into(),
            plan_sha256: None,
            mode: Mode::Run,
            steps: steps.to_vec(),
            only: vec![],
            limit: vec![],
            with_dependents: false,
        }),
        Event::Estimated(Estimated {
            steps: steps.iter().map(|(i, _)| (*i, Some(30_000))).collect(),
            total_ms: Some(30_000 * steps.len() as u64),
            batches: vec![],
        }),
    ];
    for (index, id) in steps {
        let index = *index;
        out.push(Event::StepStarted(StepStarted {
            index,
            step: id.clone(),
            resumed: None,
        }));
        for phase in [Phase::Preflight, Phase::Restart, Phase::HealthGate] {
            out.push(Event::PhaseStarted(PhaseStarted {
                index,
                phase,
                checks: 1,
            }));
        }
        out.push(Event::Restarted(Restarted {
            index,
            elapsed_ms: 900,
        }));
        out.push(Event::CheckPassed(CheckPassed {
            index,
            phase: Phase::HealthGate,
            target: id.clone(),
            check: "tcp 80".into(),
            attempts: 2,
            healthy_after_ms: 1500,
        }));
        out.push(Event::StepSucceeded(StepSucceeded {
            index,
            step: id.clone(),
            elapsed_ms: 2400,
        }));
    }
    out.push(Event::RunFinished(RunFinished {
        outcome: Outcome::Completed,
        elapsed_ms: 2400 * steps.len() as u64,
    }));
    out.into_iter().map(Record::now).collect()
}

/// The best of three passes at `steps` steps, each consumer's time per step.
fn measure(steps: usize, dir: &std::path::Path) -> Timings {
    let (model, ids) = plan(steps, dir);
    let records = events(&ids);
    let mut best: Option<Timings> = None;
    for pass in 0..3 {
        let state = dir.join(format!("state-{steps}-{pass}"));
        let t = through_consumers(&model, &records, &state).expect("consumers");
        best = Some(match best {
            None => t,
            Some(b) => Timings {
                progress: b.progress.min(t.progress),
                journal: b.journal.min(t.journal),
                report: b.report.min(t.report),
                notify: b.notify.min(t.notify),
            },
        });
    }
    best.expect("three passes")
}

fn per_step(total: Duration, steps: usize) -> f64 {
    total.as_secs_f64() * 1e6 / steps as f64
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (small, large) = (1_000, 10_000);
    let base = measure(small, dir.path());
    let big = measure(large, dir.path());
    println!("\nconsumers: one run's events through each consumer, best of 3");
    println!(
        "  consumer  | {small} steps (baseline) | {large} steps | ratio per step | {large} steps total"
    );
    for ((name, small_total), (_, large_total)) in base.each().into_iter().zip(big.each()) {
        let (a, b) = (per_step(small_total, small), per_step(large_total, large));
        println!(
            "  {name:<9} | {a:>10.1} µs/step | {b:>7.1} µs/step | {:>6.2}x | {:>8.2}s",
            b / a,
            large_total.as_secs_f64()
        );
    }
}
