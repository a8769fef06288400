//! The readers of each kind on answers as the real clients print them, and the whole verdict.

use super::*;

fn answer(stdout: &str) -> Answer {
    Answer {
        code: Some(0),
        stdout: stdout.into(),
        stderr: String::new(),
    }
}

fn failed(stderr: &str) -> Answer {
    Answer {
        code: Some(1),
        stdout: String::new(),
        stderr: stderr.into(),
    }
}

fn view(kind: Kind, answers: &[(&str, Answer)]) -> View {
    View {
        members: answers
            .iter()
            .map(|(h, a)| read(kind, h, std::slice::from_ref(a)))
            .collect(),
    }
}

fn galera(state: &str, status: &str, size: u32) -> Answer {
    answer(&format!(
        "wsrep_cluster_size\t{size}\nwsrep_cluster_status\t{status}\nwsrep_local_state_comment\t{state}\nwsrep_ready\tON\n"
    ))
}

#[test]
fn galera_is_whole_when_every_member_is_primary_synced_and_counts_all() {
    let whole = view(
        Kind::Galera,
        &[
            ("db-01", galera("Synced", "Primary", 3)),
            ("db-02", galera("Synced", "Primary", 3)),
            ("db-03", galera("Synced", "Primary", 3)),
        ],
    );
    assert_eq!(whole.problems(Kind::Galera), Vec::<String>::new());
    assert_eq!(whole.leader(), None, "Galera members are peers");

    let donor = view(
        Kind::Galera,
        &[
            ("db-01", galera("Synced", "Primary", 3)),
            ("db-02", galera("Synced", "Primary", 3)),
            ("db-03", galera("Donor/Desynced", "Primary", 3)),
        ],
    );
    assert_eq!(donor.problems(Kind::Galera), ["db-03 is Donor/Desynced"]);

    let split = view(
        Kind::Galera,
        &[
            ("db-01", galera("Synced", "Primary", 2)),
            ("db-02", galera("Synced", "Primary", 2)),
            ("db-03", galera("Initialized", "non-Primary", 1)),
        ],
    );
    assert_eq!(
        split.problems(Kind::Galera),
        [
            "db-03 is non-Primary, Initialized",
            "db-01 counts 2 members (wsrep_cluster_size) where the plan has 3",
            "db-02 counts 2 members (wsrep_cluster_size) where the plan has 3",
        ]
    );

    let down = view(
        Kind::Galera,
        &[(
            "db-01",
            failed(
                "ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (2)\n",
            ),
        )],
    );
    assert_eq!(
        down.problems(Kind::Galera),
        [
            "db-01 does not answer: ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (2)"
        ]
    );
}

const PRIMARY: &str = "# Replication\r\nrole:master\r\nconnected_slaves:2\r\nslave0:ip=10.0.0.2,port=6379,state=online,offset=3207,lag=0\r\nslave1:ip=10.0.0.3,port=6379,state=online,offset=3207,lag=1\r\nmaster_failover_state:no-failover\r\n";
const REPLICA: &str = "# Replication\r\nrole:slave\r\nmaster_host:host-1\r\nmaster_port:6379\r\nmaster_link_status:up\r\nmaster_last_io_seconds_ago:1\r\nmaster_sync_in_progress:0\r\n";

