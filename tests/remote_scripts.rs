//! The shell scripts comeback runs on hosts live in `src/remote/*.sh`: every one of them is
//! loaded by an `include_str!` somewhere in `src` (none is left behind, unused and unchecked)
//! and parses under `dash -n`, the strictest of the shells a host runs them with.
//! `scripts/test` also runs `shellcheck -s sh` on them.

use std::path::{Path, PathBuf};

const REMOTE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/remote");
const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

fn scripts() -> Vec<PathBuf> {
    let mut out = Vec::new();
    files(Path::new(REMOTE), "sh", &mut out);
    out.sort();
    assert!(!out.is_empty(), "no script in {REMOTE}");
    out
}

#[test]
fn every_remote_script_is_included_by_the_source() {
    let mut sources = Vec::new();
    files(Path::new(SRC), "rs", &mut sources);
    let text: String = sources
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("source"))
        .collect();
    let orphans: Vec<String> = scripts()
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .filter(|name| !text.contains(&format!("remote/{name}\")")))
        .collect();
    assert!(
        orphans.is_empty(),
        "no include_str! loads {orphans:?}: remove them or use them"
    );
}

#[test]
fn every_remote_script_parses_under_dash() {
    for script in scripts() {
        let out = std::process::Command::new("/usr/bin/dash")
            .arg("-n")
            .arg(&script)
            .output()
            .expect("dash");
        assert!(
            out.status.success(),
            "{}: {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Each file says why it exists before anything else.
#[test]
fn every_remote_script_opens_with_its_reason() {
    for script in scripts() {
        let text = std::fs::read_to_string(&script).expect("script");
        let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
        assert!(
            header.iter().any(|l| l.starts_with("# Why: ")),
            "{} has no `# Why:` header",
            script.display()
        );
    }
}
