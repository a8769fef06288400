//! The run's report (report.md and report.json), built from the very events the operator saw,
//! so the report and the run cannot disagree. `comeback audit` writes the same report for a
//! read-only pass, with the takeover view first: what is at risk and why.

mod clusters;
mod markdown;
mod proof;

use crate::exec::event::{
    CheckPassed, ChecksInferred, ClusterVerdict, ColdStartChosen, CommandEnded,
    CommandStillRunning, ConfigsLoaded, Estimated, HookRan, HooksPending, ManagerDetected,
    NotifyFailed, RestartEvidence, Restarted, RunFinished, StepStarted, StepSucceeded, StopForced,
};
use crate::exec::{Consumer, Event, Outcome, Phase, Record, Resumed};
use crate::inspect::{Drift, ProcessInfo, ReferenceFinding};
use crate::plan::Model;
use crate::run_state::RunState;
use serde::Serialize;
use std::path::PathBuf;

pub(crate) use crate::exec::Mode;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Report {
    pub mode: Mode,
    pub run_id: String,
    pub plan: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub outcome: Option<Outcome>,
    pub summary: Summary,
    pub services: Vec<ServiceReport>,
    pub steps: Vec<StepReport>,
    /// The service manager of each host with unit services.
    pub managers: Vec<proof::HostManager>,
    /// Each cluster as its members told it before the walk.
    pub clusters: Vec<clusters::ClusterView>,
    /// The run and each of its resumes, in order, with the times their events were emitted.
    pub history: Vec<Session>,
    /// The dependency graph, as Mermaid.
    pub graph: String,
    /// The whole run as expected from earlier runs (`None`: no estimate yet), and as it went.
    pub estimated_total_ms: Option<u64>,
    pub actual_total_ms: Option<u64>,
    /// What went wrong around the run without stopping it (undelivered notifications).
    pub warnings: Vec<String>,
    /// The run as its events told it: which step is where, which batch it ran in.
    #[serde(skip)]
    state: RunState,
}

/// One invocation of `run` or `resume` on this run.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Session {
    pub resumed: bool,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub outcome: Option<Outcome>,
    /// Commands of the run found still running on a host, waited for or killed.
    pub leftovers: Vec<String>,
}

