//! What a host runs, as its own tools report it: OS and service manager, TCP sockets with their
//! processes, units, pid files and init scripts. One command set and one parser per OS; the draft
//! plan is built from these facts by the rest of `discover`, never from raw command output.

pub mod freebsd;
pub mod linux;
pub(crate) mod locations;
pub mod systemd;

use crate::inspect::manager;
use crate::transport::Transport;
use serde::Serialize;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;

/// The most sockets of each kind kept per host: beyond it the host is marked truncated.
pub const SOCKET_LIMIT: usize = 20_000;
/// The most bytes of a command line kept per process.
pub(crate) const CMDLINE_LIMIT: usize = 4096;

pub use crate::inspect::Manager;

/// An address and port; the unspecified address stands for "all addresses" (`*`, `0.0.0.0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Endpoint {
    /// The address ([`parse_endpoint`] reads an IPv4-mapped IPv6 address as the IPv4 address
    /// it is).
    pub ip: IpAddr,
    /// The TCP port.
    pub port: u16,
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.ip {
            IpAddr::V6(ip) => write!(f, "[{ip}]:{}", self.port),
            IpAddr::V4(ip) => write!(f, "{ip}:{}", self.port),
        }
    }
}

impl Endpoint {
    /// IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) as the IPv4 address they are.
    pub(crate) fn new(ip: IpAddr, port: u16) -> Endpoint {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        Endpoint { ip, port }
    }
}

/// A listening TCP socket: one per address and port, whichever processes hold it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Listener {
    /// Where it listens.
    pub at: Endpoint,
    /// The processes holding it, sorted; empty when the host does not show them (discover not
    /// run as root).
    pub pids: Vec<u32>,
}

/// An established TCP connection as seen from this host; `count` folds the ones with the same
/// process and peer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Connection {
    /// This host's end (of folded connections, one of theirs).
    pub local: Endpoint,
    /// The other end.
    pub peer: Endpoint,
    /// The processes holding it, sorted; empty when the host does not show them.
    pub pids: Vec<u32>,
    /// How many connections were folded into this one (at least 1).
    pub count: usize,
}

/// A process that holds a socket, or an ancestor of one (up to, not including, PID 1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Process {
    /// Its process id.
    pub pid: u32,
    /// Its parent's process id (0 when it could not be read).
    pub ppid: u32,
    /// The kernel's short name (`comm`).
    pub name: String,
    /// The path of its executable (Linux `/proc/PID/exe`, FreeBSD `procstat -b`); empty when
    /// it could not be read.
    pub exe: String,
    /// Its command line, one argument per item: on Linux the first 4096 bytes of it; on
    /// FreeBSD split at spaces (`procstat -c` joins the arguments with them).
    pub args: Vec<String>,
    /// Linux: the `.service` its cgroup is in, without the suffix (`None` outside one, or in a
    /// user's session); FreeBSD: always `None` (its rc.d script is found from pid files and
    /// names).
    pub unit: Option<String>,
    /// Debian: the package that owns `exe`, looked up only for the processes of listeners no
    /// pid file or name explained.
    pub package: Option<String>,
}

