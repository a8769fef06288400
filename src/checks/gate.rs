//! The health gate of one check: pass before `timeout`, then keep passing for `settle`.
//!
//! Polling starts at once and backs off from 10 ms up to the check's `interval`, so a service
//! that is back in 80 ms is seen within about 10 ms of it, not after a full interval. A check
//! asked from the controller (tcp, http) costs one connection, no round trip to the host: it is
//! asked every 5 ms for its first 50 ms (a service back within a few milliseconds of its
//! restart, the common case, is seen within 5 ms of it), then backs off the same way.

use super::Checker;
use crate::plan::model::{Check, CheckKind, Host, HostId};
use crate::transport::Transport;
use std::time::Duration;
use tokio::time::Instant;

const FIRST_DELAY: Duration = Duration::from_millis(10);
/// The pace of a check asked from the controller, for its first [`EAGER_SPAN`].
const EAGER_DELAY: Duration = Duration::from_millis(5);
const EAGER_SPAN: Duration = Duration::from_millis(50);

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GatePass {
    pub attempts: u32,
    /// From the start of the gate to the first passing attempt.
    pub healthy_after: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum GateFailure {
    #[error("not healthy within {} ({}): {last}", crate::human::duration(*timeout), crate::human::count(*attempts as usize, "attempt"))]
    NeverHealthy {
        timeout: Duration,
        attempts: u32,
        last: String,
    },
    #[error("came up, then failed {} later, within its {} settle time: {last}", crate::human::duration(*after), crate::human::duration(*settle))]
    DiedWhileSettling {
        after: Duration,
        settle: Duration,
        last: String,
    },
}

/// How long to wait before the next attempt of a gate `elapsed` into it, with `delay` the
/// back-off's next step (doubled when used, up to `interval`).
fn next_wait(eager: bool, elapsed: Duration, delay: &mut Duration, interval: Duration) -> Duration {
    if eager && elapsed < EAGER_SPAN {
        return EAGER_DELAY.min(interval);
    }
    let wait = *delay;
    *delay = (*delay * 2).min(interval);
    wait
}

/// What a gate that never passed reports: its last attempt's error, unless the deadline left
/// that attempt too little time to say more than "timed out" (a loaded machine) and the attempt
/// before it answered otherwise (`HTTP 503`).
fn last_answer(
    last: String,
    previous: Option<String>,
    budget: Duration,
    timeout: Duration,
) -> String {
    match previous {
        Some(previous) if budget < timeout / 4 && previous != last => {
            format!(
                "{previous} (then an attempt with {} left: {last})",
                crate::human::duration(budget)
            )
        }
        _ => last,
    }
}

impl<T: Transport> Checker<'_, T> {
    /// `on_up` hears when the check first passes, with the time it took: settling starts then.
    pub(crate) async fn gate(
        &self,
        host_id: HostId,
        host: &Host,
        check: &Check,
        on_up: impl FnOnce(Duration),
    ) -> Result<GatePass, GateFailure> {
        let start = Instant::now();
        let deadline = start + check.timing.timeout;
        let mut delay = FIRST_DELAY.min(check.timing.interval);
        let eager = !matches!(check.kind, CheckKind::Command { .. });
        let mut attempts = 0;
        let mut previous = None;
        loop {
            attempts += 1;
            let budget = deadline.saturating_duration_since(Instant::now());
            match self.attempt(host_id, host, &check.kind, budget).await {
                Ok(()) => break,
                Err(last) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return Err(GateFailure::NeverHealthy {
                            timeout: check.timing.timeout,
                            attempts,
                            last: last_answer(last, previous, budget, check.timing.timeout),
                        });
                    }
                    previous = Some(last);
                    let wait = next_wait(eager, now - start, &mut delay, check.timing.interval);
                    tokio::time::sleep(wait.min(deadline - now)).await;
                }
            }
        }
        let healthy_at = Instant::now();
        on_up(healthy_at - start);
        let settled_at = healthy_at + check.timing.settle;
        while Instant::now() < settled_at {
            let wait = check.timing.interval.min(settled_at - Instant::now());
            tokio::time::sleep(wait).await;
            attempts += 1;
            let budget = check
                .timing
                .timeout
                .min(check.timing.interval.max(Duration::from_secs(1)));
            if let Err(last) = self.attempt(host_id, host, &check.kind, budget).await {
                return Err(GateFailure::DiedWhileSettling {
                    after: healthy_at.elapsed(),
                    settle: check.timing.settle,
                    last,
                });
            }
        }
        Ok(GatePass {
            attempts,
            healthy_after: healthy_at - start,
        })
    }

    /// A single attempt, for "is it healthy right now": preflight and the dry run.
    pub(crate) async fn now(
        &self,
        host_id: HostId,
        host: &Host,
        check: &Check,
    ) -> Result<(), String> {
        let budget = check.timing.timeout.min(Duration::from_secs(10));
        self.attempt(host_id, host, &check.kind, budget).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The attempts' times (ms) until `until`, each attempt taking no time.
    fn schedule(eager: bool, interval: u64, until: u64) -> Vec<u64> {
        let interval = Duration::from_millis(interval);
        let mut delay = FIRST_DELAY.min(interval);
        let mut at = Duration::ZERO;
        let mut times = vec![0];
        while at < Duration::from_millis(until) {
            at += next_wait(eager, at, &mut delay, interval);
            times.push(at.as_millis() as u64);
        }
        times
    }

    #[test]
    fn a_check_from_the_controller_is_asked_every_5_ms_at_first_then_backs_off() {
        assert_eq!(
            schedule(true, 1000, 200),
            [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 60, 80, 120, 200]
        );
        // Never faster than its interval.
        assert_eq!(schedule(true, 2, 6), [0, 2, 4, 6]);
    }

    #[test]
    fn an_attempt_the_deadline_cut_short_does_not_hide_the_answer_before_it() {
        let timeout = Duration::from_secs(6);
        let answer = last_answer(
            "timed out".into(),
            Some("HTTP 503".into()),
            Duration::from_millis(4),
            timeout,
        );
        assert!(
            answer.starts_with("HTTP 503 (then an attempt with "),
            "{answer}"
        );
        assert!(answer.ends_with(": timed out)"), "{answer}");
        // An attempt with time enough, or the only one, says what it says.
        let last = || "timed out".to_string();
        let enough = last_answer(last(), Some("HTTP 503".into()), timeout / 2, timeout);
        assert_eq!(enough, "timed out");
        assert_eq!(
            last_answer(last(), None, Duration::ZERO, timeout),
            "timed out"
        );
        let again = last_answer(last(), Some(last()), Duration::ZERO, timeout);
        assert_eq!(again, "timed out");
    }

    #[test]
    fn a_command_on_the_host_backs_off_from_10_ms() {
        assert_eq!(schedule(false, 1000, 300), [0, 10, 30, 70, 150, 310]);
        assert_eq!(schedule(false, 100, 300), [0, 10, 30, 70, 150, 250, 350]);
    }
}
