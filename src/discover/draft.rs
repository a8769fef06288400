//! From what each host runs to a draft plan: services named by their unit (one service across
//! the hosts that run it), restarts through the host's service manager, health checks from the
//! listening ports, and `depends_on` edges from live connections and config references, each
//! with its evidence. Pure: the plan's model and the host scans in, the draft out.

use super::cycles::break_cycles;
use super::facts::{Endpoint, Manager};
use super::scan::HostScan;
use crate::plan::model::{CheckKind, HostId, Model, ProcessSource};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;

/// The most health checks written per service: one per port, the lowest ports first.
const MAX_PORT_CHECKS: usize = 8;
/// The most pieces of evidence written per edge; the rest are counted.
pub(crate) const MAX_EVIDENCE: usize = 3;

/// A health check written for a new service, one per port every host of it listens on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "value")]
pub enum Health {
    /// `tcp: PORT`, checked from the controller: every host listens on the port beyond
    /// loopback.
    Tcp(u16),
    /// `command:` run on the host (`ss` on Linux, `sockstat` on FreeBSD), which succeeds while
    /// the port is listened on: for a port some host listens on only on loopback, which a
    /// check from the controller cannot reach.
    Command(String),
}

/// A service the plan does not have yet: one per unit, across every host that runs it.
#[derive(Debug, Clone, Serialize)]
pub struct NewService {
    /// Its name in the plan: the unit's, with anything but letters, digits, `.`, `_` and `-`
    /// made `-`, and `-2`, `-3`... added when the plan already has that name.
    pub name: String,
    /// The unit as the host's service manager knows it (a systemd unit without `.service`, an
    /// init or rc.d script's name): written as `unit:`.
    pub unit: String,
    /// The inventory names of the hosts that run it, in inventory order.
    pub hosts: Vec<String>,
    /// The first host's service manager (`None`: it could not be told).
    pub manager: Option<Manager>,
    /// What that manager runs to restart the unit (`None` with the manager). The plan gets
    /// `unit:` instead, which each host's own manager turns into its command.
    pub restart: Option<String>,
    /// Config files found on every host of the service, sorted.
    pub configs: Vec<String>,
    /// Config files found on some hosts only, as `path (on host, host)`: said, not written.
    pub configs_elsewhere: Vec<String>,
    /// Its health checks: the ports every host of it listens on, lowest first, at most 8.
    /// Empty when the hosts share no port (the plan then asks for a check by hand).
    pub health: Vec<Health>,
    /// Per host: its inventory name, how the unit was recognised there, and where the unit
    /// listens there.
    pub found: Vec<(String, String, Vec<Endpoint>)>,
}

/// Why a service is thought to depend on another: the strongest kind first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A config reference without a port: the host is named, the service guessed.
    ConfigHost,
    /// A config reference with the port a service of that host listens on.
    ConfigPort,
    /// An established connection seen on the host.
    Connection,
}

/// One thing seen that says a service depends on another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Evidence {
    /// What kind of sighting it is, which says how much it is worth.
    pub kind: EvidenceKind,
    /// What was seen: `connection LOCAL -> PEER` for a connection, `path:line` of the config
    /// file for a reference.
    pub text: String,
}

/// A dependency found between two services: `from` depends on `to` (`to` restarts first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// The service that uses the other: `to` goes into its `depends_on`.
    pub from: String,
    /// The service it uses.
    pub to: String,
    /// Why, strongest kind first, then by text; each piece once, never empty.
    pub evidence: Vec<Evidence>,
}

impl Edge {
    /// The edge's strength: its strongest evidence, then how much of it there is.
    pub(crate) fn strength(&self) -> (EvidenceKind, usize) {
        let best = self
            .evidence
            .iter()
            .map(|e| e.kind.clone())
            .max()
            .unwrap_or(EvidenceKind::ConfigHost);
        (best, self.evidence.len())
    }

    /// The evidence on one line for people: its first three pieces joined with `; `, then
    /// `and N more`.
    pub fn evidence_text(&self) -> String {
        let mut shown: Vec<&str> = self
            .evidence
            .iter()
            .take(MAX_EVIDENCE)
            .map(|e| e.text.as_str())
            .collect();
        let more = self.evidence.len().saturating_sub(MAX_EVIDENCE);
        let more = format!("and {more} more");
        if self.evidence.len() > MAX_EVIDENCE {
            shown.push(&more);
        }
        shown.join("; ")
    }
}

