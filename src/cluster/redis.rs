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

pub(super) fn question(client: &str, configs: &[String]) -> ShellCommand {
    // The server's configs, not a Sentinel's: its `requirepass` is the Sentinel's own.
    let files: Vec<String> = configs
        .iter()
        .filter(|c| !c.contains("sentinel"))
        .map(|c| crate::quote::word(c).into_owned())
        .chain(std::iter::once(DEFAULT_CONFIG.to_string()))
        .collect();
    ShellCommand::plain(format!(
        "pass=$(sed -n 's/^[[:space:]]*requirepass[[:space:]][[:space:]]*//p' {} 2>/dev/null | tail -n 1 | tr -d '\\r')\n\
         pass=${{pass#\\\"}}; pass=${{pass%\\\"}}\n\
         if [ -n \"$pass\" ]; then export REDISCLI_AUTH=\"$pass\"; fi\n\
         {client} INFO replication",
        files.join(" ")
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

/// Asks the Sentinel on the primary's host to fail the primary over, retried while it answers
/// `NOGOODSLAVE` (its view of a replica that just restarted is stale for a few seconds).
pub(super) fn failover(client: &str) -> ShellCommand {
    let sentinel = format!("{client} -p {SENTINEL_PORT}");
    ShellCommand::plain(format!(
        "name=$({sentinel} SENTINEL masters 2>&1 | sed -n '/^name$/{{n;p;q;}}')\n\
         if [ -z \"$name\" ]; then echo 'no Sentinel on this host answers on port {SENTINEL_PORT} with a monitored primary' >&2; exit 1; fi\n\
         tries=0\n\
         while :; do\n\
         out=$({sentinel} SENTINEL FAILOVER \"$name\" 2>&1)\n\
         case $out in OK*) echo \"sentinel failover $name: $out\"; exit 0;; esac\n\
         tries=$((tries + 1))\n\
         if [ $tries -ge 30 ]; then echo \"sentinel failover $name: $out\" >&2; exit 1; fi\n\
         sleep 1\n\
         done"
    ))
}
