//! A real three-node RabbitMQ cluster (rabbitmq-server 3.10, classic_config peer discovery) on
//! systemd test hosts: it forms, and every node sees three running nodes and no partition. The
//! cluster boots once; comeback's cluster runs go in this same test.

mod lab;

use lab::Lab;
use lab::cluster::rabbitmq;
use std::time::Instant;

#[test]
fn rabbitmq_cluster_forms() {
    let started = Instant::now();
    let lab = Lab::start_cluster_hosts(3, &[]);
    let booted = started.elapsed();
    rabbitmq::form(&lab);
    eprintln!(
        "rabbitmq: 3 hosts booted in {:.1} s, cluster formed in {:.1} s more",
        booted.as_secs_f64(),
        (started.elapsed() - booted).as_secs_f64()
    );
    for i in 0..3 {
        assert_eq!(
            rabbitmq::view(&lab, i),
            "running=3 partitions=0",
            "host-{}",
            i + 1
        );
    }
    // A quorum queue on all three: no node is quorum-critical while all run.
    rabbitmq::declare_quorum_queue(&lab, 0, "lab-qq");
    let check = lab.exec_output(1, "rabbitmq-queues check_if_node_is_quorum_critical");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}
