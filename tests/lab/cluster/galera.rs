//! A three-member Galera cluster (Debian's `mariadb-server` 10.11 + `galera-4` 26.4) on
//! `host-1`..`host-3`, unit `mariadb`.
//!
//! - Config: `/etc/mysql/mariadb.conf.d/60-galera.cnf` on each member (`[galera]`:
//!   `wsrep_cluster_address=gcomm://host-1,host-2,host-3` by name, `wsrep_node_name=host-N`,
//!   `wsrep_node_address=` the host's address, rsync SST, `gcache.size=64M`,
//!   `innodb_buffer_pool_size=32M`, `bind-address=0.0.0.0`).
//! - Start: `galera_new_cluster` on `host-1` (it bootstraps, so it is the donor), then
//!   `systemctl start mariadb` on `host-2` and `host-3` at once (each joins by rsync SST).
//!   Galera has no leader: every member is Primary/Synced once whole.
//! - Ports: 3306 (clients), 4567 (group communication), 4568 (IST), 4444 (SST).
//! - Credentials: root over the unix socket (`mysql -Nse ...` as root on the member); no
//!   password anywhere.
//! - Measured (2 shared cores): 3 hosts boot in about 2 s, the cluster forms in 10-12.5 s more
//!   (two rsync SSTs of the stock datadir, about 2 s each); `systemctl restart mariadb` of one
//!   member about 3 s, rejoining by IST. More in `FACTS.md`.

use crate::lab::Lab;

pub const CONFIG: &str = "/etc/mysql/mariadb.conf.d/60-galera.cnf";

/// The status variables `view` reads, as one `SHOW STATUS` (no lock, no table).
const STATUS: &str = "timeout 5 mysql -Nse \"SHOW STATUS WHERE Variable_name IN \
('wsrep_cluster_status','wsrep_local_state_comment','wsrep_cluster_size')\"";

/// The member's 60-galera.cnf.
pub fn config(lab: &Lab, i: usize) -> String {
    let members: Vec<&str> = lab.hosts.iter().map(|h| h.name.as_str()).collect();
    format!(
        "[galera]\n\
         wsrep_on = ON\n\
         wsrep_provider = /usr/lib/galera/libgalera_smm.so\n\
         wsrep_cluster_name = lab\n\
         wsrep_cluster_address = gcomm://{members}\n\
         wsrep_node_name = {name}\n\
         wsrep_node_address = {address}\n\
         wsrep_sst_method = rsync\n\
         wsrep_provider_options = \"gcache.size=64M\"\n\
         binlog_format = row\n\
         default_storage_engine = InnoDB\n\
         innodb_autoinc_lock_mode = 2\n\
         innodb_buffer_pool_size = 32M\n\
         bind-address = 0.0.0.0\n",
        members = members.join(","),
        name = lab.hosts[i].name,
        address = lab.hosts[i].address,
    )
}

/// Configures every member and forms the cluster; returns once every member says
/// `Primary Synced size=N`.
pub fn form(lab: &Lab) {
    for i in 0..lab.hosts.len() {
        lab.exec(i, &format!("cat > {CONFIG} <<'EOF'\n{}EOF", config(lab, i)));
    }
    lab.exec(0, "galera_new_cluster");
    for i in 1..lab.hosts.len() {
        lab.exec(i, "systemctl start --no-block mariadb");
    }
    let size = lab.hosts.len();
    let whole = format!("Primary Synced size={size}");
    lab.wait_whole(
        "galera",
        view,
        |_, v| v == whole,
        180,
        "systemctl status --no-pager -n 30 mariadb 2>&1 | tail -40",
    );
}

/// `Primary Synced size=3` (wsrep_cluster_status, wsrep_local_state_comment,
/// wsrep_cluster_size as member `i` reports them), or `down: <unit state> <client's error>`.
pub fn view(lab: &Lab, i: usize) -> String {
    let out = lab.exec_output(i, STATUS);
    if !out.status.success() {
        let (_, active) = lab.first_line(i, "systemctl is-active mariadb");
        let err = String::from_utf8_lossy(&out.stderr);
        return format!("down: {active} {}", err.lines().next().unwrap_or("").trim());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let get = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix('\t'))
            .unwrap_or("?")
            .trim()
            .to_string()
    };
    format!(
        "{} {} size={}",
        get("wsrep_cluster_status"),
        get("wsrep_local_state_comment"),
        get("wsrep_cluster_size")
    )
}
