//! The plan file exactly as written: serde structs that mirror the YAML, before any validation.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_saphyr::Spanned;

pub(crate) type Name = Spanned<String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlanFile {
    #[serde(default)]
    pub hosts: IndexMap<Name, Option<HostEntry>>,
    #[serde(default)]
    pub ssh: SshEntry,
    #[serde(default)]
    pub defaults: DefaultsEntry,
    #[serde(default)]
    pub services: IndexMap<Name, ServiceEntry>,
    /// Webhooks told about the run, in words people outside ops read.
    #[serde(default)]
    pub notify: Vec<NotifyEntry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HostEntry {
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
/// How a host is reached.
pub enum Connection {
    /// Over SSH (the default).
    Ssh,
    /// On the controller itself.
    Local,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
/// What a managed unit is told.
pub enum Action {
    #[default]
    /// A new process.
    Restart,
    /// The same process reloads its config.
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
pub(crate) enum Scalar {
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
pub(crate) struct SshEntry {
    pub known_hosts: Option<String>,
    pub config: Option<String>,
    pub connect_timeout: Option<Spanned<String>>,
    #[serde(default)]
    pub sudo: bool,
    /// How many SSH masters are opened at once at the start of a run.
    pub connect_concurrency: Option<u16>,
    /// How many SSH masters are held open at once; a scalar, so that a wrong value is told
    /// with its line by validation rather than as a type error.
    pub max_connections: Option<Spanned<Scalar>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DefaultsEntry {
    #[serde(default)]
    pub health: TimingEntry,
    pub restart_timeout: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TimingEntry {
    pub timeout: Option<Spanned<String>>,
    pub interval: Option<Spanned<String>>,
    pub settle: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServiceEntry {
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
    /// Commands around the restart: after preflight, and once the health gate passed.
    #[serde(default)]
    pub before: Vec<Spanned<HookEntry>>,
    #[serde(default)]
    pub after: Vec<Spanned<HookEntry>>,
    /// The instances form one cluster, restarted the way its operators do it.
    pub cluster: Option<Spanned<ClusterEntry>>,
    /// How many instances restart side by side: `3` or `10%`.
    pub batch: Option<Spanned<BatchEntry>>,
}

/// `batch:` as written: a count, or a share of the instances (`10%`).
#[derive(Debug)]
pub(crate) enum BatchEntry {
    Count(i64),
    Text(String),
}

/// By hand: a YAML number and a string both mean something here.
impl<'de> Deserialize<'de> for BatchEntry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = BatchEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number of instances (`3`) or a share of them (`10%`)")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<BatchEntry, E> {
                Ok(BatchEntry::Count(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<BatchEntry, E> {
                Ok(BatchEntry::Count(i64::try_from(v).unwrap_or(i64::MAX)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<BatchEntry, E> {
                Ok(BatchEntry::Text(v.to_string()))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// `cluster:` of a service.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClusterEntry {
    pub kind: crate::cluster::Kind,
    /// The program a member is asked through, and its first arguments.
    pub client: Option<Spanned<String>>,
    /// How long a member may take to rejoin.
    pub timeout: Option<Spanned<String>>,
    #[serde(default)]
    pub switchover: Option<Spanned<bool>>,
    /// `kind: command`: exit 0 when the cluster is whole, seen from `{host}`.
    pub whole: Option<Spanned<String>>,
    /// `kind: command`: exit 0 on the member that leads.
    pub leader: Option<Spanned<String>>,
}

/// A hook: a command for the step's own host, or `{on: HOST, run: CMD, timeout: DUR}`.
#[derive(Debug)]
pub(crate) enum HookEntry {
    Here(String),
    On(Box<HookOn>),
}

/// By hand rather than `untagged`: a typo in a key (`rn:`) is reported as such, with its line.
impl<'de> Deserialize<'de> for HookEntry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = HookEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a command, or `{ on: HOST, run: COMMAND, timeout: DURATION }`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<HookEntry, E> {
                Ok(HookEntry::Here(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<HookEntry, A::Error> {
                HookOn::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|h| HookEntry::On(Box::new(h)))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HookOn {
    pub on: Option<Name>,
    pub run: Spanned<String>,
    pub timeout: Option<Spanned<String>>,
}

/// Per-service tuning of the config-reference scanner.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RefsEntry {
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
pub(crate) struct CheckEntry {
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

/// One webhook of `notify:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NotifyEntry {
    pub url: Spanned<String>,
    /// Default: every event.
    pub events: Option<Vec<NotifyEvent>>,
    #[serde(default)]
    pub headers: IndexMap<String, String>,
    /// How long one post may take before it is given up (default 5s).
    pub timeout: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
/// Which messages a webhook gets.
pub enum NotifyEvent {
    /// The run starts.
    Start,
    /// Each step starts.
    Step,
    /// The run halted.
    Halt,
    /// The run ended.
    Done,
}
