//! Wire structs to the typed `Model`: resolve names, parse durations, render templates per host,
//! and collect every problem found in one pass, each pointing at its line. One file per entity
//! (hosts, services, checks, hooks, notify); every diagnostic is built here, through
//! `Validator::error` and `Validator::warn` at a YAML location, or `Validator::error_in` at a
//! placeholder inside a scalar.

use super::diagnostic::{Diagnostic, Span, closest, did_you_mean};
use super::model::*;
use super::template::{Context, Problem, RenderError, Template, Values};
use super::wire::{self, CheckEntry, Name, PlanFile, Scalar, ServiceEntry, TimingEntry};
use serde_saphyr::{Location, Spanned};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod checks;
mod clusters;
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
/// SSH masters held at once: an OpenSSH master takes about 3.5 MB, so 64 stay near 230 MB.
pub(super) const DEFAULT_MAX_CONNECTIONS: usize = 64;
/// The most `ssh.max_connections` accepts: each master is a process and a few descriptors.
const MAX_MAX_CONNECTIONS: i64 = 65_535;
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

    fn push(&mut self, diagnostic: Diagnostic) -> &mut Diagnostic {
        self.diagnostics.push(diagnostic);
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn error(&mut self, message: impl Into<String>, at: &Location) -> &mut Diagnostic {
        let span = self.span(at);
        self.push(Diagnostic::error(message, span))
    }

    fn warn(&mut self, message: impl Into<String>, at: &Location) -> &mut Diagnostic {
        let span = self.span(at);
        self.push(Diagnostic::warning(message, span))
    }

    /// An error about bytes `part` of a scalar's value (a placeholder inside a command).
    fn error_in(
        &mut self,
        message: impl Into<String>,
        scalar: &Spanned<String>,
        part: Range<usize>,
    ) -> &mut Diagnostic {
        let span = self
            .span(&scalar.referenced)
            .map(|s| s.within(self.source, &scalar.value, part));
        self.push(Diagnostic::error(message, span))
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

    /// `ssh.max_connections`: a whole number from 1; anything else is an error at its line.
    fn max_connections(&mut self, value: &Option<Spanned<Scalar>>) -> usize {
        let Some(value) = value else {
            return DEFAULT_MAX_CONNECTIONS;
        };
        match value.value {
            Scalar::Int(n) if (1..=MAX_MAX_CONNECTIONS).contains(&n) => {
                usize::try_from(n).unwrap_or(DEFAULT_MAX_CONNECTIONS)
            }
            ref other => {
                self.error(
                    format!(
                        "invalid `ssh.max_connections` `{other}`: a whole number from 1 to {MAX_MAX_CONNECTIONS} is needed"
                    ),
                    &value.referenced,
                )
                .hint = Some(format!(
                    "the SSH masters held open at once, {DEFAULT_MAX_CONNECTIONS} by default: `max_connections: {DEFAULT_MAX_CONNECTIONS}`"
                ));
                DEFAULT_MAX_CONNECTIONS
            }
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
            max_connections: self.max_connections(&plan.ssh.max_connections),
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
            self.warn(
                "the plan has no services: nothing to restart",
                &Location::UNKNOWN,
            )
            .hint = Some("add a `services:` section".into());
        }
        let notify = self.notify(&plan.notify);
        Model {
            hosts,
            services,
            ssh,
            notify,
        }
    }

    fn render_error(&mut self, e: RenderError, host: &Host, service: &str, parsed: &Parsed) {
        match e {
            RenderError::MissingVar { name, at } => {
                let known: Vec<&str> = host.vars.keys().map(String::as_str).collect();
                let hint = closest(&name, known)
                    .map(|v| format!("did you mean `{{vars.{v}}}`?"))
                    .unwrap_or_else(|| {
                        format!("add `vars: {{ {name}: ... }}` to host `{}`", host.name)
                    });
                self.error_in(
                    format!(
                        "unknown variable `vars.{name}`: host `{}` of service `{service}` has no such var",
                        host.name
                    ),
                    &parsed.source,
                    at,
                )
                .hint = Some(hint);
            }
            RenderError::Nul { at } => {
                // The value itself is not shown: it may be a secret.
                self.error_in(
                    format!(
                        "the value for host `{}` holds a NUL byte, which no command can be given",
                        host.name
                    ),
                    &parsed.source,
                    at,
                );
            }
            RenderError::Option { at } => {
                let written = parsed.source.value[at.clone()].to_string();
                self.error_in(
                    format!(
                        "the value of `{written}` for host `{}` begins with `-`: the command would read it as an option",
                        host.name
                    ),
                    &parsed.source,
                    at,
                )
                .hint = Some(format!(
                    "write `--` before it (`rm -- {written}`) if the command reads no option after that, or change the value"
                ));
            }
        }
    }

    /// Parses a template, reporting each placeholder it cannot use at its own line and column.
    fn template(&mut self, raw: &Spanned<String>, context: Context) -> Option<Parsed> {
        let errors = match Template::parse(&raw.value, context) {
            Ok(template) => {
                return Some(Parsed {
                    template,
                    source: raw.clone(),
                });
            }
            Err(errors) => errors,
        };
        for e in errors {
            let written = raw.value[e.at.clone()].to_string();
            let (message, hint) = match e.problem {
                Problem::Unknown(name) => (
                    format!("unknown template variable `{written}`"),
                    closest(&name, super::template::PLACEHOLDERS)
                        .map(|p| format!("did you mean `{{{p}}}`?"))
                        .unwrap_or_else(|| "placeholders are {host}, {address}, {service} and {vars.NAME}; write {{ for a literal brace".into()),
                ),
                Problem::Refused(why) => (
                    format!("`{written}` stands {why}: its value could run as code"),
                    format!("a value reaches the host as data, expanded in quotes; a command that reads a string as code again belongs in a script on the host, the value passed as its argument (`/usr/local/bin/x.sh {written}`)"),
                ),
            };
            self.error_in(message, raw, e.at).hint = Some(hint);
        }
        None
    }
}

/// A template parsed once and rendered per host, with the scalar it was written as, so an error
/// found while rendering still points at its placeholder.
pub(super) struct Parsed {
    pub(super) template: Template,
    pub(super) source: Spanned<String>,
}
