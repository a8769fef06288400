//! Test hosts made of namespaces, for real Debian daemons driven through their own init scripts.
//!
//! A lab's hosts share a private "hub" network namespace (a bridge, 10.77.0.0/24), so the
//! machine's own network is never touched and labs never collide; comeback runs inside the hub
//! (`Lab::comeback`). Each host is its own network namespace on that bridge plus private mount,
//! UTS and pid namespaces, whose PID 1 is a shell that reaps orphans (daemons detach to it) and
//! keeps the host's own `sshd` running. Each host has a private `/run` (pid files), and private
//! copies of the daemons' config, state and log folders bound over the originals, so
//! `service redis-server restart` on one host sees only that host's Redis.
//!
//! Names of network namespaces start `cb<pid>-<lab>-`: unique per test process, and a later lab
//! deletes the ones whose process is gone (a killed test run). Killing a host's holder process
//! kills its PID 1 and with it every process in the host (`unshare --kill-child`); the holder
//! itself dies with the thread that started the lab (`setpriv --pdeathsig`).

use super::{LabHost, SSH_PORT, run};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Folders each host gets its own copy of, when the machine has them: configs, state, logs.
pub const PRIVATE_DIRS: &[&str] = &[
    "/etc/redis",
    "/etc/haproxy",
    "/etc/postfix",
    "/etc/nginx",
    "/var/lib/redis",
    "/var/lib/haproxy",
    "/var/lib/postfix",
    "/var/spool/postfix",
    "/var/lib/nginx",
    "/var/log/redis",
    "/var/log/nginx",
    // Init scripts a test writes (an in-house app's), and ZooKeeper's state.
    "/etc/init.d",
    "/etc/zookeeper",
    "/var/lib/zookeeper",
    "/var/log/zookeeper",
];

pub const SUBNET: &str = "10.77.0";

/// The lab's network namespaces, deleted when the lab goes.
pub struct Net {
    pub prefix: String,
    pub hub: String,
    hosts: Vec<String>,
    /// cgroups made for systemd hosts, removed (deepest first) when the lab goes.
    pub cgroups: Vec<PathBuf>,
}

impl Net {
    pub fn new(lab_no: u32) -> Net {
        sweep_stale();
        let prefix = format!("cb{}-{lab_no}-", std::process::id());
        let hub = format!("{prefix}hub");
        run(Command::new("ip").args(["netns", "add", &hub]));
        let net = Net {
            prefix,
            hub,
            hosts: Vec::new(),
            cgroups: Vec::new(),
        };
        net.in_hub(&["link", "set", "lo", "up"]);
        net.in_hub(&["link", "add", "br0", "type", "bridge"]);
        net.in_hub(&["addr", "add", &format!("{SUBNET}.254/24"), "dev", "br0"]);
        net.in_hub(&["link", "set", "br0", "up"]);
        net
    }

    fn in_hub(&self, argv: &[&str]) {
        run(Command::new("ip").arg("-n").arg(&self.hub).args(argv));
    }

    /// A host's network namespace on the bridge, with `address`.
    pub fn add_host(&mut self, i: usize, address: &str) -> String {
        let ns = format!("{}h{}", self.prefix, i + 1);
        run(Command::new("ip").args(["netns", "add", &ns]));
        self.hosts.push(ns.clone());
        let port = format!("h{}", i + 1);
        self.in_hub(&[
            "link", "add", &port, "type", "veth", "peer", "name", "eth0", "netns", &ns,
        ]);
        self.in_hub(&["link", "set", &port, "master", "br0", "up"]);
        for argv in [
            vec!["link", "set", "lo", "up"],
            vec!["addr", "add", &format!("{address}/24"), "dev", "eth0"],
            vec!["link", "set", "eth0", "up"],
        ] {
            run(Command::new("ip").arg("-n").arg(&ns).args(argv));
        }
        ns
    }

