//! Reading a journal back: what a run did, and where `resume` picks it up.

use super::{Journal, Record};
use crate::exec::event::{
    ColdStartChosen, PhaseStarted, RestartBegun, Restarted, RunFinished, RunResumed, RunStarted,
    StepFailed, StepStarted, StepSucceeded,
};
use crate::exec::{Event, Outcome, Phase, Resumed};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A run as its journal tells it.
#[derive(Debug, Clone, Default)]
pub(crate) struct History {
    pub run_id: String,
    pub plan: PathBuf,
    /// The plan's hash as the run (or its last resume) read it.
    pub plan_sha256: Option<String>,
    pub mode: crate::exec::Mode,
    pub steps: Vec<(usize, String)>,
    pub only: Vec<String>,
    pub limit: Vec<String>,
    pub with_dependents: bool,
    pub succeeded: HashSet<String>,
    /// The steps started and not finished, in the order they started: comeback died during
    /// them (several: the members of a batch).
    pub in_flight: Vec<Flight>,
    /// The steps that failed since the last start or resume, in the order they failed, and
    /// whether each one's restart had run (this run touched it).
    pub failed: Vec<(String, bool)>,
    pub outcome: Option<Outcome>,
    /// The run brings a cluster back from a full outage (`--cold-start`): the member it chose
    /// to bring up first.
    pub cold_start: Option<String>,
}

/// A step started and not finished, as far as its events went.
#[derive(Debug, Clone)]
pub(crate) struct Flight {
    pub index: usize,
    pub step: String,
    /// Its restart completed (`Restarted`).
    pub restarted: bool,
    /// The phase it had reached.
    pub phase: Option<Phase>,
    /// The restart it had begun (its command sent), if it had.
    pub began: Option<crate::exec::RestartBegan>,
}

/// The plan no longer orders the steps still to run as the journal does.
#[derive(Debug, thiserror::Error)]
#[error(
    "the plan changed the order of the steps still to run\n  journal: {}\n  plan now: {}",
    journal.join(", "),
    plan.join(", ")
)]
pub(crate) struct OrderChanged {
    pub journal: Vec<String>,
    pub plan: Vec<String>,
}

/// Where a resumed run starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResumePoint {
    /// Step ids still to run, in order.
    pub remaining: Vec<String>,
    pub first: Resumed,
    /// The restart the first step had begun, when it resumes with [`Resumed::Recover`].
    pub began: Option<crate::exec::RestartBegan>,
    /// The other steps this run touched and did not finish (a batch's other members): each
    /// runs again in full, even if it is down.
    pub retry: Vec<String>,
}

