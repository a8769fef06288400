//! Which unit owns each listening process: systemd's cgroup, else an init script found through
//! the process's pid file, its name, or the package that owns its executable; and the units
//! that listen on nothing (systemd's running units, init scripts whose pid file names a live
//! process). The OS's own plumbing is told from what the host says, not from daemon names.
//! Pure: host facts in, the host's service instances out.

use super::facts::{Endpoint, HostFacts, Manager, Process};
use serde::Serialize;
use std::collections::BTreeSet;

/// How a unit was recognised: said in the plan's comments and the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Owner {
    /// The unit's name: a systemd unit without `.service`, or an init or rc.d script's name.
    pub unit: String,
    /// The process the unit runs (the pid file's, or the topmost of the listener's ancestors).
    pub root: u32,
    /// The pid file that names `root`, when one does (never under systemd).
    pub pid_file: Option<String>,
    /// How it was recognised, in words: `systemd unit nginx.service`, `init script redis-server,
    /// pid file /run/redis/redis-server.pid`, `init script postfix by its package`.
    pub how: String,
}

/// A unit running on one host, with the sockets its processes listen on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instance {
    /// The unit, and how it was recognised.
    pub owner: Owner,
    /// Where its processes listen.
    pub listeners: BTreeSet<Endpoint>,
    /// Its listening processes and its root process.
    pub pids: BTreeSet<u32>,
    /// The root process's name and command line, for the config files they name.
    pub process: Process,
    /// The files of the unit's `EnvironmentFile=` lines, as systemd reports them.
    pub environment_files: Vec<String>,
    /// Why it may be the base OS's (its package's priority): such a unit is a service only
    /// when it listens beyond loopback or talks to another host (rsyslog forwarding).
    pub base_os: Option<String>,
}

impl Instance {
    /// The unit's name (its owner's).
    pub fn unit(&self) -> &str {
        &self.owner.unit
    }

    /// Whether this instance listens on `port` at `ip` (or on every address).
    pub(crate) fn listens(&self, ip: std::net::IpAddr, port: u16) -> bool {
        self.listeners
            .iter()
            .any(|l| l.port == port && (l.ip == ip || l.ip.is_unspecified()))
    }
}

/// A listening socket that no unit owns: reported, never restarted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unowned {
    /// Where it listens.
    pub at: Endpoint,
    /// The process holding it; `None` when the host showed none (discover then needs root).
    pub pid: Option<u32>,
    /// The process's short name; empty when it was not read.
    pub process: String,
}

/// What runs on one host, as [`identify`] tells it from the host's facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Identified {
    /// The units with a listening socket or a running process, in name order; the one of the
    /// SSH daemon carrying comeback's own connection and the manager's own left out.
    pub instances: Vec<Instance>,
    /// Listening sockets no unit owns, in address order (the SSH daemon's excluded).
    pub unowned: Vec<Unowned>,
    /// The processes of the SSH daemon carrying comeback's own connection.
    pub ssh_pids: BTreeSet<u32>,
    /// Running units left out as the service manager's own, and why (what the host said).
    pub plumbing: Vec<(String, String)>,
}

impl Identified {
    pub(crate) fn instance(&self, unit: &str) -> Option<&Instance> {
        self.instances.iter().find(|i| i.unit() == unit)
    }
}

/// Folders on the way to a pid file that say nothing about whose it is.
const GENERIC_DIRS: &[&str] = &["", "run", "var", "pid", "pids", "spool", "lib"];

/// A name a service manager could know: what `unit:` accepts (a file name in /etc/init.d could
/// be anything; such a "unit" is left to the report as a listener no unit owns).
fn is_unit_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && !name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '/' | '\'' | '"'))
}

