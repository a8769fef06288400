//! `--report discovery.md`: the first page of the team's wiki. Per host its services, ports,
//! units and config files; the service graph as Mermaid; stale references; external endpoints;
//! listeners no unit owns; hosts that could not be read and why.

use super::draft::Draft;
use crate::human::count;
use std::fmt::Write;

/// The most characters of remote text in one cell.
const CELL_LIMIT: usize = 200;

/// Remote text in a table cell: one line, bounded, its control characters visible, no pipes or
/// backticks to break out of it.
fn cell(text: &str) -> String {
    let mut short: String = text.chars().take(CELL_LIMIT).collect();
    if text.chars().nth(CELL_LIMIT).is_some() {
        short.push('…');
    }
    crate::visible::cell(&short).replace('`', "'")
}

/// The discovery report as Markdown. `plan` is the plan file as the operator named it;
/// `mermaid` the graph of the whole draft plan (the plan with the draft written in, drawn as
/// Mermaid).
pub fn markdown(draft: &Draft, plan: &str, mermaid: &str) -> String {
    crate::visible::visible(&document(draft, plan, mermaid)).into_owned()
}

fn document(draft: &Draft, plan: &str, mermaid: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Discovery: what runs where, and what talks to what\n"
    );
    let _ = writeln!(
        out,
        "Read-only discovery of `{}` by `comeback discover`: {} read, {} could not be read; {} new, {} already in the plan, {} edges, {} stale references.\n",
        cell(plan),
        count(draft.hosts.len(), "host"),
        count(draft.failures.len(), "host"),
        count(draft.services.len(), "service"),
        count(draft.duplicates.len(), "instance"),
        draft.edges.len(),
        draft.stale.len(),
    );

    let _ = writeln!(out, "## Hosts\n");
    for (host, os, manager) in &draft.hosts {
        let _ = writeln!(
            out,
            "### {host}\n\n{os}, service manager: {}\n",
            cell(manager)
        );
        let _ = writeln!(
            out,
            "| service | listens on | unit | config files |\n|---|---|---|---|"
        );
        let mut any = false;
        for s in &draft.services {
            for (_, how, listens) in s.found.iter().filter(|(h, _, _)| h == host) {
                any = true;
                let ports: Vec<String> = listens.iter().map(ToString::to_string).collect();
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    s.name,
                    ports.join(", "),
                    cell(how),
                    cell(&s.configs.join(", "))
                );
            }
        }
        for d in draft.duplicates.iter().filter(|d| &d.host == host) {
            any = true;
            let _ = writeln!(
                out,
                "| {} (already in the plan) | | {} | |",
                d.existing,
                cell(&d.unit)
            );
        }
        if !any {
            let _ = writeln!(out, "| (no service found) | | | |");
        }
        out.push('\n');
    }

    let _ = writeln!(
        out,
        "## Service graph\n\nAn arrow goes from a service to the ones that restart after it.\n"
    );
    let _ = writeln!(out, "```mermaid\n{}```\n", mermaid);

    table(
        &mut out,
        "Dependencies and their evidence",
        "None found.",
        &["service", "depends on", "evidence"],
        draft
            .edges
            .iter()
            .map(|e| vec![e.from.clone(), e.to.clone(), cell(&e.evidence_text())])
            .collect(),
    );
    for b in &draft.broken {
        let _ = writeln!(
            out,
            "- Cycle {} broken: `{}` -> `{}` not written ({}).",
            b.cycle.join(" -> "),
            b.edge.from,
            b.edge.to,
            cell(&b.edge.evidence_text())
        );
    }
    for e in &draft.suggested {
        let _ = writeln!(
            out,
            "- `{}` (already in the plan) seems to depend on `{}` ({}): add it by hand.",
            e.from,
            e.to,
            cell(&e.evidence_text())
        );
    }
    if !draft.broken.is_empty() || !draft.suggested.is_empty() {
        out.push('\n');
    }

    clusters(&mut out, draft);

    table(
        &mut out,
        "Stale config references",
        "None: every name in the config files read resolves.",
        &["host", "service", "where", "names", "text"],
        draft
            .stale
            .iter()
            .map(|s| {
                vec![
                    s.host.clone(),
                    s.service.clone(),
                    cell(&s.at),
                    format!("{} (does not resolve)", cell(&s.name)),
                    cell(s.text.trim()),
                ]
            })
            .collect(),
    );
    table(
        &mut out,
        "External endpoints",
        "None.",
        &["host", "service", "endpoint", "evidence"],
        draft
            .external
            .iter()
            .map(|x| {
                vec![
                    x.host.clone(),
                    x.from.clone(),
                    cell(&x.endpoint),
                    cell(&x.evidence),
                ]
            })
            .collect(),
    );
    table(
        &mut out,
        "Listening processes that no unit owns",
        "None.",
        &["host", "listens on", "pid", "process"],
        draft
            .unowned
            .iter()
            .map(|u| {
                vec![
                    u.host.clone(),
                    u.at.to_string(),
                    u.pid.map_or("-".into(), |p| p.to_string()),
                    match u.pid {
                        Some(_) => cell(&u.process),
                        None => {
                            "(no process visible: run discover as root or with ssh.sudo)".into()
                        }
                    },
                ]
            })
            .collect(),
    );
    table(
        &mut out,
        "Running units left out as the OS's own",
        "None.",
        &["host", "unit", "why"],
        draft
            .plumbing
            .iter()
            .map(|p| vec![p.host.clone(), cell(&p.unit), cell(&p.why)])
            .collect(),
    );

    let _ = writeln!(out, "## Hosts that could not be read\n");
    if draft.failures.is_empty() {
        let _ = writeln!(out, "None.\n");
    } else {
        for (host, why) in &draft.failures {
            let _ = writeln!(out, "- **{host}**: {}", cell(why));
        }
        out.push('\n');
    }
    if !draft.notes.is_empty() {
        let _ = writeln!(out, "## Notes\n");
        for n in &draft.notes {
            let _ = writeln!(out, "- {}", cell(n));
        }
        out.push('\n');
    }
    out
}

