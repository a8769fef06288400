//! The proof that a restart replaced a service's process (or that a reload kept it), for the
//! services the host's service manager knows (`unit:`): the manager of each host told once at
//! the start, every unit resolved before anything is touched, the process before and after,
//! the checks inferred for a unit that has no `health` and the configs the new process loaded
//! at last.

use super::event::{ChecksInferred, ConfigsLoaded, ManagerDetected, RestartEvidence, StopForced};
use super::unit_watch::Watch;
use super::{Event, Executor, Phase, Sink, StepFailure};
use crate::human::ago;
use crate::inspect::manager::{Manager, decide, parse_facts};
use crate::inspect::unit::{self, Locator, ProcessInfo, Resolution};
use crate::inspect::{ConfigFile, fetch_configs, locate};
use crate::plan::Step;
use crate::plan::model::{
    Action, Check, CheckKind, HostId, ProcessSource, ServiceId, ShellCommand,
};
use crate::transport::Transport;
use crate::transport::mark::{After, AfterOutput};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The deadline of each command that asks a host about its manager, units or processes.
const ASK_DEADLINE: Duration = Duration::from_secs(30);
/// How long after the restart command the new process may take to show up.
/// How long the old process may still show after the command exited (a pid file rewritten
/// late); a process that has not shown up at all gets the health timeout (a slow start).
const PROOF_WAIT: Duration = Duration::from_secs(5);
const PROOF_INTERVAL: Duration = Duration::from_millis(250);
/// How old the processes a preflight saw may be to stand as the restart's "before": older (an
/// operator's pause, a slow check), they are read again.
const SEEN_FRESH: Duration = Duration::from_secs(10);
/// How often the manager is asked about a unit whose new process has not shown yet.
const WATCH_EVERY: Duration = Duration::from_secs(1);

/// What the start of the run resolved: each host's manager, each unit step's resolution.
#[derive(Debug, Default, Clone)]
pub(super) struct Resolved {
    pub(super) managers: HashMap<HostId, Manager>,
    pub(super) units: HashMap<(ServiceId, HostId), Resolution>,
}

/// One process that proves a restart: the service's own, or a member unit's.
#[derive(Debug, Clone, Default)]
pub(super) struct Found {
    /// The member unit it belongs to, when it is not the service's own unit.
    pub(super) member: Option<String>,
    /// The process, if one runs.
    pub(super) process: Option<ProcessInfo>,
}

/// A process as the journal and the report keep it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// Its process id.
    pub pid: u32,
    /// Unix seconds on the host.
    pub started: i64,
}

impl From<&ProcessInfo> for Seen {
    fn from(p: &ProcessInfo) -> Self {
        Seen {
            pid: p.pid,
            started: p.started,
        }
    }
}

/// One process a restart should replace, as the journal keeps it before the command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracked {
    /// The member unit it belongs to, when not the service's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The process, if one ran.
    pub process: Option<Seen>,
}

/// The processes before the restart command, and the host's clock then.
pub(super) struct Before {
    pub(super) processes: Vec<Found>,
    /// Unix seconds on the host just before the command.
    pub(super) now: i64,
}

