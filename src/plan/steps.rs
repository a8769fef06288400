//! The ordered steps of a run: the instance order, narrowed by the operator's selection.

use super::diagnostic::did_you_mean;
use super::graph::{InstanceGraph, InstanceRef};
use super::model::{HostId, Model, ServiceId};

/// `--only`, `--limit`, `--with-dependents`, `--from`, as the operator typed them.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// `--only SERVICE`: these services only.
    pub only: Vec<String>,
    /// `--limit HOST|group:NAME`: their instances on these hosts only.
    pub limit: Vec<String>,
    /// `--with-dependents`: and every service that depends on a selected one.
    pub with_dependents: bool,
    /// `--from STEP`: start at this step (its number or `service@host`).
    pub from: Option<String>,
}

/// One (service, host) pair to restart. `index` is its 1-based position in the selected order,
/// the number the operator reads aloud and gives to `--from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// 1-based position in the whole order.
    pub index: usize,
    /// The service restarted.
    pub service: ServiceId,
    /// Which of the service's instances.
    pub instance: usize,
    /// Its host.
    pub host: HostId,
    /// The instances this one waits for, as (service, host).
    pub depends_on: Vec<(ServiceId, HostId)>,
}

impl Step {
    /// `service@host`, the step's name everywhere.
    pub fn id(&self, model: &Model) -> String {
        crate::human::at(
            &model.services[self.service].name,
            &model.hosts[self.host].name,
        )
    }

    /// The service instance this step restarts.
    pub fn instance<'m>(&self, model: &'m Model) -> &'m super::model::Instance {
        &model.services[self.service].instances[self.instance]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// The ordered steps of a run.
pub struct Plan {
    /// In order: dependencies first.
    pub steps: Vec<Step>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
/// A selection that names nothing the plan has.
pub enum SelectionError {
    /// `--only` names no service of the plan.
    #[error("--only: unknown service `{name}`")]
    UnknownService {
        /// As typed.
        name: String,
        /// A close name, if there is one.
        hint: Option<String>,
    },
    /// `--limit` names no host of the plan.
    #[error("--limit: unknown host `{name}`")]
    UnknownHost {
        /// As typed.
        name: String,
        /// A close name, if there is one.
        hint: Option<String>,
    },
    /// `--limit group:NAME` names no group of the plan.
    #[error("--limit: unknown group `{name}`")]
    UnknownGroup {
        /// As typed.
        name: String,
        /// A close name, if there is one.
        hint: Option<String>,
    },
    /// `--from` names no step of the selected order.
    #[error("--from: no step `{step}` in the selected order")]
    UnknownStep {
        /// As typed.
        step: String,
        /// A close step, if there is one.
        hint: Option<String>,
    },
    /// The selection leaves no step.
    #[error("the selection matches no step")]
    Empty,
}

impl SelectionError {
    /// A `did you mean` for the operator, if one is close.
    pub fn hint(&self) -> Option<&str> {
        match self {
            SelectionError::UnknownService { hint, .. }
            | SelectionError::UnknownHost { hint, .. }
            | SelectionError::UnknownGroup { hint, .. }
            | SelectionError::UnknownStep { hint, .. } => hint.as_deref(),
            SelectionError::Empty => {
                Some("check --only and --limit: no service of the selection runs on those hosts")
            }
        }
    }
}

/// The ordered steps of `model` narrowed by `selection`: a pure function of both.
pub fn plan(model: &Model, selection: &Selection) -> Result<Plan, SelectionError> {
    let graph = InstanceGraph::new(model);
    plan_with(model, &graph, selection)
}

/// [`plan`] with a graph built beforehand (benchmarks build it once).
pub fn plan_with(
    model: &Model,
    graph: &InstanceGraph,
    selection: &Selection,
) -> Result<Plan, SelectionError> {
    let services = only(model, &selection.only)?;
    let hosts = limit(model, &selection.limit)?;
    let mut selected: Vec<bool> = graph
        .graph
        .node_weights()
        .map(|r| services[r.service] && hosts[host_of(model, *r)])
        .collect();
    if selection.with_dependents {
        for (n, downstream) in graph.downstream(&selected).into_iter().enumerate() {
            selected[n] |= downstream;
        }
    }
    let mut steps: Vec<Step> = graph
        .order(&selected)
        .into_iter()
        .enumerate()
        .map(|(i, node)| {
            let r = graph.graph[node];
            let depends_on = model.services[r.service]
                .depends_on
                .iter()
                .flat_map(|&d| {
                    model.services[d]
                        .instances
                        .iter()
                        .map(move |inst| (d, inst.host))
                })
                .collect();
            Step {
                index: i + 1,
                service: r.service,
                instance: r.instance,
                host: host_of(model, r),
                depends_on,
            }
        })
        .collect();
    if steps.is_empty() {
        return Err(SelectionError::Empty);
    }
    if let Some(from) = &selection.from {
        let start = steps
            .iter()
            .position(|s| from.parse::<usize>().is_ok_and(|i| i == s.index) || s.id(model) == *from)
            .ok_or_else(|| SelectionError::UnknownStep {
                step: from.clone(),
                hint: did_you_mean(
                    from,
                    steps
                        .iter()
                        .map(|s| s.id(model))
                        .collect::<Vec<_>>()
                        .iter()
                        .map(String::as_str),
                )
                .or_else(|| {
                    Some(format!(
                        "give a step number from 1 to {} or a `service@host` name",
                        steps.len()
                    ))
                }),
            })?;
        steps.drain(..start);
    }
    Ok(Plan { steps })
}

fn host_of(model: &Model, r: InstanceRef) -> HostId {
    model.services[r.service].instances[r.instance].host
}

fn only(model: &Model, names: &[String]) -> Result<Vec<bool>, SelectionError> {
    if names.is_empty() {
        return Ok(vec![true; model.services.len()]);
    }
    let mut keep = vec![false; model.services.len()];
    for name in names {
        let s = model
            .service_index(name)
            .ok_or_else(|| SelectionError::UnknownService {
                name: name.clone(),
                hint: did_you_mean(name, model.services.iter().map(|s| s.name.as_str())),
            })?;
        keep[s] = true;
    }
    Ok(keep)
}

fn limit(model: &Model, patterns: &[String]) -> Result<Vec<bool>, SelectionError> {
    if patterns.is_empty() {
        return Ok(vec![true; model.hosts.len()]);
    }
    let mut keep = vec![false; model.hosts.len()];
    for pattern in patterns {
        match pattern.strip_prefix("group:") {
            Some(group) => {
                let mut any = false;
                for (h, host) in model.hosts.iter().enumerate() {
                    if host.groups.iter().any(|g| g == group) {
                        keep[h] = true;
                        any = true;
                    }
                }
                if !any {
                    let groups: Vec<&str> = model
                        .hosts
                        .iter()
                        .flat_map(|h| h.groups.iter().map(String::as_str))
                        .collect();
                    return Err(SelectionError::UnknownGroup {
                        name: group.to_string(),
                        hint: did_you_mean(group, groups),
                    });
                }
            }
            None => {
                let h = model
                    .host_index(pattern)
                    .ok_or_else(|| SelectionError::UnknownHost {
                        name: pattern.clone(),
                        hint: did_you_mean(pattern, model.hosts.iter().map(|h| h.name.as_str()))
                            .or_else(|| Some("write `group:NAME` for a group".into())),
                    })?;
                keep[h] = true;
            }
        }
    }
    Ok(keep)
}
