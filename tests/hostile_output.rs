//! Remote output and config text are hostile: escape sequences in them are shown (`\x1b`), never
//! sent raw to the operator's terminal or into report.md, and a `|` in a name cannot split a
//! Markdown table. On `connection: local`, where the "remote" command is a shell on this machine.

mod output;

use output::{assert_has, exited};
use std::path::Path;
use std::process::{Command, Stdio};

fn comeback(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_comeback"))
        .current_dir(dir)
        .args(args)
        .arg(dir.join("plan.yaml"))
        .stdin(Stdio::null())
        .output()
        .expect("runs")
}

/// The only run folder under `dir`.
fn report(dir: &Path, name: &str) -> String {
    let runs = dir.join(".comeback/runs");
    let run = std::fs::read_dir(&runs)
        .expect("runs")
        .map(|e| e.expect("entry").path())
        .max()
        .expect("a run");
    std::fs::read_to_string(run.join(name)).expect("report")
}

#[test]
fn a_restart_printing_escape_sequences_cannot_clear_the_screen_or_forge_a_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("plan.yaml"),
        "hosts:\n  here: { connection: local }\nservices:\n  app:\n    hosts: [here]\n    restart: \"printf '\\\\033[2J\\\\033[32mdone: 4 steps restarted\\\\033]0;owned\\\\007\\\\r'; exit 1\"\n    health: [{ command: \"true\" }]\n",
    )
    .expect("plan");
    let out = comeback(dir.path(), &["run", "--yes"]);
    let err = exited(&out, 1);
    assert_has(
        &err,
        "the restart command exited 1: \\x1b[2J\\x1b[32mdone: 4 steps restarted\\x1b]0;owned\\x07",
    );
    for (name, text) in [
        ("stderr", err),
        ("report.md", report(dir.path(), "report.md")),
        ("report.json", report(dir.path(), "report.json")),
    ] {
        assert_has(&text, "done: 4 steps restarted");
        let raw: Vec<char> = text
            .chars()
            .filter(|c| c.is_control() && *c != '\n')
            .collect();
        assert!(
            raw.is_empty(),
            "{name} holds control characters {raw:?}:\n{text}"
        );
    }
}

#[test]
fn a_config_file_name_with_a_pipe_stays_in_its_table_cell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conf = dir.path().join("a|b\u{1b}[31m.conf");
    std::fs::write(&conf, "upstream = gone-host.invalid:8080\n").expect("config");
    std::fs::write(
        dir.path().join("plan.yaml"),
        format!(
            "hosts:\n  here: {{ connection: local }}\nservices:\n  app:\n    hosts: [here]\n    restart: \"true\"\n    configs: [\"{}/a*.conf\"]\n    health: [{{ command: \"true\" }}]\n",
            dir.path().display()
        ),
    )
    .expect("plan");
    let out = comeback(dir.path(), &["run", "--dry-run"]);
    exited(&out, 3);
    let md = report(dir.path(), "report.md");
    let row = md
        .lines()
        .find(|l| l.contains("| gone-host.invalid |"))
        .unwrap_or_else(|| panic!("no reference row:\n{md}"));
    assert_has(row, "a\\|b\\\\x1b[31m.conf:1");
    // Five pipes delimit four cells; the one in the name is escaped.
    let delimiters = row.replace("\\|", "").matches('|').count();
    assert_eq!(delimiters, 5, "{row}");
}
