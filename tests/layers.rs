//! The layers stay true, read from the source: every `crate::` path a file names (in `use`
//! lines and inline paths alike, groups `crate::{a, b}` included) and every `super::` path that
//! climbs to the crate's root. A rule names a layer and what it must never import.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Who must not import whom, and why.
struct Rule {
    /// The top-level modules the rule holds for; `["*"]`: every one but those in `except`.
    layer: &'static [&'static str],
    except: &'static [&'static str],
    never: &'static [&'static str],
    why: &'static str,
}

const RULES: &[Rule] = &[
    Rule {
        layer: &["plan", "refs"],
        except: &[],
        never: &["exec", "notify", "print", "cli"],
        why: "the pure core (plan, refs) runs anywhere as a library: no run, no network, no terminal",
    },
    Rule {
        layer: &["report"],
        except: &[],
        never: &["print"],
        why: "the report is built from events, not through the terminal's printers",
    },
    Rule {
        layer: &["redact"],
        except: &[],
        never: &["refs"],
        why: "the scanner masks through redact; the two know each other one way only",
    },
    Rule {
        layer: &["*"],
        except: &["cli", "print", "replay"],
        never: &["print", "cli"],
        why: "the printers and the CLI (and the benchmark's replay, which drives the printers as the CLI does) are the top: nothing below them imports them",
    },
    Rule {
        layer: &["print"],
        except: &[],
        never: &["cli"],
        why: "the printers print what they are given; the CLI calls them, not the reverse",
    },
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file under `src/`: `report/proof.rs` is `[report, proof]`,
/// `report/mod.rs` is `[report]`, `lib.rs` is `[]`.
fn module_of(relative: &str) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The leading identifier of `text` (after blanks).
fn ident(text: &str) -> String {
    text.trim_start()
        .chars()
        .take_while(|&c| is_ident(c))
        .collect()
}

/// The first identifier of each entry of the group that `text` opens with `{`.
fn group(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0;
    let mut entry_start = true;
    for (i, c) in text.char_indices() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    entry_start = true;
                    continue;
                }
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => {
                entry_start = true;
                continue;
            }
            _ => {}
        }
        if depth == 1 && entry_start && !c.is_whitespace() {
            entry_start = false;
            let name = ident(&text[i..]);
            if !name.is_empty() && name != "self" {
                names.push(name);
            }
        }
    }
    names
}

/// The names at the head of the path that `text` starts with: one, or each of a group's.
fn heads(text: &str) -> Vec<String> {
    if text.trim_start().starts_with('{') {
        group(text.trim_start())
    } else {
        let name = ident(text);
        if name.is_empty() { vec![] } else { vec![name] }
    }
}

/// Every top-level module a file (module path `module`) names: through `crate::`, and through
/// `super::` chains that climb to the root. Comments (from `//` on) are skipped.
fn crate_modules(module: &[String], text: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .map(|l| l.split_once("//").map_or(l, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = BTreeSet::new();
    let mut at = 0;
    while at < code.len() {
        let rest = &code[at..];
        let Some(next) = rest.find(|c: char| is_ident(c)) else {
            break;
        };
        let word_start = at + next;
        let word = ident(&code[word_start..]);
        let before = code[..word_start].chars().next_back();
        at = word_start + word.len().max(1);
        if before.is_some_and(|c| c == '$' || c == ':') {
            continue;
        }
        match word.as_str() {
            "crate" if code[at..].starts_with("::") => {
                found.extend(heads(&code[at + 2..]));
            }
            "super" if code[at..].starts_with("::") => {
                let mut climbs = 1;
                let mut after = at + 2;
                while code[after..].starts_with("super::") {
                    climbs += 1;
                    after += "super::".len();
                }
                // From inside an inline `mod tests`, one climb fewer is needed: counting from
                // the file's own module errs towards seeing the root.
                if climbs >= module.len() {
                    found.extend(heads(&code[after..]));
                }
                at = after;
            }
            _ => {}
        }
    }
    found
}

/// What the file `relative` (under `src/`) imports that a rule forbids.
fn violations(relative: &str, text: &str) -> Vec<String> {
    let module = module_of(relative);
    let Some(top) = module.first() else {
        return vec![];
    };
    let imported = crate_modules(&module, text);
    let mut wrong = Vec::new();
    for rule in RULES {
        let applies = if rule.layer == ["*"] {
            !rule.except.contains(&top.as_str())
        } else {
            rule.layer.contains(&top.as_str())
        };
        if !applies {
            continue;
        }
        for never in rule.never {
            if imported.contains(*never) && top != never {
                wrong.push(format!(
                    "src/{relative} imports crate::{never}: {}",
                    rule.why
                ));
            }
        }
    }
    wrong
}

#[test]
fn every_module_keeps_to_its_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 50, "{files:?}");
    let mut wrong = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        let relative = relative.to_string_lossy().replace('\\', "/");
        if relative == "main.rs" {
            // The binary is another crate: it reaches the library as `comeback::`.
            continue;
        }
        let text = std::fs::read_to_string(file).expect("source");
        wrong.extend(violations(&relative, &text));
    }
    assert!(wrong.is_empty(), "layers broken:\n{}", wrong.join("\n"));
}

