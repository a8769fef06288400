//! PostgreSQL streaming replication: exactly one member is not in recovery (the primary) and
//! sees every other streaming from it; every standby's WAL receiver is streaming. Asked as the
//! `postgres` user over the local socket (peer authentication), so no password is read.

use super::Member;
use super::answers::{Answer, value};
use crate::plan::model::ShellCommand;

const QUERY: &str = "select 'recovery=' || pg_is_in_recovery() union all select 'standby=' || coalesce(application_name, '') || ',' || coalesce(state, '') from pg_stat_replication union all select 'receiver=' || status from pg_stat_wal_receiver";

pub(super) fn question(client: &str) -> ShellCommand {
    ShellCommand::plain(format!(
        "cd / && q=\"{QUERY}\"\n\
         if [ \"$(id -un)\" = postgres ]; then {client} -XAtc \"$q\"\n\
         elif [ \"$(id -u)\" = 0 ]; then runuser -u postgres -- {client} -XAtc \"$q\"\n\
         else sudo -n -u postgres {client} -XAtc \"$q\"; fi"
    ))
}

pub(super) fn read(host: &str, answer: &Answer) -> Member {
    let text = &answer.stdout;
    let Some(recovery) = value(text, "recovery", '=').filter(|_| answer.ok()) else {
        return Member::silent(host, &answer.why());
    };
    let base = Member {
        host: host.to_string(),
        answered: true,
        ..Member::default()
    };
    if recovery == "false" {
        let streaming = text
            .lines()
            .filter_map(|l| l.strip_prefix("standby="))
            .filter(|s| s.rsplit(',').next() == Some("streaming"))
            .count();
        let s = if streaming == 1 { "" } else { "s" };
        return Member {
            state: format!("primary, {streaming} standby{s} streaming"),
            healthy: true,
            leads: true,
            sees: Some(streaming + 1),
            ..base
        };
    }
    match value(text, "receiver", '=') {
        Some("streaming") => Member {
            state: "standby, streaming".into(),
            healthy: true,
            ..base
        },
        Some(status) => Member {
            state: format!("standby, WAL receiver {}", super::one_line(status)),
            ..base
        },
        None => Member {
            state: "standby, no WAL receiver (not streaming from a primary)".into(),
            ..base
        },
    }
}
