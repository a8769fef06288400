//! A real three-member Galera cluster (mariadb-server + galera-4) on systemd test hosts: it
//! forms, and every member sees it whole. The cluster boots once; comeback's cluster runs go in
//! this same test.

mod lab;

use lab::Lab;
use lab::cluster::galera;
use std::time::Instant;

#[test]
fn galera_cluster_forms() {
    let started = Instant::now();
    let lab = Lab::start_cluster_hosts(3, &[]);
    let booted = started.elapsed();
    galera::form(&lab);
    eprintln!(
        "galera: 3 hosts booted in {:.1} s, cluster formed in {:.1} s more",
        booted.as_secs_f64(),
        (started.elapsed() - booted).as_secs_f64()
    );
    for i in 0..3 {
        assert_eq!(
            galera::view(&lab, i),
            "Primary Synced size=3",
            "host-{}",
            i + 1
        );
    }
}
