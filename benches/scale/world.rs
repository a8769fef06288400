//! The scale bench's world: N hosts on loopback addresses `127.42.X.Y` inside a private network
//! namespace, served by ONE `sshd` that logs in an unprivileged user with `/bin/sh` as login
//! shell and no dotfiles, so that what is measured is the client side. The user exists only in
//! sshd's own mount namespace (a copy of /etc/passwd bound over the real one): nothing of the
//! machine changes, and the namespace's name carries this process's pid.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const USER: &str = "cbscale";

pub struct World {
    pub root: tempfile::TempDir,
    pub netns: String,
    pub addresses: Vec<String>,
    pub identity: PathBuf,
    pub known_hosts: PathBuf,
    pub ssh_config: PathBuf,
    sshd: Option<Child>,
}

/// Why the bench cannot run here, if it cannot: it needs root (a network namespace, a mount
/// namespace) and the tools.
pub fn cannot_run() -> Option<String> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Some(
            "needs root (a private network namespace and a user only its sshd sees)".into(),
        );
    }
    for tool in [
        "ip",
        "unshare",
        "nsenter",
        "ssh",
        "ssh-keygen",
        "xargs",
        "mount",
    ] {
        let found = Command::new("sh")
            .args(["-c", "command -v \"$1\" >/dev/null", "sh", tool])
            .status()
            .is_ok_and(|s| s.success());
        if !found {
            return Some(format!("`{tool}` is not installed"));
        }
    }
    if sshd_path().is_none() {
        return Some("sshd is not installed (openssh-server)".into());
    }
    None
}

