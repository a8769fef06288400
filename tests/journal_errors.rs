//! A journal that cannot be trusted whole stops `resume` with a clear error (exit 2), naming the
//! file and line: a line that does not parse, another format version, a line added, edited or
//! removed after it was written (each line is sealed, chained to the one before it). Without
//! `--plan`, resume names the plan it loads and refuses one that changed since the run used it.
//! Every journal here is a real one, written by a run that halted.

mod output;

use assert_cmd::Command;
use output::{assert_has, exited};
use std::path::{Path, PathBuf};

/// A run of two local steps whose second fails its restart: halted, with a journal to resume.
struct Halted {
    dir: tempfile::TempDir,
    plan: PathBuf,
    journal: PathBuf,
}

fn comeback(args: &[&str], state: &Path) -> std::process::Output {
    Command::cargo_bin("comeback")
        .expect("binary")
        .args(args)
        .arg("--state-dir")
        .arg(state)
        .output()
        .expect("runs")
}

fn halted() -> Halted {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan.yaml");
    std::fs::write(
        &plan,
        "hosts:\n  here: { connection: local }\nservices:\n  a:\n    hosts: [here]\n    restart: \"true\"\n\
         \x20 b:\n    hosts: [here]\n    depends_on: [a]\n    restart: \"exit 1\"\n",
    )
    .expect("plan");
    let state = dir.path().join("state");
    let out = comeback(&["run", plan.to_str().expect("utf-8"), "--yes"], &state);
    exited(&out, 1);
    let runs = state.join("runs");
    let run = std::fs::read_dir(&runs)
        .expect("runs")
        .next()
        .expect("a run")
        .expect("entry")
        .path();
    Halted {
        journal: run.join("journal.jsonl"),
        plan,
        dir,
    }
}

impl Halted {
    fn lines(&self) -> Vec<String> {
        std::fs::read_to_string(&self.journal)
            .expect("journal")
            .lines()
            .map(str::to_string)
            .collect()
    }

    fn write(&self, lines: &[String], end: &str) {
        std::fs::write(&self.journal, lines.join("\n") + end).expect("write");
    }

    fn resume(&self, plan: bool) -> std::process::Output {
        let state = self.dir.path().join("state");
        let mut args = vec!["resume", "--yes"];
        if plan {
            args.extend(["--plan", self.plan.to_str().expect("utf-8")]);
        }
        comeback(&args, &state)
    }
}

#[test]
fn a_corrupt_line_in_the_middle_of_the_journal_stops_resume() {
    let run = halted();
    let mut lines = run.lines();
    lines.insert(2, "garbage".into());
    run.write(&lines, "\n");
    let err = exited(&run.resume(true), 2);
    assert_has(
        &err,
        "journal.jsonl:3: this journal was changed after it was written",
    );
}

#[test]
fn a_step_marked_done_by_hand_is_refused_and_never_believed() {
    let run = halted();
    let mut lines = run.lines();
    // What an edit would add: b passed (so resume would skip it and report it verified).
    let b_failed = lines
        .iter()
        .position(|l| l.contains("\"event\":\"step_failed\""))
        .expect("b failed");
    lines.insert(
        b_failed,
        r#"{"v":3,"ts":"2026-01-01T00:00:01Z","event":"step_succeeded","index":2,"step":"b@here","elapsed_ms":5}"#
            .into(),
    );
    run.write(&lines, "\n");
    let err = exited(&run.resume(true), 2);
    assert_has(
        &err,
        &format!("journal.jsonl:{}: this journal was changed", b_failed + 1),
    );
    // An edit inside a sealed line is caught as well.
    let lines = run.lines();
    let edited: Vec<String> = lines
        .iter()
        .filter(|l| !l.contains("2026-01-01T00:00:01Z"))
        .map(|l| l.replace("\"outcome\":\"halted\"", "\"outcome\":\"completed\""))
        .collect();
    run.write(&edited, "\n");
    let err = exited(&run.resume(true), 2);
    assert_has(&err, "its seal does not match");
}

#[test]
fn a_journal_of_another_format_version_stops_resume() {
    let run = halted();
    run.write(
        &[
            "{\"v\":1,\"ts\":\"2026-01-01T00:00:00Z\",\"event\":\"run_started\",\"dry_run\":false}"
                .into(),
        ],
        "\n",
    );
    let err = exited(&run.resume(true), 2);
    assert_has(&err, "format v1; this comeback reads v3");
}

#[test]
fn a_torn_last_line_is_left_out_and_resume_goes_on() {
    let run = halted();
    let mut lines = run.lines();
    lines.push("{\"v\":3,\"ts\":\"2026".into());
    run.write(&lines, "");
    // Resume goes on: it runs b again, which fails again.
    let err = exited(&run.resume(true), 1);
    assert_has(&err, "last line was cut short");
    assert_has(&err, "[2/2] b@here FAILED in restart");
    // The torn bytes were cut: the journal reads back whole, with both sessions.
    let again = exited(&run.resume(true), 1);
    assert!(!again.contains("cut short"), "{again}");
}

#[test]
fn without_plan_resume_names_the_plan_and_refuses_one_that_changed() {
    let run = halted();
    let err = exited(&run.resume(false), 1);
    assert_has(
        &err,
        &format!(
            "resuming run {} with the plan its journal names: {}",
            run.journal
                .parent()
                .and_then(Path::file_name)
                .expect("run id")
                .to_string_lossy(),
            run.plan.display()
        ),
    );
    let text = std::fs::read_to_string(&run.plan).expect("plan");
    std::fs::write(&run.plan, text.replace("exit 1", "true")).expect("edit");
    let err = exited(&run.resume(false), 2);
    assert_has(&err, "is not the plan this run last used");
    // Named on purpose, the edited plan is the operator's choice.
    exited(&run.resume(true), 0);
}
