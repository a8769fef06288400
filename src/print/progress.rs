//! What the operator watches during a run: an indicatif bar on a terminal, one plain line per
//! event otherwise, and the closing summary (what broke, what it means, what to do).

use crate::exec::{Consumer, Event, Outcome, Phase};
use crate::inspect::ReferenceStatus;
use crate::print::{count, duration};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::time::Duration;

pub struct Progress {
    bar: Option<ProgressBar>,
    total: usize,
    steps: Vec<(usize, String)>,
    plan: String,
    dry_run: bool,
    current: Option<(usize, String)>,
    /// Checks passed and checks awaited in the current gate.
    gate: (usize, usize),
}

fn ms(ms: u64) -> String {
    duration(Duration::from_millis(ms))
}

impl Progress {
    /// A bar when stderr is a terminal, plain lines when it is not.
    pub fn new() -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:24} {pos}/{len} {wide_msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            total: 0,
            steps: Vec::new(),
            plan: String::new(),
            dry_run: false,
            current: None,
            gate: (0, 0),
        }
    }

    fn line(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => {
                let mut err = std::io::stderr().lock();
                let _ = writeln!(err, "{text}");
            }
        }
    }

    fn status(&self, text: String) {
        match &self.bar {
            Some(bar) => bar.set_message(text),
            None => self.line(&text),
        }
    }

    fn prefix(&self, index: usize) -> String {
        let id = self.current.as_ref().map_or("", |(_, id)| id.as_str());
        format!("[{index}/{}] {id}", self.total)
    }

    fn finish(&mut self, outcome: &Outcome, elapsed_ms: u64) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        let resume = format!("comeback resume --plan {}", self.plan);
        let text = match outcome {
            Outcome::Completed if self.dry_run => format!(
                "dry run: all {} steps are ready; nothing was restarted ({})",
                self.total,
                ms(elapsed_ms)
            ),
            Outcome::Completed => format!(
                "done: {} step{} restarted and verified in {}",
                self.steps.len(),
                if self.steps.len() == 1 { "" } else { "s" },
                ms(elapsed_ms)
            ),
            Outcome::StaleReferences { steps } => format!(
                "dry run: every step is healthy, but the configs of {} name hosts that are gone: {}; a restart of those may not come back",
                if steps.len() == 1 {
                    "one step"
                } else {
                    "these steps"
                },
                steps.join(", ")
            ),
            Outcome::Blocked { steps } => format!(
                "dry run: {} of {} steps would not pass preflight: {}; nothing was restarted",
                steps.len(),
                self.total,
                steps.join(", ")
            ),
            Outcome::Halted { index, step } => {
                let not_run: Vec<String> = self
                    .steps
                    .iter()
                    .filter(|(i, _)| i > index)
                    .map(|(i, id)| format!("{i}. {id}"))
                    .collect();
                let mut text =
                    format!("HALTED at step {index}: {step}. Nothing after it was touched.\n");
                if not_run.is_empty() {
                    text.push_str("  not run: nothing (it was the last step)\n");
                } else {
                    text.push_str(&format!("  not run: {}\n", not_run.join(", ")));
                }
                text.push_str(&format!("  after fixing the cause: {resume}"));
                text
            }
            Outcome::Invalid { problems } => format!(
                "error: nothing was run:\n{}",
                problems
                    .iter()
                    .map(|p| format!("  - {p}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
            Outcome::Unreachable { hosts } => format!(
                "no step was run: {} host{} did not answer: {}",
                hosts.len(),
                if hosts.len() == 1 { "" } else { "s" },
                hosts.join(", ")
            ),
            Outcome::Interrupted { after } => format!(
                "interrupted{}: the remaining steps were not run; continue with: {resume}",
                after
                    .as_ref()
                    .map(|s| format!(" after {s}"))
                    .unwrap_or_default()
            ),
            Outcome::Aborted { step } => format!(
                "aborted{}: that step was left unverified; check it by hand, then: {resume}",
                step.as_ref()
                    .map(|s| format!(" during {s}"))
                    .unwrap_or_default()
            ),
        };
        self.line(&text);
    }
}

impl Default for Progress {
    fn default() -> Self {
        Progress::new()
    }
}

impl Consumer for Progress {
    fn on(&mut self, event: &Event) {
        match event {
            Event::RunStarted {
                run_id,
                plan,
                dry_run,
                steps,
                ..
            } => {
                self.total = steps.last().map_or(0, |(i, _)| *i);
                self.steps = steps.clone();
                self.plan = plan.clone();
                self.dry_run = *dry_run;
                if let Some(bar) = &self.bar {
                    bar.set_length(self.total as u64);
                    bar.set_position(steps.first().map_or(0, |(i, _)| (*i - 1) as u64));
                }
                let what = if *dry_run { "dry run" } else { "run" };
                self.line(&format!(
                    "comeback {what} {run_id}: {} step{} of {plan}",
                    steps.len(),
                    if steps.len() == 1 { "" } else { "s" }
                ));
            }
            Event::RunResumed {
                run_id,
                plan,
                steps,
                from,
            } => {
                self.total = steps.last().map_or(0, |(i, _)| *i);
                self.steps = steps.clone();
                self.plan = plan.clone();
                if let Some(bar) = &self.bar {
                    bar.set_length(self.total as u64);
                    bar.set_position((*from - 1) as u64);
                }
                self.line(&format!(
                    "comeback resume {run_id}: from step {from} of {} in {plan}",
                    self.total
                ));
            }
            Event::ManagerDetected { .. }
            | Event::RestartEvidence { .. }
            | Event::ChecksInferred { .. }
            | Event::ConfigsLoaded { .. } => {
                if let Some((index, text)) = super::units::line(event) {
                    let prefix = index.map(|i| format!("{} ", self.prefix(i)));
                    self.line(&format!("{}{text}", prefix.unwrap_or_default()));
                }
            }
            Event::HostConnected { host } => {
                if self.bar.is_none() {
                    self.line(&format!("connected: {host}"));
                }
            }
            Event::HostUnreachable { host, error } => {
                self.line(&format!("unreachable: {host}: {error}"))
            }
            Event::StepStarted {
                index,
                step,
                resumed,
            } => {
                self.current = Some((*index, step.clone()));
                if let Some(resumed) = resumed {
                    let how = match resumed {
                        crate::exec::Resumed::Full => "runs again in full",
                        crate::exec::Resumed::Retry => {
                            "failed after its restart: runs again in full"
                        }
                        crate::exec::Resumed::GatesOnly => {
                            "was restarted before comeback stopped: re-verifying"
                        }
                    };
                    self.line(&format!("{} {how}", self.prefix(*index)));
                }
            }
            Event::PhaseStarted {
                index,
                phase,
                checks,
            } => {
                self.gate = (0, *checks);
                let waiting = if *checks > 0 {
                    format!(": waiting for {}", count(*checks, "check"))
                } else {
                    String::new()
                };
                self.status(format!("{} {phase}{waiting}", self.prefix(*index)));
            }
            Event::CheckUp {
                index,
                phase,
                target,
                check,
                healthy_after_ms,
                settle_ms,
            } => {
                // On a terminal the bar says it; plain lines would only repeat the pass that follows.
                if self.bar.is_some() {
                    let whose = if *phase == Phase::DependentsGate {
                        format!("{target} ")
                    } else {
                        String::new()
                    };
                    self.status(format!(
                        "{} {phase} {}/{}: {whose}{check} up after {}, settling {}",
                        self.prefix(*index),
                        self.gate.0,
                        self.gate.1,
                        ms(*healthy_after_ms),
                        ms(*settle_ms)
                    ));
                }
            }
            Event::Inspected {
                index,
                missing_configs,
                unreadable_configs,
                references,
                drift,
                errors,
                ..
            } => {
                let mut text = Vec::new();
                let ok = references
                    .iter()
                    .filter(|r| r.status == ReferenceStatus::Ok)
                    .count();
                for r in references
                    .iter()
                    .filter(|r| r.status != ReferenceStatus::Ok)
                {
                    let target = r.port.map_or(r.host.clone(), |p| format!("{}:{p}", r.host));
                    let status = match r.status {
                        ReferenceStatus::Stale => {
                            format!("STALE: {} from this host", r.status.describe())
                        }
                        ReferenceStatus::Dead => {
                            format!("DEAD: {} on its port", r.status.describe())
                        }
                        _ => format!("{} (resolves)", r.status.describe()),
                    };
                    text.push(format!("  {}:{}  {target}  {status}", r.file, r.line));
                }
                text.extend(drift.iter().map(|d| format!("  drift: {d}")));
                text.extend(
                    missing_configs
                        .iter()
                        .map(|p| format!("  missing config: {p}")),
                );
                text.extend(unreadable_configs.iter().map(|p| {
                    format!("  unreadable config: {p} (sudo: true in the plan's ssh section?)")
                }));
                text.extend(errors.iter().map(|e| format!("  could not inspect: {e}")));
                if !text.is_empty() || (ok > 0 && self.bar.is_none()) {
                    let head = format!(
                        "{} {} reference{} ok",
                        self.prefix(*index),
                        ok,
                        if ok == 1 { "" } else { "s" }
                    );
                    self.line(
                        &std::iter::once(head)
                            .chain(text)
                            .collect::<Vec<_>>()
                            .join("\n"),
                    );
                }
            }
            Event::Restarted { index, elapsed_ms } => {
                self.status(format!(
                    "{} restarted in {}",
                    self.prefix(*index),
                    ms(*elapsed_ms)
                ));
            }
            Event::CheckPassed {
                index,
                phase,
                target,
                check,
                attempts,
                healthy_after_ms,
            } => {
                self.gate.0 += 1;
                let whose = if *phase == Phase::DependentsGate {
                    format!("{target} ")
                } else {
                    String::new()
                };
                self.status(format!(
                    "{} {phase} {}/{}: {}{check} healthy after {} ({attempts} attempt{})",
                    self.prefix(*index),
                    self.gate.0,
                    self.gate.1,
                    whose,
                    ms(*healthy_after_ms),
                    if *attempts == 1 { "" } else { "s" }
                ));
            }
            Event::StepSucceeded {
                index, elapsed_ms, ..
            } => {
                let verb = if self.dry_run { "ready" } else { "ok" };
                self.line(&format!(
                    "{} {verb} ({})",
                    self.prefix(*index),
                    ms(*elapsed_ms)
                ));
                if let Some(bar) = &self.bar {
                    bar.set_position(*index as u64);
                }
            }
            Event::StepFailed {
                index,
                phase,
                target,
                check,
                reason,
                impact,
                runbook,
                ..
            } => {
                let mut text = format!("{} FAILED in {phase}", self.prefix(*index));
                if let Some(check) = check {
                    let label = if *phase == Phase::Restart {
                        "command:"
                    } else {
                        "check:  "
                    };
                    text.push_str(&format!("\n  {label} {target}: {check}"));
                }
                text.push_str(&format!(
                    "\n  reason:  {}",
                    reason.replace('\n', "\n           ")
                ));
                if let Some(impact) = impact {
                    text.push_str(&format!("\n  impact:  {}", impact.trim()));
                }
                if let Some(runbook) = runbook {
                    text.push_str(&format!(
                        "\n  runbook:\n    {}",
                        runbook.trim().replace('\n', "\n    ")
                    ));
                }
                self.line(&text);
            }
            Event::RunFinished {
                outcome,
                elapsed_ms,
            } => self.finish(outcome, *elapsed_ms),
        }
    }
}

/// `--log-format json`: one JSON object per event on stderr, for log pipelines.
pub struct JsonLines;

impl Consumer for JsonLines {
    fn on(&mut self, event: &Event) {
        if let Ok(line) = serde_json::to_string(&crate::journal::Record::now(event)) {
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }
    }
}
