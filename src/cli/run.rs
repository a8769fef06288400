//! `comeback run` and `comeback resume`: lock, confirm, connect, walk the steps, close.

use super::{AuditArgs, Exit, LogFormat, ResumeArgs, RunArgs, RunFlags, load, select};
use crate::exec::event::{RunResumed, RunStarted};
use crate::exec::{Consumer, Event, Events, Outcome, Resumed, Session};
use crate::exit;
use crate::journal::{History, Journal, Lock};
use crate::plan::{LoadedPlan, Selection, Step};
use crate::print::progress::{JsonLines, Progress};
use crate::report::{Mode, Report, ReportWriter};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `--state-dir`, else `.comeback/` beside the plan.
pub(super) fn state_dir(explicit: Option<&Path>, plan: Option<&Path>) -> PathBuf {
    explicit.map(Path::to_path_buf).unwrap_or_else(|| {
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

pub(super) fn run(args: RunArgs) -> Result<(), Exit> {
    let loaded = load(&args.plan)?;
    let selection: Selection = args.selection.clone().into();
    let plan = select(&loaded, &selection)?;
    // Chosen once: everything below asks the mode, never the flag.
    let mode = if args.dry_run {
        Mode::DryRun
    } else {
        Mode::Run
    };
    let state_dir = state_dir(args.flags.state_dir.as_deref(), Some(&args.plan));
    let _lock = if mode.read_only() {
        None
    } else {
        Some(lock(&state_dir)?)
    };
    if mode.read_only() && args.pacing.is_set() {
        return Err(fail(
            "--stop-after, --pause and --step pace a real run; a dry run restarts nothing",
            None,
            exit::INVALID,
        ));
    }
    let pacing = args.pacing.pacing()?;
    let cold_start = cold_start(&loaded, &selection, &args)?;
    if !mode.read_only() {
        confirm(&loaded, &plan.steps, args.flags.yes)?;
    }
    let (mut walk, _) = new_walk(
        &loaded,
        &args.plan,
        &plan.steps,
        &selection,
        &args.flags,
        mode,
    )?;
    walk.pacing = pacing;
    walk.cold_start = cold_start;
    drive(&loaded, &plan.steps, walk)
}

/// `--cold-start` and `--bootstrap`, checked against the plan: one cluster, named by `--only`,
/// and a member of it.
fn cold_start(
    loaded: &LoadedPlan,
    selection: &Selection,
    args: &RunArgs,
) -> Result<Option<crate::exec::ColdStart>, Exit> {
    if !args.cold_start {
        return Ok(None);
    }
    let usage = |message: String, hint: &str| fail(message, Some(hint), exit::INVALID);
    let [only] = selection.only.as_slice() else {
        return Err(usage(
            "--cold-start brings back one cluster: name it with --only SERVICE".into(),
            "comeback run PLAN --cold-start --only galera",
        ));
    };
    let model = &loaded.model;
    let service = model
        .service_index(only)
        .map(|s| &model.services[s])
        .filter(|s| s.cluster.is_some())
        .ok_or_else(|| {
            usage(
                format!("--cold-start: `{only}` is not a cluster of this plan"),
                "a service with `cluster:` in the plan",
            )
        })?;
    if selection.with_dependents || !selection.limit.is_empty() || selection.from.is_some() {
        return Err(usage(
            "--cold-start brings back every member of the cluster: --limit, --from and --with-dependents do not apply".into(),
            "comeback run PLAN --cold-start --only SERVICE",
        ));
    }
    if let Some(host) = &args.bootstrap
        && !service
            .instances
            .iter()
            .any(|i| &model.hosts[i.host].name == host)
    {
        return Err(usage(
            format!("--bootstrap: `{host}` is not a member of {}", service.name),
            "name one of the service's hosts",
        ));
    }
    Ok(Some(crate::exec::ColdStart {
        bootstrap: args.bootstrap.clone(),
    }))
}

/// `comeback audit`: a read-only pass over every step that writes the takeover report.
pub(super) fn audit(args: AuditArgs) -> Result<(), Exit> {
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
    let state_dir = state_dir(flags.state_dir.as_deref(), Some(plan_path));
    let estimates = crate::eta::Estimates::from_state_dir(&state_dir);
    let run_id = crate::journal::new_run_id();
    let journal = Journal::create(&state_dir, &run_id).map_err(|e| {
        fail(
            format!("cannot write the journal in {}: {e}", state_dir.display()),
            None,
            exit::INVALID,
        )
    })?;
    let start = Event::RunStarted(RunStarted {
        run_id,
        plan: absolute(plan_path),
        plan_sha256: plan_sha256(plan_path),
        mode,
        steps: steps
            .iter()
            .map(|s| (s.index, s.id(&loaded.model)))
            .collect(),
        only: selection.only.clone(),
        limit: selection.limit.clone(),
        with_dependents: selection.with_dependents,
    });
    let dir = run_dir(&journal);
    let report = ReportWriter::new(Report::new(&loaded.model), dir.clone());
    let walk = Walk {
        start,
        first: None,
        began: None,
        retry: Vec::new(),
        journal,
        report,
        allow_unhealthy: flags.allow_unhealthy,
        log_format: flags.log_format,
        pacing: Default::default(),
        estimates,
        plan_name: plan_name(plan_path),
        cold_start: None,
    };
    Ok((walk, dir))
}

fn run_dir(journal: &Journal) -> PathBuf {
    journal
        .path()
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

pub(super) fn resume(args: ResumeArgs) -> Result<(), Exit> {
    let state_dir = state_dir(args.flags.state_dir.as_deref(), args.plan.as_deref());
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
                e,
                Some("resume continues a run from its whole journal; start a new run instead"),
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
    let plan_path = match &args.plan {
        Some(plan) => plan.clone(),
        // The journal names the plan: say which, and take it only as the run last used it.
        None => {
            eprintln!(
                "resuming run {} with the plan its journal names: {}",
                history.run_id,
                history.plan.display()
            );
            let now = plan_sha256(&history.plan);
            if let Some(then) = &history.plan_sha256
                && now.as_ref() != Some(then)
            {
                return Err(fail(
                    format!(
                        "{} is not the plan this run last used: it changed since (or is gone)",
                        history.plan.display()
                    ),
                    Some(
                        "check what changed, then resume with `--plan PLAN` to use the plan as it is now",
                    ),
                    exit::INVALID,
                ));
            }
            history.plan.clone()
        }
    };
    let loaded = load(&plan_path)?;
    let plan = select(&loaded, &history.selection())?;
    let steps = history
        .remaining_steps(&loaded.model, plan, &point)
        .map_err(|e| {
            fail(
                e,
                Some(
                    "resume only after fixes that keep the remaining order; otherwise start a new run with `comeback run --from STEP`",
                ),
                exit::INVALID,
            )
        })?;
    let pacing = args.pacing.pacing()?;
    let _lock = lock(&state_dir)?;
    confirm(&loaded, &steps, args.flags.yes)?;
    let estimates = crate::eta::Estimates::from_state_dir(&state_dir);
    let journal = Journal::reopen(&journal_path).map_err(|e| fail(e, None, exit::INVALID))?;
    let start = Event::RunResumed(RunResumed {
        run_id: history.run_id.clone(),
        plan: absolute(&plan_path),
        plan_sha256: plan_sha256(&plan_path),
        steps: history.steps.clone(),
        from: steps[0].index,
    });
    let mut report = ReportWriter::new(Report::new(&loaded.model), run_dir(&journal));
    // The report covers the whole run: a journal that cannot be read again is an error, not a
    // report that silently starts at this resume.
    let earlier = Journal::read(&journal_path).map_err(|e| fail(e, None, exit::INVALID))?;
    report.replay(&earlier);
    drive(
        &loaded,
        &steps,
        Walk {
            start,
            first: Some(point.first),
            began: point.began.clone(),
            retry: steps
                .iter()
                .filter(|s| point.retry.contains(&s.id(&loaded.model)))
                .map(|s| s.index)
                .collect(),
            journal,
            report,
            allow_unhealthy: args.flags.allow_unhealthy,
            log_format: args.flags.log_format,
            pacing,
            estimates,
            plan_name: plan_name(&plan_path),
            // A cold start goes on cold, from the member it chose: the others are still down.
            cold_start: history
                .cold_start
                .clone()
                .map(|first| crate::exec::ColdStart {
                    bootstrap: Some(first),
                }),
        },
    )
}

/// The name people know the platform by, in messages: the plan file's name.
fn plan_name(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| "the plan".into(), |s| s.to_string_lossy().into_owned())
}

/// The SHA-256 of the plan file's bytes, in hex; `None` when it cannot be read.
fn plan_sha256(path: &Path) -> Option<String> {
    use sha2::Digest;
    let bytes = std::fs::read(path).ok()?;
    Some(
        sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
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

/// The exit code of `outcome`; `signal` is the one that stopped the run, if any.
fn exit_code(outcome: &Outcome, signal: i32) -> i32 {
    match outcome {
        Outcome::Completed | Outcome::Stopped { .. } => exit::OK,
        Outcome::StaleReferences { .. } => exit::STALE_REFERENCES,
        Outcome::Halted { .. } | Outcome::Blocked { .. } | Outcome::Unreachable { .. } => {
            exit::STEP_FAILED
        }
        Outcome::StillRunning { .. } => exit::LOCKED,
        Outcome::Invalid { .. } => exit::INVALID,
        Outcome::Interrupted { .. } | Outcome::Aborted { .. } => match signal {
            0 => exit::INTERRUPTED,
            n => 128 + n,
        },
    }
}

/// What a walk over the steps needs besides the plan: how it starts, where it records.
struct Walk {
    start: Event,
    first: Option<Resumed>,
    began: Option<crate::exec::RestartBegan>,
    retry: Vec<usize>,
    journal: Journal,
    report: ReportWriter,
    allow_unhealthy: bool,
    log_format: LogFormat,
    pacing: crate::exec::Pacing,
    estimates: crate::eta::Estimates,
    plan_name: String,
    cold_start: Option<crate::exec::ColdStart>,
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
        began,
        retry,
        journal,
        report,
        allow_unhealthy,
        log_format,
        pacing,
        estimates,
        plan_name,
        cold_start,
    } = walk;
    let printer: Box<dyn Consumer> = match log_format {
        LogFormat::Text => Box::new(Progress::new()),
        LogFormat::Json => Box::new(JsonLines),
    };
    let mut consumers: Vec<Box<dyn Consumer>> = vec![printer, Box::new(journal), Box::new(report)];
    // A dry run or an audit is ops' own business: only real runs tell people outside ops.
    let read_only =
        matches!(&start, Event::RunStarted(RunStarted { mode, .. }) if mode.read_only());
    let hooks = if read_only {
        Vec::new()
    } else {
        loaded.model.notify.clone()
    };
    let (feed, deliveries) = crate::notify::channel(hooks, &plan_name);
    consumers.push(Box::new(feed));
    let events = Arc::new(Events::new(consumers));
    // Posts go out beside the walk, each bounded: a webhook never holds up a step.
    let deliveries = runtime.spawn(deliveries.run(events.clone()));
    let session = Session {
        model: &loaded.model,
        steps,
        start,
        first,
        began,
        retry,
        allow_unhealthy,
        pacing,
        // A resumed step runs alone, whatever its batch: the walk's first unit.
        estimated: (!read_only)
            .then(|| estimates.event(&loaded.model, steps, usize::from(first.is_some()))),
        cold_start,
    };
    let ended = runtime.block_on(session.run(&events));
    let _ = runtime.block_on(deliveries);
    let code = exit_code(&ended.outcome, ended.signal.unwrap_or(0));
    if code == exit::OK {
        Ok(())
    } else {
        Err(Exit(code))
    }
}
