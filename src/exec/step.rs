//! One step of the protocol, phase by phase.

use super::event::{CheckPassed, CheckUp, Inspected, PhaseStarted, RestartBegun, Restarted};
use super::{Event, Executor, Phase, Resumed, Sink, millis};
use crate::inspect::{ConfigFile, check_references, drift, fetch_configs};
use crate::plan::Step;
use crate::plan::model::{Check, HostId, ServiceId};
use crate::redact;
use crate::transport::Transport;
use futures_util::future::try_join_all;
use std::time::{Duration, Instant};

/// Why a step failed: the phase, whose check (this step's or a dependent's), and the evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StepFailure {
    /// The phase that failed.
    pub(crate) phase: Phase,
    /// `service@host` whose check or command failed.
    pub(crate) target: String,
    /// The check that failed, if a check did.
    pub(crate) check: Option<String>,
    /// What the operator reads about it.
    pub(crate) reason: String,
}

/// The processes a preflight saw, and when: the restart's "before" when nothing ran since.
pub(super) struct SeenBefore {
    pub(super) processes: Vec<super::proof::Found>,
    pub(super) at: Instant,
}

/// The check named by a preflight that failed on the hosts its configs name.
pub(super) const CONFIG_REFERENCES: &str = "config references";
/// The deadline of the one-command probe that tells whether a connected host still answers.
const ANSWER_DEADLINE: Duration = Duration::from_secs(10);
/// The deadline of each read-only inspection command (configs, reference probes, process).
const INSPECT_DEADLINE: Duration = Duration::from_secs(30);

