//! Secrets are masked by key names and known flags everywhere text leaves comeback (issue 10,
//! item 6): the terminal, the JSON log, the journal, the reports and `plan --format json`.

mod output;

use assert_cmd::Command;
use output::exited;

const SECRET: &str = "hunter2xyz";

fn plan(dir: &std::path::Path, services: &str) -> std::path::PathBuf {
    let path = dir.join("plan.yaml");
    std::fs::write(
        &path,
        format!(
            "hosts:\n  here: {{ connection: local }}\ndefaults:\n  health: {{ timeout: 1s, interval: 100ms, settle: 0s }}\nservices:\n{services}"
        ),
    )
    .expect("plan");
    path
}

/// Every file the run wrote under the state dir, and what it printed, with no secret.
fn assert_nowhere(dir: &std::path::Path, printed: &str) {
    assert!(!printed.contains(SECRET), "printed:\n{printed}");
    let mut files = 0;
    for run in std::fs::read_dir(dir.join(".comeback/runs"))
        .expect("runs")
        .flatten()
    {
        for file in std::fs::read_dir(run.path()).expect("run").flatten() {
            // Read as bytes: the journal's key is binary.
            let text =
                String::from_utf8_lossy(&std::fs::read(file.path()).expect("read")).into_owned();
            assert!(!text.contains(SECRET), "{}:\n{text}", file.path().display());
            files += 1;
        }
    }
    assert!(files >= 3, "journal, report.md, report.json");
}

#[test]
fn a_failing_checks_output_is_masked_by_key_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conf = dir.path().join("redis.conf");
    std::fs::write(
        &conf,
        format!("requirepass {SECRET}\nmasterauth {SECRET}\nsecret_key = {SECRET}\n"),
    )
    .expect("conf");
    let plan = plan(
        dir.path(),
        &format!(
            "  cache:\n    hosts: [here]\n    restart: \"true\"\n    health:\n      - command: \"cat {}; exit 1\"\n",
            conf.display()
        ),
    );
    for format in ["text", "json"] {
        let out = Command::cargo_bin("comeback")
            .expect("bin")
            .arg("run")
            .arg(&plan)
            .args(["--yes", "--log-format", format])
            .output()
            .expect("runs");
        let err = exited(&out, 1);
        assert!(err.contains("requirepass ****"), "{err}");
        assert_nowhere(dir.path(), &err);
    }
}

#[test]
fn a_failing_restarts_command_line_is_masked_by_its_flags() {
    for restart in [
        format!("mysqladmin --password {SECRET} shutdown; exit 3"),
        format!("mysql -uroot -p{SECRET} -e 'restart'; exit 3"),
        format!("redis-cli -h 127.0.0.1 -a {SECRET} shutdown; exit 3"),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let plan = plan(
            dir.path(),
            &format!("  db:\n    hosts: [here]\n    restart: \"{restart}\"\n"),
        );
        let out = Command::cargo_bin("comeback")
            .expect("bin")
            .arg("run")
            .arg(&plan)
            .arg("--yes")
            .output()
            .expect("runs");
        let err = exited(&out, 1);
        assert!(err.contains("FAILED in restart"), "{err}");
        assert_nowhere(dir.path(), &err);
    }
}

#[test]
fn plan_json_masks_url_passwords_and_key_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = plan(
        dir.path(),
        &format!(
            "  web:\n    hosts: [here]\n    restart: \"app restart password={SECRET}\"\n    health: [{{ http: \"http://admin:{SECRET}@127.0.0.1:1/health\" }}]\n"
        ),
    );
    let out = Command::cargo_bin("comeback")
        .expect("bin")
        .arg("plan")
        .arg(&plan)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert!(!text.contains(SECRET), "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).expect("still JSON");
    assert_eq!(json["steps"][0]["restart"], "app restart password=****");
}

