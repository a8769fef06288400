//! `comeback discover` on real clusters: a three-member Galera (mariadb-server + galera-4), a
//! Redis primary with two replicas and their Sentinels, and a PostgreSQL primary with two
//! streaming standbys, on the same three systemd hosts (one boot for all). The draft writes
//! `cluster:` with kind `galera`, `redis` and `postgresql` and the three members, the Redis and
//! PostgreSQL primaries as the ones that lead now, no cluster of the Sentinels, and passes
//! `check`; the dry run of that draft sees every cluster whole.

mod lab;
mod output;

use comeback::cluster::Kind;
use comeback::plan;
use lab::Lab;
use lab::cluster::{galera, postgresql, redis};
use output::{assert_has, exited};
use std::time::Instant;

#[test]
fn discover_writes_the_galera_redis_and_postgresql_clusters_it_sees_with_their_members() {
    let started = Instant::now();
    let lab = Lab::start_cluster_hosts(3, &[]);
    galera::form(&lab);
    redis::form(&lab);
    postgresql::form(&lab);
    let formed = started.elapsed();
    let root = lab.root.path();
    let skeleton = lab.plan_with("", "  {}\n");
    let draft = root.join("draft.yaml");
    let report = root.join("discovery.md");
    let out = lab.run(
        "discover",
        &skeleton,
        &[
            "--out",
            draft.to_str().expect("utf8"),
            "--report",
            report.to_str().expect("utf8"),
        ],
    );
    let err = exited(&out, 0);
    let yaml = std::fs::read_to_string(&draft).expect("draft written");
    let md = std::fs::read_to_string(&report).expect("report written");
    eprintln!(
        "clusters formed in {:.1} s, discover took {:.1} s more\n{err}",
        formed.as_secs_f64(),
        (started.elapsed() - formed).as_secs_f64()
    );
    if std::env::var_os("DISCOVER_SHOW").is_some() {
        eprintln!("{yaml}\n{md}");
    }
    assert_has(&err, "3 clusters");

    let loaded = plan::load(&draft).unwrap_or_else(|e| panic!("{}\n{yaml}", e.render()));
    let m = &loaded.model;
    let cluster = |name: &str| -> (Option<Kind>, Vec<String>) {
        let s = m
            .services
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no service {name}:\n{yaml}"));
        (
            s.cluster.as_ref().map(|c| c.kind),
            s.instances
                .iter()
                .map(|i| m.hosts[i.host].name.clone())
                .collect(),
        )
    };
    let all: Vec<String> = lab.hosts.iter().map(|h| h.name.clone()).collect();
    assert_eq!(
        cluster("mariadb"),
        (Some(Kind::Galera), all.clone()),
        "{yaml}"
    );
    assert_eq!(
        cluster("redis-server"),
        (Some(Kind::Redis), all.clone()),
        "{yaml}"
    );
    assert_eq!(
        cluster("postgresql-15-main"),
        (Some(Kind::Postgresql), all.clone()),
        "{yaml}"
    );
    // A Sentinel watches the cluster; it is none.
    assert_eq!(cluster("redis-sentinel").0, None, "{yaml}");
    assert_has(&yaml, "cluster: { kind: galera }\n");
    assert_has(&yaml, "cluster: { kind: redis }\n");
    assert_has(
        &yaml,
        "# leads now: host-1 (the primary: host-2, host-3 replicate from it); the run asks the cluster again\n",
    );
    assert_has(
        &yaml,
        "# leads now: host-1 (the primary (walsender side): host-2, host-3 stream from it); the run asks the cluster again\n",
    );
    assert!(!yaml.contains("switchover"), "{yaml}");
    assert_has(&md, "## Clusters");
    // Naming the other members is what a cluster's config does: no note for each of them.
    assert!(!md.contains("where no single service matches"), "{md}");
    assert_has(
        &md,
        "| mariadb | galera (`cluster:` written) | host-1, host-2, host-3 | - |",
    );
    assert_has(
        &md,
        "| redis-server | redis (`cluster:` written) | host-1, host-2, host-3 | host-1 (the primary: host-2, host-3 replicate from it; the run asks again) |",
    );

    // The draft passes `check`, and its dry run asks both clusters and finds them whole.
    exited(
        &lab.comeback()
            .arg("check")
            .arg(&draft)
            .output()
            .expect("check"),
        0,
    );
    let dry = lab.run("run", &draft, &["--dry-run"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&dry.stdout),
        String::from_utf8_lossy(&dry.stderr)
    );
    assert_has(&text, "cluster mariadb (galera): whole");
    assert_has(&text, "cluster redis-server (redis): whole");
    assert_has(&text, "cluster postgresql-15-main (postgresql): whole");
}