fn sshd_path() -> Option<PathBuf> {
    ["/usr/sbin/sshd", "/usr/local/sbin/sshd"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd:?}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Host `i`'s address: 250 per /24, from 127.42.0.1.
pub fn address(i: usize) -> String {
    format!("127.42.{}.{}", i / 250, i % 250 + 1)
}

impl World {
    pub fn start(n: usize) -> Result<World, String> {
        let root = tempfile::Builder::new()
            .prefix("comeback-scale-")
            .tempdir()
            .map_err(|e| e.to_string())?;
        // The user's home lives below: it must be able to walk there.
        std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755))
            .map_err(|e| e.to_string())?;
        let netns = format!("cb-scale-{}", std::process::id());
        let mut world = World {
            identity: root.path().join("id_ed25519"),
            known_hosts: root.path().join("known_hosts"),
            ssh_config: root.path().join("ssh_config"),
            addresses: (0..n).map(address).collect(),
            root,
            netns,
            sshd: None,
        };
        run(Command::new("ip").args(["netns", "add", &world.netns]))?;
        world.in_netns(&["ip", "link", "set", "lo", "up"])?;
        world.write_files()?;
        world.start_sshd()?;
        world.wait_for_login()?;
        Ok(world)
    }

    pub fn netns_path(&self) -> String {
        format!("/run/netns/{}", self.netns)
    }

    fn in_netns(&self, argv: &[&str]) -> Result<(), String> {
        run(Command::new("nsenter")
            .arg(format!("--net={}", self.netns_path()))
            .args(argv))
    }

    /// A command run inside the namespace (`nsenter` execs it: its pid is the command's).
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new("nsenter");
        cmd.arg(format!("--net={}", self.netns_path())).arg(program);
        cmd
    }

    fn write_files(&self) -> Result<(), String> {
        let dir = self.root.path();
        let err = |e: std::io::Error| e.to_string();
        for key in [&self.identity, &dir.join("ssh_host_ed25519_key")] {
            run(Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-C", "scale", "-f"])
                .arg(key))?;
        }
        // The user: an unused uid, nogroup, /bin/sh, an empty home it owns.
        let uid = (60_000..65_000)
            // SAFETY: getpwuid reads the passwd database; the pointer is only compared to null.
            .find(|&u| unsafe { libc::getpwuid(u) }.is_null())
            .ok_or("no free uid")?;
        let home = dir.join("home");
        std::fs::create_dir(&home).map_err(err)?;
        // SAFETY: a valid NUL-free path; chown has no other preconditions.
        let path = std::ffi::CString::new(home.as_os_str().as_encoded_bytes())
            .map_err(|e| e.to_string())?;
        if unsafe { libc::chown(path.as_ptr(), uid, 65_534) } != 0 {
            return Err(format!(
                "chown {}: {}",
                home.display(),
                std::io::Error::last_os_error()
            ));
        }
        let mut passwd = std::fs::read_to_string("/etc/passwd").map_err(err)?;
        passwd.push_str(&format!(
            "{USER}:x:{uid}:65534:comeback scale bench:{}:/bin/sh\n",
            home.display()
        ));
        std::fs::write(dir.join("passwd"), passwd).map_err(err)?;
        std::fs::set_permissions(dir.join("passwd"), std::fs::Permissions::from_mode(0o644))
            .map_err(err)?;
        let public = std::fs::read_to_string(self.identity.with_extension("pub")).map_err(err)?;
        std::fs::write(dir.join("authorized_keys"), public).map_err(err)?;
        std::fs::set_permissions(
            dir.join("authorized_keys"),
            std::fs::Permissions::from_mode(0o644),
        )
        .map_err(err)?;
        let host_key =
            std::fs::read_to_string(dir.join("ssh_host_ed25519_key.pub")).map_err(err)?;
        let host_key: Vec<&str> = host_key.split_whitespace().take(2).collect();
        let mut known =
            std::io::BufWriter::new(std::fs::File::create(&self.known_hosts).map_err(err)?);
        for a in &self.addresses {
            writeln!(known, "{a} {}", host_key.join(" ")).map_err(err)?;
        }
        known.flush().map_err(err)?;
        std::fs::write(
            &self.ssh_config,
            format!(
                "# the bench's own: the user's ~/.ssh/config does not apply\nHost *\n  User {USER}\n  IdentityFile {}\n  IdentitiesOnly yes\n  UserKnownHostsFile {}\n  StrictHostKeyChecking yes\n  BatchMode yes\n  LogLevel ERROR\n",
                self.identity.display(),
                self.known_hosts.display()
            ),
        )
        .map_err(err)?;
        std::fs::write(
            dir.join("sshd_config"),
            format!(
                "ListenAddress 0.0.0.0:22\nHostKey {d}/ssh_host_ed25519_key\nAuthorizedKeysFile {d}/authorized_keys\n\
                 StrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n\
                 AllowUsers {USER}\nPrintMotd no\nPrintLastLog no\nPidFile {d}/sshd.pid\n\
                 MaxSessions 64\nMaxStartups 256\nLogLevel ERROR\n",
                d = dir.display()
            ),
        )
        .map_err(err)
    }

    /// sshd in its own mount namespace, where the bench's user exists, inside the network one.
    fn start_sshd(&mut self) -> Result<(), String> {
        let dir = self.root.path();
        let _ = std::fs::create_dir_all("/run/sshd");
        let log = std::fs::File::create(dir.join("sshd.log")).map_err(|e| e.to_string())?;
        let sshd = sshd_path().ok_or("no sshd")?;
        // Paths reach the script as its arguments, never as its text.
        let child = Command::new("unshare")
            .args(["--mount", "--propagation", "private", "--", "sh", "-c"])
            .arg(r#"mount --bind "$1" /etc/passwd && exec nsenter --net="$2" "$3" -D -e -f "$4""#)
            .arg("sh")
            .arg(dir.join("passwd"))
            .arg(self.netns_path())
            .arg(sshd)
            .arg(dir.join("sshd_config"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("unshare: {e}"))?;
        self.sshd = Some(child);
        Ok(())
    }

    /// Until the user logs in on the first host (sshd up, user known, key accepted).
    fn wait_for_login(&self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(15);
        let mut last = String::new();
        while Instant::now() < deadline {
            let out = self
                .command("ssh")
                .arg("-F")
                .arg(&self.ssh_config)
                .args([self.addresses[0].as_str(), "echo", "$HOME:$0"])
                .stdin(Stdio::null())
                .output()
                .map_err(|e| e.to_string())?;
            if out.status.success() {
                return Ok(());
            }
            last = String::from_utf8_lossy(&out.stderr).trim().to_string();
            std::thread::sleep(Duration::from_millis(100));
        }
        let log = std::fs::read_to_string(self.root.path().join("sshd.log")).unwrap_or_default();
        Err(format!("cannot log in as {USER}: {last}; sshd: {log}"))
    }

    pub fn dir(&self) -> &Path {
        self.root.path()
    }
}

impl Drop for World {
    fn drop(&mut self) {
        if let Some(mut sshd) = self.sshd.take() {
            let _ = sshd.kill();
            let _ = sshd.wait();
        }
        // The sessions sshd forked die with the namespace's last process; the namespace goes.
        let _ = Command::new("ip")
            .args(["netns", "pids", &self.netns])
            .output()
            .map(|out| {
                for pid in String::from_utf8_lossy(&out.stdout).split_whitespace() {
                    let _ = Command::new("kill").args(["-9", pid]).output();
                }
            });
        let _ = Command::new("ip")
            .args(["netns", "delete", &self.netns])
            .output();
    }
}
