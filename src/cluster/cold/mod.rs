//! Bringing a cluster back from a full outage: which member goes first and how, the kind's way
//! (Galera: the most advanced member, `galera_new_cluster`; Redis and PostgreSQL: the primary
//! with the newest data; RabbitMQ: the last node to stop; etcd and ZooKeeper: a quorum started
//! together), then the others one at a time. Read from what each member's own files say, since
//! none runs.

mod galera;
mod quorum;
mod rdb;
mod replication;

use super::Kind;
use super::answers::{Answer, value};
use crate::plan::model::ShellCommand;

/// What one stopped member's files say.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Found {
    /// The member's host.
    pub host: String,
    /// Galera: the last committed seqno (`-1` after a crash, until recovered).
    pub seqno: Option<i64>,
    /// Galera: `safe_to_bootstrap: 1`, the last member to stop cleanly.
    pub safe: bool,
    /// Redis, PostgreSQL: it was the primary (no `replicaof`, no `standby.signal`).
    pub primary: bool,
    /// Redis, PostgreSQL: where its data ends.
    pub position: Option<Position>,
    /// RabbitMQ: how many nodes ran when it stopped, itself included (1: it stopped last).
    pub running_at_shutdown: Option<usize>,
    /// What could not be read, if anything.
    pub unreadable: Option<String>,
}

/// Where a stopped member's data ends, comparable across the members of one cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// (timeline, offset): a later timeline is newer whatever its offset.
    pub at: (u64, u64),
    /// In the kind's words: `LSN 0/3000108, timeline 1`.
    pub shown: String,
    /// The replication history the offset counts in, where the kind names it (Redis's
    /// replication id): offsets of two histories do not compare.
    pub history: Option<String>,
}

/// The first member of a cold start and how it comes up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Index among the members.
    pub first: usize,
    /// How, and why this one, in words.
    pub how: String,
    /// What may be lost, when the operator's choice is not the most advanced member.
    pub warning: Option<String>,
    /// How many members, from the first in the walk's order, start side by side, as one
    /// batch (etcd and ZooKeeper: a quorum, since a member serves only within one); 1: alone.
    pub together: usize,
    /// How the first member comes up, when not by its restart command alone.
    pub up_first: Option<FirstUp>,
}

/// The kind's own way to bring the first member of a cold start up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirstUp {
    /// Instead of its restart command (Galera: `galera_new_cluster`).
    Instead(ShellCommand),
    /// Before its restart command (RabbitMQ: `rabbitmqctl force_boot`).
    Before(ShellCommand),
}

impl FirstUp {
    /// The command that brings the first member up, given its restart command.
    pub fn command(&self, restart: &ShellCommand) -> ShellCommand {
        match self {
            FirstUp::Instead(c) => c.clone(),
            FirstUp::Before(c) => ShellCommand {
                script: format!("{} && {{\n{}\n}}", c.script, restart.script),
                shown: format!("{} && {}", c.shown, restart.shown),
                env: restart.env.clone(),
            },
        }
    }
}

/// How the first member comes up when a cold start is resumed with nothing back yet: the
/// kind's own way, whichever member it is (RabbitMQ's forced boot is harmless on the node
/// that stopped last, and needed on one the operator chose instead).
pub fn up_first(kind: Kind) -> Option<FirstUp> {
    match kind {
        Kind::Galera => Some(galera::up_first()),
        Kind::Rabbitmq => Some(quorum::force_boot()),
        _ => None,
    }
}

/// Whether a member of this kind waits for a quorum before it serves (etcd, ZooKeeper): alone,
/// it runs and stays silent.
pub fn waits_for_quorum(kind: Kind) -> bool {
    matches!(kind, Kind::Etcd | Kind::Zookeeper)
}

/// How many members of a cold start come up side by side first: a quorum where each member
/// waits for one, else one.
pub fn together(kind: Kind, members: usize) -> usize {
    if waits_for_quorum(kind) {
        members / 2 + 1
    } else {
        1
    }
}

const NO_WAY: &str = "a `command` cluster has no known way to come back";

/// Whether comeback knows how this kind comes back, or why not.
pub fn supported(kind: Kind) -> Result<(), String> {
    match kind {
        Kind::Command => Err(NO_WAY.into()),
        _ => Ok(()),
    }
}

/// What each member is asked, read-only unless `recover` (Galera: `galera_recovery` runs
/// `mysqld --wsrep-recover` on a member that crashed, to learn its position).
pub fn question(kind: Kind, configs: &[String], recover: bool) -> Option<ShellCommand> {
    match kind {
        Kind::Galera => Some(galera::question(recover)),
        Kind::Postgresql => Some(replication::postgresql_question()),
        Kind::Redis => Some(replication::redis_question(configs)),
        Kind::Rabbitmq => Some(quorum::rabbitmq_question()),
        Kind::Etcd | Kind::Zookeeper | Kind::Command => None,
    }
}

