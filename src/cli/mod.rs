//! The command line: clap definitions, one function per command, exit codes. Thin by design.

/// The clap definitions, kept free of the rest of the crate so that build.rs can include them.
mod args;
mod demo;
mod discover;
mod pace;
mod run;

pub(crate) use args::*;

use crate::diagram;
use crate::exit;
use crate::plan::{self, LoadedPlan, Selection};
use crate::print;
use std::io::Write;
use std::path::PathBuf;

impl From<SelectionArgs> for Selection {
    fn from(a: SelectionArgs) -> Selection {
        Selection {
            only: a.only,
            limit: a.limit,
            with_dependents: a.with_dependents,
            from: a.from,
        }
    }
}

/// A failure that ends the command with an exit code, its message already on stderr.
pub struct Exit(pub i32);

/// Parses the command line and runs its command: the binary's whole `main`, returning its exit
/// code.
pub fn main() -> i32 {
    use clap::Parser;
    match Cli::try_parse() {
        Ok(cli) => run(cli),
        Err(e) => {
            // Usage errors are exit 2 like invalid plans; --help and --version are not errors.
            let _ = e.print();
            if e.use_stderr() {
                exit::INVALID
            } else {
                exit::OK
            }
        }
    }
}

fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Check { plan } => check(&plan),
        Command::Plan {
            plan,
            selection,
            format,
            state_dir,
        } => show_plan(&plan, selection.into(), format, state_dir.as_deref()),
        Command::Graph { plan, format } => graph(&plan, format),
        Command::Refs { files, format } => refs(&files, format),
        Command::Run(args) => run::run(args),
        Command::Resume(args) => run::resume(args),
        Command::Audit(args) => run::audit(args),
        Command::Demo { dir } => demo::demo(dir),
        Command::Discover(args) => discover::discover(args),
        Command::Import { kind, file } => import(kind, &file),
        Command::DemoService { listen, config } => {
            match crate::demo::service::serve(&listen, &config) {
                0 => Ok(()),
                code => Err(Exit(code)),
            }
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut completion_command(),
                "comeback",
                &mut std::io::stdout(),
            );
            Ok(())
        }
    };
    match result {
        Ok(()) => exit::OK,
        Err(Exit(code)) => code,
    }
}

/// Loads a plan, printing its warnings, or its errors and exit code 2.
pub fn load(path: &std::path::Path) -> Result<LoadedPlan, Exit> {
    match plan::load(path) {
        Ok(loaded) => {
            // From here on, every text that leaves comeback masks the plan's secret values.
            crate::redact::remember_plan(&loaded.model);
            let shown = path.display().to_string();
            for w in &loaded.warnings {
                eprintln!("{}\n", w.render(&shown, &loaded.source));
            }
            Ok(loaded)
        }
        Err(e) => {
            eprint!("{}", e.render());
            Err(Exit(exit::INVALID))
        }
    }
}

pub fn select(loaded: &LoadedPlan, selection: &Selection) -> Result<plan::Plan, Exit> {
    plan::plan(&loaded.model, selection).map_err(|e| {
        eprintln!("error: {e}");
        if let Some(hint) = e.hint() {
            eprintln!("  = help: {hint}");
        }
        Exit(exit::INVALID)
    })
}

fn check(path: &std::path::Path) -> Result<(), Exit> {
    let loaded = load(path)?;
    let m = &loaded.model;
    stdout(&format!(
        "ok: {} is valid: {}, {}, {}, {}\n",
        path.display(),
        crate::human::count(m.hosts.len(), "host"),
        crate::human::count(m.services.len(), "service"),
        crate::human::count(m.instance_count(), "step"),
        crate::human::count(loaded.warnings.len(), "warning")
    ));
    Ok(())
}

