//! Drift: what changed under a running process since it started. A config edited afterwards was
//! never loaded (the restart will load it for the first time); a binary or library deleted or
//! replaced on disk means the process runs code that no longer exists (as needrestart reports).

use super::unit::ProcessInfo;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Drift {
    /// Modified after the process started: the running service never loaded it.
    ConfigNewerThanProcess {
        path: String,
        modified: i64,
        started: i64,
    },
    /// The process maps a file that is gone from disk.
    DeletedCode { path: String },
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::ConfigNewerThanProcess { path, .. } => {
                write!(
                    f,
                    "{path} changed after the process started: never loaded, the restart loads it for the first time"
                )
            }
            Drift::DeletedCode { path } => {
                write!(f, "the process runs {path}, deleted or replaced on disk")
            }
        }
    }
}

/// Drift findings from the process and the configs' modification times.
pub fn drift(process: &ProcessInfo, configs: &[super::ConfigFile]) -> Vec<Drift> {
    let mut found: Vec<Drift> = configs
        .iter()
        .filter_map(|c| match c {
            super::ConfigFile::Read { path, modified, .. } if *modified > process.started => {
                Some(Drift::ConfigNewerThanProcess {
                    path: path.clone(),
                    modified: *modified,
                    started: process.started,
                })
            }
            _ => None,
        })
        .collect();
    found.extend(
        process
            .deleted
            .iter()
            .map(|path| Drift::DeletedCode { path: path.clone() }),
    );
    found
}