/// The unit that owns `pid` on this host, if any.
pub(crate) fn owner(facts: &HostFacts, pid: u32) -> Option<Owner> {
    let lineage = facts.lineage(pid);
    if let Some(p) = lineage
        .iter()
        .find(|p| p.unit.as_deref().is_some_and(is_unit_name))
    {
        let unit = p.unit.clone()?;
        return Some(Owner {
            how: format!("systemd unit {unit}.service"),
            unit,
            root: lineage.last().map_or(pid, |p| p.pid),
            pid_file: None,
        });
    }
    let is_script = |name: &str| -> bool {
        is_unit_name(name)
            && (facts.enabled.iter().any(|e| e == name)
                || facts.init_scripts.iter().any(|s| s == name))
    };
    let scripts = if facts.manager == Some(Manager::Bsdrc) {
        "rc.d script"
    } else {
        "init script"
    };
    // The nearest process a pid file names, and the names that pid file's path suggests.
    let pid_file = lineage.iter().find_map(|p| {
        facts
            .pid_files
            .iter()
            .filter(|(_, owner)| *owner == p.pid)
            .min_by_key(|(path, _)| path.len())
            .map(|(path, _)| (path.clone(), p.pid))
    });
    if let Some((path, root)) = &pid_file {
        let stem = path
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".pid");
        let dirs = path.rsplit('/').skip(1);
        let names = std::iter::once(stem).chain(dirs.filter(|d| !GENERIC_DIRS.contains(d)));
        for name in names {
            if is_script(name) {
                return Some(Owner {
                    unit: name.to_string(),
                    root: *root,
                    pid_file: Some(path.clone()),
                    how: format!("{scripts} {name}, pid file {path}"),
                });
            }
        }
    }
    for p in &lineage {
        let exe = basename(&p.exe);
        let argv0 = p
            .args
            .first()
            .and_then(|a| a.split_whitespace().next())
            .map(basename)
            .unwrap_or("");
        let candidates = [
            (p.name.as_str(), "process name"),
            (exe, "executable"),
            (argv0, "command"),
            (p.package.as_deref().unwrap_or(""), "package"),
        ];
        for (name, what) in candidates {
            if is_script(name) {
                let (pid_file, root) = pid_file
                    .clone()
                    .map_or((None, p.pid), |(f, r)| (Some(f), r));
                return Some(Owner {
                    unit: name.to_string(),
                    root,
                    how: match &pid_file {
                        Some(f) => format!("{scripts} {name} by its {what}, pid file {f}"),
                        None => format!("{scripts} {name} by its {what}"),
                    },
                    pid_file,
                });
            }
        }
    }
    None
}

/// Units with no listening socket: every unit systemd runs, and on other managers every init
/// script whose pid file names a live process.
fn silent_units(facts: &HostFacts, found: &mut Identified) {
    let known = |found: &Identified, unit: &str| found.instances.iter().any(|i| i.unit() == unit);
    for u in &facts.units {
        if !is_unit_name(&u.name) || known(found, &u.name) {
            continue;
        }
        // Without a main pid systemd reported, any process of the unit's cgroup.
        let root = Some(u.main_pid).filter(|&p| p > 1).or_else(|| {
            facts
                .processes
                .values()
                .find(|p| p.unit.as_deref() == Some(u.name.as_str()))
                .map(|p| p.pid)
        });
        found.instances.push(Instance {
            owner: Owner {
                unit: u.name.clone(),
                root: root.unwrap_or(0),
                pid_file: None,
                how: format!("systemd unit {}.service", u.name),
            },
            listeners: BTreeSet::new(),
            pids: root.into_iter().collect(),
            process: root
                .and_then(|r| facts.processes.get(&r))
                .cloned()
                .unwrap_or_default(),
            environment_files: Vec::new(),
            base_os: None,
        });
    }
    if facts.manager == Some(Manager::Systemd) {
        return;
    }
    for (_, pid) in &facts.pid_files {
        if !facts.processes.contains_key(pid) || found.ssh_pids.contains(pid) {
            continue; // not running (a stale pid file), or our own sshd
        }
        let Some(owner) = owner(facts, *pid) else {
            continue;
        };
        if known(found, &owner.unit) {
            continue;
        }
        found.instances.push(Instance {
            process: facts
                .processes
                .get(&owner.root)
                .cloned()
                .unwrap_or_default(),
            listeners: BTreeSet::new(),
            pids: [*pid, owner.root].into(),
            owner,
            environment_files: Vec::new(),
            base_os: None,
        });
    }
}

