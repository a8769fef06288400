//! A service as its host's service manager knows it: the command that restarts or reloads it,
//! whether the manager knows the name at all, and the process behind it (systemd's `MainPID`;
//! the pid file of a SysV or OpenRC script, else the daemon's own; FreeBSD's `service status`),
//! with its start time, executable and listening TCP ports. Parsers are pure and tested from
//! captured outputs; the I/O is one script per question.

use super::identity::{Shown, runs_program};
use super::manager::Manager;
use super::run_script;
use crate::plan::model::{Action, ProcessSource};
use crate::transport::Transport;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How to find a service's process on one host, once its manager and unit are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Locator {
    /// systemd's `MainPID` of the unit, else the eldest process of its cgroup (a unit
    /// generated from an init script has no main process).
    Systemd { unit: String },
    /// The first of these pid files that names a live process, else the oldest process whose
    /// command name is `daemon`'s; the process must run `program` (an init script's daemon).
    PidFiles {
        unit: String,
        files: Vec<String>,
        daemon: Option<String>,
    },
    /// FreeBSD: `service NAME onestatus` names the pid.
    BsdStatus { unit: String },
    /// The plan's `pid_file`.
    PidFile(String),
    /// The plan's `process` (`pgrep -f -o`).
    Match(String),
}

impl Locator {
    /// The locator of a plan's `pid_file` or `process`; a unit needs its host's manager.
    pub(crate) fn of_source(source: &ProcessSource) -> Option<Locator> {
        match source {
            ProcessSource::Unit(_) => None,
            ProcessSource::PidFile(p) => Some(Locator::PidFile(p.clone())),
            ProcessSource::Match(p) => Some(Locator::Match(p.clone())),
        }
    }
}

/// The running process of a service, as seen on its host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessInfo {
    /// Its process id.
    pub pid: u32,
    /// Unix seconds.
    pub started: i64,
    /// Unix seconds on the host, when asked.
    pub now: i64,
    /// The executable and mapped libraries that were deleted or replaced since start.
    pub deleted: Vec<String>,
    /// The executable, where the host shows it.
    #[serde(default)]
    pub exe: String,
    /// TCP ports it listens on, but those in the host's ephemeral range (chosen by the OS,
    /// different after a restart).
    #[serde(default)]
    pub ports: Vec<u16>,
}

/// The command that restarts (or reloads) `unit` through `manager`; the name is quoted.
pub(crate) fn command(manager: Manager, unit: &str, action: Action) -> String {
    let u = quote(unit);
    match manager {
        Manager::Systemd => format!("systemctl {action} {u}"),
        Manager::Sysv => format!("service {u} {action}"),
        Manager::Openrc => format!("rc-service {u} {action}"),
        // A service not enabled in rc.conf only answers the `one` commands.
        Manager::Bsdrc => format!(
            "if service {u} enabled >/dev/null 2>&1; then service {u} {action}; else service {u} one{action}; fi"
        ),
    }
}

/// The command that exits 0 when the manager says `unit` is running.
pub(crate) fn status_command(manager: Manager, unit: &str) -> String {
    let u = quote(unit);
    match manager {
        Manager::Systemd => format!("systemctl is-active --quiet {u}"),
        Manager::Sysv => format!("service {u} status >/dev/null 2>&1"),
        Manager::Openrc => format!("rc-service {u} status >/dev/null 2>&1"),
        Manager::Bsdrc => format!("service {u} onestatus >/dev/null 2>&1"),
    }
}

pub(crate) fn quote(word: &str) -> String {
    crate::quote::word(word).into_owned()
}

/// Tells whether an init-script manager knows `unit` on this host, and reads the script for its
/// pid file and daemon.
const RESOLVE_SCRIPT: &str = include_str!("../remote/unit_resolve.sh");

/// What proves a restart of a unit: the processes to find before and after it, each with the
/// member unit it belongs to when that is not the unit itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolution {
    /// The unit's own process, or each member's of an umbrella unit (`postgresql` restarts
    /// `postgresql@15-main`).
    pub tracked: Vec<(Option<String>, Locator)>,
    /// Why nothing can prove a restart of this unit, when nothing can.
    pub unprovable: Option<String>,
}

impl Resolution {
    fn one(locator: Locator) -> Resolution {
        Resolution {
            tracked: vec![(None, locator)],
            unprovable: None,
        }
    }
}

