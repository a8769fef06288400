//! A cluster watched from outside while comeback restarts it: every member's own view, polled
//! round after round on a thread of its own, then checked for what a rolling restart promises
//! (never more than one member out; the cluster whole again before the next member goes down).

use crate::lab::Lab;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// One round of polling: each member's view, in host order.
pub type Round = Vec<String>;

/// Runs `during` while polling `view` of every member; its result and every round seen.
pub fn watching<R>(
    lab: &Lab,
    view: fn(&Lab, usize) -> String,
    during: impl FnOnce() -> R,
) -> (R, Vec<Round>) {
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let poller = scope.spawn(|| {
            let mut rounds = Vec::new();
            while !done.load(Ordering::Relaxed) {
                rounds.push((0..lab.hosts.len()).map(|i| view(lab, i)).collect());
                std::thread::sleep(Duration::from_millis(100));
            }
            rounds
        });
        let result = during();
        done.store(true, Ordering::Relaxed);
        (result, poller.join().expect("poller"))
    })
}

/// Checks a rolling restart as seen from outside: in no round are two members out, and between
/// two members' outages every member has seen the cluster whole. Returns the hosts in the
/// order they went out.
pub fn one_at_a_time(
    lab: &Lab,
    rounds: &[Round],
    out: impl Fn(&str) -> bool,
    whole: impl Fn(&str) -> bool,
) -> Vec<String> {
    // The rounds so far, each change once: what the assertion shows.
    let history = |upto: usize| {
        let mut text = String::new();
        let mut last: Option<&Round> = None;
        for r in &rounds[..=upto] {
            if last != Some(r) {
                text.push_str(&format!("\n  {}", r.join(" | ")));
            }
            last = Some(r);
        }
        text
    };
    let show = |r: &Round| r.join(" | ");
    let mut order: Vec<usize> = Vec::new();
    // Whether each member has seen the cluster whole since the last outage began. A round polls
    // the members one after the other, so one member's whole view may come a round after the
    // others' (RabbitMQ's nodes learn of a returning node a moment apart): what counts is that
    // each saw it whole before the next went out, in the order the samples were taken.
    let mut whole_seen = vec![true; lab.hosts.len()];
    for (n, round) in rounds.iter().enumerate() {
        let outs: Vec<usize> = (0..round.len()).filter(|&i| out(&round[i])).collect();
        assert!(
            outs.len() <= 1,
            "two members out at once: {}{}",
            show(round),
            history(n)
        );
        for (i, view) in round.iter().enumerate() {
            if out(view) {
                let whole_since_last = whole_seen.iter().all(|&w| w);
                if order.last() != Some(&i) || whole_since_last {
                    assert!(
                        whole_since_last,
                        "{} went out before the cluster was whole again after {}: {}{}",
                        lab.hosts[i].name,
                        order.last().map_or("-", |&l| lab.hosts[l].name.as_str()),
                        show(round),
                        history(n)
                    );
                    order.push(i);
                }
                whole_seen.fill(false);
            } else if whole(view) {
                whole_seen[i] = true;
            }
        }
    }
    order.iter().map(|&i| lab.hosts[i].name.clone()).collect()
}

/// The step ids in the order their restarts were proved, as the run's journal tells them.
pub fn restarted(journal: &[serde_json::Value]) -> Vec<String> {
    let ids: std::collections::HashMap<u64, &str> = journal
        .iter()
        .filter(|r| r["event"] == "step_started")
        .filter_map(|r| Some((r["index"].as_u64()?, r["step"].as_str()?)))
        .collect();
    journal
        .iter()
        .filter(|r| r["event"] == "restart_evidence")
        .filter_map(|r| ids.get(&r["index"].as_u64()?).map(|s| s.to_string()))
        .collect()
}

/// The hosts that lead in the run's first `cluster_viewed` event of `moment`.
pub fn leaders_at(journal: &[serde_json::Value], moment: &str) -> Vec<String> {
    journal
        .iter()
        .find(|r| r["event"] == "cluster_viewed" && r["moment"] == moment)
        .and_then(|r| r["members"].as_array())
        .map(|members| {
            members
                .iter()
                .filter(|m| m["leads"] == true)
                .filter_map(|m| m["host"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
