//! The members a cluster's own config names: a member that is gone keeps the cluster from
//! forming again after a restart (the Galera node removed a year ago), so each is a reference
//! of kind `member`. Only each system's exact form is read: Galera's `wsrep_cluster_address =
//! gcomm://…`, Redis `replicaof` and Sentinel's `monitor` and `known-*` lines, PostgreSQL's
//! `primary_conninfo`, etcd's `initial-cluster`, ZooKeeper's `server.N=host:2888:3888` and
//! RabbitMQ's classic peer discovery; anything looser stays a `connect` reference.

use super::erlang_nodes::ListOpen;
use crate::refs::Kind;
use crate::refs::context::KeyValue;
use crate::refs::features::Features;
use crate::refs::line::Line;
use crate::refs::tokens::{default_port, port, split_port};
use regex::Regex;
use std::sync::LazyLock;

/// Galera's and etcd's keys, as a key, a flag or a variable, up to their value:
/// `wsrep_cluster_address = "`, `--initial-cluster `, `ETCD_INITIAL_CLUSTER="`,
/// `"initial-cluster": "`. Group 1 is Galera's.
static CLUSTER_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?:^|[^a-z0-9_.])(?:(wsrep[_-]cluster[_-]address)|(?:etcd_)?initial[_-]cluster)["']?[ \t]*(?:[=:]|[ \t])[ \t]*["']?"#,
    )
    .expect("valid regex")
});

