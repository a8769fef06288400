//! What the report keeps of clusters: each cluster's view before the walk (and the order its
//! members took), and each member's step the cluster's view before and after its restart.

use super::Report;
use crate::cluster::{Kind, Member};
use crate::exec::{Event, Moment};
use serde::Serialize;
use std::fmt::Write;

/// A cluster as its members told it at one moment.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ClusterView {
    pub service: String,
    pub kind: Kind,
    pub moment: Moment,
    pub whole: bool,
    pub members: Vec<Member>,
    pub problems: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub order: Vec<String>,
}

/// Records a cluster event; false for any other event.
pub(super) fn record(report: &mut Report, event: &Event) -> bool {
    let Event::ClusterViewed {
        service,
        kind,
        index,
        moment,
        members,
        problems,
        order,
    } = event
    else {
        return false;
    };
    let view = ClusterView {
        service: service.clone(),
        kind: *kind,
        moment: *moment,
        whole: problems.is_empty(),
        members: members.clone(),
        problems: problems.clone(),
        order: order.clone(),
    };
    match index {
        Some(i) => {
            if let Some(s) = report.step(*i) {
                s.cluster.push(view);
            }
        }
        None => report.clusters.push(view),
    }
    true
}

fn verdict(v: &ClusterView) -> String {
    if v.whole {
        "whole".into()
    } else {
        format!(
            "**not whole**: {}",
            super::markdown::cell(&v.problems.join("; "))
        )
    }
}

/// The Markdown section of each cluster's view before the walk.
pub(super) fn clusters_markdown(report: &Report, out: &mut String) {
    if report.clusters.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## Clusters\n");
    for v in &report.clusters {
        let _ = writeln!(out, "### {} ({})\n", v.service, v.kind);
        let _ = writeln!(out, "{} {}.", v.moment, verdict(v));
        if !v.order.is_empty() {
            let _ = writeln!(out, "Restart order: {}.", v.order.join(", "));
        }
        let _ = writeln!(out, "\n| member | state | role |\n|---|---|---|");
        for m in &v.members {
            let role = if m.leads { v.kind.leader_word() } else { "" };
            let _ = writeln!(
                out,
                "| {} | {} | {role} |",
                super::markdown::cell(&m.host),
                super::markdown::cell(&m.state)
            );
        }
    }
}

/// The lines of a member's step: the cluster before and after its restart.
pub(super) fn step_markdown(views: &[ClusterView], out: &mut String) {
    for v in views {
        let states = v
            .members
            .iter()
            .map(|m| format!("{}: {}", m.host, m.state))
            .collect::<Vec<_>>()
            .join("; ");
        let _ = writeln!(
            out,
            "- cluster {}: {} ({})",
            v.moment,
            verdict(v),
            super::markdown::cell(&states)
        );
    }
}
