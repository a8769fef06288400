//! Test hosts whose PID 1 is a real systemd, booted with `systemd-nspawn --boot --register=no
//! --keep-unit` over an overlay of the machine's `/`, on the same private hub network as the
//! namespace hosts of `nshost`. Pitfalls met: nspawn keeps state under `/run/systemd`, so a tmpfs
//! goes there first in the holder's private mount namespace; without `--register=no --keep-unit`
//! it asks for a machined that does not exist here.
//!
//! Each host boots an overlay of the machine's own root (upper layer on a tmpfs, in a private
//! mount namespace), in its own cgroup subtree `cb<pid>-<lab>-h<n>` under the `systemd` and
//! `unified` hierarchies, with every unit the machine enables masked or dropped except the
//! host's own sshd and the units a test installs (init scripts' rc2-5.d start links too:
//! systemd's sysv generator would otherwise start ZooKeeper on every host). Stopped by SIGTERM
//! to nspawn (a clean poweroff), then its cgroups and network namespace are removed.

use super::{LabHost, SSH_PORT};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Units of the machine that make no sense in a test host, masked by a link to /dev/null.
const MASKED: &[&str] = &[
    "console-getty.service",
    "getty@tty1.service",
    "ssh.service",
    "sshd.service",
    "systemd-timesyncd.service",
];

/// cgroup hierarchies nspawn needs a subtree of: `systemd` and `unified` on a cgroups v1
/// hybrid machine (as these are), the one root on a pure cgroups v2 machine.
pub(super) fn hierarchies() -> Vec<&'static str> {
    if Path::new("/sys/fs/cgroup/systemd").is_dir() {
        vec!["/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified"]
    } else {
        vec!["/sys/fs/cgroup"]
    }
}

fn holder_script(name: &str, dir: &Path, lab_root: &Path, ns: &str, cgroup: &str) -> String {
    let d = dir.display();
    let mut s = String::from("set -e\n");
    for h in hierarchies() {
        s.push_str(&format!("echo $$ > {h}/{cgroup}/cgroup.procs\n"));
    }
    s.push_str(&format!(
        "mount -t tmpfs tmpfs /run/systemd\n\
         mkdir -p {d}/layer {d}/rootfs\n\
         mount -t tmpfs tmpfs {d}/layer\n\
         mkdir {d}/layer/upper {d}/layer/work\n\
         mount -t overlay overlay -o lowerdir=/,upperdir={d}/layer/upper,workdir={d}/layer/work {d}/rootfs\n\
         R={d}/rootfs\n\
         echo {name} > $R/etc/hostname\n\
         systemd-id128 new > $R/etc/machine-id\n\
         for w in multi-user getty timers sysinit sockets; do rm -f $R/etc/systemd/system/$w.target.wants/*; done\n\
         for f in $R/etc/rc[2-5].d/S*; do [ -e \"$f\" ] && mv \"$f\" \"${{f%/*}}/K01${{f##*/S??}}\"; done\n"
    ));
    for u in MASKED {
        s.push_str(&format!("ln -sf /dev/null $R/etc/systemd/system/{u}\n"));
    }
    s.push_str(&format!(
        "cp {d}/units/* $R/etc/systemd/system/\n\
         mkdir -p $R/etc/systemd/system/multi-user.target.wants\n\
         ln -s ../lab-sshd.service $R/etc/systemd/system/multi-user.target.wants/\n\
         exec systemd-nspawn -q -D $R --boot --machine={name} --register=no --keep-unit \
         --network-namespace-path=/run/netns/{ns} --console=read-only --bind={root}\n",
        root = lab_root.display()
    ));
    s
}

fn lab_sshd_unit(dir: &Path) -> String {
    format!(
        "[Unit]\nDescription=the lab host's sshd\n[Service]\nRuntimeDirectory=sshd\n\
         ExecStart=/usr/sbin/sshd -D -e -f {}/sshd_config\n[Install]\nWantedBy=multi-user.target\n",
        dir.display()
    )
}