impl Line<'_> {
    /// Finds and claims the line's member forms before any other form reads it; `open` says
    /// whether a list of members goes on from the line before.
    pub(in crate::refs) fn members(
        &mut self,
        kv: Option<KeyValue<'_>>,
        features: &Features,
        open: &mut ListOpen,
    ) {
        let first = self.found.len();
        self.erlang_cluster_nodes(features, open);
        // Both keys hold `cluster` (`clu`: the regex's Unicode case folding also reads `ſ` as
        // `s`): most lines with a URL are ruled out before the regex runs.
        if features.scheme() && contains_ignore_case(self.text.as_bytes(), b"clu") {
            self.cluster_addresses();
        }
        if let Some(kv) = kv
            && features.equals()
            && !kv.directive
        {
            self.keyed(kv, features);
        }
        self.redis();
        for r in &mut self.found[first..] {
            r.kind = Kind::Member;
        }
    }

    /// Galera's `wsrep_cluster_address` and etcd's `initial-cluster`, wherever the line sets
    /// them: a config key, a command line's flag, an environment variable.
    fn cluster_addresses(&mut self) {
        let text = self.text;
        let b = text.as_bytes();
        // Where the last value read ends: a key inside it is part of it, and reading each such
        // key's value again would make `initial-cluster=initial-cluster=…` quadratic.
        let mut read_to = 0;
        for caps in CLUSTER_KEY.captures_iter(text) {
            let Some(key) = caps.get(0) else { continue };
            let start = key.end();
            if start < read_to {
                continue;
            }
            let end = start
                + b[start..]
                    .iter()
                    .position(|c| c.is_ascii_whitespace() || matches!(c, b'"' | b'\''))
                    .unwrap_or(b.len() - start);
            read_to = end;
            if start == end || !self.free(start, end) {
                continue;
            }
            if caps.get(1).is_some() {
                self.gcomm(start, end);
            } else {
                self.initial_cluster(start, end);
            }
        }
    }

    /// Galera's `gcomm://db-01,db-02:4567,db-03?pc.wait_prim=no`: each address a member, with
    /// its port only when written (the default, `base_port`, may be set in another file).
    /// `gcomm://` alone bootstraps a new cluster and names no one.
    fn gcomm(&mut self, start: usize, end: usize) {
        let value = &self.text[start..end];
        let Some(rest) = value
            .get(..8)
            .filter(|scheme| scheme.eq_ignore_ascii_case("gcomm://"))
            .map(|_| &value[8..])
        else {
            return;
        };
        self.claim(start, end);
        let addresses = rest.split(['?', '/', '#', ';']).next().unwrap_or_default();
        for address in addresses.split(',') {
            let (host, port) = split_port(address);
            self.add(host, port, start, end);
        }
    }

    /// etcd's `infra0=http://10.0.1.10:2380,infra1=https://etcd-1:2380`: each peer URL a
    /// member, the text its `name=url`.
    fn initial_cluster(&mut self, start: usize, end: usize) {
        let text = self.text;
        let mut item_start = start;
        let mut any = false;
        for item in text[start..end].split(',') {
            let at = item_start;
            item_start += item.len() + 1;
            let Some((_, url)) = item.split_once('=') else {
                continue;
            };
            let Some((scheme, rest)) = url.split_once("://") else {
                continue;
            };
            if scheme.is_empty()
                || !scheme
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'+')
            {
                continue;
            }
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
            let (host, explicit) = split_port(authority);
            self.add(host, explicit.or(default_port(scheme)), at, at + item.len());
            any = true;
        }
        if any {
            self.claim(start, end);
        }
    }

    /// Forms known by their key: PostgreSQL's `primary_conninfo`, ZooKeeper's `server.N` and
    /// RabbitMQ's `cluster_formation.classic_config.nodes.N`.
    fn keyed(&mut self, kv: KeyValue<'_>, features: &Features) {
        let key = kv.key;
        if key.eq_ignore_ascii_case("primary_conninfo") {
            // A conninfo string, or a URI (`postgresql://replicator@db-01:5432`). Its other
            // keywords name no host: `load_balance_hosts=disable`, as pg_basebackup writes it.
            self.conninfo(features);
            self.urls(features);
            self.claim(kv.value_start, self.text.len());
        } else if numbered(key, "server.") {
            self.zookeeper_server(kv.value_start);
        } else if numbered(key, "cluster_formation.classic_config.nodes.") {
            self.rabbit_node(kv.value_start);
        }
    }

    /// ZooKeeper's `server.1=zk1:2888:3888[:observer][;[address:]2181]`: the member and its
    /// election port, the one every member listens on (only the leader listens on the quorum
    /// port: a follower's would read as dead). A `server.1` of another shape (a URL, one port)
    /// is no ZooKeeper member.
    fn zookeeper_server(&mut self, from: usize) {
        let text = self.text;
        let end = word_end(text, from);
        let address = text[from..end].split(';').next().unwrap_or_default();
        let split = match address.strip_prefix('[') {
            Some(bracketed) => bracketed.split_once("]:"),
            None => address.split_once(':'),
        };
        let Some((host, ports)) = split else { return };
        let mut ports = ports.split(':');
        let quorum = ports.next().and_then(port);
        let election = ports.next().and_then(port);
        let role = ports.next().is_none_or(|r| {
            r.eq_ignore_ascii_case("participant") || r.eq_ignore_ascii_case("observer")
        });
        if quorum.is_none() || election.is_none() || !role || ports.next().is_some() {
            return;
        }
        if !self.free(from, end) {
            return;
        }
        // The client address after `;` is the member's own: nothing else to read there.
        self.claim(from, end);
        self.add(host, election, from, from + address.len());
    }

    /// RabbitMQ's `cluster_formation.classic_config.nodes.1 = rabbit@mq-01`: the host of the
    /// node name; the port is Erlang's distribution port, which the name does not say.
    fn rabbit_node(&mut self, from: usize) {
        let text = self.text;
        let end = word_end(text, from);
        let word = &text[from..end];
        let node = word.trim_start_matches(['"', '\'']);
        let start = end - node.len();
        let node = node.trim_end_matches(['"', '\'']);
        let Some((_, host)) = node.rsplit_once('@') else {
            return;
        };
        if !self.free(from, end) {
            return;
        }
        self.claim(from, end);
        self.add(host, None, start, start + node.len());
    }
}

/// Whether `haystack` holds `lower` (lower-case ASCII) in any case.
fn contains_ignore_case(haystack: &[u8], lower: &[u8]) -> bool {
    let first = lower[0];
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), haystack).any(|at| {
        haystack
            .get(at..at + lower.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(lower))
    })
}

/// `prefix` then a number, in any case: `server.1`, `nodes.2`.
fn numbered(key: &str, prefix: &str) -> bool {
    key.len() > prefix.len()
        && key.is_char_boundary(prefix.len())
        && key[..prefix.len()].eq_ignore_ascii_case(prefix)
        && key[prefix.len()..].bytes().all(|c| c.is_ascii_digit())
}

/// Where the word that starts at `from` ends: at the next blank, or the end of the line.
fn word_end(text: &str, from: usize) -> usize {
    text[from..]
        .bytes()
        .position(|c| c.is_ascii_whitespace())
        .map_or(text.len(), |n| from + n)
}

