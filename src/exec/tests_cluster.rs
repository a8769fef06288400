//! The executor's cluster walk against a simulated `command` cluster: the leader goes last, a
//! degraded cluster is refused with nothing touched, and each member must be whole again before
//! the next goes down. Real clusters are proven in tests/cluster_*_lab.rs.

use super::event::{ClusterViewed, StepFailed};
use super::*;
use crate::transport::Answers;
use std::sync::Mutex;

/// Three members; `b` leads. A restarted member is out of the cluster for two looks.
#[derive(Default)]
struct Simulated {
    out: Mutex<std::collections::HashMap<String, u32>>,
    ran: Mutex<Vec<String>>,
}

impl Answers for Simulated {
    fn exit_code(&self, shown: &str) -> i32 {
        let mut out = self.out.lock().expect("lock");
        let word = |prefix: &str| shown.strip_prefix(prefix).map(str::to_string);
        if let Some(host) = word("restart-node ") {
            out.insert(host, 2);
            self.ran.lock().expect("lock").push(shown.to_string());
            0
        } else if word("whole-from ").is_some() {
            // Every look at the cluster brings a rejoining member closer.
            let whole = out.values().all(|&n| n == 0);
            for n in out.values_mut() {
                *n = n.saturating_sub(1);
            }
            if whole { 0 } else { 1 }
        } else if let Some(host) = word("leader-is ") {
            i32::from(host != "b")
        } else {
            0
        }
    }
}

const PLAN: &str = r#"
hosts:
  a: {}
  b: {}
  c: {}
defaults:
  health: { timeout: 1s, interval: 10ms, settle: 0s }
services:
  mq:
    hosts: [a, b, c]
    restart: "restart-node {host}"
    health: [{ command: "ok {host}" }]
    cluster:
      kind: command
      whole: "whole-from {host}"
      leader: "leader-is {host}"
      timeout: 20s
"#;

/// The whole walk on the simulated cluster, in paused time: the gate waits in seconds.
fn drive(transport: &Simulated) -> (Outcome, Vec<Event>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("runtime");
    super::tests::walk_on(
        PLAN,
        transport,
        RunOptions::default(),
        Pacing::default(),
        runtime,
    )
}

#[test]
fn the_leader_restarts_last_and_each_member_rejoins_before_the_next() {
    let transport = Simulated::default();
    let (outcome, events) = drive(&transport);
    assert_eq!(outcome, Outcome::Completed);
    assert_eq!(
        *transport.ran.lock().expect("lock"),
        ["restart-node a", "restart-node c", "restart-node b"]
    );
    let start = events.iter().find_map(|e| match e {
        Event::ClusterViewed(ClusterViewed {
            moment: Moment::Start,
            order,
            problems,
            ..
        }) => Some((order.clone(), problems.clone())),
        _ => None,
    });
    assert_eq!(
        start,
        Some((vec!["a".into(), "c".into(), "b".into()], Vec::new()))
    );
    // Each member's gate ends on a whole view, after a view that said it was not.
    let afters: Vec<&Vec<String>> = events
        .iter()
        .filter_map(|e| match e {
            Event::ClusterViewed(ClusterViewed {
                moment: Moment::After,
                problems,
                ..
            }) => Some(problems),
            _ => None,
        })
        .collect();
    assert_eq!(afters.len(), 3);
    assert!(afters.iter().all(|p| p.is_empty()), "{afters:?}");
}

#[test]
fn a_degraded_cluster_is_refused_before_anything_is_touched() {
    let transport = Simulated::default();
    transport.out.lock().expect("lock").insert("c".into(), 1000);
    let (outcome, events) = drive(&transport);
    assert!(
        matches!(&outcome, Outcome::Blocked { steps } if steps.len() == 3),
        "{outcome:?}"
    );
    assert!(transport.ran.lock().expect("lock").is_empty());
    let reason = events
        .iter()
        .find_map(|e| match e {
            Event::StepFailed(StepFailed { reason, check, .. })
                if check.as_deref() == Some("cluster") =>
            {
                Some(reason.clone())
            }
            _ => None,
        })
        .expect("a cluster refusal");
    assert!(
        reason.starts_with("cluster mq is not whole: a is not whole (`whole` exited 1)"),
        "{reason}"
    );
}
