//! The test lab: N hosts, each its own real `sshd` on its own 127.x.y.z address with its own host
//! key, and real services (comeback's demo service) listening on each host's address, restarted
//! by a per-host script that records a timestamped line per restart.
//!
//! Each sshd sets HOME to its host's folder, so a login shell reads no dotfiles: the tests
//! measure comeback, not the controller's shell startup.
#![allow(dead_code)] // each test binary uses its own part of the lab

pub mod cluster;
pub mod nshost;
pub mod nspawn;

use std::io::Write;
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

pub const SSH_PORT: u16 = 2222;
static LABS: AtomicU32 = AtomicU32::new(0);

pub struct LabHost {
    pub name: String,
    pub address: String,
    pub dir: PathBuf,
    /// The sshd, or for a namespace host the process holding it (see `nshost`).
    sshd: Option<Child>,
    /// A namespace host's PID 1, as the machine sees it.
    pub pid1: Option<u32>,
    /// Booted by systemd in nspawn: stopped by a clean poweroff.
    pub systemd: bool,
}

pub struct Lab {
    pub root: tempfile::TempDir,
    pub hosts: Vec<LabHost>,
    pub identity: PathBuf,
    pub known_hosts: PathBuf,
    pub ssh_config: PathBuf,
    pub user: String,
    /// The namespaces of a lab of namespace hosts (`Lab::start_ns`).
    pub net: Option<nshost::Net>,
    /// The loopback addresses `Lab::start` took, held while the lab lives.
    slot: Option<Slot>,
}

/// A block of loopback addresses, `127.A.B.0/24`, taken by holding a lock on its file: tests
/// in separate processes (nextest runs each test in its own) never take the same one, and a
/// crashed test's lock goes with its process.
struct Slot {
    _lock: std::fs::File,
    second: u32,
    third: u32,
}

impl Slot {
    fn take() -> Slot {
        let dir = std::env::temp_dir().join("comeback-lab-slots");
        std::fs::create_dir_all(&dir).expect("slot folder");
        // Start from a place that differs per process, so concurrent tests rarely contend.
        let start = std::process::id() % 200 * 250;
        for n in 0..200 * 250 {
            let slot = (start + n) % (200 * 250);
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(dir.join(slot.to_string()))
                .expect("slot file");
            if file.try_lock().is_ok() {
                return Slot {
                    _lock: file,
                    second: 10 + slot / 250,
                    third: 1 + slot % 250,
                };
            }
        }
        panic!("every lab address block is taken");
    }
}

pub fn run(cmd: &mut Command) {
    let out = cmd.output().expect("spawn");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn keygen(path: &Path) {
    run(Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "lab", "-f"])
        .arg(path));
}

