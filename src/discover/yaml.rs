//! The draft written into the plan: the input plan's text kept byte for byte (its hosts, ssh
//! settings and services exactly as written), the discovered services appended to its
//! `services:` block, each edge's evidence and each finding as a YAML comment.

use super::clusters::Cluster;
use super::draft::{Draft, Edge, Health, NewService};
use std::fmt::Write;

/// A YAML scalar: plain when it is plain words (commands, paths, names), else a JSON string,
/// which YAML reads as a double-quoted scalar. Nothing from a host can break out of either.
fn scalar(value: &str) -> String {
    let plain = value.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '/')
        && !value.ends_with(' ')
        && !value.contains("  ")
        && value.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ' ' | '@' | '+' | '=')
        })
        && !matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        )
        && value.parse::<f64>().is_err();
    if plain {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if printable(c) && c != '\u{feff}' => out.push(c),
            c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// YAML's printable characters (YAML 1.2, 5.1), tab and line breaks left out.
fn printable(c: char) -> bool {
    matches!(c as u32, 0x20..=0x7e | 0xa0..=0xd7ff | 0xe000..=0xfffd | 0x10000..)
}

/// A value the plan reads as a template (`restart`, `configs`, `command`): braces from a host
/// are literal braces, never placeholders.
fn template(value: &str) -> String {
    // `{{` is the one escape: a `}` alone is already literal.
    scalar(&value.replace('{', "{{"))
}

/// Evidence as the plan keeps it: a connection without its client's ephemeral port, which
/// changes whenever the client reconnects (the report and the JSON keep it), so the same hosts
/// give the same plan byte for byte.
fn stable(text: &str) -> String {
    let Some(rest) = text.strip_prefix("connection ") else {
        return text.to_string();
    };
    match rest.split_once(" -> ") {
        Some((local, peer)) => {
            let host = local.rsplit_once(':').map_or(local, |(h, _)| h);
            format!("connection {host} -> {peer}")
        }
        None => text.to_string(),
    }
}

/// An edge's evidence for a comment: stable, each piece once, bounded.
fn evidence(edge: &Edge) -> String {
    comment_text(&summary(edge.evidence.iter().map(|e| stable(&e.text))))
}

/// Evidence as one comment: each line once, the first `MAX_EVIDENCE`, then how many more.
fn summary(texts: impl Iterator<Item = String>) -> String {
    let mut shown: Vec<String> = Vec::new();
    for text in texts {
        if !shown.contains(&text) {
            shown.push(text);
        }
    }
    let more = shown.len().saturating_sub(super::draft::MAX_EVIDENCE);
    shown.truncate(super::draft::MAX_EVIDENCE);
    if more > 0 {
        shown.push(format!("and {more} more"));
    }
    shown.join("; ")
}

/// The most characters of remote text (paths, reference text) put into one comment.
const COMMENT_LIMIT: usize = 200;

/// Remote text made safe for a YAML comment: one line, no control characters, bounded.
pub(crate) fn comment_text(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if printable(c) && c != '\u{feff}' {
                c
            } else {
                '?'
            }
        })
        .take(COMMENT_LIMIT)
        .collect();
    if text.chars().count() > COMMENT_LIMIT {
        out.push('…');
    }
    out
}

/// The plan writes `services:` in flow style with entries in it: discover appends only to a
/// block, and refuses rather than rewrite the operator's text.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "the plan's `services:` is written in flow style (`services: {{...}}`) with entries in it: write it as a block (one service per line group) so discover can append to it"
)]
pub struct FlowServices;

