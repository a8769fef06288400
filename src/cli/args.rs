// The clap definitions of the command line, and nothing else: build.rs includes this file to
// write the man pages and shell completions the package ships, so it may only use clap and std
// (and, being included, cannot have a `//!` doc line).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// What `comeback --version` prints: build.rs adds the commit when built from a git checkout.
const VERSION: &str = match option_env!("COMEBACK_VERSION") {
    Some(version) => version,
    None => env!("CARGO_PKG_VERSION"),
};

/// The command line as shell completions offer it: without hidden subcommands (`demo-service`).
/// clap's completion generators list hidden subcommands and clap cannot remove one, so the top
/// level is built again from the visible ones.
pub(crate) fn completion_command() -> clap::Command {
    let cli = <Cli as clap::CommandFactory>::command();
    let visible: Vec<clap::Command> = cli
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .cloned()
        .collect();
    clap::Command::new("comeback")
        .version(VERSION)
        .args(cli.get_arguments().cloned())
        .subcommands(visible)
}

#[derive(Parser, Debug)]
#[command(
    name = "comeback",
    version = VERSION,
    about = "Restart every service of an inherited infrastructure, one at a time, in dependency order, and prove each one comes back.",
    after_help = "Exit codes: 0 ok, 1 a step failed, 2 invalid plan or usage, 3 stale config references, 4 locked, 130 interrupted."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
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
        /// Where earlier runs' journals are read for the expected duration [default: .comeback/
        /// beside the plan].
        #[arg(long, value_name = "DIR")]
        state_dir: Option<PathBuf>,
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
    Run(RunArgs),
    /// Continue the last halted run from its journal, starting with the step that failed.
    #[command(after_help = "Example:\n  comeback resume --plan plans/web-stack.yaml")]
    Resume(ResumeArgs),
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
    Discover(DiscoverArgs),
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
    Audit(AuditArgs),
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
pub(crate) struct SelectionArgs {
    /// Only this service (repeatable).
    #[arg(long = "only", value_name = "SERVICE")]
    pub(crate) only: Vec<String>,
    /// Only these hosts: a host name or `group:NAME` (repeatable).
    #[arg(long = "limit", value_name = "HOST|group:NAME")]
    pub(crate) limit: Vec<String>,
    /// Add every service downstream of the selection, on every host.
    #[arg(long)]
    pub(crate) with_dependents: bool,
    /// Start at this step: its number or `service@host`.
    #[arg(long, value_name = "STEP")]
    pub(crate) from: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PlanFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ImportKind {
    Ansible,
    Csv,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GraphFormat {
    Dot,
    Mermaid,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum LogFormat {
    /// A progress bar on a terminal, plain lines otherwise.
    #[default]
    Text,
    /// One JSON object per event on stderr.
    Json,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct RunFlags {
    /// Skip the confirmation prompt (required without a terminal).
    #[arg(long)]
    pub(crate) yes: bool,
    /// Restart a service even if it is unhealthy before comeback touches it.
    #[arg(long)]
    pub(crate) allow_unhealthy: bool,
    /// Where journals, reports and the lock live [default: .comeback/ beside the plan].
    #[arg(long, value_name = "DIR")]
    pub(crate) state_dir: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub(crate) log_format: LogFormat,
}

#[derive(Args, Debug)]
pub(crate) struct RunArgs {
    pub(crate) plan: PathBuf,
    #[command(flatten)]
    pub(crate) selection: SelectionArgs,
    /// Connect read-only: order, current health, what would block each step. Restarts nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Bring back the cluster `--only SERVICE` names, whose members are all down: the most
    /// advanced member first, the kind's way, then the others one at a time.
    #[arg(long)]
    pub(crate) cold_start: bool,
    /// With --cold-start: bring this member up first instead of comeback's choice.
    #[arg(long, value_name = "HOST", requires = "cold_start")]
    pub(crate) bootstrap: Option<String>,
    #[command(flatten)]
    pub(crate) flags: RunFlags,
    #[command(flatten)]
    pub(crate) pacing: PacingArgs,
}

#[derive(Args, Debug)]
pub(crate) struct AuditArgs {
    pub(crate) plan: PathBuf,
    #[command(flatten)]
    pub(crate) flags: RunFlags,
}

#[derive(Args, Debug)]
pub(crate) struct ResumeArgs {
    /// The plan of the halted run [default: the plan its journal names].
    #[arg(long)]
    pub(crate) plan: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) flags: RunFlags,
    #[command(flatten)]
    pub(crate) pacing: PacingArgs,
}

/// `--stop-after`, `--pause` and `--step` on `run` and `resume`.
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct PacingArgs {
    /// The canary: stop cleanly after N steps (exit 0); `comeback resume` continues.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) stop_after: Option<u32>,
    /// Wait this long between steps (`30s`, `2m`), e.g. to watch dashboards.
    #[arg(long, value_name = "DUR", value_parser = humantime::parse_duration)]
    pub(crate) pause: Option<std::time::Duration>,
    /// Ask before each step: yes, no (stop here), all (stop asking), quit.
    #[arg(long)]
    pub(crate) step: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum DiscoverFormat {
    /// The plan with the discovered services appended (passes `comeback check`).
    #[default]
    Yaml,
    /// What was found, for scripts: services, edges with evidence, stale references, externals.
    Json,
}

#[derive(Args, Debug)]
pub(crate) struct DiscoverArgs {
    pub plan: PathBuf,
    /// Write the output here instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write the Markdown report (the wiki's first page) here.
    #[arg(long, value_name = "FILE.md")]
    pub report: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = DiscoverFormat::Yaml)]
    pub format: DiscoverFormat,
    /// How long each host may take to be read, all its commands together.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = humantime::parse_duration)]
    pub timeout: std::time::Duration,
}
