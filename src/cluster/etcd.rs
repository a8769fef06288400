//! etcd: every member answers `endpoint status` with the same leader, and `member list` counts
//! every member of the plan. A switchover is `etcdctl move-leader` to a healthy follower's id,
//! asked of the leader itself.

use super::Member;
use super::answers::Answer;
use crate::plan::model::ShellCommand;
use serde::Deserialize;

/// Separates the two JSON documents of the answer.
const MEMBERS_MARK: &str = "--- members";

pub(super) fn question(client: &str) -> ShellCommand {
    ShellCommand::plain(format!(
        "export ETCDCTL_API=3\n{client} endpoint status -w json && echo '{MEMBERS_MARK}' && {client} member list -w json"
    ))
}

#[derive(Deserialize)]
struct Endpoint {
    #[serde(rename = "Status")]
    status: Status,
}

#[derive(Deserialize)]
struct Status {
    header: Header,
    #[serde(default)]
    leader: u64,
    #[serde(default, rename = "raftTerm")]
    raft_term: u64,
    #[serde(default)]
    errors: Vec<String>,
}

#[derive(Deserialize)]
struct Header {
    member_id: u64,
}

#[derive(Deserialize)]
struct MemberList {
    #[serde(default)]
    members: Vec<ListedMember>,
}

#[derive(Deserialize)]
struct ListedMember {
    #[serde(rename = "ID")]
    id: u64,
    #[serde(default)]
    name: String,
}

pub(super) fn read(host: &str, answer: &Answer) -> Member {
    if !answer.ok() {
        return Member::silent(host, &answer.last_words());
    }
    let (status, members) = answer
        .stdout
        .split_once(MEMBERS_MARK)
        .unwrap_or((&answer.stdout, ""));
    let status: Option<Status> = serde_json::from_str::<Vec<Endpoint>>(status.trim())
        .ok()
        .and_then(|e| e.into_iter().next())
        .map(|e| e.status);
    let Some(status) = status else {
        return Member::silent(host, "etcdctl endpoint status gave no status it could read");
    };
    let members = serde_json::from_str::<MemberList>(members.trim())
        .map(|l| l.members)
        .unwrap_or_default();
    let name_of = |id: u64| {
        members
            .iter()
            .find(|m| m.id == id)
            .map(|m| super::one_line(&m.name))
            .unwrap_or_else(|| format!("{id:x}"))
    };
    let own = status.header.member_id;
    let leads = status.leader != 0 && status.leader == own;
    let term = status.raft_term;
    let state = if !status.errors.is_empty() {
        format!("errors: {}", super::one_line(&status.errors.join("; ")))
    } else if status.leader == 0 {
        format!("no leader (term {term})")
    } else if leads {
        format!("leader (term {term})")
    } else {
        format!("follower of {} (term {term})", name_of(status.leader))
    };
    Member {
        host: host.to_string(),
        answered: true,
        healthy: status.errors.is_empty() && status.leader != 0,
        leads,
        sees: (!members.is_empty()).then_some(members.len()),
        id: Some(format!("{own:x}")),
        position: None,
        state,
        critical: false,
    }
}

/// `etcdctl move-leader` to the member `id` (hex, as [`read`] wrote it).
pub(super) fn move_leader(client: &str, id: &str) -> Option<ShellCommand> {
    id.bytes()
        .all(|b| b.is_ascii_hexdigit())
        .then(|| ShellCommand::plain(format!("export ETCDCTL_API=3\n{client} move-leader {id}")))
}
