//! A three-node RabbitMQ cluster (Debian's `rabbitmq-server` 3.10, Erlang 25) on
//! `host-1`..`host-3`, unit `rabbitmq-server` (it wants `epmd.socket`), nodes
//! `rabbit@host-1`..`rabbit@host-3`.
//!
//! - Configs: `/etc/rabbitmq/rabbitmq.conf` (`cluster_formation.peer_discovery_backend =
//!   classic_config`, `cluster_formation.classic_config.nodes.N = rabbit@host-N`) and the same
//!   Erlang cookie [`COOKIE`] in `/var/lib/rabbitmq/.erlang.cookie` (rabbitmq, 0400).
//! - Start: `host-1` first (`systemctl start rabbitmq-server` returns once the node booted:
//!   Type=notify), then `host-2` and `host-3` at once; they join `host-1`'s cluster by peer
//!   discovery. Started all at once, classic_config has no lock: nodes may each form a cluster of
//!   their own. RabbitMQ has no leader of the cluster (each quorum queue has its own).
//! - Ports: 5672 (AMQP), 25672 (Erlang distribution), 4369 (epmd).
//! - Credentials: the Erlang cookie for `rabbitmqctl` (root runs it as rabbitmq); the default
//!   `guest` user (localhost only).
//! - Measured (2 shared cores): 3 hosts boot in about 3 s, the cluster forms in 20-27 s more
//!   (host-1 alone 9.5 s, the other two side by side 7-9 s); a node's `systemctl restart
//!   rabbitmq-server` 6 s. More in `FACTS.md`. Each `rabbitmqctl` boots an Erlang VM: [`view`]
//!   costs about a second (0.6 s of CPU), so poll it no more than every few seconds.

use crate::lab::Lab;

/// The Erlang cookie every node shares.
pub const COOKIE: &str = "LABCOOKIEFORTHECLUSTERTESTS";

pub const CONFIG: &str = "/etc/rabbitmq/rabbitmq.conf";
pub const COOKIE_FILE: &str = "/var/lib/rabbitmq/.erlang.cookie";

/// The cluster's rabbitmq.conf (the same on every node).
pub fn config(lab: &Lab) -> String {
    let mut s = String::from("cluster_formation.peer_discovery_backend = classic_config\n");
    for (i, h) in lab.hosts.iter().enumerate() {
        s.push_str(&format!(
            "cluster_formation.classic_config.nodes.{} = rabbit@{}\n",
            i + 1,
            h.name
        ));
    }
    s
}

/// Configures every node, starts host-1, then the others; returns once every node sees all
/// nodes running and no partition.
pub fn form(lab: &Lab) {
    let cfg = config(lab);
    for i in 0..lab.hosts.len() {
        lab.exec(
            i,
            &format!(
                "cat > {CONFIG} <<'EOF'\n{cfg}EOF\n\
                 printf '%s' {COOKIE} > {COOKIE_FILE}\n\
                 chown rabbitmq:rabbitmq {COOKIE_FILE}\nchmod 400 {COOKIE_FILE}"
            ),
        );
    }
    lab.exec(0, "systemctl start rabbitmq-server");
    for i in 1..lab.hosts.len() {
        lab.exec(i, "systemctl start --no-block rabbitmq-server");
    }
    let whole = format!("running={} partitions=0", lab.hosts.len());
    lab.wait_whole(
        "rabbitmq",
        view,
        |_, v| v == whole,
        300,
        "systemctl status --no-pager -n 0 rabbitmq-server; \
         tail -n 20 /var/log/rabbitmq/rabbit@$(hostname).log",
    );
}

/// `running=3 partitions=0` (the lengths of `running_nodes` and `partitions` in
/// `rabbitmqctl cluster_status --formatter json`, as node `i` says them), `running=2
/// partitions=0 disk_nodes=3` when a node it knows is not running, or `down: <unit state>
/// <rabbitmqctl's error>`.
pub fn view(lab: &Lab, i: usize) -> String {
    let out = lab.exec_output(
        i,
        "state=$(systemctl is-active rabbitmq-server)\n\
         case $state in inactive|failed) echo \"$state\" >&2; exit 1;; esac\n\
         timeout 20 rabbitmqctl -q --timeout 10 cluster_status --formatter json || { echo \"$state\" >&2; exit 1; }",
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let Ok(status) = serde_json::from_str::<serde_json::Value>(text.trim()) else {
        let err = String::from_utf8_lossy(&out.stderr);
        let lines: Vec<&str> = err
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        return match lines.as_slice() {
            [] => "down: no answer".into(),
            [state] => format!("down: {state}"),
            [why, .., state] => format!("down: {state} ({why})"),
        };
    };
    let count = |key: &str| status[key].as_array().map_or(0, Vec::len);
    let partitions = status["partitions"]
        .as_object()
        .map_or_else(|| count("partitions"), |p| p.len());
    let running = count("running_nodes");
    let disk = count("disk_nodes");
    if disk > running {
        format!("running={running} partitions={partitions} disk_nodes={disk}")
    } else {
        format!("running={running} partitions={partitions}")
    }
}

/// Declares a durable quorum queue `name` in vhost `/` from node `i` (its members: every node
/// running then), without a client library: `rabbitmqctl eval` of `rabbit_amqqueue:declare`.
/// With one node stopped, the others are then quorum-critical
/// (`rabbitmq-queues check_if_node_is_quorum_critical` exits 69).
pub fn declare_quorum_queue(lab: &Lab, i: usize, name: &str) {
    let out = lab.exec(
        i,
        &format!(
            "rabbitmqctl eval 'rabbit_amqqueue:declare(rabbit_misc:r(<<\"/\">>, queue, \
             <<\"{name}\">>), true, false, [{{<<\"x-queue-type\">>, longstr, <<\"quorum\">>}}], \
             none, <<\"lab\">>).'"
        ),
    );
    assert!(
        out.starts_with("{new,") || out.starts_with("{existing,"),
        "declaring {name}: {out}"
    );
}