/// Why a unit is the service manager's own machinery, from what the host says: systemd
/// refuses to start or stop it by hand (the system bus), it runs a login on a terminal, or its
/// unit file ships in the manager's own package. Without a package database, systemd's own
/// naming (`systemd-*`, `user@`) stands in for the last.
fn manager_own(facts: &HostFacts, unit: &str) -> Option<String> {
    let u = facts.units.iter().find(|u| u.name == unit)?;
    if u.refused_by_hand {
        return Some("systemd refuses to start or stop it by hand".into());
    }
    if u.terminal {
        return Some("a login on a terminal (TTYPath)".into());
    }
    match (&u.package, &facts.manager_package) {
        // Its family too: Debian ships systemd-resolved and systemd-timesyncd apart.
        (Some((p, _)), Some(m)) if p == m || p.starts_with(&format!("{m}-")) => Some(format!(
            "its unit file ships with the service manager (package {p})"
        )),
        (None, None)
            if ["systemd-", "user@", "user-runtime-dir@"]
                .iter()
                .any(|prefix| unit.starts_with(prefix)) =>
        {
            Some("systemd's own unit".into())
        }
        _ => None,
    }
}

/// Debian's priorities for what every installed system has.
const BASE_PRIORITIES: &[&str] = &["required", "important", "standard"];

