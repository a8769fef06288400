//! Reading one host for discovery, read-only and under one deadline: its facts, the config files
//! of each unit it runs (what the command line, the unit or init script, the /etc conventions and
//! the table of common daemons point at), and how the names those files mention resolve there.

use super::facts::{self, HostFacts, Manager, locations};
use super::identify::{Identified, identify};
use crate::inspect::{ConfigFile, fetch_configs};
use crate::transport::Transport;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// One host as discovery saw it.
#[derive(Debug, Clone, Serialize)]
pub struct HostScan {
    /// What the host's own tools reported.
    pub facts: HostFacts,
    /// The units found in those facts.
    pub identified: Identified,
    /// Per unit: the config files read (path, text), sorted by path.
    pub configs: BTreeMap<String, Vec<(String, String)>>,
    /// Every name the configs mention, as it resolves from this host (empty: it does not).
    pub resolved: BTreeMap<String, Vec<IpAddr>>,
}

/// The most config files read per unit: a folder of thousands of vhosts is data, not config.
const FILES_PER_UNIT: usize = 200;

pub(crate) async fn scan_host<T: Transport>(
    transport: &T,
    host: usize,
    deadline: Duration,
) -> Result<HostScan, String> {
    let start = Instant::now();
    let left = || {
        deadline
            .saturating_sub(start.elapsed())
            .max(Duration::from_millis(1))
    };
    let mut facts = facts::collect(transport, host, deadline)
        .await
        .map_err(|e| e.to_string())?;
    let mut identified = identify(&facts);
    // A listener no pid file or name explained: on Debian, the package of its executable may.
    let exes: BTreeSet<String> = identified
        .unowned
        .iter()
        .filter_map(|u| u.pid)
        .flat_map(|pid| facts.lineage(pid))
        .map(|p| p.exe.clone())
        .filter(|e| !e.is_empty())
        .collect();
    if facts.os == "Linux" && !exes.is_empty() {
        let exes: Vec<String> = exes.into_iter().collect();
        facts::linux::find_packages(transport, host, &mut facts, &exes, left()).await?;
        identified = identify(&facts);
    }
    // Which units are the OS's own: the packages of their unit files or init scripts.
    if facts.os == "Linux" {
        let scripts: Vec<&str> = identified
            .instances
            .iter()
            .map(|i| i.unit())
            .filter(|u| facts.init_scripts.iter().any(|s| s == u))
            .collect();
        if !facts.units.is_empty() || !scripts.is_empty() {
            let scripts: Vec<String> = scripts.into_iter().map(String::from).collect();
            let scripts: Vec<&str> = scripts.iter().map(String::as_str).collect();
            facts::systemd::find_packages(transport, host, &mut facts, &scripts, left()).await?;
            identified = identify(&facts);
        }
    }

    // Round 1: the unit's own files and the usual places; round 2: what its unit or init
    // script names. All units of the host in one command per round.
    let mut wanted: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut scripts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for i in &identified.instances {
        wanted.insert(i.unit().to_string(), candidates(i));
        scripts.insert(i.unit().to_string(), script_paths(facts.manager, i.unit()));
    }
    let mut files = read(
        transport,
        host,
        wanted.values().chain(scripts.values()),
        left(),
    )
    .await?;
    let mut more: Vec<String> = Vec::new();
    for paths in scripts.values() {
        for p in paths {
            for (path, text) in &files {
                if glob_match(p, path) {
                    more.extend(locations::files_in_script(text));
                }
            }
        }
    }
    more.retain(|m| !files.contains_key(m));
    more.sort();
    more.dedup();
    if !more.is_empty() {
        files.extend(read(transport, host, [&more], left()).await?);
    }
    let mut configs = BTreeMap::new();
    for i in &identified.instances {
        let unit = i.unit();
        let script_files = &scripts[unit];
        let mut patterns = wanted[unit].clone();
        for s in script_files {
            for (path, text) in &files {
                if glob_match(s, path) {
                    patterns.extend(locations::files_in_script(text));
                }
            }
        }
        let mut mine: Vec<(String, String)> = files
            .iter()
            .filter(|(path, _)| patterns.iter().any(|p| glob_match(p, path)))
            .filter(|(path, _)| !script_files.iter().any(|s| glob_match(s, path)))
            .filter(|(path, _)| !is_secret_file(path) || patterns.contains(*path))
            .map(|(p, t)| (p.clone(), t.clone()))
            .take(FILES_PER_UNIT)
            .collect();
        mine.sort();
        configs.insert(unit.to_string(), mine);
    }

    let mut names: Vec<String> = configs
        .values()
        .flatten()
        .flat_map(|(_, text)| crate::refs::scan(text, &Default::default()))
        .filter(|r| r.kind.reaches())
        .map(|r| r.host)
        .filter(|h| super::draft::ip_literal(h).is_none())
        .collect();
    names.sort();
    names.dedup();
    let resolved = resolve(transport, host, &names, left()).await?;
    Ok(HostScan {
        facts,
        identified,
        configs,
        resolved,
    })
}

