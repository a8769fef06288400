//! Wire structs to the typed `Model`: resolve names, parse durations, render templates per host,
//! and collect every problem found in one pass, each pointing at its line. One file per entity
//! (hosts, services, checks, hooks, notify); every diagnostic is built here, through
//! `Validator::error` and `Validator::warn` at a YAML location.

use super::diagnostic::{Diagnostic, Span, closest, did_you_mean};
use super::model::*;
use super::template::{Context, RenderError, Template, Values};
use super::wire::{self, CheckEntry, Name, PlanFile, ServiceEntry, TimingEntry};
use serde_saphyr::{Location, Spanned};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

mod checks;
mod hooks;
mod hosts;
mod notify;
mod services;

use checks::PendingKind;
use hooks::PendingHook;
use services::ServiceDefaults;

pub(super) const DEFAULT_TIMING: Timing = Timing {
    timeout: Duration::from_secs(60),
    interval: Duration::from_secs(1),
    settle: Duration::from_secs(5),
};
pub(super) const DEFAULT_RESTART_TIMEOUT: Duration = Duration::from_secs(120);
pub(super) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub(super) const DEFAULT_CONNECT_CONCURRENCY: usize = 32;
pub(super) const DEFAULT_HOOK_TIMEOUT: Duration = Duration::from_secs(60);
pub(super) const DEFAULT_NOTIFY_TIMEOUT: Duration = Duration::from_secs(5);

/// Names of hosts, groups and services go into shell commands, file names and `service@host`
/// step names: they must never need quoting.
fn is_plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// A plan that passed validation, and its warnings.
pub struct Validated {
    /// The model.
    pub model: Model,
    /// What is valid but deserves a look.
    pub warnings: Vec<Diagnostic>,
}

struct Validator<'a> {
    source: &'a str,
    plan_dir: &'a Path,
    diagnostics: Vec<Diagnostic>,
}

pub(super) fn validate(
    plan: PlanFile,
    source: &str,
    plan_dir: &Path,
) -> Result<Validated, Vec<Diagnostic>> {
    let mut v = Validator {
        source,
        plan_dir,
        diagnostics: Vec::new(),
    };
    let model = v.model(plan);
    let (errors, warnings): (Vec<_>, Vec<_>) =
        v.diagnostics.into_iter().partition(Diagnostic::is_error);
    if errors.is_empty() {
        Ok(Validated { model, warnings })
    } else {
        Err(errors)
    }
}