/// The plan text with the new services appended to its `services:` block (a `services:` key
/// added at the end when it has none), every byte of the operator's text kept; the text
/// unchanged when there is nothing new.
pub fn write_plan(source: &str, draft: &Draft) -> Result<String, FlowServices> {
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let top_level =
        |l: &str| !l.trim().is_empty() && !l.starts_with([' ', '\t', '#']) && !l.starts_with("---");
    let key = lines.iter().position(|l| {
        l.strip_prefix("services:")
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\n', '\r', '#']))
    });
    let mut out = String::with_capacity(source.len() + 4096);
    let Some(key) = key else {
        out.push_str(source);
        if !draft.services.is_empty() {
            if !source.is_empty() && !source.ends_with('\n') {
                out.push('\n');
            }
            out.push_str("services:\n");
            out.push_str(&services_block(draft, "  "));
        }
        return Ok(out);
    };
    if draft.services.is_empty() {
        return Ok(source.to_string());
    }
    let value = lines[key]["services:".len()..].trim();
    let value = value.split(" #").next().unwrap_or("").trim();
    let flow_empty = value == "{}";
    if !value.is_empty() && !value.starts_with('#') && !flow_empty {
        return Err(FlowServices);
    }
    // The block runs to the next top-level key; comments and blank lines just before that key
    // stay with it.
    let mut end = (key + 1..lines.len())
        .find(|&i| top_level(lines[i]))
        .unwrap_or(lines.len());
    while end > key + 1 && (lines[end - 1].trim().is_empty() || lines[end - 1].starts_with('#')) {
        end -= 1;
    }
    let first_entry = (key + 1..end)
        .find(|&i| !lines[i].trim().is_empty() && !lines[i].trim_start().starts_with('#'));
    // `services:` with its flow value on the next line: `{}` is dropped, anything else refused.
    let mut dropped = None;
    if let Some(i) = first_entry
        && lines[i].trim_start().starts_with(['{', '['])
    {
        if lines[i].split(" #").next().unwrap_or("").trim() != "{}" {
            return Err(FlowServices);
        }
        dropped = Some(i);
    }
    let indent = first_entry
        .filter(|_| dropped.is_none())
        .map_or("  ".to_string(), |i| {
            let l = lines[i];
            l[..l.len() - l.trim_start().len()].to_string()
        });
    for (i, line) in lines.iter().enumerate() {
        if i == end {
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&services_block(draft, &indent));
        }
        if Some(i) == dropped {
            continue;
        }
        if i == key && flow_empty {
            let comment = lines[key]
                .find(" #")
                .map(|at| lines[key][at..].trim_end())
                .unwrap_or("");
            let _ = writeln!(out, "services:{comment}");
        } else {
            out.push_str(line);
        }
    }
    if end == lines.len() {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&services_block(draft, &indent));
    }
    Ok(out)
}

/// The new services, each entry at `indent`.
fn services_block(draft: &Draft, indent: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{indent}# Discovered by `comeback discover` (read-only). Review every entry, then `comeback check` and `comeback run --dry-run`."
    );
    for s in &draft.services {
        service(&mut out, draft, s, indent);
    }
    cap_comment_runs(&out, COMMENT_RUN)
}

/// The most comment lines written in a row. The YAML parser buffers the comments it meets
/// while looking ahead for the next key and refuses a file with a few dozen in a row (a
/// service on 50 hosts, a config naming 40 dead hosts); past this many, one line points at
/// the report, which has them all. It leaves room for a skeleton's own comments just above.
const COMMENT_RUN: usize = 10;

fn cap_comment_runs(text: &str, limit: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = 0;
    let mut dropped = 0;
    let mut indent = "";
    let flush = |out: &mut String, dropped: &mut usize, indent: &str| {
        if *dropped > 0 {
            let _ = writeln!(
                out,
                "{indent}# … and {dropped} more comment lines: the report (--report) and --format json have them all"
            );
            *dropped = 0;
        }
    };
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            run += 1;
            if run >= limit {
                dropped += 1;
                indent = &line[..line.len() - trimmed.len()];
                continue;
            }
        } else {
            flush(&mut out, &mut dropped, indent);
            run = 0;
        }
        out.push_str(line);
    }
    flush(&mut out, &mut dropped, indent);
    out
}

