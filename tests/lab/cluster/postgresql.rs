//! A PostgreSQL 15 primary with two streaming standbys (Debian's `postgresql`: the cluster
//! `15/main` runs as `postgresql@15-main`, `PartOf` the `postgresql` umbrella), on
//! `host-1`..`host-3`.
//!
//! - At start `host-1` is the primary; `host-2` and `host-3` are standbys made by
//!   `pg_basebackup -R` from `host-1`: their `primary_conninfo` (in the data directory's
//!   `postgresql.auto.conf`, beside `standby.signal`) names `host=host-1`, user `replicator`,
//!   `application_name=host-N` (so `pg_stat_replication` names them). No replication slots.
//! - Configs: `/etc/postgresql/15/main/conf.d/60-cluster.conf` (`listen_addresses = '*'`,
//!   `wal_keep_size = 128MB`), `/etc/postgresql/15/main/pg_hba.conf` (Debian's, with the lab
//!   subnet 10.77.0.0/24 allowed for `replication` and `all` by scram-sha-256), and on standbys
//!   `/var/lib/postgresql/15/main/postgresql.auto.conf`.
//! - Port 5432.
//! - Credentials: local queries as `postgres` by peer auth (`runuser -u postgres -- psql`); the
//!   replication role `replicator` has the password [`PASSWORD`], which every member keeps in
//!   `/var/lib/postgresql/.pgpass` (so `primary_conninfo` holds none).
//! - Measured (2 shared cores): 3 hosts boot in about 2.5 s, the cluster forms in about 4 s
//!   more; a standby's restart 2.5 s (down 0.3 s of it); after the primary's restart the
//!   standbys stream again within about 5 s (their WAL receiver's retry). More in `FACTS.md`.

use crate::lab::Lab;

/// The password of the replication role `replicator`.
pub const PASSWORD: &str = "lab-repl-secret";

pub const CONFIG: &str = "/etc/postgresql/15/main/conf.d/60-cluster.conf";
pub const HBA: &str = "/etc/postgresql/15/main/pg_hba.conf";
pub const DATA: &str = "/var/lib/postgresql/15/main";

/// psql as postgres over the unix socket, one value per line, no psqlrc.
const PSQL: &str = "runuser -u postgres -- timeout 5 psql -XAtq";

/// One line saying what the member is: `primary streaming=N` or `standby <status> from
/// <sender_host>` (`standby none` without a WAL receiver).
const VIEW_SQL: &str = "SELECT CASE WHEN pg_is_in_recovery() THEN 'standby ' || \
coalesce((SELECT status || ' from ' || coalesce(sender_host, '?') FROM pg_stat_wal_receiver), 'none') \
ELSE 'primary streaming=' || (SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming') END";

/// Configures every member; starts the primary, creates the replication role, clones each
/// standby with `pg_basebackup -R` and starts it; returns once the primary sees every standby
/// streaming and each standby streams from host-1.
pub fn form(lab: &Lab) {
    let subnet = format!("{}.0/24", crate::lab::nshost::SUBNET);
    for i in 0..lab.hosts.len() {
        lab.exec(
            i,
            &format!(
                "cat > {CONFIG} <<'EOF'\nlisten_addresses = '*'\nwal_keep_size = 128MB\nEOF\n\
                 cat >> {HBA} <<'EOF'\n# the lab's cluster\n\
                 host    replication     replicator      {subnet}          scram-sha-256\n\
                 host    all             all             {subnet}          scram-sha-256\nEOF\n\
                 echo '*:*:*:replicator:{PASSWORD}' > /var/lib/postgresql/.pgpass\n\
                 chown postgres:postgres /var/lib/postgresql/.pgpass\n\
                 chmod 600 /var/lib/postgresql/.pgpass"
            ),
        );
    }
    lab.exec(0, "systemctl start postgresql");
    lab.exec(
        0,
        &format!(
            "{PSQL} -c \"CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '{PASSWORD}'\""
        ),
    );
    let primary = &lab.hosts[0].name;
    for i in 1..lab.hosts.len() {
        lab.exec(
            i,
            &format!(
                "runuser -u postgres -- sh -c 'rm -rf {DATA}/* && pg_basebackup -D {DATA} -R \
                 -X stream -c fast -d \"host={primary} user=replicator application_name={name}\"' 2>&1\n\
                 systemctl start --no-block postgresql",
                name = lab.hosts[i].name
            ),
        );
    }
    let n = lab.hosts.len();
    let whole_primary = format!("primary streaming={}", n - 1);
    let whole_standby = format!("standby streaming from {primary}");
    lab.wait_whole(
        "postgresql",
        view,
        |i, v| {
            v == if i == 0 {
                &whole_primary
            } else {
                &whole_standby
            }
        },
        60,
        "systemctl status --no-pager -n 0 postgresql@15-main; \
         tail -n 20 /var/log/postgresql/postgresql-15-main.log",
    );
}

/// `primary streaming=2` (`pg_is_in_recovery()` false, the number of `pg_stat_replication`
/// rows in state `streaming`), `standby streaming from host-1` (`pg_stat_wal_receiver`'s status
/// and sender_host), or `down: <unit state> <psql's error>`.
pub fn view(lab: &Lab, i: usize) -> String {
    let (ok, line) = lab.first_line(i, &format!("{PSQL} -c \"{VIEW_SQL}\""));
    if ok && !line.is_empty() {
        return line;
    }
    let (_, active) = lab.first_line(i, "systemctl is-active postgresql@15-main");
    format!("down: {active} {line}")
}