impl Validator<'_> {
    fn span(&self, location: &Location) -> Option<Span> {
        Span::of(location, self.source)
    }

    fn error(&mut self, message: impl Into<String>, at: &Location) -> &mut Diagnostic {
        let d = Diagnostic::error(message, self.span(at));
        self.diagnostics.push(d);
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn warn(&mut self, message: impl Into<String>, at: &Location) -> &mut Diagnostic {
        let d = Diagnostic::warning(message, self.span(at));
        self.diagnostics.push(d);
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn check_name(&mut self, what: &str, name: &Name) {
        if !is_plain_name(&name.value) {
            self.error(
                format!("{what} name `{}` would need shell quoting", name.value),
                &name.referenced,
            )
            .hint = Some(
                "names may use letters, digits, `.`, `_` and `-`, and start with a letter or digit"
                    .into(),
            );
        }
    }

    /// Longer would overflow the deadline arithmetic; nothing sensible waits that long.
    const MAX_DURATION: Duration = Duration::from_secs(30 * 24 * 3600);

    fn duration(&mut self, value: &Option<Spanned<String>>, default: Duration) -> Duration {
        let Some(value) = value else { return default };
        match humantime::parse_duration(value.value.trim()) {
            Ok(d) if d > Self::MAX_DURATION => {
                self.error(
                    format!("duration `{}` is longer than 30 days", value.value),
                    &value.referenced,
                )
                .hint = Some("no check, hook or restart should wait that long".into());
                default
            }
            Ok(d) => d,
            Err(e) => {
                self.error(
                    format!("invalid duration `{}`: {e}", value.value),
                    &value.referenced,
                )
                .hint = Some("write a number and a unit: `500ms`, `10s`, `2m`".into());
                default
            }
        }
    }

    fn timing(&mut self, entry: &TimingEntry, default: &Timing) -> Timing {
        Timing {
            timeout: self.duration(&entry.timeout, default.timeout),
            interval: self.duration(&entry.interval, default.interval),
            settle: self.duration(&entry.settle, default.settle),
        }
    }

    fn path(&self, raw: &str) -> PathBuf {
        let expanded = match raw.strip_prefix("~/") {
            Some(rest) => std::env::var_os("HOME")
                .map(|home| PathBuf::from(home).join(rest))
                .unwrap_or_else(|| PathBuf::from(raw)),
            None => PathBuf::from(raw),
        };
        if expanded.is_absolute() {
            expanded
        } else {
            self.plan_dir.join(expanded)
        }
    }

    fn model(&mut self, plan: PlanFile) -> Model {
        let ssh = SshSettings {
            known_hosts: plan.ssh.known_hosts.as_deref().map(|p| self.path(p)),
            config: plan.ssh.config.as_deref().map(|p| self.path(p)),
            connect_timeout: self.duration(&plan.ssh.connect_timeout, DEFAULT_CONNECT_TIMEOUT),
            sudo: plan.ssh.sudo,
            connect_concurrency: plan
                .ssh
                .connect_concurrency
                .map_or(DEFAULT_CONNECT_CONCURRENCY, |n| usize::from(n.max(1))),
        };
        let default_timing = self.timing(&plan.defaults.health, &DEFAULT_TIMING);
        let default_restart_timeout =
            self.duration(&plan.defaults.restart_timeout, DEFAULT_RESTART_TIMEOUT);

        let hosts = self.hosts(&plan.hosts);
        let service_names: HashMap<&str, ServiceId> = plan
            .services
            .keys()
            .enumerate()
            .map(|(i, name)| (name.value.as_str(), i))
            .collect();
        let mut services = Vec::with_capacity(plan.services.len());
        for (name, entry) in &plan.services {
            let defaults = ServiceDefaults {
                timing: &default_timing,
                restart_timeout: default_restart_timeout,
            };
            services.push(self.service(name, entry, &hosts, &service_names, &defaults));
        }
        self.report_cycles(&plan, &services);
        if plan.services.is_empty() {
            self.diagnostics.push(
                Diagnostic::warning("the plan has no services: nothing to restart", None)
                    .with_hint("add a `services:` section"),
            );
        }
        let notify = self.notify(&plan.notify);
        Model {
            hosts,
            services,
            ssh,
            notify,
        }
    }

    fn render_error(&mut self, e: RenderError, host: &Host, service: &str, at: &Location) {
        match e {
            RenderError::MissingVar(var) => {
                let known: Vec<&str> = host.vars.keys().map(String::as_str).collect();
                let hint = closest(&var, known)
                    .map(|v| format!("did you mean `{{vars.{v}}}`?"))
                    .unwrap_or_else(|| {
                        format!("add `vars: {{ {var}: ... }}` to host `{}`", host.name)
                    });
                let span = self
                    .span(at)
                    .map(|s| s.narrowed_to(self.source, &format!("{{vars.{var}}}")));
                self.diagnostics.push(
                    Diagnostic::error(
                        format!("unknown variable `vars.{var}`: host `{}` of service `{service}` has no such var", host.name),
                        span,
                    )
                    .with_hint(hint),
                );
            }
            RenderError::Unquotable(value) => {
                self.error(
                    format!(
                        "a value for host `{}` cannot be quoted for a shell: {value:?}",
                        host.name
                    ),
                    at,
                );
            }
        }
    }

    /// Parses a template, reporting each unknown placeholder at its own column.
    fn template(&mut self, raw: &Spanned<String>) -> Option<(Template, Location)> {
        match Template::parse(&raw.value) {
            Ok(t) => Some((t, raw.referenced)),
            Err(unknown) => {
                for u in unknown {
                    let span = self
                        .span(&raw.referenced)
                        .map(|s| s.narrowed_to(self.source, &format!("{{{}}}", u.name)));
                    let hint = closest(&u.name, super::template::PLACEHOLDERS)
                        .map(|p| format!("did you mean `{{{p}}}`?"))
                        .unwrap_or_else(|| "placeholders are {host}, {address}, {service} and {vars.NAME}; write {{ for a literal brace".into());
                    self.diagnostics.push(
                        Diagnostic::error(
                            format!("unknown template variable `{{{}}}`", u.name),
                            span,
                        )
                        .with_hint(hint),
                    );
                }
                None
            }
        }
    }
}
