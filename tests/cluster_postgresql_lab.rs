//! A real PostgreSQL 15 primary with two streaming standbys (Debian's `postgresql@15-main`),
//! booted once for every case: the dry run sees every standby streaming and orders the primary
//! last; a stopped standby makes a run refuse with nothing touched; a standby whose
//! `primary_conninfo` names a removed server is caught by the dry run; and the rolling restart
//! restarts the standbys one at a time, the primary last, each streaming again before the next.

mod lab;
mod output;

use lab::Lab;
use lab::cluster::{postgresql, watch};
use output::{assert_has, exited};

const UNIT: &str = "postgresql@15-main";

fn main_pid(lab: &Lab, i: usize) -> String {
    lab.exec(i, &format!("systemctl show -p MainPID --value {UNIT}"))
}

#[test]
fn postgresql_standbys_first_the_primary_last_each_streaming_again_before_the_next() {
    let lab = Lab::start_cluster("postgresql", postgresql::form);
    // pg_ctlcluster keeps the unit `activating` for seconds after the server accepts clients.
    let active = |i: usize| {
        assert!(
            lab.wait_until(i, &format!("systemctl is-active --quiet {UNIT}"), 30),
            "host-{} active",
            i + 1
        )
    };
    (0..3).for_each(active);
    let auto_conf = format!("{}/postgresql.auto.conf", postgresql::DATA);
    let plan = lab.cluster_plan(
        "postgresql",
        UNIT,
        &format!("{}, {auto_conf}", postgresql::CONFIG),
        5432,
        "kind: postgresql, timeout: 2m",
        "",
    );

    let dry = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&dry, 0);
    assert_has(
        &err,
        "cluster postgresql (postgresql): whole (host-1: primary, 2 standbys streaming; host-2: standby, streaming; host-3: standby, streaming); restart order: host-2, host-3, host-1 (host-1 is the primary: last)",
    );

    // A standby down: not whole, in PostgreSQL's words; nothing is touched.
    let before: Vec<String> = (0..3).map(|i| main_pid(&lab, i)).collect();
    lab.exec(2, &format!("systemctl stop {UNIT}"));
    let refused = lab.run("run", &plan, &["--yes"]);
    let err = exited(&refused, 1);
    assert_has(
        &err,
        "cluster postgresql is not whole: host-3 does not answer: psql: error: connection to server on socket \"/var/run/postgresql/.s.PGSQL.5432\" failed: No such file or directory; host-1 counts 2 members (the primary's streaming standbys and itself) where the plan has 3",
    );
    assert_eq!(main_pid(&lab, 0), before[0], "nothing was restarted");
    assert_eq!(main_pid(&lab, 1), before[1], "nothing was restarted");
    lab.exec(2, &format!("systemctl start {UNIT}"));
    active(2);
    let whole = |v: &str| v == "primary streaming=2" || v == "standby streaming from host-1";
    lab.wait_whole("postgresql", postgresql::view, |_, v| whole(v), 60, "true");

    // A standby still pointing at a server removed long ago: the dry run says so.
    let conf = lab.exec(2, &format!("cat {auto_conf}"));
    lab.exec(
        2,
        &format!("sed -i \"s/host=''host-1''/host=''pg-old''/\" {auto_conf}"),
    );
    let dry = lab.run("run", &plan, &["--dry-run"]);
    let err = exited(&dry, 3);
    assert_has(&err, "pg-old:5432  STALE: does not resolve from this host");
    lab.exec(2, &format!("cat > {auto_conf} <<'EOF'\n{conf}EOF"));

    // The rolling restart, watched from outside.
    let before: Vec<String> = (0..3).map(|i| main_pid(&lab, i)).collect();
    let (run, rounds) =
        watch::watching(&lab, postgresql::view, || lab.run("run", &plan, &["--yes"]));
    let err = exited(&run, 0);
    let down = |v: &str| v.starts_with("down");
    watch::one_at_a_time(&lab, &rounds, down, whole);
    for (i, pid) in before.iter().enumerate() {
        assert_ne!(&main_pid(&lab, i), pid, "host-{} was restarted", i + 1);
    }
    assert_eq!(
        watch::restarted(&lab.journal()),
        [
            "postgresql@host-2",
            "postgresql@host-3",
            "postgresql@host-1"
        ],
        "the primary last"
    );
    assert_has(
        &err,
        "[1/3] postgresql@host-1 cluster after the restart: whole",
    );
    assert_eq!(postgresql::view(&lab, 0), "primary streaming=2");

    // A full outage, the primary stopped first: the cold start brings the primary up first
    // (the member without standby.signal), then the standbys, each streaming before the next.
    for i in 0..3 {
        lab.exec(i, &format!("systemctl stop {UNIT}"));
    }
    let run = lab.run(
        "run",
        &plan,
        &["--cold-start", "--only", "postgresql", "--yes"],
    );
    let err = exited(&run, 0);
    assert_has(&err, "cold start of postgresql: host-1 first, the primary");
    assert_eq!(
        watch::restarted(&lab.journal())[0],
        "postgresql@host-1",
        "the primary first"
    );
    (0..3).for_each(active);
    lab.wait_whole("postgresql", postgresql::view, |_, v| whole(v), 60, "true");

    // A failover, then a full outage: host-2 was promoted and took writes after host-1
    // stopped, but host-1's data directory still says primary. The newest data (a later
    // timeline, read from each member's control file) decides, and host-1 is named.
    lab.exec(0, &format!("systemctl stop {UNIT}"));
    lab.exec(
        1,
        "pg_ctlcluster 15 main promote\n\
         for i in $(seq 50); do [ \"$(runuser -u postgres -- psql -XAtc 'select pg_is_in_recovery()')\" = f ] && break; sleep 0.2; done\n\
         runuser -u postgres -- psql -XAtc 'create table after_failover (x int); insert into after_failover values (1)'",
    );
    for i in 1..3 {
        lab.exec(i, &format!("systemctl stop {UNIT}"));
    }
    let dry = lab.run(
        "run",
        &plan,
        &["--cold-start", "--only", "postgresql", "--dry-run"],
    );
    let err = exited(&dry, 0);
    assert_has(
        &err,
        "cold start of postgresql: host-2 first, the primary (the newest data, LSN ",
    );
    assert_has(&err, ", timeline 2)");
    assert_has(
        &err,
        "host-1 also says it is the primary (an old primary after a failover?)",
    );
}
