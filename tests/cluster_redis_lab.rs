//! A real Redis primary with two replicas and a Sentinel on each member (redis-server +
//! redis-sentinel, with a password) on systemd test hosts: it forms, and every member sees it
//! whole. The cluster boots once; comeback's cluster runs go in this same test.

mod lab;

use lab::Lab;
use lab::cluster::redis;
use std::time::Instant;

#[test]
fn redis_cluster_forms() {
    let started = Instant::now();
    let lab = Lab::start_cluster_hosts(3, &[]);
    let booted = started.elapsed();
    redis::form(&lab);
    eprintln!(
        "redis: 3 hosts booted in {:.1} s, cluster formed in {:.1} s more",
        booted.as_secs_f64(),
        (started.elapsed() - booted).as_secs_f64()
    );
    let sentinel = "sentinel: master=host-1 replicas=2 sentinels=3";
    assert_eq!(
        redis::view(&lab, 0),
        format!("role:master replicas=2 online=2; {sentinel}")
    );
    for i in 1..3 {
        assert_eq!(
            redis::view(&lab, i),
            format!("role:slave link:up master=host-1; {sentinel}"),
            "host-{}",
            i + 1
        );
    }
}