/// What makes a unit the base OS's, if anything does: its package's priority (cron, dbus,
/// rsyslog), or a name on the system bus (polkit, udisks: D-Bus services of the OS).
fn base_os(facts: &HostFacts, unit: &str) -> Option<String> {
    let running = facts.units.iter().find(|u| u.name == unit);
    if let Some(bus) = running.and_then(|u| u.bus_name.as_ref()) {
        return Some(format!("a service of the system bus, BusName={bus}"));
    }
    let (package, priority) = running
        .and_then(|u| u.package.as_ref())
        .or_else(|| facts.script_packages.get(unit))?;
    BASE_PRIORITIES
        .contains(&priority.as_str())
        .then(|| format!("package {package}, priority {priority}"))
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The host's service instances: every listener's unit, the SSH daemon that carries our own
/// connection left out.
pub fn identify(facts: &HostFacts) -> Identified {
    let mut found = Identified::default();
    if let Some(ssh) = facts.ssh {
        for l in &facts.listeners {
            if l.at.port == ssh.port && (l.at.ip == ssh.ip || l.at.ip.is_unspecified()) {
                found.ssh_pids.extend(&l.pids);
            }
        }
    }
    let mut ssh_units = BTreeSet::new();
    for l in &facts.listeners {
        if l.pids.is_empty() {
            found.unowned.push(Unowned {
                at: l.at,
                pid: None,
                process: String::new(),
            });
            continue;
        }
        for &pid in &l.pids {
            let owner = owner(facts, pid);
            if found.ssh_pids.contains(&pid) {
                ssh_units.extend(owner.map(|o| o.unit));
                continue;
            }
            let Some(owner) = owner else {
                found.unowned.push(Unowned {
                    at: l.at,
                    pid: Some(pid),
                    process: facts
                        .processes
                        .get(&pid)
                        .map_or_else(String::new, |p| p.name.clone()),
                });
                continue;
            };
            match found
                .instances
                .iter_mut()
                .find(|i| i.owner.unit == owner.unit)
            {
                Some(i) => {
                    i.listeners.insert(l.at);
                    i.pids.insert(pid);
                }
                None => found.instances.push(Instance {
                    process: facts
                        .processes
                        .get(&owner.root)
                        .cloned()
                        .unwrap_or_default(),
                    listeners: [l.at].into(),
                    pids: [pid, owner.root].into(),
                    owner,
                    environment_files: Vec::new(),
                    base_os: None,
                }),
            }
        }
    }
    silent_units(facts, &mut found);
    found.instances.retain(|i| !ssh_units.contains(i.unit()));
    let mut kept = Vec::new();
    for mut i in std::mem::take(&mut found.instances) {
        if let Some(why) = manager_own(facts, i.unit()) {
            found.plumbing.push((i.unit().to_string(), why));
            continue;
        }
        i.base_os = base_os(facts, i.unit());
        if let Some(u) = facts.units.iter().find(|u| u.name == i.unit()) {
            i.environment_files = u.environment_files.clone();
        }
        kept.push(i);
    }
    found.instances = kept;
    found.plumbing.sort();
    found
        .instances
        .sort_by(|a, b| a.owner.unit.cmp(&b.owner.unit));
    found.unowned.sort_by_key(|u| (u.at, u.pid));
    found.unowned.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::facts::{Listener, parse_endpoint};

    fn process(pid: u32, ppid: u32, name: &str, exe: &str) -> Process {
        Process {
            pid,
            ppid,
            name: name.into(),
            exe: exe.into(),
            args: vec![exe.into()],
            unit: None,
            package: None,
        }
    }

    fn listener(at: &str, pids: &[u32]) -> Listener {
        Listener {
            at: parse_endpoint(at).expect("endpoint"),
            pids: pids.to_vec(),
        }
    }

    fn debian() -> HostFacts {
        let mut facts = HostFacts {
            os: "Linux".into(),
            manager: Some(Manager::Sysv),
            ssh: parse_endpoint("10.0.0.21:22"),
            init_scripts: ["haproxy", "postfix", "redis-server", "ssh"]
                .map(String::from)
                .into(),
            pid_files: vec![
                ("/run/haproxy.pid".into(), 100),
                ("/run/redis/redis-server.pid".into(), 200),
                ("/var/spool/postfix/pid/master.pid".into(), 300),
                ("/run/sshd.pid".into(), 50),
            ],
            listeners: vec![
                listener("0.0.0.0:22", &[50]),
                listener("0.0.0.0:80", &[101]),
                listener("127.0.0.1:6379", &[200]),
                listener("0.0.0.0:25", &[300]),
                listener("0.0.0.0:9000", &[400]),
            ],
            ..HostFacts::default()
        };
        for p in [
            process(50, 1, "sshd", "/usr/sbin/sshd"),
            process(100, 1, "haproxy", "/usr/sbin/haproxy"),
            process(101, 100, "haproxy", "/usr/sbin/haproxy"),
            process(200, 1, "redis-server", "/usr/bin/redis-check-rdb"),
            process(300, 1, "master", "/usr/lib/postfix/sbin/master"),
            process(400, 1, "my app", "/opt/app/bin/app"),
        ] {
            facts.processes.insert(p.pid, p);
        }
        facts
    }

    #[test]
    fn init_scripts_through_pid_files_workers_and_folders() {
        let found = identify(&debian());
        let units: Vec<(&str, u32, Option<&str>)> = found
            .instances
            .iter()
            .map(|i| (i.unit(), i.owner.root, i.owner.pid_file.as_deref()))
            .collect();
        assert_eq!(
            units,
            [
                ("haproxy", 100, Some("/run/haproxy.pid")),
                ("postfix", 300, Some("/var/spool/postfix/pid/master.pid")),
                ("redis-server", 200, Some("/run/redis/redis-server.pid")),
            ]
        );
        assert_eq!(found.ssh_pids, [50].into());
        assert_eq!(found.unowned.len(), 1);
        assert_eq!(found.unowned[0].process, "my app");
    }

    #[test]
    fn a_package_names_the_script_when_nothing_else_does() {
        let mut facts = debian();
        facts.pid_files.clear();
        facts.processes.get_mut(&300).expect("master").package = Some("postfix".into());
        let found = identify(&facts);
        let postfix = found.instance("postfix").expect("postfix");
        assert_eq!(postfix.owner.how, "init script postfix by its package");
        // redis-server is found by its process name even without its pid file.
        assert!(found.instance("redis-server").is_some());
    }

    #[test]
    fn systemd_cgroups_win() {
        let mut facts = debian();
        facts.manager = Some(Manager::Systemd);
        facts.processes.get_mut(&101).expect("worker").unit = Some("haproxy".into());
        facts.processes.get_mut(&100).expect("master").unit = Some("haproxy".into());
        let found = identify(&facts);
        assert_eq!(
            found.instance("haproxy").expect("haproxy").owner.how,
            "systemd unit haproxy.service"
        );
    }
}
