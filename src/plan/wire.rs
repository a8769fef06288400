//! The plan file exactly as written: serde structs that mirror the YAML, before any validation.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_saphyr::Spanned;

pub type Name = Spanned<String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    #[serde(default)]
    pub hosts: IndexMap<Name, Option<HostEntry>>,
    #[serde(default)]
    pub ssh: SshEntry,
    #[serde(default)]
    pub defaults: DefaultsEntry,
    #[serde(default)]
    pub services: IndexMap<Name, ServiceEntry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostEntry {
    pub address: Option<Spanned<String>>,
    pub port: Option<u16>,
    pub user: Option<String>,
    pub identity: Option<String>,
    #[serde(default)]
    pub groups: Vec<Name>,
    #[serde(default)]
    pub vars: IndexMap<String, Scalar>,
    pub connection: Option<Connection>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Connection {
    Ssh,
    Local,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    #[default]
    Restart,
    Reload,
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Action::Restart => "restart",
            Action::Reload => "reload",
        })
    }
}

/// A host variable: YAML gives strings, numbers and booleans; templates want text.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

impl std::fmt::Display for Scalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scalar::Bool(b) => write!(f, "{b}"),
            Scalar::Int(i) => write!(f, "{i}"),
            Scalar::Float(x) => write!(f, "{x}"),
            Scalar::Text(s) => f.write_str(s),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SshEntry {
    pub known_hosts: Option<String>,
    pub config: Option<String>,
    pub connect_timeout: Option<Spanned<String>>,
    #[serde(default)]
    pub sudo: bool,
    /// How many SSH masters are opened at once at the start of a run.
    pub connect_concurrency: Option<u16>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultsEntry {
    #[serde(default)]
    pub health: TimingEntry,
    pub restart_timeout: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimingEntry {
    pub timeout: Option<Spanned<String>>,
    pub interval: Option<Spanned<String>>,
    pub settle: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceEntry {
    pub hosts: Option<Spanned<Vec<Name>>>,
    pub restart: Option<Spanned<String>>,
    pub restart_timeout: Option<Spanned<String>>,
    #[serde(default)]
    pub configs: Vec<Spanned<String>>,
    #[serde(default)]
    pub health: Vec<Spanned<CheckEntry>>,
    #[serde(default)]
    pub depends_on: Vec<Name>,
    pub impact: Option<String>,
    pub runbook: Option<String>,
    pub refs: Option<RefsEntry>,
    /// How to find the running process: the name the host's service manager knows (which
    /// also gives the restart command when `restart` is not set), a pid file, or a `pgrep -f`
    /// pattern.
    pub unit: Option<Spanned<String>>,
    /// `restart` (a new process is expected) or `reload` (the same process, configs reread).
    pub action: Option<Action>,
    pub pid_file: Option<String>,
    pub process: Option<String>,
}

/// Per-service tuning of the config-reference scanner.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefsEntry {
    /// Hosts never reported: exact names, `*.domain` or `prefix*`.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Regexes with a named group `host` (and optionally `port`) for forms the scanner misses.
    #[serde(default)]
    pub patterns: Vec<Spanned<String>>,
}

/// One health check. Exactly one of `tcp`, `http`, `command` is set; validation enforces it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckEntry {
    pub tcp: Option<u16>,
    pub http: Option<Spanned<String>>,
    pub command: Option<Spanned<String>>,
    /// http: the expected status instead of any 2xx.
    pub status: Option<u16>,
    /// http: a substring the body must contain.
    pub body: Option<String>,
    pub timeout: Option<Spanned<String>>,
    pub interval: Option<Spanned<String>>,
    pub settle: Option<Spanned<String>>,
}