/// The services found to be one cluster: kind, members, who leads now, and why.
fn clusters(out: &mut String, draft: &Draft) {
    table(
        out,
        "Clusters",
        "None: no service's instances were seen linked by a cluster's ports, replication or config keys.",
        &[
            "service",
            "kind",
            "members",
            "leads now",
            "would come back from a full outage",
            "evidence",
        ],
        draft
            .clusters
            .iter()
            .map(|c| {
                vec![
                    c.service.clone(),
                    if c.written() {
                        format!("{} (`cluster:` written)", c.kind)
                    } else if c.in_plan && c.unlinked.is_empty() {
                        format!(
                            "{} (already in the plan: add `cluster: {{ kind: {} }}` there)",
                            c.kind, c.kind
                        )
                    } else {
                        format!(
                            "{} (not written: {} show no link)",
                            c.kind,
                            cell(&c.unlinked.join(", "))
                        )
                    },
                    cell(&c.members.join(", ")),
                    c.leader.as_ref().map_or_else(
                        || "-".to_string(),
                        |l| cell(&format!("{} ({}; the run asks again)", l.host, l.why)),
                    ),
                    c.comes_back
                        .as_ref()
                        .map_or_else(|| "-".to_string(), |v| cell(&v.to_string())),
                    cell(&c.evidence.join("; ")),
                ]
            })
            .collect(),
    );
}

/// A section: its title, then a table of `rows`, or `empty` when there is none.
fn table(out: &mut String, title: &str, empty: &str, header: &[&str], rows: Vec<Vec<String>>) {
    let _ = writeln!(out, "## {title}\n");
    if rows.is_empty() {
        let _ = writeln!(out, "{empty}\n");
        return;
    }
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::draft::Unowned;

    #[test]
    fn a_listener_without_a_visible_process_gets_advice_in_the_report_not_in_the_data() {
        let draft = Draft {
            unowned: vec![Unowned {
                host: "web-01".into(),
                at: crate::discover::facts::parse_endpoint("0.0.0.0:8080").expect("endpoint"),
                pid: None,
                process: String::new(),
            }],
            ..Draft::default()
        };
        let text = markdown(&draft, "plan.yaml", "");
        assert!(
            text.contains("| web-01 | 0.0.0.0:8080 | - | (no process visible: run discover as root or with ssh.sudo) |"),
            "{text}"
        );
    }
    /// A process name is the host's to choose: `\x1b`, `|` and all, it stays in its cell, seen.
    #[test]
    fn a_process_name_with_escapes_and_pipes_is_shown_in_its_cell() {
        let draft = Draft {
            unowned: vec![Unowned {
                host: "web-01".into(),
                at: crate::discover::facts::parse_endpoint("0.0.0.0:8080").expect("endpoint"),
                pid: Some(42),
                process: "x\u{1b}[2J|done\u{9b}".into(),
            }],
            ..Draft::default()
        };
        let text = markdown(&draft, "plan.yaml", "");
        assert!(
            text.contains("| web-01 | 0.0.0.0:8080 | 42 | x\\\\x1b[2J\\|done\\\\x9b |"),
            "{text}"
        );
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
    }
}