#[test]
fn redis_is_whole_when_the_primary_sees_every_replica_online() {
    let whole = view(
        Kind::Redis,
        &[
            ("cache-01", answer(PRIMARY)),
            ("cache-02", answer(REPLICA)),
            ("cache-03", answer(REPLICA)),
        ],
    );
    assert_eq!(whole.problems(Kind::Redis), Vec::<String>::new());
    assert_eq!(whole.leader(), Some(0));
    assert_eq!(whole.members[0].state, "role:master, 2 replicas online");
    assert_eq!(whole.members[1].state, "role:slave of host-1:6379, link up");

    let down_link = REPLICA.replace("link_status:up", "link_status:down");
    let one_down = PRIMARY.replace("state=online,offset=3207,lag=1", "state=wait_bgsave");
    let degraded = view(
        Kind::Redis,
        &[
            ("cache-01", answer(&one_down)),
            ("cache-02", answer(REPLICA)),
            ("cache-03", answer(&down_link)),
        ],
    );
    assert_eq!(
        degraded.problems(Kind::Redis),
        [
            "cache-03 is role:slave of host-1:6379, link down",
            "cache-01 counts 2 members (the primary's online replicas and itself) where the plan has 3",
        ]
    );

    // After a failover and before Sentinel converts the old primary: two say master.
    let two = view(
        Kind::Redis,
        &[
            (
                "cache-01",
                answer(&PRIMARY.replace("connected_slaves:2", "x")),
            ),
            ("cache-02", answer(PRIMARY)),
            ("cache-03", answer(REPLICA)),
        ],
    );
    assert_eq!(two.leader(), None);
    assert_eq!(
        two.problems(Kind::Redis),
        ["cache-01, cache-02 all say they are the primary"]
    );

    let noauth = view(
        Kind::Redis,
        &[("cache-01", answer("NOAUTH Authentication required.\n"))],
    );
    assert_eq!(
        noauth.members[0].state,
        "does not answer: NOAUTH Authentication required."
    );
}

#[test]
fn redis_reads_the_password_on_the_host_and_never_puts_it_in_the_command() {
    let cluster = Cluster {
        kind: Kind::Redis,
        client: vec!["redis-cli".into(), "-p".into(), "6380".into()],
        timeout: DEFAULT_TIMEOUT,
        switchover: true,
        commands: Vec::new(),
    };
    let q = &questions(
        &cluster,
        0,
        &[
            "/etc/redis/my redis.conf".into(),
            "/etc/redis/sentinel.conf".into(),
        ],
    )[0];
    assert!(
        q.script
            .contains("/etc/redis/redis.conf '/etc/redis/my redis.conf'"),
        "{}",
        q.script
    );
    assert!(!q.script.contains("sentinel.conf"), "{}", q.script);
    assert!(q.script.contains("REDISCLI_AUTH"));
    assert!(
        q.script.ends_with("redis-cli -p 6380 INFO replication"),
        "{}",
        q.script
    );
}

#[test]
fn postgresql_is_whole_when_every_standby_streams_from_the_one_primary() {
    let primary = answer("recovery=false\nstandby=15/main,streaming\nstandby=15/main,streaming\n");
    let standby = answer("recovery=true\nreceiver=streaming\n");
    let whole = view(
        Kind::Postgresql,
        &[
            ("pg-1", primary.clone()),
            ("pg-2", standby.clone()),
            ("pg-3", standby.clone()),
        ],
    );
    assert_eq!(whole.problems(Kind::Postgresql), Vec::<String>::new());
    assert_eq!(whole.leader(), Some(0));
    let lagging = view(
        Kind::Postgresql,
        &[
            (
                "pg-1",
                answer("recovery=false\nstandby=15/main,streaming\nstandby=15/main,catchup\n"),
            ),
            ("pg-2", standby),
            ("pg-3", answer("recovery=true\n")),
        ],
    );
    assert_eq!(
        lagging.problems(Kind::Postgresql),
        [
            "pg-3 is standby, no WAL receiver (not streaming from a primary)",
            "pg-1 counts 2 members (the primary's streaming standbys and itself) where the plan has 3",
        ]
    );
}