/// Issue 22, item 6: a var named like a secret is masked wherever its value shows, by name.
#[test]
fn a_var_named_like_a_secret_is_masked_in_plan_json_and_on_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plan.yaml");
    std::fs::write(
        &path,
        format!(
            "hosts:\n  here: {{ connection: local, vars: {{ db_password: {SECRET} }} }}\ndefaults:\n  health: {{ timeout: 1s, interval: 100ms, settle: 0s }}\nservices:\n  db:\n    hosts: [here]\n    restart: \"app --db {{vars.db_password}}; echo using {{vars.db_password}} >&2; exit 3\"\n"
        ),
    )
    .expect("plan");
    let out = Command::cargo_bin("comeback")
        .expect("bin")
        .arg("plan")
        .arg(&path)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!text.contains(SECRET), "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert!(
        json["steps"][0]["restart"]
            .as_str()
            .expect("restart")
            .starts_with("app --db ****"),
        "{text}"
    );
    for format in ["text", "json"] {
        let out = Command::cargo_bin("comeback")
            .expect("bin")
            .arg("run")
            .arg(&path)
            .args(["--yes", "--log-format", format])
            .output()
            .expect("runs");
        let err = exited(&out, 1);
        assert!(err.contains("using ****"), "{err}");
        assert_nowhere(dir.path(), &err);
    }
}

/// Issue 22, item 6: credential headers, `curl -u`, `sshpass -p` and `openssl -k`, and the
/// same secret in another field of the failure (the command's output).
#[test]
fn credential_headers_and_flags_are_masked_in_every_field_of_a_failure() {
    for restart in [
        format!(
            "curl -sf -H 'Authorization: Bearer {SECRET}' http://127.0.0.1:1/; echo token {SECRET} >&2; exit 3"
        ),
        format!("curl -sf -u admin:{SECRET} http://127.0.0.1:1/; echo as {SECRET} >&2; exit 3"),
        format!("sshpass -p {SECRET} ssh nowhere true; echo tried {SECRET} >&2; exit 3"),
        format!("openssl enc -aes256 -k {SECRET} -in /dev/null; echo key {SECRET} >&2; exit 3"),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let plan = plan(
            dir.path(),
            &format!("  db:\n    hosts: [here]\n    restart: \"{restart}\"\n"),
        );
        let out = Command::cargo_bin("comeback")
            .expect("bin")
            .arg("run")
            .arg(&plan)
            .arg("--yes")
            .output()
            .expect("runs");
        let err = exited(&out, 1);
        assert!(err.contains("FAILED in restart"), "{err}");
        assert_nowhere(dir.path(), &err);
    }
}

/// Issue 22, item 6: the pid file a command leaves on its host while it runs holds it masked,
/// its vars named like secrets included.
#[test]
fn the_remote_pid_file_keeps_no_secret() {
    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("home");
    std::fs::create_dir(&home).expect("home");
    let copy = dir.path().join("pid-copy");
    let path = dir.path().join("plan.yaml");
    std::fs::write(
        &path,
        format!(
            "hosts:\n  here: {{ connection: local, vars: {{ api_token: {SECRET}, copy: {} }} }}\nservices:\n  db:\n    hosts: [here]\n    restart: \"for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do [ -s \\\"$HOME\\\"/.comeback/runs/*/*/*.pid ] && break; sleep 0.1; done; cat \\\"$HOME\\\"/.comeback/runs/*/*/*.pid > {{vars.copy}}; sshpass -p {SECRET} true; app --token {{vars.api_token}} || true\"\n    health: [{{ command: \"true\" }}]\n",
            copy.display()
        ),
    )
    .expect("plan");
    let out = Command::cargo_bin("comeback")
        .expect("bin")
        .arg("run")
        .arg(&path)
        .arg("--yes")
        .env("HOME", &home)
        .output()
        .expect("runs");
    exited(&out, 0);
    let kept = std::fs::read_to_string(&copy).expect("the command copied its pid file");
    // The wrapper writes the pid file just after it starts the command, which waits for it.
    assert!(kept.starts_with("for i in "), "{kept}");
    assert!(!kept.contains(SECRET), "{kept}");
}