impl<T: Transport> Executor<'_, T> {
    /// Tells the manager of every host with a unit step, then resolves every unit step. Any
    /// problem is returned, and then nothing runs. In a dry run, a host that does not answer is
    /// left to its steps' preflight; a real run only starts when every unit resolved.
    pub(super) async fn resolve_units(&mut self, steps: &[Step]) -> Result<(), Vec<String>> {
        let model = self.model;
        let unit_steps: Vec<&Step> = steps
            .iter()
            .filter(|s| model.services[s.service].unit.is_some())
            .collect();
        let mut hosts: Vec<HostId> = unit_steps.iter().map(|s| s.host).collect();
        hosts.sort_unstable();
        hosts.dedup();
        let concurrency = model.ssh.fan_out();
        let transport = self.transport;
        let dry_run = self.options.mode.read_only();
        let detected: Vec<(HostId, Option<Result<Manager, String>>)> =
            futures_util::stream::iter(hosts.into_iter().map(|h| async move {
                let facts = crate::inspect::manager::FACTS_SCRIPT;
                let found = match transport.run(h, facts, ASK_DEADLINE).await {
                    Err(_) if dry_run => None,
                    Err(e) => Some(Err(e.to_string())),
                    Ok(out) if !out.success() => Some(Err(format!(
                        "detecting the service manager failed: {}",
                        out.evidence()
                    ))),
                    Ok(out) => Some(decide(&parse_facts(&out.stdout))),
                };
                (h, found)
            }))
            .buffered(concurrency)
            .collect()
            .await;
        let mut problems = Vec::new();
        for (h, found) in detected {
            let Some(found) = found else { continue };
            let host = model.hosts[h].name.clone();
            match found {
                Ok(manager) => {
                    self.resolved.managers.insert(h, manager);
                    self.events.emit(Event::ManagerDetected(ManagerDetected {
                        host,
                        manager: Some(manager),
                        error: None,
                    }));
                }
                Err(why) => {
                    for s in unit_steps.iter().filter(|s| s.host == h) {
                        let unit = &model.services[s.service].unit.as_ref().expect("unit").name;
                        problems.push(format!(
                            "host `{host}`: cannot tell its service manager, so unit `{unit}` ({}) cannot be restarted through it: {why}",
                            s.id(model)
                        ));
                    }
                    self.events.emit(Event::ManagerDetected(ManagerDetected {
                        host,
                        manager: None,
                        error: Some(why),
                    }));
                }
            }
        }
        let managers = &self.resolved.managers;
        let looked: Vec<_> = futures_util::stream::iter(unit_steps.iter().filter_map(|s| {
            let manager = *managers.get(&s.host)?;
            let service = &model.services[s.service];
            let unit = service.unit.as_ref()?.name.clone();
            let action = service.action;
            Some(async move {
                let resolved =
                    unit::resolve(transport, s.host, manager, &unit, action, ASK_DEADLINE).await;
                // A pid file pointing at another program is refused here, before anything runs.
                let checked = match resolved {
                    Ok(resolution) => {
                        let mut result = Ok(resolution);
                        if let Ok(r) = &result {
                            for (_, locator) in &r.tracked {
                                if let Err(e) =
                                    locate(transport, s.host, locator, ASK_DEADLINE).await
                                {
                                    result = Err(e);
                                    break;
                                }
                            }
                        }
                        result
                    }
                    Err(e) => Err(e),
                };
                (*s, unit, checked)
            })
        }))
        .buffered(concurrency)
        .collect()
        .await;
        for (s, unit, resolved) in looked {
            match resolved {
                Ok(resolution) => {
                    self.resolved.units.insert((s.service, s.host), resolution);
                }
                Err(e) => problems.push(format!(
                    "host `{}`, unit `{unit}` ({}): {e}",
                    model.hosts[s.host].name,
                    s.id(model)
                )),
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The command that restarts the step's service: the plan's, else its manager's.
    pub(super) fn restart_command(&self, step: &Step) -> ShellCommand {
        let service = &self.model.services[step.service];
        let managed = match (&service.unit, self.resolved.managers.get(&step.host)) {
            (Some(u), Some(&manager)) if u.managed_restart => Some((manager, u.name.as_str())),
            _ => None,
        };
        let restart = match managed {
            Some((manager, unit)) => {
                ShellCommand::plain(unit::command(manager, unit, service.action))
            }
            None => step.instance(self.model).restart.clone(),
        };
        let Some(cold) = &self.cold else {
            return restart;
        };
        // A cold start brings its first member up the kind's way (`galera_new_cluster`).
        match &cold.up_first {
            Some(up) if cold.first == Some(step.host) => up.command(&restart),
            _ => restart,
        }
    }

    /// The processes that prove a restart of the step's service on `host` (its own, or each
    /// member's of an umbrella unit); `None` when the plan cannot tell any.
    pub(super) async fn processes_of(
        &self,
        service: ServiceId,
        host: HostId,
    ) -> Option<Result<Vec<Found>, String>> {
        let tracked = self.tracked(service, host)?;
        let mut found = Vec::with_capacity(tracked.len());
        for (member, locator) in tracked {
            match locate(self.transport, host, &locator, ASK_DEADLINE).await {
                Ok(process) => found.push(Found { member, process }),
                Err(e) => return Some(Err(e)),
            }
        }
        Some(Ok(found))
    }

    /// The processes whose replacement proves a restart of `service` on `host`, each with the
    /// member unit it belongs to; `None` when the plan cannot tell any.
    fn tracked(&self, service: ServiceId, host: HostId) -> Option<Vec<(Option<String>, Locator)>> {
        let tracked = match self.model.services[service].process.as_ref()? {
            ProcessSource::Unit(_) => self.resolved.units.get(&(service, host))?.tracked.clone(),
            source => vec![(None, Locator::of_source(source)?)],
        };
        (!tracked.is_empty()).then_some(tracked)
    }

    /// The read of the process after the restart, to run in the restart's own round trip: for
    /// a service whose one process is found by one script (else it is read apart, as before).
    pub(super) fn after_read(&self, step: &Step) -> Option<After> {
        match &self.tracked(step.service, step.host)?[..] {
            [(_, locator)] => unit::locate_script(locator).map(After::new),
            _ => None,
        }
    }

    /// The processes in the read folded after the restart; `None` when it did not run whole
    /// (the proof reads them apart).
    pub(super) fn folded_after(
        &self,
        step: &Step,
        read: AfterOutput,
    ) -> Option<Result<Vec<Found>, String>> {
        if read.code != Some(0) || read.stdout.len() > crate::transport::STDOUT_LIMIT {
            return None;
        }
        let [(member, locator)] = &self.tracked(step.service, step.host)?[..] else {
            return None;
        };
        Some(unit::located(locator, &read.stdout).map(|process| {
            vec![Found {
                member: member.clone(),
                process,
            }]
        }))
    }

    /// Why nothing can prove a restart of the step's unit, when nothing can.
    pub(super) fn unprovable(&self, step: &Step) -> Option<&str> {
        self.resolved
            .units
            .get(&(step.service, step.host))?
            .unprovable
            .as_deref()
    }

    /// The processes before the restart command; `None` when the plan cannot tell them. Those
    /// the step's preflight `seen` moments ago are them, when recent (see [`SEEN_FRESH`]):
    /// one round trip less per step.
    pub(super) async fn before_restart(
        &self,
        step: &Step,
        target: &str,
        seen: Option<super::step::SeenBefore>,
    ) -> Result<Option<Before>, StepFailure> {
        let seen = seen.filter(|s| s.at.elapsed() <= SEEN_FRESH);
        let found = match seen {
            Some(seen) => Some(Ok(seen.processes)),
            None => self.processes_of(step.service, step.host).await,
        };
        let Some(found) = found else {
            return Ok(None);
        };
        let processes = found.map_err(|e| StepFailure {
            phase: Phase::Restart,
            target: target.to_string(),
            check: Some("the process before the restart".into()),
            reason: format!("{e}; nothing was restarted"),
        })?;
        let now = match processes.iter().find_map(|f| f.process.as_ref()) {
            Some(p) => p.now,
            None => self.host_clock(step.host).await.unwrap_or(0),
        };
        Ok(Some(Before { processes, now }))
    }

    async fn host_clock(&self, host: HostId) -> Option<i64> {
        let out = self
            .transport
            .run(host, "date +%s", ASK_DEADLINE)
            .await
            .ok()?;
        out.stdout.trim().parse().ok()
    }

    /// After a restart command exited 0: the proof that it replaced each process (a reload:
    /// kept it), then the checks inferred for a unit without `health`, and the configs loaded
    /// at last. While no new process shows, the manager is watched: a unit that failed ends the
    /// wait at once, in the manager's words. `first`: the processes read as the command ended,
    /// in its round trip (see [`Executor::after_read`]), which stand for the first look.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn prove(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        target: &str,
        command: &str,
        before: Before,
        watch: Option<&Watch>,
        mut first: Option<Result<Vec<Found>, String>>,
    ) -> Result<Vec<Check>, StepFailure> {
        let service = &self.model.services[step.service];
        let action = service.action;
        let name = service
            .unit
            .as_ref()
            .map_or(service.name.as_str(), |u| u.name.as_str());
        let fail = |reason: String| StepFailure {
            phase: Phase::Restart,
            target: target.to_string(),
            check: Some(format!("proof of the {action}")),
            reason,
        };
        let began = Instant::now();
        let slow_start = step
            .instance(self.model)
            .health
            .iter()
            .map(|c| c.timing.timeout)
            .chain(service.unit.as_ref().map(|u| u.timing.timeout))
            .max()
            .unwrap_or(PROOF_WAIT)
            .max(PROOF_WAIT);
        let mut watched = Instant::now();
        let after = loop {
            let looked = match first.take() {
                Some(read) => Some(read),
                None => self.processes_of(step.service, step.host).await,
            };
            let after = match looked {
                Some(Ok(p)) => p,
                // A launcher may not be the daemon yet: `start-stop-daemon --background` forks,
                // writes the pid file, then execs the daemon. Asked again until the wait ends.
                Some(Err(_)) if began.elapsed() < PROOF_WAIT => {
                    tokio::time::sleep(PROOF_INTERVAL).await;
                    continue;
                }
                Some(Err(e)) => return Err(fail(e)),
                None => Vec::new(),
            };
            let proved = |old: &Found, new: &Found| match (action, &new.process) {
                (Action::Restart, Some(new)) => {
                    old.process.as_ref().is_none_or(|o| o.pid != new.pid)
                        && new.started.saturating_add(1) >= before.now
                }
                (Action::Reload, Some(new)) => {
                    old.process.as_ref().is_none_or(|o| o.pid == new.pid)
                }
                (_, None) => false,
            };
            let all_proved = after.len() == before.processes.len()
                && before
                    .processes
                    .iter()
                    .zip(&after)
                    .all(|(o, n)| proved(o, n));
            let missing = after.iter().any(|f| f.process.is_none()) || after.is_empty();
            let wait = if missing { slow_start } else { PROOF_WAIT };
            let broken = match watch {
                Some(w) if missing && watched.elapsed() >= WATCH_EVERY => {
                    watched = Instant::now();
                    w.broken(self.transport, step.host).await
                }
                _ => None,
            };
            if all_proved || began.elapsed() >= wait || broken.is_some() {
                let empty = Found::default();
                for (i, old) in before.processes.iter().enumerate() {
                    let new = after.get(i).unwrap_or(&empty);
                    sink.events.emit(Event::RestartEvidence(RestartEvidence {
                        index: step.index,
                        action,
                        command: crate::redact::secrets(command).into_owned(),
                        unit: old.member.clone(),
                        before: old.process.as_ref().map(Seen::from),
                        after: new.process.as_ref().map(Seen::from),
                        proved: proved(old, new),
                    }));
                }
                if all_proved {
                    break after;
                }
                if let Some(words) = broken {
                    return Err(fail(words));
                }
                let (old, new) = before
                    .processes
                    .iter()
                    .zip(after.iter().chain(std::iter::repeat(&empty)))
                    .find(|(o, n)| !proved(o, n))
                    .expect("an unproved process");
                let name = old.member.as_deref().unwrap_or(name);
                return Err(fail(disproof(
                    action,
                    name,
                    old.process.as_ref(),
                    new.process.as_ref(),
                    before.now,
                )));
            }
            tokio::time::sleep(PROOF_INTERVAL).await;
        };
        if action == Action::Reload {
            self.reload_read_configs(step, &before, &fail).await?;
        }
        if let Some(w) = watch {
            for forced in w.forced_stops(self.transport, step.host, before.now).await {
                sink.events.emit(Event::StopForced(StopForced {
                    index: step.index,
                    unit: forced.0,
                    log: forced.1,
                }));
            }
        }
        if let (Some(old), Some(new)) = (before.processes.first(), after.first())
            && let (Some(old), Some(new)) = (&old.process, &new.process)
        {
            self.loaded_at_last(sink, step, old, new, &before).await;
        }
        Ok(self.inferred_checks(sink, step, &before.processes, &after))
    }

    /// A reload reads the configs as they were when it began: none may be newer.
    async fn reload_read_configs(
        &self,
        step: &Step,
        before: &Before,
        fail: &impl Fn(String) -> StepFailure,
    ) -> Result<(), StepFailure> {
        let configs = &step.instance(self.model).configs;
        let Ok(files) = fetch_configs(self.transport, step.host, configs, ASK_DEADLINE).await
        else {
            return Ok(());
        };
        let newer: Vec<&str> = files
            .iter()
            .filter_map(|f| match f {
                ConfigFile::Read { path, modified, .. } if *modified > before.now => {
                    Some(path.as_str())
                }
                _ => None,
            })
            .collect();
        if newer.is_empty() {
            Ok(())
        } else {
            Err(fail(format!(
                "{} changed after the reload began: the reload may not have read it; reload again",
                newer.join(", ")
            )))
        }
    }

    /// Configs modified after the old process started that the new process (or the reload)
    /// has now loaded.
    async fn loaded_at_last(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        old: &ProcessInfo,
        new: &ProcessInfo,
        before: &Before,
    ) {
        let configs = &step.instance(self.model).configs;
        if configs.is_empty() {
            return;
        }
        let Ok(files) = fetch_configs(self.transport, step.host, configs, ASK_DEADLINE).await
        else {
            return;
        };
        let loaded_by = match self.model.services[step.service].action {
            Action::Restart => new.started,
            Action::Reload => before.now,
        };
        let paths: Vec<String> = files
            .iter()
            .filter_map(|f| match f {
                ConfigFile::Read { path, modified, .. }
                    if *modified > old.started && *modified <= loaded_by =>
                {
                    Some(path.clone())
                }
                _ => None,
            })
            .collect();
        if !paths.is_empty() {
            sink.events.emit(Event::ConfigsLoaded(ConfigsLoaded {
                index: step.index,
                paths,
            }));
        }
    }

    /// For a unit with no `health`, the manager's word that it is active; else nothing.
    pub(super) fn status_check(&self, step: &Step) -> Option<(Check, String)> {
        let unit = self.model.services[step.service].unit.as_ref()?;
        let &manager = self.resolved.managers.get(&step.host)?;
        if !step.instance(self.model).health.is_empty() {
            return None;
        }
        let check = Check {
            kind: CheckKind::Command {
                command: ShellCommand::plain(unit::status_command(manager, &unit.name)),
            },
            timing: unit.timing.clone(),
        };
        Some((check, format!("{manager} says {} is active", unit.name)))
    }

    /// For a unit with no `health`: its manager says it is active, and every TCP port an old
    /// process listened on is listened on again by its new one (a reload: still by the same).
    fn inferred_checks(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        old: &[Found],
        new: &[Found],
    ) -> Vec<Check> {
        let Some((status, said)) = self.status_check(step) else {
            return Vec::new();
        };
        let timing = status.timing.clone();
        let mut checks = vec![status];
        let mut described = vec![said];
        let said = match self.model.services[step.service].action {
            Action::Restart => "listens again, owned by the new process",
            Action::Reload => "still listens, owned by the same process",
        };
        for (old, new) in old.iter().zip(new) {
            let (Some(old), Some(new)) = (&old.process, &new.process) else {
                continue;
            };
            for port in &old.ports {
                checks.push(Check {
                    kind: CheckKind::Command {
                        command: ShellCommand::plain(format!(
                            "ss -Hltnp 'sport = :{port}' | grep -q 'pid={},'",
                            new.pid
                        )),
                    },
                    timing: timing.clone(),
                });
                described.push(format!("port {port} {said} (pid {})", new.pid));
            }
        }
        sink.events.emit(Event::ChecksInferred(ChecksInferred {
            index: step.index,
            checks: described,
        }));
        checks
    }
}

/// Why the process after the command does not prove the action.
fn disproof(
    action: Action,
    name: &str,
    old: Option<&ProcessInfo>,
    new: Option<&ProcessInfo>,
    before_now: i64,
) -> String {
    match (action, old, new) {
        (_, _, None) => format!(
            "the {action} command exited 0, but no process of {name} runs: it did not come back"
        ),
        (Action::Restart, Some(o), Some(n)) if o.pid == n.pid => format!(
            "the restart command exited 0, but {name} is still pid {} started {}: nothing was restarted",
            n.pid,
            ago(before_now.saturating_sub(n.started))
        ),
        (Action::Restart, _, Some(n)) => format!(
            "the restart command exited 0, but {name} runs as pid {} started {}, before the command: nothing was restarted",
            n.pid,
            ago(before_now.saturating_sub(n.started))
        ),
        (Action::Reload, o, Some(n)) => format!(
            "the reload command exited 0, but {name} changed from pid {} to pid {}: a reload keeps the process, this one was replaced",
            o.map_or("none".to_string(), |o| o.pid.to_string()),
            n.pid
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process(pid: u32, started: i64) -> ProcessInfo {
        ProcessInfo {
            pid,
            started,
            ..ProcessInfo::default()
        }
    }

    #[test]
    fn an_unreplaced_process_says_nothing_was_restarted_and_how_old_it_is() {
        let before = 1_000 + 41 * 86_400 + 5;
        let old = process(812, 1_000);
        let text = disproof(
            Action::Restart,
            "redis-server",
            Some(&old),
            Some(&old),
            before,
        );
        assert_eq!(
            text,
            "the restart command exited 0, but redis-server is still pid 812 started 41 days ago: nothing was restarted"
        );
        let text = disproof(
            Action::Reload,
            "haproxy",
            Some(&old),
            Some(&process(9, 1)),
            before,
        );
        assert!(text.contains("from pid 812 to pid 9"), "{text}");
        let text = disproof(Action::Restart, "x", Some(&old), None, before);
        assert!(text.contains("did not come back"), "{text}");
    }

    #[test]
    fn ages_read_like_an_operator_says_them() {
        assert_eq!(ago(5), "5 s ago");
        assert_eq!(ago(600), "10 min ago");
        assert_eq!(ago(3 * 3600), "3 h ago");
        assert_eq!(ago(41 * 86_400), "41 days ago");
        assert_eq!(ago(-3), "0 s ago");
    }
}
