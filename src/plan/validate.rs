//! Wire structs to the typed `Model`: resolve names, parse durations, render templates per host,
//! and collect every problem found in one pass, each pointing at its line.

use super::diagnostic::{Diagnostic, Span, closest, did_you_mean};
use super::model::*;
use super::template::{Context, RenderError, Template, Values};
use super::wire::{self, CheckEntry, Name, PlanFile, ServiceEntry, TimingEntry};
use serde_saphyr::{Location, Spanned};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const DEFAULT_TIMING: Timing = Timing {
    timeout: Duration::from_secs(60),
    interval: Duration::from_secs(1),
    settle: Duration::from_secs(5),
};
pub const DEFAULT_RESTART_TIMEOUT: Duration = Duration::from_secs(120);
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_CONNECT_CONCURRENCY: usize = 32;

/// Names of hosts, groups and services go into shell commands, file names and `service@host`
/// step names: they must never need quoting.
fn is_plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// An address is a host name or an IP literal (IPv6 possibly bracketed).
fn is_plain_address(address: &str) -> bool {
    !address.is_empty()
        && address.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '[' | ']' | '%')
        })
}

pub struct Validated {
    pub model: Model,
    pub warnings: Vec<Diagnostic>,
}

struct Validator<'a> {
    source: &'a str,
    plan_dir: &'a Path,
    diagnostics: Vec<Diagnostic>,
}

