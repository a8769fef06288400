//! An address the file binds is this host's own wherever else the file names it under a key
//! that names no server to reach: Scylla's `prometheus_address` beside its `listen_address`,
//! Docker's `"ip"` beside its `hosts`. Read as a server to reach, it would be probed on a port
//! that only this service opens, and fail while it is down; read as a listen address, it is
//! checked as this host's own. Under a key that names a server (`db_host`, `server`,
//! `upstream`) it stays one: a dependency on the same host is still a dependency.

use super::context::{self, KeyKind};
use super::{Kind, Reference, Strength};
use std::net::IpAddr;

/// Turns into `listen` each strong connect reference to an IP address that the file gives as a
/// listen address elsewhere, unless its line's key names a server, its line names other
/// servers (a cluster's member list holds the host's own address among the others') or a user
/// logs in there (`repl:secret@10.0.0.5`).
pub(super) fn listen_where_bound(text: &str, found: &mut [Reference]) {
    let bound: Vec<&str> = found
        .iter()
        .filter(|r| r.kind == Kind::Listen && r.host.parse::<IpAddr>().is_ok())
        .map(|r| r.host.as_str())
        .collect();
    if bound.is_empty() {
        return;
    }
    let own = |r: &Reference| {
        r.kind == Kind::Connect
            && r.strength == Strength::Strong
            && bound.contains(&r.host.as_str())
    };
    // Lines with a reference to another server, in ascending order (found is in line order).
    let mut others: Vec<usize> = found
        .iter()
        .filter(|r| r.kind != Kind::Listen && !own(r))
        .map(|r| r.line)
        .collect();
    others.dedup();
    let candidates: Vec<usize> = (0..found.len())
        .filter(|&i| own(&found[i]) && others.binary_search(&found[i].line).is_err())
        .collect();
    drop(bound);
    let (mut lines, mut current) = (text.lines().enumerate(), None);
    for i in candidates {
        if current.is_none_or(|(n, _)| n + 1 != found[i].line) {
            current = lines.find(|(n, _)| n + 1 == found[i].line);
        }
        let Some((_, line)) = current else {
            break;
        };
        let before = line.chars().nth(found[i].column.saturating_sub(2));
        let logs_in = found[i].column >= 2 && before == Some('@');
        let names_a_server = context::key_value(line).is_some_and(|kv| {
            context::classify(kv.key) == KeyKind::HostsWithEvidence || names_a_dependency(kv.key)
        });
        if !logs_in && !names_a_server {
            found[i].kind = Kind::Listen;
        }
    }
}

/// A key whose words name a server of another kind than this one's own (`server`, `upstream`,
/// `db_host`, `REDIS_HOST`, `smtp_server`): what it names is reached, wherever it runs.
fn names_a_dependency(key: &str) -> bool {
    key.split(['_', '-', '.', ' '])
        .map(str::to_ascii_lowercase)
        .any(|word| {
            matches!(
                word.as_str(),
                "server"
                    | "servers"
                    | "upstream"
                    | "upstreams"
                    | "backend"
                    | "backends"
                    | "peer"
                    | "peers"
                    | "seed"
                    | "seeds"
                    | "member"
                    | "members"
                    | "nodes"
                    | "db"
                    | "database"
                    | "sql"
                    | "mysql"
                    | "pg"
                    | "postgres"
                    | "postgresql"
                    | "redis"
                    | "cache"
                    | "memcached"
                    | "mongo"
                    | "mongodb"
                    | "ldap"
                    | "smtp"
                    | "mail"
                    | "amqp"
                    | "mq"
                    | "kafka"
                    | "zookeeper"
                    | "etcd"
                    | "consul"
                    | "vault"
                    | "elasticsearch"
                    | "syslog"
                    | "proxy"
            )
        })
}

#[cfg(test)]
mod tests {
    use crate::refs::{ScanOptions, scan};

    fn summaries(text: &str) -> Vec<String> {
        scan(text, &ScanOptions::default())
            .iter()
            .map(|r| format!("{} {}", r.line, r.summary()))
            .collect()
    }

    #[test]
    fn an_address_the_file_binds_is_listened_on_under_a_key_that_names_no_server() {
        let scylla = "listen_address: 10.20.1.13\nprometheus_address: 10.20.1.13\n\
                      prometheus_port: 9180\nseeds: 10.20.1.11\n";
        assert_eq!(
            summaries(scylla),
            [
                "1 10.20.1.13 listen",
                "2 10.20.1.13:9180 listen",
                "4 10.20.1.11"
            ]
        );
        // A database, a balancer's backend on the same host: still servers to reach.
        let local =
            "bind_address = 10.0.0.5\ndb_host = 10.0.0.5\nserver app1 10.0.0.5:8080 check\n";
        assert_eq!(
            summaries(local),
            ["1 10.0.0.5 listen", "2 10.0.0.5", "3 10.0.0.5:8080"]
        );
    }

    #[test]
    fn a_member_list_or_a_login_to_the_own_address_stays_a_server() {
        let neo4j = "server.default_listen_address=10.70.1.21\n\
                     initial_discovery_members=10.70.1.21:5000,10.70.1.22:5000\n\
                     replication = 'repl:secret@10.70.1.21:3301'\n";
        assert_eq!(
            summaries(neo4j),
            [
                "1 10.70.1.21 listen",
                "2 10.70.1.21:5000",
                "2 10.70.1.22:5000",
                "3 10.70.1.21:3301"
            ]
        );
    }
}
