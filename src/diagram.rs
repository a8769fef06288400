//! The service dependency graph as text, for Graphviz (DOT) and for Git wikis (Mermaid): what
//! `comeback graph` prints, report.md and discovery.md show. Arrows point the way restarts
//! flow: from a dependency to the services that depend on it.

use crate::plan::Model;
use std::fmt::Write;

fn hosts_of(model: &Model, service: usize) -> String {
    model.services[service]
        .instances
        .iter()
        .map(|i| model.hosts[i.host].name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn dot(model: &Model) -> String {
    let mut out = String::from("digraph comeback {\n  rankdir=LR;\n  node [shape=box];\n");
    for (s, service) in model.services.iter().enumerate() {
        let _ = writeln!(
            out,
            "  \"{}\" [label=\"{}\\n{}\"];",
            service.name,
            service.name,
            hosts_of(model, s)
        );
    }
    for service in &model.services {
        for &d in &service.depends_on {
            let _ = writeln!(
                out,
                "  \"{}\" -> \"{}\";",
                model.services[d].name, service.name
            );
        }
    }
    out.push_str("}\n");
    out
}

pub(crate) fn mermaid(model: &Model) -> String {
    // Mermaid reserves words like `end`, so nodes get neutral ids and the names go in labels.
    let mut out = String::from("flowchart LR\n");
    for (s, service) in model.services.iter().enumerate() {
        let _ = writeln!(
            out,
            "  s{s}[\"{}<br/>{}\"]",
            service.name,
            hosts_of(model, s)
        );
    }
    for (s, service) in model.services.iter().enumerate() {
        for &d in &service.depends_on {
            let _ = writeln!(out, "  s{d} --> s{s}");
        }
    }
    out
}
