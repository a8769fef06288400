//! Ansible inventories, INI and YAML: groups, `:children`, `:vars`, host ranges, and the host
//! vars comeback needs (`ansible_host`, `ansible_port`, `ansible_user`).

use super::{ImportError, ImportedHost, MAX_HOSTS, check_name, too_many};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The most hosts one range (`web[1:4000]`) may expand to: more is a typo, not a fleet.
pub(super) const MAX_RANGE_HOSTS: u64 = 10_000;

pub(super) fn looks_like_yaml(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with(';'))
        .is_some_and(|l| l == "---" || (l.ends_with(':') && !l.starts_with('[')))
}

/// Groups, their hosts (with vars), children and vars, in the order the inventory gives them.
#[derive(Default)]
struct Inventory {
    hosts: Vec<(String, BTreeMap<String, String>, usize)>,
    /// Where each host is in `hosts`: an inventory of thousands stays linear.
    index: HashMap<String, usize>,
    groups: BTreeMap<String, Group>,
    /// Host names read so far, counted before each range is expanded (see [`MAX_HOSTS`]).
    named: u64,
}

#[derive(Default)]
struct Group {
    hosts: Vec<String>,
    /// The same hosts, for a linear import.
    members: std::collections::HashSet<String>,
    children: Vec<String>,
    vars: BTreeMap<String, String>,
}

impl Group {
    fn add(&mut self, host: &str) {
        if self.members.insert(host.to_string()) {
            self.hosts.push(host.to_string());
        }
    }
}

impl Inventory {
    /// `pattern`'s names, refused before anything is allocated when they would take the
    /// inventory past [`MAX_HOSTS`].
    fn expand(&mut self, pattern: &str, line: usize) -> Result<Vec<String>, ImportError> {
        let n = range_size(pattern);
        // A range over its own cap is told as such, by `expand`.
        self.named = self.named.saturating_add(n.min(MAX_RANGE_HOSTS));
        if n <= MAX_RANGE_HOSTS && self.named > MAX_HOSTS {
            return Err(too_many(self.named, (line > 0).then_some(line)));
        }
        expand(pattern, line)
    }

    fn add_host(&mut self, name: &str, vars: BTreeMap<String, String>, line: usize) {
        match self.index.get(name) {
            Some(&i) => self.hosts[i].1.extend(vars),
            None => {
                self.index.insert(name.to_string(), self.hosts.len());
                self.hosts.push((name.to_string(), vars, line));
            }
        }
    }

    /// Every group a host is in, directly or through `children`, without `all`/`ungrouped`;
    /// `direct` and `parents` are the groups of each host and of each group.
    fn groups_of(
        host: &str,
        direct: &HashMap<&str, Vec<&str>>,
        parents: &HashMap<&str, Vec<&str>>,
    ) -> Vec<String> {
        let mut found = BTreeSet::new();
        let mut todo: Vec<&str> = direct.get(host).cloned().unwrap_or_default();
        while let Some(group) = todo.pop() {
            if found.insert(group.to_string()) {
                todo.extend(parents.get(group).into_iter().flatten());
            }
        }
        found
            .into_iter()
            .filter(|g| g != "all" && g != "ungrouped")
            .collect()
    }

    fn into_hosts(self) -> Result<Vec<ImportedHost>, ImportError> {
        let mut direct: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut parents: HashMap<&str, Vec<&str>> = HashMap::new();
        for (name, g) in &self.groups {
            for h in &g.hosts {
                direct.entry(h).or_default().push(name);
            }
            for c in &g.children {
                parents.entry(c).or_default().push(name);
            }
        }
        let mut out = Vec::new();
        for (name, host_vars, line) in &self.hosts {
            check_name("host", name, Some(*line))?;
            let groups = Self::groups_of(name, &direct, &parents);
            // Group vars apply under host vars; `all` first, so a nearer group wins.
            let mut vars: BTreeMap<String, String> = BTreeMap::new();
            if let Some(all) = self.groups.get("all") {
                vars.extend(all.vars.clone());
            }
            for g in &groups {
                vars.extend(self.groups[g].vars.clone());
            }
            vars.extend(host_vars.clone());
            let port = match vars
                .remove("ansible_port")
                .or_else(|| vars.remove("ansible_ssh_port"))
            {
                Some(p) => Some(p.parse::<u16>().map_err(|_| {
                    ImportError::at(
                        *line,
                        format!("ansible_port `{p}` of `{name}` is not a port"),
                    )
                })?),
                None => None,
            };
            for g in &groups {
                check_name("group", g, None)?;
            }
            out.push(ImportedHost {
                name: name.clone(),
                address: vars
                    .remove("ansible_host")
                    .or_else(|| vars.remove("ansible_ssh_host")),
                port,
                user: vars
                    .remove("ansible_user")
                    .or_else(|| vars.remove("ansible_ssh_user")),
                groups,
                vars: vars
                    .into_iter()
                    .filter(|(k, _)| !k.starts_with("ansible_"))
                    .collect(),
            });
        }
        Ok(out)
    }
}

