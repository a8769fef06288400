//! report.md: what a team hands to its management after the takeover audit or a restart run.

use super::{Mode, Report, StepResult};
use crate::human::{count, duration, uptime};
use crate::inspect::ReferenceStatus;
use std::fmt::Write;
use std::time::Duration;

fn ms(ms: u64) -> String {
    duration(Duration::from_millis(ms))
}

/// Table cells: one line, visible, nothing that ends the cell.
pub(super) fn cell(text: &str) -> String {
    crate::visible::cell(text)
}

fn outcome_name(outcome: &crate::exec::Outcome) -> String {
    serde_json::to_value(outcome)
        .ok()
        .and_then(|v| v["outcome"].as_str().map(String::from))
        .unwrap_or_default()
}

/// Every session of the run (start, halts, resumes) and every earlier attempt at a step.
fn history(out: &mut String, r: &Report) {
    if r.history.len() < 2
        && r.steps.iter().all(|s| s.earlier_attempts.is_empty())
        && r.history.iter().all(|s| s.leftovers.is_empty())
    {
        return;
    }
    let _ = writeln!(out, "\n## History\n");
    for session in &r.history {
        let _ = writeln!(
            out,
            "- {} {}, finished {}: `{}`",
            if session.resumed {
                "resumed"
            } else {
                "started"
            },
            session.started_at,
            session
                .finished_at
                .as_deref()
                .unwrap_or("(never: comeback stopped)"),
            session.outcome.as_ref().map_or("-".into(), outcome_name)
        );
        for note in &session.leftovers {
            let _ = writeln!(out, "  - command left running: {}", cell(note));
        }
    }
    for step in &r.steps {
        for a in &step.earlier_attempts {
            let result = match &a.result {
                Some(StepResult::Failed { phase, reason, .. }) => {
                    format!("failed in {phase}: {}", cell(reason))
                }
                Some(StepResult::Passed { .. }) => "passed".into(),
                None => "not finished (comeback stopped)".into(),
            };
            let _ = writeln!(
                out,
                "- step {} {} attempt started {}, restarted at {}: {result}",
                step.index,
                step.step,
                a.started_at.as_deref().unwrap_or("-"),
                a.restarted_at.as_deref().unwrap_or("-"),
            );
        }
    }
}

/// report.md, its outside text (remote output, config text) with control characters visible.
pub(super) fn render(r: &Report) -> String {
    crate::visible::visible(&document(r)).into_owned()
}