impl History {
    pub(crate) fn from_records(records: &[Record]) -> Option<History> {
        let mut h = None::<History>;
        for record in records {
            match &record.event {
                Event::RunStarted(RunStarted {
                    run_id,
                    plan,
                    plan_sha256,
                    mode,
                    steps,
                    only,
                    limit,
                    with_dependents,
                }) => {
                    h = Some(History {
                        run_id: run_id.clone(),
                        plan: PathBuf::from(plan),
                        plan_sha256: plan_sha256.clone(),
                        mode: *mode,
                        steps: steps.clone(),
                        only: only.clone(),
                        limit: limit.clone(),
                        with_dependents: *with_dependents,
                        ..History::default()
                    })
                }
                event => {
                    let Some(h) = h.as_mut() else { continue };
                    match event {
                        Event::RunResumed(RunResumed {
                            plan, plan_sha256, ..
                        }) => {
                            h.outcome = None;
                            h.plan = PathBuf::from(plan);
                            h.plan_sha256 = plan_sha256.clone();
                        }
                        Event::StepStarted(StepStarted {
                            index,
                            step,
                            resumed,
                        }) => {
                            h.in_flight.retain(|f| f.index != *index);
                            h.failed.retain(|(s, _)| s != step);
                            h.in_flight.push(Flight {
                                index: *index,
                                step: step.clone(),
                                restarted: *resumed == Some(Resumed::GatesOnly),
                                phase: None,
                                began: None,
                            });
                        }
                        Event::RestartBegun(RestartBegun {
                            index,
                            before,
                            host_now,
                        }) => {
                            if let Some(f) = h.flight(*index) {
                                f.began = Some(crate::exec::RestartBegan {
                                    index: *index,
                                    before: before.clone(),
                                    host_now: *host_now,
                                });
                            }
                        }
                        Event::PhaseStarted(PhaseStarted { index, phase, .. }) => {
                            if let Some(f) = h.flight(*index) {
                                f.phase = Some(*phase);
                            }
                        }
                        Event::Restarted(Restarted { index, .. }) => {
                            if let Some(f) = h.flight(*index) {
                                f.restarted = true;
                            }
                        }
                        Event::StepSucceeded(StepSucceeded { index, step, .. }) => {
                            h.succeeded.insert(step.clone());
                            h.in_flight.retain(|f| f.index != *index);
                        }
                        Event::StepFailed(StepFailed {
                            index, step, phase, ..
                        }) => {
                            h.in_flight.retain(|f| f.index != *index);
                            // Failed before its restart ran: nothing was touched by this run.
                            let touched = !matches!(phase, Phase::Preflight | Phase::BeforeHooks);
                            h.failed.push((step.clone(), touched));
                        }
                        Event::RunFinished(RunFinished { outcome, .. }) => {
                            h.outcome = Some(outcome.clone())
                        }
                        Event::ColdStart(ColdStartChosen { first, .. }) => {
                            h.cold_start = Some(first.clone())
                        }
                        Event::RunStarted(_)
                        | Event::BatchStarted(_)
                        | Event::HostConnected(_)
                        | Event::HostUnreachable(_)
                        | Event::ManagerDetected(_)
                        | Event::Inspected(_)
                        | Event::ClusterViewed(_)
                        | Event::ClusterVerdict(_)
                        | Event::Prechecked(_)
                        | Event::RestartFound(_)
                        | Event::RestartEvidence(_)
                        | Event::StopForced(_)
                        | Event::ChecksInferred(_)
                        | Event::ConfigsLoaded(_)
                        | Event::CheckUp(_)
                        | Event::CheckPassed(_)
                        | Event::CommandStillRunning(_)
                        | Event::CommandEnded(_)
                        | Event::HookRan(_)
                        | Event::HooksPending(_)
                        | Event::Estimated(_)
                        | Event::Pausing(_)
                        | Event::Asking(_)
                        | Event::StopAsked(_)
                        | Event::NotifyFailed(_) => {}
                    }
                }
            }
        }
        h
    }

    pub(crate) fn read(journal: &Path) -> Result<Option<History>, super::JournalError> {
        Ok(History::from_records(&Journal::read(journal)?))
    }

