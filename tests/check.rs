//! `comeback check`, `plan` and `graph` as an operator runs them: exit codes and exact output.

use assert_cmd::Command;
use std::path::Path;

fn comeback() -> Command {
    let mut cmd = Command::cargo_bin("comeback").expect("binary built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// One snapshot per broken plan: the exact message, exit code 2, nothing on stdout.
#[test]
fn every_broken_plan_is_refused_with_its_message() {
    insta::glob!("plans/broken/*.yaml", |path| {
        let relative = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .expect("inside the crate");
        let output = comeback()
            .arg("check")
            .arg(relative)
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "{}", relative.display());
        assert!(output.stdout.is_empty(), "errors go to stderr only");
        insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr));
    });
}

#[test]
fn a_cycle_of_three_services_is_named_whole_and_in_order() {
    let output = comeback()
        .args(["check", "tests/plans/broken/cycle.yaml"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("dependency cycle: app -> cache -> queue -> app"),
        "{stderr}"
    );
}

#[test]
fn the_shipped_plans_pass_check_and_draw() {
    for entry in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("plans")).expect("plans/")
    {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        comeback().arg("check").arg(&path).assert().success();
        let mermaid = comeback()
            .arg("graph")
            .arg(&path)
            .args(["--format", "mermaid"])
            .output()
            .expect("runs");
        assert!(mermaid.status.success());
        assert!(String::from_utf8_lossy(&mermaid.stdout).starts_with("flowchart LR\n"));
    }
}