/// What a member's answer to [`question`] says.
pub fn read(kind: Kind, host: &str, answer: &Answer) -> Found {
    let text = &answer.stdout;
    let unreadable = if !answer.ok() {
        Some(answer.why())
    } else {
        value(text, "unreadable", '=').map(super::one_line)
    };
    let recovered = value(text, "recovered", '=').and_then(|s| s.parse().ok());
    Found {
        host: host.to_string(),
        seqno: recovered.or_else(|| value(text, "seqno", '=').and_then(|s| s.parse().ok())),
        safe: value(text, "safe_to_bootstrap", '=') == Some("1"),
        primary: value(text, "primary", '=') == Some("yes"),
        position: replication::position(kind, text),
        running_at_shutdown: quorum::running_at_shutdown(text),
        unreadable,
    }
}

/// The member to bring up first, or why none can be chosen. `bootstrap` is the operator's
/// choice (`--bootstrap HOST`).
pub fn choose(kind: Kind, found: &[Found], bootstrap: Option<&str>) -> Result<Choice, String> {
    if let Some(f) = found.iter().find(|f| f.unreadable.is_some()) {
        return Err(format!(
            "{}'s state could not be read: {}",
            f.host,
            f.unreadable.as_deref().unwrap_or_default()
        ));
    }
    let bootstrap = match bootstrap {
        Some(b) => Some(
            found
                .iter()
                .position(|f| f.host == b)
                .ok_or_else(|| format!("{b} is not a member"))?,
        ),
        None => None,
    };
    match kind {
        Kind::Galera => galera::choose(found, bootstrap),
        Kind::Redis | Kind::Postgresql => replication::choose(kind, found, bootstrap),
        Kind::Rabbitmq => quorum::rabbitmq(found, bootstrap),
        Kind::Etcd | Kind::Zookeeper => match bootstrap {
            Some(_) => Err(format!(
                "--bootstrap does not apply to {kind}: its members start together and elect a leader"
            )),
            None => Ok(quorum::together(kind, found)),
        },
        Kind::Command => Err(NO_WAY.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn galera_member(host: &str, seqno: i64, safe: bool) -> Found {
        Found {
            host: host.into(),
            seqno: Some(seqno),
            safe,
            ..Found::default()
        }
    }

    #[test]
    fn galera_comes_back_from_the_safe_member_else_the_most_advanced() {
        let clean = [
            galera_member("db-01", 5, false),
            galera_member("db-02", 7, true),
            galera_member("db-03", 4, false),
        ];
        let c = choose(Kind::Galera, &clean, None).expect("a choice");
        assert_eq!(c.first, 1);
        assert!(c.how.contains("safe_to_bootstrap: 1, seqno 7"), "{}", c.how);
        assert!(c.warning.is_none());
        let crashed = [
            galera_member("db-01", 12, false),
            galera_member("db-02", 10, false),
            galera_member("db-03", 11, false),
        ];
        assert_eq!(
            choose(Kind::Galera, &crashed, None)
                .expect("a choice")
                .first,
            0
        );
        let forced = choose(Kind::Galera, &crashed, Some("db-02")).expect("a choice");
        assert_eq!(forced.first, 1);
        assert_eq!(
            forced.warning.as_deref(),
            Some("db-02 is at seqno 10 and db-01 at 12: the transactions after seqno 10 are lost")
        );
        let unknown = [
            galera_member("db-01", 5, false),
            galera_member("db-02", -1, false),
        ];
        let refused = choose(Kind::Galera, &unknown, None).expect_err("db-02 may be further");
        assert!(
            refused.starts_with("the position of db-02 is unknown"),
            "{refused}"
        );
        let stale_flag = [
            galera_member("db-01", 9, false),
            galera_member("db-02", 7, true),
        ];
        assert_eq!(
            choose(Kind::Galera, &stale_flag, None)
                .expect("a choice")
                .first,
            0
        );
        assert!(choose(Kind::Galera, &clean, Some("db-09")).is_err());
    }

    #[test]
    fn galera_state_is_read_from_grastate_and_galera_recovery() {
        let answer = |stdout: &str| Answer {
            code: Some(0),
            stdout: stdout.into(),
            stderr: String::new(),
        };
        let f = read(
            Kind::Galera,
            "db-01",
            &answer("seqno=-1\nsafe_to_bootstrap=0\nrecovered=17\n"),
        );
        assert_eq!((f.seqno, f.safe), (Some(17), false));
        let f = read(
            Kind::Galera,
            "db-02",
            &answer("seqno=5\nsafe_to_bootstrap=1\n"),
        );
        assert_eq!((f.seqno, f.safe), (Some(5), true));
    }

    #[test]
    fn replication_comes_back_from_the_one_primary() {
        let m = |host: &str, primary| Found {
            host: host.into(),
            primary,
            ..Found::default()
        };
        let one = [m("pg-1", false), m("pg-2", true), m("pg-3", false)];
        assert_eq!(
            choose(Kind::Postgresql, &one, None)
                .expect("a choice")
                .first,
            1
        );
        let two = [m("pg-1", true), m("pg-2", true)];
        assert!(choose(Kind::Postgresql, &two, None).is_err());
        assert!(
            choose(Kind::Redis, &one, Some("pg-1"))
                .expect("a choice")
                .warning
                .is_some()
        );
        assert!(supported(Kind::Command).is_err());
        assert!(supported(Kind::Etcd).is_ok());
        assert!(choose(Kind::Etcd, &one, Some("pg-1")).is_err());
    }
}
