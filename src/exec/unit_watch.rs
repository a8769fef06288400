//! The service manager's own word on a unit, at every point of a step: before the restart (a
//! unit that is stopped, failed or not enabled at boot), while the new process is awaited and
//! during the health gate (a unit that failed or restarts in a loop halts at once, with the
//! manager's words and the last lines of its log), and after it (a stop the manager forced).

use super::{Executor, Step};
use crate::inspect::Manager;
use crate::inspect::unit_state::{self, UnitState};
use crate::plan::model::HostId;
use crate::transport::Transport;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// The deadline of each question to the manager.
const ASK_DEADLINE: Duration = Duration::from_secs(15);
/// Lines of a unit's log shown with a failure.
const LOG_LINES: usize = 15;
/// How many answers in a row (at least a second apart) an init script must give "not running"
/// before it counts: its `status` is only as good as its pid file, which a daemon may write a
/// moment after it starts.
const SCRIPT_DOWN_ANSWERS: u32 = 3;

/// Watches the units whose state tells whether a step's service is up: the unit itself, or
/// the members of an umbrella unit.
pub(crate) struct Watch {
    manager: Manager,
    units: Vec<String>,
    /// How often to ask, during a gate.
    every: Duration,
    /// systemd's `NRestarts` of each unit once the restart was proved: more is a loop.
    baseline: Mutex<Option<Vec<Option<u32>>>>,
    /// Consecutive "not running" answers of an init script.
    down_answers: AtomicU32,
}

impl Watch {
    /// The state of every watched unit, as the manager says it now.
    async fn ask<T: Transport>(
        &self,
        transport: &T,
        host: HostId,
    ) -> Result<Vec<UnitState>, String> {
        let units: Vec<&str> = self.units.iter().map(String::as_str).collect();
        unit_state::states(transport, host, self.manager, &units, ASK_DEADLINE).await
    }

    /// Asks the manager once: `Some(words)` when a unit failed, loops, or is no longer running
    /// (for an init script: three answers in a row).
    pub(crate) async fn broken<T: Transport>(&self, transport: &T, host: HostId) -> Option<String> {
        let states = self.ask(transport, host).await.ok()?;
        let script_down = states.iter().any(|s| !s.up) && self.manager != Manager::Systemd;
        let down_answers = if script_down {
            self.down_answers.fetch_add(1, Ordering::Relaxed) + 1
        } else {
            self.down_answers.store(0, Ordering::Relaxed);
            0
        };
        let restarts = self.more_restarts(&states);
        let (state, more) = states.iter().zip(restarts).find(|(state, more)| {
            let down = !state.up
                && (self.manager == Manager::Systemd || down_answers >= SCRIPT_DOWN_ANSWERS);
            state.broken || down || more.is_some()
        })?;
        Some(self.words(transport, host, state, more).await)
    }

    /// How many times each unit restarted by itself since the restart was proved.
    fn more_restarts(&self, states: &[UnitState]) -> Vec<Option<u32>> {
        let baseline = self.baseline.lock().unwrap_or_else(|p| p.into_inner());
        states
            .iter()
            .enumerate()
            .map(|(i, state)| {
                baseline
                    .as_ref()
                    .and_then(|b| b.get(i).copied().flatten())
                    .zip(state.restarts)
                    .filter(|(was, now)| now > was)
                    .map(|(was, now)| now - was)
            })
            .collect()
    }

    /// A unit's state in the manager's words, its crash loop, and its log.
    async fn words<T: Transport>(
        &self,
        transport: &T,
        host: HostId,
        state: &UnitState,
        more_restarts: Option<u32>,
    ) -> String {
        let mut words = format!("{} says {} is {}", self.manager, state.unit, state.words);
        if let Some(n) = more_restarts {
            words.push_str(&format!(
                ": it restarted {} by itself since comeback's restart (a crash loop)",
                crate::human::count(n as usize, "time")
            ));
        }
        self.with_log(transport, host, &state.unit, words).await
    }

    /// Records the restart counts now, once the restart is proved: any more is a loop.
    pub(crate) async fn settle<T: Transport>(&self, transport: &T, host: HostId) {
        if let Ok(states) = self.ask(transport, host).await {
            *self.baseline.lock().unwrap_or_else(|p| p.into_inner()) =
                Some(states.iter().map(|s| s.restarts).collect());
        }
    }

    /// Asks the manager until a unit breaks; never returns otherwise (raced against a gate).
    pub(crate) async fn until_broken<T: Transport>(&self, transport: &T, host: HostId) -> String {
        loop {
            tokio::time::sleep(self.every).await;
            if let Some(words) = self.broken(transport, host).await {
                return words;
            }
        }
    }

    /// The manager's words on why a restart command failed: each unit's state and its log.
    pub(crate) async fn explain<T: Transport>(
        &self,
        transport: &T,
        host: HostId,
    ) -> Option<String> {
        let states = self.ask(transport, host).await.ok()?;
        let restarts = self.more_restarts(&states);
        let (state, more) = states
            .iter()
            .zip(restarts.iter().copied())
            .find(|(s, more)| !s.up || s.broken || more.is_some())
            .or(states.first().zip(Some(None)))?;
        Some(self.words(transport, host, state, more).await)
    }

