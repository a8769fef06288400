//! Services: each entry rendered per host, its unit, process, reference options, and cycles.

use super::*;
use crate::plan::wire::BatchEntry;

impl Validator<'_> {
    pub(super) fn service(
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
            Some(r) => self.template(r, Context::Shell),
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
            .map(|c| self.template(c, Context::Plain))
            .collect();
        let before = self.hooks(&entry.before, hosts);
        let after = self.hooks(&entry.after, hosts);
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

        let cluster = entry
            .cluster
            .as_ref()
            .and_then(|c| self.cluster(name, c, selected.len()));
        let mut member_commands = Vec::new();
        let mut instances = Vec::with_capacity(selected.len());
        for &h in &selected {
            let host = &hosts[h];
            let values = Values {
                host: &host.name,
                address: &host.address,
                service: &name.value,
                vars: &host.vars,
            };
            let render = |v: &mut Self, p: &Parsed| {
                p.template
                    .render_text(&values)
                    .map_err(|e| v.render_error(e, host, &name.value, p))
                    .ok()
            };
            let command = |v: &mut Self, p: &Parsed| {
                p.template
                    .render_command(&values)
                    .map_err(|e| v.render_error(e, host, &name.value, p))
                    .ok()
            };
            let restart = restart.as_ref().and_then(|p| command(self, p));
            let configs: Vec<String> = configs
                .iter()
                .filter_map(|p| p.as_ref().and_then(|p| render(self, p)))
                .collect();
            let health: Vec<Check> = checks
                .iter()
                .filter_map(|(kind, timing)| {
                    let kind = match kind {
                        PendingKind::Tcp(port) => CheckKind::Tcp { port: *port },
                        PendingKind::Http { url, status, body } => CheckKind::Http {
                            url: render(self, url)?,
                            status: *status,
                            body: body.clone(),
                        },
                        PendingKind::Command(t) => CheckKind::Command {
                            command: command(self, t)?,
                        },
                    };
                    Some(Check {
                        kind,
                        timing: timing.clone(),
                    })
                })
                .collect();
            let mut hooks = |pending: &[PendingHook]| -> Vec<Hook> {
                pending
                    .iter()
                    .filter_map(|p| {
                        Some(Hook {
                            on: p.on.unwrap_or(h),
                            run: command(self, &p.run)?,
                            timeout: p.timeout,
                        })
                    })
                    .collect()
            };
            let (before, after) = (hooks(&before), hooks(&after));
            if let Some((whole, leader)) = cluster.as_ref().and_then(|c| c.commands())
                && let Some(whole) = command(self, whole)
            {
                member_commands.push(crate::cluster::MemberCommands {
                    whole,
                    leader: leader.and_then(|l| command(self, l)),
                });
            }
            instances.push(Instance {
                host: h,
                restart: restart.unwrap_or_default(),
                configs,
                health,
                before,
                after,
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
            batch: self.batch(entry, selected.len()),
            cluster: cluster.map(|c| c.done(member_commands)),
        }
    }

    /// `batch:` as a number of instances: a share rounds down, but never below one.
    fn batch(&mut self, entry: &ServiceEntry, instances: usize) -> usize {
        let Some(batch) = &entry.batch else { return 1 };
        let size = match &batch.value {
            BatchEntry::Count(n) => usize::try_from(*n).ok().filter(|&n| n >= 1),
            BatchEntry::Text(t) => t
                .trim()
                .strip_suffix('%')
                .and_then(|p| p.trim().parse::<usize>().ok())
                .filter(|p| (1..=100).contains(p))
                .map(|p| (instances * p / 100).max(1)),
        };
        let Some(size) = size else {
            self.error(
                "`batch` is a number of instances (1 or more) or a share of them (1% to 100%)",
                &batch.referenced,
            )
            .hint = Some("e.g. `batch: 3` or `batch: 10%`".into());
            return 1;
        };
        if entry.cluster.is_some() && size > 1 {
            self.error(
                "`batch` on a cluster: its members restart one at a time, the cluster whole again before the next",
                &batch.referenced,
            )
            .hint = Some("remove `batch`, or `cluster` if the instances are independent".into());
            return 1;
        }
        size
    }

    /// The unit, if its name is one a service manager could know.
    pub(super) fn unit(&mut self, entry: &ServiceEntry, timing: &Timing) -> Option<Unit> {
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

    pub(super) fn refs(&mut self, entry: Option<&wire::RefsEntry>) -> crate::refs::ScanOptions {
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

    pub(super) fn process(&mut self, name: &Name, entry: &ServiceEntry) -> Option<ProcessSource> {
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

    /// Every cycle among services, each shown whole from its first service in plan order.
    pub(super) fn report_cycles(&mut self, plan: &PlanFile, services: &[Service]) {
        for cycle in crate::plan::graph::service_cycles(services) {
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

pub(super) struct ServiceDefaults<'a> {
    pub(super) timing: &'a Timing,
    pub(super) restart_timeout: Duration,
}
