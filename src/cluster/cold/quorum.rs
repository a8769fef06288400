//! etcd, ZooKeeper and RabbitMQ from cold. etcd and ZooKeeper members each wait for a quorum
//! before they serve, so a first quorum starts side by side, as one batch, each member checked
//! once they are up. A RabbitMQ node waits for the nodes that ran when it stopped: the last one
//! to stop starts alone, then the others join it.

use super::{Choice, FirstUp, Found};
use crate::cluster::Kind;
use crate::cluster::answers::value;
use crate::plan::model::ShellCommand;

/// Where RabbitMQ 3.x keeps, per node, the nodes that ran when it stopped.
const MNESIA: &str = "/var/lib/rabbitmq/mnesia";

/// RabbitMQ: the nodes that ran when this one stopped (`nodes_running_at_shutdown`, an Erlang
/// list of node names), on one line.
pub(super) fn rabbitmq_question() -> ShellCommand {
    ShellCommand::plain(format!(
        "mnesia={MNESIA}\n{}",
        include_str!("../../remote/rabbitmq_running_at_shutdown.sh")
    ))
}

/// How many nodes ran when a RabbitMQ node stopped (itself included); `None` when unknown.
pub(super) fn running_at_shutdown(text: &str) -> Option<usize> {
    let list = value(text, "running_at_shutdown", '=')?;
    let inner = list.trim().strip_prefix('[')?.split(']').next()?;
    Some(inner.split(',').filter(|n| n.contains('@')).count())
}

/// etcd and ZooKeeper: every member in the plan's order, the first quorum side by side.
pub(super) fn together(kind: Kind, found: &[Found]) -> Choice {
    let n = found.len();
    let quorum = super::together(kind, n);
    let how = if quorum < 2 {
        "then the others one at a time, each in the cluster before the next".to_string()
    } else {
        let first: Vec<&str> = found.iter().take(quorum).map(|f| f.host.as_str()).collect();
        format!(
            "{} started side by side (each {kind} member serves only within a quorum, {quorum} of {n}), each checked once they are up; then the others one at a time",
            first.join(", ")
        )
    };
    Choice {
        first: 0,
        how,
        warning: None,
        together: quorum,
        up_first: None,
    }
}

/// RabbitMQ's way to boot a node that would wait for the nodes that ran when it stopped.
pub(super) fn force_boot() -> FirstUp {
    FirstUp::Before(ShellCommand::plain("rabbitmqctl force_boot"))
}

/// RabbitMQ: the node that stopped last (the only one running when it stopped) first; another
/// first is forced to boot (`rabbitmqctl force_boot`), since it would wait for the last one.
pub(super) fn rabbitmq(found: &[Found], bootstrap: Option<usize>) -> Result<Choice, String> {
    let last: Vec<usize> = (0..found.len())
        .filter(|&i| found[i].running_at_shutdown == Some(1))
        .collect();
    let force = || Some(force_boot());
    let (first, how, up_first) = match (bootstrap, last.as_slice()) {
        (Some(i), _) if last.contains(&i) => (i, "the last node to stop".to_string(), None),
        (Some(i), _) => (
            i,
            "your choice, forced to boot with `rabbitmqctl force_boot` (it would wait for the nodes that ran when it stopped)".to_string(),
            force(),
        ),
        (None, [one]) => (*one, "the last node to stop (nodes_running_at_shutdown names only itself)".to_string(), None),
        (None, []) => {
            return Err("no node says it stopped last (each names others in nodes_running_at_shutdown: it crashed, or stopped with them): choose one with --bootstrap HOST, which forces it to boot".into());
        }
        (None, many) => {
            let names: Vec<&str> = many.iter().map(|&i| found[i].host.as_str()).collect();
            return Err(format!(
                "{} each stopped alone (a partition?): choose the one whose data to keep with --bootstrap HOST",
                names.join(", ")
            ));
        }
    };
    let warning = (!last.is_empty() && !last.contains(&first)).then(|| {
        format!(
            "{} stopped before {}: what changed in between (queues, users, policies) is lost",
            found[first].host, found[last[0]].host
        )
    });
    Ok(Choice {
        first,
        how: format!("{how}; then the others one at a time, each in the cluster before the next"),
        warning,
        together: 1,
        up_first,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(host: &str, running: Option<usize>) -> Found {
        Found {
            host: host.into(),
            running_at_shutdown: running,
            ..Found::default()
        }
    }

    #[test]
    fn the_nodes_running_at_shutdown_are_counted_from_the_erlang_list() {
        let read = |s: &str| running_at_shutdown(&format!("running_at_shutdown={s}"));
        assert_eq!(read("['rabbit@host-3']."), Some(1));
        assert_eq!(read("[rabbit@a,rabbit@b]."), Some(2));
        assert_eq!(read("[]."), Some(0));
        assert_eq!(read("junk"), None);
        assert_eq!(running_at_shutdown(""), None);
    }

    #[test]
    fn rabbitmq_comes_back_from_the_last_node_to_stop() {
        let found = [
            node("r-1", Some(3)),
            node("r-2", Some(2)),
            node("r-3", Some(1)),
        ];
        let c = rabbitmq(&found, None).expect("a choice");
        assert_eq!((c.first, c.up_first.is_none()), (2, true));
        let forced = rabbitmq(&found, Some(0)).expect("the operator's choice");
        assert!(matches!(forced.up_first, Some(FirstUp::Before(_))));
        assert!(
            forced
                .warning
                .expect("a loss")
                .starts_with("r-1 stopped before r-3")
        );
        let crashed = [node("r-1", Some(3)), node("r-2", None)];
        assert!(rabbitmq(&crashed, None).is_err());
    }

    #[test]
    fn a_quorum_starts_together() {
        let found = [node("e-1", None), node("e-2", None), node("e-3", None)];
        let c = together(Kind::Etcd, &found);
        assert_eq!((c.first, c.together), (0, 2));
        assert!(
            c.how.starts_with("e-1, e-2 started side by side"),
            "{}",
            c.how
        );
        let five: Vec<Found> = (1..=5).map(|i| node(&format!("z-{i}"), None)).collect();
        assert_eq!(together(Kind::Zookeeper, &five).together, 3);
        assert_eq!(together(Kind::Zookeeper, &five[..1]).together, 1);
    }
}
