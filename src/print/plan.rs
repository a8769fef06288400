//! The restart order as text to read aloud in a maintenance call, or as JSON for scripts.

use crate::human::count;
use crate::plan::{Model, Plan};
use serde_json::{Value, json};
use std::fmt::Write;

pub(crate) fn text(model: &Model, plan: &Plan) -> String {
    let mut out = String::new();
    let hosts: std::collections::BTreeSet<usize> = plan.steps.iter().map(|s| s.host).collect();
    let services: std::collections::BTreeSet<usize> =
        plan.steps.iter().map(|s| s.service).collect();
    let _ = writeln!(
        out,
        "Restart order: {}, {} on {}",
        count(plan.steps.len(), "step"),
        count(services.len(), "service"),
        count(hosts.len(), "host")
    );
    let width = plan
        .steps
        .iter()
        .map(|s| s.id(model).len())
        .max()
        .unwrap_or(0);
    let digits = plan.steps.last().map_or(1, |s| s.index.to_string().len());
    let address_width = plan
        .steps
        .iter()
        .map(|s| model.hosts[s.host].address.len())
        .max()
        .unwrap_or(0);
    for step in &plan.steps {
        let service = &model.services[step.service];
        let host = &model.hosts[step.host];
        let _ = write!(
            out,
            "{:>digits$}. {:<width$}  {:<address_width$}",
            step.index,
            step.id(model),
            host.address
        );
        if !service.depends_on.is_empty() {
            let deps: Vec<&str> = service
                .depends_on
                .iter()
                .map(|&d| model.services[d].name.as_str())
                .collect();
            let _ = write!(out, "  after {}", deps.join(", "));
        }
        let line_end = out.trim_end_matches(' ').len();
        out.truncate(line_end);
        out.push('\n');
    }
    for &s in &services {
        let service = &model.services[s];
        if let Some(c) = &service.cluster {
            let order = match (c.kind.has_leader(), c.switchover) {
                (false, _) => "in this order".to_string(),
                (true, false) => format!("its {} last", c.kind.leader_word()),
                (true, true) => format!(
                    "its {} last, after handing its role over",
                    c.kind.leader_word()
                ),
            };
            let asked = if c.kind.has_leader() {
                " (the run asks the members which one leads)"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "{} is a {} cluster: one member at a time, {order}, each whole again before the next{asked}",
                service.name, c.kind
            );
        }
    }
    out
}

pub(crate) fn json(model: &Model, plan: &Plan) -> Value {
    let steps: Vec<Value> = plan
        .steps
        .iter()
        .map(|step| {
            let service = &model.services[step.service];
            let host = &model.hosts[step.host];
            let instance = step.instance(model);
            let mut step = json!({
                "index": step.index,
                "id": step.id(model),
                "service": service.name,
                "host": host.name,
                "address": host.address,
                "depends_on": step.depends_on.iter()
                    .map(|&(s, h)| crate::human::at(&model.services[s].name, &model.hosts[h].name))
                    .collect::<Vec<_>>(),
                // null: the host's service manager restarts the unit (known at run time).
                "restart": (!service.unit.as_ref().is_some_and(|u| u.managed_restart))
                    .then_some(&instance.restart),
                "restart_timeout_ms": service.restart_timeout.as_millis() as u64,
                "configs": instance.configs,
                "health": instance.health,
                "before": hooks(model, &instance.before),
                "after": hooks(model, &instance.after),
            });
            if let Some(c) = &service.cluster {
                step["cluster"] = json!({
                    "kind": c.kind,
                    "switchover": c.switchover,
                    "timeout_ms": c.timeout.as_millis() as u64,
                });
            }
            step
        })
        .collect();
    let mut plan = json!({ "steps": steps });
    crate::redact::json(&mut plan);
    plan
}

/// Hooks with the name of the host each runs on.
fn hooks(model: &Model, hooks: &[crate::plan::model::Hook]) -> Vec<Value> {
    hooks
        .iter()
        .map(|h| json!({"on": model.hosts[h.on].name, "run": h.run, "timeout_ms": h.timeout.as_millis() as u64}))
        .collect()
}
