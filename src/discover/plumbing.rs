//! Which of a host's running units are the OS's own plumbing rather than services to plan:
//! the service manager's own units are left out when the host is identified; a unit of the
//! base OS (its package's priority says every system has it: cron, dbus, a local syslog) is
//! left out here unless it listens beyond loopback or talks to another host (rsyslog
//! forwarding to a log host is a service, and its stale target a finding). Pure.

use super::identify::Instance;
use super::scan::HostScan;
use serde::Serialize;

/// A running unit left out of the draft as the OS's own, and what the host said about it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Plumbing {
    /// The inventory name of the host.
    pub host: String,
    /// The unit.
    pub unit: String,
    /// Why, from the host's own facts.
    pub why: String,
}

/// Why `i` is left out as the base OS's, when it is: it is one, listens on loopback at most,
/// holds no connection to another host and its configs name none.
pub(crate) fn base_os_and_silent(scan: &HostScan, i: &Instance) -> Option<String> {
    let why = i.base_os.as_ref()?;
    if i.listeners.iter().any(|l| !l.ip.is_loopback()) {
        return None;
    }
    let facts = &scan.facts;
    let connects = facts.connections.iter().any(|c| {
        !facts.listens_on(c.local.port)
            && !c.peer.ip.is_loopback()
            && c.pids.iter().any(|p| i.pids.contains(p))
    });
    if connects {
        return None;
    }
    let names_a_host = scan
        .configs
        .get(i.unit())
        .into_iter()
        .flatten()
        .any(|(_, text)| {
            crate::refs::scan(text, &Default::default())
                .iter()
                .any(|r| r.kind.reaches() && !is_local(&r.host))
        });
    (!names_a_host).then(|| format!("the base OS's ({why}), and it talks to no other host"))
}

fn is_local(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || super::draft::ip_literal(host).is_some_and(|ip| ip.is_loopback() || ip.is_unspecified())
}