/// The systemd of a booted nspawn: the child of the nspawn process.
fn init_pid(nspawn: u32) -> Option<u32> {
    std::fs::read_to_string(format!("/proc/{nspawn}/task/{nspawn}/children"))
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

impl super::Lab {
    /// `n` hosts booted by a real systemd, each with `units` (file name, text) installed in
    /// /etc/systemd/system (not started), reached over SSH on port 2222 like the others.
    pub fn start_systemd(n: usize, units: &[(&str, &str)]) -> super::Lab {
        let (mut lab, lab_no) = super::Lab::empty();
        lab.net = Some(super::nshost::Net::new(lab_no));
        let lab_root = lab.root.path().to_path_buf();
        for i in 0..n {
            let name = format!("host-{}", i + 1);
            let address = format!("{}.{}", super::nshost::SUBNET, i + 1);
            let dir = lab_root.join(&name);
            std::fs::create_dir_all(dir.join("units")).expect("host dir");
            let net = lab.net.as_mut().expect("net");
            let ns = net.add_host(i, &address);
            let cgroup = format!("{}h{}", net.prefix, i + 1);
            for h in hierarchies() {
                let path = PathBuf::from(h).join(&cgroup);
                std::fs::create_dir_all(&path).expect("cgroup");
                net.cgroups.push(path);
            }
            lab.hosts.push(LabHost {
                name: name.clone(),
                address: address.clone(),
                dir: dir.clone(),
                sshd: None,
                pid1: None,
                systemd: true,
            });
            lab.new_host_key(i);
            lab.write_sshd_config(i);
            std::fs::write(dir.join("units/lab-sshd.service"), lab_sshd_unit(&dir)).expect("unit");
            for (file, text) in units {
                std::fs::write(dir.join("units").join(file), text).expect("unit");
            }
            let script = dir.join("holder.sh");
            std::fs::write(&script, holder_script(&name, &dir, &lab_root, &ns, &cgroup))
                .expect("holder");
            let log = std::fs::File::create(dir.join("boot.log")).expect("log");
            let nspawn = Command::new("setpriv")
                .args(["--pdeathsig", "KILL", "unshare", "--mount", "--propagation"])
                .args(["private", "sh"])
                .arg(&script)
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log"))
                .stderr(log)
                .spawn()
                .expect("start nspawn");
            lab.hosts[i].sshd = Some(nspawn);
        }
        for i in 0..n {
            lab.wait_for_boot(i);
        }
        lab.write_known_hosts();
        lab
    }

    /// Waits until host `i`'s systemd says it is running and its sshd answers.
    fn wait_for_boot(&mut self, i: usize) {
        let nspawn = self.hosts[i].sshd.as_ref().expect("nspawn").id();
        let deadline = Instant::now() + Duration::from_secs(30);
        let boot_log = self.hosts[i].dir.join("boot.log");
        let log = || std::fs::read_to_string(&boot_log).unwrap_or_default();
        let pid = loop {
            if let Some(pid) = init_pid(nspawn)
                && std::fs::read_to_string(format!("/proc/{pid}/comm"))
                    .is_ok_and(|c| c.trim() == "systemd")
            {
                break pid;
            }
            assert!(Instant::now() < deadline, "no systemd booted: {}", log());
            std::thread::sleep(Duration::from_millis(20));
        };
        self.hosts[i].pid1 = Some(pid);
        loop {
            let state = self.exec_output(i, "systemctl is-system-running");
            let state = String::from_utf8_lossy(&state.stdout).trim().to_string();
            if state == "running" || state == "degraded" {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "systemd did not finish booting ({state}): {}",
                log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let net = self.net.as_ref().expect("net");
        assert!(
            net.port_opens(&self.hosts[i].address, SSH_PORT),
            "the host's sshd does not answer: {}",
            self.exec_output(i, "systemctl status lab-sshd")
                .stdout
                .escape_ascii()
        );
    }
}

/// Powers a systemd host off: SIGTERM to nspawn, up to 5 s, then SIGKILL.
pub fn power_off(nspawn: &mut std::process::Child) {
    power_off_all(std::slice::from_mut(nspawn), Duration::from_secs(5));
}

/// Powers several systemd hosts off at once: SIGTERM to every nspawn, then up to `grace` for
/// all of them together, then SIGKILL to those still up. (One by one, hosts whose daemons take
/// seconds to stop, as RabbitMQ's do, add their shutdowns up.)
pub fn power_off_all(nspawns: &mut [std::process::Child], grace: Duration) {
    for nspawn in nspawns.iter() {
        let _ = Command::new("kill")
            .args(["-TERM", &nspawn.id().to_string()])
            .output();
    }
    let deadline = Instant::now() + grace;
    for nspawn in nspawns.iter_mut() {
        while Instant::now() < deadline {
            if let Ok(Some(_)) = nspawn.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        if let Ok(None) = nspawn.try_wait() {
            let _ = nspawn.kill();
        }
        let _ = nspawn.wait();
    }
}
