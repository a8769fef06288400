//! Clusters of three members of Debian's own packages, each member a systemd test host
//! (`nspawn`): the hosts know one another by name only through their own `/etc/hosts`, and
//! resolve nothing else (`nameserver 127.0.0.1`), so a removed member fails at once and nothing
//! leaves the lab. Each kind's module configures and forms its cluster on such hosts.

pub mod etcd;
pub mod galera;
pub mod postgresql;
pub mod rabbitmq;
pub mod redis;
pub mod watch;
pub mod zookeeper;

use super::Lab;
use std::path::PathBuf;
use std::time::{Duration, Instant};

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

    /// Three cluster hosts with `form` run on them (a kind's module's), saying how long the
    /// boot and the forming took.
    pub fn start_cluster(kind: &str, form: fn(&Lab)) -> Lab {
        let started = Instant::now();
        let lab = Lab::start_cluster_hosts(3, &[]);
        let booted = started.elapsed();
        form(&lab);
        eprintln!(
            "{kind}: 3 hosts booted in {:.1} s, cluster formed in {:.1} s more",
            booted.as_secs_f64(),
            (started.elapsed() - booted).as_secs_f64()
        );
        lab
    }

    /// A plan whose service `name` runs `unit` on the three cluster hosts, checked on `port`,
    /// with `cluster: { CLUSTER }` and `extra` lines after it (more keys, more services).
    pub fn cluster_plan(
        &self,
        name: &str,
        unit: &str,
        configs: &str,
        port: u16,
        cluster: &str,
        extra: &str,
    ) -> PathBuf {
        self.plan_with(
            "defaults:\n  health: { timeout: 90s, interval: 300ms, settle: 1s }\n",
            &format!(
                "  {name}:\n    hosts: [host-1, host-2, host-3]\n    unit: {unit}\n    configs: [{configs}]\n    health: [{{ tcp: {port} }}]\n    cluster: {{ {cluster} }}\n{extra}"
            ),
        )
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

    /// Polls `view` of every member every 300 ms until `whole(i, view)` holds for all of them,
    /// for up to `secs` seconds; returns the views. On timeout panics with each member's view and
    /// the output of `diagnose` run on it (the daemon's own log, in its own words).
    pub fn wait_whole(
        &self,
        what: &str,
        view: fn(&Lab, usize) -> String,
        whole: impl Fn(usize, &str) -> bool,
        secs: u64,
        diagnose: &str,
    ) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let views: Vec<String> = (0..self.hosts.len()).map(|i| view(self, i)).collect();
            if views.iter().enumerate().all(|(i, v)| whole(i, v)) {
                return views;
            }
            if Instant::now() >= deadline {
                let mut text = format!("{what} is not whole after {secs} s:\n");
                for (i, v) in views.iter().enumerate() {
                    let diag = self.exec_output(i, diagnose);
                    text.push_str(&format!(
                        "--- {}: {v}\n{}{}",
                        self.hosts[i].name,
                        String::from_utf8_lossy(&diag.stdout),
                        String::from_utf8_lossy(&diag.stderr)
                    ));
                }
                panic!("{text}");
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// The first line of `script`'s output on host `i` (stdout, else stderr) and whether it
    /// exited 0; `down: ...` words come from here when a member does not answer.
    pub fn first_line(&self, i: usize, script: &str) -> (bool, String) {
        let out = self.exec_output(i, script);
        let text = if out.stdout.is_empty() {
            &out.stderr
        } else {
            &out.stdout
        };
        let text = String::from_utf8_lossy(text);
        (
            out.status.success(),
            text.lines().next().unwrap_or("").trim().to_string(),
        )
    }
}
