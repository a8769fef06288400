//! ZooKeeper: every member serves, one says `Mode: leader` and the rest `Mode: follower` (or
//! observer), as the `srvr` four-letter word tells on the client port. Asked through bash's
//! `/dev/tcp` when the plan names no client (no `nc` needed); a `client` reads `srvr` on its
//! stdin and prints the answer (`nc 127.0.0.1 2181`).

use super::Member;
use super::answers::{Answer, value};
use crate::plan::model::ShellCommand;

pub(super) fn question(client: &[String]) -> ShellCommand {
    if client.is_empty() {
        return ShellCommand::plain(
            "bash -c 'exec 3<>/dev/tcp/127.0.0.1/2181 && printf srvr >&3 && cat <&3'",
        );
    }
    ShellCommand::plain(format!("printf srvr | {}", crate::quote::join(client)))
}

pub(super) fn read(host: &str, answer: &Answer) -> Member {
    let text = &answer.stdout;
    let base = Member {
        host: host.to_string(),
        answered: true,
        ..Member::default()
    };
    if text.contains("not currently serving requests") {
        return Member {
            state: "not serving requests (no quorum, or still electing)".into(),
            ..base
        };
    }
    let Some(mode) = value(text, "Mode", ':').filter(|_| answer.ok()) else {
        return Member::silent(host, &answer.why());
    };
    Member {
        state: format!("Mode: {}", super::one_line(mode)),
        healthy: matches!(mode, "leader" | "follower" | "observer"),
        leads: mode == "leader",
        ..base
    }
}
