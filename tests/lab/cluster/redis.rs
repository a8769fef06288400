//! A Redis primary with two replicas and a Sentinel on each member (Debian's `redis-server` and
//! `redis-sentinel` 7.0), on `host-1`..`host-3`, units `redis-server` and `redis-sentinel`.
//!
//! - At start `host-1` is the primary; `host-2` and `host-3` are its replicas
//!   (`replicaof host-1 6379`, by name).
//! - Configs: `/etc/redis/redis.conf` (Debian's, edited: `bind 127.0.0.1 <host address>`, then
//!   the lab's lines appended at the end) and `/etc/redis/sentinel.conf` (written whole:
//!   `sentinel monitor mymaster host-1 6379 2` with `sentinel resolve-hostnames yes`,
//!   down-after 5000 ms, failover-timeout 10000 ms). Names throughout: each redis announces
//!   itself by name (`replica-announce-ip host-N`), each Sentinel too (`sentinel
//!   announce-hostnames yes`, `sentinel announce-ip host-N`), so the primary stays a name in
//!   `sentinel monitor` when Sentinel rewrites it (without `announce-hostnames` Sentinel
//!   rewrites it to the address at its first start). Sentinel and `CONFIG REWRITE` rewrite both
//!   files when the primary moves.
//! - Ports: 6379 (redis), 26379 (sentinel), on 127.0.0.1 and the host's address.
//! - Credentials: [`form`] sets the password [`PASSWORD`] on every member (`requirepass` and
//!   `masterauth` in redis.conf, `sentinel auth-pass mymaster` in sentinel.conf), the way
//!   comeback must read it (from the member's own config); the Sentinels themselves have no
//!   password. [`form_with`]`(lab, None)` forms the same cluster without any password.
//! - Measured (2 shared cores): 3 hosts boot in about 2 s, the cluster forms in 5-11 s more
//!   (the replicas' first full sync waits Debian's `repl-diskless-sync-delay` of 5 s); a
//!   replica's `systemctl restart redis-server` 0.25 s, link up within a second; a Sentinel
//!   switchover is whole again about 17 s after it is asked. More in `FACTS.md`.

use crate::lab::Lab;

/// The password every member has with [`form`].
pub const PASSWORD: &str = "lab-redis-secret";

pub const CONFIG: &str = "/etc/redis/redis.conf";
pub const SENTINEL_CONFIG: &str = "/etc/redis/sentinel.conf";

/// `redis-cli` with the password the member's own redis.conf holds, if any (a rewritten config
/// quotes it).
const CLI: &str = "pw=$(sed -n 's/^requirepass //p' /etc/redis/redis.conf | tr -d '\"'); \
[ -n \"$pw\" ] && export REDISCLI_AUTH=\"$pw\"; ";

/// The lines appended to member `i`'s redis.conf.
pub fn config_tail(lab: &Lab, i: usize, password: Option<&str>) -> String {
    let mut s = format!(
        "\n# the lab's cluster\nreplica-announce-ip {}\n",
        lab.hosts[i].name
    );
    match password {
        Some(pw) => s.push_str(&format!("requirepass {pw}\nmasterauth {pw}\n")),
        // Debian's `protected-mode yes` refuses other hosts when there is no password.
        None => s.push_str("protected-mode no\n"),
    }
    if i != 0 {
        s.push_str(&format!("replicaof {} 6379\n", lab.hosts[0].name));
    }
    s
}

/// Member `i`'s sentinel.conf.
pub fn sentinel_config(lab: &Lab, i: usize, password: Option<&str>) -> String {
    let mut s = format!(
        "port 26379\n\
         bind 127.0.0.1 {address}\n\
         protected-mode no\n\
         daemonize yes\n\
         pidfile /run/sentinel/redis-sentinel.pid\n\
         logfile /var/log/redis/redis-sentinel.log\n\
         dir /var/lib/redis\n\
         sentinel resolve-hostnames yes\n\
         sentinel announce-hostnames yes\n\
         sentinel announce-ip {name}\n\
         sentinel monitor mymaster {primary} 6379 2\n\
         sentinel down-after-milliseconds mymaster 5000\n\
         sentinel failover-timeout mymaster 10000\n\
         sentinel parallel-syncs mymaster 1\n\
         sentinel deny-scripts-reconfig yes\n",
        address = lab.hosts[i].address,
        name = lab.hosts[i].name,
        primary = lab.hosts[0].name,
    );
    if let Some(pw) = password {
        s.push_str(&format!("sentinel auth-pass mymaster {pw}\n"));
    }
    s
}

/// [`form`] with the password [`PASSWORD`] on every member.
pub fn form(lab: &Lab) {
    form_with(lab, Some(PASSWORD));
}