#[test]
fn the_reader_sees_every_form_of_a_crate_path() {
    let names = |module: &[&str], text: &str| {
        let module: Vec<String> = module.iter().map(|m| m.to_string()).collect();
        crate_modules(&module, text).into_iter().collect::<Vec<_>>()
    };
    assert_eq!(
        names(
            &["plan", "graph"],
            "use crate::exec::Event;\nlet x = crate::notify::f(); use crate::{print::{self, x}, self, cli};\n\
             use crate::{\n    human,\n    eta::Clock,\n};"
        ),
        ["cli", "eta", "exec", "human", "notify", "print"]
    );
    // `super::` that climbs to the root names a top-level module; one that does not, a sibling.
    assert_eq!(
        names(&["report", "proof"], "use super::super::print;"),
        ["print"]
    );
    assert_eq!(names(&["report"], "use super::print::x;"), ["print"]);
    assert!(names(&["report", "proof"], "use super::print;").is_empty());
    // Not a path of this crate: `$crate::` in macros, `other::crate::`, comment lines.
    assert!(
        names(
            &["plan"],
            "$crate::exec::f(); // crate::print\n  /// [x](crate::cli)"
        )
        .is_empty()
    );
}

#[test]
fn each_rule_fails_when_broken() {
    let broken = [
        ("plan/graph.rs", "use crate::exec::Event;"),
        ("plan/mod.rs", "let _ = crate::notify::Feed::new();"),
        ("refs/scan.rs", "use crate::{human, print::progress};"),
        ("refs/mod.rs", "fn f() -> crate::cli::Args { todo!() }"),
        (
            "report/mod.rs",
            "graph: crate::print::graph::mermaid(model),",
        ),
        ("report/proof.rs", "use super::super::print::proof;"),
        (
            "redact.rs",
            "for x in crate::refs::url_authorities(text) {}",
        ),
        ("exec/step.rs", "use crate::print;"),
        ("journal/mod.rs", "crate::cli::run::drive();"),
        ("print/progress.rs", "use crate::cli::args::LogFormat;"),
    ];
    for (file, text) in broken {
        assert!(!violations(file, text).is_empty(), "{file}: {text}");
    }
    let fine = [
        (
            "plan/graph.rs",
            "use crate::human::count; use super::model::Model;",
        ),
        ("refs/scan.rs", "use crate::redact; use crate::url;"),
        (
            "report/mod.rs",
            "use crate::diagram; use crate::exec::Event;",
        ),
        ("redact.rs", "use crate::plan::Model; use crate::url;"),
        ("cli/mod.rs", "use crate::print; use crate::cli::args::Cli;"),
        (
            "print/progress.rs",
            "use crate::exec::Event; use super::proof;",
        ),
    ];
    for (file, text) in fine {
        assert!(
            violations(file, text).is_empty(),
            "{file}: {text}: {:?}",
            violations(file, text)
        );
    }
}