fn service(out: &mut String, draft: &Draft, s: &NewService, i: &str) {
    let f = format!("{i}  ");
    let _ = writeln!(out, "{i}{}:", s.name);
    // Hosts where the unit was found the same way share one line.
    let mut found: Vec<(String, Vec<&str>)> = Vec::new();
    for (host, how, listens) in &s.found {
        let ports: Vec<String> = listens.iter().map(ToString::to_string).collect();
        let what = format!(
            "{}; listens on {}",
            comment_text(how),
            if ports.is_empty() {
                "nothing".to_string()
            } else {
                ports.join(", ")
            }
        );
        match found.iter_mut().find(|(w, _)| *w == what) {
            Some((_, hosts)) => hosts.push(host),
            None => found.push((what, vec![host])),
        }
    }
    for (what, hosts) in found {
        let _ = writeln!(out, "{f}# on {}: {what}", hosts.join(", "));
    }
    let hosts: Vec<String> = s.hosts.iter().map(|h| scalar(h)).collect();
    let _ = writeln!(out, "{f}hosts: [{}]", hosts.join(", "));
    // The host's service manager restarts it and proves the restart.
    let _ = writeln!(out, "{f}unit: {}", scalar(&s.unit));
    if !s.configs.is_empty() {
        let _ = writeln!(out, "{f}configs:");
        for c in &s.configs {
            let _ = writeln!(out, "{f}  - {}", template(c));
        }
    }
    for c in &s.configs_elsewhere {
        let _ = writeln!(out, "{f}# config on some hosts only: {}", comment_text(c));
    }
    if s.health.is_empty() {
        let _ = writeln!(
            out,
            "{f}# no port every host listens on: add a health check"
        );
    } else {
        let _ = writeln!(out, "{f}health:");
        for h in &s.health {
            match h {
                Health::Tcp(port) => {
                    let _ = writeln!(out, "{f}  - tcp: {port}");
                }
                Health::Command(command) => {
                    let _ = writeln!(
                        out,
                        "{f}  - command: {}  # listens on loopback only",
                        template(command)
                    );
                }
            }
        }
    }
    if let Some(c) = draft.clusters.iter().find(|c| c.service == s.name) {
        cluster(out, c, &f);
    }
    let edges: Vec<&Edge> = draft.edges.iter().filter(|e| e.from == s.name).collect();
    if !edges.is_empty() {
        let _ = writeln!(out, "{f}depends_on:");
        for e in edges {
            let _ = writeln!(out, "{f}  - {}  # {}", e.to, evidence(e));
        }
    }
    for b in draft.broken.iter().filter(|b| b.edge.from == s.name) {
        let _ = writeln!(
            out,
            "{f}# not written: depends_on {} ({}), the weakest edge of the cycle {}",
            b.edge.to,
            evidence(&b.edge),
            b.cycle.join(" -> ")
        );
    }
    for e in draft.suggested.iter().filter(|e| e.to == s.name) {
        let _ = writeln!(
            out,
            "{f}# used by `{}`, which the plan already has: add `depends_on: [{}]` there ({})",
            e.from,
            s.name,
            evidence(e)
        );
    }
    for st in draft.stale.iter().filter(|st| st.service == s.name) {
        let _ = writeln!(
            out,
            "{f}# STALE: {} names {}, which does not resolve from {}: `{}`",
            comment_text(&st.at),
            comment_text(&st.name),
            st.host,
            comment_text(st.text.trim())
        );
    }
    let mut external: Vec<String> = draft
        .external
        .iter()
        .filter(|x| x.from == s.name)
        .map(|x| {
            format!(
                "{f}# external: {} from {} ({})",
                comment_text(&x.endpoint),
                x.host,
                comment_text(&stable(&x.evidence))
            )
        })
        .collect();
    external.dedup();
    for line in external {
        let _ = writeln!(out, "{line}");
    }
}

/// `cluster:` with its members and evidence as comments; said only, not written, while a host
/// of the service shows no link (it would never be seen in the cluster).
fn cluster(out: &mut String, c: &Cluster, f: &str) {
    let shown = summary(c.evidence.iter().map(|e| stable_evidence(e)));
    let _ = writeln!(
        out,
        "{f}# a {} cluster of {}: {}",
        c.kind,
        comment_text(&c.members.join(", ")),
        comment_text(&shown)
    );
    if let Some(l) = &c.leader {
        let _ = writeln!(
            out,
            "{f}# leads now: {} ({}); the run asks the cluster again",
            comment_text(&l.host),
            comment_text(&l.why)
        );
    }
    if let Some(v) = &c.comes_back {
        let _ = writeln!(
            out,
            "{f}# would come back from a full outage: {}",
            comment_text(&v.to_string())
        );
    }
    if c.written() {
        let _ = writeln!(out, "{f}cluster: {{ kind: {} }}", c.kind);
    } else {
        let _ = writeln!(
            out,
            "{f}# not written: {} show no link to it; once every host is a member: cluster: {{ kind: {} }}",
            comment_text(&c.unlinked.join(", ")),
            c.kind
        );
    }
}