/// Everything discovery reads from one host, before any guess at what is a service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HostFacts {
    /// `uname -s`: `Linux`, `FreeBSD`.
    pub os: String,
    /// `None` when it cannot be told (`manager_problem` says why).
    pub manager: Option<Manager>,
    /// Why the service manager cannot be told, when `manager` is `None`.
    pub manager_problem: Option<String>,
    /// The host's own addresses (loopback left out).
    pub addresses: Vec<IpAddr>,
    /// The server end of comeback's own SSH connection: its daemon is not a service.
    pub ssh: Option<Endpoint>,
    /// Listening TCP sockets, in address order.
    pub listeners: Vec<Listener>,
    /// Established TCP connections, those with the same peer and processes folded into one.
    pub connections: Vec<Connection>,
    /// The processes of the sockets and their ancestors, by pid.
    pub processes: BTreeMap<u32, Process>,
    /// (path, pid) of every pid file found in the usual places.
    pub pid_files: Vec<(String, u32)>,
    /// Names of the init scripts (`/etc/init.d`, rc.d) this host has.
    pub init_scripts: Vec<String>,
    /// FreeBSD: the rc.d scripts `service -e` says are enabled.
    pub enabled: Vec<String>,
    /// systemd: every service unit in state `running`, listening or not.
    pub units: Vec<systemd::RunningUnit>,
    /// systemd: the manager's own executable (PID 1's), for telling its own units.
    pub manager_exe: Option<String>,
    /// Debian: the package of the manager's executable (`systemd`).
    pub manager_package: Option<String>,
    /// Debian: init script -> (its package, that package's priority), for the scripts of
    /// units found running.
    pub script_packages: BTreeMap<String, (String, String)>,
    /// More sockets of a kind than [`SOCKET_LIMIT`]: the rest were not read.
    pub truncated: bool,
}

impl HostFacts {
    /// The process and its ancestors, nearest first, up to (not including) PID 1.
    pub(crate) fn lineage(&self, pid: u32) -> Vec<&Process> {
        let mut chain = Vec::new();
        let mut next = Some(pid);
        while let Some(p) = next.and_then(|p| self.processes.get(&p)) {
            if p.pid <= 1 || chain.iter().any(|c: &&Process| c.pid == p.pid) {
                break;
            }
            chain.push(p);
            next = Some(p.ppid);
        }
        chain
    }

    /// Whether this host listens on `port`, at any address.
    pub(crate) fn listens_on(&self, port: u16) -> bool {
        self.listeners.iter().any(|l| l.at.port == port)
    }
}

/// Why a host's facts could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FactsError {
    /// The script could not be run, or failed: the transport's error or the script's evidence.
    #[error("{0}")]
    Transport(String),
    /// A Linux host without `ss` (iproute2).
    #[error("`ss` is missing: install iproute2 to discover this host")]
    NoSs,
    /// A FreeBSD host without `sockstat`.
    #[error("`sockstat` is missing")]
    NoSockstat,
    /// `uname -s` names an OS discovery has no command set for.
    #[error("unsupported OS `{0}`: discovery knows Linux and FreeBSD")]
    UnsupportedOs(String),
    /// The script did not finish within the deadline.
    #[error("reading the host took longer than {0:?}")]
    TimedOut(Duration),
}

/// `uname -s`, then the facts with that OS's command set, under one deadline.
pub(crate) async fn collect<T: Transport>(
    transport: &T,
    host: usize,
    deadline: Duration,
) -> Result<HostFacts, FactsError> {
    let run = |script: String| async move {
        let out = transport
            .read(host, &script, deadline)
            .await
            .map_err(|e| FactsError::Transport(e.to_string()))?;
        if out.timed_out {
            return Err(FactsError::TimedOut(deadline));
        }
        if !out.success() {
            return Err(FactsError::Transport(format!(
                "the discovery script failed: {}",
                out.evidence()
            )));
        }
        if out.stdout_dropped > 0 {
            return Err(FactsError::Transport(format!(
                "the discovery script sent more than {} MiB",
                crate::transport::STDOUT_LIMIT >> 20
            )));
        }
        Ok(out.stdout)
    };
    // The manager's facts open with `os NAME`: the OS is asked once.
    let script = format!(
        "m=$( {detect} )\nprintf '%s\\n' \"$m\"\ncase $m in 'os Linux'*) {linux} ;; 'os FreeBSD'*) {freebsd} ;; *) echo \"OS $(uname -s)\" ;; esac",
        linux = linux::wrapped_script(),
        freebsd = freebsd::wrapped_script(),
        detect = manager::FACTS_SCRIPT,
    );
    let stdout = run(script).await?;
    let os = stdout
        .lines()
        .find_map(|l| l.strip_prefix("OS "))
        .unwrap_or("")
        .trim()
        .to_string();
    let mut facts = match os.as_str() {
        "Linux" => linux::parse(&stdout)?,
        "FreeBSD" => freebsd::parse(&stdout)?,
        _ => return Err(FactsError::UnsupportedOs(os)),
    };
    match manager::decide(&manager::parse_facts(&stdout)) {
        Ok(m) => facts.manager = Some(m),
        Err(why) => facts.manager_problem = Some(why),
    }
    Ok(facts)
}

