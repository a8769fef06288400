//! The run's journal: `runs/<id>/journal.jsonl` under the state dir, one versioned JSON line per
//! event, written through to the OS as each event happens, so a killed run can be resumed.

mod lock;
mod resume;

pub use lock::{Lock, LockError};
pub use resume::{History, ResumePoint};

pub use crate::exec::event::{Record, VERSION, now_rfc3339};

use crate::exec::Consumer;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct Journal {
    file: File,
    path: PathBuf,
    /// The first write error, reported once; the run goes on (the services matter more).
    failed: bool,
}

/// A new run id: sortable by time (to the millisecond), unique across processes and within one.
pub fn new_run_id() -> String {
    static COUNT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let now = time::OffsetDateTime::now_utc();
    let format = time::macros::format_description!(
        "[year][month][day]T[hour][minute][second].[subsecond digits:3]Z"
    );
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!(
        "{}-{}-{n}",
        now.format(&format).unwrap_or_default(),
        std::process::id()
    )
}

impl Journal {
    /// Opens (creating or appending to) the journal of run `id` under `state_dir`.
    pub fn open(state_dir: &Path, id: &str) -> std::io::Result<Journal> {
        let dir = state_dir.join("runs").join(id);
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("journal.jsonl");
        let file = OpenOptions::new().create(true).append(true).open(&path)?;
        Ok(Journal {
            file,
            path,
            failed: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn read(path: &Path) -> std::io::Result<Vec<Record>> {
        let text = std::fs::read_to_string(path)?;
        // A line cut short by a kill is the last one; everything before it is whole.
        Ok(text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect())
    }
}

impl Consumer for Journal {
    fn on(&mut self, record: &Record) {
        let mut line = serde_json::to_string(record).unwrap_or_default();
        line.push('\n');
        // One write per line, unbuffered: each event reaches the OS before the next step.
        if let Err(e) = self.file.write_all(line.as_bytes())
            && !self.failed
        {
            self.failed = true;
            tracing::error!("cannot write the journal {}: {e}", self.path.display());
        }
    }
}
