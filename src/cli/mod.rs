//! The command line: clap definitions, one function per command, exit codes. Thin by design.

mod demo;
mod discover;
mod run;

use crate::exit;
use crate::plan::{self, LoadedPlan, Selection};
use crate::print;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "comeback",
    version,
    about = "Restart every service of an inherited infrastructure, one at a time, in dependency order, and prove each one comes back.",
    after_help = "Exit codes: 0 ok, 1 a step failed, 2 invalid plan or usage, 3 stale config references, 4 locked, 130 interrupted."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse and validate a plan; print its warnings. No network.
    #[command(after_help = "Example:\n  comeback check plans/web-stack.yaml")]
    Check { plan: PathBuf },
    /// Print the ordered steps, offline.
    #[command(
        after_help = "Examples:\n  comeback plan plans/web-stack.yaml\n  comeback plan plans/web-stack.yaml --only app --with-dependents --format json"
    )]
    Plan {
        plan: PathBuf,
        #[command(flatten)]
        selection: SelectionArgs,
        #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
        format: PlanFormat,
    },
    /// Print the service dependency graph.
    #[command(
        after_help = "Examples:\n  comeback graph plans/web-stack.yaml --format mermaid\n  comeback graph plans/web-stack.yaml --format dot | dot -Tsvg > graph.svg"
    )]
    Graph {
        plan: PathBuf,
        #[arg(long, value_enum)]
        format: GraphFormat,
    },
    /// List the hosts that local config files reference. No network.
    #[command(
        after_help = "Examples:\n  comeback refs /etc/mysql/mariadb.conf.d/60-galera.cnf\n  comeback refs /etc/haproxy/haproxy.cfg /srv/shop/etc/shop.env --format json"
    )]
    Refs {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
        format: PlanFormat,
    },
    /// The controlled restart (or, with --dry-run, a read-only pass).
    #[command(
        after_help = "Examples:\n  comeback run plans/web-stack.yaml --dry-run\n  comeback run plans/web-stack.yaml --only mariadb --with-dependents\n  comeback run plans/web-stack.yaml --yes --log-format json 2> run.jsonl"
    )]
    Run(run::RunArgs),
    /// Continue the last halted run from its journal, starting with the step that failed.
    #[command(after_help = "Example:\n  comeback resume --plan plans/web-stack.yaml")]
    Resume(run::ResumeArgs),
    /// Print a plan skeleton from an existing inventory (Ansible INI or YAML, or CSV).
    #[command(
        after_help = "Examples:\n  comeback import ansible /etc/ansible/hosts > plan.yaml\n  comeback import csv inventory.csv > plan.yaml"
    )]
    Import {
        #[arg(value_enum)]
        kind: ImportKind,
        file: PathBuf,
    },
    /// Read-only: what runs on each host and what talks to what; a draft plan to review.
    #[command(
        after_help = "Examples:\n  comeback discover hosts.yaml --out plan.yaml --report discovery.md\n  comeback discover plan.yaml --format json > discovery.json\n\nExit codes: 0 every host read, 1 a host could not be read (the rest is written), 2 invalid plan or usage."
    )]
    Discover(discover::DiscoverArgs),
    /// Run the whole job on a small real stack on this machine: dry run, fix, restart, report.
    #[command(
        after_help = "Example:\n  comeback demo\n  comeback demo --dir /tmp/comeback-demo   # keep its plan, configs and report"
    )]
    Demo {
        /// Where to put the demo's plan, configs, logs and report [default: a temporary folder].
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Read-only takeover audit: health, config references, drift, risks; writes report.md and report.json.
    #[command(
        after_help = "Example:\n  comeback audit plans/web-stack.yaml\n\nExit codes as for `run --dry-run`: 0 nothing blocks a restart, 1 a check fails or a host is unreachable, 3 stale config references."
    )]
    Audit(run::AuditArgs),
    /// Serve as a small demo service (used by the demo and the test lab).
    #[command(hide = true)]
    DemoService {
        #[arg(long)]
        listen: String,
        #[arg(long)]
        config: PathBuf,
    },
    /// Print shell completions.
    #[command(
        after_help = "Example:\n  comeback completions bash > /etc/bash_completion.d/comeback"
    )]
    Completions { shell: clap_complete::Shell },
}

#[derive(Args, Debug, Clone, Default)]
pub struct SelectionArgs {
    /// Only this service (repeatable).
    #[arg(long = "only", value_name = "SERVICE")]
    pub only: Vec<String>,
    /// Only these hosts: a host name or `group:NAME` (repeatable).
    #[arg(long = "limit", value_name = "HOST|group:NAME")]
    pub limit: Vec<String>,
    /// Add every service downstream of the selection, on every host.
    #[arg(long)]
    pub with_dependents: bool,
    /// Start at this step: its number or `service@host`.
    #[arg(long, value_name = "STEP")]
    pub from: Option<String>,
}

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

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    Ansible,
    Csv,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

/// A failure that ends the command with an exit code, its message already on stderr.
pub struct Exit(pub i32);

pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Check { plan } => check(&plan),
        Command::Plan {
            plan,
            selection,
            format,
        } => show_plan(&plan, selection.into(), format),
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
                &mut Cli::command(),
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
        print::count(m.hosts.len(), "host"),
        print::count(m.services.len(), "service"),
        print::count(m.instance_count(), "step"),
        print::count(loaded.warnings.len(), "warning")
    ));
    Ok(())
}

fn show_plan(path: &std::path::Path, selection: Selection, format: PlanFormat) -> Result<(), Exit> {
    let loaded = load(path)?;
    let plan = select(&loaded, &selection)?;
    match format {
        PlanFormat::Text => stdout(&print::plan::text(&loaded.model, &plan)),
        PlanFormat::Json => stdout(&format!("{:#}\n", print::plan::json(&loaded.model, &plan))),
    }
    Ok(())
}

fn graph(path: &std::path::Path, format: GraphFormat) -> Result<(), Exit> {
    let loaded = load(path)?;
    match format {
        GraphFormat::Dot => stdout(&print::graph::dot(&loaded.model)),
        GraphFormat::Mermaid => stdout(&print::graph::mermaid(&loaded.model)),
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
        let text = std::fs::read(file).map_err(|e| {
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
                let target = match r.port {
                    Some(port) if r.host.contains(':') => format!("[{}]:{port}", r.host),
                    Some(port) => format!("{}:{port}", r.host),
                    None => r.host.clone(),
                };
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
                    serde_json::json!({"file": file, "line": r.line, "column": r.column, "host": r.host, "port": r.port, "text": r.text})
                })
                .collect();
            stdout(&format!("{:#}\n", serde_json::Value::Array(rows)));
        }
    }
    Ok(())
}

fn import(kind: ImportKind, file: &std::path::Path) -> Result<(), Exit> {
    let text = std::fs::read_to_string(file).map_err(|e| {
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
