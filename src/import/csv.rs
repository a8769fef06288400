//! The spreadsheet a team builds in its first days from nmap, ssh and facter: a header, then a
//! host per row. Columns are recognised by their usual names; the rest become host vars.

use super::{ImportError, ImportedHost, MAX_HOSTS, check_name, too_many};

#[derive(Clone, Copy, PartialEq)]
enum Column {
    Name,
    Address,
    Groups,
    Port,
    User,
    Var,
}

fn column(header: &str) -> Column {
    match header
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-'], "_")
        .as_str()
    {
        "hostname" | "host" | "name" | "fqdn" | "server" | "host_name" => Column::Name,
        "ip" | "ip_address" | "ipaddress" | "address" | "ipv4" | "addr" => Column::Address,
        "role" | "roles" | "group" | "groups" | "function" | "environment" | "env" => {
            Column::Groups
        }
        "port" | "ssh_port" => Column::Port,
        "user" | "ssh_user" | "login" => Column::User,
        _ => Column::Var,
    }
}

/// A var name as templates can use it: `OS Version` becomes `os_version`.
fn var_name(header: &str) -> String {
    header
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

pub(super) fn parse(text: &str) -> Result<Vec<ImportedHost>, ImportError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(false)
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ImportError::at(1, e.to_string()))?
        .clone();
    let columns: Vec<Column> = headers.iter().map(column).collect();
    if !columns.contains(&Column::Name) {
        return Err(ImportError::at(
            1,
            format!(
                "no host name column among: {} (expected hostname, host, name or fqdn)",
                headers.iter().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let mut hosts: Vec<ImportedHost> = Vec::new();
    // Where each name was first seen: duplicates are found in linear time.
    let mut lines: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for record in reader.records() {
        if hosts.len() as u64 >= MAX_HOSTS {
            let line = record
                .as_ref()
                .ok()
                .and_then(|r| r.position())
                .map(|p| p.line() as usize);
            return Err(too_many(hosts.len() as u64 + 1, line));
        }
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            ImportError::at(
                line,
                e.to_string()
                    .split(": ")
                    .last()
                    .unwrap_or_default()
                    .to_string(),
            )
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let mut host = ImportedHost::default();
        for ((value, kind), header) in record.iter().zip(&columns).zip(headers.iter()) {
            if value.is_empty() {
                continue;
            }
            match kind {
                Column::Name => host.name = value.to_string(),
                Column::Address => host.address = Some(value.to_string()),
                Column::Groups => {
                    for g in value.split([';', ',', '|', ' ']).filter(|g| !g.is_empty()) {
                        let g = g.to_ascii_lowercase();
                        check_name("group", &g, Some(line))?;
                        if !host.groups.contains(&g) {
                            host.groups.push(g);
                        }
                    }
                }
                Column::Port => {
                    host.port = Some(value.parse().map_err(|_| {
                        ImportError::at(
                            line,
                            format!("port `{value}` is not a number from 1 to 65535"),
                        )
                    })?)
                }
                Column::User => host.user = Some(value.to_string()),
                Column::Var => {
                    host.vars.insert(var_name(header), value.to_string());
                }
            }
        }
        if host.name.is_empty() {
            return Err(ImportError::at(line, "this row has no host name"));
        }
        check_name("host", &host.name, Some(line))?;
        if let Some(first) = lines.get(&host.name) {
            return Err(ImportError::at(
                line,
                format!("host `{}` is already on line {first}", host.name),
            ));
        }
        lines.insert(host.name.clone(), line);
        hosts.push(host);
    }
    Ok(hosts)
}