/// How `unit` is found on a host whose manager is `manager`, or why the unit is unknown. A
/// systemd unit with no process of its own (a oneshot umbrella) is proved by the units that
/// its `action` really acts on: `ConsistsOf` for a restart, `PropagatesReloadTo` for a reload.
pub(crate) async fn resolve<T: Transport>(
    transport: &T,
    host: usize,
    manager: Manager,
    unit: &str,
    action: Action,
    deadline: Duration,
) -> Result<Resolution, String> {
    let kind = match manager {
        Manager::Systemd => {
            let out = run_script(
                transport,
                host,
                [],
                &super::unit_state::show_command(&[unit]),
                deadline,
                "looking up the unit",
            )
            .await?;
            return systemd_resolution(unit, action, &out);
        }
        Manager::Sysv => "sysv",
        Manager::Openrc => "openrc",
        Manager::Bsdrc => "bsdrc",
    };
    let out = run_script(
        transport,
        host,
        [kind, unit],
        RESOLVE_SCRIPT,
        deadline,
        "looking up the unit",
    )
    .await?;
    if let Some(rest) = out.strip_prefix("NOUNIT ") {
        return Err(format!(
            "unknown unit `{unit}`: {}",
            rest.lines().next().unwrap_or_default().trim()
        ));
    }
    Ok(Resolution::one(match manager {
        Manager::Bsdrc => Locator::BsdStatus { unit: unit.into() },
        _ => {
            let script = out.strip_prefix("SCRIPT\n").unwrap_or(&out);
            let facts = init_script_facts(unit, script);
            Locator::PidFiles {
                unit: unit.into(),
                files: facts.pid_files,
                daemon: facts.daemon,
            }
        }
    }))
}

/// The resolution of `unit` from `systemctl show`'s description of it.
fn systemd_resolution(unit: &str, action: Action, shown: &str) -> Result<Resolution, String> {
    let shown = super::unit_state::parse_show(shown);
    let Some(shown) = shown.first().filter(|s| s.load_state == "loaded") else {
        let load = shown.first().map_or("unknown", |s| s.load_state.as_str());
        return Err(format!(
            "unknown unit `{unit}`: systemd has no unit {unit} (LoadState={})",
            if load.is_empty() { "unknown" } else { load }
        ));
    };
    let members = shown.members(action == Action::Reload);
    if !members.is_empty() {
        return Ok(Resolution {
            tracked: members
                .into_iter()
                .map(|m| {
                    let name = m.strip_suffix(".service").unwrap_or(&m).to_string();
                    (Some(name.clone()), Locator::Systemd { unit: name })
                })
                .collect(),
            unprovable: None,
        });
    }
    if shown.kind == "oneshot" && shown.main_pid == 0 {
        return Ok(Resolution {
            tracked: Vec::new(),
            unprovable: Some(format!(
                "no process to prove a {action} by: {unit} is a oneshot unit with no process of its own and no unit that is part of it"
            )),
        });
    }
    Ok(Resolution::one(Locator::Systemd { unit: unit.into() }))
}

/// What an init script says about its daemon.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ScriptFacts {
    /// Where to look for the pid, in order: the script's own, the daemon's, then the usual.
    pub pid_files: Vec<String>,
    /// The daemon's executable.
    pub daemon: Option<String>,
}

/// Pid files known to be written by daemons themselves, whatever their init script says.
const OWN_PID_FILES: &[(&str, &str)] = &[
    ("postfix", "/var/spool/postfix/pid/master.pid"),
    ("nginx", "/run/nginx.pid"),
];