/// An edge dropped because it closed a cycle: said in the plan's comments and the report,
/// never written as `depends_on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenEdge {
    /// The edge dropped: the weakest discovered edge of the cycle.
    pub edge: Edge,
    /// The cycle it closed, as service names with the first repeated at the end
    /// (`[app, cache, app]`).
    pub cycle: Vec<String>,
}

/// A connection or a reference to something outside the inventory.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct External {
    /// The inventory name of the host where it was seen.
    pub host: String,
    /// The service on that host that uses it.
    pub from: String,
    /// What it uses: the connection's peer address and port, or the name (with its port, when
    /// the reference gives one) a config file names.
    pub endpoint: String,
    /// What shows it: `connection LOCAL -> PEER`, or `path:line` of the config reference.
    pub evidence: String,
}

/// A config reference to a name that does not resolve from the service's host (an inventory
/// host's name included).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Stale {
    /// The inventory name of the host whose config it is, where the name was looked up.
    pub host: String,
    /// The service whose config file names it.
    pub service: String,
    /// The name that does not resolve, as written.
    pub name: String,
    /// The port the reference gives with it, if any.
    pub port: Option<u16>,
    /// Where: `path:line` of the config file.
    pub at: String,
    /// The reference's text as the scanner matched it, secrets masked (remote text: make it
    /// safe before printing it).
    pub text: String,
}

/// A listening socket that no unit owns, on one host: reported, never restarted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unowned {
    /// The inventory name of the host.
    pub host: String,
    /// Where it listens.
    pub at: Endpoint,
    /// The process holding it; `None` when the host showed none (discover then needs root).
    pub pid: Option<u32>,
    /// The process's short name; empty when it was not read.
    pub process: String,
}

/// A unit found on a host that the plan already has as a service: kept as the plan writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    /// The inventory name of the host.
    pub host: String,
    /// The unit found there.
    pub unit: String,
    /// The plan's service it is: same name, same `unit:`, the unit named in its restart
    /// command, or a TCP check on one of the unit's ports.
    pub existing: String,
}

/// What discovery found across the hosts read, ready to be written as a plan
/// ([`yaml::write_plan`](super::yaml::write_plan)), a report
/// (discovery.md: [`markdown`](super::markdown())) or JSON (its serialization).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Draft {
    /// Services to add to the plan, in unit name order.
    pub services: Vec<NewService>,
    /// Units found that the plan already has, per host.
    pub duplicates: Vec<Duplicate>,
    /// Edges kept, between any services (new or already in the plan).
    pub edges: Vec<Edge>,
    /// Edges into services the plan already has from ones it has too: said, not written.
    pub suggested: Vec<Edge>,
    /// Edges dropped to break cycles.
    pub broken: Vec<BrokenEdge>,
    /// New services whose instances were seen linked as one cluster.
    pub clusters: Vec<super::clusters::Cluster>,
    /// What the services use outside the inventory, sorted, each once.
    pub external: Vec<External>,
    /// Config references to names that do not resolve, sorted, each once.
    pub stale: Vec<Stale>,
    /// Listening sockets no unit owns, host by host.
    pub unowned: Vec<Unowned>,
    /// Running units left out as the OS's own plumbing, host by host, each with the host's
    /// word for it.
    pub plumbing: Vec<super::plumbing::Plumbing>,
    /// Things worth a look that fit nowhere else (ambiguous references, truncated hosts).
    pub notes: Vec<String>,
    /// Hosts that could not be read, and why.
    pub failures: Vec<(String, String)>,
    /// Hosts read: name, OS, service manager (or why it cannot be told).
    pub hosts: Vec<(String, String, String)>,
}

/// `10.0.0.1`, `[::1]`: an IP literal as config files write one.
pub(crate) fn ip_literal(text: &str) -> Option<IpAddr> {
    text.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .ok()
        .map(|ip| Endpoint::new(ip, 0).ip)
}

/// Service and host names must never need quoting: anything else in a unit name becomes `-`.
fn plain_name(unit: &str) -> String {
    let mut name: String = unit
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        name.insert(0, 's');
    }
    name
}

pub(super) struct Builder<'a> {
    pub(super) model: &'a Model,
    pub(super) scans: &'a [(HostId, HostScan)],
    /// Which inventory host an address belongs to.
    owners: HashMap<IpAddr, HostId>,
    /// (host, unit) -> the service name it is (new, or the plan's own).
    pub(super) service_of: BTreeMap<(HostId, String), String>,
    pub(super) draft: Draft,
}