#[cfg(test)]
mod tests {
    use crate::refs::found::described;
    use crate::refs::{ScanOptions, scan};

    #[test]
    fn galera_addresses_with_their_port_only_when_written() {
        let members = ["db-01 member", "db-02:4567 member", "db-03 member"];
        for line in [
            "wsrep_cluster_address = gcomm://db-01,db-02:4567,db-03?pc.wait_prim=no",
            "wsrep_cluster_address=\"gcomm://db-01,db-02:4567,db-03\"",
            "wsrep-cluster-address = 'gcomm://db-01,db-02:4567,db-03/'",
            "ExecStart=/usr/sbin/mariadbd --wsrep_cluster_address=gcomm://db-01,db-02:4567,db-03",
        ] {
            assert_eq!(described(line), members, "{line}");
        }
        assert_eq!(
            described("wsrep_cluster_address = gcomm://[fd00::11]:4567,10.0.0.12"),
            ["fd00::11:4567 member", "10.0.0.12 member"]
        );
        // Bootstrap: names no one.
        for line in [
            "wsrep_cluster_address = gcomm://",
            "wsrep_cluster_address=\"gcomm://\"",
            "wsrep_cluster_address = 'gcomm://'",
        ] {
            assert_eq!(described(line), Vec::<String>::new(), "{line}");
        }
        // Another key's gcomm URL, and the node's own address, are no member lists.
        assert_eq!(described("url = gcomm://db-09"), ["db-09:4567"]);
        assert_eq!(
            described("wsrep_node_address = 10.0.0.11"),
            ["10.0.0.11 listen"]
        );
    }

