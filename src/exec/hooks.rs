//! `before` and `after` hooks: take a node out (drain it) before its restart and put it back
//! once it is healthy, and know, when a step fails between the two, which commands would put it
//! back, so the halt can say so.

use super::event::HookWhen;
use super::event::{HookRan, HooksPending};
use super::{Event, Executor, Phase, Sink, StepFailure, millis};
use crate::plan::Step;
use crate::redact;
use crate::transport::Transport;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// The deadline of the probe that tells whether a hook's `on:` host answers (dry run).
const ANSWER_DEADLINE: Duration = Duration::from_secs(10);

impl<T: Transport> Executor<'_, T> {
    /// Runs the step's `before` or `after` hooks in order; the first failure fails the step.
    pub(super) async fn hooks(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        when: HookWhen,
    ) -> Result<(), StepFailure> {
        let instance = step.instance(self.model);
        let (hooks, phase) = match when {
            HookWhen::Before => (&instance.before, Phase::BeforeHooks),
            HookWhen::After => (&instance.after, Phase::AfterHooks),
        };
        if hooks.is_empty() {
            return Ok(());
        }
        self.phase(sink, step, phase, 0);
        for hook in hooks {
            let host = self.model.hosts[hook.on].name.clone();
            let command = redact::secrets(&hook.run.shown).into_owned();
            let started = Instant::now();
            let result = self
                .transport
                .run_command(hook.on, &hook.run, hook.timeout)
                .await;
            let (ok, code, timed_out, output) = match &result {
                Ok(out) => {
                    let both = format!("{}\n{}", out.stdout.trim(), out.stderr.trim());
                    (
                        out.success(),
                        out.code,
                        out.timed_out,
                        both.trim().to_string(),
                    )
                }
                Err(e) => (false, None, false, e.to_string()),
            };
            let output = redact::secrets_with(&output, &[&hook.run.shown]).into_owned();
            sink.events.emit(Event::HookRan(HookRan {
                index: step.index,
                when,
                host: host.clone(),
                command: command.clone(),
                ok,
                code,
                timed_out,
                output: output.clone(),
                elapsed_ms: millis(started.elapsed()),
            }));
            if !ok {
                let how = match (timed_out, code) {
                    (true, _) => format!(
                        "did not finish within {} and was killed",
                        crate::human::duration(hook.timeout)
                    ),
                    (false, Some(code)) => format!("exited {code}"),
                    (false, None) => "could not run".to_string(),
                };
                return Err(StepFailure {
                    phase,
                    target: step.id(self.model),
                    check: Some(format!("{when} hook on {host}: {command}")),
                    reason: format!("the {when} hook {how}: {output}"),
                });
            }
            if when == HookWhen::After {
                sink.after_hooks_done.fetch_add(1, Ordering::Relaxed);
            }
        }
        Ok(())
    }

    /// After a failure: the `after` hooks still owed, when `before` hooks took the node out.
    pub(super) fn hooks_pending(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        failure: &StepFailure,
    ) -> Option<Event> {
        let instance = step.instance(self.model);
        let owed = match failure.phase {
            Phase::BeforeHooks | Phase::Restart | Phase::HealthGate | Phase::ClusterGate => {
                if instance.before.is_empty() {
                    return None;
                }
                &instance.after[..]
            }
            Phase::AfterHooks => &instance.after[sink.after_hooks_done.load(Ordering::Relaxed)..],
            Phase::Preflight | Phase::Switchover | Phase::DependentsGate => return None,
        };
        if owed.is_empty() {
            return None;
        }
        Some(Event::HooksPending(HooksPending {
            index: step.index,
            step: step.id(self.model),
            after: owed
                .iter()
                .map(|h| {
                    (
                        self.model.hosts[h.on].name.clone(),
                        redact::secrets(&h.run.shown).into_owned(),
                    )
                })
                .collect(),
        }))
    }

    /// Dry run: every other host a hook runs on answers a command.
    pub(super) async fn hook_hosts_answer(&self, step: &Step) -> Result<(), StepFailure> {
        let instance = step.instance(self.model);
        let mut hosts: Vec<usize> = instance
            .before
            .iter()
            .chain(&instance.after)
            .map(|h| h.on)
            .filter(|&h| h != step.host)
            .collect();
        hosts.sort_unstable();
        hosts.dedup();
        for host in hosts {
            let name = &self.model.hosts[host].name;
            let reason = match self.transport.answer(host, ANSWER_DEADLINE).await {
                Ok(out) if out.success() => continue,
                Ok(out) => format!("does not answer commands: {}", out.evidence()),
                Err(e) => e.to_string(),
            };
            return Err(StepFailure {
                phase: Phase::Preflight,
                target: step.id(self.model),
                check: Some(format!("hook host {name}")),
                reason: format!("host `{name}`, where a hook of this step runs, {reason}"),
            });
        }
        Ok(())
    }
}