/// The draft from the plan's model, the scans of the hosts that were read and why each of the
/// others could not be (hosts by their index in `model.hosts`). Pure: nothing is read or run.
pub fn build(model: &Model, scans: &[(HostId, HostScan)], failures: &[(HostId, String)]) -> Draft {
    let mut b = Builder {
        model,
        scans,
        owners: address_owners(model, scans),
        service_of: BTreeMap::new(),
        draft: Draft::default(),
    };
    b.draft.failures = failures
        .iter()
        .map(|(h, why)| (model.hosts[*h].name.clone(), why.clone()))
        .collect();
    b.draft.hosts = scans
        .iter()
        .map(|(h, s)| {
            let manager = match (&s.facts.manager, &s.facts.manager_problem) {
                (Some(m), _) => m.to_string(),
                (None, Some(why)) => format!("unknown: {why}"),
                (None, None) => "unknown".to_string(),
            };
            (model.hosts[*h].name.clone(), s.facts.os.clone(), manager)
        })
        .collect();
    b.services();
    b.clusters();
    let edges = b.edges();
    b.place_edges(edges);
    b.notes();
    b.draft
}

/// Every address each host has (its inventory address if an IP, what it reports, the end of our
/// own SSH connection); an address two hosts claim (NAT, a default VM address) names neither.
fn address_owners(model: &Model, scans: &[(HostId, HostScan)]) -> HashMap<IpAddr, HostId> {
    let mut claims: HashMap<IpAddr, BTreeSet<HostId>> = HashMap::new();
    for (h, s) in scans {
        for ip in s
            .facts
            .addresses
            .iter()
            .chain(s.facts.ssh.as_ref().map(|e| &e.ip))
        {
            if !ip.is_loopback() && !ip.is_unspecified() {
                claims.entry(*ip).or_default().insert(*h);
            }
        }
    }
    let mut owners: HashMap<IpAddr, HostId> = claims
        .into_iter()
        .filter(|(_, hosts)| hosts.len() == 1)
        .map(|(ip, hosts)| (ip, *hosts.first().expect("one")))
        .collect();
    // The inventory's own addresses win: the operator wrote them.
    for (h, host) in model.hosts.iter().enumerate() {
        if let Some(ip) = ip_literal(&host.address) {
            owners.insert(ip, h);
        }
    }
    owners
}

/// Whether the plan already has this unit on this host: same unit, same name, or a check on
/// one of its ports.
fn existing_service(model: &Model, host: HostId, unit: &str, ports: &[u16]) -> Option<String> {
    model.services.iter().find_map(|s| {
        let here = s.instances.iter().find(|i| i.host == host)?;
        let same_unit = s.name == unit
            || matches!(&s.process, Some(ProcessSource::Unit(u)) if u == unit)
            || here.restart.shown.split_whitespace().any(|w| w == unit);
        let same_port = here
            .health
            .iter()
            .any(|c| matches!(c.kind, CheckKind::Tcp { port } if ports.contains(&port)));
        (same_unit || same_port).then(|| s.name.clone())
    })
}

fn port_check(os: &str, port: u16) -> String {
    if os == "FreeBSD" {
        format!("sockstat -46 -l -P tcp -p {port} | grep -q ':{port} '")
    } else {
        format!("ss -Htln 'sport = :{port}' | grep -q .")
    }
}