/// Configures every member (with `password` or none), starts the primary, the replicas, then
/// the Sentinels; returns once the primary sees every replica online, every replica's link is
/// up, and every Sentinel knows the primary, both replicas and the two other Sentinels.
pub fn form_with(lab: &Lab, password: Option<&str>) {
    for i in 0..lab.hosts.len() {
        lab.exec(
            i,
            &format!(
                "sed -i 's/^bind .*/bind 127.0.0.1 {address}/' {CONFIG}\n\
                 cat >> {CONFIG} <<'EOF'\n{tail}EOF\n\
                 cat > {SENTINEL_CONFIG} <<'EOF'\n{sentinel}EOF",
                address = lab.hosts[i].address,
                tail = config_tail(lab, i, password),
                sentinel = sentinel_config(lab, i, password),
            ),
        );
    }
    lab.exec(0, "systemctl start redis-server");
    for i in 1..lab.hosts.len() {
        lab.exec(i, "systemctl start --no-block redis-server");
    }
    for i in 0..lab.hosts.len() {
        lab.exec(i, "systemctl start --no-block redis-sentinel");
    }
    let n = lab.hosts.len();
    let sentinel = format!(
        "sentinel: master={} replicas={} sentinels={n}",
        lab.hosts[0].name,
        n - 1
    );
    let primary = format!(
        "role:master replicas={} online={}; {sentinel}",
        n - 1,
        n - 1
    );
    let replica = format!(
        "role:slave link:up master={}; {sentinel}",
        lab.hosts[0].name
    );
    lab.wait_whole(
        "redis",
        view,
        |i, v| v == if i == 0 { &primary } else { &replica },
        60,
        "tail -n 15 /var/log/redis/redis-server.log /var/log/redis/redis-sentinel.log; \
         systemctl status --no-pager -n 0 redis-server redis-sentinel",
    );
}

/// Member `i` as it sees itself (`INFO replication`) and as its Sentinel sees the primary
/// (`SENTINEL master mymaster`), in one line:
/// `role:master replicas=2 online=2; sentinel: master=host-1 replicas=2 sentinels=3` or
/// `role:slave link:up master=host-1; sentinel: ...`; `down: ...` for a part that does not
/// answer.
pub fn view(lab: &Lab, i: usize) -> String {
    let out = lab.exec_output(
        i,
        &format!(
            "{CLI}timeout 3 redis-cli INFO replication 2>&1 || echo \"down: $(systemctl is-active redis-server)\"\n\
             echo '--sentinel--'; unset REDISCLI_AUTH\n\
             timeout 3 redis-cli -p 26379 SENTINEL master mymaster 2>&1 || echo \"down: $(systemctl is-active redis-sentinel)\""
        ),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let (info, sentinel) = text.split_once("--sentinel--").unwrap_or((&text, ""));
    format!(
        "{}; sentinel: {}",
        replication(info),
        sentinel_line(sentinel)
    )
}

/// `INFO replication` in a few words.
fn replication(info: &str) -> String {
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.trim().strip_prefix(name)?.strip_prefix(':'))
            .map(str::to_string)
    };
    match field("role").as_deref() {
        Some("master") => {
            let online = info
                .lines()
                .filter(|l| l.starts_with("slave") && l.contains("state=online"))
                .count();
            format!(
                "role:master replicas={} online={online}",
                field("connected_slaves").unwrap_or_else(|| "?".into())
            )
        }
        Some(role) => format!(
            "role:{role} link:{} master={}",
            field("master_link_status").unwrap_or_else(|| "?".into()),
            field("master_host").unwrap_or_else(|| "?".into())
        ),
        None => down(info),
    }
}

/// `SENTINEL master mymaster` (name and value on alternate lines) in a few words.
fn sentinel_line(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let get = |name: &str| {
        lines
            .iter()
            .position(|l| *l == name)
            .and_then(|p| lines.get(p + 1))
            .map(|v| v.to_string())
    };
    match (get("ip"), get("num-slaves"), get("num-other-sentinels")) {
        (Some(ip), Some(slaves), Some(others)) => {
            let sentinels = others
                .parse::<usize>()
                .map_or(others, |n| (n + 1).to_string());
            let flags = get("flags").unwrap_or_default();
            let flags = if flags == "master" {
                String::new()
            } else {
                format!(" flags={flags}")
            };
            format!("master={ip} replicas={slaves} sentinels={sentinels}{flags}")
        }
        _ => down(text),
    }
}

fn down(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let state = lines.iter().find(|l| l.starts_with("down:"));
    let why = lines.iter().find(|l| !l.starts_with("down:"));
    match (state, why) {
        (Some(state), Some(why)) => format!("{state} ({why})"),
        (Some(state), None) => state.to_string(),
        (None, Some(why)) => format!("down: {why}"),
        (None, None) => "down: no answer".into(),
    }
}