/// `web[01:03].example.com` and `db-[a:c]`: Ansible's host ranges, at most
/// [`MAX_RANGE_HOSTS`] names.
fn expand(pattern: &str, line: usize) -> Result<Vec<String>, ImportError> {
    let n = range_size(pattern);
    if n > MAX_RANGE_HOSTS {
        return Err(ImportError::at(
            line,
            format!(
                "`{pattern}` expands to {n} hosts, more than the {MAX_RANGE_HOSTS} an inventory range may name"
            ),
        ));
    }
    expand_ranges(pattern, line)
}

/// How many names `pattern` expands to (saturating), counted before anything is allocated.
fn range_size(pattern: &str) -> u64 {
    let mut size: u64 = 1;
    let mut rest = pattern;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| open + c) else {
            break;
        };
        if let Some((from, to)) = rest[open + 1..close].split_once(':') {
            let span = match (from.parse::<u64>(), to.parse::<u64>()) {
                (Ok(a), Ok(b)) => b.saturating_sub(a).saturating_add(1),
                _ => 26,
            };
            size = size.saturating_mul(span);
        }
        rest = &rest[close + 1..];
    }
    size
}

fn expand_ranges(pattern: &str, line: usize) -> Result<Vec<String>, ImportError> {
    let Some(open) = pattern.find('[') else {
        return Ok(vec![pattern.to_string()]);
    };
    let close = pattern[open..]
        .find(']')
        .map(|c| open + c)
        .ok_or_else(|| ImportError::at(line, format!("unclosed range in `{pattern}`")))?;
    let (from, to) = pattern[open + 1..close].split_once(':').ok_or_else(|| {
        ImportError::at(
            line,
            format!("a range is `[START:END]`, not `{}`", &pattern[open..=close]),
        )
    })?;
    let (head, tail) = (&pattern[..open], &pattern[close + 1..]);
    let mut out = Vec::new();
    if let (Ok(a), Ok(b)) = (from.parse::<u32>(), to.parse::<u32>()) {
        if a > b {
            return Err(ImportError::at(
                line,
                format!("range `{from}:{to}` runs backwards"),
            ));
        }
        let width = if from.starts_with('0') { from.len() } else { 0 };
        for n in a..=b {
            for rest in expand_ranges(tail, line)? {
                out.push(format!("{head}{n:0width$}{rest}"));
            }
        }
    } else if let ([a], [b]) = (from.as_bytes(), to.as_bytes())
        && a.is_ascii_alphabetic()
        && b.is_ascii_alphabetic()
        && a <= b
    {
        for c in *a..=*b {
            for rest in expand_ranges(tail, line)? {
                out.push(format!("{head}{}{rest}", c as char));
            }
        }
    } else {
        return Err(ImportError::at(
            line,
            format!("cannot expand range `[{from}:{to}]`"),
        ));
    }
    Ok(out)
}

fn key_values(words: &[String], line: usize) -> Result<BTreeMap<String, String>, ImportError> {
    words
        .iter()
        .map(|w| {
            w.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| ImportError::at(line, format!("expected `key=value`, found `{w}`")))
        })
        .collect()
}