fn document(r: &Report) -> String {
    let mut out = String::new();
    let title = match r.mode {
        Mode::Audit => "Takeover audit",
        Mode::DryRun => "Dry run",
        Mode::Run => "Restart run",
    };
    let _ = writeln!(out, "# {title}: {}\n", r.plan);
    let _ = writeln!(
        out,
        "Run `{}`, started {}, finished {}.\n",
        r.run_id,
        r.started_at,
        r.finished_at.as_deref().unwrap_or("(not finished)")
    );

    let _ = writeln!(out, "## Summary\n");
    let s = &r.summary;
    let _ = writeln!(
        out,
        "- {}, {}, {}",
        count(s.hosts, "host"),
        count(s.services, "service"),
        count(s.steps, "step")
    );
    if r.mode == Mode::Run {
        let _ = writeln!(
            out,
            "- {} steps restarted and verified, {} failed",
            s.steps_passed, s.steps_failed
        );
        if s.earlier_failures > 0 || r.history.len() > 1 {
            let _ = writeln!(
                out,
                "- {} before this result, over {} (see History)",
                count(s.earlier_failures, "failed attempt"),
                count(r.history.len(), "session")
            );
        }
    } else {
        let _ = writeln!(
            out,
            "- {} steps ready, {} would not pass preflight; nothing was restarted",
            s.steps_passed, s.steps_failed
        );
    }
    if let Some(outcome) = &r.outcome {
        let _ = writeln!(out, "- outcome: `{}`", outcome_name(outcome));
    }
    let _ = writeln!(out, "\n### Components at risk\n");
    if s.at_risk.is_empty() {
        let _ = writeln!(out, "None found.");
    } else {
        let _ = writeln!(out, "| component | why |\n|---|---|");
        for risk in &s.at_risk {
            let _ = writeln!(
                out,
                "| {} | {} |",
                cell(&risk.component),
                cell(&risk.reason)
            );
        }
    }

    super::proof::managers_markdown(r, &mut out);
    super::clusters::clusters_markdown(r, &mut out);
    let _ = writeln!(out, "\n## Steps\n");
    let _ = writeln!(
        out,
        "| # | step | result | restarted at | restart | healthy after | uptime before | checks passed |\n|---|---|---|---|---|---|---|---|"
    );
    for step in &r.steps {
        let result = match &step.result {
            Some(StepResult::Passed { elapsed_ms }) => format!("ok ({})", ms(*elapsed_ms)),
            Some(StepResult::Failed { phase, .. }) => format!("**failed** in {phase}"),
            None => "not run".into(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            step.index,
            match step.batch {
                Some(b) => format!("{} (batch {b})", step.step),
                None => step.step.clone(),
            },
            result,
            step.restarted_at.as_deref().unwrap_or("-"),
            step.restart_ms.map_or("-".into(), ms),
            step.healthy_after_ms.map_or("-".into(), ms),
            step.uptime_s.map_or("-".into(), uptime),
            cell(&step.checks_passed.join(", ")),
        );
    }

    timing_and_hooks(&mut out, r);
    history(&mut out, r);

    let _ = writeln!(out, "\n## Services\n");
    let mut by_service: std::collections::HashMap<&str, Vec<&super::StepReport>> =
        std::collections::HashMap::new();
    for step in &r.steps {
        by_service
            .entry(step.service.as_str())
            .or_default()
            .push(step);
    }
    for svc in &r.services {
        let _ = writeln!(out, "### {}\n", svc.name);
        let _ = writeln!(out, "- hosts: {}", svc.hosts.join(", "));
        if !svc.depends_on.is_empty() {
            let _ = writeln!(out, "- depends on: {}", svc.depends_on.join(", "));
        }
        let _ = writeln!(
            out,
            "- health checks: {}{}",
            svc.health_checks,
            if svc.checks_inferred {
                " (inferred from its unit: active, and its old ports listen again)"
            } else if svc.health_checks == 0 {
                " (a restart cannot be verified)"
            } else {
                ""
            }
        );
        if svc.single_instance {
            let _ = writeln!(out, "- single instance: a single point of failure");
        }
        if let Some(impact) = &svc.impact {
            let _ = writeln!(out, "- impact when down: {}", impact.trim());
        }
        for step in by_service.get(svc.name.as_str()).into_iter().flatten() {
            let _ = writeln!(out, "\n#### {}\n", step.step);
            match &step.result {
                Some(StepResult::Failed {
                    phase,
                    target,
                    check,
                    reason,
                }) => {
                    let _ = writeln!(
                        out,
                        "- health: **failed** in {phase} ({target}{}): {}",
                        check.as_ref().map(|c| format!(", {c}")).unwrap_or_default(),
                        cell(reason)
                    );
                }
                Some(StepResult::Passed { .. }) => {
                    let _ = writeln!(out, "- health: ok");
                }
                None => {
                    let _ = writeln!(out, "- health: not checked");
                }
            }
            if let Some(up) = step.uptime_s {
                let _ = writeln!(out, "- uptime: {}", uptime(up));
            }
            super::proof::step_markdown(step, &mut out);
            super::clusters::step_markdown(&step.cluster, &mut out);
            for d in &step.drift {
                let _ = writeln!(out, "- drift: {}", cell(&d.to_string()));
            }
            for m in &step.missing_configs {
                let _ = writeln!(out, "- missing config: `{m}`");
            }
            for e in &step.inspect_errors {
                let _ = writeln!(out, "- could not inspect: {}", cell(e));
            }
            if !step.references.is_empty() {
                let _ = writeln!(
                    out,
                    "\n| config | host | port | status |\n|---|---|---|---|"
                );
                for f in &step.references {
                    let status = match f.status {
                        ReferenceStatus::Stale => format!("**stale**: {}", f.status.describe()),
                        ReferenceStatus::Dead => format!("**dead**: {}", f.status.describe()),
                        ReferenceStatus::NotLocal => {
                            format!("**listen**: {}", f.status.describe())
                        }
                        _ => f.status.describe().to_string(),
                    };
                    let _ = writeln!(
                        out,
                        "| {}:{} | {} | {} | {} |",
                        cell(&f.file),
                        f.line,
                        cell(&f.host),
                        f.port.map_or("-".into(), |p| p.to_string()),
                        status
                    );
                }
            }
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Dependency graph\n\n```mermaid\n{}```", r.graph);
    out
}

/// A script's first line, marked when there is more (report.json keeps it whole).
fn first_line(script: &str) -> String {
    let mut lines = script.trim().lines();
    let first = cell(lines.next().unwrap_or_default());
    if lines.next().is_some() {
        format!("{first} …")
    } else {
        first
    }
}

/// Estimated against actual durations, the hooks each step ran, and the run's warnings.
fn timing_and_hooks(out: &mut String, r: &Report) {
    if r.mode == Mode::Run {
        let _ = writeln!(out, "\n## Timing\n");
        let total = r.estimated_total_ms.map_or("no estimate yet".into(), ms);
        let actual = r.actual_total_ms.map_or("-".into(), ms);
        let _ = writeln!(out, "Whole run: estimated {total}, actual {actual}.\n");
        let _ = writeln!(out, "| # | step | estimated | actual |\n|---|---|---|---|");
        for step in &r.steps {
            let actual = match &step.result {
                Some(StepResult::Passed { elapsed_ms }) => ms(*elapsed_ms),
                Some(StepResult::Failed { .. }) => "failed".into(),
                None => "not run".into(),
            };
            let estimated = step.estimated_ms.map_or("no estimate yet".into(), ms);
            let _ = writeln!(
                out,
                "| {} | {} | {estimated} | {actual} |",
                step.index, step.step
            );
        }
    }
    if r.steps
        .iter()
        .any(|s| !s.hooks.is_empty() || !s.hooks_pending.is_empty())
    {
        let _ = writeln!(out, "\n## Hooks\n");
        let _ = writeln!(
            out,
            "| step | when | host | command | result | output |\n|---|---|---|---|---|---|"
        );
        for step in &r.steps {
            for h in &step.hooks {
                let result = match (h.ok, h.timed_out, h.code) {
                    (true, ..) => format!("ok ({})", ms(h.elapsed_ms)),
                    (false, true, _) => "**timed out**".into(),
                    (false, false, Some(code)) => format!("**exited {code}**"),
                    (false, false, None) => "**could not run**".into(),
                };
                let output: String = h
                    .output
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .chars()
                    .take(200)
                    .collect();
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | `{}` | {result} | {} |",
                    step.step,
                    h.when,
                    h.host,
                    first_line(&h.command).replace('`', "'"),
                    cell(&output)
                );
            }
        }
        for step in r.steps.iter().filter(|s| !s.hooks_pending.is_empty()) {
            let _ = writeln!(
                out,
                "\n**{} is still drained**: its `after` hooks did not run. Put it back by hand:\n",
                step.step
            );
            for (host, command) in &step.hooks_pending {
                let _ = writeln!(out, "- on {host}: `{}`", cell(command).replace('`', "'"));
            }
        }
    }
    if !r.warnings.is_empty() {
        let _ = writeln!(out, "\n## Warnings\n");
        for w in &r.warnings {
            let _ = writeln!(out, "- {}", cell(w));
        }
    }
}