    /// `argv` run in the hub's network namespace (where comeback runs).
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new("nsenter");
        cmd.arg(format!("--net=/run/netns/{}", self.hub))
            .arg(program);
        cmd
    }

    /// Waits until `address:port` accepts a TCP connection from the hub.
    pub fn wait_for_port(&self, address: &str, port: u16) {
        assert!(
            self.port_opens(address, port),
            "nothing listens on {address}:{port}"
        );
    }

    /// Whether `address:port` accepts a TCP connection from the hub within 10 s.
    pub fn port_opens(&self, address: &str, port: u16) -> bool {
        let probe = format!(
            "for i in $(seq 400); do (echo > /dev/tcp/{address}/{port}) 2>/dev/null && exit 0; sleep 0.025; done; exit 1"
        );
        self.command("bash")
            .args(["-c", &probe])
            .status()
            .expect("probe")
            .success()
    }
}

impl Drop for Net {
    fn drop(&mut self) {
        for ns in self.hosts.iter().chain(std::iter::once(&self.hub)) {
            let _ = Command::new("ip").args(["netns", "del", ns]).output();
        }
        for cgroup in &self.cgroups {
            remove_cgroup(cgroup);
        }
    }
}

/// A cgroup and the ones systemd made under it, deepest first (rmdir is how cgroups go).
fn remove_cgroup(path: &Path) {
    if let Ok(entries) = std::fs::read_dir(path) {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                remove_cgroup(&e.path());
            }
        }
    }
    let _ = std::fs::remove_dir(path);
}

/// The test process a lab's namespace or cgroup (`cb<pid>-<lab>-...`) belongs to.
fn lab_pid(name: &str) -> Option<u32> {
    name.strip_prefix("cb")?.split('-').next()?.parse().ok()
}

/// Deletes what labs whose test process is gone left behind: their network namespaces, and the
/// systemd hosts still running in their cgroups (a killed test's nspawn dies with it, but the
/// host's systemd and daemons live on, in the lab's own cgroup and nowhere else).
fn sweep_stale() {
    let gone =
        |name: &str| lab_pid(name).is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
    if let Ok(entries) = std::fs::read_dir("/run/netns") {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if gone(&name) {
                let _ = Command::new("ip").args(["netns", "del", &name]).output();
            }
        }
    }
    for h in super::nspawn::hierarchies() {
        let Ok(entries) = std::fs::read_dir(h) else {
            continue;
        };
        for e in entries.flatten() {
            if gone(&e.file_name().to_string_lossy()) {
                let pids = cgroup_pids(&e.path());
                if !pids.is_empty() {
                    let _ = Command::new("kill").arg("-KILL").args(&pids).output();
                    std::thread::sleep(Duration::from_millis(200));
                }
                remove_cgroup(&e.path());
            }
        }
    }
}

/// The processes in a cgroup and the ones under it.
fn cgroup_pids(path: &Path) -> Vec<String> {
    let mut pids: Vec<String> = std::fs::read_to_string(path.join("cgroup.procs"))
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if let Ok(entries) = std::fs::read_dir(path) {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                pids.extend(cgroup_pids(&e.path()));
            }
        }
    }
    pids
}

/// The script PID 1 of a host runs: private folders, hostname, sshd, then reaping forever.
fn init_script(name: &str, dir: &Path) -> String {
    let mut s = format!(
        "set -e\nhostname {name}\nmount -t tmpfs -o mode=755 tmpfs /run\nmkdir -p /run/sshd /run/lock\n"
    );
    for d in PRIVATE_DIRS {
        if Path::new(d).is_dir() {
            let copy = dir.join("root").join(d.trim_start_matches('/'));
            s.push_str(&format!(
                "mkdir -p {copy}\ncp -a {d}/. {copy}/\nmount --bind {copy} {d}\n",
                copy = copy.display()
            ));
        }
    }
    s.push_str(&format!(
        "set +e\n/usr/sbin/sshd -D -e -f {dir}/sshd_config 2>>{dir}/sshd.log &\n\
         while :; do wait; sleep 0.2; done\n",
        dir = dir.display()
    ));
    s
}

/// A host's PID 1 as the machine sees it: the child of the holder (`unshare --fork`).
fn pid1(holder: u32) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let children = std::fs::read_to_string(format!("/proc/{holder}/task/{holder}/children"))
            .unwrap_or_default();
        if let Some(pid) = children.split_whitespace().next() {
            return pid.parse().expect("pid");
        }
        assert!(Instant::now() < deadline, "host did not start");
        std::thread::sleep(Duration::from_millis(10));
    }
}

