//! Clusters: a service whose instances form one cluster is restarted the way its own operators
//! do it (one member at a time, the leader last, whole again before the next), so comeback must
//! know, per kind, how a member is asked what the cluster looks like from where it stands and
//! what "whole" means. Pure: scripts out, answers in; the executor runs them.

mod answers;
pub mod cold;
mod etcd;
mod galera;
mod plain;
mod postgresql;
mod rabbitmq;
mod redis;
mod verdict;
mod zookeeper;

pub use answers::Answer;
pub use verdict::{Gone, Verdict, verdict};

use crate::plan::model::ShellCommand;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What kind of cluster a service is: which questions its members are asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// MariaDB/MySQL Galera: `wsrep_%` status.
    Galera,
    /// Redis replication, with or without Sentinel: `INFO replication`.
    Redis,
    /// PostgreSQL streaming replication: `pg_is_in_recovery()`, `pg_stat_replication`.
    Postgresql,
    /// etcd: `etcdctl endpoint status`, `member list`.
    Etcd,
    /// ZooKeeper: the `srvr` four-letter word.
    Zookeeper,
    /// RabbitMQ: `rabbitmqctl cluster_status`.
    Rabbitmq,
    /// The plan's own `whole:` and `leader:` commands.
    Command,
}

impl Kind {
    /// The program a member is asked through when the plan names no `client`.
    pub fn default_client(self) -> &'static str {
        match self {
            Kind::Galera => "mysql",
            Kind::Redis => "redis-cli",
            Kind::Postgresql => "psql",
            Kind::Etcd => "etcdctl",
            Kind::Zookeeper => "bash",
            Kind::Rabbitmq => "rabbitmqctl",
            Kind::Command => "sh",
        }
    }

    /// Whether one member leads (primary, leader) and is restarted last.
    pub fn has_leader(self) -> bool {
        !matches!(self, Kind::Galera | Kind::Rabbitmq)
    }

    /// Whether comeback can move the lead away before the leader's restart, or why not.
    pub fn switchover(self) -> Result<(), &'static str> {
        match self {
            Kind::Redis | Kind::Etcd => Ok(()),
            Kind::Galera | Kind::Rabbitmq => {
                Err("its members are peers: no member leads, so there is no role to move")
            }
            Kind::Postgresql => Err(
                "moving the primary means re-pointing every standby, which is your failover manager's job (Patroni, repmgr); without `switchover` comeback restarts the primary last",
            ),
            Kind::Zookeeper => Err(
                "ZooKeeper has no command to hand the lead over; comeback restarts the leader last and the ensemble elects another",
            ),
            Kind::Command => Err("a `command` cluster has no command to move its lead"),
        }
    }

    /// Whether a member's own config lists every member (gcomm://, initial-cluster, server.N=,
    /// classic_config.nodes), so a member it leaves out is worth saying; a Redis replica's or a
    /// PostgreSQL standby's config names only its primary.
    pub fn config_lists_members(self) -> bool {
        matches!(
            self,
            Kind::Galera | Kind::Etcd | Kind::Zookeeper | Kind::Rabbitmq
        )
    }

    /// What a member's count counts, in the kind's words.
    fn counted(self) -> &'static str {
        match self {
            Kind::Galera => "members (wsrep_cluster_size)",
            Kind::Redis => "members (the primary's online replicas and itself)",
            Kind::Postgresql => "members (the primary's streaming standbys and itself)",
            Kind::Etcd => "members (member list)",
            Kind::Rabbitmq => "running nodes",
            Kind::Zookeeper | Kind::Command => "members",
        }
    }

    /// What the member that leads is called.
    pub fn leader_word(self) -> &'static str {
        match self {
            Kind::Redis | Kind::Postgresql => "primary",
            _ => "leader",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Kind::Galera => "galera",
            Kind::Redis => "redis",
            Kind::Postgresql => "postgresql",
            Kind::Etcd => "etcd",
            Kind::Zookeeper => "zookeeper",
            Kind::Rabbitmq => "rabbitmq",
            Kind::Command => "command",
        })
    }
}

