//! A real three-member ZooKeeper ensemble (zookeeperd 3.8) on systemd test hosts: it forms,
//! with one leader and two followers. The ensemble boots once; comeback's cluster runs go in
//! this same test.

mod lab;

use lab::Lab;
use lab::cluster::zookeeper;
use std::time::Instant;

#[test]
fn zookeeper_cluster_forms() {
    let started = Instant::now();
    let lab = Lab::start_cluster_hosts(3, &[]);
    let booted = started.elapsed();
    zookeeper::form(&lab);
    eprintln!(
        "zookeeper: 3 hosts booted in {:.1} s, ensemble formed in {:.1} s more",
        booted.as_secs_f64(),
        (started.elapsed() - booted).as_secs_f64()
    );
    let leader = zookeeper::leader(&lab).expect("a leader");
    for i in 0..3 {
        let expected = if i == leader {
            "Mode: leader"
        } else {
            "Mode: follower"
        };
        assert_eq!(zookeeper::view(&lab, i), expected, "host-{}", i + 1);
    }
}
