//! Issue 22, item 1: a value reaches the host as data, whatever the login shell and its locale.
//! bash in a GBK locale reads a lead byte and the `\` after it as one character: text quoted
//! with double quotes and backslashes there can close its quote early. A real sshd whose
//! sessions start bash in zh_CN.GBK, and a value made to exploit exactly that.

mod lab;
mod output;

use lab::Lab;
use output::exited;
use std::path::Path;
use std::process::Command;

/// Builds the zh_CN.GBK locale into `dir` (for `LOCPATH`): no change to the machine.
fn gbk_locale(dir: &Path) {
    std::fs::create_dir_all(dir).expect("locale dir");
    let out = Command::new("localedef")
        .args(["-c", "-i", "zh_CN", "-f", "GBK"])
        .arg(dir.join("zh_CN.GBK"))
        .output()
        .expect("localedef is installed (libc-bin)");
    assert!(
        dir.join("zh_CN.GBK").exists(),
        "localedef: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_value_never_runs_as_code_when_the_login_shell_is_bash_in_gbk() {
    let mut lab = Lab::start(1);
    let locales = lab.root.path().join("locales");
    gbk_locale(&locales);
    let mark = lab.root.path().join("F");
    // The premise: bash in this locale runs what follows `\` + `"` after a GBK lead byte (the
    // last byte of 丁 in UTF-8), inside double quotes.
    let probe = format!("echo \"\\\\丁\\\"; touch {}; #\"", mark.display());
    let _ = Command::new("bash")
        .args(["-c", &probe])
        .env("LOCPATH", &locales)
        .env("LC_ALL", "zh_CN.GBK")
        .output()
        .expect("bash");
    assert!(
        mark.exists(),
        "bash in zh_CN.GBK did not swallow the backslash"
    );
    std::fs::remove_file(&mark).expect("reset");

    let login = format!("LOCPATH={} LC_ALL=zh_CN.GBK", locales.display());
    lab.set_login_env(0, &login);
    let value = format!("\\丁\"; touch {}; #", mark.display());
    let plan = lab.plan(
        "  s:\n    hosts: [host-1]\n    restart: \"echo {vars.v}; printf %s {vars.v} > {vars.dir}/got\"\n    health: [{ command: \"true\" }]\n",
    );
    let text = std::fs::read_to_string(&plan).expect("plan");
    let text = text.replacen(
        "vars: { dir:",
        &format!(
            "vars: {{ v: {}, dir:",
            serde_json::to_string(&value).expect("JSON is YAML")
        ),
        1,
    );
    std::fs::write(&plan, text).expect("plan");
    let out = lab.run("run", &plan, &["--yes"]);
    exited(&out, 0);
    assert!(!mark.exists(), "the value ran as code");
    let got = std::fs::read_to_string(lab.hosts[0].dir.join("got")).expect("written");
    assert_eq!(got, value, "the value arrives byte for byte");
}
