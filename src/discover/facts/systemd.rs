//! systemd's own word on what runs: every service unit in state `running` (listening or not),
//! its main process, unit file and `EnvironmentFile=`s, and what the manager says about it
//! (refused by hand, bound to a terminal). With the package and priority of each unit file,
//! this is how discovery tells the OS's plumbing from services without a table of daemon names.

use super::{HostFacts, field};
use serde::Serialize;

/// A service unit systemd reports as running.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RunningUnit {
    /// Its name without `.service` (`postgresql@15-main`).
    pub name: String,
    /// Its main process (0 when systemd knows none).
    pub main_pid: u32,
    /// Its unit file; a generated unit (an init script run by systemd) has its script here.
    pub file: String,
    /// The files of its `EnvironmentFile=` lines.
    pub environment_files: Vec<String>,
    /// systemd refuses to start or stop it by hand (`RefuseManualStart/Stop=yes`): the
    /// manager's own machinery, such as the system bus.
    pub refused_by_hand: bool,
    /// It runs on a terminal (`TTYPath=`): a login prompt.
    pub terminal: bool,
    /// The name it takes on the system bus (`BusName=`): a D-Bus service (polkit, udisks).
    pub bus_name: Option<String>,
    /// Debian: the package that ships `file`, and that package's priority.
    pub package: Option<(String, String)>,
}

/// One `SD` line into the units being read; `rest` is what follows `SD `.
pub(crate) fn line(facts: &mut HostFacts, open: &mut Option<RunningUnit>, rest: &str) {
    let rest = rest.trim_end_matches('\r');
    let Some((key, value)) = rest.split_once('=') else {
        // A blank line ends a unit.
        close(facts, open);
        return;
    };
    let unit = open.get_or_insert_with(RunningUnit::default);
    match key {
        "Id" => {
            if !unit.name.is_empty() {
                close(facts, open);
                return line(facts, open, rest);
            }
            unit.name = value.strip_suffix(".service").unwrap_or(value).to_string();
        }
        "MainPID" => unit.main_pid = value.parse().unwrap_or(0),
        // A unit made from an init script has its script as SourcePath and the generated
        // file as FragmentPath: the script says whose it is.
        "FragmentPath" if unit.file.is_empty() => unit.file = value.to_string(),
        "SourcePath" if !value.is_empty() => unit.file = value.to_string(),
        "EnvironmentFiles" => unit.environment_files.extend(environment_file(value)),
        "RefuseManualStart" | "RefuseManualStop" => unit.refused_by_hand |= value == "yes",
        "TTYPath" => unit.terminal = !value.is_empty(),
        "BusName" if !value.is_empty() => unit.bus_name = Some(value.to_string()),
        _ => {}
    }
}

/// The unit being read, into the facts (a nameless one is dropped).
pub(crate) fn close(facts: &mut HostFacts, open: &mut Option<RunningUnit>) {
    if let Some(unit) = open.take()
        && !unit.name.is_empty()
        && !facts.units.iter().any(|u| u.name == unit.name)
    {
        facts.units.push(unit);
    }
}

/// `SDEXE FIELD`: the manager's own executable.
pub(crate) fn manager_exe(facts: &mut HostFacts, rest: &str) {
    let exe = field(rest.trim());
    if !exe.is_empty() {
        facts.manager_exe = Some(exe);
    }
}

/// `/etc/default/memcached (ignore_errors=yes)`: the path, as systemd prints it.
fn environment_file(value: &str) -> Option<String> {
    let path = value.split(" (ignore_errors=").next()?.trim();
    path.starts_with('/').then(|| path.to_string())
}

/// A path and its twin across Debian's merged `/usr` (dpkg lists `/lib/...`, systemd and the
/// kernel may say `/usr/lib/...`): both are asked.
fn merged_usr_twins(path: &str) -> Vec<String> {
    let mut out = vec![path.to_string()];
    for top in ["/lib/", "/bin/", "/sbin/", "/lib64/"] {
        if let Some(rest) = path.strip_prefix("/usr").filter(|p| p.starts_with(top)) {
            out.push(rest.to_string());
        } else if path.starts_with(top) {
            out.push(format!("/usr{path}"));
        }
    }
    out
}

/// Debian: the package owning each path in "$@", and those packages' priorities.
pub(crate) const PACKAGES: &str = include_str!("../../remote/dpkg_owners.sh");

/// The answer of [`PACKAGES`]: (path -> package, package -> priority).
fn parse_packages(
    output: &str,
) -> (
    std::collections::BTreeMap<String, String>,
    std::collections::BTreeMap<String, String>,
) {
    let mut owners = std::collections::BTreeMap::new();
    let mut priorities = std::collections::BTreeMap::new();
    for l in output.lines() {
        if let Some(rest) = l.strip_prefix("PKG ") {
            // `pkg:arch.list:path` for a multi-arch package: the list's name ends at `.list:`.
            if let Some((list, path)) = rest.split_once(".list:")
                && let Some(name) = list.rsplit('/').next()
            {
                let name = name.split(':').next().unwrap_or(name);
                owners.insert(path.to_string(), name.to_string());
            }
        } else if let Some(rest) = l.strip_prefix("PRIO ") {
            let mut w = rest.split(' ');
            if let (Some(p), Some(prio)) = (w.next(), w.next()) {
                priorities.insert(p.to_string(), prio.to_string());
            }
        }
    }
    (owners, priorities)
}