/// Config files worth reading for an instance: command-line flags, the unit's
/// `EnvironmentFile=`s, the unit's /etc conventions, and the table of common daemons.
fn candidates(i: &super::identify::Instance) -> Vec<String> {
    let p = &i.process;
    let mut names = vec![i.unit().to_string(), p.name.clone()];
    // A template's instance (`postgresql@15-main`) keeps its files under the template's name.
    if let Some((template, _)) = i.unit().split_once('@') {
        names.push(template.to_string());
    }
    names.extend(p.package.clone());
    if let Some(exe) = p.exe.rsplit('/').next() {
        names.push(exe.to_string());
    }
    names.retain(|n| !n.is_empty() && !n.contains(['*', '?', '[']));
    names.sort();
    names.dedup();
    let mut out = locations::files_in_args(&p.args);
    out.extend(i.environment_files.iter().cloned());
    out.extend(
        locations::usual_configs(names.iter().map(String::as_str))
            .into_iter()
            .map(String::from),
    );
    for n in &names {
        for pattern in [
            format!("/etc/{n}.conf"),
            format!("/etc/{n}/{n}.conf"),
            format!("/etc/{n}/*.conf"),
            format!("/etc/{n}/*.cfg"),
            format!("/etc/{n}/*.cnf"),
            format!("/etc/{n}/*.ini"),
            format!("/etc/{n}/*.yml"),
            format!("/etc/{n}/*.yaml"),
            format!("/etc/default/{n}"),
            format!("/usr/local/etc/{n}.conf"),
            format!("/usr/local/etc/{n}/*.conf"),
        ] {
            out.push(pattern);
        }
    }
    // Whatever else the unit's own folder holds (a VCL, an app's settings) and its drop-in
    // folder: by the unit's and package's names only (an interpreter's name, `python3`, would
    // read the interpreter's folder). Key and secret files are dropped once read.
    let mut own = vec![i.unit().to_string()];
    own.extend(i.unit().split_once('@').map(|(t, _)| t.to_string()));
    own.extend(p.package.clone());
    for n in own
        .iter()
        .filter(|n| !n.is_empty() && !n.contains(['*', '?', '[']))
    {
        out.push(format!("/etc/{n}/*"));
        out.push(format!("/etc/{n}.d/*"));
    }
    out.sort();
    out.dedup();
    out
}

