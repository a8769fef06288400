//! A real PostgreSQL 15 primary with two streaming standbys (Debian's `postgresql`,
//! `postgresql@15-main`) on systemd test hosts: it forms, and every member sees it whole. The
//! cluster boots once; comeback's cluster runs go in this same test.

mod lab;

use lab::Lab;
use lab::cluster::postgresql;
use std::time::Instant;

#[test]
fn postgresql_cluster_forms() {
    let started = Instant::now();
    let lab = Lab::start_cluster_hosts(3, &[]);
    let booted = started.elapsed();
    postgresql::form(&lab);
    eprintln!(
        "postgresql: 3 hosts booted in {:.1} s, cluster formed in {:.1} s more",
        booted.as_secs_f64(),
        (started.elapsed() - booted).as_secs_f64()
    );
    assert_eq!(postgresql::view(&lab, 0), "primary streaming=2");
    for i in 1..3 {
        assert_eq!(
            postgresql::view(&lab, i),
            "standby streaming from host-1",
            "host-{}",
            i + 1
        );
    }
}