fn etcd(own: u64, leader: u64) -> Answer {
    answer(&format!(
        r#"[{{"Endpoint":"127.0.0.1:2379","Status":{{"header":{{"cluster_id":17237436991929493444,"member_id":{own},"revision":1,"raft_term":3}},"version":"3.4.23","dbSize":20480,"leader":{leader},"raftIndex":9,"raftTerm":3,"raftAppliedIndex":9,"dbSizeInUse":20480}}}}]
--- members
{{"header":{{"cluster_id":17237436991929493444,"member_id":{own},"raft_term":3}},"members":[{{"ID":10276657743932975437,"name":"host-1","peerURLs":["http://host-1:2380"],"clientURLs":["http://10.0.0.1:2379"]}},{{"ID":10501334649042878790,"name":"host-2","peerURLs":["http://host-2:2380"]}},{{"ID":18249187646912138824,"name":"host-3","peerURLs":["http://host-3:2380"]}}]}}
"#
    ))
}

#[test]
fn etcd_is_whole_with_one_leader_seen_by_all_and_moves_it_to_a_follower() {
    let (a, b, c) = (
        10276657743932975437,
        10501334649042878790,
        18249187646912138824,
    );
    let whole = view(
        Kind::Etcd,
        &[
            ("host-1", etcd(a, a)),
            ("host-2", etcd(b, a)),
            ("host-3", etcd(c, a)),
        ],
    );
    assert_eq!(whole.problems(Kind::Etcd), Vec::<String>::new());
    assert_eq!(whole.leader(), Some(0));
    assert_eq!(whole.members[0].state, "leader (term 3)");
    assert_eq!(whole.members[1].state, "follower of host-1 (term 3)");
    let cluster = Cluster {
        kind: Kind::Etcd,
        client: Vec::new(),
        timeout: DEFAULT_TIMEOUT,
        switchover: true,
        commands: Vec::new(),
    };
    let moved = switchover(&cluster, &whole, "10.0.0.1").expect("a follower to move to");
    assert!(
        moved
            .script
            .ends_with(&format!("etcdctl move-leader {b:x}")),
        "{}",
        moved.script
    );

    let lost = view(
        Kind::Etcd,
        &[
            ("host-1", etcd(a, 0)),
            ("host-2", failed("Error: context deadline exceeded")),
        ],
    );
    assert_eq!(
        lost.problems(Kind::Etcd),
        [
            "host-1 is no leader (term 3)",
            "host-2 does not answer: Error: context deadline exceeded"
        ]
    );
}

#[test]
fn zookeeper_is_whole_with_one_leader_and_serving_followers() {
    let srvr = |mode: &str| {
        answer(&format!(
            "Zookeeper version: 3.8.0-debian, built on 2023-01-09 00:00 UTC\nLatency min/avg/max: 0/0.0/0\nReceived: 3\nSent: 2\nConnections: 1\nOutstanding: 0\nZxid: 0x100000000\nMode: {mode}\nNode count: 5\n"
        ))
    };
    let whole = view(
        Kind::Zookeeper,
        &[
            ("zk-1", srvr("follower")),
            ("zk-2", srvr("leader")),
            ("zk-3", srvr("follower")),
        ],
    );
    assert_eq!(whole.problems(Kind::Zookeeper), Vec::<String>::new());
    assert_eq!(whole.leader(), Some(1));
    let electing = view(
        Kind::Zookeeper,
        &[
            (
                "zk-1",
                answer("This ZooKeeper instance is not currently serving requests\n"),
            ),
            ("zk-2", srvr("leader")),
        ],
    );
    assert_eq!(
        electing.problems(Kind::Zookeeper),
        ["zk-1 is not serving requests (no quorum, or still electing)"]
    );
}