    /// Units whose stop since `since` (unix seconds on the host) the manager had to force, with
    /// the log line that says so.
    pub(crate) async fn forced_stops<T: Transport>(
        &self,
        transport: &T,
        host: HostId,
        since: i64,
    ) -> Vec<(String, String)> {
        if self.manager != Manager::Systemd {
            return Vec::new();
        }
        let mut forced = Vec::new();
        for unit in &self.units {
            let log =
                unit_state::log_tail(transport, host, unit, Some(since), 300, ASK_DEADLINE).await;
            if let Some(line) = log.as_deref().and_then(unit_state::forced_stop) {
                forced.push((unit.clone(), line.chars().take(300).collect()));
            }
        }
        forced
    }

    async fn with_log<T: Transport>(
        &self,
        transport: &T,
        host: HostId,
        unit: &str,
        mut words: String,
    ) -> String {
        if self.manager == Manager::Systemd
            && let Some(log) =
                unit_state::log_tail(transport, host, unit, None, LOG_LINES, ASK_DEADLINE).await
        {
            words.push_str(&format!(
                "; the last lines of its log (journalctl -u {unit}):"
            ));
            for line in log.lines() {
                words.push_str("\n    ");
                words.push_str(&line.chars().take(400).collect::<String>());
            }
        }
        words
    }
}

/// What preflight learned from the manager about a unit step.
#[derive(Debug, Default)]
pub(super) struct Preflight {
    /// Why the unit is not running now, in the manager's words.
    pub(super) not_running: Option<String>,
    /// It is not running because it is starting or stopping, not because it is lost.
    pub(super) changing: bool,
    /// What the operator should know and that does not stop the step.
    pub(super) warnings: Vec<String>,
    /// The member units an umbrella unit's restart acts on.
    pub(super) members: Vec<String>,
}

impl<T: Transport> Executor<'_, T> {
    /// The watch of a unit step's manager, if the step has a unit whose manager is known.
    pub(super) fn watch(&self, step: &Step) -> Option<Watch> {
        let service = &self.model.services[step.service];
        let unit = service.unit.as_ref()?;
        let manager = *self.resolved.managers.get(&step.host)?;
        let members: Vec<String> = self
            .resolved
            .units
            .get(&(step.service, step.host))
            .map(|r| r.tracked.iter().filter_map(|(m, _)| m.clone()).collect())
            .unwrap_or_default();
        let units = if members.is_empty() {
            vec![unit.name.clone()]
        } else {
            members
        };
        Some(Watch {
            manager,
            units,
            every: unit.timing.interval.clamp(
                match manager {
                    Manager::Systemd => Duration::from_millis(250),
                    _ => Duration::from_secs(1),
                },
                Duration::from_secs(2),
            ),
            baseline: Mutex::new(None),
            down_answers: AtomicU32::new(0),
        })
    }

    /// The manager's state of a unit step before anything is touched: whether it (and every
    /// member of an umbrella) runs, whether it starts at boot, whether a restart can be proved.
    pub(super) async fn manager_preflight(&self, step: &Step) -> Result<Preflight, String> {
        let mut found = Preflight::default();
        let Some(watch) = self.watch(step) else {
            return Ok(found);
        };
        let unit = &self.model.services[step.service]
            .unit
            .as_ref()
            .expect("a unit step")
            .name;
        if let Some(resolution) = self.resolved.units.get(&(step.service, step.host)) {
            found.members = resolution
                .tracked
                .iter()
                .filter_map(|(m, _)| m.clone())
                .collect();
        }
        if let Some(why) = self.unprovable(step) {
            found.warnings.push(why.to_string());
        }
        let mut asked: Vec<&str> = vec![unit.as_str()];
        asked.extend(watch.units.iter().map(String::as_str).filter(|u| u != unit));
        let states: Vec<UnitState> = unit_state::states(
            self.transport,
            step.host,
            watch.manager,
            &asked,
            ASK_DEADLINE,
        )
        .await?;
        if let Some(own) = states.first()
            && own.enabled == Some(false)
        {
            found.warnings.push(format!(
                "{unit} is not enabled at boot: it runs now, but will not come back after a reboot ({})",
                enable_command(watch.manager, unit)
            ));
        }
        let members = if states.len() > 1 {
            &states[1..]
        } else {
            &states[..]
        };
        if let Some(down) = members.iter().chain(states.first()).find(|s| !s.up) {
            found.not_running = Some(format!(
                "{} says {} is {}",
                watch.manager, down.unit, down.words
            ));
            found.changing = down.changing;
        }
        Ok(found)
    }
}

/// How an operator makes `unit` start at boot.
fn enable_command(manager: Manager, unit: &str) -> String {
    match manager {
        Manager::Systemd => format!("systemctl enable {unit}"),
        Manager::Sysv => format!("update-rc.d {unit} enable"),
        Manager::Openrc => format!("rc-update add {unit}"),
        Manager::Bsdrc => format!("sysrc {unit}_enable=YES"),
    }
}
