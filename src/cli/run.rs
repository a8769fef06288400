//! `comeback run` and `comeback resume`: lock, confirm, connect, walk the steps, close.

use super::{Exit, SelectionArgs, load, select};
use crate::exec::{Consumer, Event, Events, Executor, Outcome, Resumed, RunOptions, Stop};
use crate::exit;
use crate::journal::{History, Journal, Lock};
use crate::plan::{LoadedPlan, Selection, Step};
use crate::print::progress::{JsonLines, Progress};
use crate::report::{Mode, Report, ReportWriter};
use crate::transport::Fleet;
use clap::{Args, ValueEnum};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::watch;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// A progress bar on a terminal, plain lines otherwise.
    #[default]
    Text,
    /// One JSON object per event on stderr.
    Json,
}

#[derive(Args, Debug, Clone)]
pub struct RunFlags {
    /// Skip the confirmation prompt (required without a terminal).
    #[arg(long)]
    pub yes: bool,
    /// Restart a service even if it is unhealthy before comeback touches it.
    #[arg(long)]
    pub allow_unhealthy: bool,
    /// Where journals, reports and the lock live [default: .comeback/ beside the plan].
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    pub plan: PathBuf,
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Connect read-only: order, current health, what would block each step. Restarts nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub flags: RunFlags,
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    pub plan: PathBuf,
    #[command(flatten)]
    pub flags: RunFlags,
}

#[derive(Args, Debug)]
pub struct ResumeArgs {
    /// The plan of the halted run [default: the plan its journal names].
    #[arg(long)]
    pub plan: Option<PathBuf>,
    #[command(flatten)]
    pub flags: RunFlags,
}

fn state_dir(flags: &RunFlags, plan: Option<&Path>) -> PathBuf {
    flags.state_dir.clone().unwrap_or_else(|| {
        plan.and_then(Path::parent)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join(".comeback")
    })
}

pub(super) fn fail(message: impl std::fmt::Display, hint: Option<&str>, code: i32) -> Exit {
    eprintln!("error: {message}");
    if let Some(hint) = hint {
        eprintln!("  = help: {hint}");
    }
    Exit(code)
}

pub fn run(args: RunArgs) -> Result<(), Exit> {
    let loaded = load(&args.plan)?;
    let selection: Selection = args.selection.clone().into();
    let plan = select(&loaded, &selection)?;
    let state_dir = state_dir(&args.flags, Some(&args.plan));
    let _lock = if args.dry_run {
        None
    } else {
        Some(lock(&state_dir)?)
    };
    if !args.dry_run {
        confirm(&loaded, &plan.steps, args.flags.yes)?;
    }
    let mode = if args.dry_run {
        Mode::DryRun
    } else {
        Mode::Run
    };
    let (walk, _) = new_walk(
        &loaded,
        &args.plan,
        &plan.steps,
        &selection,
        &args.flags,
        mode,
    )?;
    drive(&loaded, &plan.steps, walk)
}

/// `comeback audit`: a read-only pass over every step that writes the takeover report.
pub fn audit(args: AuditArgs) -> Result<(), Exit> {
    let loaded = load(&args.plan)?;
    let selection = Selection::default();
    let plan = select(&loaded, &selection)?;
    let (walk, dir) = new_walk(
        &loaded,
        &args.plan,
        &plan.steps,
        &selection,
        &args.flags,
        Mode::Audit,
    )?;
    let result = drive(&loaded, &plan.steps, walk);
    eprintln!(
        "audit report: {}\n              {}",
        dir.join("report.md").display(),
        dir.join("report.json").display()
    );
    result
}

/// A new run (real, dry or audit): its journal, its report, the event that starts it, and the
/// run's folder.
fn new_walk(
    loaded: &LoadedPlan,
    plan_path: &Path,
    steps: &[Step],
    selection: &Selection,
    flags: &RunFlags,
    mode: Mode,
) -> Result<(Walk, PathBuf), Exit> {
    let state_dir = state_dir(flags, Some(plan_path));
    let run_id = crate::journal::new_run_id();
    let journal = Journal::open(&state_dir, &run_id).map_err(|e| {
        fail(
            format!("cannot write the journal in {}: {e}", state_dir.display()),
            None,
            exit::INVALID,
        )
    })?;
    let dry_run = mode != Mode::Run;
    let start = Event::RunStarted {
        run_id,
        plan: absolute(plan_path),
        dry_run,
        steps: steps
            .iter()
            .map(|s| (s.index, s.id(&loaded.model)))
            .collect(),
        only: selection.only.clone(),
        limit: selection.limit.clone(),
        with_dependents: selection.with_dependents,
    };
    let dir = run_dir(&journal);
    // An audit reports what is unhealthy; it never looks past it.
    let options = RunOptions {
        dry_run,
        allow_unhealthy: flags.allow_unhealthy && mode != Mode::Audit,
    };
    let report = ReportWriter::new(Report::new(&loaded.model, mode), dir.clone());
    let walk = Walk {
        start,
        first: None,
        journal,
        report,
        options,
        log_format: flags.log_format,
    };
    Ok((walk, dir))
}

