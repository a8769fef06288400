//! Redis replication, with or without Sentinel: exactly one member says `role:master` and
//! counts every other as an online replica; every replica's link to it is up and not syncing.
//! The password, when the member's own config sets `requirepass`, is read on the host into
//! `REDISCLI_AUTH`: it never leaves the host and never appears in a command line.

use super::Member;
use super::answers::{Answer, value};
use crate::plan::model::ShellCommand;

/// Where Debian keeps the server's config, read for `requirepass` after the plan's configs.
const DEFAULT_CONFIG: &str = "/etc/redis/redis.conf";
/// The Sentinel's port, asked for a failover on the primary's host.
const SENTINEL_PORT: u16 = 26379;

/// The member's server configs as shell words: Debian's default first, then the plan's, whose
/// lines win (`tail -n 1`); never a Sentinel's, whose `requirepass` is the Sentinel's own.
pub(super) fn server_configs(configs: &[String]) -> String {
    std::iter::once(DEFAULT_CONFIG.to_string())
        .chain(
            configs
                .iter()
                .filter(|c| !c.contains("sentinel") && c.as_str() != DEFAULT_CONFIG)
                .map(|c| crate::quote::word(c).into_owned()),
        )
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn question(client: &str, configs: &[String]) -> ShellCommand {
    ShellCommand::plain(format!(
        "set -- {}\n{}{client} INFO replication",
        server_configs(configs),
        include_str!("../remote/redis_auth.sh"),
    ))
}

pub(super) fn read(host: &str, answer: &Answer) -> Member {
    let text = &answer.stdout;
    let Some(role) = value(text, "role", ':').filter(|_| answer.ok()) else {
        return Member::silent(host, &answer.why());
    };
    let offset = value(text, "master_repl_offset", ':').and_then(|o| o.parse().ok());
    let member = |state: String, healthy, leads, sees| Member {
        host: host.to_string(),
        answered: true,
        state,
        healthy,
        leads,
        sees,
        id: None,
        position: offset,
        critical: false,
    };
    match role {
        "master" => {
            let online = text
                .lines()
                .filter(|l| l.starts_with("slave") && l.contains(':'))
                .filter(|l| l.split(',').any(|f| f.trim() == "state=online"))
                .count();
            let s = if online == 1 { "" } else { "s" };
            member(
                format!("role:master, {online} replica{s} online"),
                true,
                true,
                Some(online + 1),
            )
        }
        "slave" => {
            let link = value(text, "master_link_status", ':').unwrap_or("unknown");
            let syncing = value(text, "master_sync_in_progress", ':') == Some("1");
            let master = format!(
                "{}:{}",
                value(text, "master_host", ':').unwrap_or("?"),
                value(text, "master_port", ':').unwrap_or("?")
            );
            let mut state = format!(
                "role:slave of {}, link {}",
                super::one_line(&master),
                super::one_line(link)
            );
            if syncing {
                state.push_str(", sync in progress");
            }
            member(state, link == "up" && !syncing, false, None)
        }
        other => member(
            format!("role:{}", super::one_line(other)),
            false,
            false,
            None,
        ),
    }
}

/// Asks the Sentinel on the primary's host to fail this primary over, retried while it answers
/// `NOGOODSLAVE` (its view of a replica that just restarted is stale for a few seconds). The
/// primary is the monitored master whose address is the member's (`names`: its plan name and
/// address) and port its own; a Sentinel that watches one master only needs no match.
pub(super) fn failover(client: &str, names: [&str; 2], port: u16) -> ShellCommand {
    let [a, b] = names.map(|n| crate::quote::word(n).into_owned());
    // The names and port as arguments, the Sentinel's client as a function: the script's text
    // is the file's.
    ShellCommand::plain(format!(
        "set -- {a} {b} {port}\nsentinel_port={SENTINEL_PORT}\nsentinel() {{ {client} -p {SENTINEL_PORT} \"$@\"; }}\n{}",
        include_str!("../remote/redis_sentinel_failover.sh")
    ))
}
