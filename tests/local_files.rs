//! Local files are read with bounds (issue 10, item 5): what is not a regular file is refused
//! before it is opened, and a file too large for its kind is refused, never read whole.

use assert_cmd::Command;
use std::time::Duration;

fn comeback(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::cargo_bin("comeback")
        .expect("binary")
        .args(args)
        // A guard against a regression that blocks: the test fails instead of hanging.
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn devices_are_refused_by_every_command_that_reads_a_file() {
    for args in [
        ["check", "/dev/zero"].as_slice(),
        &["plan", "/dev/urandom"],
        &["refs", "/dev/zero"],
        &["refs", "/dev/urandom"],
        &["import", "ansible", "/dev/zero"],
        &["import", "csv", "/dev/zero"],
    ] {
        let (code, err) = comeback(args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(
            err.contains("not a regular file (a device)"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_fifo_or_a_directory_is_refused_without_blocking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("plan.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let fifo = fifo.to_str().expect("utf8");
    for args in [["check", fifo], ["refs", fifo]] {
        let (code, err) = comeback(&args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains("not a regular file (a FIFO)"), "{err}");
    }
    let (code, err) = comeback(&["refs", dir.path().to_str().expect("utf8")]);
    assert_eq!(code, Some(2));
    assert!(err.contains("not a regular file (a directory)"), "{err}");
}

#[test]
fn files_too_large_for_their_kind_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Sparse: the size is what counts, not the disk it takes.
    let big = dir.path().join("big.conf");
    let file = std::fs::File::create(&big).expect("create");
    file.set_len((32 << 20) + 1).expect("grow");
    let (code, err) = comeback(&["refs", big.to_str().expect("utf8")]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("larger than 32 MiB"), "{err}");

    let plan = dir.path().join("plan.yaml");
    let file = std::fs::File::create(&plan).expect("create");
    file.set_len((8 << 20) + 1).expect("grow");
    let (code, err) = comeback(&["check", plan.to_str().expect("utf8")]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("larger than 8 MiB"), "{err}");
}
