//! Checking each referenced host from the host where the service runs: does it resolve there
//! (`getent ahosts`), and does it accept TCP where a port is known; and each listen address:
//! is it one of that host's own addresses.

use super::run_script;
use crate::refs::{Kind, Strength};
use crate::transport::Transport;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// What probing a referenced host from the service's host found.
pub enum ReferenceStatus {
    /// In the inventory, resolves, answers where a port is known.
    Ok,
    /// Resolves (and answers) but is not in the plan's inventory: worth a look.
    Unknown,
    /// Does not resolve from the service's host: the removed server.
    Stale,
    /// Resolves but refuses or ignores TCP on its port.
    Dead,
    /// A listen address the host does not have: the service cannot bind it (the re-IPed VM).
    NotLocal,
    /// Weak evidence that the word is a host at all (`app:8080` in a free value, unknown to
    /// the inventory), or a host the service does not reach (a block the config switches
    /// off, a name it tells its clients): listed, not probed, never blocking.
    Unverified,
}

impl ReferenceStatus {
    /// What the status means, as every printer and report says it.
    pub fn describe(self) -> &'static str {
        match self {
            ReferenceStatus::Ok => "ok",
            ReferenceStatus::Unknown => "not in the inventory",
            ReferenceStatus::Stale => "does not resolve",
            ReferenceStatus::Dead => "does not answer",
            ReferenceStatus::NotLocal => "not an address of this host",
            ReferenceStatus::Unverified => "unverified: may not be a host",
        }
    }

    /// Stale and dead references and listen addresses the host does not have stop a restart:
    /// the service may not come back.
    pub fn blocks(self) -> bool {
        matches!(
            self,
            ReferenceStatus::Stale | ReferenceStatus::Dead | ReferenceStatus::NotLocal
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
/// A host a service's config names, and what probing it from the service's host found.
pub struct ReferenceFinding {
    /// The config file on the host.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// The host as written.
    pub host: String,
    /// The port, when the config gives one.
    pub port: Option<u16>,
    /// The matched text, secrets masked.
    pub text: String,
    /// `connect`, `listen` or `member`; absent in journals written before listen addresses were
    /// checked.
    #[serde(default)]
    pub kind: Kind,
    #[serde(default)]
    /// How sure the scanner is that this names a host.
    pub strength: Strength,
    /// Whether it resolves and answers.
    pub status: ReferenceStatus,
}

/// Seconds each name lookup and each TCP probe may take on the host.
const TCP_PROBE: &str = "3";

/// Probes each (name, port) of "$@" from the host (`src/remote/`).
const SCRIPT: &str = include_str!("../remote/probe_references.sh");

/// The host's own addresses, one a line, from whichever tool it has.
const ADDRESSES: &str = include_str!("../remote/host_addresses.sh");

/// Probes every distinct (host, port) once, in parallel on the host, and classifies each finding.
/// `known` says whether a host name or address is in the inventory: a weak reference the
/// inventory knows is checked like a strong one; one it does not know is only listed.
pub(crate) async fn check_references<T: Transport>(
    transport: &T,
    host: usize,
    found: Vec<(String, crate::refs::Reference)>,
    known: impl Fn(&str) -> bool,
    deadline: Duration,
) -> Result<Vec<ReferenceFinding>, String> {
    let checked = |r: &crate::refs::Reference| r.strength == Strength::Strong || known(&r.host);
    let own = if found.iter().any(|(_, r)| r.kind == Kind::Listen) {
        let stdout = run_script(
            transport,
            host,
            [],
            ADDRESSES,
            deadline,
            "listing the host's addresses",
        )
        .await?;
        own_addresses(&stdout)
    } else {
        Vec::new()
    };
    let mut targets: Vec<(String, Option<u16>)> = found
        .iter()
        .filter(|(_, r)| r.kind.reaches() && checked(r))
        .map(|(_, r)| (r.host.clone(), r.port))
        .collect();
    targets.sort();
    targets.dedup();
    let stdout = if targets.is_empty() {
        String::new()
    } else {
        probe(transport, host, &targets, deadline).await?
    };
    let mut answers = std::collections::HashMap::new();
    for line in stdout.lines() {
        let parts: Vec<&str> = line.split(' ').collect();
        if let [h, p, resolves, tcp, addresses @ ..] = &parts[..] {
            // Loopback is the service's own host, which is in the inventory.
            let by_address = addresses.iter().any(|a| {
                !a.is_empty() && (known(a) || a.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback()))
            });
            answers.insert(
                (h.to_string(), p.parse::<u16>().ok()),
                (*resolves == "1", *tcp, by_address),
            );
        }
    }
    Ok(found
        .into_iter()
        .map(|(file, r)| {
            let status = match (r.kind, answers.get(&(r.host.clone(), r.port))) {
                // A listen address of a block the config switches off binds nothing.
                (Kind::Listen, _) if !checked(&r) => ReferenceStatus::Unverified,
                (Kind::Listen, _) => match r.host.parse::<IpAddr>() {
                    // Without the host's address list nothing can be said either way.
                    _ if own.is_empty() => ReferenceStatus::Unverified,
                    Ok(ip) if own.contains(&ip) => ReferenceStatus::Ok,
                    _ => ReferenceStatus::NotLocal,
                },
                _ if !checked(&r) => ReferenceStatus::Unverified,
                (_, Some((false, _, _))) => ReferenceStatus::Stale,
                (_, Some((true, "0", _))) => ReferenceStatus::Dead,
                (_, Some((true, _, true))) => ReferenceStatus::Ok,
                _ if !known(&r.host) => ReferenceStatus::Unknown,
                _ => ReferenceStatus::Ok,
            };
            ReferenceFinding {
                file,
                line: r.line,
                column: r.column,
                host: r.host,
                port: r.port,
                text: r.text,
                kind: r.kind,
                strength: r.strength,
                status,
            }
        })
        .collect())
}

/// Addresses from `ip -o addr` (`10.0.0.5/24`), `ifconfig` (`addr:10.0.0.5`, `fe80::1%eth0`)
/// or `hostname -I`.
fn own_addresses(stdout: &str) -> Vec<IpAddr> {
    stdout
        .lines()
        .filter_map(|line| {
            let word = line.trim();
            let word = word.strip_prefix("addr:").unwrap_or(word);
            let word = word.split(['/', '%']).next().unwrap_or_default();
            word.parse().ok()
        })
        .collect()
}

/// Runs the probe script for each (host, port): its output, a line per target.
async fn probe<T: Transport>(
    transport: &T,
    host: usize,
    targets: &[(String, Option<u16>)],
    deadline: Duration,
) -> Result<String, String> {
    let ports: Vec<String> = targets
        .iter()
        .map(|(_, p)| p.map_or("-".to_string(), |p| p.to_string()))
        .collect();
    let args = targets
        .iter()
        .zip(&ports)
        .flat_map(|((h, _), p)| [h.as_str(), p.as_str()]);
    let script = format!("probe={TCP_PROBE}\n{SCRIPT}");
    run_script(
        transport,
        host,
        args,
        &script,
        deadline,
        "probing the references",
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::model::{HostId, ShellCommand};
    use crate::refs::Reference;
    use crate::transport::{Output, TransportError};

    /// A host whose only address is 10.0.0.1, whatever it is asked.
    struct OneAddress;

    impl Transport for OneAddress {
        async fn run_command(
            &self,
            _: HostId,
            _: &ShellCommand,
            _: Duration,
        ) -> Result<Output, TransportError> {
            Ok(Output {
                code: Some(0),
                stdout: "10.0.0.1/24\n".into(),
                ..Output::default()
            })
        }
    }

    #[tokio::test]
    async fn a_weak_listen_address_is_unverified_and_a_strong_one_not_local() {
        let listen = |host: &str, strength| {
            let r = Reference {
                host: host.into(),
                port: Some(9100),
                line: 1,
                column: 1,
                text: host.into(),
                kind: Kind::Listen,
                strength,
            };
            ("exporter.conf".to_string(), r)
        };
        let found = vec![
            listen("10.9.9.9", Strength::Weak),
            listen("10.9.9.9", Strength::Strong),
            listen("10.0.0.1", Strength::Strong),
        ];
        let statuses: Vec<ReferenceStatus> =
            check_references(&OneAddress, 0, found, |_| false, Duration::from_secs(5))
                .await
                .expect("checked")
                .into_iter()
                .map(|f| f.status)
                .collect();
        assert_eq!(
            statuses,
            [
                ReferenceStatus::Unverified,
                ReferenceStatus::NotLocal,
                ReferenceStatus::Ok
            ]
        );
    }

    #[test]
    fn own_addresses_from_ip_ifconfig_and_hostname() {
        let ip = "127.0.0.1/8\n10.0.2.15/24\n::1/128\nfe80::a00:27ff:fe4e:66a1/64\n";
        let ifconfig = "addr:10.0.2.16\n10.0.2.17\nfe80::1%em0\n";
        let hostname = "10.0.2.18\n\n";
        let parsed: Vec<String> = [ip, ifconfig, hostname]
            .iter()
            .flat_map(|out| own_addresses(out))
            .map(|a| a.to_string())
            .collect();
        assert_eq!(
            parsed,
            [
                "127.0.0.1",
                "10.0.2.15",
                "::1",
                "fe80::a00:27ff:fe4e:66a1",
                "10.0.2.16",
                "10.0.2.17",
                "fe80::1",
                "10.0.2.18"
            ]
        );
    }
}
