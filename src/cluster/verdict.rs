//! Whether a cluster could come back from a full outage, and from which member: what the dry
//! run and the audit say of every cluster, before the night it happens. A config that names a
//! member that is gone is the classic "no": that member would not start, or not find the others.

use super::{Kind, View};
use serde::{Deserialize, Serialize};

/// The answer, in one line for the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Yes: it could come back.
    pub comes_back: bool,
    /// The member to bring it back from, when one is to go first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Why, in the cluster's words.
    pub why: String,
}

/// A member reference of one member's config that is gone: the member, the host it names, and
/// what became of it (`does not resolve`).
pub type Gone = (String, String, String);

/// The verdict on a cluster from its view now and the member references found gone.
pub fn verdict(kind: Kind, view: &View, gone: &[Gone]) -> Option<Verdict> {
    if kind == Kind::Command {
        return None;
    }
    if !gone.is_empty() && matches!(kind, Kind::Etcd | Kind::Zookeeper) {
        // A member named and gone still counts in the quorum's size: the ones left must be
        // a majority of all the configs name.
        let mut names: Vec<&str> = gone.iter().map(|(_, host, _)| host.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        let n = view.members.len();
        let named = n + names.len();
        let quorum = named / 2 + 1;
        if n >= quorum {
            return Some(Verdict {
                comes_back: true,
                from: None,
                why: format!(
                    "its {n} members start together and elect a leader: {n} of the {named} members its configs name are left, a quorum is {quorum} ({} named but gone: remove it from the configs)",
                    names.join(", ")
                ),
            });
        }
    }
    if !gone.is_empty() {
        let why = gone
            .iter()
            .map(|(member, host, status)| format!("{member}'s config names {host}, which {status}"))
            .collect::<Vec<_>>()
            .join("; ");
        return Some(Verdict {
            comes_back: false,
            from: None,
            why: format!(
                "{why}: after a full outage that member would not start, or not find the others"
            ),
        });
    }
    let problems = view.problems(kind);
    if !problems.is_empty() {
        return Some(Verdict {
            comes_back: false,
            from: None,
            why: format!("it is not whole now: {}", problems.join("; ")),
        });
    }
    let leader = view.leader().map(|i| view.members[i].host.clone());
    let n = view.members.len();
    Some(match kind {
        Kind::Galera => {
            let best = view.members.iter().filter_map(|m| m.position).max();
            let ahead: Vec<&str> = view
                .members
                .iter()
                .filter(|m| best.is_some() && m.position == best)
                .map(|m| m.host.as_str())
                .collect();
            let seqno = best.map_or_else(|| "unknown".to_string(), |s| s.to_string());
            if best.is_none() {
                Verdict {
                    comes_back: true,
                    from: None,
                    why: "after a clean full stop, from the last member stopped (safe_to_bootstrap: 1 in its grastate.dat); after a crash, from the most advanced (galera_recovery)".into(),
                }
            } else if ahead.len() == n {
                Verdict {
                    comes_back: true,
                    from: None,
                    why: format!(
                        "from any member (all at seqno {seqno}); after a clean full stop, from the last one stopped (safe_to_bootstrap: 1 in its grastate.dat)"
                    ),
                }
            } else {
                Verdict {
                    comes_back: true,
                    from: Some(ahead[0].to_string()),
                    why: format!("from {} (seqno {seqno}, the most advanced)", ahead[0]),
                }
            }
        }
        Kind::Redis | Kind::Postgresql => Verdict {
            comes_back: true,
            why: format!(
                "from {} (the primary: the newest data; then the replicas)",
                leader.as_deref().unwrap_or("the primary")
            ),
            from: leader,
        },
        Kind::Etcd | Kind::Zookeeper => Verdict {
            comes_back: true,
            from: None,
            why: format!(
                "its {n} members start together and elect a leader (a quorum is {})",
                n / 2 + 1
            ),
        },
        Kind::Rabbitmq => Verdict {
            comes_back: true,
            from: None,
            why: "from the last node to stop, then the others".into(),
        },
        Kind::Command => return None,
    })
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let yes = if self.comes_back { "yes" } else { "no" };
        write!(f, "{yes}, {}", self.why)
    }
}
