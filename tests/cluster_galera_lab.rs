//! A real three-member Galera cluster (mariadb-server + galera-4) on systemd test hosts, booted
//! once for every case: comeback's dry run sees it whole; a member in `Donor/Desynced` makes a
//! run refuse with nothing touched, in Galera's own words; a config that names a removed member
//! is caught by the dry run; and a rolling restart, watched from outside, never has two members
//! out and has the cluster whole again before the next member goes down.

mod lab;
mod output;

use lab::Lab;
use lab::cluster::{galera, watch};
use output::{assert_has, exited};
use serde_json::Value;

fn main_pids(lab: &Lab) -> Vec<String> {
    (0..3)
        .map(|i| lab.exec(i, "systemctl show -p MainPID --value mariadb"))
        .collect()
}

#[test]
fn galera_rolls_one_member_at_a_time_and_refuses_a_degraded_cluster() {
    let lab = Lab::start_cluster("galera", galera::form);
    let plan = lab.cluster_plan(
        "galera",
        "mariadb",
        galera::CONFIG,
        3306,
        "kind: galera, timeout: 2m",
        "    impact: Orders fail while the cluster has no quorum.\n",
    );

    // The dry run asks every member and sees the cluster whole.
    let dry = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&dry, 0);
    assert_has(
        &err,
        "cluster galera (galera): whole (host-1: Synced; host-2: Synced; host-3: Synced); restart order: host-1, host-2, host-3",
    );
    assert_has(
        &err,
        "cluster galera would come back from a full outage: yes, from any member (all at seqno ",
    );

    // A member that desynced (as a donor does) makes the cluster not whole: nothing is touched.
    let before = main_pids(&lab);
    lab.exec(2, "mysql -e 'SET GLOBAL wsrep_desync = ON'");
    let refused = lab.run("run", &plan, &["--yes"]);
    let err = exited(&refused, 1);
    assert_has(
        &err,
        "cluster galera is not whole: host-3 is Donor/Desynced; comeback does not take a member of a degraded cluster down",
    );
    assert_eq!(main_pids(&lab), before, "nothing was restarted");
    // The takeover audit lists it among the risks.
    let audit = lab.run("audit", &plan, &[]);
    let report = std::fs::read_to_string(lab.last_run().join("report.md")).expect("report");
    assert!(
        report.contains("| galera | cluster galera is not whole: host-3 is Donor/Desynced |"),
        "exit {:?}: {report}",
        audit.status.code()
    );
    lab.exec(2, "mysql -e 'SET GLOBAL wsrep_desync = OFF'");
    lab.wait_whole(
        "galera",
        galera::view,
        |_, v| v == "Primary Synced size=3",
        60,
        "true",
    );

    // A member removed a year ago, still named in one member's config: the dry run says so.
    let config = lab.exec(0, &format!("cat {}", galera::CONFIG));
    lab.exec(
        0,
        &format!(
            "sed -i 's#gcomm://host-1,#gcomm://host-1,db-old,#' {}",
            galera::CONFIG
        ),
    );
    let dry = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&dry, 3);
    assert_has(&err, "db-old  STALE: does not resolve from this host");
    assert_has(
        &err,
        "cluster galera would come back from a full outage: no, host-1's config names db-old, which does not resolve",
    );
    // A config that lists the members but leaves one out: said, not blocking.
    lab.exec(
        0,
        &format!(
            "sed -i 's#gcomm://.*#gcomm://host-1,host-2#' {}",
            galera::CONFIG
        ),
    );
    let dry = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&dry, 0);
    assert_has(
        &err,
        "warning: /etc/mysql/mariadb.conf.d/60-galera.cnf lists the members of cluster galera but not host-3",
    );
    lab.exec(0, &format!("cat > {} <<'EOF'\n{config}EOF", galera::CONFIG));

    // The rolling restart, watched from outside.
    let (run, rounds) = watch::watching(&lab, galera::view, || lab.run("run", &plan, &["--yes"]));
    let err = exited(&run, 0);
    let out_of_cluster = |v: &str| !v.starts_with("Primary");
    let whole = |v: &str| v == "Primary Synced size=3";
    let order = watch::one_at_a_time(&lab, &rounds, out_of_cluster, whole);
    assert_eq!(order, ["host-1", "host-2", "host-3"], "{err}");
    let after = main_pids(&lab);
    for i in 0..3 {
        assert_ne!(after[i], before[i], "host-{} was restarted", i + 1);
    }
    assert_has(&err, "cluster after the restart: whole");

    // The journal and the report keep the cluster before and after each member.
    let journal = lab.journal();
    let views: Vec<(&str, Option<u64>, bool)> = journal
        .iter()
        .filter(|r| r["event"] == "cluster_viewed")
        .map(|r| {
            (
                r["moment"].as_str().unwrap_or(""),
                r["index"].as_u64(),
                r["problems"].as_array().is_some_and(|p| p.is_empty()),
            )
        })
        .collect();
    for index in 1..=3 {
        for moment in ["before", "after"] {
            assert!(
                views.contains(&(moment, Some(index), true)),
                "a whole view {moment} step {index}: {views:?}"
            );
        }
    }
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(lab.last_run().join("report.json")).expect("report"),
    )
    .expect("json");
    assert_eq!(report["clusters"][0]["service"], "galera");
    assert_eq!(report["clusters"][0]["whole"], true);
    assert_eq!(report["steps"][2]["cluster"][1]["moment"], "after");
    assert_eq!(
        report["steps"][2]["cluster"][1]["members"][2]["state"],
        "Synced"
    );

    cold_start(&lab, &plan);
}