pub(super) fn ini(text: &str) -> Result<Vec<ImportedHost>, ImportError> {
    #[derive(Clone, Copy, PartialEq)]
    enum Section {
        Hosts,
        Children,
        Vars,
    }
    let mut inv = Inventory::default();
    let mut section = (String::from("ungrouped"), Section::Hosts);
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if let Some(header) = trimmed.strip_prefix('[') {
            let header = header.strip_suffix(']').ok_or_else(|| {
                ImportError::at(line, format!("section header `{trimmed}` lacks its `]`"))
            })?;
            let (name, kind) = match header.split_once(':') {
                Some((name, "children")) => (name, Section::Children),
                Some((name, "vars")) => (name, Section::Vars),
                Some((_, other)) => {
                    return Err(ImportError::at(
                        line,
                        format!("unknown section kind `:{other}` (children or vars)"),
                    ));
                }
                None => (header, Section::Hosts),
            };
            check_name("group", name, Some(line))?;
            inv.groups.entry(name.to_string()).or_default();
            section = (name.to_string(), kind);
            continue;
        }
        let words =
            shlex::split(trimmed).ok_or_else(|| ImportError::at(line, "unbalanced quotes"))?;
        match section.1 {
            Section::Hosts => {
                let vars = key_values(&words[1..], line)?;
                for host in inv.expand(&words[0], line)? {
                    inv.groups.entry(section.0.clone()).or_default().add(&host);
                    inv.add_host(&host, vars.clone(), line);
                }
            }
            Section::Children => {
                check_name("group", &words[0], Some(line))?;
                inv.groups
                    .entry(section.0.clone())
                    .or_default()
                    .children
                    .push(words[0].clone());
            }
            Section::Vars => {
                let joined = words.join(" ");
                let (k, v) = joined.split_once('=').ok_or_else(|| {
                    ImportError::at(line, format!("expected `key=value`, found `{trimmed}`"))
                })?;
                let group = inv.groups.entry(section.0.clone()).or_default();
                group
                    .vars
                    .insert(k.trim().to_string(), v.trim().to_string());
            }
        }
    }
    for (name, group) in &inv.groups {
        for child in &group.children {
            if !inv.groups.contains_key(child) {
                return Err(ImportError {
                    line: None,
                    message: format!(
                        "group `{name}` names child group `{child}`, which is not defined"
                    ),
                });
            }
        }
    }
    inv.into_hosts()
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(super) fn yaml(text: &str) -> Result<Vec<ImportedHost>, ImportError> {
    let root: serde_json::Value = serde_saphyr::from_str(text).map_err(|e| ImportError {
        line: e.location().map(|l| l.line() as usize),
        message: e.without_snippet().to_string(),
    })?;
    let top = root.as_object().ok_or_else(|| ImportError {
        line: None,
        message: "a YAML inventory is a mapping of groups (usually `all:`)".into(),
    })?;
    let mut inv = Inventory::default();
    for (name, group) in top {
        walk(&mut inv, name, group)?;
    }
    inv.into_hosts()
}

fn walk(inv: &mut Inventory, name: &str, group: &serde_json::Value) -> Result<(), ImportError> {
    let bad = |what: &str| ImportError {
        line: None,
        message: format!("group `{name}`: {what}"),
    };
    check_name("group", name, None)?;
    inv.groups.entry(name.to_string()).or_default();
    let Some(group) = group.as_object() else {
        return if group.is_null() {
            Ok(())
        } else {
            Err(bad("expected a mapping with hosts, children or vars"))
        };
    };
    for key in group.keys() {
        if !matches!(key.as_str(), "hosts" | "children" | "vars") {
            return Err(bad(&format!(
                "unknown key `{key}` (hosts, children or vars)"
            )));
        }
    }
    if let Some(vars) = group.get("vars").and_then(|v| v.as_object()) {
        let g = inv.groups.get_mut(name).expect("inserted above");
        g.vars
            .extend(vars.iter().map(|(k, v)| (k.clone(), scalar(v))));
    }
    if let Some(hosts) = group.get("hosts") {
        let hosts = hosts
            .as_object()
            .ok_or_else(|| bad("`hosts` is a mapping of host names"))?;
        for (pattern, vars) in hosts {
            let vars: BTreeMap<String, String> = vars
                .as_object()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), scalar(v))).collect())
                .unwrap_or_default();
            let names = match inv.expand(pattern, 0) {
                Err(e) if inv.named > MAX_HOSTS => return Err(e),
                names => names.map_err(|e| bad(&e.message))?,
            };
            for host in names {
                inv.groups.get_mut(name).expect("inserted above").add(&host);
                inv.add_host(&host, vars.clone(), 0);
            }
        }
    }
    if let Some(children) = group.get("children") {
        let children = children
            .as_object()
            .ok_or_else(|| bad("`children` is a mapping of groups"))?;
        for (child, body) in children {
            inv.groups
                .get_mut(name)
                .expect("inserted above")
                .children
                .push(child.clone());
            walk(inv, child, body)?;
        }
    }
    Ok(())
}