/// Reads the literal assignments of an init script (`RUNDIR=/run/redis`,
/// `PIDFILE=$RUNDIR/redis-server.pid`, OpenRC's `pidfile=` and `command=`), expanding earlier
/// ones; anything computed (`$(...)`, backquotes) is skipped, never run.
pub(crate) fn init_script_facts(unit: &str, script: &str) -> ScriptFacts {
    let mut vars: Vec<(String, String)> = Vec::new();
    for line in script.lines().take(2000) {
        let line = line.trim_start();
        let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        if name.is_empty()
            || name.len() > 64
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            || name.starts_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        let value = value
            .split([' ', '\t', ';', '#'])
            .next()
            .unwrap_or_default();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        if value.contains("$(") || value.contains('`') || value.len() > 512 {
            continue;
        }
        let expanded = expand(value, &vars);
        vars.push((name.to_string(), expanded));
    }
    let base = unit_base(unit);
    let mut facts = ScriptFacts::default();
    let push = |files: &mut Vec<String>, f: &str| {
        if f.starts_with('/') && !files.iter().any(|x| x == f) {
            files.push(f.to_string());
        }
    };
    for (name, value) in &vars {
        let lower = name.to_ascii_lowercase();
        if (lower.contains("pidfile") || lower.contains("pid_file") || lower == "pid")
            && value.ends_with(".pid")
        {
            push(&mut facts.pid_files, value);
        }
    }
    facts.daemon = vars
        .iter()
        .find(|(n, v)| (n == "DAEMON" || n == "command") && v.starts_with('/'))
        .or_else(|| {
            vars.iter()
                .find(|(_, v)| v.starts_with('/') && v.rsplit('/').next() == Some(base))
        })
        .map(|(_, v)| v.clone());
    for (daemon, file) in OWN_PID_FILES {
        if *daemon == base {
            push(&mut facts.pid_files, file);
        }
    }
    push(&mut facts.pid_files, &format!("/run/{base}.pid"));
    push(&mut facts.pid_files, &format!("/run/{base}/{base}.pid"));
    facts
}

/// `$NAME` and `${NAME}` replaced by earlier values; unknown names by nothing, as sh does.
fn expand(value: &str, vars: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, next) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(end) => (&inner[..end], &inner[end + 1..]),
                None => (inner, ""),
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        if let Some((_, v)) = vars.iter().rev().find(|(n, _)| n == name) {
            out.push_str(v);
        }
        rest = next;
    }
    out.push_str(rest);
    out
}

/// `postfix@-` → `postfix`, `nginx.service` → `nginx`.
pub(crate) fn unit_base(unit: &str) -> &str {
    let unit = unit.strip_suffix(".service").unwrap_or(unit);
    unit.split('@').next().unwrap_or(unit)
}

/// What FreeBSD's `service NAME onestatus` said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BsdStatus {
    Running(u32),
    NotRunning,
    Unknown,
}

/// `sshd is running as pid 812.` / `nginx is not running.` (rc.subr's wording).
pub(crate) fn parse_bsd_status(output: &str) -> BsdStatus {
    for line in output.lines() {
        if let Some((_, rest)) = line.split_once(" is running as pid ") {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(pid) = digits.parse() {
                return BsdStatus::Running(pid);
            }
        }
        if line.trim_end().ends_with(" is not running.") {
            return BsdStatus::NotRunning;
        }
    }
    BsdStatus::Unknown
}

/// Finds the pid the locator names, then describes that process (`src/remote/`).
const LOCATE_SCRIPT: &str = concat!(
    include_str!("../remote/ss_owners.sh"),
    include_str!("../remote/deleted_code.sh"),
    include_str!("../remote/locate_process.sh"),
);

/// What the locate script found.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Located {
    pub process: Option<ProcessInfo>,
    /// The pid file that named the process, when one did.
    pub pid_file: Option<String>,
    /// No live pid file named it: found by its daemon's command name.
    pub by_name: bool,
    /// Its command name.
    pub comm: String,
    /// Its command line, word by word.
    pub args: Vec<String>,
}

pub(crate) fn parse_located(output: &str) -> Located {
    let mut found = Located::default();
    let mut last_file: Option<String> = None;
    let mut ephemeral = None;
    for line in output.lines() {
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        match word {
            "PIDFILE" => last_file = rest.split_once(' ').map(|(_, f)| f.to_string()),
            "BYNAME" => {
                found.by_name = true;
                last_file = None;
            }
            "PROCESS" => {
                let n: Vec<i64> = rest.split(' ').filter_map(|w| w.parse().ok()).collect();
                if let [pid, started, now] = n[..]
                    && let Ok(pid) = u32::try_from(pid)
                {
                    found.process = Some(ProcessInfo {
                        pid,
                        started,
                        now,
                        ..ProcessInfo::default()
                    });
                }
            }
            "EXE" => {
                if let Some(p) = found.process.as_mut() {
                    p.exe = rest.chars().take(4096).collect();
                }
            }
            "COMM" => found.comm = rest.trim().chars().take(64).collect(),
            "ARGS" => {
                let sep = if rest.contains('\u{1f}') {
                    '\u{1f}'
                } else {
                    ' '
                };
                found.args = rest
                    .split(sep)
                    .filter(|w| !w.is_empty())
                    .take(512)
                    .map(str::to_string)
                    .collect();
            }
            // The executable is also among the mapped files: report each path once.
            "DELETED" => {
                if let Some(p) = found.process.as_mut()
                    && !p.deleted.iter().any(|d| d == rest)
                {
                    p.deleted.push(rest.to_string());
                }
            }
            // Ports the OS picks for a process that asks for any (a JVM's JMX port) differ
            // after every start: a port in the host's ephemeral range is not expected back.
            "EPHEMERAL" => {
                let n: Vec<u16> = rest
                    .split_whitespace()
                    .filter_map(|w| w.parse().ok())
                    .collect();
                if let [low, high] = n[..] {
                    ephemeral = Some(low..=high);
                }
            }
            "LISTEN" => {
                let port = rest.rsplit(':').next().and_then(|p| p.trim().parse().ok());
                if let (Some(p), Some(port)) = (found.process.as_mut(), port)
                    && !p.ports.contains(&port)
                    && !ephemeral.as_ref().is_some_and(|r| r.contains(&port))
                {
                    p.ports.push(port);
                }
            }
            _ => {}
        }
    }
    if found.process.is_some() && !found.by_name {
        found.pid_file = last_file;
    }
    found
}

