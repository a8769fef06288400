//! A real three-member etcd cluster (etcd-server 3.4) on systemd test hosts: it forms, and
//! every member sees the same leader and three members. The cluster boots once; comeback's
//! cluster runs go in this same test.

mod lab;

use lab::Lab;
use lab::cluster::etcd;
use std::time::Instant;

#[test]
fn etcd_cluster_forms() {
    let started = Instant::now();
    let lab = Lab::start_cluster_hosts(3, &[]);
    let booted = started.elapsed();
    etcd::form(&lab);
    eprintln!(
        "etcd: 3 hosts booted in {:.1} s, cluster formed in {:.1} s more",
        booted.as_secs_f64(),
        (started.elapsed() - booted).as_secs_f64()
    );
    let leader = etcd::leader(&lab, 0).expect("a leader");
    assert!(
        lab.hosts.iter().any(|h| h.name == leader),
        "leader {leader}"
    );
    for i in 0..3 {
        assert_eq!(
            etcd::view(&lab, i),
            format!("leader={leader} members=3"),
            "host-{}",
            i + 1
        );
    }
}