/// A service's `cluster:`, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// Which questions its members are asked.
    pub kind: Kind,
    /// The client program and its first arguments, as words (the kind's default when empty).
    pub client: Vec<String>,
    /// How long a member may take to rejoin and the cluster to be whole again.
    pub timeout: Duration,
    /// Move the lead away before the leader's restart.
    pub switchover: bool,
    /// `command` kind: per instance, the `whole:` and `leader:` commands, rendered for its host.
    pub commands: Vec<MemberCommands>,
}

/// The plan's own questions to one member of a `command` cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberCommands {
    /// Exit 0: the cluster is whole, seen from this member.
    pub whole: ShellCommand,
    /// Exit 0: this member leads.
    pub leader: Option<ShellCommand>,
}

/// How long a member may take to rejoin when the plan does not say: a full state transfer of a
/// small database takes minutes.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// One member as it sees itself and the cluster, in the cluster's own words.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Member {
    /// The member's host.
    pub host: String,
    /// It answered the question (else `state` says why not).
    pub answered: bool,
    /// Its state in the cluster's own words: `Synced`, `role:slave link:up`, `Mode: follower`.
    pub state: String,
    /// In the cluster and healthy by the kind's rule.
    pub healthy: bool,
    /// It leads (primary, leader).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub leads: bool,
    /// Healthy but for one thing: stopping it now would leave a quorum queue without a
    /// majority (RabbitMQ's quorum-critical).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub critical: bool,
    /// How many members the cluster has as this member counts them, when it can tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sees: Option<usize>,
    /// The member's id in the cluster, where a switchover names it (etcd's member id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// How far its data goes, where the kind tells it (Galera's last committed seqno, a Redis
    /// replication offset): the most advanced member is the one to bring a cluster back from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i64>,
}

impl Member {
    /// A member that did not answer the question: `why` in its own words.
    pub(crate) fn silent(host: &str, why: &str) -> Member {
        Member {
            host: host.to_string(),
            answered: false,
            state: format!("does not answer: {}", one_line(why)),
            ..Member::default()
        }
    }
}

/// The question asked of one member: scripts run on its host, read-only, each answer kept.
pub fn questions(cluster: &Cluster, instance: usize, configs: &[String]) -> Vec<ShellCommand> {
    let client = client_words(cluster);
    match cluster.kind {
        Kind::Galera => vec![galera::question(&client)],
        Kind::Redis => vec![redis::question(&client, configs)],
        Kind::Postgresql => vec![postgresql::question(&client)],
        Kind::Etcd => vec![etcd::question(&client)],
        Kind::Zookeeper => vec![zookeeper::question(&cluster.client)],
        Kind::Rabbitmq => vec![rabbitmq::question(&client)],
        Kind::Command => {
            let Some(commands) = cluster.commands.get(instance) else {
                return Vec::new();
            };
            std::iter::once(commands.whole.clone())
                .chain(commands.leader.clone())
                .collect()
        }
    }
}

/// What the member's answers to [`questions`] say.
pub fn read(kind: Kind, host: &str, answers: &[Answer]) -> Member {
    let Some(first) = answers.first() else {
        return Member::silent(host, "no question to ask it");
    };
    match kind {
        Kind::Galera => galera::read(host, first),
        Kind::Redis => redis::read(host, first),
        Kind::Postgresql => postgresql::read(host, first),
        Kind::Etcd => etcd::read(host, first),
        Kind::Zookeeper => zookeeper::read(host, first),
        Kind::Rabbitmq => rabbitmq::read(host, first),
        Kind::Command => plain::read(host, first, answers.get(1)),
    }
}

/// The command that moves the lead away from `view`'s leader, run on the leader's host
/// (`address`: its address in the plan).
pub fn switchover(cluster: &Cluster, view: &View, address: &str) -> Option<ShellCommand> {
    let client = client_words(cluster);
    let leader = &view.members[view.leader()?];
    match cluster.kind {
        Kind::Redis => {
            // The member's port: the client's `-p`, else Redis's own.
            let port = cluster
                .client
                .windows(2)
                .find(|w| w[0] == "-p")
                .and_then(|w| w[1].parse().ok())
                .unwrap_or(6379);
            Some(redis::failover(&client, [&leader.host, address], port))
        }
        Kind::Etcd => {
            let target = view.members.iter().find(|m| !m.leads && m.healthy)?;
            etcd::move_leader(&client, target.id.as_deref()?)
        }
        _ => None,
    }
}

