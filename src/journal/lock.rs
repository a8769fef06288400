//! One run at a time per state dir: an OS file lock (released by the kernel when its holder
//! dies), plus the holder's pid in the file so a second run can say who holds it.

use std::fs::{File, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

pub(crate) struct Lock {
    file: File,
    /// Set when a lock file from a process that no longer runs was taken over.
    pub took_over_from: Option<u32>,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum LockError {
    #[error("another comeback run (pid {pid}) holds the lock {path}")]
    Held { pid: String, path: String },
    #[error("cannot take the lock {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

fn alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

impl Lock {
    pub(crate) fn acquire(state_dir: &Path) -> Result<Lock, LockError> {
        let path = state_dir.join("lock");
        let io = |source| LockError::Io {
            path: path.display().to_string(),
            source,
        };
        crate::state_files::private_dir(state_dir).map_err(io)?;
        let mut file = crate::state_files::open_private(&path, false).map_err(io)?;
        let mut previous = String::new();
        let _ = file.read_to_string(&mut previous);
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(LockError::Held {
                    pid: previous.trim().to_string(),
                    path: path.display().to_string(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        let took_over_from = previous
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|pid| *pid != std::process::id() && !alive(*pid));
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        write!(file, "{}", std::process::id()).map_err(io)?;
        Ok(Lock {
            file,
            took_over_from,
        })
    }
}

impl Drop for Lock {
    /// A lock file left with a pid in it means its run died; a clean exit empties it.
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
    }
}