fn show_plan(
    path: &std::path::Path,
    selection: Selection,
    format: PlanFormat,
    state_dir: Option<&std::path::Path>,
) -> Result<(), Exit> {
    let loaded = load(path)?;
    let plan = select(&loaded, &selection)?;
    // With earlier runs in the state folder, the window's length is known before it starts.
    let state_dir = run::state_dir(state_dir, Some(path));
    let total =
        crate::eta::Estimates::from_state_dir(&state_dir).total(&loaded.model, &plan.steps, 0);
    match format {
        PlanFormat::Text => stdout(&format!(
            "{}{}",
            print::plan::text(&loaded.model, &plan),
            total.map_or(String::new(), |ms| format!(
                "Expected duration: {} (median of earlier runs)\n",
                crate::human::duration(std::time::Duration::from_millis(ms))
            ))
        )),
        PlanFormat::Json => stdout(&format!("{:#}\n", print::plan::json(&loaded.model, &plan))),
    }
    Ok(())
}

fn graph(path: &std::path::Path, format: GraphFormat) -> Result<(), Exit> {
    let loaded = load(path)?;
    match format {
        GraphFormat::Dot => stdout(&diagram::dot(&loaded.model)),
        GraphFormat::Mermaid => stdout(&diagram::mermaid(&loaded.model)),
    }
    Ok(())
}

/// Data goes to stdout; a reader that went away (`| head`) is not an error worth a panic.
pub fn stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn refs(files: &[PathBuf], format: PlanFormat) -> Result<(), Exit> {
    let mut found = Vec::new();
    for file in files {
        let text = crate::local_file::read(file, crate::local_file::CONFIG_LIMIT).map_err(|e| {
            eprintln!("error: cannot read `{}`: {e}", file.display());
            Exit(exit::INVALID)
        })?;
        let text = String::from_utf8_lossy(&text);
        let shown = file.display().to_string();
        found.extend(
            crate::refs::scan(&text, &Default::default())
                .into_iter()
                .map(|r| (shown.clone(), r)),
        );
    }
    match format {
        PlanFormat::Text => {
            let mut out = String::new();
            for (file, r) in &found {
                let mut target = match r.port {
                    Some(port) => crate::human::host_port(&r.host, port),
                    None => r.host.clone(),
                };
                match r.kind {
                    crate::refs::Kind::Connect => {}
                    crate::refs::Kind::Listen => target.push_str(" (listen)"),
                    crate::refs::Kind::Member => target.push_str(" (member)"),
                }
                if r.strength == crate::refs::Strength::Weak {
                    target.push_str(" (weak)");
                }
                out.push_str(&format!(
                    "{file}:{}:{}\t{target}\t{}\n",
                    r.line,
                    r.column,
                    r.text.trim()
                ));
            }
            stdout(&out);
        }
        PlanFormat::Json => {
            let rows: Vec<serde_json::Value> = found
                .iter()
                .map(|(file, r)| {
                    serde_json::json!({"file": file, "line": r.line, "column": r.column, "host": r.host, "port": r.port, "text": r.text, "kind": r.kind, "strength": r.strength})
                })
                .collect();
            stdout(&format!("{:#}\n", serde_json::Value::Array(rows)));
        }
    }
    Ok(())
}

fn import(kind: ImportKind, file: &std::path::Path) -> Result<(), Exit> {
    let text = crate::local_file::read_to_string(file, crate::local_file::INVENTORY_LIMIT)
        .map_err(|e| {
            eprintln!("error: cannot read `{}`: {e}", file.display());
            Exit(exit::INVALID)
        })?;
    let hosts = match kind {
        ImportKind::Ansible => crate::import::ansible(&text),
        ImportKind::Csv => crate::import::csv(&text),
    }
    .map_err(|e| {
        eprintln!("error: {}:{e}", file.display());
        Exit(exit::INVALID)
    })?;
    if hosts.is_empty() {
        eprintln!("error: {}: no hosts found", file.display());
        return Err(Exit(exit::INVALID));
    }
    stdout(&crate::import::skeleton(
        &hosts,
        &file.display().to_string(),
    ));
    Ok(())
}
