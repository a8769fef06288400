//! What the report keeps of clusters: each cluster's view before the walk (and the order its
//! members took), and each member's step the cluster's view before and after its restart.

use super::Report;
use crate::cluster::{Kind, Member};
use crate::exec::Moment;
use crate::exec::event::ClusterViewed;
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
    /// Before the walk of a dry run or an audit: could it come back from a full outage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<crate::cluster::Verdict>,
    /// A cold start: the member brought up first, how, and what may be lost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cold_start: Option<ColdStart>,
}

impl From<&ClusterViewed> for ClusterView {
    fn from(view: &ClusterViewed) -> Self {
        ClusterView {
            service: view.service.clone(),
            kind: view.kind,
            moment: view.moment,
            whole: view.problems.is_empty(),
            members: view.members.clone(),
            problems: view.problems.clone(),
            order: view.order.clone(),
            verdict: None,
            cold_start: None,
        }
    }
}

/// A cold start's plan, as the report keeps it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ColdStart {
    pub first: String,
    pub how: String,
    pub warning: Option<String>,
}

impl Report {
    /// The cluster's latest view before the walk.
    fn cluster_view(&mut self, service: &str) -> Option<&mut ClusterView> {
        self.clusters
            .iter_mut()
            .rev()
            .find(|c| c.service == service)
    }

    /// A `cluster_verdict` event: kept with the cluster's view before the walk.
    pub(super) fn cluster_verdict(&mut self, service: &str, verdict: &crate::cluster::Verdict) {
        if let Some(c) = self.cluster_view(service) {
            c.verdict = Some(verdict.clone());
        }
    }

    /// A `cold_start` event: kept with the cluster's view before the walk.
    pub(super) fn cold_start(&mut self, service: &str, start: ColdStart) {
        if let Some(c) = self.cluster_view(service) {
            c.cold_start = Some(start);
        }
    }

    /// A `cluster_viewed` event: before the walk (no step), or with its step.
    pub(super) fn cluster_viewed(&mut self, index: Option<usize>, view: ClusterView) {
        match index {
            Some(i) => {
                if let Some(s) = self.step(i) {
                    s.cluster.push(view);
                }
            }
            None => self.clusters.push(view),
        }
    }
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
        if let Some(verdict) = &v.verdict {
            let _ = writeln!(
                out,
                "Would come back from a full outage: {}.",
                super::markdown::cell(&verdict.to_string())
            );
        }
        if let Some(c) = &v.cold_start {
            let _ = writeln!(
                out,
                "Cold start: {} first, {}.",
                c.first,
                super::markdown::cell(&c.how)
            );
            if let Some(w) = &c.warning {
                let _ = writeln!(out, "**Warning**: {}.", super::markdown::cell(w));
            }
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
        let states = crate::cluster::states(&v.members);
        let _ = writeln!(
            out,
            "- cluster {}: {} ({})",
            v.moment,
            verdict(v),
            super::markdown::cell(&states)
        );
    }
}