fn sshd_path() -> PathBuf {
    ["/usr/sbin/sshd", "/usr/local/sbin/sshd"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .expect("sshd is installed (scripts/test installs openssh-server)")
}

fn wait_for_port(address: &str, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if TcpStream::connect((address, port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("nothing listens on {address}:{port}");
}

pub fn comeback_bin() -> &'static str {
    env!("CARGO_BIN_EXE_comeback")
}

impl Lab {
    pub fn start(n: usize) -> Lab {
        let (mut lab, _) = Lab::empty();
        let slot = Slot::take();
        let (second, third) = (slot.second, slot.third);
        lab.slot = Some(slot);
        for i in 0..n {
            let name = format!("host-{}", i + 1);
            let address = format!("127.{second}.{third}.{}", i + 1);
            let dir = lab.root.path().join(&name);
            std::fs::create_dir_all(dir.join("bin")).expect("host dir");
            write_restart_script(&dir);
            lab.hosts.push(LabHost {
                name,
                address,
                dir,
                sshd: None,
                pid1: None,
                systemd: false,
            });
            lab.new_host_key(i);
            lab.start_sshd(i);
        }
        lab.write_known_hosts();
        lab
    }

    /// A lab without hosts yet, and its number in this process.
    fn empty() -> (Lab, u32) {
        let root = tempfile::Builder::new()
            .prefix("comeback-lab-")
            .tempdir()
            .expect("tempdir");
        let lab_no = LABS.fetch_add(1, Ordering::SeqCst);
        let identity = root.path().join("id_ed25519");
        keygen(&identity);
        let user = String::from_utf8(Command::new("id").arg("-un").output().expect("id").stdout)
            .expect("utf8")
            .trim()
            .to_string();
        let _ = std::fs::create_dir_all("/run/sshd");
        std::fs::create_dir_all(root.path().join("tmp")).expect("tmp");
        let lab = Lab {
            known_hosts: root.path().join("known_hosts"),
            ssh_config: root.path().join("ssh_config"),
            identity,
            hosts: Vec::new(),
            user,
            root,
            net: None,
            slot: None,
        };
        std::fs::write(
            &lab.ssh_config,
            "# the lab's own: the user's ~/.ssh/config does not apply\nLogLevel ERROR\n",
        )
        .expect("ssh_config");
        (lab, lab_no)
    }

    fn new_host_key(&self, i: usize) {
        let key = self.hosts[i].dir.join("ssh_host_ed25519_key");
        let _ = std::fs::remove_file(&key);
        let _ = std::fs::remove_file(key.with_extension("pub"));
        keygen(&key);
    }

    fn write_known_hosts(&self) {
        let mut text = String::new();
        for h in &self.hosts {
            let key =
                std::fs::read_to_string(h.dir.join("ssh_host_ed25519_key.pub")).expect("host key");
            let key: Vec<&str> = key.split_whitespace().take(2).collect();
            text.push_str(&format!("[{}]:{SSH_PORT} {}\n", h.address, key.join(" ")));
        }
        std::fs::write(&self.known_hosts, text).expect("known_hosts");
    }

    /// The host's sshd_config: its address, key and HOME; the pid file inside a namespace
    /// host's own /run.
    fn write_sshd_config(&self, i: usize) -> PathBuf {
        let h = &self.hosts[i];
        let authorized = self.identity.with_extension("pub");
        let pid_file = match self.net {
            Some(_) => PathBuf::from("/run/sshd.pid"),
            None => h.dir.join("sshd.pid"),
        };
        let config = format!(
            "ListenAddress {addr}:{SSH_PORT}\nHostKey {dir}/ssh_host_ed25519_key\nAuthorizedKeysFile {auth}\n\
             StrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n\
             PidFile {pid}\nSetEnv HOME={dir}\nMaxSessions 64\nMaxStartups 64\nLogLevel ERROR\n",
            addr = h.address,
            dir = h.dir.display(),
            auth = authorized.display(),
            pid = pid_file.display(),
        );
        let config_path = h.dir.join("sshd_config");
        std::fs::write(&config_path, config).expect("sshd_config");
        config_path
    }

    fn start_sshd(&mut self, i: usize) {
        let config_path = self.write_sshd_config(i);
        self.spawn_sshd(i, &config_path);
    }

    fn spawn_sshd(&mut self, i: usize, config_path: &Path) {
        let h = &self.hosts[i];
        let log = std::fs::File::create(h.dir.join("sshd.log")).expect("log");
        let child = Command::new(sshd_path())
            .args(["-D", "-e", "-f"])
            .arg(config_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start sshd");
        let address = h.address.clone();
        self.hosts[i].sshd = Some(child);
        wait_for_port(&address, SSH_PORT);
    }

    fn stop_sshd(&mut self, i: usize) {
        if let Some(mut child) = self.hosts[i].sshd.take() {
            if self.hosts[i].systemd {
                nspawn::power_off(&mut child);
                return;
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Restarts the host's sshd with `env` (`NAME=value ...`) added to every session's
    /// environment: the login shell starts in it (a locale, ...).
    pub fn set_login_env(&mut self, i: usize, env: &str) {
        self.reconfigure_sshd(i, "\nSetEnv HOME=", &format!("\nSetEnv {env} HOME="));
    }

    /// Restarts the host's sshd with `line` of its config (which must be there) as `with`.
    fn reconfigure_sshd(&mut self, i: usize, line: &str, with: &str) {
        self.stop_sshd(i);
        let config_path = self.write_sshd_config(i);
        let config = std::fs::read_to_string(&config_path).expect("sshd_config");
        assert!(config.contains(line), "{line:?} not in {config}");
        std::fs::write(&config_path, config.replacen(line, with, 1)).expect("sshd_config");
        self.spawn_sshd(i, &config_path);
    }

    /// Restarts the host's sshd with sshd's own default of sessions per connection (10), as
    /// on a real host: the lab's others allow 64.
    pub fn default_max_sessions(&mut self, i: usize) {
        self.max_sessions(i, 10);
    }

    /// Restarts the host's sshd allowing `n` sessions per connection.
    pub fn max_sessions(&mut self, i: usize, n: usize) {
        self.reconfigure_sshd(i, "\nMaxSessions 64\n", &format!("\nMaxSessions {n}\n"));
    }

    /// The host now presents a different key than known_hosts records.
    pub fn change_host_key(&mut self, i: usize) {
        self.stop_sshd(i);
        self.new_host_key(i);
        self.start_sshd(i);
    }

    /// SIGSTOP (or SIGCONT) the host's sshd: it accepts TCP but never answers.
    pub fn freeze(&self, i: usize, frozen: bool) {
        let pid = self.hosts[i].sshd.as_ref().expect("running").id();
        run(Command::new("kill")
            .arg(if frozen { "-STOP" } else { "-CONT" })
            .arg(pid.to_string()));
    }

    /// Writes a service's config and starts it the way its restart script would.
    pub fn service(&self, i: usize, name: &str, port: u16, config: &str) {
        self.service_from(i, name, port, config, Path::new(comeback_bin()));
    }

    /// `service`, running the demo service from the binary at `bin`.
    pub fn service_from(&self, i: usize, name: &str, port: u16, config: &str, bin: &Path) {
        let h = &self.hosts[i];
        std::fs::write(
            h.dir.join(format!("{name}.listen")),
            format!("{}:{port}", h.address),
        )
        .expect("listen");
        self.set_config(i, name, config);
        run(Command::new(h.dir.join("bin/start"))
            .arg(name)
            .env("COMEBACK_BIN", bin));
        wait_for_port(&h.address, port);
    }

    /// Changes a service's config on disk without restarting it.
    pub fn set_config(&self, i: usize, name: &str, config: &str) {
        std::fs::write(self.hosts[i].dir.join(format!("{name}.conf")), config).expect("config");
    }

    /// The hosts section and ssh settings of a plan for this lab, then `services`.
    pub fn plan(&self, services: &str) -> PathBuf {
        self.plan_with("", services)
    }

    pub fn plan_with(&self, extra_top: &str, services: &str) -> PathBuf {
        let mut text = String::from("hosts:\n");
        for h in &self.hosts {
            text.push_str(&format!(
                "  {}: {{ address: {}, port: {SSH_PORT}, user: {}, identity: {}, vars: {{ dir: {} }} }}\n",
                h.name,
                h.address,
                self.user,
                self.identity.display(),
                h.dir.display()
            ));
        }
        text.push_str(&format!(
            "ssh:\n  known_hosts: {}\n  config: {}\n  connect_timeout: 3s\n{extra_top}services:\n{services}",
            self.known_hosts.display(),
            self.ssh_config.display()
        ));
        let path = self.root.path().join("plan.yaml");
        std::fs::write(&path, text).expect("plan");
        path
    }

    /// `comeback` with this lab's TMPDIR, so its control sockets can be checked for.
    pub fn comeback(&self) -> assert_cmd::Command {
        let mut cmd = match &self.net {
            Some(net) => {
                let mut cmd = assert_cmd::Command::new("nsenter");
                cmd.arg(format!("--net=/run/netns/{}", net.hub))
                    .arg(comeback_bin());
                cmd
            }
            None => assert_cmd::Command::new(comeback_bin()),
        };
        cmd.env("TMPDIR", self.root.path().join("tmp"))
            .env_remove("SSH_AUTH_SOCK");
        cmd
    }

    /// `comeback COMMAND PLAN FLAGS...` in this lab, waited for.
    pub fn run(&self, command: &str, plan: &Path, flags: &[&str]) -> std::process::Output {
        self.comeback()
            .arg(command)
            .arg(plan)
            .args(flags)
            .output()
            .expect("comeback runs")
    }

    /// Every restart the hosts recorded: (start, end, host index, service), by start time.
    pub fn restarts(&self) -> Vec<(f64, f64, usize, String)> {
        let mut all = Vec::new();
        for (i, h) in self.hosts.iter().enumerate() {
            let Ok(text) = std::fs::read_to_string(h.dir.join("restarts.log")) else {
                continue;
            };
            let mut open: Option<(f64, String)> = None;
            for line in text.lines() {
                let parts: Vec<&str> = line.split_whitespace().collect();
                let (ts, what, name) = (
                    parts[0].parse::<f64>().expect("ts"),
                    parts[1],
                    parts[2].to_string(),
                );
                match what {
                    "start" => open = Some((ts, name)),
                    "end" => {
                        let (start, started) = open.take().expect("start before end");
                        assert_eq!(started, name);
                        all.push((start, ts, i, name));
                    }
                    _ => panic!("bad record {line}"),
                }
            }
        }
        all.sort_by(|a, b| a.0.total_cmp(&b.0));
        all
    }

    /// `service@host` of each recorded restart, in time order.
    pub fn restart_ids(&self) -> Vec<String> {
        self.restarts()
            .iter()
            .map(|(_, _, h, s)| format!("{s}@{}", self.hosts[*h].name))
            .collect()
    }

    /// Control sockets and master processes this lab's runs left behind.
    pub fn leftovers(&self) -> Vec<String> {
        let mut found = Vec::new();
        for entry in walk(&self.root.path().join("tmp")) {
            found.push(entry.display().to_string());
        }
        let ps = Command::new("ps")
            .args(["-eo", "pid,args"])
            .output()
            .expect("ps");
        for line in String::from_utf8_lossy(&ps.stdout).lines() {
            if line.contains("ssh ")
                && line.contains(self.root.path().to_str().expect("utf8"))
                && !line.contains("sshd")
            {
                found.push(line.trim().to_string());
            }
        }
        found
    }

    /// The run folders comeback keeps on host `i` (`~/.comeback/runs/<run>`).
    pub fn run_folders(&self, i: usize) -> Vec<PathBuf> {
        std::fs::read_dir(self.hosts[i].dir.join(".comeback/runs"))
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    }

    /// No run folder of comeback's is left on any host of the lab.
    pub fn assert_hosts_swept(&self) {
        for (i, h) in self.hosts.iter().enumerate() {
            let left = self.run_folders(i);
            assert!(left.is_empty(), "{} kept {left:?}", h.name);
        }
    }

    /// The folder of the newest run (run ids sort by time).
    pub fn last_run(&self) -> PathBuf {
        let runs = self.root.path().join(".comeback/runs");
        let mut ids: Vec<_> = std::fs::read_dir(&runs)
            .expect("runs")
            .map(|e| e.expect("entry").path())
            .collect();
        ids.sort();
        ids.pop().expect("a run")
    }

    pub fn journal(&self) -> Vec<serde_json::Value> {
        let text = std::fs::read_to_string(self.last_run().join("journal.jsonl")).expect("journal");
        text.lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect()
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            out.push(e.path());
            out.extend(walk(&e.path()));
        }
    }
    out
}

/// `bin/start NAME` starts a service detached from the caller; `bin/restart NAME` records the
/// restart and stops the old process first. Both are the demo's own restart script
/// (`src/remote/demo_restart.sh`), the host's folder and binary set before it; `COMEBACK_BIN`
/// starts a service from another binary.
fn write_restart_script(dir: &Path) {
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let set = format!(
        "d={} exe=${{COMEBACK_BIN:-{}}} log=out",
        quote(&dir.display().to_string()),
        quote(comeback_bin())
    );
    for (name, record) in [("start", ""), ("restart", "1")] {
        let text = format!(
            "#!/bin/sh\n{set} record={record}\n{}",
            include_str!("../../src/remote/demo_restart.sh")
        );
        let path = dir.join("bin").join(name);
        let mut f = std::fs::File::create(&path).expect("script");
        f.write_all(text.as_bytes()).expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
}

/// Whether `pid` is still a demo service of the host in `dir`: a pid file outlives its process
/// (a test killed it), and its number may since be another process's, which must never be
/// killed (it killed the shells of whoever ran tests beside this one).
fn still_this_hosts_service(pid: &str, dir: &Path) -> bool {
    let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
        return false;
    };
    let cmdline = String::from_utf8_lossy(&cmdline);
    cmdline.contains("demo-service") && cmdline.contains(&*dir.to_string_lossy())
}

impl Drop for Lab {
    fn drop(&mut self) {
        // Masters left by a run the test killed on purpose would otherwise idle out in 60 s.
        let _ = Command::new("pkill")
            .arg("-f")
            .arg(self.root.path().join("tmp"))
            .output();
        // Systemd hosts power off side by side.
        let mut nspawns: Vec<Child> = self
            .hosts
            .iter_mut()
            .filter(|h| h.systemd)
            .filter_map(|h| h.sshd.take())
            .collect();
        nspawn::power_off_all(&mut nspawns, Duration::from_secs(10));
        for i in 0..self.hosts.len() {
            if let Some(sshd) = &self.hosts[i].sshd {
                let _ = Command::new("kill")
                    .arg("-CONT")
                    .arg(sshd.id().to_string())
                    .output();
            }
            self.stop_sshd(i);
            // A namespace host's processes died with its PID 1; its pid files hold its own
            // pid numbers, not the machine's.
            if self.hosts[i].pid1.is_some() {
                continue;
            }
            if let Ok(entries) = std::fs::read_dir(&self.hosts[i].dir) {
                for e in entries.flatten() {
                    // sshd is stopped above: its pid may already be someone else's.
                    if e.path().extension().is_some_and(|x| x == "pid")
                        && e.file_name() != "sshd.pid"
                        && let Ok(pid) = std::fs::read_to_string(e.path())
                        && still_this_hosts_service(pid.trim(), &self.hosts[i].dir)
                    {
                        let _ = Command::new("kill").arg("-9").arg(pid.trim()).output();
                    }
                }
            }
        }
    }
}