/// The lines both OS scripts print alike: addresses, our own SSH connection, sockets, pid
/// files, init scripts. Anything else is ignored: it can only be hostile bytes that slipped
/// through, never the script itself.
fn common_line(facts: &mut HostFacts, tag: &str, rest: &str) {
    match tag {
        "TRUNCATED" => facts.truncated = true,
        "SSH" => facts.ssh = ssh_server(rest),
        "ADDR" => {
            // `10.0.0.1/24` from ip, `fe80::1%vtnet0` from ifconfig.
            let ip = rest.split(['/', '%']).next().unwrap_or("");
            if let Ok(ip) = ip.parse::<IpAddr>()
                && !ip.is_loopback()
                && !facts.addresses.contains(&ip)
            {
                facts.addresses.push(ip);
            }
        }
        "LISTEN" => {
            let mut words = rest.split(' ');
            if let Some(at) = words.next().and_then(parse_endpoint) {
                facts.listeners.push(Listener {
                    at,
                    pids: pid_list(words.next()),
                });
            }
        }
        "ESTAB" => {
            let w: Vec<&str> = rest.split(' ').collect();
            if let [local, peer, count, pids @ ..] = &w[..]
                && let (Some(local), Some(peer)) = (parse_endpoint(local), parse_endpoint(peer))
            {
                facts.connections.push(Connection {
                    local,
                    peer,
                    pids: pid_list(pids.first().copied()),
                    count: count.parse().unwrap_or(1),
                });
            }
        }
        "PIDFILE" => {
            // The path comes encoded: a folder of /run may be a user's, and a name anything.
            if let Some((pid, path)) = rest.split_once(' ')
                && let Ok(pid) = pid.parse::<u32>()
            {
                let path = field(path);
                if !facts.pid_files.iter().any(|(p, _)| *p == path) {
                    facts.pid_files.push((path, pid));
                }
            }
        }
        "INITD" => facts.init_scripts.push(rest.to_string()),
        _ => {}
    }
}

/// One listener per address (sockstat lists a socket once per process holding it), and the
/// init scripts sorted.
fn finish(facts: &mut HostFacts) {
    let mut merged: BTreeMap<Endpoint, Vec<u32>> = BTreeMap::new();
    for l in facts.listeners.drain(..) {
        merged.entry(l.at).or_default().extend(l.pids);
    }
    facts.listeners = merged
        .into_iter()
        .map(|(at, mut pids)| {
            pids.sort_unstable();
            pids.dedup();
            Listener { at, pids }
        })
        .collect();
    facts.init_scripts.sort();
    facts.init_scripts.dedup();
}

/// `$SSH_CONNECTION`: client address, client port, server address, server port.
fn ssh_server(text: &str) -> Option<Endpoint> {
    let w: Vec<&str> = text.split_whitespace().collect();
    match w[..] {
        [_, _, ip, port] => Some(Endpoint::new(ip.parse().ok()?, port.parse().ok()?)),
        _ => None,
    }
}

fn pid_list(text: Option<&str>) -> Vec<u32> {
    let mut pids: Vec<u32> = text
        .unwrap_or("")
        .split(',')
        .filter_map(|p| p.parse().ok())
        .collect();
    pids.sort_unstable();
    pids.dedup();
    pids
}

/// `pNAME` as is, `xHEX` decoded (and bare hex, as older scripts sent every field).
fn field(word: &str) -> String {
    match (word.strip_prefix('p'), word.strip_prefix('x')) {
        (Some(plain), _) => plain.to_string(),
        (_, Some(hex)) => unhex(hex),
        _ => unhex(word),
    }
}

