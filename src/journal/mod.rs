//! The run's journal: `runs/<id>/journal.jsonl` under the state dir, one versioned JSON line per
//! event, written through to the OS as each event happens, so a killed run can be resumed; each
//! line sealed ([`seal`]) so that an edited journal is refused rather than believed.

mod lock;
mod resume;
mod seal;

pub(crate) use lock::{Lock, LockError};
pub(crate) use resume::History;

pub(crate) use crate::exec::event::{Record, VERSION};

use crate::exec::Consumer;
use seal::{Broken, Seal};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

pub(crate) struct Journal {
    file: File,
    path: PathBuf,
    seal: Seal,
    /// The first write error, reported once; the run goes on (the services matter more).
    failed: bool,
}

/// The key that seals the journal at `path`.
fn key_path(journal: &Path) -> PathBuf {
    journal.with_file_name("key")
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
    /// The journal of a new run `id` under `state_dir`: its folder, key and file, all new and
    /// private.
    pub(crate) fn create(state_dir: &Path, id: &str) -> std::io::Result<Journal> {
        crate::state_files::private_dir(state_dir)?;
        let dir = state_dir.join("runs").join(id);
        crate::state_files::private_dir(&dir)?;
        let path = dir.join("journal.jsonl");
        let seal = Seal::create(&key_path(&path))?;
        let file = crate::state_files::create_new_private(&path)?;
        Ok(Journal {
            file,
            path,
            seal,
            failed: false,
        })
    }

    /// The journal at `path`, to go on writing: every line's seal checked, a torn last line
    /// (a kill mid-write) cut off so the next line starts on its own.
    pub(crate) fn reopen(path: &Path) -> Result<Journal, JournalError> {
        let io = |source| JournalError::Io {
            path: path.display().to_string(),
            source,
        };
        let (records, seal, whole) = read_sealed(path)?;
        drop(records);
        for file in ["report.md", "report.json"] {
            crate::state_files::not_a_symlink(&path.with_file_name(file)).map_err(io)?;
        }
        let file = crate::state_files::open_private(path, true).map_err(io)?;
        file.set_len(whole).map_err(io)?;
        Ok(Journal {
            file,
            path: path.to_path_buf(),
            seal,
            failed: false,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Every record of the journal at `path`, each line's seal checked. A kill can cut short
    /// only the last line (each line is one write): that one is left out with a warning; any
    /// other line that does not parse, was written by another version of the format, or whose
    /// seal does not hold (an edited journal), is an error.
    pub(crate) fn read(path: &Path) -> Result<Vec<Record>, JournalError> {
        read_sealed(path).map(|(records, _, _)| records)
    }

    /// Appends one sealed line; nothing at all when `value` cannot be written as JSON.
    fn append(&mut self, value: &impl serde::Serialize) -> Result<(), String> {
        let line = serde_json::to_string(value).map_err(|e| e.to_string())?;
        let mut line = self.seal.seal(&line);
        line.push('\n');
        // One write per line, unbuffered: each event reaches the OS before the next step.
        self.file
            .write_all(line.as_bytes())
            .map_err(|e| e.to_string())
    }
}

/// The records of the journal at `path`, the seal after its last whole line, and the length
/// of its whole lines.
fn read_sealed(path: &Path) -> Result<(Vec<Record>, Seal, u64), JournalError> {
    let at = |line: usize| format!("{}:{line}", path.display());
    let io = |source| JournalError::Io {
        path: path.display().to_string(),
        source,
    };
    crate::state_files::not_a_symlink(path).map_err(io)?;
    let text = std::fs::read_to_string(path).map_err(io)?;
    let key = key_path(path);
    let mut seal = Seal::open(&key).map_err(|source| JournalError::Key {
        path: key.display().to_string(),
        source,
    })?;
    let torn = !text.is_empty() && !text.ends_with('\n');
    let count = text.lines().count();
    let mut records = Vec::with_capacity(count);
    let mut whole = 0u64;
    for (n, line) in text.lines().enumerate() {
        let last = n + 1 == count;
        if last && torn {
            tracing::warn!("{}: the last line was cut short; left out", at(n + 1));
            break;
        }
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
        let unsealed = seal.check(line).map_err(|broken| JournalError::Tampered {
            at: at(n + 1),
            why: match broken {
                Broken::Unsealed => "it carries no seal",
                Broken::Mismatch => "its seal does not match its text and the lines before it",
            },
        })?;
        let record =
            serde_json::from_str::<Record>(&unsealed).map_err(|source| JournalError::Corrupt {
                at: at(n + 1),
                source,
            })?;
        records.push(record);
        whole += line.len() as u64 + 1;
    }
    Ok((records, seal, whole))
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
    #[error(
        "{at}: this journal was changed after it was written ({why}); comeback does not resume from an edited journal"
    )]
    Tampered { at: String, why: &'static str },
    #[error("cannot read the journal's key {path}: {source}")]
    Key {
        path: String,
        source: std::io::Error,
    },
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
    use crate::exec::event::HostConnected;

    fn record(host: &str) -> Record {
        Record::now(Event::HostConnected(HostConnected { host: host.into() }))
    }

    /// A journal of `hosts.len()` sealed lines, and its text.
    fn written(hosts: &[&str]) -> (tempfile::TempDir, PathBuf, String) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut journal = Journal::create(dir.path(), "r").expect("create");
        for h in hosts {
            journal.on(&record(h));
        }
        let path = journal.path().to_path_buf();
        let text = std::fs::read_to_string(&path).expect("read");
        (dir, path, text)
    }

    #[test]
    fn only_a_torn_last_line_is_left_out_and_cut_before_the_next() {
        let (_dir, path, text) = written(&["a", "b"]);
        std::fs::write(&path, format!("{text}{{\"v\":3,\"ts")).expect("write");
        assert_eq!(Journal::read(&path).expect("readable").len(), 2);
        let mut journal = Journal::reopen(&path).expect("reopen");
        journal.on(&record("c"));
        assert_eq!(Journal::read(&path).expect("readable").len(), 3);
    }

    #[test]
    fn a_bad_line_before_the_last_is_an_error() {
        let (_dir, path, text) = written(&["a", "b"]);
        let mut lines: Vec<&str> = text.lines().collect();
        lines.insert(1, "not json");
        std::fs::write(&path, lines.join("\n") + "\n").expect("write");
        let e = Journal::read(&path).expect_err("corrupt");
        assert!(matches!(e, JournalError::Tampered { .. }), "{e}");
        assert!(e.to_string().contains("journal.jsonl:2:"), "{e}");
    }

    #[test]
    fn an_edited_line_is_refused_by_its_number() {
        let (_dir, path, text) = written(&["a", "b", "c"]);
        std::fs::write(&path, text.replace("\"host\":\"b\"", "\"host\":\"x\"")).expect("write");
        let e = Journal::read(&path).expect_err("edited");
        assert!(
            e.to_string()
                .contains("journal.jsonl:2: this journal was changed"),
            "{e}"
        );
        // A line removed breaks the chain at the next one.
        let lines: Vec<&str> = text.lines().collect();
        std::fs::write(&path, format!("{}\n{}\n", lines[0], lines[2])).expect("write");
        let e = Journal::read(&path).expect_err("removed");
        assert!(e.to_string().contains("journal.jsonl:2:"), "{e}");
    }

    #[test]
    fn another_version_is_refused_by_name() {
        let (_dir, path, _) = written(&[]);
        std::fs::write(
            &path,
            "{\"v\":1,\"ts\":\"2026-01-01T00:00:00Z\",\"event\":\"host_connected\",\"host\":\"a\"}\n",
        )
        .expect("write");
        let e = Journal::read(&path).expect_err("old version");
        assert!(
            e.to_string().contains("format v1; this comeback reads v3"),
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
        let mut journal = Journal::create(dir.path(), "r").expect("open");
        assert!(journal.append(&Unwritable).is_err());
        journal.on(&record("a"));
        let text = std::fs::read_to_string(journal.path()).expect("read");
        assert_eq!(text.lines().count(), 1, "{text:?}");
        assert_eq!(Journal::read(journal.path()).expect("readable").len(), 1);
    }
}
