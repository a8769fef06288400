//! An address the file binds is this host's own wherever else the file gives it bare under a
//! key for one of this service's own endpoints: Scylla's `prometheus_address` beside its
//! `listen_address`, Airflow's `flower_host` beside its `web_server_host`, JupyterHub's
//! `hub_ip`. Read as a server to reach, it would be probed on a port that only this service
//! opens, and fail while it is down; read as a listen address, it is checked as this host's
//! own. Under any other key (`db_host`, `gmysql-host`, `consul { address }`), in a URL, with a
//! login or in a directive (`server`, `proxy_pass`) it stays a server: a dependency on the same
//! host is still a dependency, and a listen address is never probed.

use super::context;
use super::tokens::ends_with_ignore_case;
use super::{Kind, Reference, Strength};
use rustc_hash::FxHashSet;
use std::net::IpAddr;

/// Turns into `listen` each strong connect reference to an IP address that the file gives as a
/// listen address elsewhere, when it stands alone under a key for one of its own endpoints.
/// `starts`: the number and byte offset of each line that gave references, in order.
pub(super) fn listen_where_bound(text: &str, starts: &[(usize, usize)], found: &mut [Reference]) {
    let bound: FxHashSet<&str> = found
        .iter()
        .filter(|r| r.kind == Kind::Listen && r.host.parse::<IpAddr>().is_ok())
        .map(|r| r.host.as_str())
        .collect();
    if bound.is_empty() {
        return;
    }
    // Bare: `10.0.0.5` or `10.0.0.5:9180`, quoted or not, no scheme and no user.
    let own = |r: &Reference| {
        r.kind == Kind::Connect
            && r.strength == Strength::Strong
            && bound.contains(r.host.as_str())
            && !r.text.contains(['@', '/'])
    };
    let owns: Vec<bool> = found.iter().map(own).collect();
    // Lines with a reference to another server, in ascending order (found is in line order).
    let mut others: Vec<usize> = found
        .iter()
        .zip(&owns)
        .filter(|(r, own)| r.kind != Kind::Listen && !**own)
        .map(|(r, _)| r.line)
        .collect();
    others.dedup();
    let candidates: Vec<usize> = (0..found.len())
        .filter(|&i| owns[i] && others.binary_search(&found[i].line).is_err())
        .collect();
    if candidates.is_empty() {
        return;
    }
    drop(bound);
    let bytes = text.as_bytes();
    for i in candidates {
        let Ok(at) = starts.binary_search_by_key(&found[i].line, |&(line, _)| line) else {
            continue;
        };
        let start = starts[at].1;
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |e| start + e);
        let line = &text[start..end];
        let own_endpoint = context::key_value(line)
            .is_some_and(|kv| names_an_address(kv.key) && names_an_own_endpoint(kv.key));
        if own_endpoint {
            found[i].kind = Kind::Listen;
        }
    }
}

/// A key whose last word names an address (`flower_host`, `prometheus_address`, `hub_ip`,
/// `endpoint`), not a server by its role (`server`, `proxy_pass`).
fn names_an_address(key: &str) -> bool {
    context::names_an_address(key)
        || ["endpoint", "ip", "address"]
            .iter()
            .any(|w| ends_with_ignore_case(key.as_bytes(), w.as_bytes()))
}

/// A key whose words name an endpoint a service serves for itself: its metrics, status,
/// health, debugging or administration, its web console, Airflow's Flower, JupyterHub's hub.
fn names_an_own_endpoint(key: &str) -> bool {
    key.split(['_', '-', '.', ' ']).any(|word| {
        [
            "prometheus",
            "metrics",
            "status",
            "health",
            "healthz",
            "healthcheck",
            "debug",
            "pprof",
            "stats",
            "admin",
            "management",
            "mgmt",
            "web",
            "webserver",
            "console",
            "dashboard",
            "ui",
            "flower",
            "hub",
        ]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
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
        // A database, a balancer's backend, a proxied or FastCGI app, a broker's ZooKeeper on
        // the same host, a URL with a login: still servers to reach.
        let local = "bind_address = 10.0.0.5\ndb_host = 10.0.0.5\nserver app1 10.0.0.5:8080 check\n\
                     proxy_pass http://10.0.0.5:8081;\nfastcgi_pass 10.0.0.5:9000;\n\
                     zookeeper.connect=10.0.0.5:2181\n\
                     broker_url = redis://:pw@10.0.0.5:6379/0\n\
                     gmysql-host=10.0.0.5\nmaster_ip: 10.0.0.5\nconsul {\n  address = \"10.0.0.5:8500\"\n}\n";
        assert_eq!(
            summaries(local),
            [
                "1 10.0.0.5 listen",
                "2 10.0.0.5",
                "3 10.0.0.5:8080",
                "4 10.0.0.5:8081",
                "5 10.0.0.5:9000",
                "6 10.0.0.5:2181",
                "7 10.0.0.5:6379",
                "8 10.0.0.5",
                "9 10.0.0.5",
                "11 10.0.0.5:8500"
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
