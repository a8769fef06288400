//! The plan skeleton `comeback import` prints: every host with its groups, the ssh section, and
//! a commented services section that says what to fill in.

use super::ImportedHost;
use std::fmt::Write;

/// A YAML scalar that needs no quotes stays bare; anything else is written as a JSON string,
/// which YAML reads as a double-quoted scalar.
fn scalar(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'))
        && !matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~"
        )
        && value.parse::<f64>().is_err();
    if plain {
        value.to_string()
    } else {
        serde_json::Value::String(value.to_string()).to_string()
    }
}

pub fn skeleton(hosts: &[ImportedHost], source: &str) -> String {
    let mut out = format!(
        "# Plan skeleton imported by comeback from {source}.\n\
         # Next: fill in `services`, then `comeback check` this file and `comeback run --dry-run` it.\n\
         hosts:\n"
    );
    for h in hosts {
        let mut fields = Vec::new();
        if let Some(address) = &h.address {
            fields.push(format!("address: {}", scalar(address)));
        }
        if let Some(port) = h.port {
            fields.push(format!("port: {port}"));
        }
        if let Some(user) = &h.user {
            fields.push(format!("user: {}", scalar(user)));
        }
        if !h.groups.is_empty() {
            fields.push(format!("groups: [{}]", h.groups.join(", ")));
        }
        if !h.vars.is_empty() {
            let vars: Vec<String> = h
                .vars
                .iter()
                .map(|(k, v)| format!("{}: {}", scalar(k), scalar(v)))
                .collect();
            fields.push(format!("vars: {{ {} }}", vars.join(", ")));
        }
        let _ = writeln!(out, "  {}: {{ {} }}", h.name, fields.join(", "));
    }
    let mut groups: Vec<&str> = hosts
        .iter()
        .flat_map(|h| h.groups.iter().map(String::as_str))
        .collect();
    groups.sort_unstable();
    groups.dedup();
    out.push_str(
        "ssh:\n  # Unknown or changed host keys are always refused: collect them first (ssh-keyscan, then verify).\n  \
         known_hosts: ~/.ssh/known_hosts\n  connect_timeout: 10s\n  sudo: false\n\
         services: {}\n",
    );
    let _ = writeln!(
        out,
        "  # One entry per service to restart. Groups found: {}.",
        if groups.is_empty() {
            "none".to_string()
        } else {
            groups
                .iter()
                .map(|g| format!("group:{g}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    out.push_str(
        "  # Replace `services: {}` above with entries like:\n  \
         # nginx:\n  \
         #   hosts: [group:web]\n  \
         #   depends_on: [app]\n  \
         #   restart: systemctl restart nginx\n  \
         #   configs: [/etc/nginx/nginx.conf]\n  \
         #   health:\n  \
         #     - tcp: 443\n  \
         #     - http: \"http://{address}/health\"\n  \
         #   impact: The site is unreachable.\n  \
         #   runbook: |\n  \
         #     `nginx -t` shows the bad line.\n",
    );
    out
}
