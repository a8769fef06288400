//! The validated plan: every name resolved to an index, every duration parsed, every template
//! rendered for each host it runs on. Nothing here can be wrong once `validate` returned it.

use serde::Serialize;

pub use super::command::ShellCommand;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

pub use super::wire::{Action, Connection, NotifyEvent};

/// A host's index in [`Model::hosts`].
pub type HostId = usize;
/// A service's index in [`Model::services`].
pub type ServiceId = usize;

#[derive(Debug, Clone)]
/// A validated plan: hosts, services with their instances rendered per host, settings.
pub struct Model {
    /// The inventory, in the plan's order.
    pub hosts: Vec<Host>,
    /// The services, in the plan's order.
    pub services: Vec<Service>,
    /// How hosts are reached.
    pub ssh: SshSettings,
    /// Webhooks told about real runs.
    pub notify: Vec<Notify>,
}

/// A webhook told about the run. Its URL may hold a token: show it only through `masked_url`.
#[derive(Debug, Clone)]
pub struct Notify {
    /// The webhook (may hold a token).
    pub url: String,
    /// Which messages it gets.
    pub events: Vec<NotifyEvent>,
    /// Extra HTTP headers.
    pub headers: Vec<(String, String)>,
    /// Each post's deadline.
    pub timeout: Duration,
}

/// A command run around a restart, on the step's host or another one, its templates rendered
/// with the step's values (`{host}` is the host being restarted, even when it runs elsewhere).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hook {
    #[serde(skip)]
    /// The host it runs on.
    pub on: HostId,
    /// The command, rendered.
    pub run: ShellCommand,
    #[serde(rename = "timeout_ms", with = "millis")]
    /// Its deadline.
    pub timeout: Duration,
}

#[derive(Debug, Clone, Serialize)]
/// A host of the inventory.
pub struct Host {
    /// Its name in the plan.
    pub name: String,
    /// What SSH connects to (defaults to the name).
    pub address: String,
    /// SSH port; else from the ssh config.
    pub port: Option<u16>,
    /// SSH user; else from the ssh config.
    pub user: Option<String>,
    /// SSH identity file; else from the ssh config.
    pub identity: Option<PathBuf>,
    /// Its groups (`group:NAME` in a service's `hosts`).
    pub groups: Vec<String>,
    /// `{vars.NAME}` in templates.
    pub vars: BTreeMap<String, String>,
    /// SSH or local.
    pub connection: Connection,
}

#[derive(Debug, Clone)]
/// How hosts are reached over SSH.
pub struct SshSettings {
    /// Resolved against the plan's folder. `None`: the user's own known_hosts, still strict.
    pub known_hosts: Option<PathBuf>,
    /// An ssh config file; else the user's own.
    pub config: Option<PathBuf>,
    /// How long a host may take to answer.
    pub connect_timeout: Duration,
    /// Commands run through `sudo -n`.
    pub sudo: bool,
    /// How many hosts are connected (and, in a dry run, inspected) at once.
    pub connect_concurrency: usize,
    /// How many SSH masters are held open at once (at least 1): opened on demand, the least
    /// recently used idle one closed first.
    pub max_connections: usize,
}

impl SshSettings {
    /// How many hosts a read-only pass (connect, dry run, audit, discover) works on at once:
    /// never more than the masters that may be open, else the pass would close the masters of
    /// hosts it has not finished with.
    pub fn fan_out(&self) -> usize {
        self.connect_concurrency.min(self.max_connections).max(1)
    }
}