fn run_dir(journal: &Journal) -> PathBuf {
    journal
        .path()
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

pub fn resume(args: ResumeArgs) -> Result<(), Exit> {
    let state_dir = state_dir(&args.flags, args.plan.as_deref());
    let (journal_path, history) = match History::latest(&state_dir) {
        Ok(Some(found)) => found,
        Ok(None) => {
            return Err(fail(
                format!("no run to resume in {}", state_dir.display()),
                Some("give --plan PLAN or --state-dir DIR of the halted run"),
                exit::INVALID,
            ));
        }
        Err(e) => {
            return Err(fail(
                format!("cannot read the runs in {}: {e}", state_dir.display()),
                None,
                exit::INVALID,
            ));
        }
    };
    let Some(point) = history.resume_point() else {
        eprintln!(
            "the last run ({}) completed: nothing to resume",
            history.run_id
        );
        return Ok(());
    };
    let plan_path = args.plan.clone().unwrap_or_else(|| history.plan.clone());
    let loaded = load(&plan_path)?;
    let selection = Selection {
        only: history.only.clone(),
        limit: history.limit.clone(),
        with_dependents: history.with_dependents,
        from: None,
    };
    let plan = select(&loaded, &selection)?;
    let now: Vec<String> = plan
        .steps
        .iter()
        .map(|s| s.id(&loaded.model))
        .filter(|id| !history.succeeded.contains(id))
        .collect();
    if now != point.remaining {
        return Err(fail(
            format!(
                "the plan changed the order of the steps still to run\n  journal: {}\n  plan now: {}",
                point.remaining.join(", "),
                now.join(", ")
            ),
            Some(
                "resume only after fixes that keep the remaining order; otherwise start a new run with `comeback run --from STEP`",
            ),
            exit::INVALID,
        ));
    }
    let steps: Vec<Step> = plan
        .steps
        .into_iter()
        .filter(|s| !history.succeeded.contains(&s.id(&loaded.model)))
        .collect();
    let _lock = lock(&state_dir)?;
    confirm(&loaded, &steps, args.flags.yes)?;
    let journal = Journal::open(&state_dir, &history.run_id).map_err(|e| {
        fail(
            format!("cannot append to {}: {e}", journal_path.display()),
            None,
            exit::INVALID,
        )
    })?;
    let start = Event::RunResumed {
        run_id: history.run_id.clone(),
        plan: absolute(&plan_path),
        steps: history.steps.clone(),
        from: steps[0].index,
    };
    let options = RunOptions {
        dry_run: false,
        allow_unhealthy: args.flags.allow_unhealthy,
    };
    let mut report = ReportWriter::new(Report::new(&loaded.model, Mode::Run), run_dir(&journal));
    let earlier = Journal::read(&journal_path).unwrap_or_default();
    report.replay(earlier.iter().map(|r| &r.event));
    drive(
        &loaded,
        &steps,
        Walk {
            start,
            first: Some(point.first),
            journal,
            report,
            options,
            log_format: args.flags.log_format,
        },
    )
}

fn absolute(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

fn lock(state_dir: &Path) -> Result<Lock, Exit> {
    match Lock::acquire(state_dir) {
        Ok(lock) => {
            if let Some(pid) = lock.took_over_from {
                eprintln!(
                    "note: took over the lock left by comeback pid {pid}, which is no longer running"
                );
            }
            Ok(lock)
        }
        Err(e @ crate::journal::LockError::Held { .. }) => Err(fail(
            e,
            Some("wait for it to finish; two runs must never restart services at the same time"),
            exit::LOCKED,
        )),
        Err(e) => Err(fail(e, None, exit::INVALID)),
    }
}

fn confirm(loaded: &LoadedPlan, steps: &[Step], yes: bool) -> Result<(), Exit> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(fail(
            "refusing to restart services without confirmation: no terminal to ask on",
            Some("pass --yes to run unattended"),
            exit::INVALID,
        ));
    }
    let plan = crate::plan::Plan {
        steps: steps.to_vec(),
    };
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "{}Restart these {} step(s) now, one at a time? [y/N] ",
        crate::print::plan::text(&loaded.model, &plan),
        steps.len()
    );
    let _ = err.flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    if matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
        Ok(())
    } else {
        Err(fail("not confirmed: nothing was run", None, exit::INVALID))
    }
}

