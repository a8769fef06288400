//! The config-reference scanner: a pure function from a config file's text to the hosts it
//! names, without being told the format. It is what finds the Galera node removed a year ago.

mod context;
mod forms;
mod image;
mod jdbc;
mod labels;
mod ports;
mod redis;
mod scan;
mod scope;
mod siblings;
mod syslog_ng;
mod tokens;
mod values;

pub use scan::{ScanOptions, scan, url_authorities};

use serde::{Deserialize, Serialize};

/// One host named by a config file. `text` is what matched, with any secret masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// The host as written (an IPv6 address without brackets).
    pub host: String,
    /// The port, when the config gives one.
    pub port: Option<u16>,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// What matched, secrets masked.
    pub text: String,
    /// Reached (`connect`) or bound (`listen`).
    pub kind: Kind,
    /// How sure the scanner is that this names a host.
    pub strength: Strength,
}

impl Reference {
    /// `host[:port]`, then ` listen` and ` weak` where they apply: the reference in one line,
    /// as the corpora's reviewed lists write it.
    pub fn summary(&self) -> String {
        let mut line = match self.port {
            Some(port) => format!("{}:{port}", self.host),
            None => self.host.clone(),
        };
        if self.kind == Kind::Listen {
            line.push_str(" listen");
        }
        if self.strength == Strength::Weak {
            line.push_str(" weak");
        }
        line
    }
}

/// What the service does with the address: reach it, or listen on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Another host the service connects to: it must resolve and answer.
    #[default]
    Connect,
    /// An address the service binds (`bind-address`, `ListenAddress`, `listen 10.0.0.5:80`): it
    /// must be one of its own host's addresses, or the service does not start.
    Listen,
}

/// How sure the scanner is that the word is a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// An IP address, a dotted name, a URL authority, the value of a key that names hosts, or a
    /// host position in a known form (`user@host:path`, `//host/share`, `sentinel monitor`).
    /// Only strong references may stop a run.
    #[default]
    Strong,
    /// A single-label `name:port` with nothing else saying it is a host (`app:8080` in a free
    /// value): listed as unverified unless the inventory knows the name, never blocking.
    Weak,
}
