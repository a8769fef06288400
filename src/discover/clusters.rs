//! Which services are one cluster, from what the hosts show rather than a program's name:
//! their instances linked by the cluster's own ports (Galera 4567, etcd 2380, ZooKeeper
//! 2888/3888, RabbitMQ 25672), by replication (a Redis replica to its primary's 6379, a
//! PostgreSQL walreceiver to its primary's 5432), or by the cluster's config keys naming each
//! other's hosts (references of kind `member`). The port or key says the kind; who connects to
//! whom says the leader, where the kind has one. A service the plan already has (without
//! `cluster:`) is kept as written: the report says what to add. Pure: the builder's view of the
//! scans in.

use super::draft::{Builder, Target};
use crate::cluster::{Gone, Kind, Member, View};
use crate::discover::facts::Connection;
use crate::plan::model::HostId;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A service whose instances were seen linked as one cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cluster {
    /// The draft's service.
    pub service: String,
    /// What the links say it is.
    pub kind: Kind,
    /// The linked instances' hosts, in inventory order.
    pub members: Vec<String>,
    /// The member the others follow now, when the links show one; the run asks again.
    pub leader: Option<Leader>,
    /// What links them: `host: connection LOCAL -> PEER`, `host: accepted LOCAL <- PEER`, then
    /// `host: path:line names NAME`, each kind sorted, each once.
    pub evidence: Vec<String>,
    /// Hosts of the service that no link reaches: while there is one, `cluster:` is said, not
    /// written (every instance of a cluster service is a member, and this one would never be
    /// seen in the cluster).
    pub unlinked: Vec<String>,
    /// The plan already has the service, without `cluster:`: its text is kept, the report says
    /// what to add.
    pub in_plan: bool,
    /// Whether it could come back from a full outage, as its members run now and their
    /// configs name each other (a member named but gone says no).
    pub comes_back: Option<crate::cluster::Verdict>,
}

impl Cluster {
    /// Whether the draft writes `cluster:`: a new service, every host of it linked.
    pub fn written(&self) -> bool {
        self.unlinked.is_empty() && !self.in_plan
    }
}

/// The member that leads now, and why discovery thinks so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Leader {
    /// Its host.
    pub host: String,
    /// In words: `cache-02, cache-03 replicate from it`.
    pub why: String,
}

/// One sighting that two instances of a service are members of one cluster.
#[derive(Debug, Clone)]
struct Link {
    service: String,
    from: HostId,
    to: HostId,
    kind: Kind,
    /// `from` follows `to` (a replica to its primary, a ZooKeeper follower to its leader).
    follows: bool,
    evidence: String,
}

/// The kind a cluster's own port says, whether the side connected to leads, and whether only
/// the cluster's members use the port (then an accepted connection says as much as one made).
fn port_kind(port: u16) -> Option<(Kind, bool, bool)> {
    Some(match port {
        4567 => (Kind::Galera, false, true),
        2380 => (Kind::Etcd, false, true),
        // Only the leader listens on the quorum port; followers connect to it.
        2888 => (Kind::Zookeeper, true, true),
        3888 => (Kind::Zookeeper, false, true),
        25672 => (Kind::Rabbitmq, false, true),
        // Clients use these too: only a connection the replica itself makes counts.
        6379 => (Kind::Redis, true, false),
        5432 => (Kind::Postgresql, true, false),
        _ => return None,
    })
}

/// The kind a member reference's config line says, and whether the named member leads.
/// `line` is the whole config line, `text` what the scanner matched, `port` its port.
pub(crate) fn member_kind(line: &str, text: &str, port: Option<u16>) -> Option<(Kind, bool)> {
    let line = line.to_ascii_lowercase();
    let text = text.to_ascii_lowercase();
    let has = |w: &str| line.contains(w) || text.contains(w);
    if has("gcomm://") || has("wsrep") {
        Some((Kind::Galera, false))
    } else if has("initial-cluster") || has("initial_cluster") {
        Some((Kind::Etcd, false))
    } else if has("rabbit@") || has("classic_config") || has("cluster_nodes") {
        Some((Kind::Rabbitmq, false))
    } else if line.trim_start().starts_with("server.") {
        Some((Kind::Zookeeper, false))
    } else if has("replicaof") || has("slaveof") {
        Some((Kind::Redis, true))
    } else if has("sentinel") {
        // A Sentinel watches a cluster and is no member of it: only `monitor` names the primary.
        has("monitor").then_some((Kind::Redis, true))
    } else if has("primary_conninfo") {
        Some((Kind::Postgresql, true))
    } else {
        port.and_then(port_kind)
            .map(|(kind, leads, _)| (kind, leads))
    }
}