/// A file that holds a key or a secret by its name (varnish's `secret`, a TLS key): never
/// taken from a folder's glob as a config, whatever it contains.
pub(crate) fn is_secret_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    [
        "secret",
        "passw",
        "shadow",
        "token",
        "credential",
        "id_rsa",
        "id_ed25519",
    ]
    .iter()
    .any(|w| name.contains(w))
        || [".key", ".pem", ".p12", ".pfx", ".jks", ".keytab", ".crt"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// Where the unit file or init script of `unit` lives under each manager.
fn script_paths(manager: Option<Manager>, unit: &str) -> Vec<String> {
    match manager {
        Some(Manager::Systemd) => vec![
            format!("/etc/systemd/system/{unit}.service"),
            format!("/lib/systemd/system/{unit}.service"),
            format!("/usr/lib/systemd/system/{unit}.service"),
            format!("/etc/systemd/system/{unit}.service.d/*.conf"),
        ],
        Some(Manager::Bsdrc) => vec![
            format!("/etc/rc.d/{unit}"),
            format!("/usr/local/etc/rc.d/{unit}"),
        ],
        _ => vec![format!("/etc/init.d/{unit}")],
    }
}

/// Reads files matching `patterns` on the host: path -> text, the ones that exist.
async fn read<'a, T: Transport>(
    transport: &T,
    host: usize,
    patterns: impl IntoIterator<Item = &'a Vec<String>>,
    deadline: Duration,
) -> Result<BTreeMap<String, String>, String> {
    let mut all: Vec<String> = patterns.into_iter().flatten().cloned().collect();
    all.sort();
    all.dedup();
    let found = fetch_configs(transport, host, &all, deadline).await?;
    Ok(found
        .into_iter()
        .filter_map(|f| match f {
            ConfigFile::Read { path, text, .. } => Some((path, text)),
            _ => None,
        })
        .collect())
}

/// A shell glob (`*`, `?` within one path segment) against a path, for telling which pattern
/// a file read on the host came from.
pub(crate) fn glob_match(pattern: &str, path: &str) -> bool {
    fn go(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) => {
                go(&p[1..], s) || (s.first().is_some_and(|&c| c != b'/') && go(p, &s[1..]))
            }
            (Some(b'?'), Some(&c)) if c != b'/' => go(&p[1..], &s[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &s[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), path.as_bytes())
}

/// Names are looked up 16 at a time: a config naming hundreds of hosts must not start hundreds
/// of processes at once on a host in production.
const RESOLVE: &str = include_str!("../remote/resolve_names.sh");

/// How each name resolves from the host (`getent ahosts`, as the host's own resolver sees it).
async fn resolve<T: Transport>(
    transport: &T,
    host: usize,
    names: &[String],
    deadline: Duration,
) -> Result<BTreeMap<String, Vec<IpAddr>>, String> {
    if names.is_empty() {
        return Ok(BTreeMap::new());
    }
    let quoted: Vec<String> = names
        .iter()
        .map(|n| crate::quote::word(n).into_owned())
        .collect();
    let command = format!("set -- {}; {RESOLVE}", quoted.join(" "));
    let out = transport
        .read(host, &command, deadline)
        .await
        .map_err(|e| e.to_string())?;
    let mut resolved: BTreeMap<String, Vec<IpAddr>> =
        names.iter().map(|n| (n.clone(), Vec::new())).collect();
    for line in out.stdout.lines() {
        let mut words = line.split(' ');
        if words.next() != Some("NAME") {
            continue;
        }
        let name = facts::unhex(words.next().unwrap_or(""));
        if let Some(addresses) = resolved.get_mut(&name) {
            addresses.extend(words.filter_map(|w| w.parse::<IpAddr>().ok()));
            addresses.sort();
            addresses.dedup();
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_stay_within_a_path_segment() {
        assert!(glob_match(
            "/etc/nginx/sites-enabled/*",
            "/etc/nginx/sites-enabled/default"
        ));
        assert!(glob_match(
            "/etc/postgresql/*/main/postgresql.conf",
            "/etc/postgresql/15/main/postgresql.conf"
        ));
        assert!(!glob_match("/etc/redis/*.conf", "/etc/redis/x/y.conf"));
        assert!(glob_match("/etc/redis/redis.conf", "/etc/redis/redis.conf"));
        assert!(!glob_match(
            "/etc/redis/redis.conf",
            "/etc/redis/redis.conf.bak"
        ));
    }
}
