//! The inventory: host entries, their addresses and groups, and a service's `hosts:` list.

use super::*;

impl Validator<'_> {
    pub(super) fn hosts(
        &mut self,
        entries: &indexmap::IndexMap<Name, Option<wire::HostEntry>>,
    ) -> Vec<Host> {
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
            let identity = entry.identity.as_deref().map(|p| self.path(p));
            // ssh would warn and quietly try other keys (the ssh config's, the agent's).
            if let Some(path) = identity.as_ref().filter(|p| !p.is_file()) {
                self.error(
                    format!(
                        "identity file `{}` of host `{}` does not exist",
                        path.display(),
                        name.value
                    ),
                    &name.referenced,
                )
                .hint =
                    Some("fix the path, or remove `identity:` to use the ssh config's key".into());
            }
            hosts.push(Host {
                name: name.value.clone(),
                address,
                port: entry.port,
                user: entry.user.clone(),
                identity,
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
    pub(super) fn select_hosts(
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
}

/// An address is a host name or an IP literal (IPv6 possibly bracketed).
fn is_plain_address(address: &str) -> bool {
    !address.is_empty()
        && !address.starts_with('-')
        && address.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '[' | ']' | '%')
        })
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