/// The plan's members (name, address) that none of `named` (the member references of one
/// config) names, when the kind's config lists every member and it names at least one.
pub fn unnamed_members<'a>(
    kind: Kind,
    named: &[&str],
    members: &[(&'a str, &'a str)],
) -> Vec<&'a str> {
    if !kind.config_lists_members() || named.is_empty() {
        return Vec::new();
    }
    let is_named = |h: &str| named.iter().any(|n| n.eq_ignore_ascii_case(h));
    members
        .iter()
        .filter(|(name, address)| !is_named(name) && !is_named(address))
        .map(|(name, _)| *name)
        .collect()
}

/// The client words as they go into a script: each one quoted.
fn client_words(cluster: &Cluster) -> String {
    if cluster.client.is_empty() {
        cluster.kind.default_client().to_string()
    } else {
        crate::quote::join(&cluster.client)
    }
}

/// Every member of a cluster as each sees it at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct View {
    /// In the plan's order of the service's hosts.
    pub members: Vec<Member>,
}

impl View {
    /// The member that leads, when exactly one says so.
    pub fn leader(&self) -> Option<usize> {
        let mut leading = self.members.iter().enumerate().filter(|(_, m)| m.leads);
        match (leading.next(), leading.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }

    /// Why the cluster is not whole, in the cluster's own words, one line per member or rule;
    /// empty when it is whole.
    pub fn problems(&self, kind: Kind) -> Vec<String> {
        let n = self.members.len();
        let mut problems: Vec<String> = self
            .members
            .iter()
            .filter(|m| !m.healthy)
            .map(|m| match m.answered {
                true => format!("{} is {}", m.host, m.state),
                false => format!("{} {}", m.host, m.state),
            })
            .collect();
        for m in self.members.iter().filter(|m| m.healthy) {
            // More than the plan (an arbitrator, a replica kept elsewhere) keeps it whole.
            if let Some(sees) = m.sees
                && sees < n
            {
                problems.push(format!(
                    "{} counts {sees} {} where the plan has {n}",
                    m.host,
                    kind.counted()
                ));
            }
        }
        if kind.has_leader() && problems.is_empty() {
            let leaders: Vec<&str> = self
                .members
                .iter()
                .filter(|m| m.leads)
                .map(|m| m.host.as_str())
                .collect();
            match leaders.as_slice() {
                [_] => {}
                [] => problems.push(format!("no member is the {}", kind.leader_word())),
                many => problems.push(format!(
                    "{} all say they are the {}",
                    many.join(", "),
                    kind.leader_word()
                )),
            }
        }
        problems
    }

    /// The members that answer, as a cluster of their own: a cluster coming back from cold is
    /// whole when those started so far are. A member that is only quorum-critical is fine
    /// there: the members still to come restore the majority.
    pub fn started(&self) -> View {
        View {
            members: self
                .members
                .iter()
                .filter(|m| m.answered)
                .map(|m| Member {
                    healthy: m.healthy || m.critical,
                    ..m.clone()
                })
                .collect(),
        }
    }

    /// Whether `host` is in the cluster and healthy in this view.
    pub fn has_healthy(&self, host: &str) -> bool {
        self.members.iter().any(|m| m.host == host && m.healthy)
    }
}

/// Each member and its state, on one line: `db-01: Synced; db-02: Synced`.
pub fn states(members: &[Member]) -> String {
    members
        .iter()
        .map(|m| format!("{}: {}", m.host, m.state))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `text` on one line, bounded: a member's answer goes into one line of a report.
pub(crate) fn one_line(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("no output");
    match line.char_indices().nth(200) {
        Some((end, _)) => format!("{}...", &line[..end]),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests;
