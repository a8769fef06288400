//! How the operator reads a cluster's view: whole or not, each member in the cluster's own
//! words, and before the walk the order its members restart in.

use crate::exec::{Event, Moment};

/// The step index (if any) and the text of a cluster event; `None` for any other event.
pub(crate) fn line(event: &Event) -> Option<(Option<usize>, String)> {
    match event {
        Event::ClusterVerdict { service, verdict } => {
            return Some((
                None,
                format!("cluster {service} would come back from a full outage: {verdict}"),
            ));
        }
        Event::ColdStart {
            service,
            first,
            how,
            warning,
        } => {
            let mut text = format!("cold start of {service}: {first} first, {how}");
            if let Some(w) = warning {
                text.push_str(&format!("\n  warning: {w}"));
            }
            return Some((None, text));
        }
        _ => {}
    }
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
        return None;
    };
    let states = crate::cluster::states(members);
    let verdict = if problems.is_empty() {
        format!("whole ({states})")
    } else {
        format!("NOT whole: {}", problems.join("; "))
    };
    let text = match moment {
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
    };
    Some((*index, text))
}
