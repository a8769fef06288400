//! What the operator watches during a run: an indicatif bar on a terminal, one plain line per
//! event otherwise, and the closing summary (what broke, what it means, what to do).

use crate::exec::event::{
    BatchStarted, CheckPassed, CheckUp, ChecksInferred, ClusterVerdict, ColdStartChosen,
    CommandEnded, CommandStillRunning, ConfigsLoaded, Estimated, HookRan, HooksPending,
    HostConnected, HostUnreachable, Inspected, ManagerDetected, NotifyFailed, Pausing,
    PhaseStarted, Prechecked, RestartEvidence, RestartFound, Restarted, RunFinished, RunResumed,
    StepFailed, StepStarted, StepSucceeded, StopAsked, StopForced,
};
use crate::exec::{Consumer, Event, Outcome, Phase, Record};
use crate::human::{count, duration};
use crate::inspect::ReferenceStatus;
use crate::run_state::RunState;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::time::Duration;

pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    state: RunState,
    /// The lines written, kept instead of printed (the wording tests).
    captured: Option<std::sync::Arc<std::sync::Mutex<Vec<String>>>>,
}

fn ms(ms: u64) -> String {
    duration(Duration::from_millis(ms))
}

impl Progress {
    /// A bar when stderr is a terminal, plain lines when it is not.
    pub(crate) fn new() -> Progress {
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
            state: RunState::default(),
            captured: None,
        }
    }

    /// Lines kept in `lines` instead of printed (the wording tests, the consumers bench).
    pub(crate) fn captured(lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>) -> Progress {
        Progress {
            bar: None,
            state: RunState::default(),
            captured: Some(lines),
        }
    }

    /// Every line the operator reads goes out here, its control characters made visible.
    fn line(&self, text: &str) {
        let text = &*crate::visible::visible(text);
        match (&self.bar, &self.captured) {
            (Some(bar), _) => bar.println(text),
            (None, Some(captured)) => captured
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(text.to_string()),
            (None, None) => {
                let mut err = std::io::stderr().lock();
                let _ = writeln!(err, "{text}");
            }
        }
    }

    fn status(&self, text: String) {
        let text = crate::visible::visible(&text).into_owned();
        match &self.bar {
            Some(bar) => bar.set_message(match self.state.expected_end() {
                Some(end) => format!("{text} · expected end {end}"),
                None => text,
            }),
            None => self.line(&text),
        }
    }

    /// `[2/10] web@host-2`: the step by its own index (a batch's steps run side by side).
    fn prefix(&self, index: usize) -> String {
        format!("[{index}/{}] {}", self.state.total, self.state.id(index))
    }

    /// A line about the step numbered `index`, prefixed with it; none: about the run.
    fn step_line(&mut self, index: Option<usize>, text: &str) {
        match index {
            Some(i) => {
                let prefix = self.prefix(i);
                self.line(&format!("{prefix} {text}"));
            }
            None => self.line(text),
        }
    }

    fn finish(&mut self, outcome: &Outcome, elapsed_ms: u64) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        let state = &self.state;
        let resume = format!("comeback resume --plan {}", state.plan);
        let text = match outcome {
            Outcome::Completed if state.mode.read_only() => format!(
                "{}: all {} steps are ready; nothing was restarted ({})",
                state.mode,
                state.total,
                ms(elapsed_ms)
            ),
            Outcome::Completed => {
                let reloaded = state.reloads.len();
                let what = if reloaded == 0 {
                    "restarted and verified".to_string()
                } else if reloaded == state.passed {
                    "reloaded and verified".to_string()
                } else {
                    format!(
                        "verified ({} restarted, {reloaded} reloaded)",
                        state.passed - reloaded
                    )
                };
                let mut text = format!(
                    "done: {} {what} in {}",
                    count(state.passed, "step"),
                    ms(elapsed_ms)
                );
                if state.passed < state.steps.len() {
                    text.push_str(&format!(
                        "; with the earlier sessions of this run, all {} steps are done",
                        state.steps.len()
                    ));
                }
                text
            }
            // A real run whose read-only look at every step found one that would halt.
            Outcome::StaleReferences { steps } | Outcome::Blocked { steps }
                if !state.mode.read_only() =>
            {
                format!(
                    "nothing was restarted: {} would halt at preflight ({}); every step is looked at before the first restart. Fix them, then run again",
                    if steps.len() == 1 {
                        "one step".to_string()
                    } else {
                        format!("{} of {} steps", steps.len(), state.total)
                    },
                    steps.join(", ")
                )
            }
            Outcome::StaleReferences { steps } => format!(
                "{}: every step is healthy, but the configs of {} name hosts that are gone: {}; a restart of those may not come back",
                state.mode,
                if steps.len() == 1 {
                    "one step"
                } else {
                    "these steps"
                },
                steps.join(", ")
            ),
            Outcome::Blocked { steps } => format!(
                "{}: {} of {} steps would not pass preflight: {}; nothing was restarted",
                state.mode,
                steps.len(),
                state.total,
                steps.join(", ")
            ),
            Outcome::Halted { index, step } => {
                let not_run: Vec<String> = state
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
                "no step was run: {} did not answer: {}",
                count(hosts.len(), "host"),
                hosts.join(", ")
            ),
            Outcome::Interrupted { after } => format!(
                "interrupted{}: the remaining steps were not run; continue with: {resume}",
                after
                    .as_ref()
                    .map(|s| format!(" after {s}"))
                    .unwrap_or_default()
            ),
            Outcome::Stopped { steps, after } => format!(
                "stopped after {} as asked{}; continue with: {resume}",
                count(*steps, "step"),
                after
                    .as_ref()
                    .map(|s| format!(" (last: {s})"))
                    .unwrap_or_default()
            ),
            Outcome::StillRunning { hosts } => format!(
                "not resumed: commands of the interrupted run still run on {}; nothing was touched. Check them (see above), then resume again: {resume}",
                hosts.join(", ")
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
    fn on(&mut self, record: &Record) {
        let event = &record.event;
        self.state.on(record);
        let state = &self.state;
        match event {
            Event::RunStarted(start) => {
                if let Some(bar) = &self.bar {
                    bar.set_length(state.total as u64);
                    bar.set_position(state.from.saturating_sub(1) as u64);
                }
                self.line(&format!(
                    "comeback {} {}: {} of {}",
                    start.mode,
                    start.run_id,
                    count(start.steps.len(), "step"),
                    start.plan
                ));
            }
            Event::RunResumed(RunResumed {
                run_id, plan, from, ..
            }) => {
                if let Some(bar) = &self.bar {
                    bar.set_length(state.total as u64);
                    bar.set_position((*from - 1) as u64);
                }
                self.line(&format!(
                    "comeback resume {run_id}: from step {from} of {} in {plan}",
                    state.total
                ));
            }
            Event::ManagerDetected(ManagerDetected {
                host,
                manager,
                error,
            }) => self.line(&super::proof::manager(host, *manager, error.as_deref())),
            Event::RestartEvidence(RestartEvidence {
                index,
                action,
                unit,
                before,
                after,
                proved: true,
                ..
            }) => {
                let text = super::proof::proved(*action, unit.as_deref(), *before, *after);
                self.step_line(Some(*index), &text);
            }
            // An unproved restart is told by the failure or the warning that follows it.
            Event::RestartEvidence(RestartEvidence { proved: false, .. }) => {}
            Event::StopForced(StopForced { index, unit, log }) => {
                self.step_line(Some(*index), &super::proof::stop_forced(unit, log));
            }
            Event::ChecksInferred(ChecksInferred { index, checks }) => {
                self.step_line(Some(*index), &super::proof::inferred(checks));
            }
            Event::ConfigsLoaded(ConfigsLoaded { index, paths }) => {
                self.step_line(Some(*index), &super::proof::loaded(paths));
            }
            Event::ClusterViewed(view) => {
                self.step_line(view.index, &super::clusters::view_line(view));
            }
            Event::ClusterVerdict(ClusterVerdict { service, verdict }) => {
                self.line(&super::clusters::verdict_line(service, verdict));
            }
            Event::ColdStart(ColdStartChosen {
                service,
                first,
                how,
                warning,
            }) => {
                let text = super::clusters::cold_start_line(service, first, how, warning.as_deref());
                self.line(&text);
            }
            Event::CommandStillRunning(CommandStillRunning {
                host,
                pgid,
                age_s,
                command,
                wait_ms,
            }) => self.line(&format!(
                "{host}: a command of the interrupted run is still running there (process group {pgid}, for {age_s}s): {}\n  waiting up to {} for it to end before touching anything",
                command.replace('\n', " "),
                ms(*wait_ms)
            )),
            // A step failed in a gate: the checks it abandoned, killed at the end, are
            // housekeeping told by the journal and the report, not on the terminal.
            Event::CommandEnded(CommandEnded { killed: true, .. })
                if state.failure.as_ref().is_some_and(|f| {
                    matches!(f.phase, Phase::HealthGate | Phase::DependentsGate)
                }) => {}
            Event::CommandEnded(CommandEnded {
                host,
                pgid,
                command,
                killed,
            }) => self.line(&format!(
                "{host}: {} (process group {pgid}): {}",
                if *killed {
                    "killed a command this run left running"
                } else {
                    "the command of the interrupted run ended"
                },
                command.replace('\n', " ")
            )),
            Event::HostConnected(HostConnected { host }) => {
                if self.bar.is_none() {
                    self.line(&format!("connected: {host}"));
                }
            }
            Event::HostUnreachable(HostUnreachable { host, error }) => {
                self.line(&format!("unreachable: {host}: {error}"))
            }
            Event::BatchStarted(BatchStarted {
                service,
                batch,
                steps,
                ..
            }) => self.line(&format!(
                "batch {batch} of {service}: {} side by side",
                steps.join(", ")
            )),
            Event::StepStarted(StepStarted { index, resumed, .. }) => {
                if let Some(bar) = &self.bar {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                } else if let Some(end) = state.expected_end() {
                    self.line(&format!("{} expected end {end}", self.prefix(*index)));
                }
                if let Some(resumed) = resumed {
                    let how = match resumed {
                        crate::exec::Resumed::Full => "runs again in full",
                        crate::exec::Resumed::Retry => {
                            "its restart ran, then it failed or comeback stopped: runs again in full, even if it is down now"
                        }
                        crate::exec::Resumed::GatesOnly => {
                            "was restarted before comeback stopped: re-verifying"
                        }
                        crate::exec::Resumed::Recover => {
                            "comeback stopped while its restart ran: asking its host how the restart ended"
                        }
                    };
                    self.line(&format!("{} {how}", self.prefix(*index)));
                }
            }
            Event::PhaseStarted(PhaseStarted {
                index,
                phase,
                checks,
            }) => {
                let waiting = if *phase == crate::exec::Phase::ClusterGate {
                    ": waiting for the member to rejoin and the cluster to be whole".to_string()
                } else if *checks > 0 {
                    format!(": waiting for {}", count(*checks, "check"))
                } else {
                    String::new()
                };
                self.status(format!("{} {phase}{waiting}", self.prefix(*index)));
            }
            Event::CheckUp(CheckUp {
                index,
                phase,
                target,
                check,
                healthy_after_ms,
                settle_ms,
            }) => {
                // On a terminal the bar says it; plain lines would only repeat the pass that follows.
                if self.bar.is_some() {
                    let whose = if *phase == Phase::DependentsGate {
                        format!("{target} ")
                    } else {
                        String::new()
                    };
                    let (passed, awaited) = state.gate(*index);
                    self.status(format!(
                        "{} {phase} {passed}/{awaited}: {whose}{check} up after {}, settling {}",
                        self.prefix(*index),
                        ms(*healthy_after_ms),
                        ms(*settle_ms)
                    ));
                }
            }
            Event::Inspected(Inspected {
                index,
                missing_configs,
                unreadable_configs,
                references,
                drift,
                errors,
                warnings,
                members,
                step,
                ..
            }) => {
                let mut text = Vec::new();
                if !members.is_empty() {
                    let (service, _) = step.split_once('@').unwrap_or((step, ""));
                    text.push(format!(
                        "  {service} restarts {} (its unit has no process of its own)",
                        members.join(", ")
                    ));
                }
                let ok = references
                    .iter()
                    .filter(|r| r.status == ReferenceStatus::Ok)
                    .count();
                for r in references
                    .iter()
                    .filter(|r| r.status != ReferenceStatus::Ok)
                {
                    let target = r
                        .port
                        .map_or(r.host.clone(), |p| crate::human::host_port(&r.host, p));
                    let status = match r.status {
                        ReferenceStatus::Stale => {
                            format!("STALE: {} from this host", r.status.describe())
                        }
                        ReferenceStatus::Dead => {
                            format!("DEAD: {} on its port", r.status.describe())
                        }
                        ReferenceStatus::NotLocal => {
                            format!("LISTEN: {}", r.status.describe())
                        }
                        ReferenceStatus::Unverified => r.status.describe().to_string(),
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
                    format!("  unreadable config: {p}")
                }));
                text.extend(errors.iter().map(|e| format!("  could not inspect: {e}")));
                text.extend(warnings.iter().map(|w| format!("  warning: {w}")));
                if !text.is_empty() || (ok > 0 && self.bar.is_none()) {
                    let head = format!(
                        "{} {} ok",
                        self.prefix(*index),
                        count(ok, "reference")
                    );
                    self.line(
                        &std::iter::once(head)
                            .chain(text)
                            .collect::<Vec<_>>()
                            .join("\n"),
                    );
                }
            }
            Event::Restarted(Restarted { index, elapsed_ms }) => {
                self.status(format!(
                    "{} restarted in {}",
                    self.prefix(*index),
                    ms(*elapsed_ms)
                ));
            }
            Event::CheckPassed(CheckPassed {
                index,
                phase,
                target,
                check,
                attempts,
                healthy_after_ms,
            }) => {
                let whose = if *phase == Phase::DependentsGate {
                    format!("{target} ")
                } else {
                    String::new()
                };
                let (passed, awaited) = state.gate(*index);
                self.status(format!(
                    "{} {phase} {passed}/{awaited}: {whose}{check} healthy after {} ({})",
                    self.prefix(*index),
                    ms(*healthy_after_ms),
                    count(*attempts as usize, "attempt")
                ));
            }
            Event::StepSucceeded(StepSucceeded {
                index, elapsed_ms, ..
            }) => {
                let verb = if state.mode.read_only() { "ready" } else { "ok" };
                self.line(&format!(
                    "{} {verb} ({})",
                    self.prefix(*index),
                    ms(*elapsed_ms)
                ));
                if let Some(bar) = &self.bar {
                    bar.set_position(*index as u64);
                }
            }
            Event::StepFailed(StepFailed {
                index,
                phase,
                target,
                check,
                reason,
                impact,
                runbook,
                ..
            }) => {
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
            Event::RunFinished(RunFinished {
                outcome,
                elapsed_ms,
            }) => self.finish(outcome, *elapsed_ms),
            Event::RestartBegun(_) => {}
            Event::RestartFound(RestartFound { index, code, .. }) => self.line(&match code {
                Some(0) => format!(
                    "{} the restart completed while comeback was away (exit 0): verifying it, not restarting again",
                    self.prefix(*index)
                ),
                Some(code) => format!(
                    "{} the restart ended while comeback was away, with exit {code}",
                    self.prefix(*index)
                ),
                None => format!(
                    "{} how its restart ended is unknown (its host kept no exit status): it runs again in full, even if it is down now",
                    self.prefix(*index)
                ),
            }),
            Event::Prechecked(Prechecked { steps, elapsed_ms }) => self.line(&format!(
                "preflight of {} passed ({}): nothing stands in the way of the first restart",
                if *steps == 1 {
                    "the one step".to_string()
                } else {
                    format!("all {steps} steps")
                },
                ms(*elapsed_ms)
            )),
            Event::HookRan(HookRan {
                index,
                when,
                host,
                command,
                ok,
                output,
                elapsed_ms,
                ..
            }) => {
                // A script hook shows its first line; the journal and the report keep it whole.
                let mut lines = command.trim().lines();
                let first = lines.next().unwrap_or_default();
                let more = if lines.next().is_some() { " …" } else { "" };
                let mut text = format!(
                    "{} {when} hook on {host} {} ({}): {first}{more}",
                    self.prefix(*index),
                    if *ok { "ok" } else { "FAILED" },
                    ms(*elapsed_ms)
                );
                // The last lines say what happened; a hook that prints megabytes is cut.
                let lines: Vec<&str> = output.lines().collect();
                for line in &lines[lines.len().saturating_sub(5)..] {
                    text.push_str(&format!("\n    | {line}"));
                }
                self.line(&text);
            }
            Event::HooksPending(HooksPending { after, .. }) => {
                let mut text = String::from(
                    "  the node is STILL DRAINED: its before hooks ran, its after hooks did not.\n  once it is fixed, put it back by hand (or `comeback resume` runs the whole step again):",
                );
                for (host, command) in after {
                    text.push_str(&format!(
                        "\n    on {host}: {}",
                        command.trim().replace('\n', "\n      ")
                    ));
                }
                self.line(&text);
            }
            Event::Estimated(Estimated {
                total_ms, steps, ..
            }) => {
                let text = match total_ms {
                    Some(total) => format!(
                        "expected duration: {} (median of earlier runs), end about {}",
                        ms(*total),
                        crate::eta::end_time(crate::eta::stamp(record), Duration::from_millis(*total))
                    ),
                    None => {
                        let known = steps.iter().filter(|(_, e)| e.is_some()).count();
                        let known = if known == 0 {
                            "none".to_string()
                        } else {
                            known.to_string()
                        };
                        format!(
                            "expected duration: no estimate yet ({known} of {} ran before)",
                            count(steps.len(), "step")
                        )
                    }
                };
                self.line(&text);
            }
            // The terminal may be gone (SIGHUP): `line` ignores a failed write.
            Event::StopAsked(StopAsked { signal, now: false }) => self.line(&format!(
                "\n{signal}: finishing the step in flight, then stopping (again to stop at once)"
            )),
            Event::StopAsked(StopAsked { signal, now: true }) => self.line(&format!(
                "\n{signal} again: stopping now, killing the command in flight"
            )),
            Event::Pausing(Pausing { before, ms: pause }) => {
                self.status(format!("pausing {} before step {before}", ms(*pause)));
            }
            Event::Asking(_) => {
                // The question is asked on this terminal: the bar must not draw over it.
                if let Some(bar) = &self.bar {
                    bar.set_draw_target(ProgressDrawTarget::hidden());
                }
            }
            Event::NotifyFailed(NotifyFailed {
                url,
                message,
                error,
            }) => self.line(&format!(
                "warning: the {message} message to {url} was not delivered: {error} (the run goes on)"
            )),
        }
    }
}

/// `--log-format json`: one JSON object per event on stderr, for log pipelines.
pub(crate) struct JsonLines;

impl Consumer for JsonLines {
    fn on(&mut self, record: &Record) {
        if let Ok(line) = serde_json::to_string(record) {
            let line = crate::visible::json(line);
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }
    }
}

#[cfg(test)]
#[path = "progress_wording.rs"]
mod wording;
