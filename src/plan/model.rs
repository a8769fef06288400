//! The validated plan: every name resolved to an index, every duration parsed, every template
//! rendered for each host it runs on. Nothing here can be wrong once `validate` returned it.

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

pub use super::wire::{Action, Connection};

pub type HostId = usize;
pub type ServiceId = usize;

#[derive(Debug, Clone)]
pub struct Model {
    pub hosts: Vec<Host>,
    pub services: Vec<Service>,
    pub ssh: SshSettings,
}

#[derive(Debug, Clone, Serialize)]
pub struct Host {
    pub name: String,
    pub address: String,
    pub port: Option<u16>,
    pub user: Option<String>,
    pub identity: Option<PathBuf>,
    pub groups: Vec<String>,
    pub vars: BTreeMap<String, String>,
    pub connection: Connection,
}

#[derive(Debug, Clone)]
pub struct SshSettings {
    /// Resolved against the plan's folder. `None`: the user's own known_hosts, still strict.
    pub known_hosts: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub connect_timeout: Duration,
    pub sudo: bool,
    pub connect_concurrency: usize,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    pub depends_on: Vec<ServiceId>,
    /// One per host the service runs on, in the order the service's `hosts` names them.
    pub instances: Vec<Instance>,
    pub restart_timeout: Duration,
    pub impact: Option<String>,
    pub runbook: Option<String>,
    pub refs: crate::refs::ScanOptions,
    pub process: Option<ProcessSource>,
    /// What the restart command does to the process: replace it, or keep it and reload.
    pub action: Action,
    pub unit: Option<Unit>,
}

/// A service the host's service manager knows by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
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
    PidFile(String),
    Match(String),
}

/// A service on one host, with its templates rendered for that host.
#[derive(Debug, Clone)]
pub struct Instance {
    pub host: HostId,
    pub restart: String,
    pub configs: Vec<String>,
    pub health: Vec<Check>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timing {
    #[serde(rename = "timeout_ms", with = "millis")]
    pub timeout: Duration,
    #[serde(rename = "interval_ms", with = "millis")]
    pub interval: Duration,
    #[serde(rename = "settle_ms", with = "millis")]
    pub settle: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    #[serde(flatten)]
    pub kind: CheckKind,
    #[serde(flatten)]
    pub timing: Timing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum CheckKind {
    /// From the controller to the host's address.
    Tcp { port: u16 },
    Http {
        url: String,
        status: Option<u16>,
        body: Option<String>,
    },
    /// Runs on the host; exit 0 is healthy.
    Command { command: String },
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

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_millis() as u64)
    }
}

impl Model {
    pub fn host_index(&self, name: &str) -> Option<HostId> {
        self.hosts.iter().position(|h| h.name == name)
    }

    pub fn service_index(&self, name: &str) -> Option<ServiceId> {
        self.services.iter().position(|s| s.name == name)
    }

    pub fn instance_count(&self) -> usize {
        self.services.iter().map(|s| s.instances.len()).sum()
    }
}