/// The arguments of [`LOCATE_SCRIPT`] that find `locator`'s process; `None` for FreeBSD's
/// `service onestatus`, which names the pid first.
fn locate_args(locator: &Locator) -> Option<Vec<String>> {
    Some(match locator {
        Locator::Systemd { unit } => vec!["systemd".into(), unit.clone()],
        Locator::PidFiles { files, daemon, .. } => {
            // Command names are at most 15 bytes on Linux.
            let comm: String = daemon
                .as_deref()
                .and_then(|d| d.rsplit('/').next())
                .unwrap_or_default()
                .chars()
                .take(15)
                .collect();
            let mut args = vec!["pid_files".to_string(), comm];
            args.extend(files.iter().cloned());
            args
        }
        Locator::BsdStatus { .. } => return None,
        Locator::PidFile(path) => vec!["pid_file".into(), path.clone()],
        Locator::Match(pattern) => vec!["match".into(), pattern.clone()],
    })
}

/// The script that finds `locator`'s process in one go (its values as quoted `set --` words),
/// to run where [`locate`] would not be (folded after a restart); `None` when finding it takes
/// two questions.
pub(crate) fn locate_script(locator: &Locator) -> Option<String> {
    let args = locate_args(locator)?;
    Some(super::with_args(
        args.iter().map(String::as_str),
        LOCATE_SCRIPT,
    ))
}

/// The process `locator` names on `host`, if one runs; an error when the manager or a pid file
/// points at a process that is not the service's program.
pub(crate) async fn locate<T: Transport>(
    transport: &T,
    host: usize,
    locator: &Locator,
    deadline: Duration,
) -> Result<Option<ProcessInfo>, String> {
    let run = |args: Vec<String>| async move {
        run_script(
            transport,
            host,
            args.iter().map(String::as_str),
            LOCATE_SCRIPT,
            deadline,
            "inspecting the process",
        )
        .await
    };
    let out = match (locator, locate_args(locator)) {
        (_, Some(args)) => run(args).await?,
        (Locator::BsdStatus { unit }, None) => {
            let status = transport
                .run(
                    host,
                    &format!("service {} onestatus", quote(unit)),
                    deadline,
                )
                .await
                .map_err(|e| e.to_string())?;
            match parse_bsd_status(&status.stdout) {
                BsdStatus::Running(pid) => run(vec!["pid".into(), pid.to_string()]).await?,
                BsdStatus::NotRunning => return Ok(None),
                BsdStatus::Unknown => {
                    return Err(format!(
                        "`service {unit} onestatus` did not say whether it runs: {}",
                        status.evidence()
                    ));
                }
            }
        }
        (_, None) => return Ok(None),
    };
    located(locator, &out)
}

