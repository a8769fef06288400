//! A shell command for one host, with the values it uses carried beside it as data: the host
//! puts them in the command's environment, so no value is ever part of a text a shell parses.

use serde::{Serialize, Serializer};

/// A command as it runs on a host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShellCommand {
    /// What `sh -c` runs; values appear in it only as `"${CB_...}"` expansions.
    pub script: String,
    /// The values, set in the command's environment.
    pub env: Vec<(String, String)>,
    /// The command as the plan wrote it, each value in its place: shown to people, never run.
    pub shown: String,
}

impl ShellCommand {
    /// A command of comeback's own, with no value to pass.
    pub fn plain(script: impl Into<String>) -> ShellCommand {
        let script = script.into();
        ShellCommand {
            shown: script.clone(),
            script,
            env: Vec::new(),
        }
    }
}

impl std::fmt::Display for ShellCommand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

/// Plans and reports show a command as people read it.
impl Serialize for ShellCommand {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.shown)
    }
}
