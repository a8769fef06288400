//! A three-member etcd cluster (Debian's `etcd-server` 3.4, `etcdctl` from `etcd-client`) on
//! `host-1`..`host-3`, unit `etcd`.
//!
//! - Config: `/etc/default/etcd` (the unit's `EnvironmentFile`), written whole on each member:
//!   `ETCD_NAME=host-N`, `ETCD_INITIAL_CLUSTER=host-1=http://host-1:2380,...` (names),
//!   `ETCD_INITIAL_CLUSTER_STATE=new`, peers listening on the host's address, clients on the
//!   host's address and 127.0.0.1, advertised by name. Data in `/var/lib/etcd/default`.
//! - Start: `systemctl start --no-block etcd` on all three at once (Type=notify: a member is
//!   ready only once the cluster has a quorum, so a blocking start of the first one alone
//!   would wait for the others). The leader is whichever wins the first election: NOT always
//!   `host-1`; [`leader`] says which.
//! - Ports: 2379 (clients, plain http), 2380 (peers).
//! - Credentials: none (no auth, no TLS).
//! - Measured (2 shared cores): 3 hosts boot in about 2 s, the cluster forms in under 1 s
//!   more; a follower's restart 0.15 s, the leader's 0.3 s with a new leader within a second;
//!   the lab powers off in about 7 s (one member's etcd stops slowly when all three go at once).
//!   More in `FACTS.md`.

use crate::lab::Lab;

pub const CONFIG: &str = "/etc/default/etcd";

/// etcdctl against the member's own client URL, bounded.
const CTL: &str =
    "timeout 5 etcdctl --endpoints=http://127.0.0.1:2379 --dial-timeout=1s --command-timeout=2s";

/// Member `i`'s /etc/default/etcd.
pub fn config(lab: &Lab, i: usize) -> String {
    let cluster: Vec<String> = lab
        .hosts
        .iter()
        .map(|h| format!("{0}=http://{0}:2380", h.name))
        .collect();
    format!(
        "ETCD_NAME={name}\n\
         ETCD_DATA_DIR=/var/lib/etcd/default\n\
         ETCD_LISTEN_PEER_URLS=http://{address}:2380\n\
         ETCD_LISTEN_CLIENT_URLS=http://{address}:2379,http://127.0.0.1:2379\n\
         ETCD_INITIAL_ADVERTISE_PEER_URLS=http://{name}:2380\n\
         ETCD_ADVERTISE_CLIENT_URLS=http://{name}:2379\n\
         ETCD_INITIAL_CLUSTER={cluster}\n\
         ETCD_INITIAL_CLUSTER_STATE=new\n\
         ETCD_INITIAL_CLUSTER_TOKEN=lab\n",
        name = lab.hosts[i].name,
        address = lab.hosts[i].address,
        cluster = cluster.join(","),
    )
}

/// Configures every member and starts them together; returns once every member sees the same
/// leader and all members started.
pub fn form(lab: &Lab) {
    for i in 0..lab.hosts.len() {
        lab.exec(
            i,
            &format!(
                "cat > {CONFIG} <<'EOF'\n{}EOF\nsystemctl start --no-block etcd",
                config(lab, i)
            ),
        );
    }
    let n = lab.hosts.len();
    let names: Vec<String> = lab.hosts.iter().map(|h| h.name.clone()).collect();
    lab.wait_whole(
        "etcd",
        view,
        |_, v| names.iter().any(|l| v == format!("leader={l} members={n}")),
        90,
        "systemctl status --no-pager -n 20 etcd",
    );
    let views: Vec<String> = (0..n).map(|i| view(lab, i)).collect();
    assert!(
        views.iter().all(|v| *v == views[0]),
        "etcd members disagree on the leader: {views:?}"
    );
}

/// The name of the member that leads, as member `i` sees it.
pub fn leader(lab: &Lab, i: usize) -> Option<String> {
    view(lab, i)
        .strip_prefix("leader=")?
        .split_whitespace()
        .next()
        .map(str::to_string)
}

/// `leader=host-2 members=3` (the leader's name from `endpoint status`, mapped through
/// `member list`; members counts those started, with a name), or `down: <unit state>
/// <etcdctl's error>`; `leader=none members=3 (etcdserver: no leader)` while the member answers
/// without a leader.
pub fn view(lab: &Lab, i: usize) -> String {
    // A stopped member is said at once: etcdctl would wait out its dial timeout.
    let out = lab.exec_output(
        i,
        &format!(
            "state=$(systemctl is-active etcd)\n\
             case $state in inactive|failed) echo \"$state\" >&2; exit 1;; esac\n\
             {CTL} endpoint status -w json && {CTL} member list -w json || {{ echo \"$state\" >&2; exit 1; }}"
        ),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut docs = serde_json::Deserializer::from_str(&text).into_iter::<serde_json::Value>();
    let (Some(Ok(status)), Some(Ok(members))) = (docs.next(), docs.next()) else {
        // etcdctl's last word ("Failed to get the status of endpoint ... (context deadline
        // exceeded)"), then the unit's state.
        let err = String::from_utf8_lossy(&out.stderr);
        let lines: Vec<&str> = err
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        return match lines.as_slice() {
            [] => "down: no answer".into(),
            [state] => format!("down: {state}"),
            [.., why, state] => format!("down: {state} ({why})"),
        };
    };
    let leader = status[0]["Status"]["leader"].as_u64();
    let members = members["members"].as_array().cloned().unwrap_or_default();
    let name = match leader {
        None | Some(0) => "none",
        Some(id) => members
            .iter()
            .find(|m| m["ID"].as_u64() == Some(id))
            .and_then(|m| m["name"].as_str())
            .unwrap_or("?"),
    };
    let started = members
        .iter()
        .filter(|m| m["name"].as_str().is_some_and(|n| !n.is_empty()))
        .count();
    let errors: Vec<&str> = status[0]["Status"]["errors"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e.as_str()).collect())
        .unwrap_or_default();
    if errors.is_empty() {
        format!("leader={name} members={started}")
    } else {
        format!("leader={name} members={started} ({})", errors.join("; "))
    }
}