/// An earlier attempt at a step, before the one its result shows: a halt, or comeback stopping.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Attempt {
    pub started_at: Option<String>,
    pub restarted_at: Option<String>,
    pub result: Option<StepResult>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Summary {
    pub hosts: usize,
    pub services: usize,
    pub steps: usize,
    pub steps_passed: usize,
    pub steps_failed: usize,
    /// Attempts that failed before a resume ran their step again.
    pub earlier_failures: usize,
    /// `service@host` (or `service`) and why, most serious first.
    pub at_risk: Vec<Risk>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Risk {
    pub component: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ServiceReport {
    pub name: String,
    pub hosts: Vec<String>,
    pub depends_on: Vec<String>,
    pub health_checks: usize,
    /// A unit with no `health`: comeback infers its checks (see `units`).
    pub checks_inferred: bool,
    pub single_instance: bool,
    pub impact: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct StepReport {
    pub index: usize,
    pub step: String,
    pub service: String,
    pub host: String,
    /// The batch of its service it restarted in, side by side with the batch's other steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch: Option<usize>,
    pub started_at: Option<String>,
    pub restarted_at: Option<String>,
    pub restart_ms: Option<u64>,
    /// From the end of the restart to the slowest of its own checks passing.
    pub healthy_after_ms: Option<u64>,
    pub checks_passed: Vec<String>,
    pub result: Option<StepResult>,
    pub references: Vec<ReferenceFinding>,
    pub missing_configs: Vec<String>,
    pub unreadable_configs: Vec<String>,
    pub drift: Vec<Drift>,
    pub process: Option<ProcessInfo>,
    /// Seconds the process had been running when inspected.
    pub uptime_s: Option<i64>,
    pub inspect_errors: Vec<String>,
    /// The median of the same step in earlier runs; `None`: no estimate yet.
    pub estimated_ms: Option<u64>,
    pub hooks: Vec<HookRan>,
    /// `after` hooks owed when the step failed with its node drained: (host, command).
    pub hooks_pending: Vec<(String, String)>,
    /// The process before and after the restart command (of an umbrella unit, each
    /// member's).
    pub restart_proofs: Vec<proof::RestartProof>,
    /// What preflight and the restart warned of: a unit not enabled at boot, a restart
    /// nothing can prove, a stop the manager had to force.
    pub warnings: Vec<String>,
    /// Checks comeback inferred for a unit with no `health`.
    pub inferred_checks: Vec<String>,
    /// Configs changed under the old process that were loaded at last.
    pub configs_loaded: Vec<String>,
    /// A cluster member's step: the cluster before and after its restart.
    pub cluster: Vec<clusters::ClusterView>,
    /// The attempts before the last one, oldest first.
    pub earlier_attempts: Vec<Attempt>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub(crate) enum StepResult {
    Passed {
        elapsed_ms: u64,
    },
    Failed {
        phase: Phase,
        target: String,
        check: Option<String>,
        reason: String,
    },
}

impl Report {
    /// An empty report of `model`; its mode and run come from the run's first event.
    pub(crate) fn new(model: &Model) -> Report {
        let services = model
            .services
            .iter()
            .map(|s| ServiceReport {
                name: s.name.clone(),
                hosts: s
                    .instances
                    .iter()
                    .map(|i| model.hosts[i.host].name.clone())
                    .collect(),
                depends_on: s
                    .depends_on
                    .iter()
                    .map(|&d| model.services[d].name.clone())
                    .collect(),
                health_checks: s.instances.first().map_or(0, |i| i.health.len()),
                checks_inferred: s.unit.is_some()
                    && s.instances.first().is_some_and(|i| i.health.is_empty()),
                single_instance: s.instances.len() == 1,
                impact: s.impact.clone(),
            })
            .collect();
        Report {
            mode: Mode::Run,
            run_id: String::new(),
            plan: String::new(),
            started_at: String::new(),
            finished_at: None,
            outcome: None,
            summary: Summary {
                hosts: model.hosts.len(),
                services: model.services.len(),
                ..Summary::default()
            },
            services,
            steps: Vec::new(),
            managers: Vec::new(),
            clusters: Vec::new(),
            history: Vec::new(),
            graph: crate::diagram::mermaid(model),
            estimated_total_ms: None,
            actual_total_ms: None,
            warnings: Vec::new(),
            state: RunState::default(),
        }
    }

    /// Step `index`'s report: the run's state says where it stands (no search in 10,000).
    fn step(&mut self, index: usize) -> Option<&mut StepReport> {
        let at = self.state.position(index)?;
        self.steps.get_mut(at)
    }

    fn record(&mut self, record: &Record) {
        let ts = &record.ts;
        let event = &record.event;
        self.state.on(record);
        match event {
            Event::ManagerDetected(ManagerDetected {
                host,
                manager,
                error,
            }) => self.managers.push(proof::HostManager {
                host: host.clone(),
                manager: *manager,
                error: error.clone(),
            }),
            Event::RestartEvidence(RestartEvidence {
                index,
                action,
                command,
                unit,
                before,
                after,
                proved,
            }) => {
                if let Some(s) = self.step(*index) {
                    s.restart_proofs.push(proof::RestartProof {
                        action: *action,
                        unit: unit.clone(),
                        command: command.clone(),
                        before: *before,
                        after: *after,
                        proved: *proved,
                    });
                }
            }
            Event::StopForced(StopForced { index, unit, log }) => {
                if let Some(s) = self.step(*index) {
                    s.warnings.push(format!(
                        "the stop of {unit} was forced: the manager killed it ({log})"
                    ));
                }
            }
            Event::ChecksInferred(ChecksInferred { index, checks }) => {
                if let Some(s) = self.step(*index) {
                    s.inferred_checks = checks.clone();
                }
            }
            Event::ConfigsLoaded(ConfigsLoaded { index, paths }) => {
                if let Some(s) = self.step(*index) {
                    s.configs_loaded = paths.clone();
                }
            }
            Event::RunStarted(_) | Event::RunResumed(_) => {
                let resumed = self.state.resumed;
                if !resumed {
                    self.mode = self.state.mode;
                }
                if self.history.is_empty() {
                    self.started_at = ts.clone();
                }
                self.history.push(Session {
                    resumed,
                    started_at: ts.clone(),
                    finished_at: None,
                    outcome: None,
                    leftovers: Vec::new(),
                });
                self.run_id = self.state.run_id.clone();
                self.plan = self.state.plan.clone();
                // A resume names the steps again: the state keeps each once, in order.
                for (index, id) in &self.state.steps[self.steps.len()..] {
                    let (service, host) = id.split_once('@').unwrap_or((id, ""));
                    self.steps.push(StepReport {
                        index: *index,
                        step: id.clone(),
                        service: service.to_string(),
                        host: host.to_string(),
                        ..StepReport::default()
                    });
                }
                self.summary.steps = self.steps.len();
            }
            Event::StepStarted(StepStarted { index, resumed, .. }) => {
                // Its batch, if this attempt ran in one (a resumed member runs alone).
                let batch = self.state.batch(*index);
                if let Some(s) = self.step(*index) {
                    // A resumed step starts over in the report as in the run; the earlier
                    // attempt stays in its history.
                    let mut earlier = std::mem::take(&mut s.earlier_attempts);
                    if s.started_at.is_some() {
                        earlier.push(Attempt {
                            started_at: s.started_at.clone(),
                            restarted_at: s.restarted_at.clone(),
                            result: s.result.clone(),
                        });
                    }
                    let restart = (s.restarted_at.clone(), s.restart_ms);
                    *s = StepReport {
                        index: s.index,
                        step: s.step.clone(),
                        service: s.service.clone(),
                        host: s.host.clone(),
                        estimated_ms: s.estimated_ms,
                        batch,
                        earlier_attempts: earlier,
                        ..StepReport::default()
                    };
                    // Only its gates run again: the restart is the earlier attempt's.
                    if *resumed == Some(Resumed::GatesOnly) {
                        (s.restarted_at, s.restart_ms) = restart;
                    }
                    s.started_at = Some(ts.clone());
                }
            }
            Event::Inspected(found) => {
                if let Some(s) = self.step(found.index) {
                    s.warnings = found.warnings.clone();
                    s.missing_configs = found.missing_configs.clone();
                    s.unreadable_configs = found.unreadable_configs.clone();
                    s.references = found.references.clone();
                    s.drift = found.drift.clone();
                    s.uptime_s = found.process.as_ref().map(|p| p.now - p.started);
                    s.process = found.process.clone();
                    s.inspect_errors = found.errors.clone();
                }
            }
            Event::Restarted(Restarted { index, elapsed_ms }) => {
                if let Some(s) = self.step(*index) {
                    s.restarted_at = Some(ts.clone());
                    s.restart_ms = Some(*elapsed_ms);
                }
            }
            Event::CheckPassed(CheckPassed {
                index,
                phase,
                target,
                check,
                healthy_after_ms,
                ..
            }) => {
                if let Some(s) = self.step(*index) {
                    if *phase == Phase::HealthGate {
                        s.healthy_after_ms =
                            Some(s.healthy_after_ms.unwrap_or(0).max(*healthy_after_ms));
                    }
                    let whose = if *phase == Phase::DependentsGate {
                        format!("{target}: ")
                    } else {
                        String::new()
                    };
                    s.checks_passed.push(format!("{whose}{check}"));
                }
            }
            Event::StepSucceeded(StepSucceeded {
                index, elapsed_ms, ..
            }) => {
                if let Some(s) = self.step(*index) {
                    s.result = Some(StepResult::Passed {
                        elapsed_ms: *elapsed_ms,
                    });
                }
            }
            Event::StepFailed(failed) => {
                if let Some(s) = self.step(failed.index) {
                    s.result = Some(StepResult::Failed {
                        phase: failed.phase,
                        target: failed.target.clone(),
                        check: failed.check.clone(),
                        reason: failed.reason.clone(),
                    });
                }
            }
            Event::HookRan(hook) => {
                if let Some(s) = self.step(hook.index) {
                    s.hooks.push(hook.clone());
                }
            }
            Event::HooksPending(HooksPending { index, after, .. }) => {
                if let Some(s) = self.step(*index) {
                    s.hooks_pending = after.clone();
                }
            }
            Event::Estimated(Estimated {
                steps, total_ms, ..
            }) => {
                for (index, estimate) in steps {
                    if let Some(s) = self.step(*index) {
                        s.estimated_ms = *estimate;
                    }
                }
                self.estimated_total_ms = *total_ms;
            }
            Event::NotifyFailed(NotifyFailed {
                url,
                message,
                error,
            }) => self.warnings.push(format!(
                "the {message} message to {url} was not delivered: {error}"
            )),
            Event::RunFinished(RunFinished {
                outcome,
                elapsed_ms,
            }) => {
                self.actual_total_ms = Some(*elapsed_ms);
                if let Some(session) = self.history.last_mut() {
                    session.finished_at = Some(ts.clone());
                    session.outcome = Some(outcome.clone());
                }
                self.finished_at = Some(ts.clone());
                self.outcome = Some(outcome.clone());
                self.summarize();
            }
            Event::CommandStillRunning(CommandStillRunning {
                host,
                pgid,
                age_s,
                command,
                ..
            }) => self.leftover(format!(
                "{ts}: on {host}, still running for {age_s}s (process group {pgid}): {command}"
            )),
            Event::CommandEnded(CommandEnded {
                host,
                pgid,
                command,
                killed,
            }) => self.leftover(format!(
                "{ts}: on {host}, {} (process group {pgid}): {command}",
                if *killed { "killed" } else { "ended" }
            )),
            Event::HostConnected(_)
            | Event::BatchStarted(_)
            | Event::HostUnreachable(_)
            | Event::PhaseStarted(_)
            | Event::CheckUp(_)
            | Event::Pausing(_)
            | Event::Asking(_)
            | Event::StopAsked(_)
            | Event::Prechecked(_)
            | Event::RestartBegun(_)
            | Event::RestartFound(_) => {}
            Event::ClusterViewed(view) => {
                self.cluster_viewed(view.index, clusters::ClusterView::from(view))
            }
            Event::ClusterVerdict(ClusterVerdict { service, verdict }) => {
                self.cluster_verdict(service, verdict)
            }
            Event::ColdStart(ColdStartChosen {
                service,
                first,
                how,
                warning,
            }) => self.cold_start(
                service,
                clusters::ColdStart {
                    first: first.clone(),
                    how: how.clone(),
                    warning: warning.clone(),
                },
            ),
        }
    }

    fn leftover(&mut self, note: String) {
        if let Some(session) = self.history.last_mut() {
            session.leftovers.push(note);
        }
    }

    /// The components at risk, most serious first: failures, dead references, drift, then the
    /// structural risks (single instances, services no check can verify).
    fn summarize(&mut self) {
        let mut risks = Vec::new();
        for s in &self.steps {
            if let Some(StepResult::Failed { phase, reason, .. }) = &s.result {
                risks.push(Risk {
                    component: s.step.clone(),
                    reason: format!("failed in {phase}: {reason}"),
                });
            }
            for r in s.references.iter().filter(|r| r.status.blocks()) {
                risks.push(Risk {
                    component: s.step.clone(),
                    reason: match r.status {
                        crate::inspect::ReferenceStatus::NotLocal => format!(
                            "{}:{} binds {}: {}",
                            r.file,
                            r.line,
                            r.host,
                            r.status.describe()
                        ),
                        _ => format!(
                            "{}:{} names {} which {}",
                            r.file,
                            r.line,
                            r.host,
                            r.status.describe()
                        ),
                    },
                });
            }
            for d in &s.drift {
                risks.push(Risk {
                    component: s.step.clone(),
                    reason: d.to_string(),
                });
            }
            for m in &s.missing_configs {
                risks.push(Risk {
                    component: s.step.clone(),
                    reason: format!("config {m} is missing"),
                });
            }
            for w in &s.warnings {
                risks.push(Risk {
                    component: s.step.clone(),
                    reason: w.clone(),
                });
            }
        }
        for svc in &self.services {
            if svc.single_instance {
                risks.push(Risk {
                    component: svc.name.clone(),
                    reason: "single instance: a single point of failure".into(),
                });
            }
            if svc.health_checks == 0 && !svc.checks_inferred {
                risks.push(Risk {
                    component: svc.name.clone(),
                    reason: "no health check: a restart cannot be verified".into(),
                });
            }
        }
        for c in &self.clusters {
            if let Some(v) = c.verdict.as_ref().filter(|v| !v.comes_back) {
                risks.push(Risk {
                    component: c.service.clone(),
                    reason: format!("would not come back from a full outage: {}", v.why),
                });
            }
        }
        for c in self.clusters.iter().filter(|c| !c.whole) {
            risks.push(Risk {
                component: c.service.clone(),
                reason: format!(
                    "cluster {} is not whole: {}",
                    c.service,
                    c.problems.join("; ")
                ),
            });
        }
        self.summary.at_risk = risks;
        self.summary.steps_passed = self
            .steps
            .iter()
            .filter(|s| matches!(s.result, Some(StepResult::Passed { .. })))
            .count();
        self.summary.steps_failed = self
            .steps
            .iter()
            .filter(|s| matches!(s.result, Some(StepResult::Failed { .. })))
            .count();
        self.summary.earlier_failures = self
            .steps
            .iter()
            .flat_map(|s| &s.earlier_attempts)
            .filter(|a| matches!(a.result, Some(StepResult::Failed { .. })))
            .count();
    }

    pub(crate) fn markdown(&self) -> String {
        markdown::render(self)
    }
}

/// Writes report.md and report.json into a run's folder when the run finishes.
pub(crate) struct ReportWriter {
    report: Report,
    dir: PathBuf,
}

impl ReportWriter {
    pub(crate) fn new(report: Report, dir: PathBuf) -> Self {
        ReportWriter { report, dir }
    }

    /// Replays a resumed run's earlier records, with their own times, so its report covers
    /// the whole run: every start, halt and resume.
    pub(crate) fn replay<'a>(&mut self, records: impl IntoIterator<Item = &'a Record>) {
        for record in records {
            self.report.record(record);
        }
    }
}

impl Consumer for ReportWriter {
    fn on(&mut self, record: &Record) {
        self.report.record(record);
        // A notification that failed after the end is still part of the report.
        let late_warning =
            matches!(record.event, Event::NotifyFailed(_)) && self.report.finished_at.is_some();
        if matches!(record.event, Event::RunFinished(_)) || late_warning {
            let markdown = crate::redact::secrets(&self.report.markdown()).into_owned();
            let written = crate::state_files::private_dir(&self.dir)
                .map_err(|e| e.to_string())
                .and_then(|()| write_json(&self.dir.join("report.json"), &self.report))
                .and_then(|()| {
                    crate::state_files::write_private(
                        &self.dir.join("report.md"),
                        markdown.as_bytes(),
                    )
                    .map_err(|e| e.to_string())
                });
            if let Err(e) = written {
                tracing::error!("cannot write the report in {}: {e}", self.dir.display());
            }
        }
    }
}

/// Writes `value` as pretty JSON, secrets masked; writes nothing when it cannot be serialized
/// (an empty or `null` report would pass for a real one).
fn write_json(path: &std::path::Path, value: &impl Serialize) -> Result<(), String> {
    let mut json = serde_json::to_value(value).map_err(|e| e.to_string())?;
    crate::redact::json(&mut json);
    let text = crate::visible::json(format!("{json:#}\n"));
    crate::state_files::write_private(path, text.as_bytes()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod write_tests {
    /// A value serde cannot write.
    struct Unwritable;

    impl serde::Serialize for Unwritable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("no"))
        }
    }

    #[test]
    fn a_report_that_cannot_be_serialized_is_an_error_and_no_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("report.json");
        assert!(super::write_json(&path, &Unwritable).is_err());
        assert!(!path.exists());
        super::write_json(&path, &serde_json::json!({"a": 1})).expect("written");
        assert!(
            std::fs::read_to_string(&path)
                .expect("read")
                .contains("\"a\": 1")
        );
    }
}