/// Every host the steps touch: their own, and those of the dependents their gates check.
fn hosts_needed(loaded: &LoadedPlan, steps: &[Step]) -> Vec<usize> {
    let model = &loaded.model;
    let mut hosts: Vec<usize> = Vec::new();
    for step in steps {
        hosts.push(step.host);
        for service in model
            .services
            .iter()
            .filter(|s| s.depends_on.contains(&step.service))
        {
            hosts.extend(service.instances.iter().map(|i| i.host));
        }
    }
    hosts.sort_unstable();
    hosts.dedup();
    hosts
}

fn exit_code(outcome: &Outcome) -> i32 {
    match outcome {
        Outcome::Completed => exit::OK,
        Outcome::StaleReferences { .. } => exit::STALE_REFERENCES,
        Outcome::Halted { .. } | Outcome::Blocked { .. } | Outcome::Unreachable { .. } => {
            exit::STEP_FAILED
        }
        Outcome::Interrupted { .. } | Outcome::Aborted { .. } => exit::INTERRUPTED,
        Outcome::Invalid { .. } => exit::INVALID,
    }
}

/// What a walk over the steps needs besides the plan: how it starts, where it records.
struct Walk {
    start: Event,
    first: Option<Resumed>,
    journal: Journal,
    report: ReportWriter,
    options: RunOptions,
    log_format: LogFormat,
}

fn drive(loaded: &LoadedPlan, steps: &[Step], walk: Walk) -> Result<(), Exit> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            fail(
                format!("cannot start the runtime: {e}"),
                None,
                exit::INVALID,
            )
        })?;
    let Walk {
        start,
        first,
        journal,
        report,
        options,
        log_format,
    } = walk;
    let printer: Box<dyn Consumer> = match log_format {
        LogFormat::Text => Box::new(Progress::new()),
        LogFormat::Json => Box::new(JsonLines),
    };
    let events = Events::new(vec![printer, Box::new(journal), Box::new(report)]);
    events.emit(start);
    let code = runtime.block_on(async {
        let hosts = hosts_needed(loaded, steps);
        let model = &loaded.model;
        let (fleet, failures) = Fleet::connect(model, &hosts, |h, result| match result {
            Ok(()) => events.emit(Event::HostConnected { host: model.hosts[h].name.clone() }),
            Err(e) => events.emit(Event::HostUnreachable { host: model.hosts[h].name.clone(), error: e.to_string() }),
        })
        .await;
        // A real run touches nothing unless every host answers; a dry run reports the rest.
        if !failures.is_empty() && !options.dry_run {
            fleet.close().await;
            let outcome = Outcome::Unreachable { hosts: failures.iter().map(|(h, _)| model.hosts[*h].name.clone()).collect() };
            events.emit(Event::RunFinished { outcome: outcome.clone(), elapsed_ms: 0 });
            return exit_code(&outcome);
        }

        let (stop_tx, stop_rx) = watch::channel(Stop::No);
        let signals = tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("\nCtrl-C: finishing the step in flight, then stopping (Ctrl-C again to stop at once)");
                let _ = stop_tx.send(Stop::AfterStep);
            }
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("\nCtrl-C again: stopping now");
                let _ = stop_tx.send(Stop::Now);
            }
        });
        let mut executor = Executor::new(model, &fleet, &events, options, stop_rx);
        let keep_alive = async {
            loop {
                tokio::time::sleep(Duration::from_secs(20)).await;
                fleet.keep_alive().await;
            }
        };
        let outcome = tokio::select! {
            outcome = executor.run(steps, first) => outcome,
            _ = keep_alive => unreachable!("the keep-alive loop never ends"),
        };
        signals.abort();
        fleet.close().await;
        exit_code(&outcome)
    });
    if code == exit::OK {
        Ok(())
    } else {
        Err(Exit(code))
    }
}
