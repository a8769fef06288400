//! The pure core stays pure: the plan (load, validate, order) and the reference scanner import
//! nothing of the executor, the notifications, the printers or the CLI, so they run anywhere,
//! as a library, with no network and no terminal. Read from the `crate::` paths of their files.

use std::path::Path;

const CORE: &[&str] = &["src/plan", "src/refs"];
const OUTSIDE: &[&str] = &["exec", "notify", "print", "cli"];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::MODULE` a file names, in `use` lines and paths alike.
fn crate_modules(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '{')
            .collect();
        found.push(name);
    }
    found
}

#[test]
fn plan_and_refs_import_nothing_of_exec_notify_print_or_cli() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in CORE {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 10, "{files:?}");
    let mut wrong = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("source");
        for module in crate_modules(&text) {
            if module.starts_with('{') || OUTSIDE.contains(&module.as_str()) {
                wrong.push(format!("{}: crate::{module}", file.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the core imports outside it:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_reader_sees_every_form_of_a_crate_path() {
    assert_eq!(
        crate_modules(
            "use crate::exec::Event;\nlet x = crate::notify::f(); use crate::{print, cli};"
        ),
        ["exec", "notify", "{print"]
    );
}
