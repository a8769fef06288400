//! How the operator reads a cluster's view: whole or not, each member in the cluster's own
//! words, and before the walk the order its members restart in.

use crate::exec::Moment;
use crate::exec::event::ClusterViewed;

/// The full-outage verdict on a cluster.
pub(crate) fn verdict_line(service: &str, verdict: &crate::cluster::Verdict) -> String {
    format!("cluster {service} would come back from a full outage: {verdict}")
}

/// A cold start's plan: the member that goes first, how, and what may be lost.
pub(crate) fn cold_start_line(
    service: &str,
    first: &str,
    how: &str,
    warning: Option<&str>,
) -> String {
    let mut text = format!("cold start of {service}: {first} first, {how}");
    if let Some(w) = warning {
        text.push_str(&format!("\n  warning: {w}"));
    }
    text
}

/// What the members said at `moment`: whole or why not, and before the walk the order.
pub(crate) fn view_line(view: &ClusterViewed) -> String {
    let ClusterViewed {
        service,
        kind,
        moment,
        members,
        problems,
        order,
        ..
    } = view;
    let states = crate::cluster::states(members);
    let verdict = if problems.is_empty() {
        format!("whole ({states})")
    } else {
        format!("NOT whole: {}", problems.join("; "))
    };
    match moment {
        Moment::Start => {
            let mut text = format!("cluster {service} ({kind}): {verdict}");
            if !order.is_empty() {
                text.push_str(&format!("; restart order: {}", order.join(", ")));
                if let Some(leader) = members.iter().find(|m| m.leads) {
                    text.push_str(&format!(
                        " ({} is the {}: last)",
                        leader.host,
                        kind.leader_word()
                    ));
                }
            }
            text
        }
        moment => format!("cluster {moment}: {verdict}"),
    }
}
