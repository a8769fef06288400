//! The config-reference scanner: a pure function from a config file's text to the hosts it
//! names, without being told the format. It is what finds the Galera node removed a year ago.

mod bound;
mod context;
mod features;
mod forms;
mod kinds;
mod labels;
mod line;
mod scan;
mod scope;
mod siblings;
mod tokens;
mod unreached;
mod xml;

/// What the scanner finds in a text, written short for the forms' unit tests.
#[cfg(test)]
pub(crate) mod found {
    use super::{Reference, ScanOptions, scan};

    /// `host[:port]` with ` member` (or ` listen`, ` weak`) for each reference.
    pub(crate) fn described(text: &str) -> Vec<String> {
        scan(text, &ScanOptions::default())
            .iter()
            .map(Reference::summary)
            .collect()
    }

    /// `host:Some(port)` or `host:None` for each reference.
    pub(crate) fn ports(text: &str) -> Vec<String> {
        scan(text, &ScanOptions::default())
            .into_iter()
            .map(|r| format!("{}:{:?}", r.host, r.port))
            .collect()
    }
}

pub use scan::{ScanOptions, scan};

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
    /// Reached (`connect`), bound (`listen`) or a member of the same cluster (`member`).
    pub kind: Kind,
    /// How sure the scanner is that this names a host.
    pub strength: Strength,
}

impl Reference {
    /// `host[:port]`, then ` listen` or ` member` and ` weak` where they apply: the reference
    /// in one line, as the corpora's reviewed lists write it.
    pub fn summary(&self) -> String {
        let mut line = match self.port {
            Some(port) => format!("{}:{port}", self.host),
            None => self.host.clone(),
        };
        match self.kind {
            Kind::Connect => {}
            Kind::Listen => line.push_str(" listen"),
            Kind::Member => line.push_str(" member"),
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
    /// Another member of the service's own cluster, as its config names it (Galera's
    /// `gcomm://`, `sentinel monitor`, `primary_conninfo`, etcd's `initial-cluster`,
    /// ZooKeeper's `server.N=`, RabbitMQ's `classic_config.nodes`): reached like `connect`,
    /// and one that is gone keeps the cluster from forming again.
    Member,
}

impl Kind {
    /// Whether the service reaches the host (`connect` and `member`): it must resolve from the
    /// service's host and answer where a port is known.
    pub fn reaches(self) -> bool {
        matches!(self, Kind::Connect | Kind::Member)
    }
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
    /// value), or a host this service does not reach: in a block the file switches off
    /// (`enabled=0`), or the name it tells its clients (`advertised.listeners`). Listed as
    /// unverified unless the inventory knows the name, never blocking.
    Weak,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_is_written_member_and_reached_like_a_connection() {
        let member = Reference {
            host: "db-02".into(),
            port: Some(4567),
            line: 6,
            column: 25,
            text: "gcomm://db-01,db-02:4567".into(),
            kind: Kind::Member,
            strength: Strength::Strong,
        };
        assert_eq!(member.summary(), "db-02:4567 member");
        assert_eq!(
            serde_json::to_value(Kind::Member).expect("json"),
            serde_json::json!("member")
        );
        assert!(Kind::Member.reaches() && Kind::Connect.reaches() && !Kind::Listen.reaches());
    }
}
