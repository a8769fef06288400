//! A real three-member etcd 3.4 cluster (etcd-server), booted once for every case: the dry
//! run sees one leader and orders it last; a stopped follower makes a run refuse with nothing
//! touched; an `ETCD_INITIAL_CLUSTER` naming a removed member is caught by the dry run; and the
//! rolling restart with `switchover: true` restarts the followers one at a time, moves the lead
//! (`etcdctl move-leader`), then restarts the former leader. Watched from outside: never two
//! members down at once.

mod lab;
mod output;

use lab::Lab;
use lab::cluster::{etcd, watch};
use output::{assert_has, exited};

fn main_pid(lab: &Lab, i: usize) -> String {
    lab.exec(i, "systemctl show -p MainPID --value etcd")
}

#[test]
fn etcd_followers_first_then_the_lead_moves_and_the_former_leader_restarts() {
    let lab = Lab::start_cluster("etcd", etcd::form);
    let leader = etcd::leader(&lab, 0).expect("a leader");
    let l = lab
        .hosts
        .iter()
        .position(|h| h.name == leader)
        .expect("a member");
    let followers: Vec<String> = lab
        .hosts
        .iter()
        .map(|h| h.name.clone())
        .filter(|h| *h != leader)
        .collect();
    let plan = lab.cluster_plan(
        "etcd",
        "etcd",
        etcd::CONFIG,
        2379,
        "kind: etcd, switchover: true, timeout: 2m",
        "",
    );

    let dry = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&dry, 0);
    assert_has(
        &err,
        &format!(
            "restart order: {}, {}, {leader} ({leader} is the leader: last)",
            followers[0], followers[1]
        ),
    );
    assert_has(&err, &format!("{leader}: leader (term "));
    assert_has(
        &err,
        &format!("{}: follower of {leader} (term ", followers[0]),
    );

    // A follower down: not whole, in etcdctl's words; nothing is touched.
    let f = lab
        .hosts
        .iter()
        .position(|h| h.name == followers[1])
        .expect("a member");
    let before: Vec<String> = (0..3).map(|i| main_pid(&lab, i)).collect();
    lab.exec(f, "systemctl stop etcd");
    let refused = lab.run("run", &plan, &["--yes"]);
    let err = exited(&refused, 1);
    assert_has(
        &err,
        &format!(
            "cluster etcd (etcd): NOT whole: {} does not answer: Failed to get the status of endpoint 127.0.0.1:2379 (context deadline exceeded)",
            followers[1]
        ),
    );
    assert_eq!(main_pid(&lab, l), before[l], "nothing was restarted");
    lab.exec(f, "systemctl start etcd");
    let whole = |v: &str| v.starts_with("leader=host-") && v.ends_with(" members=3");
    lab.wait_whole("etcd", etcd::view, |_, v| whole(v), 60, "true");

    // A member removed long ago, still in one member's initial cluster: the dry run says so.
    let config = lab.exec(0, &format!("cat {}", etcd::CONFIG));
    lab.exec(
        0,
        &format!(
            "sed -i 's#^ETCD_INITIAL_CLUSTER=#ETCD_INITIAL_CLUSTER=etcd-old=http://etcd-old:2380,#' {}",
            etcd::CONFIG
        ),
    );
    let dry = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&dry, 3);
    assert_has(
        &err,
        "etcd-old:2380  STALE: does not resolve from this host",
    );
    lab.exec(0, &format!("cat > {} <<'EOF'\n{config}EOF", etcd::CONFIG));

    // The rolling restart with a switchover, watched from outside.
    let before: Vec<String> = (0..3).map(|i| main_pid(&lab, i)).collect();
    let (run, rounds) = watch::watching(&lab, etcd::view, || lab.run("run", &plan, &["--yes"]));
    let err = exited(&run, 0);
    watch::one_at_a_time(&lab, &rounds, |v| v.starts_with("down"), whole);
    for (i, pid) in before.iter().enumerate() {
        assert_ne!(&main_pid(&lab, i), pid, "host-{} was restarted", i + 1);
    }
    let journal = lab.journal();
    assert_eq!(
        watch::restarted(&journal),
        [
            format!("etcd@{}", followers[0]),
            format!("etcd@{}", followers[1]),
            format!("etcd@{leader}"),
        ],
        "the leader last"
    );
    let moved = watch::leaders_at(&journal, "switchover");
    assert!(
        moved.len() == 1 && moved[0] != leader,
        "the lead moved away from {leader} before its restart: {moved:?}"
    );
    assert_has(&err, "cluster after the switchover: whole");

    // A full outage: a cold start brings a quorum up side by side, then the last member.
    for i in 0..3 {
        lab.exec(i, "systemctl stop etcd");
    }
    let cold = ["--cold-start", "--only", "etcd"];
    let dry = lab.run("run", &plan, &[&cold[..], &["--dry-run"]].concat());
    let err = exited(&dry, 0);
    assert_has(
        &err,
        "cold start of etcd: host-1 first, host-1, host-2 started side by side (each etcd member serves only within a quorum, 2 of 3), each checked once they are up",
    );
    let states: Vec<String> = (0..3)
        .map(|i| lab.exec(i, "systemctl is-active etcd || true"))
        .collect();
    assert!(
        states.iter().all(|s| s != "active" && s != "activating"),
        "the dry run started nothing: {states:?}"
    );
    let run = lab.run("run", &plan, &[&cold[..], &["--yes"]].concat());
    let err = exited(&run, 0);
    assert_has(
        &err,
        "batch 1 of etcd: etcd@host-1, etcd@host-2 side by side",
    );
    let mut restarted = watch::restarted(&lab.journal());
    restarted[..2].sort();
    assert_eq!(restarted, ["etcd@host-1", "etcd@host-2", "etcd@host-3"]);
    lab.wait_whole("etcd", etcd::view, |_, v| whole(v), 60, "true");
}
