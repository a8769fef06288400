//! The run's report (report.md and report.json), built from the very events the operator saw,
//! so the report and the run cannot disagree. `comeback audit` writes the same report for a
//! read-only pass, with the takeover view first: what is at risk and why.

mod markdown;
mod units;

use crate::exec::{Consumer, Event, Outcome, Phase};
use crate::inspect::{Drift, ProcessInfo, ReferenceFinding};
use crate::journal::now_rfc3339;
use crate::plan::Model;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Run,
    DryRun,
    Audit,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
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
    pub managers: Vec<units::HostManager>,
    /// The dependency graph, as Mermaid.
    pub graph: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub hosts: usize,
    pub services: usize,
    pub steps: usize,
    pub steps_passed: usize,
    pub steps_failed: usize,
    /// `service@host` (or `service`) and why, most serious first.
    pub at_risk: Vec<Risk>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Risk {
    pub component: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceReport {
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
pub struct StepReport {
    pub index: usize,
    pub step: String,
    pub service: String,
    pub host: String,
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
    /// The process before and after the restart command.
    pub restart_proof: Option<units::RestartProof>,
    /// Checks comeback inferred for a unit with no `health`.
    pub inferred_checks: Vec<String>,
    /// Configs changed under the old process that were loaded at last.
    pub configs_loaded: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum StepResult {
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
    pub fn new(model: &Model, mode: Mode) -> Report {
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
            mode,
            run_id: String::new(),
            plan: String::new(),
            started_at: now_rfc3339(),
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
            graph: crate::print::graph::mermaid(model),
        }
    }

    fn step(&mut self, index: usize) -> Option<&mut StepReport> {
        self.steps.iter_mut().rev().find(|s| s.index == index)
    }

    fn record(&mut self, event: &Event) {
        if units::record(self, event) {
            return;
        }
        match event {
            Event::RunStarted {
                run_id,
                plan,
                steps,
                ..
            }
            | Event::RunResumed {
                run_id,
                plan,
                steps,
                ..
            } => {
                self.run_id = run_id.clone();
                self.plan = plan.clone();
                for (index, id) in steps {
                    if self.steps.iter().any(|s| s.step == *id) {
                        continue;
                    }
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
            Event::StepStarted { index, .. } => {
                if let Some(s) = self.step(*index) {
                    // A resumed step starts over in the report as in the run.
                    *s = StepReport {
                        index: s.index,
                        step: s.step.clone(),
                        service: s.service.clone(),
                        host: s.host.clone(),
                        ..StepReport::default()
                    };
                    s.started_at = Some(now_rfc3339());
                }
            }
            Event::Inspected {
                index,
                missing_configs,
                unreadable_configs,
                references,
                process,
                drift,
                errors,
                ..
            } => {
                if let Some(s) = self.step(*index) {
                    s.missing_configs = missing_configs.clone();
                    s.unreadable_configs = unreadable_configs.clone();
                    s.references = references.clone();
                    s.drift = drift.clone();
                    s.uptime_s = process.as_ref().map(|p| p.now - p.started);
                    s.process = process.clone();
                    s.inspect_errors = errors.clone();
                }
            }
            Event::Restarted { index, elapsed_ms } => {
                if let Some(s) = self.step(*index) {
                    s.restarted_at = Some(now_rfc3339());
                    s.restart_ms = Some(*elapsed_ms);
                }
            }
            Event::CheckPassed {
                index,
                phase,
                target,
                check,
                healthy_after_ms,
                ..
            } => {
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
            Event::StepSucceeded {
                index, elapsed_ms, ..
            } => {
                if let Some(s) = self.step(*index) {
                    s.result = Some(StepResult::Passed {
                        elapsed_ms: *elapsed_ms,
                    });
                }
            }
            Event::StepFailed {
                index,
                phase,
                target,
                check,
                reason,
                ..
            } => {
                if let Some(s) = self.step(*index) {
                    s.result = Some(StepResult::Failed {
                        phase: *phase,
                        target: target.clone(),
                        check: check.clone(),
                        reason: reason.clone(),
                    });
                }
            }
            Event::RunFinished { outcome, .. } => {
                self.finished_at = Some(now_rfc3339());
                self.outcome = Some(outcome.clone());
                self.summarize();
            }
            Event::HostConnected { .. }
            | Event::HostUnreachable { .. }
            | Event::PhaseStarted { .. }
            | Event::CheckUp { .. } => {}
            Event::ManagerDetected { .. }
            | Event::RestartEvidence { .. }
            | Event::ChecksInferred { .. }
            | Event::ConfigsLoaded { .. } => {}
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
                    reason: format!(
                        "{}:{} names {} which {}",
                        r.file,
                        r.line,
                        r.host,
                        r.status.describe()
                    ),
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
    }

    pub fn markdown(&self) -> String {
        markdown::render(self)
    }
}

/// Writes report.md and report.json into a run's folder when the run finishes.
pub struct ReportWriter {
    report: Report,
    dir: PathBuf,
}

impl ReportWriter {
    pub fn new(report: Report, dir: PathBuf) -> Self {
        ReportWriter { report, dir }
    }

    /// Replays a resumed run's earlier events, so its report covers the whole run.
    pub fn replay<'a>(&mut self, events: impl IntoIterator<Item = &'a Event>) {
        for event in events {
            if !matches!(event, Event::RunFinished { .. }) {
                self.report.record(event);
            }
        }
    }
}

impl Consumer for ReportWriter {
    fn on(&mut self, event: &Event) {
        self.report.record(event);
        if let Event::RunFinished { .. } = event {
            let json = serde_json::to_string_pretty(&self.report).unwrap_or_default();
            let written = std::fs::create_dir_all(&self.dir)
                .and_then(|()| std::fs::write(self.dir.join("report.md"), self.report.markdown()))
                .and_then(|()| std::fs::write(self.dir.join("report.json"), json + "\n"));
            if let Err(e) = written {
                tracing::error!("cannot write the report in {}: {e}", self.dir.display());
            }
        }
    }
}
