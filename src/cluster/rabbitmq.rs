//! RabbitMQ: every node runs, none is partitioned or in alarm, and no node is quorum-critical
//! (stopping it would leave a quorum queue without a majority). Nodes are peers: none leads.
//! `rabbitmqctl` speaks to the local node with the Erlang cookie of the user it runs as.

use super::Member;
use super::answers::{Answer, value};
use crate::plan::model::ShellCommand;
use serde::Deserialize;

const QUORUM_MARK: &str = "--- quorum";

/// The cluster's status, then (after [`QUORUM_MARK`]) whether this node is quorum-critical.
const QUORUM_CRITICAL: &str = include_str!("../remote/rabbitmq_quorum_critical.sh");

pub(super) fn question(client: &str) -> ShellCommand {
    ShellCommand::plain(format!(
        "{client} -q cluster_status --formatter json || exit\n{QUORUM_CRITICAL}"
    ))
}

#[derive(Deserialize)]
struct Status {
    #[serde(default)]
    running_nodes: Vec<String>,
    #[serde(default)]
    partitions: serde_json::Value,
    #[serde(default)]
    alarms: Vec<serde_json::Value>,
}

pub(super) fn read(host: &str, answer: &Answer) -> Member {
    if !answer.ok() {
        return Member::silent(host, &answer.why());
    }
    let (status, quorum) = answer
        .stdout
        .split_once(QUORUM_MARK)
        .unwrap_or((&answer.stdout, ""));
    let Ok(status) = serde_json::from_str::<Status>(status.trim()) else {
        return Member::silent(
            host,
            "rabbitmqctl cluster_status gave no status it could read",
        );
    };
    let running = status.running_nodes.len();
    let partitioned = match &status.partitions {
        serde_json::Value::Object(m) => m
            .values()
            .any(|v| v.as_array().is_some_and(|a| !a.is_empty())),
        serde_json::Value::Array(a) => !a.is_empty(),
        _ => false,
    };
    let critical = value(quorum, "exit", '=').is_some_and(|code| code != "0");
    let state = if partitioned {
        format!("partitioned ({running} running nodes)")
    } else if !status.alarms.is_empty() {
        format!(
            "in alarm: {}",
            super::one_line(&status.alarms[0].to_string())
        )
    } else if critical {
        let why = quorum
            .lines()
            .skip_while(|l| !l.starts_with("exit="))
            .nth(1)
            .unwrap_or("a quorum queue would lose its majority");
        format!("quorum critical: {}", super::one_line(why))
    } else {
        format!("running, {running} running nodes")
    };
    Member {
        host: host.to_string(),
        answered: true,
        healthy: !partitioned && status.alarms.is_empty() && !critical,
        critical: critical && !partitioned && status.alarms.is_empty(),
        sees: Some(running),
        state,
        ..Member::default()
    }
}

#[cfg(test)]
mod mark_tests {
    #[test]
    fn the_script_prints_the_mark_the_answer_is_split_at() {
        assert!(super::QUORUM_CRITICAL.contains(&format!("echo '{}'\n", super::QUORUM_MARK)));
    }
}