impl super::Lab {
    /// `n` namespace hosts (see the module comment), each with its own sshd on port 2222.
    pub fn start_ns(n: usize) -> super::Lab {
        let (mut lab, lab_no) = super::Lab::empty();
        lab.net = Some(Net::new(lab_no));
        for i in 0..n {
            let name = format!("host-{}", i + 1);
            let address = format!("{SUBNET}.{}", i + 1);
            let dir = lab.root.path().join(&name);
            std::fs::create_dir_all(&dir).expect("host dir");
            let ns = lab.net.as_mut().expect("net").add_host(i, &address);
            lab.hosts.push(LabHost {
                name: name.clone(),
                address: address.clone(),
                dir: dir.clone(),
                sshd: None,
                pid1: None,
                systemd: false,
            });
            lab.new_host_key(i);
            lab.write_sshd_config(i);
            let script = dir.join("init.sh");
            std::fs::write(&script, init_script(&name, &dir)).expect("init");
            let log = std::fs::File::create(dir.join("init.log")).expect("log");
            let holder = Command::new("setpriv")
                .args(["--pdeathsig", "KILL", "nsenter"])
                .arg(format!("--net=/run/netns/{ns}"))
                .args([
                    "unshare",
                    "--mount",
                    "--propagation",
                    "private",
                    "--uts",
                    "--pid",
                    "--fork",
                    "--kill-child",
                    "--mount-proc",
                    "bash",
                ])
                .arg(&script)
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log"))
                .stderr(log)
                .spawn()
                .expect("start host");
            lab.hosts[i].pid1 = Some(pid1(holder.id()));
            lab.hosts[i].sshd = Some(holder);
            let up = lab
                .net
                .as_ref()
                .expect("net")
                .port_opens(&address, SSH_PORT);
            assert!(
                up,
                "host {name}'s sshd does not answer: {}{}",
                std::fs::read_to_string(dir.join("init.log")).unwrap_or_default(),
                std::fs::read_to_string(dir.join("sshd.log")).unwrap_or_default()
            );
        }
        lab.write_known_hosts();
        lab
    }

    /// `sh -c script` inside host `i` (all its namespaces), as root; asserts success.
    pub fn exec(&self, i: usize, script: &str) -> String {
        let out = self.exec_output(i, script);
        assert!(
            out.status.success(),
            "on {}: {script}: {}{}",
            self.hosts[i].name,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `sh -c script` inside host `i`, waited for, whatever its exit.
    pub fn exec_output(&self, i: usize, script: &str) -> std::process::Output {
        let pid = self.hosts[i].pid1.expect("a namespace host");
        Command::new("nsenter")
            .args(["-t", &pid.to_string(), "-a", "sh", "-c", script])
            .env("HOME", &self.hosts[i].dir)
            .stdin(Stdio::null())
            .output()
            .expect("nsenter")
    }

    /// The copy of `path` (a file under one of [`PRIVATE_DIRS`]) that host `i` sees.
    pub fn private_path(&self, i: usize, path: &str) -> PathBuf {
        self.hosts[i]
            .dir
            .join("root")
            .join(path.trim_start_matches('/'))
    }
}

impl super::Lab {
    /// `command` on host `i` over SSH from the hub, as the lab's user with the lab's key and
    /// known_hosts; its output, whatever its exit.
    pub fn ssh(&self, i: usize, command: &str) -> std::process::Output {
        let net = self.net.as_ref().expect("a namespace lab");
        net.command("ssh")
            .args(["-F"])
            .arg(&self.ssh_config)
            .args(["-i"])
            .arg(&self.identity)
            .arg("-o")
            .arg(format!("UserKnownHostsFile={}", self.known_hosts.display()))
            .args([
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "BatchMode=yes",
                "-p",
            ])
            .arg(SSH_PORT.to_string())
            .arg(format!("{}@{}", self.user, self.hosts[i].address))
            .arg(command)
            .stdin(Stdio::null())
            .output()
            .expect("ssh")
    }
}
