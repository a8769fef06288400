//! A `command` cluster: the plan's `whole:` command says from each member whether the cluster
//! is whole (exit 0), and its `leader:` command which member leads (exit 0).

use super::Member;
use super::answers::Answer;

pub(super) fn read(host: &str, whole: &Answer, leader: Option<&Answer>) -> Member {
    let healthy = whole.ok();
    Member {
        host: host.to_string(),
        answered: whole.code.is_some(),
        state: if healthy {
            "whole".into()
        } else {
            match whole.code {
                Some(code) => format!("not whole (`whole` exited {code}): {}", whole.why()),
                None => format!("not whole: {}", whole.why()),
            }
        },
        healthy,
        leads: leader.is_some_and(Answer::ok),
        ..Member::default()
    }
}
