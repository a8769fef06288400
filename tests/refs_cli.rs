//! `comeback refs`: the JSON entries carry `kind` and `strength`; the text marks them.

use assert_cmd::Command;

fn refs(format: &str, text: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("app.conf");
    std::fs::write(&file, text).expect("write");
    let out = Command::cargo_bin("comeback")
        .expect("binary")
        .args(["refs", "--format", format])
        .arg(&file)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).expect("utf-8")
}

const CONFIG: &str = "bind-address = 10.0.0.5\nupstream = db-01:5432\nrun = app:8080\n";

#[test]
fn json_entries_say_kind_and_strength() {
    let json: serde_json::Value = serde_json::from_str(&refs("json", CONFIG)).expect("json");
    let entries: Vec<(String, String, String)> = json
        .as_array()
        .expect("array")
        .iter()
        .map(|e| {
            (
                e["host"].as_str().expect("host").to_string(),
                e["kind"].as_str().expect("kind").to_string(),
                e["strength"].as_str().expect("strength").to_string(),
            )
        })
        .collect();
    let entry = |h: &str, k: &str, s: &str| (h.to_string(), k.to_string(), s.to_string());
    assert_eq!(
        entries,
        [
            entry("10.0.0.5", "listen", "strong"),
            entry("db-01", "connect", "strong"),
            entry("app", "connect", "weak"),
        ]
    );
}

#[test]
fn text_marks_listen_and_weak_references() {
    let text = refs("text", CONFIG);
    assert!(text.contains("\t10.0.0.5 (listen)\t"), "{text}");
    assert!(text.contains("\tdb-01:5432\t"), "{text}");
    assert!(text.contains("\tapp:8080 (weak)\t"), "{text}");
}
