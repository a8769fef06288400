//! `comeback import`: a plan skeleton from the inventory a team already has (Ansible INI or
//! YAML, or the CSV built from nmap and ssh), so nobody retypes two hundred hosts.

mod ansible;
mod csv;
mod skeleton;

pub(crate) use skeleton::skeleton;

use std::collections::BTreeMap;

/// The most host names one import may read, ranges expanded and a host counted on each line
/// that names it: the cap on what an import holds, whatever the input (a few KiB of ranges
/// would otherwise name millions).
pub(crate) const MAX_HOSTS: u64 = 50_000;

/// The error when an inventory names more than [`MAX_HOSTS`] hosts; `named` is the count with
/// the line that crossed it.
fn too_many(named: u64, line: Option<usize>) -> ImportError {
    ImportError {
        line,
        message: format!(
            "the inventory names {named} hosts or more (ranges expanded, a host counted on each line that names it), more than the {MAX_HOSTS} one import may hold: import it in parts"
        ),
    }
}

/// A host as an inventory describes it, before it becomes a plan entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ImportedHost {
    pub name: String,
    pub address: Option<String>,
    pub port: Option<u16>,
    pub user: Option<String>,
    pub groups: Vec<String>,
    pub vars: BTreeMap<String, String>,
}

/// An input problem, with the 1-based line it is on when there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub(crate) struct ImportError {
    pub line: Option<usize>,
    pub message: String,
}

impl ImportError {
    fn at(line: usize, message: impl Into<String>) -> Self {
        ImportError {
            line: Some(line),
            message: message.into(),
        }
    }
}

pub(crate) fn ansible(text: &str) -> Result<Vec<ImportedHost>, ImportError> {
    if ansible::looks_like_yaml(text) {
        ansible::yaml(text)
    } else {
        ansible::ini(text)
    }
}

pub(crate) fn csv(text: &str) -> Result<Vec<ImportedHost>, ImportError> {
    csv::parse(text)
}

/// Names become plan names: they must need no shell quoting, like the plan's own.
fn check_name(what: &str, name: &str, line: Option<usize>) -> Result<(), ImportError> {
    let mut chars = name.chars();
    let plain = chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if plain {
        Ok(())
    } else {
        Err(ImportError {
            line,
            message: format!(
                "{what} `{name}` is not a plain name (letters, digits, `.`, `_`, `-`)"
            ),
        })
    }
}
