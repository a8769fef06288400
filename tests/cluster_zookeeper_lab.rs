//! A real three-member ZooKeeper ensemble (zookeeperd, its unit generated from Debian's init
//! script), booted once for every case: the dry run sees one leader and orders it last; a
//! stopped follower makes a run refuse with nothing touched; a `server.N=` line naming a
//! removed member is caught by the dry run; and the rolling restart restarts the followers one
//! at a time and the leader last, each serving again before the next. Watched from outside:
//! never two members down at once.

mod lab;
mod output;

use lab::Lab;
use lab::cluster::{watch, zookeeper};
use output::{assert_has, exited};

fn pid(lab: &Lab, i: usize) -> String {
    lab.exec(i, "cat /run/zookeeper/zookeeper.pid")
}

#[test]
fn zookeeper_followers_first_and_the_leader_last() {
    let lab = Lab::start_cluster("zookeeper", zookeeper::form);
    let l = zookeeper::leader(&lab).expect("a leader");
    let leader = lab.hosts[l].name.clone();
    let followers: Vec<usize> = (0..3).filter(|&i| i != l).collect();
    let name = |i: usize| lab.hosts[i].name.clone();
    let plan = lab.cluster_plan(
        "zookeeper",
        "zookeeper",
        zookeeper::CONFIG,
        2181,
        "kind: zookeeper, timeout: 2m",
        "",
    );

    let dry = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&dry, 0);
    assert_has(
        &err,
        &format!(
            "restart order: {}, {}, {leader} ({leader} is the leader: last)",
            name(followers[0]),
            name(followers[1])
        ),
    );
    assert_has(&err, &format!("{leader}: Mode: leader"));

    // A follower down: not whole, in the words of what answered; nothing is touched.
    let f = followers[1];
    let before: Vec<String> = (0..3).map(|i| pid(&lab, i)).collect();
    lab.exec(f, "systemctl stop zookeeper");
    let refused = lab.run("run", &plan, &["--yes"]);
    let err = exited(&refused, 1);
    assert_has(
        &err,
        &format!(
            "cluster zookeeper (zookeeper): NOT whole: {} does not answer: bash: connect: Connection refused",
            name(f)
        ),
    );
    assert_eq!(pid(&lab, l), before[l], "nothing was restarted");
    lab.exec(f, "systemctl start zookeeper");
    let whole = |v: &str| v == "Mode: leader" || v == "Mode: follower";
    lab.wait_whole("zookeeper", zookeeper::view, |_, v| whole(v), 60, "true");

    // A member removed long ago, still in one member's zoo.cfg: the dry run says so.
    lab.exec(
        0,
        &format!("echo 'server.9=zk-old:2888:3888' >> {}", zookeeper::CONFIG),
    );
    let dry = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&dry, 3);
    assert_has(&err, "zk-old:3888  STALE: does not resolve from this host");
    lab.exec(0, &format!("sed -i '/zk-old/d' {}", zookeeper::CONFIG));

    // The rolling restart, watched from outside.
    let before: Vec<String> = (0..3).map(|i| pid(&lab, i)).collect();
    let (run, rounds) =
        watch::watching(&lab, zookeeper::view, || lab.run("run", &plan, &["--yes"]));
    let err = exited(&run, 0);
    // The leader's restart leaves the two others electing (not serving) for a moment: that is
    // ZooKeeper's way, and it has no command to hand the lead over first.
    watch::one_at_a_time(&lab, &rounds, |v| v.starts_with("down"), whole);
    for (i, p) in before.iter().enumerate() {
        assert_ne!(&pid(&lab, i), p, "host-{} was restarted", i + 1);
    }
    assert_eq!(
        watch::restarted(&lab.journal()),
        [
            format!("zookeeper@{}", name(followers[0])),
            format!("zookeeper@{}", name(followers[1])),
            format!("zookeeper@{leader}"),
        ],
        "the leader last"
    );
    assert_has(
        &err,
        &format!("zookeeper@{leader} cluster after the restart: whole"),
    );

    // A full outage: a cold start brings a quorum up side by side (each member waits for
    // one), then the third.
    for i in 0..3 {
        lab.exec(i, "systemctl stop zookeeper");
    }
    let run = lab.run(
        "run",
        &plan,
        &["--cold-start", "--only", "zookeeper", "--yes"],
    );
    let err = exited(&run, 0);
    assert_has(
        &err,
        "cold start of zookeeper: host-1 first, host-1, host-2 started side by side",
    );
    let mut restarted = watch::restarted(&lab.journal());
    restarted[..2].sort();
    assert_eq!(
        restarted,
        ["zookeeper@host-1", "zookeeper@host-2", "zookeeper@host-3"]
    );
    lab.wait_whole("zookeeper", zookeeper::view, |_, v| whole(v), 60, "true");
}