/// A cluster's evidence without the client's ephemeral port, like an edge's.
fn stable_evidence(text: &str) -> String {
    if let Some((host, rest)) = text.split_once(": connection ") {
        return format!("{host}: {}", stable(&format!("connection {rest}")));
    }
    match text.split_once(": accepted ") {
        Some((host, rest)) => match rest.split_once(" <- ") {
            Some((local, peer)) => {
                let peer = peer.rsplit_once(':').map_or(peer, |(h, _)| h);
                format!("{host}: accepted {local} <- {peer}")
            }
            None => text.to_string(),
        },
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        Draft {
            services: vec![NewService {
                name: "redis-server".into(),
                unit: "redis-server".into(),
                hosts: vec!["cache-01".into()],
                manager: Some(crate::discover::facts::Manager::Sysv),
                restart: Some("service redis-server restart".into()),
                configs: vec!["/etc/redis/redis.conf".into()],
                configs_elsewhere: vec![],
                health: vec![Health::Tcp(6379)],
                found: vec![(
                    "cache-01".into(),
                    "init script \"x\"\nevil: 1".into(),
                    vec![],
                )],
            }],
            ..Draft::default()
        }
    }

    #[test]
    fn appends_to_a_block_keeping_its_indentation_and_what_follows() {
        let source = "hosts:\n  a: {}\nservices:\n    web:\n        hosts: [a]\n        restart: x\n\n# notify\nnotify: []\n";
        let out = write_plan(source, &draft()).expect("plan");
        assert!(out.starts_with("hosts:\n  a: {}\nservices:\n    web:\n        hosts: [a]\n        restart: x\n    # Discovered"));
        assert!(out.contains("\n    redis-server:\n      # on cache-01: init script \"x\"?evil: 1; listens on nothing\n      hosts: [cache-01]\n"));
        assert!(out.ends_with("\n\n# notify\nnotify: []\n"), "{out}");
    }

    #[test]
    fn braces_from_a_host_render_back_as_they_were() {
        use crate::plan::template::{Context, Template, Values};
        let command = "awk '{print $1}' /etc/{host}.conf";
        let yaml = template(command);
        let text: String = serde_saphyr::from_str(&yaml).expect("a YAML string");
        let vars = Default::default();
        let values = Values {
            host: "h",
            address: "a",
            service: "s",
            vars: &vars,
        };
        let rendered = Template::parse(&text, Context::Plain)
            .expect("a template")
            .render_text(&values)
            .expect("rendered");
        assert_eq!(rendered, command);
    }

    #[test]
    fn an_empty_flow_map_becomes_a_block_and_no_services_key_gets_one() {
        let out = write_plan(
            "hosts: {a: {}}\nservices: {}  # fill me\n  # comment\n",
            &draft(),
        )
        .expect("plan");
        assert!(
            out.contains("services: # fill me\n  # comment\n  # Discovered"),
            "{out}"
        );
        let out = write_plan("hosts: {a: {}}\nservices:\n  {}\n", &draft()).expect("plan");
        assert!(
            out.starts_with("hosts: {a: {}}\nservices:\n  # Discovered"),
            "{out}"
        );
        let out = write_plan("hosts: {a: {}}", &draft()).expect("plan");
        assert!(out.starts_with("hosts: {a: {}}\nservices:\n  # Discovered"));
        assert_eq!(
            write_plan("services: { a: { hosts: [a] } }\n", &draft()),
            Err(FlowServices)
        );
    }

    #[test]
    fn scalars_are_plain_only_when_yaml_reads_them_back_as_the_same_text() {
        assert_eq!(
            scalar("service redis-server restart"),
            "service redis-server restart"
        );
        assert_eq!(scalar("/etc/redis/redis.conf"), "/etc/redis/redis.conf");
        for hostile in [
            "a: b", "x #y", "yes", "1.5", "-x", "{a}", "'q'", "\"q\"", "a\nb", "", " a", "*x",
            "&x", "a  b",
        ] {
            let written = scalar(hostile);
            let read: String = serde_saphyr::from_str(&written).expect("yaml");
            assert_eq!(read, hostile, "{written}");
        }
    }

    #[test]
    fn connections_are_kept_without_their_ephemeral_port() {
        assert_eq!(
            stable("connection 10.0.0.21:51234 -> 10.0.0.31:6379"),
            "connection 10.0.0.21 -> 10.0.0.31:6379"
        );
        assert_eq!(
            stable("connection [::1]:5 -> [::1]:6379"),
            "connection [::1] -> [::1]:6379"
        );
        assert_eq!(stable("/etc/app.env:4"), "/etc/app.env:4");
    }

    #[test]
    fn long_runs_of_comments_are_cut_so_the_parser_takes_them() {
        let mut d = draft();
        let s = &mut d.services[0];
        s.found = (0..50)
            .map(|n| (format!("host-{n}"), format!("init script {n}"), vec![]))
            .collect();
        let text = write_plan("hosts: {}\nservices: {}\n", &d).expect("plan");
        let longest = text
            .lines()
            .fold((0, 0), |(run, max), l| {
                let run = if l.trim_start().starts_with('#') {
                    run + 1
                } else {
                    0
                };
                (run, max.max(run))
            })
            .1;
        assert_eq!(longest, COMMENT_RUN, "{text}");
        assert!(text.contains("# … and 41 more comment lines"), "{text}");
        // Hosts found the same way share a line.
        d.services[0].found = (0..50)
            .map(|n| (format!("host-{n}"), "init script nginx".into(), vec![]))
            .collect();
        let text = write_plan("hosts: {}\nservices: {}\n", &d).expect("plan");
        assert!(text.contains("# on host-0, host-1, host-2,"), "{text}");
    }

    #[test]
    fn nothing_new_leaves_the_plan_byte_for_byte() {
        let source = "hosts:\n  a: {}\nservices: {}\n";
        assert_eq!(write_plan(source, &Draft::default()).expect("plan"), source);
    }
}
