//! A journal that cannot be read back whole stops `resume` with a clear error (exit 2): before,
//! unparsable lines were skipped and the resume went on from a history with holes.

use assert_cmd::Command;

fn resume_with(journal: &str) -> (i32, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = dir.path().join("runs").join("20260101T000000.000Z-1-0");
    std::fs::create_dir_all(&run).expect("mkdir");
    std::fs::write(run.join("journal.jsonl"), journal).expect("write");
    let out = Command::cargo_bin("comeback")
        .expect("binary")
        .args(["resume", "--yes", "--state-dir"])
        .arg(dir.path())
        .output()
        .expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const STARTED: &str = r#"{"v":2,"ts":"2026-01-01T00:00:00Z","event":"run_started","run_id":"r","plan":"/nonexistent/plan.yaml","mode":"run","steps":[[1,"a@h"],[2,"b@h"]],"only":[],"limit":[],"with_dependents":false}"#;

#[test]
fn a_corrupt_line_in_the_middle_of_the_journal_stops_resume() {
    let (code, err) = resume_with(&format!(
        "{STARTED}\ngarbage\n{}\n",
        r#"{"v":2,"ts":"2026-01-01T00:00:01Z","event":"host_connected","host":"h"}"#
    ));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("journal.jsonl:2: this journal line is not a record"),
        "{err}"
    );
}

#[test]
fn a_journal_of_another_format_version_stops_resume() {
    let (code, err) = resume_with(
        "{\"v\":1,\"ts\":\"2026-01-01T00:00:00Z\",\"event\":\"run_started\",\"dry_run\":false}\n",
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("format v1; this comeback reads v2"), "{err}");
}

#[test]
fn a_torn_last_line_is_left_out_and_resume_goes_on_to_the_plan() {
    // The torn line is skipped; resume then needs the plan, which is gone: that is the error.
    let (code, err) = resume_with(&format!("{STARTED}\n{{\"v\":2,\"ts\":\"2026"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("last line was cut short"), "{err}");
    assert!(err.contains("/nonexistent/plan.yaml"), "{err}");
}
