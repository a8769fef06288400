//! Remote scripts run here, through `sh`, against stand-ins for the host's tools: the real
//! script's text, the tools' answers chosen by the test.

use std::os::unix::fs::PermissionsExt;

/// `script` through `sh`, with stand-in commands (name, body) first on its PATH and `files`
/// (name, text) in their folder, `$FIX` unless `env` says otherwise. Its exit status and its
/// output.
pub fn run(
    script: &str,
    standins: &[(&str, &str)],
    files: &[(&str, &[u8])],
    env: &[(&str, &str)],
) -> (bool, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("file");
    }
    for (name, body) in standins {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("stand-in");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("PATH", path)
        .env("FIX", dir.path())
        .envs(env.iter().copied())
        .output()
        .expect("sh");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}
