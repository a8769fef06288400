//! A real three-node RabbitMQ cluster (rabbitmq-server 3.10, classic_config peer discovery)
//! with a quorum queue on all three, booted once for every case: the dry run sees every node
//! running; a stopped node makes a run refuse with nothing touched (the others are then
//! quorum-critical, in RabbitMQ's words); a node a config names that was removed is caught by
//! the dry run; and the rolling restart restarts the nodes one at a time in the plan's order,
//! the cluster whole (no node quorum-critical) again before the next.

mod lab;
mod output;

use lab::Lab;
use lab::cluster::{rabbitmq, watch};
use output::{assert_has, exited};

fn main_pid(lab: &Lab, i: usize) -> String {
    lab.exec(i, "systemctl show -p MainPID --value rabbitmq-server")
}

#[test]
fn rabbitmq_nodes_one_at_a_time_and_never_while_a_quorum_queue_is_critical() {
    let lab = Lab::start_cluster("rabbitmq", rabbitmq::form);
    rabbitmq::declare_quorum_queue(&lab, 0, "orders");
    let plan = lab.cluster_plan(
        "rabbitmq",
        "rabbitmq-server",
        rabbitmq::CONFIG,
        5672,
        "kind: rabbitmq, timeout: 3m",
        "",
    );

    let dry = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&dry, 0);
    assert_has(
        &err,
        "cluster rabbitmq (rabbitmq): whole (host-1: running, 3 running nodes; host-2: running, 3 running nodes; host-3: running, 3 running nodes); restart order: host-1, host-2, host-3",
    );

    // A node down: the two others are quorum-critical for `orders`; nothing is touched.
    let before: Vec<String> = (0..3).map(|i| main_pid(&lab, i)).collect();
    lab.exec(2, "systemctl stop rabbitmq-server");
    let refused = lab.run("run", &plan, &["--yes"]);
    let err = exited(&refused, 1);
    assert_has(
        &err,
        "host-1 is quorum critical: queue 'orders' in vhost '/' would lose quorum if node rabbit@host-1 is stopped",
    );
    assert_has(
        &err,
        "host-3 does not answer: Error: unable to perform an operation on node 'rabbit@host-3'",
    );
    assert_eq!(main_pid(&lab, 0), before[0], "nothing was restarted");
    assert_eq!(main_pid(&lab, 1), before[1], "nothing was restarted");
    lab.exec(2, "systemctl start rabbitmq-server");
    let whole = |v: &str| v == "running=3 partitions=0";
    lab.wait_whole("rabbitmq", rabbitmq::view, |_, v| whole(v), 90, "true");

    // A node removed long ago, still named by one node's config: the dry run says so.
    lab.exec(
        0,
        &format!(
            "echo 'cluster_formation.classic_config.nodes.9 = rabbit@mq-old' >> {}",
            rabbitmq::CONFIG
        ),
    );
    let dry = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&dry, 3);
    assert_has(&err, "mq-old  STALE: does not resolve from this host");
    lab.exec(0, &format!("sed -i '/mq-old/d' {}", rabbitmq::CONFIG));

    // The rolling restart, watched from outside.
    let before: Vec<String> = (0..3).map(|i| main_pid(&lab, i)).collect();
    let (run, rounds) = watch::watching(&lab, rabbitmq::view, || lab.run("run", &plan, &["--yes"]));
    let err = exited(&run, 0);
    let order = watch::one_at_a_time(&lab, &rounds, |v| v.starts_with("down"), whole);
    assert_eq!(order, ["host-1", "host-2", "host-3"], "{err}");
    for (i, pid) in before.iter().enumerate() {
        assert_ne!(&main_pid(&lab, i), pid, "host-{} was restarted", i + 1);
    }
    assert_has(
        &err,
        "[3/3] rabbitmq@host-3 cluster after the restart: whole",
    );

    // A full outage, host-3 the last node to stop: it goes first (the others would wait for
    // it), then the others join it one at a time.
    for i in 0..3 {
        lab.exec(i, "systemctl stop rabbitmq-server");
    }
    let cold = ["--cold-start", "--only", "rabbitmq"];
    let dry = lab.run("run", &plan, &[&cold[..], &["--dry-run"]].concat());
    let err = exited(&dry, 0);
    assert_has(
        &err,
        "cold start of rabbitmq: host-3 first, the last node to stop (nodes_running_at_shutdown names only itself)",
    );
    let run = lab.run("run", &plan, &[&cold[..], &["--yes"]].concat());
    let err = exited(&run, 0);
    assert_eq!(
        watch::restarted(&lab.journal()),
        ["rabbitmq@host-3", "rabbitmq@host-1", "rabbitmq@host-2"],
        "{err}"
    );
    lab.wait_whole("rabbitmq", rabbitmq::view, |_, v| whole(v), 120, "true");
}