/// The process in [`LOCATE_SCRIPT`]'s output for `locator`; an error when a pid file points at
/// a process that is not the service's program.
pub(crate) fn located(locator: &Locator, out: &str) -> Result<Option<ProcessInfo>, String> {
    let found = parse_located(out);
    if let (Locator::PidFiles { unit, daemon, .. }, Some(process), Some(file)) =
        (locator, &found.process, &found.pid_file)
        && !runs_program(
            Shown {
                exe: &process.exe,
                comm: &found.comm,
                args: &found.args,
            },
            unit,
            daemon.as_deref(),
        )
    {
        return Err(format!(
            "pid file {file} points at pid {}, which runs {}, not {unit}",
            process.pid,
            if process.exe.is_empty() {
                "an unknown program".to_string()
            } else {
                process.exe.escape_debug().to_string()
            }
        ));
    }
    Ok(found.process)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_per_manager_quote_the_unit() {
        for (manager, unit, action, shown) in [
            (
                Manager::Systemd,
                "redis-server",
                Action::Restart,
                "systemctl restart redis-server",
            ),
            (
                Manager::Sysv,
                "postfix",
                Action::Reload,
                "service postfix reload",
            ),
            (
                Manager::Openrc,
                "nginx",
                Action::Restart,
                "rc-service nginx restart",
            ),
            (
                Manager::Bsdrc,
                "nginx",
                Action::Restart,
                "if service nginx enabled >/dev/null 2>&1; then service nginx restart; else service nginx onerestart; fi",
            ),
            (
                Manager::Systemd,
                "postfix@-",
                Action::Restart,
                "systemctl restart postfix@-",
            ),
        ] {
            assert_eq!(command(manager, unit, action), shown);
        }
        assert_eq!(
            status_command(Manager::Bsdrc, "sshd"),
            "service sshd onestatus >/dev/null 2>&1"
        );
    }

    #[test]
    fn freebsd_status_outputs() {
        // Captured from FreeBSD 13 and 14 rc.subr.
        assert_eq!(
            parse_bsd_status("sshd is running as pid 812.\n"),
            BsdStatus::Running(812)
        );
        assert_eq!(
            parse_bsd_status("nginx is running as pid 1290 1291.\n"),
            BsdStatus::Running(1290)
        );
        assert_eq!(
            parse_bsd_status("nginx is not running.\n"),
            BsdStatus::NotRunning
        );
        assert_eq!(
            parse_bsd_status(
                "Cannot 'status' nginx. Set nginx_enable to YES in /etc/rc.conf or use 'onestatus' instead of 'status'.\n"
            ),
            BsdStatus::Unknown
        );
        assert_eq!(
            parse_bsd_status("x is running as pid 99999999999999999999.\n"),
            BsdStatus::Unknown
        );
    }

    #[test]
    fn debian_init_scripts_give_their_pid_file_and_daemon() {
        // Excerpts of Debian 12's /etc/init.d/redis-server and /etc/init.d/haproxy.
        let redis = "PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n\
                     DAEMON=/usr/bin/redis-server\nDAEMON_ARGS=/etc/redis/redis.conf\n\
                     NAME=redis-server\nDESC=redis-server\n\nRUNDIR=/run/redis\n\
                     PIDFILE=$RUNDIR/redis-server.pid\n";
        let facts = init_script_facts("redis-server", redis);
        assert_eq!(facts.daemon.as_deref(), Some("/usr/bin/redis-server"));
        assert_eq!(
            facts.pid_files,
            [
                "/run/redis/redis-server.pid",
                "/run/redis-server.pid",
                "/run/redis-server/redis-server.pid"
            ]
        );
        let haproxy = "BASENAME=haproxy\nPIDFILE=/var/run/${BASENAME}.pid\n\
                       CONFIG=/etc/${BASENAME}/${BASENAME}.cfg\nHAPROXY=/usr/sbin/haproxy\n";
        let facts = init_script_facts("haproxy", haproxy);
        assert_eq!(facts.daemon.as_deref(), Some("/usr/sbin/haproxy"));
        assert_eq!(facts.pid_files[0], "/var/run/haproxy.pid");
        // nginx computes its pid path: skipped, the daemon's own default is used.
        let nginx = "DAEMON=/usr/sbin/nginx\nPID=$(cat /etc/nginx/nginx.conf | awk '{print}')\n";
        let facts = init_script_facts("nginx", nginx);
        assert_eq!(facts.pid_files[0], "/run/nginx.pid");
        let facts = init_script_facts("postfix", "DAEMON=/usr/sbin/postfix\nNAME=Postfix\n");
        assert_eq!(facts.pid_files[0], "/var/spool/postfix/pid/master.pid");
        // OpenRC's own names.
        let openrc = "command=/usr/bin/redis-server\npidfile=\"/run/redis/redis.pid\"\n";
        let facts = init_script_facts("redis", openrc);
        assert_eq!(facts.daemon.as_deref(), Some("/usr/bin/redis-server"));
        assert_eq!(facts.pid_files[0], "/run/redis/redis.pid");
    }

    #[test]
    fn hostile_scripts_and_outputs_never_panic() {
        let junk = "=\n$=${\nA=${\nB=$A$\n".repeat(1000) + &"x".repeat(100_000);
        let _ = init_script_facts("x", &junk);
        let out = "PROCESS 1 2\nPROCESS a b c\nPROCESS -5 1 2\nLISTEN\nLISTEN :::\nEXE\n\u{0}";
        assert_eq!(parse_located(out).process, None);
    }

    #[test]
    fn located_processes_with_pid_file_ports_and_deleted_code() {
        let out = "PIDFILE none /run/a.pid\nPIDFILE 812 /run/redis/redis-server.pid\n\
                   PROCESS 812 1700000000 1700003600\nEXE /usr/bin/redis-server\n\
                   EPHEMERAL 32768\t60999\nLISTEN 127.0.0.1:37575\n\
                   LISTEN 127.0.0.1:6379\nLISTEN [::1]:6379\nLISTEN *:26379\n\
                   DELETED /usr/lib/libssl.so.3\n";
        let found = parse_located(out);
        assert_eq!(
            found.pid_file.as_deref(),
            Some("/run/redis/redis-server.pid")
        );
        let p = found.process.expect("process");
        assert_eq!(
            (p.pid, p.started, p.now),
            (812, 1_700_000_000, 1_700_003_600)
        );
        assert_eq!(p.ports, [6379, 26379]);
        assert_eq!(p.deleted, ["/usr/lib/libssl.so.3"]);
        let found = parse_located("BYNAME redis-server\nPROCESS 9 1 2\n");
        assert!(found.by_name);
        assert_eq!(found.pid_file, None);
    }

    proptest::proptest! {
        /// Remote output is hostile: no text makes a parser panic, and a process is only ever
        /// found on a PROCESS line.
        #[test]
        fn parsers_take_any_text(text in "(PIDFILE|PROCESS|EXE|COMM|ARGS|LISTEN|DELETED|BYNAME|[A-Z]+=|\\$\\{?|[ 0-9:.\n/a-z'\"]){0,40}") {
            let found = parse_located(&text);
            if found.process.is_some() {
                proptest::prop_assert!(text.contains("PROCESS "));
            }
            let _ = init_script_facts("x", &text);
            let _ = parse_bsd_status(&text);
        }
    }
}

