//! An address the file binds is this host's own wherever else the file names it: Airflow's
//! `flower_host` beside its `web_server_host`, Scylla's `prometheus_address` beside its
//! `listen_address`. Read as a server to reach, it would be probed on a port that only this
//! service opens, and fail while it is down; read as a listen address, it is checked as this
//! host's own.

use super::{Kind, Reference, Strength};
use std::net::IpAddr;

/// Turns into `listen` each strong connect reference to an IP address that the file gives as a
/// listen address elsewhere, unless its line names other servers (a cluster's member list
/// holds the host's own address among the others') or a user logs in there
/// (`repl:secret@10.0.0.5`).
pub(super) fn listen_where_bound(text: &str, found: &mut [Reference]) {
    let bound: Vec<String> = found
        .iter()
        .filter(|r| r.kind == Kind::Listen && r.host.parse::<IpAddr>().is_ok())
        .map(|r| r.host.clone())
        .collect();
    if bound.is_empty() {
        return;
    }
    let own = |r: &Reference| {
        r.kind == Kind::Connect && r.strength == Strength::Strong && bound.contains(&r.host)
    };
    let alone = |r: &Reference| {
        !found
            .iter()
            .any(|other| other.line == r.line && other.kind != Kind::Listen && !own(other))
    };
    // In the order of their lines, as the scanner found them.
    let candidates: Vec<usize> = (0..found.len())
        .filter(|&i| own(&found[i]) && alone(&found[i]))
        .collect();
    let (mut lines, mut current) = (text.lines().enumerate(), None);
    for i in candidates {
        if current.is_none_or(|(n, _)| n + 1 != found[i].line) {
            current = lines.find(|(n, _)| n + 1 == found[i].line);
        }
        let Some((_, line)) = current else {
            break;
        };
        let before = line.chars().nth(found[i].column.saturating_sub(2));
        if found[i].column < 2 || before != Some('@') {
            found[i].kind = Kind::Listen;
        }
    }
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
    fn an_address_the_file_binds_is_listened_on_under_any_key() {
        let airflow = "[webserver]\nweb_server_host = 10.85.0.10\nweb_server_port = 8080\n\
                       [celery]\nflower_host = 10.85.0.10\nflower_port = 5555\n\
                       [smtp]\nsmtp_host = 10.85.0.25\n";
        assert_eq!(
            summaries(airflow),
            [
                "2 10.85.0.10:8080 listen",
                "5 10.85.0.10:5555 listen",
                "8 10.85.0.25"
            ]
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