impl<T: Transport> Executor<'_, T> {
    pub(super) async fn step(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        resumed: Option<Resumed>,
        dependents: super::batch::Dependents,
    ) -> Result<(), StepFailure> {
        let target = step.id(self.model);
        // Checks inferred for a unit with no `health` (see `units`); a gates-only resume knows
        // no old ports, only the manager's word.
        let mut inferred = match resumed {
            Some(Resumed::GatesOnly) => self.status_check(step).into_iter().map(|c| c.0).collect(),
            _ => Vec::new(),
        };
        // The manager's word on the unit, watched from the restart to the end of the gate.
        let watch = self.watch(step);
        // A restart comeback did not see end: the host tells whether it completed.
        let mut resumed = resumed;
        if resumed == Some(Resumed::Recover) {
            let recovered = match self.began.as_ref().filter(|b| b.index == step.index) {
                Some(began) => {
                    self.phase(sink, step, Phase::Restart, 0);
                    self.recover(sink, step, &target, began, watch.as_ref())
                        .await?
                }
                None => None,
            };
            match recovered {
                Some(checks) => {
                    inferred = checks;
                    resumed = Some(Resumed::GatesOnly);
                }
                // Unknown: the whole step again, its preflight accepting that it may be down.
                None => resumed = Some(Resumed::Retry),
            }
        }
        if resumed != Some(Resumed::GatesOnly) {
            self.phase(sink, step, Phase::Preflight, 0);
            let seen = self.preflight(sink, step, &target, resumed).await?;
            let cluster = self
                .cluster_whole_before(sink, step, &target, resumed)
                .await?;
            if self.looks_only() {
                return self.hook_hosts_answer(step).await;
            }
            self.cluster_switchover(sink, step, &target, cluster)
                .await?;
            // The processes preflight saw are the restart's "before" when nothing ran since:
            // no hook, no switchover (they could have replaced one); else they are read again.
            let instance = step.instance(self.model);
            let untouched =
                instance.before.is_empty() && self.model.services[step.service].cluster.is_none();
            let seen = seen.filter(|_| untouched);
            self.hooks(sink, step, super::HookWhen::Before).await?;
            self.phase(sink, step, Phase::Restart, 0);
            inferred = self
                .restart(sink, step, &target, watch.as_ref(), seen)
                .await?;
        }
        if let Some(w) = &watch {
            w.settle(self.transport, step.host).await;
        }
        self.phase(
            sink,
            step,
            Phase::HealthGate,
            step.instance(self.model).health.len() + inferred.len(),
        );
        let own = [(step.service, step.instance)];
        let gate = self.gates(sink, step, Phase::HealthGate, &own, &inferred);
        match &watch {
            Some(w) => tokio::select! {
                passed = gate => if let Err(mut failure) = passed {
                    // A check saw it first: what the manager knows still says the most.
                    if let Some(words) = w.explain(self.transport, step.host).await {
                        failure.reason = format!(
                            "{}\n  {}",
                            failure.reason,
                            redact::secrets(&words)
                        );
                    }
                    return Err(failure);
                },
                words = w.until_broken(self.transport, step.host) => {
                    return Err(StepFailure {
                        phase: Phase::HealthGate,
                        target: target.clone(),
                        check: Some("the service manager's state".into()),
                        reason: redact::secrets(&words).into_owned(),
                    });
                }
            },
            None => gate.await?,
        }
        self.cluster_gate(sink, step, &target).await?;
        self.hooks(sink, step, super::HookWhen::After).await?;
        if !dependents.gate().await {
            return Ok(());
        }
        let dependents = self.dependents(step.service);
        if !dependents.is_empty() {
            self.phase(
                sink,
                step,
                Phase::DependentsGate,
                self.check_count(&dependents),
            );
            self.gates(sink, step, Phase::DependentsGate, &dependents, &[])
                .await?;
        }
        Ok(())
    }

    /// Whether preflight lets a service that is down or unhealthy through: the operator said
    /// so, this run took it down, or the cluster starts cold (all its members are down).
    fn accepts_down(&self, resumed: Option<Resumed>) -> bool {
        self.options.allow_unhealthy || resumed == Some(Resumed::Retry) || self.cold.is_some()
    }

    pub(super) fn phase(&self, sink: &Sink<'_>, step: &Step, phase: Phase, checks: usize) {
        tracing::debug!(?phase, "phase");
        sink.events.emit(Event::PhaseStarted(PhaseStarted {
            index: step.index,
            phase,
            checks,
        }));
    }

    async fn preflight(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        target: &str,
        resumed: Option<Resumed>,
    ) -> Result<Option<SeenBefore>, StepFailure> {
        let fail = |check: Option<String>, reason: String| StepFailure {
            phase: Phase::Preflight,
            target: target.to_string(),
            check,
            reason,
        };
        // The host's answer and the service's health now are both read-only and independent:
        // asked side by side (the checks run from here, the answer is a round trip), then
        // judged in the protocol's order.
        let host = &self.model.hosts[step.host];
        let health = &step.instance(self.model).health;
        let (answer, now) = tokio::join!(
            self.transport.answer(step.host, ANSWER_DEADLINE),
            futures_util::future::join_all(
                health
                    .iter()
                    .map(|check| self.checker.now(step.host, host, check))
            )
        );
        match answer {
            Ok(out) if out.success() => {}
            Ok(out) => {
                return Err(fail(
                    None,
                    format!("host does not answer commands: {}", out.evidence()),
                ));
            }
            Err(e) => return Err(fail(None, e.to_string())),
        }
        let (not_running, seen) = self.inspect(sink, step, target).await?;
        for (check, result) in health.iter().zip(now) {
            if let Err(reason) = result {
                if self.accepts_down(resumed) {
                    continue;
                }
                return Err(fail(
                    Some(describe(check)),
                    format!(
                        "already unhealthy before the restart: {}; comeback does not restart what was already broken (--allow-unhealthy to do it anyway)",
                        redact::secrets(&reason)
                    ),
                ));
            }
        }
        if let Some(words) = not_running
            && !self.accepts_down(resumed)
        {
            return Err(fail(
                Some("the service manager's state".into()),
                format!(
                    "{}; comeback does not restart what was stopped or broken (--allow-unhealthy to do it anyway)",
                    redact::secrets(&words)
                ),
            ));
        }
        Ok(seen)
    }

    /// Configs, their references, drift and the manager's state of a unit. A stale or dead
    /// reference stops a real run here; a dry run records it and goes on. Returns why the unit
    /// is not running, in the manager's words, when it is not, and the processes it saw.
    async fn inspect(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        target: &str,
    ) -> Result<(Option<String>, Option<SeenBefore>), StepFailure> {
        let service = &self.model.services[step.service];
        let instance = step.instance(self.model);
        if instance.configs.is_empty() && service.process.is_none() {
            return Ok((None, None));
        }
        let mut errors = Vec::new();
        let manager = match self.manager_preflight(step).await {
            Ok(found) => found,
            Err(e) => {
                errors.push(e);
                Default::default()
            }
        };
        let configs = match fetch_configs(
            self.transport,
            step.host,
            &instance.configs,
            INSPECT_DEADLINE,
        )
        .await
        {
            Ok(configs) => configs,
            Err(e) => {
                errors.push(e);
                Vec::new()
            }
        };
        let mut missing_configs = Vec::new();
        let mut unreadable_configs = Vec::new();
        let mut found = Vec::new();
        for config in &configs {
            match config {
                ConfigFile::Read { path, text, .. } => found.extend(
                    crate::refs::scan(text, &service.refs)
                        .into_iter()
                        .map(|r| (path.clone(), r)),
                ),
                ConfigFile::Missing { pattern } => missing_configs.push(pattern.clone()),
                ConfigFile::Unreadable { path, why } => {
                    unreadable_configs.push(format!("{}: {why}", path.escape_debug()))
                }
            }
        }
        let mut warnings = manager.warnings;
        warnings.extend(self.unnamed_members(step, &found));
        self.members_by_name_only(step, &mut found);
        let known = |name: &str| {
            self.model
                .hosts
                .iter()
                .any(|h| h.name.eq_ignore_ascii_case(name) || h.address.eq_ignore_ascii_case(name))
        };
        let references =
            match check_references(self.transport, step.host, found, known, INSPECT_DEADLINE).await
            {
                Ok(references) => references,
                Err(e) => {
                    errors.push(e);
                    Vec::new()
                }
            };
        let seen = match self.processes_of(step.service, step.host).await {
            Some(Ok(found)) => Some(SeenBefore {
                processes: found,
                at: Instant::now(),
            }),
            Some(Err(e)) => {
                errors.push(e);
                None
            }
            None => None,
        };
        let process = seen
            .as_ref()
            .and_then(|s| s.processes.iter().find_map(|f| f.process.clone()));
        let drift = process
            .as_ref()
            .map(|p| drift(p, &configs))
            .unwrap_or_default();
        // The manager says down while the process it should know runs: it lost track of it.
        let not_running = match (manager.not_running, &process) {
            // Starting or stopping: its process runs and the manager knows it.
            (Some(words), Some(_)) if manager.changing => Some(format!(
                "{words}: it is not up yet (still starting or stopping)"
            )),
            (Some(words), Some(p)) => Some(format!(
                "{words}, yet its process runs as pid {}: the manager has lost track of it (a stale pid file?), so a restart through it may restart nothing",
                p.pid
            )),
            (words, _) => words.map(|w| format!("{w}: it was not running before the restart")),
        };
        let blocking: Vec<String> = references
            .iter()
            .filter(|r| r.status.blocks())
            .map(|r| format!("{}:{} {} ({})", r.file, r.line, r.host, r.status.describe()))
            .collect();
        sink.events.emit(Event::Inspected(Inspected {
            index: step.index,
            step: target.to_string(),
            missing_configs,
            unreadable_configs,
            references,
            process,
            drift,
            errors,
            warnings,
            members: manager.members,
        }));
        // A read-only walk goes on: the `Inspected` event already says what is stale.
        if blocking.is_empty() || self.options.mode.read_only() {
            return Ok((not_running, seen));
        }
        Err(StepFailure {
            phase: Phase::Preflight,
            target: target.to_string(),
            check: Some(CONFIG_REFERENCES.into()),
            reason: format!(
                "its config names hosts that are gone or addresses this host does not have, so it may not come back after a restart: {}",
                blocking.join("; ")
            ),
        })
    }

    /// A cluster's config naming one of the plan's own members: whether that member is up is
    /// the cluster's view to tell (and a cold start has them all down), so only its name is
    /// checked, not its port.
    fn members_by_name_only(&self, step: &Step, found: &mut [(String, crate::refs::Reference)]) {
        let service = &self.model.services[step.service];
        if service.cluster.is_none() {
            return;
        }
        let is_member = |name: &str| {
            service.instances.iter().any(|i| {
                let h = &self.model.hosts[i.host];
                h.name.eq_ignore_ascii_case(name) || h.address.eq_ignore_ascii_case(name)
            })
        };
        for (_, r) in found.iter_mut() {
            if r.kind == crate::refs::Kind::Member && is_member(&r.host) {
                r.port = None;
            }
        }
    }

    /// The plan's members that a config listing the cluster's members leaves out.
    fn unnamed_members(
        &self,
        step: &Step,
        found: &[(String, crate::refs::Reference)],
    ) -> Vec<String> {
        let service = &self.model.services[step.service];
        let Some(cluster) = &service.cluster else {
            return Vec::new();
        };
        let members: Vec<(&str, &str)> = service
            .instances
            .iter()
            .map(|i| {
                let h = &self.model.hosts[i.host];
                (h.name.as_str(), h.address.as_str())
            })
            .collect();
        let mut files: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        files.dedup();
        files
            .into_iter()
            .filter_map(|file| {
                let named: Vec<&str> = found
                    .iter()
                    .filter(|(f, r)| f == file && r.kind == crate::refs::Kind::Member)
                    .map(|(_, r)| r.host.as_str())
                    .collect();
                let unnamed = crate::cluster::unnamed_members(cluster.kind, &named, &members);
                (!unnamed.is_empty()).then(|| {
                    format!(
                        "{} lists the members of cluster {} but not {}: after a full outage they would not find one another",
                        file.escape_debug(),
                        service.name,
                        unnamed.join(", ")
                    )
                })
            })
            .collect()
    }

    /// Runs the restart command and proves it; returns the checks inferred for a unit.
    async fn restart(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        target: &str,
        watch: Option<&super::unit_watch::Watch>,
        seen: Option<SeenBefore>,
    ) -> Result<Vec<Check>, StepFailure> {
        let service = &self.model.services[step.service];
        let command = &self.restart_command(step);
        let before = self.before_restart(step, target, seen).await?;
        // Journaled before the command: a resume after comeback died proves from these.
        sink.events.emit(Event::RestartBegun(RestartBegun {
            index: step.index,
            before: before.as_ref().map_or_else(Vec::new, |b| {
                b.processes
                    .iter()
                    .map(|f| super::proof::Tracked {
                        unit: f.member.clone(),
                        process: f.process.as_ref().map(Into::into),
                    })
                    .collect()
            }),
            host_now: before.as_ref().map_or(0, |b| b.now),
        }));
        // The process after it is read as the command ends, in the same round trip.
        let after = before.as_ref().and_then(|_| self.after_read(step));
        let started = Instant::now();
        let result = self
            .transport
            .run_tagged(
                step.host,
                command,
                service.restart_timeout,
                &super::recover::exit_tag(step.index),
                after.as_ref(),
            )
            .await;
        let (result, folded) = match (result, &after) {
            (Ok(mut out), Some(after)) => {
                let (own, read) = crate::transport::mark::split_after(&out.stdout, &after.marker);
                // Cut output may have cut the read too: it is then done apart.
                let read = read.filter(|_| out.stdout_dropped == 0);
                out.stdout = own;
                let folded = read.and_then(|r| self.folded_after(step, r));
                tracing::debug!(folded = folded.is_some(), "the process after the restart");
                (Ok(out), folded)
            }
            (result, _) => (result, None),
        };
        let reason = match result {
            Ok(out) if out.success() => {
                sink.events.emit(Event::Restarted(Restarted {
                    index: step.index,
                    elapsed_ms: millis(started.elapsed()),
                }));
                return match before {
                    Some(before) => {
                        self.prove(sink, step, target, &command.shown, before, watch, folded)
                            .await
                    }
                    None => Ok(Vec::new()),
                };
            }
            Ok(out) if out.timed_out => format!(
                "the restart command did not finish within {} and was killed on the host: {}",
                crate::human::duration(service.restart_timeout),
                out.evidence()
            ),
            Ok(out) => match out.code {
                Some(code) => format!("the restart command exited {code}: {}", out.evidence()),
                None => format!(
                    "the restart command was killed by a signal: {}",
                    out.evidence()
                ),
            },
            Err(e @ crate::transport::TransportError::Lost { .. }) => format!(
                "{e}; whether the restart completed is unknown: what is left of it on the host is killed when the run ends, and `comeback resume` runs the step again in full"
            ),
            Err(e) => e.to_string(),
        };
        // What the manager knew of the failure (`Failed with result 'exit-code'`, the VCL
        // compile error in the unit's log) says more than the command's own output.
        let reason = match watch {
            Some(w) => match w.explain(self.transport, step.host).await {
                Some(words) => format!("{reason}\n  {words}"),
                None => reason,
            },
            None => reason,
        };
        Err(StepFailure {
            phase: Phase::Restart,
            target: target.to_string(),
            check: Some(redact::secrets(&command.shown).into_owned()),
            reason: redact::secrets_with(&reason, &[&command.shown]).into_owned(),
        })
    }

    fn check_count(&self, instances: &[(ServiceId, usize)]) -> usize {
        instances
            .iter()
            .map(|&(s, i)| self.model.services[s].instances[i].health.len())
            .sum()
    }

    /// Every instance of every service that depends directly on `service`.
    fn dependents(&self, service: ServiceId) -> Vec<(ServiceId, usize)> {
        self.model
            .services
            .iter()
            .enumerate()
            .filter(|(_, s)| s.depends_on.contains(&service))
            .flat_map(|(d, s)| (0..s.instances.len()).map(move |i| (d, i)))
            .collect()
    }

    /// Runs the gate of every check of every given instance concurrently; the first failure
    /// fails them all.
    async fn gates(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        phase: Phase,
        instances: &[(ServiceId, usize)],
        inferred: &[Check],
    ) -> Result<(), StepFailure> {
        let mut gates = Vec::new();
        for &(service, instance) in instances {
            let inst = &self.model.services[service].instances[instance];
            for check in &inst.health {
                gates.push(self.gate(sink, step, phase, service, inst.host, check));
            }
        }
        for check in inferred {
            gates.push(self.gate(sink, step, phase, step.service, step.host, check));
        }
        try_join_all(gates).await.map(|_| ())
    }

    async fn gate(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        phase: Phase,
        service: ServiceId,
        host: HostId,
        check: &Check,
    ) -> Result<(), StepFailure> {
        let target = crate::human::at(
            &self.model.services[service].name,
            &self.model.hosts[host].name,
        );
        let settle = check.timing.settle;
        let on_up = |after: Duration| {
            if !settle.is_zero() {
                sink.events.emit(Event::CheckUp(CheckUp {
                    index: step.index,
                    phase,
                    target: target.clone(),
                    check: describe(check),
                    healthy_after_ms: millis(after),
                    settle_ms: millis(settle),
                }));
            }
        };
        match self
            .checker
            .gate(host, &self.model.hosts[host], check, on_up)
            .await
        {
            Ok(pass) => {
                sink.events.emit(Event::CheckPassed(CheckPassed {
                    index: step.index,
                    phase,
                    target,
                    check: describe(check),
                    attempts: pass.attempts,
                    healthy_after_ms: millis(pass.healthy_after),
                }));
                Ok(())
            }
            Err(failure) => Err(StepFailure {
                phase,
                target,
                check: Some(describe(check)),
                reason: redact::secrets(&failure.to_string()).into_owned(),
            }),
        }
    }
}

/// A check as the operator wrote it, secrets masked.
pub(super) fn describe(check: &Check) -> String {
    redact::secrets(&check.kind.to_string()).into_owned()
}