/// `systemctl is-active mariadb` on each member.
fn states(lab: &Lab) -> Vec<String> {
    (0..3)
        .map(|i| {
            let out = lab.exec_output(i, "systemctl is-active mariadb");
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        })
        .collect()
}

/// After a full stop, member by member, the dry run names the last one stopped and the cold
/// start brings the cluster back from it to three Synced members; refused while one runs.
fn cold_start(lab: &Lab, plan: &std::path::Path) {
    lab.exec(2, "systemctl stop mariadb");
    lab.exec(0, "systemctl stop mariadb");
    let refused = lab.run("run", plan, &["--cold-start", "--only", "galera", "--yes"]);
    let err = exited(&refused, 2);
    assert_has(
        &err,
        "cold start of galera refused: host-2 (Synced) still runs",
    );
    assert_eq!(
        states(lab),
        ["inactive", "active", "inactive"],
        "nothing touched"
    );
    lab.exec(1, "systemctl stop mariadb");
    let grastate = lab.exec(1, "cat /var/lib/mysql/grastate.dat");
    assert!(grastate.contains("safe_to_bootstrap: 1"), "{grastate}");

    let dry = lab.run(
        "run",
        plan,
        &["--cold-start", "--only", "galera", "--dry-run"],
    );
    let err = exited(&dry, 0);
    assert_has(
        &err,
        "cold start of galera: host-2 first, bootstrapped with galera_new_cluster (grastate.dat safe_to_bootstrap: 1, seqno ",
    );
    assert_eq!(
        states(lab),
        ["inactive", "inactive", "inactive"],
        "a dry run starts nothing"
    );

    let (run, rounds) = watch::watching(lab, galera::view, || {
        lab.run("run", plan, &["--cold-start", "--only", "galera", "--yes"])
    });
    let err = exited(&run, 0);
    assert_eq!(
        watch::restarted(&lab.journal()),
        ["galera@host-2", "galera@host-1", "galera@host-3"],
        "the last one stopped first: {err}"
    );
    // From outside: host-2 alone and Primary before any other member came up.
    let first_up = rounds
        .iter()
        .find(|r| r.iter().any(|v| v.starts_with("Primary")))
        .expect("a member came up");
    assert!(
        first_up[1].starts_with("Primary Synced size=1") && !first_up[0].starts_with("Primary"),
        "{}",
        first_up.join(" | ")
    );
    for i in 0..3 {
        assert_eq!(
            galera::view(lab, i),
            "Primary Synced size=3",
            "host-{}",
            i + 1
        );
    }

    // A crash of every member leaves no position and no safe member (seqno -1,
    // safe_to_bootstrap 0, as a kill -9 leaves grastate.dat): galera_recovery finds them.
    for i in [2, 1, 0] {
        lab.exec(i, "systemctl stop mariadb");
        lab.exec(
            i,
            "sed -i 's/^seqno:.*/seqno:   -1/; s/^safe_to_bootstrap:.*/safe_to_bootstrap: 0/' /var/lib/mysql/grastate.dat",
        );
    }
    let dry = lab.run(
        "run",
        plan,
        &["--cold-start", "--only", "galera", "--dry-run"],
    );
    let err = exited(&dry, 0);
    assert_has(
        &err,
        "cold start of galera: the most advanced member first, once galera_recovery (mysqld --wsrep-recover) has learnt the position of host-1, host-2, host-3 (crashed: seqno -1)",
    );
    let run = lab.run("run", plan, &["--cold-start", "--only", "galera", "--yes"]);
    let err = exited(&run, 0);
    assert_has(
        &err,
        "cold start of galera: host-1 first, bootstrapped with galera_new_cluster (seqno ",
    );
    assert_has(
        &err,
        "the most advanced; safe_to_bootstrap is set to 1 first)",
    );
    for i in 0..3 {
        assert_eq!(
            galera::view(lab, i),
            "Primary Synced size=3",
            "host-{}",
            i + 1
        );
    }
}
