//! Reading the operator's own files (plans, configs given to `refs`, inventories) with bounds:
//! only regular files (a FIFO would block forever, `/dev/zero` never ends), and at most a size
//! that fits the kind of file, so a wrong argument is a clear error, not gigabytes of memory.

use std::io::{self, Read};
use std::path::Path;

/// A plan is a few kilobytes; a thousand hosts and services stay far below this.
pub(crate) const PLAN_LIMIT: u64 = 8 << 20;
/// Config files scanned by `comeback refs`.
pub(crate) const CONFIG_LIMIT: u64 = 32 << 20;
/// Inventories given to `comeback import`.
pub(crate) const INVENTORY_LIMIT: u64 = 64 << 20;

/// The bytes of the regular file at `path`, if it holds at most `limit` bytes.
pub(crate) fn read(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    // Checked before opening: opening a FIFO blocks until a writer comes.
    let kind = std::fs::metadata(path)?.file_type();
    if !kind.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a regular file (a {})", describe(kind)),
        ));
    }
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!(
                "larger than {} MiB, the most comeback reads here",
                limit >> 20
            ),
        ));
    }
    Ok(bytes)
}

/// [`read`], as UTF-8 text.
pub(crate) fn read_to_string(path: &Path, limit: u64) -> io::Result<String> {
    String::from_utf8(read(path, limit)?)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

fn describe(kind: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_dir() {
        "directory"
    } else if kind.is_fifo() {
        "FIFO"
    } else if kind.is_char_device() || kind.is_block_device() {
        "device"
    } else if kind.is_socket() {
        "socket"
    } else {
        "special file"
    }
}