    #[test]
    fn etcd_initial_cluster_as_key_variable_and_flag() {
        let members = ["10.0.1.10:2380 member", "etcd-2:2380 member"];
        for line in [
            "initial-cluster: infra0=http://10.0.1.10:2380,infra1=https://etcd-2:2380",
            "initial-cluster: 'infra0=http://10.0.1.10:2380,infra1=https://etcd-2:2380'",
            "\"initial-cluster\": \"infra0=http://10.0.1.10:2380,infra1=https://etcd-2:2380\",",
            "ETCD_INITIAL_CLUSTER=\"infra0=http://10.0.1.10:2380,infra1=https://etcd-2:2380\"",
            "export ETCD_INITIAL_CLUSTER=infra0=http://10.0.1.10:2380,infra1=https://etcd-2:2380",
            "Environment=ETCD_INITIAL_CLUSTER=infra0=http://10.0.1.10:2380,infra1=https://etcd-2:2380",
            "/usr/bin/etcd --name infra0 --initial-cluster infra0=http://10.0.1.10:2380,infra1=https://etcd-2:2380 --initial-cluster-state new",
            "  - --initial-cluster=infra0=http://10.0.1.10:2380,infra1=https://etcd-2:2380",
        ] {
            assert_eq!(described(line), members, "{line}");
        }
        // A URL without a port takes its scheme's.
        assert_eq!(
            described("initial-cluster: a=https://etcd-1"),
            ["etcd-1:443 member"]
        );
        for line in [
            "initial-cluster-state: new",
            "initial-cluster-token: etcd-cluster-1",
            "ETCD_INITIAL_CLUSTER_TOKEN=\"etcd-cluster-1\"",
        ] {
            assert_eq!(described(line), Vec::<String>::new(), "{line}");
        }
        // The member's own URLs are not the cluster's list.
        assert_eq!(
            described("initial-advertise-peer-urls: http://10.0.1.10:2380"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn zookeeper_servers_with_their_election_port() {
        for (line, member) in [
            ("server.1=zk1:2888:3888", "zk1:3888 member"),
            ("server.2=zk2:2888:3888;2181", "zk2:3888 member"),
            (
                "server.3 = zk3.corp.internal:2888:3888:observer",
                "zk3.corp.internal:3888 member",
            ),
            (
                "server.4=10.0.0.4:2888:3888:participant;0.0.0.0:2181",
                "10.0.0.4:3888 member",
            ),
            (
                "server.5=[2001:db8::5]:2888:3888",
                "2001:db8::5:3888 member",
            ),
        ] {
            assert_eq!(described(line), [member], "{line}");
        }
        // Another file's `server.1`: a URL, or one port, is no ZooKeeper member.
        assert_eq!(
            described("server.1=http://app-01.corp.internal:8080/"),
            ["app-01.corp.internal:8080"]
        );
        assert_eq!(described("server.1=app-01:8080"), ["app-01:8080"]);
        assert_eq!(
            described("server.1=zk1:2888:3888:leader"),
            Vec::<String>::new()
        );
        assert_eq!(described("server.port=8080"), Vec::<String>::new());
    }

    #[test]
    fn rabbitmq_nodes_in_both_config_formats() {
        assert_eq!(
            described("cluster_formation.classic_config.nodes.1 = rabbit@mq-01"),
            ["mq-01 member"]
        );
        assert_eq!(
            described("cluster_formation.classic_config.nodes.2 = rabbit@mq-02.corp.internal"),
            ["mq-02.corp.internal member"]
        );
        assert_eq!(
            described("[{rabbit, [{cluster_nodes, {['rabbit@h1', 'rabbit@h2'], disc}}]}]."),
            ["h1 member", "h2 member"]
        );
        assert_eq!(
            described(
                "  {cluster_nodes, {['rabbit@mq-01',\n     %% 'rabbit@old-mq',\n     'rabbit@mq-02.corp.internal',\n     rabbit@mq03], disc}},\n  {tcp_listeners, [5672]}"
            ),
            ["mq-01 member", "mq-02.corp.internal member", "mq03 member"]
        );
        // The list ends at its bracket, or at anything but atoms: the next lines are not read.
        assert_eq!(
            described("{cluster_nodes, {['rabbit@h1'], disc}},\nnotify rabbit@h9\n"),
            ["h1 member"]
        );
        assert_eq!(
            described("{cluster_nodes, {['rabbit@h1',\n{x, y}.\n'rabbit@h9'\n"),
            ["h1 member"]
        );
        // Not the classic config's key.
        assert_eq!(
            described("cluster_formation.peer_discovery_backend = classic_config"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn postgresql_primary_conninfo_as_pg_basebackup_writes_it() {
        // Inside postgresql.auto.conf's quoted value, each quote is doubled.
        let text = "primary_conninfo = 'user=replicator passfile=''/var/lib/postgresql/.pgpass'' channel_binding=prefer host=''host-1'' port=5432 application_name=''host-2'' sslmode=prefer'";
        assert_eq!(described(text), ["host-1:5432 member"]);
    }

    #[test]
    fn postgresql_primary_conninfo_without_its_password() {
        let text = "primary_conninfo = 'host=db-01 port=5432 user=replicator password=s3cret application_name=pg-02'";
        let refs = scan(text, &ScanOptions::default());
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].summary(), "db-01:5432 member");
        assert!(!refs[0].text.contains("s3cret"), "{}", refs[0].text);
        assert_eq!(
            described("primary_conninfo = 'hostaddr=10.0.0.7 port=5433 user=replicator'"),
            ["10.0.0.7:5433 member"]
        );
        // As pg_basebackup -R writes it: quotes doubled inside the value.
        assert_eq!(
            described(
                "primary_conninfo = 'user=replicator passfile=''/var/lib/postgresql/.pgpass'' host=db-02 port=5432 sslmode=prefer target_session_attrs=any load_balance_hosts=disable'"
            ),
            ["db-02:5432 member"]
        );
        let uri = "primary_conninfo = 'postgresql://replicator:Ur1s3cret@db-03:5433/postgres'";
        let refs = scan(uri, &ScanOptions::default());
        assert_eq!(refs[0].summary(), "db-03:5433 member");
        assert!(!refs[0].text.contains("Ur1s3cret"), "{}", refs[0].text);
        // Any other conninfo is a connection, not a member.
        assert_eq!(
            described("conninfo = 'host=db-01 port=5432'"),
            ["db-01:5432"]
        );
    }

    #[test]
    fn redis_replication_and_sentinel_lines_name_members() {
        for (line, member) in [
            (
                "sentinel monitor mymaster 10.0.0.1 6379 2",
                "10.0.0.1:6379 member",
            ),
            (
                "sentinel known-replica mymaster cache-02 6379",
                "cache-02:6379 member",
            ),
            (
                "sentinel known-sentinel mymaster 10.0.0.3 26379 4c3b1a2f9e8d7c6b",
                "10.0.0.3:26379 member",
            ),
            ("replicaof cache-01 6379", "cache-01:6379 member"),
            ("slaveof 10.0.0.9 6380", "10.0.0.9:6380 member"),
        ] {
            assert_eq!(described(line), [member], "{line}");
        }
    }
}
