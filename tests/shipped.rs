//! What the package ships, as the binary itself gives it: the version with the commit it was
//! built from, and completions that offer only the commands an operator can see. (The package
//! itself is built, installed and tried by `scripts/package-test`.)

use assert_cmd::Command;

fn comeback(args: &[&str]) -> String {
    let out = Command::cargo_bin("comeback")
        .expect("binary built")
        .args(args)
        .output()
        .expect("runs");
    assert!(out.status.success(), "comeback {args:?} failed");
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn git(args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("git")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let mut expected = format!("comeback {}", env!("CARGO_PKG_VERSION"));
    let top = git(&["rev-parse", "--show-toplevel"]).map(std::path::PathBuf::from);
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if top.is_some_and(|top| top.canonicalize().ok() == here.canonicalize().ok()) {
        let commit = git(&["log", "-1", "--format=%h %cs"]).expect("HEAD has a commit");
        expected.push_str(&format!(" ({commit})"));
    }
    assert_eq!(comeback(&["--version"]).trim_end(), expected);
}

#[test]
fn completions_do_not_offer_the_hidden_demo_service() {
    for shell in ["bash", "zsh", "fish"] {
        let text = comeback(&["completions", shell]);
        assert!(text.contains("completions"), "{shell}: no commands at all");
        assert!(
            !text.contains("demo-service"),
            "{shell} offers demo-service"
        );
    }
    // Hidden from completions, still there for the demo's restart script.
    assert!(comeback(&["demo-service", "--help"]).contains("--listen"));
}