#[test]
fn rabbitmq_is_whole_when_every_node_runs_unpartitioned_and_none_is_quorum_critical() {
    let status = |running: &str, quorum: &str| {
        answer(&format!(
            "{{\"alarms\":[],\"cluster_name\":\"rabbit@host-1\",\"disk_nodes\":[\"rabbit@host-1\",\"rabbit@host-2\",\"rabbit@host-3\"],\"running_nodes\":[{running}],\"partitions\":{{}}}}\n--- quorum\n{quorum}"
        ))
    };
    let all = r#""rabbit@host-1","rabbit@host-2","rabbit@host-3""#;
    let whole = view(
        Kind::Rabbitmq,
        &[
            ("host-1", status(all, "exit=0\n")),
            ("host-2", status(all, "exit=0\n")),
            ("host-3", status(all, "exit=0\n")),
        ],
    );
    assert_eq!(whole.problems(Kind::Rabbitmq), Vec::<String>::new());
    let two = r#""rabbit@host-1","rabbit@host-2""#;
    let degraded = view(
        Kind::Rabbitmq,
        &[
            (
                "host-1",
                status(
                    two,
                    "exit=69\nError: node rabbit@host-1 is quorum critical for queue orders\n",
                ),
            ),
            ("host-2", status(two, "exit=0\n")),
            (
                "host-3",
                failed("Error: unable to perform an operation on node 'rabbit@host-3'."),
            ),
        ],
    );
    assert_eq!(
        degraded.problems(Kind::Rabbitmq),
        [
            "host-1 is quorum critical: Error: node rabbit@host-1 is quorum critical for queue orders",
            "host-3 does not answer: Error: unable to perform an operation on node 'rabbit@host-3'.",
            "host-2 counts 2 running nodes where the plan has 3",
        ]
    );
    // Coming back from cold, the nodes started so far: quorum-critical is no problem yet.
    assert!(degraded.started().problems(Kind::Rabbitmq).is_empty());
}

#[test]
fn a_command_cluster_is_what_its_commands_say() {
    let no = Answer {
        code: Some(1),
        stdout: "nodes: 2 up".into(),
        stderr: String::new(),
    };
    let v = View {
        members: vec![
            read(Kind::Command, "mq-1", &[answer(""), answer("")]),
            read(Kind::Command, "mq-2", &[no.clone(), no]),
        ],
    };
    assert_eq!(v.leader(), Some(0));
    assert_eq!(
        v.problems(Kind::Command),
        ["mq-2 is not whole (`whole` exited 1): nodes: 2 up"]
    );
}

#[test]
fn hostile_answers_never_panic_and_stay_on_one_bounded_line() {
    let junk = format!(
        "role:{}\n\u{1b}[2J\r\nMode: {}\nwsrep_cluster_status\t\n",
        "x".repeat(100_000),
        "é".repeat(50_000)
    );
    for kind in [
        Kind::Galera,
        Kind::Redis,
        Kind::Postgresql,
        Kind::Etcd,
        Kind::Zookeeper,
        Kind::Rabbitmq,
        Kind::Command,
    ] {
        let m = read(kind, "h", &[answer(&junk), answer(&junk)]);
        assert!(!m.state.contains('\n'), "{kind}: {}", m.state);
        assert!(
            m.state.chars().count() < 300,
            "{kind}: {} chars",
            m.state.len()
        );
    }
}

#[test]
fn a_member_the_config_leaves_out_is_told_only_where_configs_list_them_all() {
    let members = [
        ("db-01", "10.0.0.1"),
        ("db-02", "10.0.0.2"),
        ("db-03", "10.0.0.3"),
    ];
    assert_eq!(
        unnamed_members(Kind::Galera, &["db-01", "10.0.0.2"], &members),
        ["db-03"]
    );
    assert!(unnamed_members(Kind::Galera, &["DB-01", "db-02", "db-03"], &members).is_empty());
    assert!(
        unnamed_members(Kind::Galera, &[], &members).is_empty(),
        "a config naming no member says nothing"
    );
    assert!(
        unnamed_members(Kind::Redis, &["db-01"], &members).is_empty(),
        "a replica names its primary only"
    );
}