impl Builder<'_> {
    pub(super) fn host_name(&self, h: HostId) -> &str {
        &self.model.hosts[h].name
    }

    pub(super) fn scan(&self, h: HostId) -> Option<&HostScan> {
        self.scans.iter().find(|(id, _)| *id == h).map(|(_, s)| s)
    }

    fn services(&mut self) {
        // unit -> [(host, scan index)], hosts in inventory order.
        let mut groups: BTreeMap<String, Vec<(HostId, usize)>> = BTreeMap::new();
        let mut order: Vec<(HostId, usize)> = self
            .scans
            .iter()
            .enumerate()
            .map(|(k, (h, _))| (*h, k))
            .collect();
        order.sort();
        for (h, k) in order {
            let scan = &self.scans[k].1;
            for (unit, why) in &scan.identified.plumbing {
                self.draft.plumbing.push(super::plumbing::Plumbing {
                    host: self.host_name(h).to_string(),
                    unit: unit.clone(),
                    why: why.clone(),
                });
            }
            for i in &scan.identified.instances {
                if let Some(why) = super::plumbing::base_os_and_silent(scan, i) {
                    self.draft.plumbing.push(super::plumbing::Plumbing {
                        host: self.host_name(h).to_string(),
                        unit: i.unit().to_string(),
                        why,
                    });
                    continue;
                }
                let ports: Vec<u16> = i.listeners.iter().map(|l| l.port).collect();
                if let Some(existing) = existing_service(self.model, h, i.unit(), &ports) {
                    self.draft.duplicates.push(Duplicate {
                        host: self.host_name(h).to_string(),
                        unit: i.unit().to_string(),
                        existing: existing.clone(),
                    });
                    self.service_of.insert((h, i.unit().to_string()), existing);
                    continue;
                }
                groups.entry(i.unit().to_string()).or_default().push((h, k));
            }
        }
        let mut taken: BTreeSet<String> =
            self.model.services.iter().map(|s| s.name.clone()).collect();
        for (unit, members) in groups {
            let base = plain_name(&unit);
            let mut name = base.clone();
            let mut n = 2;
            while taken.contains(&name) {
                name = format!("{base}-{n}");
                n += 1;
            }
            taken.insert(name.clone());
            let service = self.new_service(&name, &unit, &members);
            for (h, _) in &members {
                self.service_of.insert((*h, unit.clone()), name.clone());
            }
            self.draft.services.push(service);
        }
    }

    fn new_service(&self, name: &str, unit: &str, members: &[(HostId, usize)]) -> NewService {
        let instances: Vec<(HostId, &HostScan, &super::identify::Instance)> = members
            .iter()
            .filter_map(|&(h, k)| {
                let scan = &self.scans[k].1;
                Some((h, scan, scan.identified.instance(unit)?))
            })
            .collect();
        let first = &instances[0].1.facts;
        // Ports every host listens on; a port bound to loopback anywhere is checked on the host.
        let mut ports: Option<BTreeSet<u16>> = None;
        let mut loopback_only: BTreeSet<u16> = BTreeSet::new();
        for (_, _, i) in &instances {
            let here: BTreeSet<u16> = i.listeners.iter().map(|l| l.port).collect();
            for port in &here {
                if i.listeners
                    .iter()
                    .filter(|l| l.port == *port)
                    .all(|l| l.ip.is_loopback())
                {
                    loopback_only.insert(*port);
                }
            }
            ports = Some(match ports {
                None => here,
                Some(p) => p.intersection(&here).copied().collect(),
            });
        }
        let health = ports
            .unwrap_or_default()
            .into_iter()
            .take(MAX_PORT_CHECKS)
            .map(|port| {
                if loopback_only.contains(&port) {
                    Health::Command(port_check(&first.os, port))
                } else {
                    Health::Tcp(port)
                }
            })
            .collect();
        let mut configs: Option<BTreeSet<&str>> = None;
        let mut all: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (h, scan, _) in &instances {
            let here: BTreeSet<&str> = scan
                .configs
                .get(unit)
                .into_iter()
                .flatten()
                .map(|(p, _)| p.as_str())
                .collect();
            for p in &here {
                all.entry(p).or_default().push(self.host_name(*h));
            }
            configs = Some(match configs {
                None => here,
                Some(c) => c.intersection(&here).copied().collect(),
            });
        }
        let configs = configs.unwrap_or_default();
        let configs_elsewhere = all
            .iter()
            .filter(|(p, _)| !configs.contains(*p))
            .map(|(p, hosts)| format!("{p} (on {})", hosts.join(", ")))
            .collect();
        NewService {
            name: name.to_string(),
            unit: unit.to_string(),
            hosts: instances
                .iter()
                .map(|(h, _, _)| self.host_name(*h).to_string())
                .collect(),
            manager: first.manager,
            restart: first.manager.map(|m| {
                crate::inspect::unit::command(m, unit, crate::plan::wire::Action::Restart)
            }),
            configs: configs.into_iter().map(String::from).collect(),
            configs_elsewhere,
            health,
            found: instances
                .iter()
                .map(|(h, _, i)| {
                    (
                        self.host_name(*h).to_string(),
                        i.owner.how.clone(),
                        i.listeners.iter().copied().collect(),
                    )
                })
                .collect(),
        }
    }

    /// The service listening on `port` of host `h` at `ip` (a reference by name carries no
    /// address: any listener on the port then).
    pub(super) fn listener_service(&self, h: HostId, ip: IpAddr, port: u16) -> Option<String> {
        let instances = &self.scan(h)?.identified.instances;
        instances
            .iter()
            .find(|i| i.listens(ip, port))
            .or_else(|| {
                instances
                    .iter()
                    .find(|i| i.listeners.iter().any(|l| l.port == port))
            })
            .and_then(|i| self.service_of.get(&(h, i.unit().to_string())).cloned())
    }

    /// The inventory host a config reference names from host `from`, if any.
    pub(super) fn target_host(&self, from: HostId, scan: &HostScan, name: &str) -> Target {
        if let Some(ip) = ip_literal(name) {
            return self.host_of_ip(from, ip);
        }
        let named = self.model.hosts.iter().position(|h| {
            h.name.eq_ignore_ascii_case(name) || h.address.eq_ignore_ascii_case(name)
        });
        let addresses = scan.resolved.get(name).map(Vec::as_slice).unwrap_or(&[]);
        if let Some(h) = named {
            return Target::Host(h, addresses.is_empty());
        }
        if addresses.is_empty() {
            return Target::Unresolved;
        }
        for ip in addresses {
            if let Target::Host(h, _) = self.host_of_ip(from, *ip) {
                return Target::Host(h, false);
            }
        }
        Target::Outside
    }

    pub(super) fn host_of_ip(&self, from: HostId, ip: IpAddr) -> Target {
        if let Some(&h) = self.owners.get(&ip) {
            Target::Host(h, false)
        } else if ip.is_loopback() || ip.is_unspecified() {
            Target::Host(from, false)
        } else {
            Target::Outside
        }
    }

    fn edges(&mut self) -> BTreeMap<(String, String), Vec<Evidence>> {
        let mut edges: BTreeMap<(String, String), Vec<Evidence>> = BTreeMap::new();
        for (h, scan) in self.scans {
            let h = *h;
            let host = self.host_name(h).to_string();
            // (a) live connections from a process of a service.
            for c in &scan.facts.connections {
                if scan.facts.listens_on(c.local.port) {
                    continue; // accepted by a listener of this host: the other end is the client
                }
                let Some(from_unit) = c
                    .pids
                    .iter()
                    .find_map(|&pid| super::identify::owner(&scan.facts, pid))
                    .map(|o| o.unit)
                else {
                    continue;
                };
                if c.pids.iter().any(|p| scan.identified.ssh_pids.contains(p)) {
                    continue;
                }
                let Some(from) = self.service_of.get(&(h, from_unit.clone())).cloned() else {
                    continue;
                };
                let text = format!("connection {} -> {}", c.local, c.peer);
                match self.host_of_ip(h, c.peer.ip) {
                    Target::Host(t, _) => {
                        match self.listener_service(t, c.peer.ip, c.peer.port) {
                            Some(to) if to != from => {
                                edges.entry((from, to)).or_default().push(Evidence {
                                    kind: EvidenceKind::Connection,
                                    text,
                                })
                            }
                            Some(_) => {}
                            None => {
                                let ssh = self
                                    .scan(t)
                                    .and_then(|s| s.facts.ssh)
                                    .is_some_and(|e| e.port == c.peer.port);
                                if !ssh {
                                    self.draft.notes.push(format!(
                                    "{from} on {host}: {text}: no service of {} listens there{}",
                                    self.host_name(t),
                                    if self.scan(t).is_none() { " (host not read)" } else { "" }
                                ));
                                }
                            }
                        }
                    }
                    _ => self.draft.external.push(External {
                        host: host.clone(),
                        from,
                        endpoint: c.peer.to_string(),
                        evidence: text,
                    }),
                }
            }
            // (b) config references.
            for (unit, files) in &scan.configs {
                let Some(from) = self.service_of.get(&(h, unit.clone())).cloned() else {
                    continue;
                };
                for (path, text) in files {
                    // Where the service listens says nothing of what it uses (a
                    // `listen_addresses` naming the host's own address is not an edge to the
                    // host's other service).
                    let uses = crate::refs::scan(text, &Default::default())
                        .into_iter()
                        .filter(|r| r.kind.reaches());
                    for r in uses {
                        let at = format!("{path}:{}", r.line);
                        let endpoint = match r.port {
                            Some(p) => crate::human::host_port(&r.host, p),
                            None => r.host.clone(),
                        };
                        let target = self.target_host(h, scan, &r.host);
                        let stale = matches!(target, Target::Unresolved | Target::Host(_, true));
                        if stale {
                            self.draft.stale.push(Stale {
                                host: host.clone(),
                                service: from.clone(),
                                name: r.host.clone(),
                                port: r.port,
                                at: at.clone(),
                                text: r.text.clone(),
                            });
                        }
                        match target {
                            Target::Host(t, _) => {
                                let to = match r.port {
                                    Some(port) => {
                                        let ip = ip_literal(&r.host)
                                            .unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into());
                                        self.listener_service(t, ip, port)
                                    }
                                    None => self.only_service(t, &from),
                                };
                                match to {
                                    Some(to) if to != from => {
                                        edges.entry((from.clone(), to)).or_default().push(Evidence {
                                            kind: if r.port.is_some() {
                                                EvidenceKind::ConfigPort
                                            } else {
                                                EvidenceKind::ConfigHost
                                            },
                                            text: at,
                                        })
                                    }
                                    Some(_) => {}
                                    // A member of its own cluster: said with the cluster.
                                    None if r.kind == crate::refs::Kind::Member
                                        && self.runs(t, &from) => {}
                                    None if t != h => self.draft.notes.push(format!(
                                        "{from} on {host}: {at} names {endpoint} on {}, where no single service matches",
                                        self.host_name(t)
                                    )),
                                    None => {}
                                }
                            }
                            Target::Outside => self.draft.external.push(External {
                                host: host.clone(),
                                from: from.clone(),
                                endpoint,
                                evidence: at,
                            }),
                            Target::Unresolved => {}
                        }
                    }
                }
            }
        }
        for evidence in edges.values_mut() {
            evidence.sort();
            evidence.dedup();
            evidence.sort_by(|a, b| b.kind.cmp(&a.kind).then(a.text.cmp(&b.text)));
        }
        edges
    }

    /// The one service of host `t` other than `from` that accepts connections, when there is
    /// exactly one: a unit that listens on nothing (a log forwarder, a worker) is never what
    /// a host name points at.
    fn only_service(&self, t: HostId, from: &str) -> Option<String> {
        let listening: BTreeSet<&str> = self
            .scan(t)
            .map(|s| &s.identified.instances)
            .into_iter()
            .flatten()
            .filter(|i| !i.listeners.is_empty())
            .map(|i| i.unit())
            .collect();
        let names: BTreeSet<&String> = self
            .service_of
            .iter()
            .filter(|((h, unit), name)| {
                *h == t && name.as_str() != from && listening.contains(unit.as_str())
            })
            .map(|(_, name)| name)
            .collect();
        match names.into_iter().collect::<Vec<_>>()[..] {
            [one] => Some(one.clone()),
            _ => None,
        }
    }

    fn place_edges(&mut self, found: BTreeMap<(String, String), Vec<Evidence>>) {
        let new: BTreeSet<&str> = self
            .draft
            .services
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        let mut candidates = Vec::new();
        for ((from, to), evidence) in found {
            let edge = Edge { from, to, evidence };
            if new.contains(edge.from.as_str()) {
                candidates.push(edge);
            } else {
                // From a service the plan already has: it is kept as written.
                let written = self
                    .model
                    .service_index(&edge.from)
                    .zip(self.model.service_index(&edge.to))
                    .is_some_and(|(f, t)| self.model.services[f].depends_on.contains(&t));
                if !written {
                    self.draft.suggested.push(edge);
                }
            }
        }
        let fixed: Vec<(String, String)> = self
            .model
            .services
            .iter()
            .flat_map(|s| {
                s.depends_on
                    .iter()
                    .map(|&d| (s.name.clone(), self.model.services[d].name.clone()))
            })
            .collect();
        let (kept, broken) = break_cycles(candidates, &fixed);
        self.draft.edges = kept;
        self.draft.broken = broken;
    }

    fn notes(&mut self) {
        for (h, scan) in self.scans {
            let host = self.host_name(*h).to_string();
            if scan.facts.truncated {
                self.draft.notes.push(format!(
                    "{host}: more than {} sockets of a kind: only the first were read",
                    super::facts::SOCKET_LIMIT
                ));
            }
            for u in &scan.identified.unowned {
                self.draft.unowned.push(Unowned {
                    host: host.clone(),
                    at: u.at,
                    pid: u.pid,
                    process: u.process.clone(),
                });
            }
        }
        let d = &mut self.draft;
        d.external.sort();
        d.external.dedup();
        d.stale.sort();
        d.stale.dedup();
        d.notes.sort();
        d.notes.dedup();
        d.plumbing.sort();
    }
}

pub(super) enum Target {
    /// An inventory host; `true` when its name does not resolve from where it is named.
    Host(HostId, bool),
    /// Resolves, to addresses outside the inventory.
    Outside,
    /// Does not resolve from the host whose config names it.
    Unresolved,
}