/// Whether a connection on PostgreSQL's port is replication: the process says `walreceiver`
/// in its title, or shows no title to tell (a backend of another kind, `dblink`, is not).
fn replication_process(b: &Builder<'_>, h: HostId, c: &Connection) -> bool {
    let Some(scan) = b.scan(h) else { return false };
    c.pids.iter().all(|pid| {
        let args = scan
            .facts
            .processes
            .get(pid)
            .map(|p| p.args.join(" "))
            .unwrap_or_default();
        args.contains("walreceiver") || !args.contains("postgres:")
    })
}

impl Builder<'_> {
    /// The clusters among the new services and the plan's own without `cluster:`, said in the
    /// draft; an ambiguous one is a note.
    pub(super) fn clusters(&mut self) {
        let new: BTreeSet<String> = self
            .draft
            .services
            .iter()
            .map(|s| s.name.clone())
            .chain(
                self.model
                    .services
                    .iter()
                    .filter(|s| s.cluster.is_none())
                    .map(|s| s.name.clone()),
            )
            .collect();
        let mut links = self.connection_links(&new);
        let (members, gone) = self.member_links(&new);
        links.extend(members);
        let mut by_service: BTreeMap<String, Vec<Link>> = BTreeMap::new();
        for l in links {
            by_service.entry(l.service.clone()).or_default().push(l);
        }
        for (service, links) in by_service {
            let gone: Vec<Gone> = gone
                .iter()
                .filter(|(s, _)| *s == service)
                .map(|(_, g)| g.clone())
                .collect();
            if let Some(c) = self.cluster(&service, &links, &gone) {
                self.draft.clusters.push(c);
            }
        }
    }

    /// The service `h` runs as `unit`, when it is one of `new`.
    fn new_service_of(&self, new: &BTreeSet<String>, h: HostId, unit: &str) -> Option<String> {
        self.service_of
            .get(&(h, unit.to_string()))
            .filter(|s| new.contains(*s))
            .cloned()
    }

    /// Whether host `t` runs an instance of `service`.
    pub(super) fn runs(&self, t: HostId, service: &str) -> bool {
        self.service_of
            .iter()
            .any(|((h, _), s)| *h == t && s == service)
    }

    /// Links seen in the socket tables: a connection an instance makes to another instance of
    /// its service on a cluster port, or one it accepts on a port only members use.
    fn connection_links(&self, new: &BTreeSet<String>) -> Vec<Link> {
        let mut links = Vec::new();
        for (h, scan) in self.scans {
            let h = *h;
            let host = self.host_name(h);
            for c in &scan.facts.connections {
                if c.pids.iter().any(|p| scan.identified.ssh_pids.contains(p)) {
                    continue;
                }
                let Target::Host(t, _) = self.host_of_ip(h, c.peer.ip) else {
                    continue;
                };
                if t == h {
                    continue;
                }
                if scan.facts.listens_on(c.local.port) {
                    let evidence = format!("{host}: accepted {} <- {}", c.local, c.peer);
                    // Accepted: the listener's instance, and a peer that runs the service too.
                    let Some((kind, follows, true)) = port_kind(c.local.port) else {
                        continue;
                    };
                    let Some(service) = self
                        .listener_service(h, c.local.ip, c.local.port)
                        .filter(|s| new.contains(s) && self.runs(t, s))
                    else {
                        continue;
                    };
                    links.push(Link {
                        service,
                        from: t,
                        to: h,
                        kind,
                        follows,
                        evidence,
                    });
                    continue;
                }
                let evidence = format!("{host}: connection {} -> {}", c.local, c.peer);
                let Some((kind, follows, _)) = port_kind(c.peer.port) else {
                    continue;
                };
                let Some(service) = c
                    .pids
                    .iter()
                    .find_map(|&pid| super::identify::owner(&scan.facts, pid))
                    .and_then(|o| self.new_service_of(new, h, &o.unit))
                else {
                    continue;
                };
                if self.listener_service(t, c.peer.ip, c.peer.port).as_ref() != Some(&service) {
                    continue;
                }
                if kind == Kind::Postgresql && !replication_process(self, h, c) {
                    continue;
                }
                links.push(Link {
                    service,
                    from: h,
                    to: t,
                    kind,
                    follows,
                    evidence,
                });
            }
        }
        links
    }

    /// Links in the cluster's own config keys: a reference of kind `member` naming another
    /// host that runs the same service (on the named port, when the reference gives one and
    /// something listens there); and, per service, the members named that do not resolve.
    fn member_links(&self, new: &BTreeSet<String>) -> (Vec<Link>, Vec<(String, Gone)>) {
        let mut links = Vec::new();
        let mut gone = Vec::new();
        for (h, scan) in self.scans {
            let h = *h;
            for (unit, files) in &scan.configs {
                let Some(service) = self.new_service_of(new, h, unit) else {
                    continue;
                };
                for (path, text) in files {
                    let members = crate::refs::scan(text, &Default::default())
                        .into_iter()
                        .filter(|r| r.kind == crate::refs::Kind::Member);
                    for r in members {
                        let t = match self.target_host(h, scan, &r.host) {
                            Target::Host(t, false) => t,
                            Target::Unresolved => {
                                let who = self.host_name(h).to_string();
                                let status = "does not resolve from there".to_string();
                                gone.push((service.clone(), (who, r.host.clone(), status)));
                                continue;
                            }
                            _ => continue,
                        };
                        if t == h || !self.runs(t, &service) {
                            continue;
                        }
                        if let Some(port) = r.port {
                            let ip = super::draft::ip_literal(&r.host)
                                .unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into());
                            let other = self.listener_service(t, ip, port);
                            if other.is_some_and(|o| o != service) {
                                continue; // a Sentinel naming the Redis it watches
                            }
                        }
                        let line = text.lines().nth(r.line.saturating_sub(1)).unwrap_or("");
                        let Some((kind, follows)) = member_kind(line, &r.text, r.port) else {
                            continue;
                        };
                        links.push(Link {
                            service: service.clone(),
                            from: h,
                            to: t,
                            kind,
                            follows,
                            evidence: format!(
                                "{}: {path}:{} names {}",
                                self.host_name(h),
                                r.line,
                                r.host
                            ),
                        });
                    }
                }
            }
        }
        gone.sort();
        gone.dedup();
        (links, gone)
    }

    /// One service's links as a cluster: one kind, one linked group of at least two hosts.
    fn cluster(&mut self, service: &str, links: &[Link], gone: &[Gone]) -> Option<Cluster> {
        let kinds: BTreeSet<String> = links.iter().map(|l| l.kind.to_string()).collect();
        if kinds.len() > 1 {
            self.draft.notes.push(format!(
                "{service}: its instances are linked as clusters of several kinds ({}): no `cluster:` written",
                kinds.into_iter().collect::<Vec<_>>().join(", ")
            ));
            return None;
        }
        let kind = links.first()?.kind;
        let groups = linked_groups(links);
        if groups.len() > 1 {
            let groups: Vec<String> = groups
                .iter()
                .map(|g| self.names(g.iter().copied()).join(", "))
                .collect();
            self.draft.notes.push(format!(
                "{service}: {} separate {kind} clusters ({}): split the service by hand, one per cluster",
                groups.len(),
                groups.join("; ")
            ));
            return None;
        }
        let members = groups.into_iter().next()?;
        let in_plan = self.model.services.iter().find(|s| s.name == service);
        let hosts: Vec<HostId> = match in_plan {
            Some(s) => s.instances.iter().map(|i| i.host).collect(),
            None => self
                .draft
                .services
                .iter()
                .find(|s| s.name == service)?
                .hosts
                .iter()
                .filter_map(|name| self.model.hosts.iter().position(|h| &h.name == name))
                .collect(),
        };
        let unlinked = hosts.iter().copied().filter(|h| !members.contains(h));
        // What the sockets show first: it is what the cluster does now, not what a file says.
        let mut evidence: Vec<String> = links.iter().map(|l| l.evidence.clone()).collect();
        evidence.sort_by_key(|e| {
            (
                !e.contains(": connection "),
                !e.contains(": accepted "),
                e.clone(),
            )
        });
        evidence.dedup();
        let members = self.names(members.iter().copied());
        let leader = self.leader(kind, links);
        // Every member runs now: the verdict is what their configs and the leader say.
        let view = View {
            members: members
                .iter()
                .map(|m| Member {
                    host: m.clone(),
                    answered: true,
                    healthy: true,
                    leads: leader.as_ref().is_some_and(|l| &l.host == m),
                    state: "runs".into(),
                    ..Member::default()
                })
                .collect(),
        };
        Some(Cluster {
            service: service.to_string(),
            kind,
            comes_back: crate::cluster::verdict(kind, &view, gone),
            members,
            leader,
            evidence,
            unlinked: self.names(unlinked),
            in_plan: in_plan.is_some(),
        })
    }

    /// The one member the others follow and that follows none, when the links show it.
    fn leader(&self, kind: Kind, links: &[Link]) -> Option<Leader> {
        if !kind.has_leader() {
            return None;
        }
        let follows: Vec<&Link> = links.iter().filter(|l| l.follows).collect();
        let followers: BTreeSet<HostId> = follows.iter().map(|l| l.from).collect();
        let led: BTreeSet<HostId> = follows.iter().map(|l| l.to).collect();
        let [leader] = led.difference(&followers).copied().collect::<Vec<_>>()[..] else {
            return None;
        };
        let others = self.names(
            follows
                .iter()
                .filter(|l| l.to == leader)
                .map(|l| l.from)
                .collect::<BTreeSet<_>>()
                .into_iter(),
        );
        let others = others.join(", ");
        let why = match kind {
            Kind::Redis => format!("the primary: {others} replicate from it"),
            Kind::Postgresql => format!("the primary (walsender side): {others} stream from it"),
            Kind::Zookeeper => format!("the leader: {others} follow it on its port 2888"),
            _ => format!("{others} follow it"),
        };
        Some(Leader {
            host: self.host_name(leader).to_string(),
            why,
        })
    }

    /// Hosts' inventory names, in inventory order.
    fn names(&self, hosts: impl Iterator<Item = HostId>) -> Vec<String> {
        let hosts: BTreeSet<HostId> = hosts.collect();
        hosts
            .into_iter()
            .map(|h| self.host_name(h).to_string())
            .collect()
    }
}

