//! A service's `cluster:`: its kind, client, timeout, switchover, and for `kind: command` its
//! own `whole:` and `leader:` commands (rendered per member, like any command of the plan).

use super::*;
use crate::cluster::{Cluster, Kind, MemberCommands};
use wire::ClusterEntry;

/// A `cluster:` checked, its commands parsed and waiting to be rendered for each member.
pub(super) struct PendingCluster {
    kind: Kind,
    client: Vec<String>,
    timeout: Duration,
    switchover: bool,
    whole: Option<Parsed>,
    leader: Option<Parsed>,
}

impl Validator<'_> {
    pub(super) fn cluster(
        &mut self,
        name: &Name,
        entry: &Spanned<ClusterEntry>,
        members: usize,
    ) -> Option<PendingCluster> {
        let at = &entry.referenced;
        let entry = &entry.value;
        let kind = entry.kind;
        let client = match &entry.client {
            None => Vec::new(),
            Some(c) => match shlex::split(&c.value) {
                Some(words) if words.first().is_some_and(|w| !w.starts_with('-')) => words,
                _ => {
                    self.error(
                        format!("`{}` is not a client command", c.value),
                        &c.referenced,
                    )
                    .hint = Some(format!(
                        "name the program and its first arguments, e.g. `{} --defaults-file=/etc/mysql/debian.cnf`",
                        Kind::Galera.default_client()
                    ));
                    Vec::new()
                }
            },
        };
        if let Some(c) = &entry.client
            && client.iter().any(|w| {
                let w = w.to_ascii_lowercase();
                w == "-a"
                    || w == "--pass"
                    || w.starts_with("--password")
                    || w.contains("password=")
                    // mysql's `-pSECRET`; `-p PORT` is redis-cli's and psql's port.
                    || (kind == Kind::Galera && w.starts_with("-p") && w.len() > 2)
            })
        {
            self.error(
                "a password in `client` would show in every command comeback prints and journals",
                &c.referenced,
            )
            .hint = Some(
                "leave it to the member's own means: redis-cli reads requirepass from the member's config, mysql and psql use the local socket as root or postgres; or a file the client reads (--defaults-file, .pgpass)".into(),
            );
        }
        if let (Some(c), Kind::Command) = (&entry.client, kind) {
            self.error("`client` is not used by `kind: command`", &c.referenced)
                .hint = Some("the `whole` and `leader` commands are run as written".into());
        }
        let switchover = entry.switchover.as_ref().is_some_and(|s| s.value);
        if let (true, Some(s), Err(why)) = (switchover, &entry.switchover, kind.switchover()) {
            self.error(
                format!("`switchover` does not apply to a {kind} cluster: {why}"),
                &s.referenced,
            )
            .hint = Some("remove `switchover: true`".into());
        }
        let command = |v: &mut Self, key: &str, c: &Option<Spanned<String>>| match c {
            Some(c) if kind != Kind::Command => {
                v.error(
                    format!(
                        "`{key}` is only for `kind: command`; a {kind} cluster is asked its own way"
                    ),
                    &c.referenced,
                );
                None
            }
            Some(c) => v.template(c, Context::Shell),
            None => None,
        };
        let whole = command(self, "whole", &entry.whole);
        let leader = command(self, "leader", &entry.leader);
        if kind == Kind::Command && entry.whole.is_none() {
            self.error("a `kind: command` cluster needs a `whole` command", at)
                .hint = Some(
                "`whole: COMMAND` exits 0 when the cluster is whole, seen from `{host}`".into(),
            );
        }
        if members < 2 {
            self.warn(
                format!(
                    "service `{}` is a cluster of {members} member: there is no other member to keep it up while it restarts",
                    name.value
                ),
                at,
            );
        }
        Some(PendingCluster {
            kind,
            client,
            timeout: self.duration(&entry.timeout, crate::cluster::DEFAULT_TIMEOUT),
            switchover,
            whole,
            leader,
        })
    }
}

impl PendingCluster {
    /// The `whole` and `leader` parsed commands of a `command` cluster, to render per member.
    pub(super) fn commands(&self) -> Option<(&Parsed, Option<&Parsed>)> {
        Some((self.whole.as_ref()?, self.leader.as_ref()))
    }

    /// The cluster, with each member's rendered commands.
    pub(super) fn done(self, commands: Vec<MemberCommands>) -> Cluster {
        Cluster {
            kind: self.kind,
            client: self.client,
            timeout: self.timeout,
            switchover: self.switchover,
            commands,
        }
    }
}