/// Hex as `od -An -tx1` prints it (spaces and newlines ignored) to the bytes, lossily as text.
/// Remote strings travel hex-encoded so no byte in them can break the line protocol.
pub(crate) fn unhex(text: &str) -> String {
    let digits: Vec<u8> = text
        .bytes()
        .filter(u8::is_ascii_hexdigit)
        .map(|b| match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => b - b'A' + 10,
        })
        .collect();
    let bytes: Vec<u8> = digits.chunks_exact(2).map(|c| c[0] << 4 | c[1]).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// `/proc/PID/cmdline`: NUL-separated arguments.
pub(crate) fn split_args(cmdline: &str) -> Vec<String> {
    cmdline
        .split('\0')
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect()
}

/// An address and port as `ss` and `sockstat` print them: `10.0.0.1:80`, `[::1]:80`, `*:80`,
/// `127.0.0.53%lo:53`, `[fe80::1]%eth0:22` (the zone dropped). `None` for a port `*`
/// (`0.0.0.0:*`) and for anything else.
pub fn parse_endpoint(text: &str) -> Option<Endpoint> {
    let (host, port) = text.rsplit_once(':')?;
    let port: u16 = port.parse().ok()?;
    let host = host.trim_start_matches('[');
    let host = host.split('%').next()?.trim_end_matches(']');
    let ip: IpAddr = match host {
        "*" => IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
        h => h.parse().ok()?,
    };
    Some(Endpoint::new(ip, port))
}

/// The `.service` a cgroup path names, outside users' sessions: `redis-server`.
pub(crate) fn unit_from_cgroup(cgroup: &str) -> Option<String> {
    cgroup.lines().find_map(|line| {
        let path = line.splitn(3, ':').nth(2)?;
        if path.contains("user.slice") {
            return None;
        }
        path.split('/')
            .rev()
            .find_map(|part| part.strip_suffix(".service"))
            .filter(|u| !u.is_empty())
            .map(str::to_string)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_in_every_form_ss_prints() {
        let e = |s: &str| parse_endpoint(s).map(|e| e.to_string());
        assert_eq!(e("10.0.0.1:80").as_deref(), Some("10.0.0.1:80"));
        assert_eq!(e("[::1]:6379").as_deref(), Some("[::1]:6379"));
        assert_eq!(e("*:22").as_deref(), Some("0.0.0.0:22"));
        assert_eq!(e("[::]:22").as_deref(), Some("[::]:22"));
        assert_eq!(e("127.0.0.53%lo:53").as_deref(), Some("127.0.0.53:53"));
        assert_eq!(e("[fe80::1]%eth0:22").as_deref(), Some("[fe80::1]:22"));
        assert_eq!(
            e("[::ffff:10.0.0.9]:6379").as_deref(),
            Some("10.0.0.9:6379")
        );
        assert_eq!(e("0.0.0.0:*"), None);
        assert_eq!(e("garbage"), None);
    }

    #[test]
    fn units_from_cgroups_v1_and_v2_but_not_sessions() {
        assert_eq!(
            unit_from_cgroup("0::/system.slice/redis-server.service\n").as_deref(),
            Some("redis-server")
        );
        assert_eq!(
            unit_from_cgroup("12:pids:/\n1:name=systemd:/system.slice/nginx.service\n").as_deref(),
            Some("nginx")
        );
        assert_eq!(
            unit_from_cgroup("0::/user.slice/user-0.slice/user@0.service/app.slice/x.service"),
            None
        );
        assert_eq!(unit_from_cgroup("0::/"), None);
    }

    #[test]
    fn hex_round_trip_keeps_hostile_bytes() {
        assert_eq!(unhex("61 00 62\n0a 22"), "a\0b\n\"");
        assert_eq!(unhex("6"), "");
    }
}
