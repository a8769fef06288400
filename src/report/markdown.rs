//! report.md: what a team hands to its management after the takeover audit or a restart run.

use super::{Mode, Report, StepResult};
use crate::inspect::ReferenceStatus;
use crate::print::{count, duration};
use std::fmt::Write;
use std::time::Duration;

fn ms(ms: u64) -> String {
    duration(Duration::from_millis(ms))
}

fn uptime(seconds: i64) -> String {
    let (d, h, m) = (
        seconds / 86_400,
        seconds % 86_400 / 3600,
        seconds % 3600 / 60,
    );
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else {
        format!("{m}m {}s", seconds % 60)
    }
}

/// Table cells: one line, no pipes.
pub(super) fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn render(r: &Report) -> String {
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
    } else {
        let _ = writeln!(
            out,
            "- {} steps ready, {} would not pass preflight; nothing was restarted",
            s.steps_passed, s.steps_failed
        );
    }
    if let Some(outcome) = &r.outcome {
        let _ = writeln!(
            out,
            "- outcome: `{}`",
            serde_json::to_value(outcome)
                .ok()
                .and_then(|v| v["outcome"].as_str().map(String::from))
                .unwrap_or_default()
        );
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

    super::units::managers_markdown(r, &mut out);
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
            step.step,
            result,
            step.restarted_at.as_deref().unwrap_or("-"),
            step.restart_ms.map_or("-".into(), ms),
            step.healthy_after_ms.map_or("-".into(), ms),
            step.uptime_s.map_or("-".into(), uptime),
            cell(&step.checks_passed.join(", ")),
        );
    }

    let _ = writeln!(out, "\n## Services\n");
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
        for step in r.steps.iter().filter(|s| s.service == svc.name) {
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
            super::units::step_markdown(step, &mut out);
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
                        _ => f.status.describe().to_string(),
                    };
                    let _ = writeln!(
                        out,
                        "| {}:{} | {} | {} | {} |",
                        f.file,
                        f.line,
                        f.host,
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
