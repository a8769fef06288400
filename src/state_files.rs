//! The files comeback keeps under its state folder (lock, journal, key, reports): private to
//! their owner whatever the umask (files 0600, folders 0700), and never written through a
//! symbolic link, which someone able to write the folder could have planted to make a root run
//! truncate or overwrite any file.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// The error for a symbolic link where comeback writes, naming it.
fn symlink_refused(path: &Path) -> io::Error {
    io::Error::other(format!(
        "{} is a symbolic link: comeback writes nothing through one (someone who can write this folder could aim it at any file); remove it",
        path.display()
    ))
}

/// Refuses `path` when it is a symbolic link; a path that does not exist passes.
pub(crate) fn not_a_symlink(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(symlink_refused(path)),
        _ => Ok(()),
    }
}

/// Creates `dir` and its missing parents, new ones 0700; `dir` itself must not be a link.
pub(crate) fn private_dir(dir: &Path) -> io::Result<()> {
    not_a_symlink(dir)?;
    DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    not_a_symlink(dir)
}

/// Opens `path` for writing (appending when `append`, else from its start), creating it 0600;
/// a symbolic link there is refused by the kernel (`O_NOFOLLOW`), named in the error.
pub(crate) fn open_private(path: &Path, append: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options
        .create(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    if append {
        options.append(true);
    } else {
        options.read(true).write(true);
    }
    let file = options.open(path).map_err(|e| match e.raw_os_error() {
        Some(libc::ELOOP) => symlink_refused(path),
        _ => e,
    })?;
    // A file made by an older comeback under a wide umask is narrowed too.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

/// Creates `path` anew, 0600, failing if anything (a file, a link) is already there.
pub(crate) fn create_new_private(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
}

/// Writes `bytes` as the whole of `path`: into a new private file beside it, then renamed over
/// it, so a reader never sees half a report and a link planted at `path` is refused, not
/// followed.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    not_a_symlink(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(
        ".{}.{}.tmp",
        name.as_deref().unwrap_or("file"),
        std::process::id()
    ));
    let _ = std::fs::remove_file(&temp);
    let written = create_new_private(&temp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    match written.and_then(|()| std::fs::rename(&temp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_symlink_where_comeback_writes_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("precious");
        std::fs::write(&target, "keep me").expect("target");
        for name in ["lock", "report.md"] {
            let link = dir.path().join(name);
            std::os::unix::fs::symlink(&target, &link).expect("link");
            let e = if name == "lock" {
                open_private(&link, false).map(|_| ())
            } else {
                write_private(&link, b"x")
            }
            .expect_err("refused");
            assert!(e.to_string().contains("is a symbolic link"), "{e}");
            assert!(e.to_string().contains(name), "{e}");
            assert_eq!(std::fs::read_to_string(&target).expect("read"), "keep me");
        }
        let linked_dir = dir.path().join("state");
        std::os::unix::fs::symlink(dir.path(), &linked_dir).expect("link");
        assert!(private_dir(&linked_dir).is_err());
    }
}
