//! The health gate of one check: pass before `timeout`, then keep passing for `settle`.
//!
//! Polling starts at once and backs off from 10 ms up to the check's `interval`, so a service
//! that is back in 80 ms is seen within about 10 ms of it, not after a full interval.

use super::Checker;
use crate::plan::model::{Check, Host, HostId};
use crate::transport::Transport;
use std::time::Duration;
use tokio::time::Instant;

const FIRST_DELAY: Duration = Duration::from_millis(10);

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
        let mut attempts = 0;
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
                            last,
                        });
                    }
                    tokio::time::sleep(delay.min(deadline - now)).await;
                    delay = (delay * 2).min(check.timing.interval);
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