#[derive(Debug, Clone)]
/// A service of the plan and its instances.
pub struct Service {
    /// Its name in the plan.
    pub name: String,
    /// The services it needs running first.
    pub depends_on: Vec<ServiceId>,
    /// One per host the service runs on, in the order the service's `hosts` names them.
    pub instances: Vec<Instance>,
    /// The restart command's deadline.
    pub restart_timeout: Duration,
    /// What users feel when it is down: said when it halts the run.
    pub impact: Option<String>,
    /// What to do when it fails: printed on failure.
    pub runbook: Option<String>,
    /// What the config scanner ignores or adds for it.
    pub refs: crate::refs::ScanOptions,
    /// Where its process is found, to prove a restart.
    pub process: Option<ProcessSource>,
    /// What the restart command does to the process: replace it, or keep it and reload.
    pub action: Action,
    /// The unit of the host's service manager, if it names one.
    pub unit: Option<Unit>,
    /// Its instances form one cluster: how it is asked, and restarted.
    pub cluster: Option<crate::cluster::Cluster>,
    /// How many of its instances restart side by side (1: one at a time).
    pub batch: usize,
}

/// A service the host's service manager knows by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The unit's name.
    pub name: String,
    /// No `restart` in the plan: the command comes from the host's detected manager.
    pub managed_restart: bool,
    /// The plan's default health timing, for the checks inferred when `health` is empty.
    pub timing: Timing,
}

/// Where the running process of a service is found, to tell when it started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcessSource {
    /// Through the host's service manager.
    Unit(String),
    /// The plan's `pid_file`.
    PidFile(String),
    /// The plan's process `match`: the oldest process whose command line matches.
    Match(String),
}

/// A service on one host, with its templates rendered for that host.
#[derive(Debug, Clone)]
pub struct Instance {
    /// The host.
    pub host: HostId,
    /// The restart command, rendered.
    pub restart: ShellCommand,
    /// Its config files, rendered (globs allowed).
    pub configs: Vec<String>,
    /// Its health checks, rendered.
    pub health: Vec<Check>,
    /// Commands run after preflight, before the restart.
    pub before: Vec<Hook>,
    /// Commands run once the health gate passed.
    pub after: Vec<Hook>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
/// How a check is waited for.
pub struct Timing {
    /// How long it may take to pass.
    #[serde(rename = "timeout_ms", with = "millis")]
    pub timeout: Duration,
    /// Between two tries.
    #[serde(rename = "interval_ms", with = "millis")]
    pub interval: Duration,
    /// How long it must keep passing once it passed.
    #[serde(rename = "settle_ms", with = "millis")]
    pub settle: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
/// One health check of an instance.
pub struct Check {
    /// What it does.
    #[serde(flatten)]
    pub kind: CheckKind,
    /// How it is waited for.
    #[serde(flatten)]
    pub timing: Timing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
/// What a check does.
pub enum CheckKind {
    /// From the controller to the host's address.
    Tcp {
        /// The port.
        port: u16,
    },
    /// An HTTP GET from the controller; 2xx (or `status`) is healthy.
    Http {
        /// The URL, rendered.
        url: String,
        /// The status that is healthy, instead of any 2xx.
        status: Option<u16>,
        /// Text the body must contain.
        body: Option<String>,
    },
    /// Runs on the host; exit 0 is healthy.
    Command {
        /// The command, rendered.
        command: ShellCommand,
    },
}

impl std::fmt::Display for CheckKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckKind::Tcp { port } => write!(f, "tcp {port}"),
            CheckKind::Http { url, .. } => write!(f, "http {url}"),
            CheckKind::Command { command } => write!(f, "command `{command}`"),
        }
    }
}

/// Durations in JSON as whole milliseconds: what scripts compare without a parser.
mod millis {
    use serde::Serializer;
    use std::time::Duration;

    pub(super) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_millis() as u64)
    }
}

impl Model {
    /// The host named `name`.
    pub fn host_index(&self, name: &str) -> Option<HostId> {
        self.hosts.iter().position(|h| h.name == name)
    }

    /// The service named `name`.
    pub fn service_index(&self, name: &str) -> Option<ServiceId> {
        self.services.iter().position(|s| s.name == name)
    }

    /// How many steps the whole plan has.
    pub fn instance_count(&self) -> usize {
        self.services.iter().map(|s| s.instances.len()).sum()
    }
}