pub fn validate(
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

    fn duration(&mut self, value: &Option<Spanned<String>>, default: Duration) -> Duration {
        let Some(value) = value else { return default };
        match humantime::parse_duration(value.value.trim()) {
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
        Model {
            hosts,
            services,
            ssh,
        }
    }

    fn hosts(&mut self, entries: &indexmap::IndexMap<Name, Option<wire::HostEntry>>) -> Vec<Host> {
        let empty = wire::HostEntry::default();
        let mut hosts = Vec::with_capacity(entries.len());
        for (name, entry) in entries {
            let entry = entry.as_ref().unwrap_or(&empty);
            self.check_name("host", name);
            let mut groups = Vec::new();
            for group in &entry.groups {
                self.check_name("group", group);
                if groups.contains(&group.value) {
                    self.error(
                        format!("host `{}` lists group `{}` twice", name.value, group.value),
                        &group.referenced,
                    );
                } else {
                    groups.push(group.value.clone());
                }
            }
            let address = match &entry.address {
                Some(a) if !is_plain_address(&a.value) => {
                    self.error(
                        format!(
                            "address `{}` of host `{}` is not a host name or IP address",
                            a.value, name.value
                        ),
                        &a.referenced,
                    );
                    a.value.clone()
                }
                Some(a) => a.value.clone(),
                // The controller itself: checks from here reach it on loopback.
                None if entry.connection == Some(Connection::Local) => "127.0.0.1".to_string(),
                None => name.value.clone(),
            };
            hosts.push(Host {
                name: name.value.clone(),
                address,
                port: entry.port,
                user: entry.user.clone(),
                identity: entry.identity.as_deref().map(|p| self.path(p)),
                groups,
                vars: entry
                    .vars
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_string()))
                    .collect(),
                connection: entry.connection.unwrap_or(Connection::Ssh),
            });
        }
        hosts
    }

    /// The hosts a service's `hosts:` selects, in the order it names them, without repeats.
    fn select_hosts(
        &mut self,
        service: &Name,
        entry: &ServiceEntry,
        hosts: &[Host],
    ) -> Vec<HostId> {
        let Some(selector) = &entry.hosts else {
            self.error(
                format!("service `{}` selects no host", service.value),
                &service.referenced,
            )
            .hint = Some("add `hosts: [HOST, group:NAME]` to the service".into());
            return Vec::new();
        };
        if selector.value.is_empty() {
            self.error(
                format!("service `{}` selects no host", service.value),
                &selector.referenced,
            )
            .hint = Some("name at least one host or `group:NAME`".into());
            return Vec::new();
        }
        let mut selected = Vec::new();
        let mut seen = HashSet::new();
        for item in &selector.value {
            if !seen.insert(item.value.as_str()) {
                self.error(
                    format!(
                        "`{}` is listed twice in the hosts of service `{}`",
                        item.value, service.value
                    ),
                    &item.referenced,
                )
                .hint = Some("remove the repeated entry".into());
                continue;
            }
            let matched: Vec<HostId> = match item.value.strip_prefix("group:") {
                Some(group) => {
                    let members: Vec<HostId> = (0..hosts.len())
                        .filter(|&h| hosts[h].groups.iter().any(|g| g == group))
                        .collect();
                    if members.is_empty() {
                        let known: Vec<&str> = unique_groups(hosts);
                        let hint = closest(group, known)
                            .map(|g| format!("did you mean `group:{g}`?"))
                            .unwrap_or_else(|| "add the group to some host's `groups:`".into());
                        self.error(
                            format!("unknown group `{group}`: no host is in it"),
                            &item.referenced,
                        )
                        .hint = Some(hint);
                    }
                    members
                }
                None => match hosts.iter().position(|h| h.name == item.value) {
                    Some(h) => vec![h],
                    None => {
                        let hint = did_you_mean(&item.value, hosts.iter().map(|h| h.name.as_str()))
                            .unwrap_or_else(|| {
                                "declare it under `hosts:`, or write `group:NAME` for a group"
                                    .into()
                            });
                        self.error(format!("unknown host `{}`", item.value), &item.referenced)
                            .hint = Some(hint);
                        Vec::new()
                    }
                },
            };
            for h in matched {
                if !selected.contains(&h) {
                    selected.push(h);
                }
            }
        }
        selected
    }

    fn service(
        &mut self,
        name: &Name,
        entry: &ServiceEntry,
        hosts: &[Host],
        services: &HashMap<&str, ServiceId>,
        defaults: &ServiceDefaults<'_>,
    ) -> Service {
        self.check_name("service", name);
        let selected = self.select_hosts(name, entry, hosts);

        let mut depends_on = Vec::new();
        for dep in &entry.depends_on {
            match services.get(dep.value.as_str()) {
                Some(&id) if depends_on.contains(&id) => {
                    self.error(
                        format!(
                            "`{}` is listed twice in the depends_on of service `{}`",
                            dep.value, name.value
                        ),
                        &dep.referenced,
                    )
                    .hint = Some("remove the repeated entry".into());
                }
                Some(&id) => depends_on.push(id),
                None => {
                    let hint =
                        did_you_mean(&dep.value, services.keys().copied()).unwrap_or_else(|| {
                            "every name in `depends_on` must be a service of this plan".into()
                        });
                    self.error(
                        format!(
                            "unknown service `{}` in depends_on of `{}`",
                            dep.value, name.value
                        ),
                        &dep.referenced,
                    )
                    .hint = Some(hint);
                }
            }
        }

        let restart = match &entry.restart {
            Some(r) if r.value.trim().is_empty() => {
                self.error(
                    format!("service `{}` has an empty restart command", name.value),
                    &r.referenced,
                );
                None
            }
            Some(r) => self.template(r),
            // The host's service manager restarts it.
            None if entry.unit.is_some() => None,
            None => {
                self.error(
                    format!("service `{}` has no `restart` command", name.value),
                    &name.referenced,
                )
                .hint = Some(
                    "add `unit: NAME` (restarted through the host's service manager) or `restart: COMMAND`"
                        .into(),
                );
                None
            }
        };
        let configs: Vec<_> = entry
            .configs
            .iter()
            .map(|c| (c, self.template(c)))
            .collect();
        let checks: Vec<_> = entry
            .health
            .iter()
            .filter_map(|c| self.check(c, defaults.timing))
            .collect();
        if entry.health.is_empty() && entry.unit.is_none() {
            self.warn(
                format!(
                    "service `{}` has no health check: comeback cannot tell whether it came back",
                    name.value
                ),
                &name.referenced,
            )
            .hint = Some("add `health: [{ tcp: PORT }]` or an http/command check".into());
        }

        let mut instances = Vec::with_capacity(selected.len());
        for &h in &selected {
            let host = &hosts[h];
            let values = Values {
                host: &host.name,
                address: &host.address,
                service: &name.value,
                vars: &host.vars,
            };
            let render = |v: &mut Self, t: &(Template, Location), context| {
                t.0.render(&values, context)
                    .map_err(|e| v.render_error(e, host, &name.value, &t.1))
                    .ok()
            };
            let restart = restart
                .as_ref()
                .and_then(|t| render(self, t, Context::Shell));
            let configs: Vec<String> = configs
                .iter()
                .filter_map(|(_, t)| t.as_ref().and_then(|t| render(self, t, Context::Plain)))
                .collect();
            let health: Vec<Check> = checks
                .iter()
                .filter_map(|(kind, timing)| {
                    let kind = match kind {
                        PendingKind::Tcp(port) => CheckKind::Tcp { port: *port },
                        PendingKind::Http { url, status, body } => CheckKind::Http {
                            url: render(self, url, Context::Plain)?,
                            status: *status,
                            body: body.clone(),
                        },
                        PendingKind::Command(t) => CheckKind::Command {
                            command: render(self, t, Context::Shell)?,
                        },
                    };
                    Some(Check {
                        kind,
                        timing: timing.clone(),
                    })
                })
                .collect();
            instances.push(Instance {
                host: h,
                restart: restart.unwrap_or_default(),
                configs,
                health,
            });
        }

        Service {
            name: name.value.clone(),
            depends_on,
            instances,
            restart_timeout: self.duration(&entry.restart_timeout, defaults.restart_timeout),
            impact: entry.impact.clone(),
            runbook: entry.runbook.clone(),
            refs: self.refs(entry.refs.as_ref()),
            process: self.process(name, entry),
            action: entry.action.unwrap_or_default(),
            unit: self.unit(entry, defaults.timing),
        }
    }

    /// The unit, if its name is one a service manager could know.
    fn unit(&mut self, entry: &ServiceEntry, timing: &Timing) -> Option<Unit> {
        let unit = entry.unit.as_ref()?;
        let name = &unit.value;
        let bad = name.is_empty()
            || name.starts_with('-')
            || name
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '/' | '\'' | '"'));
        if bad {
            self.error(
                format!("`{name}` cannot be the name of a unit"),
                &unit.referenced,
            )
            .hint =
                Some("write the name the host's service manager knows, e.g. `redis-server`".into());
            return None;
        }
        Some(Unit {
            name: name.clone(),
            managed_restart: entry.restart.is_none(),
            timing: timing.clone(),
        })
    }

    fn refs(&mut self, entry: Option<&wire::RefsEntry>) -> crate::refs::ScanOptions {
        let Some(entry) = entry else {
            return Default::default();
        };
        let mut patterns = Vec::new();
        for p in &entry.patterns {
            match regex::Regex::new(&p.value) {
                Ok(re) if re.capture_names().flatten().any(|n| n == "host") => patterns.push(re),
                Ok(_) => {
                    self.error("a refs pattern needs a named group `host`", &p.referenced)
                        .hint = Some(
                        "write it as `(?P<host>...)`, and `(?P<port>\\d+)` if the port is known"
                            .into(),
                    );
                }
                Err(e) => {
                    let first = e
                        .to_string()
                        .lines()
                        .last()
                        .unwrap_or_default()
                        .trim()
                        .to_string();
                    self.error(format!("invalid refs pattern: {first}"), &p.referenced);
                }
            }
        }
        crate::refs::ScanOptions {
            ignore: entry.ignore.clone(),
            patterns,
        }
    }

    fn process(&mut self, name: &Name, entry: &ServiceEntry) -> Option<ProcessSource> {
        let given = [
            entry
                .unit
                .as_ref()
                .map(|u| ProcessSource::Unit(u.value.clone())),
            entry.pid_file.clone().map(ProcessSource::PidFile),
            entry.process.clone().map(ProcessSource::Match),
        ];
        let mut given = given.into_iter().flatten();
        let first = given.next();
        if given.next().is_some() {
            self.error(
                format!(
                    "service `{}` names its process more than one way",
                    name.value
                ),
                &name.referenced,
            )
            .hint = Some("keep one of `unit`, `pid_file` and `process`".into());
        }
        first
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

    fn check(
        &mut self,
        entry: &Spanned<CheckEntry>,
        default: &Timing,
    ) -> Option<(PendingKind, Timing)> {
        let c = &entry.value;
        let timing = Timing {
            timeout: self.duration(&c.timeout, default.timeout),
            interval: self.duration(&c.interval, default.interval),
            settle: self.duration(&c.settle, default.settle),
        };
        let kinds = [c.tcp.is_some(), c.http.is_some(), c.command.is_some()];
        let count = kinds.iter().filter(|k| **k).count();
        if count != 1 {
            let message = if count == 0 {
                "a health check needs one of `tcp`, `http` or `command`"
            } else {
                "a health check has exactly one of `tcp`, `http` or `command`"
            };
            self.error(message, &entry.referenced).hint =
                Some("write each check as its own list item: `- tcp: 3306`".into());
            return None;
        }
        if (c.status.is_some() || c.body.is_some()) && c.http.is_none() {
            self.error(
                "`status` and `body` apply to http checks only",
                &entry.referenced,
            );
        }
        let kind = if let Some(port) = c.tcp {
            PendingKind::Tcp(port)
        } else if let Some(url) = &c.http {
            PendingKind::Http {
                url: self.template(url)?,
                status: c.status,
                body: c.body.clone(),
            }
        } else {
            PendingKind::Command(self.template(c.command.as_ref()?)?)
        };
        Some((kind, timing))
    }

    /// Every cycle among services, each shown whole from its first service in plan order.
    fn report_cycles(&mut self, plan: &PlanFile, services: &[Service]) {
        for cycle in super::graph::service_cycles(services) {
            let path: Vec<&str> = cycle
                .iter()
                .chain(cycle.first())
                .map(|&s| services[s].name.as_str())
                .collect();
            let first = cycle[0];
            let last = *cycle.last().expect("a cycle has a service");
            // Point at the `depends_on` entry that closes the cycle.
            let closing = plan.services[last]
                .depends_on
                .iter()
                .find(|d| d.value == services[first].name)
                .map(|d| d.referenced);
            let at = closing.unwrap_or(plan.services.get_index(first).expect("index").0.referenced);
            self.error(format!("dependency cycle: {}", path.join(" -> ")), &at)
                .hint =
                Some("a service cannot wait for itself: remove one of these dependencies".into());
        }
    }
}

struct ServiceDefaults<'a> {
    timing: &'a Timing,
    restart_timeout: Duration,
}

/// A check whose templates are parsed but not yet rendered for a host.
enum PendingKind {
    Tcp(u16),
    Http {
        url: (Template, Location),
        status: Option<u16>,
        body: Option<String>,
    },
    Command((Template, Location)),
}

fn unique_groups(hosts: &[Host]) -> Vec<&str> {
    let mut groups: Vec<&str> = Vec::new();
    for g in hosts.iter().flat_map(|h| h.groups.iter()) {
        if !groups.contains(&g.as_str()) {
            groups.push(g);
        }
    }
    groups
}
