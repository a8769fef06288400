//! `--report discovery.md`: the first page of the team's wiki. Per host its services, ports,
//! units and config files; the service graph as Mermaid; stale references; external endpoints;
//! listeners no unit owns; hosts that could not be read and why.

use super::draft::Draft;
use super::yaml::comment_text;
use std::fmt::Write;

/// Remote text in a table cell: one line, bounded, no pipes or backticks to break out of it.
fn cell(text: &str) -> String {
    comment_text(text).replace('|', "\\|").replace('`', "'")
}

/// `mermaid`: the graph of the whole draft plan (`print::graph::mermaid` of its model).
pub fn markdown(draft: &Draft, plan: &str, mermaid: &str) -> String {
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
            for (h, how, listens) in s.found.iter().filter(|(h, _, _)| h == host) {
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
                let _ = h;
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

    let _ = writeln!(out, "## Dependencies and their evidence\n");
    if draft.edges.is_empty() {
        let _ = writeln!(out, "None found.\n");
    } else {
        let _ = writeln!(out, "| service | depends on | evidence |\n|---|---|---|");
        for e in &draft.edges {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                e.from,
                e.to,
                cell(&e.evidence_text())
            );
        }
        out.push('\n');
    }
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

    let _ = writeln!(out, "## Stale config references\n");
    if draft.stale.is_empty() {
        let _ = writeln!(out, "None: every name in the config files read resolves.\n");
    } else {
        let _ = writeln!(
            out,
            "| host | service | where | names | text |\n|---|---|---|---|---|"
        );
        for s in &draft.stale {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} (does not resolve) | {} |",
                s.host,
                s.service,
                cell(&s.at),
                cell(&s.name),
                cell(s.text.trim())
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## External endpoints\n");
    if draft.external.is_empty() {
        let _ = writeln!(out, "None.\n");
    } else {
        let _ = writeln!(
            out,
            "| host | service | endpoint | evidence |\n|---|---|---|---|"
        );
        for x in &draft.external {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                x.host,
                x.from,
                cell(&x.endpoint),
                cell(&x.evidence)
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Listening processes that no unit owns\n");
    if draft.unowned.is_empty() {
        let _ = writeln!(out, "None.\n");
    } else {
        let _ = writeln!(
            out,
            "| host | listens on | pid | process |\n|---|---|---|---|"
        );
        for u in &draft.unowned {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                u.host,
                u.at,
                u.pid.map_or("-".into(), |p| p.to_string()),
                cell(&u.process)
            );
        }
        out.push('\n');
    }

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

fn count(n: usize, noun: &str) -> String {
    crate::print::count(n, noun)
}
