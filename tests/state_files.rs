//! The state folder is private whatever the operator's umask (files 0600, folders 0700), and a
//! symbolic link where comeback writes (the lock, a report) is refused with exit 2, naming it,
//! its target untouched: a root run never truncates a file someone aimed a link at.

mod output;

use output::{assert_has, exited};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Command;

const PLAN: &str = "hosts:\n  here: { connection: local }\nservices:\n  a:\n    hosts: [here]\n    restart: \"true\"\n";

/// `comeback ARGS --state-dir STATE` under umask 000.
fn under_open_umask(args: &str, state: &Path) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask 000; exec \"$0\" {args} --state-dir \"$1\""))
        .arg(env!("CARGO_BIN_EXE_comeback"))
        .arg(state)
        .output()
        .expect("runs")
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path).expect("meta").mode() & 0o777
}

#[test]
fn every_file_of_the_state_folder_is_private_under_umask_000() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan.yaml");
    std::fs::write(&plan, PLAN).expect("plan");
    let state = dir.path().join("state");
    exited(
        &under_open_umask(&format!("run {} --yes", plan.display()), &state),
        0,
    );
    let run = std::fs::read_dir(state.join("runs"))
        .expect("runs")
        .next()
        .expect("a run")
        .expect("entry")
        .path();
    for folder in [&state, &state.join("runs"), &run] {
        assert_eq!(mode(folder), 0o700, "{}", folder.display());
    }
    for file in ["journal.jsonl", "key", "report.md", "report.json"] {
        assert_eq!(mode(&run.join(file)), 0o600, "{file}");
    }
    assert_eq!(mode(&state.join("lock")), 0o600, "lock");
}

#[test]
fn a_symlink_as_the_lock_is_refused_and_its_target_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan.yaml");
    std::fs::write(&plan, PLAN).expect("plan");
    let state = dir.path().join("state");
    std::fs::create_dir(&state).expect("state");
    let precious = dir.path().join("precious");
    std::fs::write(&precious, "keep me").expect("precious");
    std::os::unix::fs::symlink(&precious, state.join("lock")).expect("link");
    let err = exited(
        &under_open_umask(&format!("run {} --yes", plan.display()), &state),
        2,
    );
    assert_has(&err, "lock is a symbolic link");
    assert_eq!(std::fs::read_to_string(&precious).expect("read"), "keep me");
    assert!(!state.join("runs").exists(), "nothing was run");
}
