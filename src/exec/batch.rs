//! Batches: a stateless tier restarts a few instances at a time (`batch: N` or `N%`). A batch
//! is one unit of the walk: its members' steps run side by side, it passes when all of them
//! pass, and the services that depend on it are gated once, after the whole batch. A failure
//! halts the walk once every member of its batch has ended: never two services at once, never
//! more than the batch out at once.

use super::event::BatchStarted;
use super::{Event, Executor, Resumed, Sink, StepEnd};
use crate::plan::Step;
use crate::plan::model::Model;
use crate::transport::Transport;
use tokio::sync::oneshot;

/// Whether a step ends with its dependents gate.
pub(super) enum Dependents {
    /// Its own: a step alone.
    Gate,
    /// None: a member of a batch that another member gates for.
    Skip,
    /// The batch's, once the batch's other members have ended, when all of them passed.
    AfterBatch(oneshot::Receiver<bool>),
}

impl Dependents {
    /// Whether the dependents gate runs now (waiting for the rest of the batch first).
    pub(super) async fn gate(self) -> bool {
        match self {
            Dependents::Gate => true,
            Dependents::Skip => false,
            Dependents::AfterBatch(others) => others.await.unwrap_or(false),
        }
    }
}

/// The walk's units: runs of consecutive steps of one service, up to its `batch` in each. The
/// first `first` steps, when not 0, are a unit of their own: a resumed step alone (whatever its
/// batch was), a cold start's first quorum side by side.
pub(crate) fn units<'s>(model: &Model, steps: &'s [Step], first: usize) -> Vec<&'s [Step]> {
    let mut units = Vec::new();
    let mut rest = steps;
    if first > 0 && !rest.is_empty() {
        let (unit, after) = rest.split_at(first.min(rest.len()));
        units.push(unit);
        rest = after;
    }
    while let Some(first) = rest.first() {
        let size = model.services[first.service].batch.max(1);
        let len = rest
            .iter()
            .take(size)
            .take_while(|s| s.service == first.service)
            .count();
        let (unit, after) = rest.split_at(len);
        units.push(unit);
        rest = after;
    }
    units
}

