//! Clusters of three members of Debian's own packages, each member a systemd test host
//! (`nspawn`): the hosts know one another by name only through their own `/etc/hosts`, and
//! resolve nothing else (`nameserver 127.0.0.1`), so a removed member fails at once and nothing
//! leaves the lab. Each kind's module configures and forms its cluster on such hosts.

use super::Lab;

impl Lab {
    /// `n` systemd hosts `host-1`..`host-n` that reach one another by name, with `units`
    /// installed as in [`Lab::start_systemd`]; no cluster formed yet.
    pub fn start_cluster_hosts(n: usize, units: &[(&str, &str)]) -> Lab {
        let lab = Lab::start_systemd(n, units);
        let mut hosts = String::from("127.0.0.1 localhost\n");
        for h in &lab.hosts {
            hosts.push_str(&format!("{} {}\n", h.address, h.name));
        }
        for i in 0..n {
            lab.exec(
                i,
                &format!(
                    "printf '%s' '{hosts}' > /etc/hosts\n\
                     rm -f /etc/resolv.conf && echo 'nameserver 127.0.0.1' > /etc/resolv.conf\n\
                     : > /root/.bashrc; : > /root/.profile"
                ),
            );
        }
        lab
    }

    /// Whether `script` exits 0 on host `i`, tried every 200 ms for up to `secs` seconds.
    pub fn wait_until(&self, i: usize, script: &str, secs: u64) -> bool {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        while std::time::Instant::now() < deadline {
            if self.exec_output(i, script).status.success() {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        false
    }
}