#[test]
fn the_verdict_names_the_member_to_come_back_from_or_why_not() {
    let at = |seqno: u32| {
        answer(&format!(
            "wsrep_cluster_size\t3\nwsrep_cluster_status\tPrimary\nwsrep_local_state_comment\tSynced\nwsrep_last_committed\t{seqno}\n"
        ))
    };
    let even = view(
        Kind::Galera,
        &[("db-01", at(7)), ("db-02", at(7)), ("db-03", at(7))],
    );
    let v = verdict(Kind::Galera, &even, &[]).expect("a verdict");
    assert!(v.comes_back && v.from.is_none(), "{v}");
    assert!(
        v.to_string()
            .starts_with("yes, from any member (all at seqno 7)"),
        "{v}"
    );
    let ahead = view(
        Kind::Galera,
        &[("db-01", at(7)), ("db-02", at(9)), ("db-03", at(7))],
    );
    let v = verdict(Kind::Galera, &ahead, &[]).expect("a verdict");
    assert_eq!(v.from.as_deref(), Some("db-02"));
    assert_eq!(
        v.to_string(),
        "yes, from db-02 (seqno 9, the most advanced)"
    );
    let gone = [(
        "db-01".to_string(),
        "db-old".to_string(),
        "does not resolve".to_string(),
    )];
    let v = verdict(Kind::Galera, &even, &gone).expect("a verdict");
    assert!(!v.comes_back);
    assert_eq!(
        v.to_string(),
        "no, db-01's config names db-old, which does not resolve: after a full outage that member would not start, or not find the others"
    );
    let primary = view(
        Kind::Redis,
        &[
            ("c-1", answer(PRIMARY)),
            ("c-2", answer(REPLICA)),
            ("c-3", answer(REPLICA)),
        ],
    );
    assert_eq!(
        verdict(Kind::Redis, &primary, &[])
            .expect("a verdict")
            .from
            .as_deref(),
        Some("c-1")
    );
}

/// The switchover asks the Sentinel to fail over the master that is this member, not the first
/// one it monitors.
#[test]
fn a_sentinel_fails_over_this_members_primary_among_several() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cli = dir.path().join("redis-cli");
    std::fs::write(
        &cli,
        "#!/bin/sh\ncase \"$*\" in\n\
         *'SENTINEL masters'*) printf 'name\\nother\\nip\\n10.9.9.9\\nport\\n6379\\nflags\\nmaster\\nname\\ncache\\nip\\n10.0.0.1\\nport\\n6379\\nflags\\nmaster\\n';;\n\
         *'SENTINEL FAILOVER'*) echo OK;;\n\
         esac\n",
    )
    .expect("fake client");
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&cli)
        .status()
        .expect("chmod");
    let cluster = Cluster {
        kind: Kind::Redis,
        client: vec![cli.display().to_string()],
        timeout: DEFAULT_TIMEOUT,
        switchover: true,
        commands: Vec::new(),
    };
    let view = view(
        Kind::Redis,
        &[("cache-01", answer(PRIMARY)), ("cache-02", answer(REPLICA))],
    );
    let command = switchover(&cluster, &view, "10.0.0.1").expect("a command");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(&command.script)
        .output()
        .expect("sh");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "sentinel failover cache: OK",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn etcd_and_zookeeper_come_back_while_a_quorum_of_the_named_members_is_left() {
    let srvr = |mode: &str| answer(&format!("Mode: {mode}\n"));
    let whole = view(
        Kind::Zookeeper,
        &[
            ("zk-1", srvr("follower")),
            ("zk-2", srvr("leader")),
            ("zk-3", srvr("follower")),
        ],
    );
    let gone = |host: &str| {
        (
            "zk-1".to_string(),
            host.to_string(),
            "does not resolve".to_string(),
        )
    };
    let one = verdict(Kind::Zookeeper, &whole, &[gone("zk-old")]).expect("a verdict");
    assert!(one.comes_back, "3 of 4 is a quorum: {one}");
    assert!(
        one.why
            .contains("3 of the 4 members its configs name are left, a quorum is 3"),
        "{one}"
    );
    let three = verdict(
        Kind::Zookeeper,
        &whole,
        &[gone("zk-old"), gone("zk-older"), gone("zk-oldest")],
    )
    .expect("a verdict");
    assert!(!three.comes_back, "3 of 6 is no quorum: {three}");
}
