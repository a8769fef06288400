//! One step of the protocol, phase by phase.

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
pub struct StepFailure {
    pub phase: Phase,
    /// `service@host` whose check or command failed.
    pub target: String,
    pub check: Option<String>,
    pub reason: String,
}

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
    ) -> Result<(), StepFailure> {
        let target = step.id(self.model);
        // Checks inferred for a unit with no `health` (see `units`); a gates-only resume knows
        // no old ports, only the manager's word.
        let mut inferred = match resumed {
            Some(Resumed::GatesOnly) => self.status_check(step).into_iter().map(|c| c.0).collect(),
            _ => Vec::new(),
        };
        if resumed != Some(Resumed::GatesOnly) {
            self.phase(sink, step, Phase::Preflight, 0);
            self.preflight(sink, step, &target, resumed).await?;
            if self.options.dry_run {
                return Ok(());
            }
            self.phase(sink, step, Phase::Restart, 0);
            inferred = self.restart(sink, step, &target).await?;
        }
        self.phase(
            sink,
            step,
            Phase::HealthGate,
            step.instance(self.model).health.len() + inferred.len(),
        );
        self.gates(
            sink,
            step,
            Phase::HealthGate,
            &[(step.service, step.instance)],
            &inferred,
        )
        .await?;
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

    fn phase(&self, sink: &Sink<'_>, step: &Step, phase: Phase, checks: usize) {
        sink.events.emit(Event::PhaseStarted {
            index: step.index,
            phase,
            checks,
        });
    }

    async fn preflight(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        target: &str,
        resumed: Option<Resumed>,
    ) -> Result<(), StepFailure> {
        let fail = |check: Option<String>, reason: String| StepFailure {
            phase: Phase::Preflight,
            target: target.to_string(),
            check,
            reason,
        };
        match self.transport.run(step.host, "true", ANSWER_DEADLINE).await {
            Ok(out) if out.success() => {}
            Ok(out) => {
                return Err(fail(
                    None,
                    format!("host does not answer commands: {}", out.evidence()),
                ));
            }
            Err(e) => return Err(fail(None, e.to_string())),
        }
        self.inspect(sink, step, target).await?;
        let host = &self.model.hosts[step.host];
        for check in &step.instance(self.model).health {
            if let Err(reason) = self.checker.now(step.host, host, check).await {
                if self.options.allow_unhealthy || resumed == Some(Resumed::Retry) {
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
        Ok(())
    }

    /// Configs, their references, and drift. A stale or dead reference stops a real run here;
    /// a dry run records it and goes on.
    async fn inspect(&self, sink: &Sink<'_>, step: &Step, target: &str) -> Result<(), StepFailure> {
        let service = &self.model.services[step.service];
        let instance = step.instance(self.model);
        if instance.configs.is_empty() && service.process.is_none() {
            return Ok(());
        }
        let mut errors = Vec::new();
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
                ConfigFile::Unreadable { path } => unreadable_configs.push(path.clone()),
            }
        }
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
        let process = match self.process_of(step.service, step.host).await {
            Some(found) => found.unwrap_or_else(|e| {
                errors.push(e);
                None
            }),
            None => None,
        };
        let drift = process
            .as_ref()
            .map(|p| drift(p, &configs))
            .unwrap_or_default();
        let blocking: Vec<String> = references
            .iter()
            .filter(|r| r.status.blocks())
            .map(|r| format!("{}:{} {} ({})", r.file, r.line, r.host, r.status.describe()))
            .collect();
        sink.events.emit(Event::Inspected {
            index: step.index,
            step: target.to_string(),
            missing_configs,
            unreadable_configs,
            references,
            process,
            drift,
            errors,
        });
        if blocking.is_empty() {
            return Ok(());
        }
        if self.options.dry_run {
            sink.stale.store(true, std::sync::atomic::Ordering::Relaxed);
            return Ok(());
        }
        Err(StepFailure {
            phase: Phase::Preflight,
            target: target.to_string(),
            check: Some("config references".into()),
            reason: format!(
                "its config names hosts that are gone, so it may not come back after a restart: {}",
                blocking.join("; ")
            ),
        })
    }

    /// Runs the restart command and proves it; returns the checks inferred for a unit.
    async fn restart(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        target: &str,
    ) -> Result<Vec<Check>, StepFailure> {
        let service = &self.model.services[step.service];
        let command = &self.restart_command(step);
        let before = self.before_restart(step, target).await?;
        let started = Instant::now();
        let result = self
            .transport
            .run(step.host, command, service.restart_timeout)
            .await;
        let reason = match result {
            Ok(out) if out.success() => {
                sink.events.emit(Event::Restarted {
                    index: step.index,
                    elapsed_ms: millis(started.elapsed()),
                });
                return match before {
                    Some(before) => self.prove(sink, step, target, command, before).await,
                    None => Ok(Vec::new()),
                };
            }
            Ok(out) if out.timed_out => format!(
                "the restart command did not finish within {} and was killed on the host: {}",
                crate::print::duration(service.restart_timeout),
                out.evidence()
            ),
            Ok(out) => match out.code {
                Some(code) => format!("the restart command exited {code}: {}", out.evidence()),
                None => format!(
                    "the restart command was killed by a signal: {}",
                    out.evidence()
                ),
            },
            Err(e) => e.to_string(),
        };
        Err(StepFailure {
            phase: Phase::Restart,
            target: target.to_string(),
            check: Some(redact::secrets(command).into_owned()),
            reason: redact::secrets(&reason).into_owned(),
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
        let target = format!(
            "{}@{}",
            self.model.services[service].name, self.model.hosts[host].name
        );
        let settle = check.timing.settle;
        let on_up = |after: Duration| {
            if !settle.is_zero() {
                sink.events.emit(Event::CheckUp {
                    index: step.index,
                    phase,
                    target: target.clone(),
                    check: describe(check),
                    healthy_after_ms: millis(after),
                    settle_ms: millis(settle),
                });
            }
        };
        match self
            .checker
            .gate(host, &self.model.hosts[host], check, on_up)
            .await
        {
            Ok(pass) => {
                sink.events.emit(Event::CheckPassed {
                    index: step.index,
                    phase,
                    target,
                    check: describe(check),
                    attempts: pass.attempts,
                    healthy_after_ms: millis(pass.healthy_after),
                });
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
pub fn describe(check: &Check) -> String {
    redact::secrets(&check.kind.to_string()).into_owned()
}