#[cfg(test)]
mod deleted_code_tests {

    /// /proc/PID/maps of an nginx worker after an upgrade: shared memory zones are data.
    const MAPS: &str = "\
55d0c0a00000-55d0c0a2a000 r--p 00000000 fe:01 1311 /usr/sbin/nginx
55d0c0a2a000-55d0c0b20000 r-xp 0002a000 fe:01 1311 /usr/sbin/nginx
7f1c00000000-7f1c00100000 rw-s 00000000 00:01 4128 /dev/zero (deleted)
7f1c00200000-7f1c00300000 rw-s 00000000 00:01 4129 /SYSV00000000 (deleted)
7f1c00400000-7f1c00500000 r-xs 00000000 00:01 4130 /memfd:jit (deleted)
7f1c00600000-7f1c00700000 r-xp 00000000 fe:01 2001 /usr/lib/x86_64-linux-gnu/libssl.so.3 (deleted)
7f1c00800000-7f1c00900000 r--p 00000000 fe:01 2002 /usr/lib/x86_64-linux-gnu/libz.so.1 (deleted)
";

    #[test]
    fn shared_anonymous_mappings_are_not_deleted_code() {
        let dir = tempfile::tempdir().expect("tempdir");
        let maps = dir.path().join("maps");
        std::fs::write(&maps, MAPS).expect("maps");
        // The real fragment, through `sh`.
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(concat!(
                include_str!("../remote/deleted_code.sh"),
                "awk \"$deleted_code\" \"$1\""
            ))
            .arg("sh")
            .arg(&maps)
            .output()
            .expect("awk");
        let found: Vec<&str> = std::str::from_utf8(&out.stdout)
            .expect("utf8")
            .lines()
            .map(|l| l.trim_start_matches("DELETED "))
            .collect();
        assert_eq!(found, ["/usr/lib/x86_64-linux-gnu/libssl.so.3"]);
    }
}