    /// The journal of the newest real (not dry) run under `state_dir`, if any.
    pub(crate) fn latest(
        state_dir: &Path,
    ) -> Result<Option<(PathBuf, History)>, super::JournalError> {
        let runs = state_dir.join("runs");
        let mut ids: Vec<String> = match std::fs::read_dir(&runs) {
            Ok(entries) => entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(super::JournalError::Io {
                    path: runs.display().to_string(),
                    source,
                });
            }
        };
        ids.sort();
        for id in ids.iter().rev() {
            let path = runs.join(id).join("journal.jsonl");
            if let Some(history) = History::read(&path)?
                && !history.mode.read_only()
            {
                return Ok(Some((path, history)));
            }
        }
        Ok(None)
    }

    /// The selection the run started with, to compute its order again.
    pub(crate) fn selection(&self) -> crate::plan::Selection {
        crate::plan::Selection {
            only: self.only.clone(),
            limit: self.limit.clone(),
            with_dependents: self.with_dependents,
            from: None,
        }
    }

    /// The steps of `plan` (the run's selection, computed again) still to run: those `point`
    /// names, in its order. A plan whose order of the remaining steps changed is refused.
    pub(crate) fn remaining_steps(
        &self,
        model: &crate::plan::Model,
        plan: crate::plan::Plan,
        point: &ResumePoint,
    ) -> Result<Vec<crate::plan::Step>, OrderChanged> {
        let steps: Vec<crate::plan::Step> = plan
            .steps
            .into_iter()
            .filter(|s| !self.succeeded.contains(&s.id(model)))
            .collect();
        let mut steps = steps;
        if let Some(first) = point.remaining.first()
            && let Some(at) = steps.iter().position(|s| &s.id(model) == first)
        {
            let step = steps.remove(at);
            steps.insert(0, step);
        }
        let now: Vec<String> = steps.iter().map(|s| s.id(model)).collect();
        if now != point.remaining || steps.is_empty() {
            return Err(OrderChanged {
                journal: point.remaining.clone(),
                plan: now,
            });
        }
        Ok(steps)
    }

    /// `None` when the run completed: nothing is left to do.
    pub(crate) fn resume_point(&self) -> Option<ResumePoint> {
        if self.outcome == Some(Outcome::Completed) {
            return None;
        }
        let mut remaining: Vec<String> = self
            .steps
            .iter()
            .map(|(_, id)| id.clone())
            .filter(|id| !self.succeeded.contains(id))
            .collect();
        // The step comeback was in, or halted at, goes first: a cluster's walk takes its leader
        // last, so that step is not always the first of the plan's order still to run. Of a
        // batch, the failed member first in the order (the one the halt named), else the first
        // in flight.
        let first_of = |ids: &mut dyn Iterator<Item = &String>| {
            ids.filter_map(|id| Some((remaining.iter().position(|r| r == id)?, id.clone())))
                .min()
                .map(|(_, id)| id)
        };
        let touched = first_of(&mut self.failed.iter().map(|(id, _)| id))
            .or_else(|| first_of(&mut self.in_flight.iter().map(|f| &f.step)));
        if let Some(id) = touched
            && let Some(at) = remaining.iter().position(|r| *r == id)
        {
            let id = remaining.remove(at);
            remaining.insert(0, id);
        }
        let first_id = remaining.first()?;
        let flight = self.in_flight.iter().find(|f| &f.step == first_id);
        let failed_touched = self.failed.iter().any(|(id, t)| id == first_id && *t);
        let first = match flight {
            Some(f) if f.restarted => Resumed::GatesOnly,
            // Its restart command was sent and comeback never saw it end: the host tells.
            Some(f) if f.began.is_some() => Resumed::Recover,
            // Its restart phase began, the command was not sent: this run may still have
            // touched it (a `before` hook), so it runs again even if down.
            Some(f) if f.phase == Some(Phase::Restart) => Resumed::Retry,
            None if failed_touched => Resumed::Retry,
            _ => Resumed::Full,
        };
        let began = match first {
            Resumed::Recover => flight.and_then(|f| f.began.clone()),
            _ => None,
        };
        // The batch's other members this run touched: in flight past their preflight, or
        // failed after their restart ran. Each runs again in full, even if down.
        let retry = self
            .in_flight
            .iter()
            .filter(|f| f.phase.is_some_and(|p| p != Phase::Preflight) || f.restarted)
            .map(|f| f.step.clone())
            .chain(
                self.failed
                    .iter()
                    .filter(|(_, touched)| *touched)
                    .map(|(id, _)| id.clone()),
            )
            .filter(|id| id != first_id && remaining.contains(id))
            .collect();
        Some(ResumePoint {
            remaining,
            first,
            began,
            retry,
        })
    }

    fn flight(&mut self, index: usize) -> Option<&mut Flight> {
        self.in_flight.iter_mut().find(|f| f.index == index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::Mode;

    fn event(e: Event) -> Record {
        Record::now(e)
    }

    /// A cluster walk takes its leader last: the plan's order 1, 2, 3 ran as 2, 3, 1, and the
    /// run halted in 3's cluster gate after its restart.
    #[test]
    fn the_step_a_cluster_walk_halted_at_resumes_first_though_not_first_in_the_plan() {
        let ids = ["db@a", "db@b", "db@c"];
        let mut records = started(&ids);
        records.push(event(Event::StepStarted(StepStarted {
            index: 2,
            step: ids[1].into(),
            resumed: None,
        })));
        records.push(event(Event::StepSucceeded(StepSucceeded {
            index: 2,
            step: ids[1].into(),
            elapsed_ms: 1,
        })));
        records.push(event(Event::StepStarted(StepStarted {
            index: 3,
            step: ids[2].into(),
            resumed: None,
        })));
        records.push(event(Event::Restarted(Restarted {
            index: 3,
            elapsed_ms: 1,
        })));
        records.push(event(Event::StepFailed(StepFailed {
            index: 3,
            step: ids[2].into(),
            phase: Phase::ClusterGate,
            target: ids[2].into(),
            check: Some("cluster".into()),
            reason: "did not rejoin".into(),
            impact: None,
            runbook: None,
        })));
        let history = History::from_records(&records).expect("a run");
        let point = history.resume_point().expect("not completed");
        assert_eq!(point.remaining, ["db@c", "db@a"]);
        assert_eq!(
            point.first,
            Resumed::Retry,
            "its restart ran: it may be down"
        );
    }

    fn started(ids: &[&str]) -> Vec<Record> {
        vec![event(RunStarted::of(Mode::Run, ids))]
    }

    fn step_started(index: usize, step: &str) -> Record {
        event(Event::StepStarted(StepStarted {
            index,
            step: step.into(),
            resumed: None,
        }))
    }

    fn step_failed(index: usize, step: &str, phase: Phase) -> Record {
        event(Event::StepFailed(StepFailed {
            index,
            step: step.into(),
            phase,
            target: step.into(),
            check: None,
            reason: "failed".into(),
            impact: None,
            runbook: None,
        }))
    }

    /// comeback died in a batch: a restarted, b done, c still in its preflight. Only a is
    /// re-verified by its gates; c never restarted, so it runs in full.
    #[test]
    fn a_batch_killed_mid_way_reverifies_only_the_member_that_restarted() {
        let ids = ["web@a", "web@b", "web@c", "lb@d"];
        let mut records = started(&ids);
        for (i, id) in ids[..3].iter().enumerate() {
            records.push(step_started(i + 1, id));
        }
        records.push(event(Event::Restarted(Restarted {
            index: 1,
            elapsed_ms: 1,
        })));
        records.push(event(Event::StepSucceeded(StepSucceeded {
            index: 2,
            step: ids[1].into(),
            elapsed_ms: 1,
        })));
        records.push(event(Event::PhaseStarted(PhaseStarted {
            index: 3,
            phase: Phase::Preflight,
            checks: 0,
        })));
        let point = History::from_records(&records)
            .expect("a run")
            .resume_point()
            .expect("not completed");
        assert_eq!(point.remaining, ["web@a", "web@c", "lb@d"]);
        assert_eq!(point.first, Resumed::GatesOnly);
        assert!(point.retry.is_empty(), "{:?}", point.retry);
    }

    /// Two members of a batch failed after their restarts: the first one the halt named goes
    /// first, the other runs again in full too, each even if down.
    #[test]
    fn two_failed_members_of_a_batch_both_run_again_even_if_down() {
        let ids = ["web@a", "web@b", "web@c", "lb@d"];
        let mut records = started(&ids);
        for (i, id) in ids[..3].iter().enumerate() {
            records.push(step_started(i + 1, id));
        }
        records.push(event(Event::StepSucceeded(StepSucceeded {
            index: 2,
            step: ids[1].into(),
            elapsed_ms: 1,
        })));
        records.push(step_failed(3, ids[2], Phase::HealthGate));
        records.push(step_failed(1, ids[0], Phase::HealthGate));
        let point = History::from_records(&records)
            .expect("a run")
            .resume_point()
            .expect("not completed");
        assert_eq!(point.remaining, ["web@a", "web@c", "lb@d"]);
        assert_eq!(point.first, Resumed::Retry);
        assert_eq!(point.retry, ["web@c"]);
        // A member that failed in its preflight was not touched: it runs afresh.
        let mut records = started(&ids);
        records.push(step_started(1, ids[0]));
        records.push(step_started(2, ids[1]));
        records.push(step_failed(1, ids[0], Phase::HealthGate));
        records.push(step_failed(2, ids[1], Phase::Preflight));
        let point = History::from_records(&records)
            .expect("a run")
            .resume_point()
            .expect("not completed");
        assert_eq!((point.first, point.retry.len()), (Resumed::Retry, 0));
    }
}