impl<T: Transport> Executor<'_, T> {
    /// One unit of the walk: a step alone, or a batch side by side (the `batch`th of its
    /// service in this walk); every member's end.
    pub(super) async fn run_unit(
        &self,
        unit: &[Step],
        batch: usize,
        resumed: Option<Resumed>,
    ) -> Vec<StepEnd> {
        let Some((last, others)) = unit.split_last().filter(|_| unit.len() > 1) else {
            let sink = Sink::new(self.events);
            let resumed = self.resumed_of(&unit[0], resumed);
            return vec![
                self.run_step(&sink, &unit[0], resumed, Dependents::Gate)
                    .await,
            ];
        };
        let service = &self.model.services[last.service].name;
        self.events.emit(Event::BatchStarted(BatchStarted {
            service: service.clone(),
            batch,
            indices: unit.iter().map(|s| s.index).collect(),
            steps: unit.iter().map(|s| s.id(self.model)).collect(),
        }));
        let sinks: Vec<Sink<'_>> = unit.iter().map(|_| Sink::new(self.events)).collect();
        let (passed, others_passed) = oneshot::channel();
        let others = async {
            let ends = futures_util::future::join_all(others.iter().zip(&sinks).enumerate().map(
                |(n, (step, sink))| {
                    let resumed = self.resumed_of(step, if n == 0 { resumed } else { None });
                    self.run_step(sink, step, resumed, Dependents::Skip)
                },
            ))
            .await;
            let _ = passed.send(ends.iter().all(|e| e.passed));
            ends
        };
        let last = self.run_step(
            &sinks[unit.len() - 1],
            last,
            self.resumed_of(last, None),
            Dependents::AfterBatch(others_passed),
        );
        let (mut ends, last) = tokio::join!(others, last);
        ends.push(last);
        ends
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::event::{StepFailed, StepSucceeded};
    use crate::exec::tests::walk_on;
    use crate::exec::{Outcome, Pacing, RunOptions};
    use crate::transport::Answers;
    use std::sync::Mutex;

    const PLAN: &str = r#"
hosts: { a: {}, b: {}, c: {}, d: {}, e: {} }
defaults:
  health: { timeout: 300ms, interval: 10ms, settle: 0s }
services:
  web:
    hosts: [a, b, c, d, e]
    restart: "restart-web {host}"
    health: [{ command: "check-web {host}" }]
    batch: 60%
  lb:
    hosts: [a]
    depends_on: [web]
    restart: restart-lb
    health: [{ command: check-lb }]
"#;

    /// Every command passes, but `check-web c` once `restart-web c` ran: c fails its gate.
    #[derive(Default)]
    struct FailsAfterRestart(Mutex<Vec<String>>);

    impl Answers for FailsAfterRestart {
        fn exit_code(&self, command: &str) -> i32 {
            let mut ran = self.0.lock().expect("lock");
            let broken = command == "check-web c" && ran.iter().any(|c| c == "restart-web c");
            ran.push(command.to_string());
            i32::from(broken)
        }
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
    }

    #[test]
    fn consecutive_steps_of_a_service_group_up_to_its_batch() {
        let model = crate::plan::parse(PLAN, std::path::Path::new("."))
            .expect("valid")
            .model;
        let steps = crate::plan::plan(&model, &Default::default())
            .expect("steps")
            .steps;
        let sizes = |units: Vec<&[Step]>| units.iter().map(|u| u.len()).collect::<Vec<_>>();
        assert_eq!(model.services[0].batch, 3);
        assert_eq!(sizes(units(&model, &steps, 0)), [3, 2, 1]);
        // A resumed walk's first step goes alone, then the batches go on.
        assert_eq!(sizes(units(&model, &steps[2..], 1)), [1, 2, 1]);
        // A first unit of its own, whatever the services (a cold start's quorum).
        assert_eq!(sizes(units(&model, &steps, 2)), [2, 3, 1]);
        assert!(units(&model, &[], 1).is_empty());
    }

    #[test]
    fn a_failing_member_lets_its_batch_finish_and_nothing_after_it_starts() {
        let transport = FailsAfterRestart::default();
        let (outcome, events) = walk_on(
            PLAN,
            &transport,
            RunOptions::default(),
            Pacing::default(),
            runtime(),
        );
        assert!(
            matches!(&outcome, Outcome::Halted { step, .. } if step == "web@c"),
            "{outcome:?}"
        );
        let ran = transport.0.into_inner().expect("lock");
        let restarted: Vec<&str> = ran
            .iter()
            .filter(|c| c.starts_with("restart-"))
            .map(String::as_str)
            .collect();
        // The batch side by side; d, e and lb never start.
        let mut first = restarted.clone();
        first.sort_unstable();
        assert_eq!(first, ["restart-web a", "restart-web b", "restart-web c"]);
        let ended: Vec<String> = events
            .iter()
            .filter_map(|e| match e {
                Event::StepSucceeded(StepSucceeded { step, .. }) => Some(format!("ok {step}")),
                Event::StepFailed(StepFailed { step, .. }) => Some(format!("failed {step}")),
                _ => None,
            })
            .collect();
        assert_eq!(ended.len(), 3, "{ended:?}");
        assert!(ended.contains(&"ok web@a".into()) && ended.contains(&"ok web@b".into()));
        assert!(ended.contains(&"failed web@c".into()));
        assert!(events.iter().any(|e| matches!(e,
            Event::BatchStarted(BatchStarted { service, batch: 1, steps, .. })
                if service == "web" && steps == &["web@a", "web@b", "web@c"])));
        // lb was asked by the precheck alone: a failed batch gates no dependents.
        assert_eq!(
            ran.iter().filter(|c| *c == "check-lb").count(),
            1,
            "{ran:?}"
        );
    }

    #[test]
    fn the_dependents_gate_runs_once_per_batch() {
        let transport = FailsAfterRestart::default();
        let plan = PLAN.replace("check-web {host}", "ok-web {host}");
        let (outcome, _) = walk_on(
            &plan,
            &transport,
            RunOptions::default(),
            Pacing::default(),
            runtime(),
        );
        assert_eq!(outcome, Outcome::Completed);
        let ran = transport.0.into_inner().expect("lock");
        // The precheck asks lb once; then one dependents gate per web batch (two), then lb's
        // own step (preflight and gate).
        let lb_checks = ran.iter().filter(|c| *c == "check-lb").count();
        assert_eq!(lb_checks, 1 + 2 + 2, "{ran:?}");
    }
}