/// Sets each unit's package and priority, the manager's package and the init scripts'
/// packages, from the answer of the host's dpkg (`PKG list:path` and `PRIO package priority`
/// lines; anything else ignored).
pub fn set_packages(facts: &mut HostFacts, output: &str) {
    let (owners, priorities) = parse_packages(output);
    let owner = |path: &str| {
        merged_usr_twins(path)
            .iter()
            .find_map(|p| owners.get(p))
            .cloned()
    };
    for u in &mut facts.units {
        if let Some(p) = owner(&u.file) {
            let prio = priorities.get(&p).cloned().unwrap_or_default();
            u.package = Some((p, prio));
        }
    }
    facts.manager_package = facts.manager_exe.as_deref().and_then(owner);
    for (script, p) in facts
        .init_scripts
        .iter()
        .filter_map(|s| Some((s, owner(&format!("/etc/init.d/{s}"))?)))
    {
        let prio = priorities.get(&p).cloned().unwrap_or_default();
        facts
            .script_packages
            .insert(script.clone(), (p.clone(), prio));
    }
}

/// Debian: sets the package and priority of every running unit's file, of the manager's
/// executable and of the init scripts of `scripts`, asked of the host's dpkg in one command.
pub(crate) async fn find_packages<T: crate::transport::Transport>(
    transport: &T,
    host: usize,
    facts: &mut HostFacts,
    scripts: &[&str],
    deadline: std::time::Duration,
) -> Result<(), String> {
    let mut paths: Vec<String> = facts
        .units
        .iter()
        .map(|u| u.file.clone())
        .chain(facts.manager_exe.clone())
        .chain(scripts.iter().map(|s| format!("/etc/init.d/{s}")))
        .filter(|p| p.starts_with('/'))
        .flat_map(|p| merged_usr_twins(&p))
        .collect();
    paths.sort();
    paths.dedup();
    if paths.is_empty() {
        return Ok(());
    }
    let out = crate::inspect::run_script(
        transport,
        host,
        paths.iter().map(String::as_str),
        PACKAGES,
        deadline,
        "looking up the packages of units",
    )
    .await?;
    set_packages(facts, &out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> HostFacts {
        let mut facts = HostFacts::default();
        let mut open = None;
        for l in text.lines() {
            if let Some(rest) = l.strip_prefix("SD ") {
                line(&mut facts, &mut open, rest);
            } else if l == "SD" {
                close(&mut facts, &mut open);
            }
        }
        close(&mut facts, &mut open);
        facts
    }

    #[test]
    fn systemctl_show_blocks_become_units() {
        let facts = read(
            "SD Id=memcached.service\nSD MainPID=120\nSD FragmentPath=/lib/systemd/system/memcached.service\n\
             SD EnvironmentFiles=/etc/default/memcached (ignore_errors=yes)\nSD RefuseManualStart=no\nSD TTYPath=\nSD \n\
             SD Id=dbus.service\nSD MainPID=40\nSD RefuseManualStart=yes\nSD BusName=\nSD \n\
             SD Id=zookeeper.service\nSD MainPID=77\nSD FragmentPath=/run/systemd/generator.late/zookeeper.service\n\
             SD SourcePath=/etc/init.d/zookeeper\nSD Id=getty@tty1.service\nSD TTYPath=/dev/tty1\nSD\n",
        );
        let got: Vec<(&str, u32, &str, bool, bool)> = facts
            .units
            .iter()
            .map(|u| {
                (
                    u.name.as_str(),
                    u.main_pid,
                    u.file.as_str(),
                    u.refused_by_hand,
                    u.terminal,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "memcached",
                    120,
                    "/lib/systemd/system/memcached.service",
                    false,
                    false
                ),
                ("dbus", 40, "", true, false),
                ("zookeeper", 77, "/etc/init.d/zookeeper", false, false),
                ("getty@tty1", 0, "", false, true),
            ]
        );
        assert_eq!(facts.units[0].environment_files, ["/etc/default/memcached"]);
    }

    #[test]
    fn packages_across_merged_usr_and_multiarch() {
        let mut facts =
            read("SD Id=a.service\nSD FragmentPath=/usr/lib/systemd/system/a.service\n");
        facts.manager_exe = Some("/usr/lib/systemd/systemd".into());
        facts.init_scripts = vec!["cron".into()];
        set_packages(
            &mut facts,
            "PKG /var/lib/dpkg/info/a:amd64.list:/lib/systemd/system/a.service\n\
             PKG /var/lib/dpkg/info/systemd.list:/lib/systemd/systemd\n\
             PKG /var/lib/dpkg/info/cron.list:/etc/init.d/cron\n\
             PRIO a optional\nPRIO systemd important\nPRIO cron important\n",
        );
        assert_eq!(
            facts.units[0].package,
            Some(("a".to_string(), "optional".to_string()))
        );
        assert_eq!(facts.manager_package.as_deref(), Some("systemd"));
        assert_eq!(
            facts.script_packages["cron"],
            ("cron".to_string(), "important".to_string())
        );
    }
}
