//! The run's journal: `runs/<id>/journal.jsonl` under the state dir, one versioned JSON line per
//! event, written through to the OS as each event happens, so a killed run can be resumed.

mod lock;
mod resume;

pub(crate) use lock::{Lock, LockError};
pub(crate) use resume::History;

pub(crate) use crate::exec::event::{Record, VERSION};

use crate::exec::Consumer;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

pub(crate) struct Journal {
    file: File,
    path: PathBuf,
    /// The first write error, reported once; the run goes on (the services matter more).
    failed: bool,
}

/// A new run id: sortable by time (to the millisecond), unique across processes and within one.
pub(crate) fn new_run_id() -> String {
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
    pub(crate) fn open(state_dir: &Path, id: &str) -> std::io::Result<Journal> {
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

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Every record of the journal at `path`. A kill can cut short only the last line (each
    /// line is one write): that one is left out with a warning; any other line that does not
    /// parse, or was written by another version of the format, is an error.
    pub(crate) fn read(path: &Path) -> Result<Vec<Record>, JournalError> {
        let at = |line: usize| format!("{}:{line}", path.display());
        let text = std::fs::read_to_string(path).map_err(|source| JournalError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let torn = !text.is_empty() && !text.ends_with('\n');
        let count = text.lines().count();
        let mut records = Vec::with_capacity(count);
        for (n, line) in text.lines().enumerate() {
            let last = n + 1 == count;
            // The version first: a record of another version may not parse as ours at all.
            match serde_json::from_str::<Versioned>(line) {
                Ok(Versioned { v }) if v != VERSION => {
                    return Err(JournalError::Version {
                        at: at(n + 1),
                        found: v,
                    });
                }
                _ => {}
            }
            match serde_json::from_str::<Record>(line) {
                Ok(record) => records.push(record),
                Err(e) if last && torn => {
                    tracing::warn!("{}: the last line was cut short ({e}); left out", at(n + 1));
                }
                Err(source) => {
                    return Err(JournalError::Corrupt {
                        at: at(n + 1),
                        source,
                    });
                }
            }
        }
        Ok(records)
    }

    /// Appends one line; nothing at all when `value` cannot be written as JSON.
    fn append(&mut self, value: &impl serde::Serialize) -> Result<(), String> {
        let mut line = serde_json::to_string(value).map_err(|e| e.to_string())?;
        line.push('\n');
        // One write per line, unbuffered: each event reaches the OS before the next step.
        self.file
            .write_all(line.as_bytes())
            .map_err(|e| e.to_string())
    }
}

/// Just the version of a line, read before the rest.
#[derive(serde::Deserialize)]
struct Versioned {
    v: u32,
}

/// Why a journal cannot be read back.
#[derive(Debug, thiserror::Error)]
pub(crate) enum JournalError {
    #[error("cannot read the journal {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{at}: this journal line is not a record comeback can read: {source}")]
    Corrupt {
        at: String,
        source: serde_json::Error,
    },
    #[error("{at}: this journal was written in format v{found}; this comeback reads v{VERSION}")]
    Version { at: String, found: u32 },
}

impl Consumer for Journal {
    fn on(&mut self, record: &Record) {
        // Reported once; the run goes on (the services matter more than the record of them).
        if let Err(e) = self.append(record)
            && !self.failed
        {
            self.failed = true;
            tracing::error!(
                "cannot write the journal {}: {e}; this run cannot be resumed from it",
                self.path.display()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::Event;

    fn record(host: &str) -> String {
        serde_json::to_string(&Record::now(Event::HostConnected { host: host.into() }))
            .expect("json")
    }

    fn journal(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("journal.jsonl");
        std::fs::write(&path, text).expect("write");
        (dir, path)
    }

    #[test]
    fn only_a_torn_last_line_is_left_out() {
        let (_dir, path) = journal(&format!("{}\n{}\n{{\"v\":2,\"ts", record("a"), record("b")));
        assert_eq!(Journal::read(&path).expect("readable").len(), 2);
    }

    #[test]
    fn a_bad_line_before_the_last_is_an_error() {
        let (_dir, path) = journal(&format!("{}\nnot json\n{}\n", record("a"), record("b")));
        let e = Journal::read(&path).expect_err("corrupt");
        assert!(matches!(e, JournalError::Corrupt { .. }), "{e}");
        assert!(e.to_string().contains("journal.jsonl:2:"), "{e}");
    }

    #[test]
    fn a_whole_last_line_that_does_not_parse_is_an_error() {
        // Ends with a newline: it was written whole, so it is not a torn write.
        let (_dir, path) = journal(&format!("{}\n{{\"v\":2}}\n", record("a")));
        assert!(Journal::read(&path).is_err());
    }

    #[test]
    fn another_version_is_refused_by_name() {
        let (_dir, path) = journal(
            "{\"v\":1,\"ts\":\"2026-01-01T00:00:00Z\",\"event\":\"host_connected\",\"host\":\"a\"}\n",
        );
        let e = Journal::read(&path).expect_err("old version");
        assert!(
            e.to_string().contains("format v1; this comeback reads v2"),
            "{e}"
        );
    }

    /// A value serde cannot write.
    struct Unwritable;

    impl serde::Serialize for Unwritable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("no"))
        }
    }

    #[test]
    fn a_record_that_cannot_be_written_writes_no_empty_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut journal = Journal::open(dir.path(), "r").expect("open");
        assert!(journal.append(&Unwritable).is_err());
        journal.on(&Record::now(Event::HostConnected { host: "a".into() }));
        let text = std::fs::read_to_string(journal.path()).expect("read");
        assert_eq!(text.lines().count(), 1, "{text:?}");
        assert_eq!(Journal::read(journal.path()).expect("readable").len(), 1);
    }
}