/// The groups of hosts the links join (either way), each sorted, the groups by first host.
fn linked_groups(links: &[Link]) -> Vec<BTreeSet<HostId>> {
    let mut groups: Vec<BTreeSet<HostId>> = Vec::new();
    for l in links {
        let joined: Vec<usize> = (0..groups.len())
            .filter(|&g| groups[g].contains(&l.from) || groups[g].contains(&l.to))
            .collect();
        let mut group: BTreeSet<HostId> = [l.from, l.to].into();
        for &g in joined.iter().rev() {
            group.extend(groups.remove(g));
        }
        groups.push(group);
    }
    groups.sort();
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_line_says_the_kind() {
        let k = |line: &str, text: &str, port| member_kind(line, text, port).map(|(k, _)| k);
        assert_eq!(
            k("wsrep_cluster_address = gcomm://a,b", "gcomm://a,b", None),
            Some(Kind::Galera)
        );
        assert_eq!(
            k(
                "ETCD_INITIAL_CLUSTER=\"a=http://a:2380\"",
                "a=http://a:2380",
                Some(2380)
            ),
            Some(Kind::Etcd)
        );
        assert_eq!(
            k("server.2=zk2:2888:3888", "zk2:2888:3888", Some(3888)),
            Some(Kind::Zookeeper)
        );
        assert_eq!(
            k(
                "cluster_formation.classic_config.nodes.1 = rabbit@mq-01",
                "rabbit@mq-01",
                None
            ),
            Some(Kind::Rabbitmq)
        );
        assert_eq!(
            member_kind("replicaof cache-01 6379", "cache-01 6379", Some(6379)),
            Some((Kind::Redis, true))
        );
        assert_eq!(
            k(
                "sentinel known-sentinel mymaster 10.0.0.2 26379 abc",
                "10.0.0.2 26379",
                Some(26379)
            ),
            None
        );
        assert_eq!(
            member_kind("primary_conninfo = 'host=db-01'", "host=db-01", Some(5432)),
            Some((Kind::Postgresql, true))
        );
        // A continued `--initial-cluster` line shows only its URLs.
        assert_eq!(
            k(
                "  node-c=http://node-c:2380 \\",
                "node-c=http://node-c:2380",
                Some(2380)
            ),
            Some(Kind::Etcd)
        );
    }

    #[test]
    fn links_either_way_join_one_group() {
        let link = |from, to| Link {
            service: "s".into(),
            from,
            to,
            kind: Kind::Galera,
            follows: false,
            evidence: String::new(),
        };
        let groups = linked_groups(&[link(0, 1), link(3, 4), link(2, 1), link(4, 0)]);
        assert_eq!(groups, [BTreeSet::from([0, 1, 2, 3, 4])]);
        let groups = linked_groups(&[link(0, 1), link(3, 2)]);
        assert_eq!(groups, [BTreeSet::from([0, 1]), BTreeSet::from([2, 3])]);
    }
}
