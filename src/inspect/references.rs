//! Checking each referenced host from the host where the service runs: does it resolve there
//! (`getent ahosts`), and does it accept TCP where a port is known.

use super::run_script;
use crate::transport::Transport;
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceStatus {
    /// In the inventory, resolves, answers where a port is known.
    Ok,
    /// Resolves (and answers) but is not in the plan's inventory: worth a look.
    Unknown,
    /// Does not resolve from the service's host: the removed server.
    Stale,
    /// Resolves but refuses or ignores TCP on its port.
    Dead,
}

impl ReferenceStatus {
    /// What the status means, as every printer and report says it.
    pub fn describe(self) -> &'static str {
        match self {
            ReferenceStatus::Ok => "ok",
            ReferenceStatus::Unknown => "not in the inventory",
            ReferenceStatus::Stale => "does not resolve",
            ReferenceStatus::Dead => "does not answer",
        }
    }

    /// Stale and dead references stop a restart: the service may not come back.
    pub fn blocks(self) -> bool {
        matches!(self, ReferenceStatus::Stale | ReferenceStatus::Dead)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceFinding {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub host: String,
    pub port: Option<u16>,
    /// The matched text, secrets masked.
    pub text: String,
    pub status: ReferenceStatus,
}

/// Seconds each name lookup and each TCP probe may take on the host.
const TCP_PROBE: &str = "3";

const SCRIPT: &str = r#"probe() {
  if timeout PROBE getent ahosts "$1" >/dev/null 2>&1; then r=1; else r=0; fi
  t=-
  if [ "$r" = 1 ] && [ "$2" != - ]; then
    if command -v bash >/dev/null 2>&1; then
      if timeout PROBE bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null; then t=1; else t=0; fi
    elif command -v nc >/dev/null 2>&1; then
      if nc -z -w PROBE "$1" "$2" 2>/dev/null; then t=1; else t=0; fi
    fi
  fi
  printf '%s %s %s %s\n' "$1" "$2" "$r" "$t"
}
while [ $# -ge 2 ]; do probe "$1" "$2" & shift 2; done
wait"#;

/// Probes every distinct (host, port) once, in parallel on the host, and classifies each finding.
/// `known` says whether a host name or address is in the inventory.
pub async fn check_references<T: Transport>(
    transport: &T,
    host: usize,
    found: Vec<(String, crate::refs::Reference)>,
    known: impl Fn(&str) -> bool,
    deadline: Duration,
) -> Result<Vec<ReferenceFinding>, String> {
    let mut targets: Vec<(String, Option<u16>)> = found
        .iter()
        .map(|(_, r)| (r.host.clone(), r.port))
        .collect();
    targets.sort();
    targets.dedup();
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let ports: Vec<String> = targets
        .iter()
        .map(|(_, p)| p.map_or("-".to_string(), |p| p.to_string()))
        .collect();
    let args = targets
        .iter()
        .zip(&ports)
        .flat_map(|((h, _), p)| [h.as_str(), p.as_str()]);
    let script = SCRIPT.replace("PROBE", TCP_PROBE);
    let stdout = run_script(
        transport,
        host,
        args,
        &script,
        deadline,
        "probing the references",
    )
    .await?;
    let mut answers = std::collections::HashMap::new();
    for line in stdout.lines() {
        let parts: Vec<&str> = line.split(' ').collect();
        if let [h, p, resolves, tcp] = parts[..] {
            answers.insert(
                (h.to_string(), p.parse::<u16>().ok()),
                (resolves == "1", tcp),
            );
        }
    }
    Ok(found
        .into_iter()
        .map(|(file, r)| {
            let status = match answers.get(&(r.host.clone(), r.port)) {
                Some((false, _)) => ReferenceStatus::Stale,
                Some((true, "0")) => ReferenceStatus::Dead,
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
                status,
            }
        })
        .collect())
}