#[test]
fn plan_text_is_a_numbered_list_in_dependency_order() {
    let output = comeback()
        .args(["plan", "plans/web-stack.yaml"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

#[test]
fn plan_json_lists_steps_with_their_dependencies() {
    let output = comeback()
        .args([
            "plan",
            "plans/web-stack.yaml",
            "--format",
            "json",
            "--only",
            "app",
        ])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let steps = json["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0]["index"], 1);
    assert_eq!(steps[0]["service"], "app");
    assert_eq!(steps[0]["host"], "web-01");
    assert_eq!(steps[0]["address"], "10.0.0.21");
    assert_eq!(steps[0]["restart"], "/srv/shop/bin/shop restart");
    assert_eq!(
        steps[0]["depends_on"],
        serde_json::json!([
            "mariadb@db-01",
            "mariadb@db-02",
            "mariadb@db-03",
            "redis@cache-01",
            "postfix@mail-01"
        ])
    );
    assert_eq!(steps[1]["host"], "web-02");
}

#[test]
fn selection_flags_narrow_and_extend_the_order() {
    let ids = |args: &[&str]| -> Vec<String> {
        let output = comeback()
            .args(["plan", "plans/web-stack.yaml", "--format", "json"])
            .args(args)
            .output()
            .expect("runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        json["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .map(|s| format!("{}. {}", s["index"], s["id"].as_str().expect("id")))
            .collect()
    };
    assert_eq!(ids(&["--only", "redis"]), ["1. redis@cache-01"]);
    assert_eq!(
        ids(&["--only", "redis", "--with-dependents"]),
        [
            "1. redis@cache-01",
            "2. app@web-01",
            "3. app@web-02",
            "4. haproxy@lb-01"
        ]
    );
    assert_eq!(
        ids(&["--limit", "group:web", "--limit", "db-02"]),
        ["1. mariadb@db-02", "2. app@web-01", "3. app@web-02"]
    );
    assert_eq!(
        ids(&["--from", "app@web-02"]),
        ["7. app@web-02", "8. haproxy@lb-01"]
    );
    assert_eq!(ids(&["--from", "8"]), ["8. haproxy@lb-01"]);
}

#[test]
fn a_bad_selection_is_a_usage_error_with_a_hint() {
    let output = comeback()
        .args(["plan", "plans/web-stack.yaml", "--only", "mariadbb"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown service `mariadbb`"), "{stderr}");
    assert!(stderr.contains("did you mean `mariadb`?"), "{stderr}");

    let output = comeback()
        .args(["plan", "plans/web-stack.yaml", "--from", "99"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn graph_dot_draws_restart_flow() {
    let output = comeback()
        .args(["graph", "plans/web-stack.yaml", "--format", "dot"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

#[test]
fn a_missing_plan_file_is_exit_2_not_a_panic() {
    let output = comeback()
        .args(["check", "does/not/exist.yaml"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: cannot read plan `does/not/exist.yaml`"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    comeback().args(["plan"]).assert().code(2);
    comeback()
        .args(["graph", "plans/web-stack.yaml", "--format", "png"])
        .assert()
        .code(2);
}

#[test]
fn completions_for_each_shell_name_every_command() {
    for shell in ["bash", "zsh", "fish"] {
        let out = comeback()
            .args(["completions", shell])
            .output()
            .expect("runs");
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        for command in [
            "check", "plan", "graph", "refs", "run", "resume", "audit", "import", "demo",
        ] {
            assert!(
                text.contains(command),
                "{shell} completions lack `{command}`"
            );
        }
    }
}

#[test]
fn every_command_has_an_example_in_its_help() {
    for command in [
        "check",
        "plan",
        "graph",
        "refs",
        "run",
        "resume",
        "audit",
        "import",
        "demo",
        "completions",
    ] {
        let out = comeback().args([command, "--help"]).output().expect("runs");
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("Example"),
            "`comeback {command} --help` has no example"
        );
    }
}

/// Values that would reach ssh as an option, or overflow a deadline, are plan errors.
#[test]
fn an_address_like_an_option_and_an_endless_duration_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (plan, expected) in [
        (
            "hosts:\n  a: { address: -oProxyCommand=x }\nservices:\n  s:\n    hosts: [a]\n    restart: \"true\"\n",
            "-oProxyCommand=x",
        ),
        (
            "hosts:\n  a: {}\nservices:\n  s:\n    hosts: [a]\n    restart: \"true\"\n    restart_timeout: 18446744073709551615s\n",
            "longer than 30 days",
        ),
    ] {
        let path = dir.path().join("plan.yaml");
        std::fs::write(&path, plan).expect("plan");
        let out = comeback().arg("check").arg(&path).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{plan}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// A plan error quotes its source line: a password or a webhook token on that line is masked.
#[test]
fn a_plan_error_never_quotes_a_secret_from_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plan.yaml");
    std::fs::write(
        &path,
        "hosts:\n  a: {}\nservices:\n  db:\n    hosts: [a]\n    restart: \"mysql -pS3CRET -e 'flush' {vars.nope}\"\nnotify:\n  - url: ftp://chat.example.com/hooks/T0KEN\n",
    )
    .expect("plan");
    let out = comeback().arg("check").arg(&path).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("vars.nope"), "{err}");
    assert!(err.contains("plan.yaml:6"), "{err}");
    assert!(err.contains("-p****"), "the line is still shown: {err}");
    assert!(err.contains("not an http(s) URL"), "{err}");
    assert!(!err.contains("S3CRET") && !err.contains("T0KEN"), "{err}");
}

/// Each `--> file:LINE:COL` of `comeback check`'s stderr, and the text its caret underlines.
fn carets(stderr: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(at) = line.trim_start().strip_prefix("--> ") else {
            continue;
        };
        let position = at.rsplitn(3, ':').take(2).collect::<Vec<_>>();
        let source = lines[i + 2];
        let caret = lines[i + 3];
        let start = caret.find('^').expect("a caret");
        let len = caret[start..].chars().take_while(|c| *c == '^').count();
        found.push((
            format!("{}:{}", position[1], position[0]),
            source[start..start + len].to_string(),
        ));
    }
    found
}

/// Carets stand under the placeholder they are about: two alike on one line, one on the third
/// line of a block scalar, one after escapes in a double-quoted scalar, a host's missing var,
/// and a placeholder inside backticks (refused: their text is read as code again).
#[test]
fn each_template_error_points_at_its_own_placeholder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plan.yaml");
    std::fs::write(
        &path,
        r#"hosts:
  a: { vars: { root: /srv } }
services:
  twice:
    hosts: [a]
    restart: run {hots} --again {hots}
  block:
    hosts: [a]
    restart: |
      set -e
      cd {vars.root}
      ./run {servce}
  escaped:
    hosts: [a]
    restart: "printf \"%s\\n\" \"{vars.root}\" {adress}"
  missing:
    hosts: [a]
    restart: |
      cd {vars.root}
      ./run --port {vars.port}
  backticks:
    hosts: [a]
    restart: echo "`cat {vars.root}`"
"#,
    )
    .expect("plan");
    let out = comeback().arg("check").arg(&path).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let expected = [
        ("6:18", "{hots}"),
        ("6:33", "{hots}"),
        ("12:13", "{servce}"),
        ("15:48", "{adress}"),
        ("20:20", "{vars.port}"),
        ("23:25", "{vars.root}"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(at, text)| (at.to_string(), text.to_string()))
        .collect();
    assert_eq!(carets(&err), expected, "{err}");
    assert!(
        err.contains("`{vars.root}` stands inside backticks: its value could run as code")
            && err.contains("belongs in a script on the host"),
        "{err}"
    );
}

/// A host's values reach the command as data, in every quoting: a real run of the command
/// writes them back byte for byte and runs nothing they hold.
#[test]
fn a_value_is_never_run_by_the_shell_in_any_quoting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plan.yaml");
    let out_file = dir.path().join("out");
    let hostile = "$(touch pwned) `touch pwned` \" ' \\ \\丁\"; touch pwned; #";
    let plan = format!(
        "hosts:\n  a: {{ connection: local, vars: {{ v: {}, out: {} }} }}\nservices:\n  s:\n    hosts: [a]\n    restart: printf %s \"x {{vars.v}}\" '{{vars.v}}' {{vars.v}} > {{vars.out}}\n    health: [{{ command: \"true\" }}]\n",
        serde_json::to_string(hostile).expect("json is YAML"),
        out_file.display()
    );
    std::fs::write(&path, plan).expect("plan");
    let out = comeback()
        .args(["run", "--yes"])
        .arg(&path)
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&out_file).expect("written"),
        format!("x {hostile}{hostile}{hostile}")
    );
    assert!(!dir.path().join("pwned").exists());
}

/// `check` on a one-service plan whose restart is `restart` and whose host has var `v`.
fn check_restart(restart: &str, v: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plan.yaml");
    let plan = format!(
        "hosts:\n  a: {{ vars: {{ v: {} }} }}\nservices:\n  s:\n    hosts: [a]\n    restart: {}\n    health: [{{ tcp: 1 }}]\n",
        serde_json::to_string(v).expect("json is YAML"),
        serde_json::to_string(restart).expect("json is YAML"),
    );
    std::fs::write(&path, plan).expect("plan");
    let out = comeback().arg("check").arg(&path).output().expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Issue 22, item 1: a value beginning with `-` where it starts an argument would be an option
/// (`--use-compress-program=...` runs a program): refused, unless `--` ends the options.
#[test]
fn a_value_that_would_be_an_option_is_refused_unless_after_double_dash() {
    let v = "--use-compress-program=touch /tmp/F";
    let (code, err) = check_restart("tar -cf b.tar {vars.v}", v);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("the value of `{vars.v}` for host `a` begins with `-`"),
        "{err}"
    );
    assert!(
        !err.contains("touch /tmp/F"),
        "the value is not shown: {err}"
    );
    let (code, err) = check_restart("tar -cf b.tar -- {vars.v}", v);
    assert_eq!(code, Some(0), "{err}");
    let (code, err) = check_restart("tar -cf b.tar {vars.v}", "backup/");
    assert_eq!(code, Some(0), "{err}");
}

/// Issue 22, item 1: words inside strings never refuse a command; a placeholder is refused
/// only where the command reads a string as shell code again, by the words' positions.
#[test]
fn only_commands_that_evaluate_a_string_refuse_placeholders() {
    for accepted in [
        "logger \"restart done, local state ok\"; /srv/app/restart {vars.v}",
        "logger 'eval and sh -c are words here' {vars.v}",
        "echo {vars.v} | grep -c local",
        "export APP_NAME={vars.v}; /srv/app/restart",
    ] {
        let (code, err) = check_restart(accepted, "x");
        assert_eq!(code, Some(0), "{accepted}: {err}");
    }
    for (refused, why) in [
        ("eval \"echo {vars.v}\"", "runs `eval`"),
        ("sh -c \"echo {vars.v}\"", "runs `sh -c`"),
        ("sudo su - app -c \"run {vars.v}\"", "runs `su -c`"),
        ("ssh db-01 \"echo {vars.v}\"", "runs `ssh`"),
        ("echo {vars.v} | xargs sh -c 'echo $0'", "runs `sh -c`"),
        ("x={vars.v}; echo $((x + 1))", "arithmetic"),
        ("echo `cat {vars.v}`", "inside backticks"),
    ] {
        let (code, err) = check_restart(refused, "x");
        assert_eq!(code, Some(2), "{refused}: {err}");
        assert!(
            err.contains("`{vars.v}` stands") && err.contains(why),
            "{refused}: {err}"
        );
    }
}
