//! Galera (MariaDB, MySQL): a member is whole when its cluster component is `Primary`, its
//! local state `Synced` and it is ready; every member counts the same `wsrep_cluster_size`.
//! Members are peers: none leads. Asked over the local socket (root's unix-socket login on
//! Debian's MariaDB), so no password is needed or read.

use super::Member;
use super::answers::{Answer, value};
use crate::plan::model::ShellCommand;

const STATUS: &str = "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_status', 'wsrep_local_state_comment', 'wsrep_cluster_size', 'wsrep_ready', 'wsrep_last_committed')";

pub(super) fn question(client: &str) -> ShellCommand {
    ShellCommand::plain(format!("{client} -NBe \"{STATUS}\""))
}

pub(super) fn read(host: &str, answer: &Answer) -> Member {
    if !answer.ok() {
        return Member::silent(host, &answer.why());
    }
    let text = &answer.stdout;
    let get = |key| value(text, key, '\t');
    let (Some(status), Some(state)) = (
        get("wsrep_cluster_status"),
        get("wsrep_local_state_comment"),
    ) else {
        return Member {
            host: host.to_string(),
            answered: true,
            state: "not a Galera member (no wsrep status: wsrep_on is off or no provider)".into(),
            ..Member::default()
        };
    };
    let ready = get("wsrep_ready") != Some("OFF");
    let primary = status == "Primary";
    let mut words = if primary {
        super::one_line(state)
    } else {
        format!("{}, {}", super::one_line(status), super::one_line(state))
    };
    if !ready {
        words.push_str(" (wsrep_ready OFF)");
    }
    Member {
        host: host.to_string(),
        answered: true,
        healthy: primary && state == "Synced" && ready,
        sees: get("wsrep_cluster_size")
            .and_then(|s| s.parse().ok())
            .filter(|_| primary),
        position: get("wsrep_last_committed").and_then(|s| s.parse().ok()),
        state: words,
        ..Member::default()
    }
}
