//! A real Redis primary with two replicas and a Sentinel on each member (redis-server +
//! redis-sentinel, with a password), booted once for every case: the dry run sees the cluster
//! whole and orders the primary last; a stopped replica makes a run refuse with nothing
//! touched; a Sentinel config naming a removed replica is caught by the dry run; and the
//! rolling restart with `switchover: true` restarts the replicas, has Sentinel fail the primary
//! over, then restarts the former primary, which comes back as a replica. Watched from outside:
//! never two members out at once. The password never shows.

mod lab;
mod output;

use lab::Lab;
use lab::cluster::{redis, watch};
use output::{assert_has, exited};

fn main_pid(lab: &Lab, i: usize) -> String {
    lab.exec(i, "systemctl show -p MainPID --value redis-server")
}

#[test]
fn redis_replicas_first_then_a_sentinel_switchover_and_the_old_primary_as_a_replica() {
    let lab = Lab::start_cluster("redis", redis::form);
    let plan = lab.cluster_plan(
        "redis",
        "redis-server",
        redis::CONFIG,
        6379,
        "kind: redis, switchover: true, timeout: 2m",
        &format!(
            "  sentinel:\n    hosts: [host-1, host-2, host-3]\n    depends_on: [redis]\n    unit: redis-sentinel\n    configs: [{}]\n    health: [{{ tcp: 26379 }}]\n",
            redis::SENTINEL_CONFIG
        ),
    );

    let dry = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&dry, 0);
    assert_has(
        &err,
        "cluster redis (redis): whole (host-1: role:master, 2 replicas online; host-2: role:slave of host-1:6379, link up; host-3: role:slave of host-1:6379, link up); restart order: host-2, host-3, host-1 (host-1 is the primary: last)",
    );

    // A replica down: the cluster is not whole, in Redis's words; nothing is touched.
    let before: Vec<String> = (0..3).map(|i| main_pid(&lab, i)).collect();
    lab.exec(2, "systemctl stop redis-server");
    let refused = lab.run("run", &plan, &["--yes"]);
    let err = exited(&refused, 1);
    assert_has(
        &err,
        "cluster redis is not whole: host-3 does not answer: Could not connect to Redis at 127.0.0.1:6379: Connection refused; host-1 counts 2 members (the primary's online replicas and itself) where the plan has 3",
    );
    assert_eq!(main_pid(&lab, 0), before[0], "nothing was restarted");
    assert_eq!(main_pid(&lab, 1), before[1], "nothing was restarted");
    lab.exec(2, "systemctl start redis-server");
    let replica = |v: &str| v.starts_with("role:slave link:up master=host-1;");
    lab.wait_whole(
        "redis",
        redis::view,
        |i, v| {
            if i == 0 {
                v.starts_with("role:master replicas=2 online=2;")
            } else {
                replica(v)
            }
        },
        60,
        "true",
    );

    // A replica removed long ago, still known to a Sentinel: the dry run says so.
    lab.exec(
        0,
        &format!(
            "echo 'sentinel known-replica mymaster redis-old 6379' >> {}",
            redis::SENTINEL_CONFIG
        ),
    );
    let dry = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&dry, 3);
    assert_has(
        &err,
        "redis-old:6379  STALE: does not resolve from this host",
    );
    lab.exec(
        0,
        &format!("sed -i '/redis-old/d' {}", redis::SENTINEL_CONFIG),
    );

    // The rolling restart with a switchover, watched from outside.
    let before: Vec<String> = (0..3).map(|i| main_pid(&lab, i)).collect();
    let (run, rounds) = watch::watching(&lab, redis::view, || lab.run("run", &plan, &["--yes"]));
    let err = exited(&run, 0);
    // Restarted: down. After the failover every replica resyncs with the new primary (its link
    // down for a moment, the former primary's for the 5 s of a full sync): one at a time too.
    let down = |v: &str| v.starts_with("down");
    let whole = |v: &str| {
        v.starts_with("role:master replicas=2 online=2;") || v.starts_with("role:slave link:up")
    };
    watch::one_at_a_time(&lab, &rounds, down, whole);
    for round in &rounds {
        let lost = round
            .iter()
            .filter(|v| down(v) || v.contains("link:down"))
            .count();
        assert!(lost <= 1, "two members out at once: {}", round.join(" | "));
    }
    for (i, pid) in before.iter().enumerate() {
        assert_ne!(&main_pid(&lab, i), pid, "host-{} was restarted", i + 1);
    }
    let journal = lab.journal();
    assert_eq!(
        watch::restarted(&journal)[..3],
        ["redis@host-2", "redis@host-3", "redis@host-1"],
        "the primary last"
    );
    assert_has(
        &err,
        "[1/6] redis@host-1 cluster after the switchover: whole",
    );
    let leader = watch::leaders_at(&journal, "switchover");
    assert!(leader == ["host-2"] || leader == ["host-3"], "{leader:?}");
    // The former primary came back as a replica of the new one.
    let new_primary = &leader[0];
    assert!(
        redis::view(&lab, 0).starts_with(&format!("role:slave link:up master={new_primary};")),
        "{}",
        redis::view(&lab, 0)
    );

    // The password never shows: not in the output, the journal or the report.
    let report = std::fs::read_to_string(lab.last_run().join("report.json")).expect("report");
    let journal_text =
        std::fs::read_to_string(lab.last_run().join("journal.jsonl")).expect("journal");
    for text in [&err, &report, &journal_text] {
        assert!(!text.contains(redis::PASSWORD), "the password shows");
    }

    // A full outage: every redis-server stopped (the Sentinels, with no replica to promote,
    // change nothing). The cold start brings the current primary up first, read from the
    // members' own configs (the primary's follows no one), then the replicas.
    for i in 0..3 {
        lab.exec(i, "systemctl stop redis-server");
    }
    let p = lab
        .hosts
        .iter()
        .position(|h| &h.name == new_primary)
        .expect("a member");
    let plan_cold = lab.cluster_plan(
        "redis",
        "redis-server",
        redis::CONFIG,
        6379,
        "kind: redis, timeout: 2m",
        "",
    );
    let run = lab.run(
        "run",
        &plan_cold,
        &["--cold-start", "--only", "redis", "--yes"],
    );
    let err = exited(&run, 0);
    assert_has(
        &err,
        &format!("cold start of redis: {new_primary} first, the primary"),
    );
    assert_eq!(
        watch::restarted(&lab.journal())[0],
        format!("redis@{new_primary}"),
        "the primary first"
    );
    assert!(
        redis::view(&lab, p).starts_with("role:master replicas=2 online=2;"),
        "{}",
        redis::view(&lab, p)
    );
}
