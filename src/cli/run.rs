//! `comeback run` and `comeback resume`: lock, confirm, connect, walk the steps, close.

use super::{AuditArgs, Exit, LogFormat, ResumeArgs, RunArgs, RunFlags, load, select};
use crate::exec::leftovers;
use crate::exec::{Consumer, Event, Events, Executor, Outcome, Resumed, RunOptions, Stop};
use crate::exit;
use crate::journal::{History, Journal, Lock};
use crate::plan::{LoadedPlan, Selection, Step};
use crate::print::progress::{JsonLines, Progress};
use crate::report::{Mode, Report, ReportWriter};
use crate::transport::Fleet;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::watch;

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
    // Chosen once: everything below asks the mode, never the flag.
    let mode = if args.dry_run {
        Mode::DryRun
    } else {
        Mode::Run
    };
    let state_dir = state_dir(&args.flags, Some(&args.plan));
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
    let estimates = crate::eta::Estimates::from_state_dir(&state_dir);
    let run_id = crate::journal::new_run_id();
    let journal = Journal::open(&state_dir, &run_id).map_err(|e| {
        fail(
            format!("cannot write the journal in {}: {e}", state_dir.display()),
            None,
            exit::INVALID,
        )
    })?;
    let start = Event::RunStarted {
        run_id,
        plan: absolute(plan_path),
        mode,
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
        mode,
        allow_unhealthy: flags.allow_unhealthy && mode != Mode::Audit,
    };
    let report = ReportWriter::new(Report::new(&loaded.model), dir.clone());
    let walk = Walk {
        start,
        first: None,
        journal,
        report,
        options,
        log_format: flags.log_format,
        pacing: Default::default(),
        estimates,
        plan_name: plan_name(plan_path),
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
    let pacing = args.pacing.pacing()?;
    let _lock = lock(&state_dir)?;
    confirm(&loaded, &steps, args.flags.yes)?;
    let estimates = crate::eta::Estimates::from_state_dir(&state_dir);
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
        mode: Mode::Run,
        allow_unhealthy: args.flags.allow_unhealthy,
    };
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
            journal,
            report,
            options,
            log_format: args.flags.log_format,
            pacing,
            estimates,
            plan_name: plan_name(&plan_path),
        },
    )
}

/// The name people know the platform by, in messages: the plan file's name.
fn plan_name(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| "the plan".into(), |s| s.to_string_lossy().into_owned())
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
        let instance = step.instance(model);
        hosts.extend(instance.before.iter().chain(&instance.after).map(|h| h.on));
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
    journal: Journal,
    report: ReportWriter,
    options: RunOptions,
    log_format: LogFormat,
    pacing: crate::exec::Pacing,
    estimates: crate::eta::Estimates,
    plan_name: String,
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
        pacing,
        estimates,
        plan_name,
    } = walk;
    let printer: Box<dyn Consumer> = match log_format {
        LogFormat::Text => Box::new(Progress::new()),
        LogFormat::Json => Box::new(JsonLines),
    };
    let run_id = match &start {
        Event::RunStarted { run_id, .. } | Event::RunResumed { run_id, .. } => run_id.clone(),
        _ => String::new(),
    };
    let mut consumers: Vec<Box<dyn Consumer>> = vec![printer, Box::new(journal), Box::new(report)];
    // A dry run or an audit is ops' own business: only real runs tell people outside ops.
    let (feed, deliveries) = crate::notify::channel(
        if options.mode.read_only() {
            Vec::new()
        } else {
            loaded.model.notify.clone()
        },
        &plan_name,
    );
    consumers.push(Box::new(feed));
    let events = Arc::new(Events::new(consumers));
    // Posts go out beside the walk, each bounded: a webhook never holds up a step.
    let deliveries = runtime.spawn(deliveries.run(events.clone()));
    let ids: Vec<(usize, String)> = steps
        .iter()
        .map(|s| (s.index, s.id(&loaded.model)))
        .collect();
    events.emit(start);
    if !options.mode.read_only() {
        events.emit(estimates.event(&ids));
    }
    let code = runtime.block_on(async {
        let (stop_tx, stop_rx) = watch::channel(Stop::No);
        let signal = Arc::new(AtomicI32::new(0));
        let signals = tokio::spawn(stop_on_signals(stop_tx, signal.clone()));
        let started = Instant::now();
        let hosts = hosts_needed(loaded, steps);
        let model = &loaded.model;
        let names: Vec<String> = model.hosts.iter().map(|h| h.name.clone()).collect();
        let (mut fleet, failures) = Fleet::connect(model, &hosts, |h, result| match result {
            Ok(()) => events.emit(Event::HostConnected {
                host: model.hosts[h].name.clone(),
            }),
            Err(e) => events.emit(Event::HostUnreachable {
                host: model.hosts[h].name.clone(),
                error: e.to_string(),
            }),
        })
        .await;
        fleet.mark(&run_id);
        // A real run touches nothing unless every host answers; a dry run reports the rest.
        let outcome = if !failures.is_empty() && !options.mode.read_only() {
            Outcome::Unreachable {
                hosts: failures
                    .iter()
                    .map(|(h, _)| model.hosts[*h].name.clone())
                    .collect(),
            }
        } else {
            // What the interrupted run left running must end before this one touches anything.
            let busy = if first.is_some() {
                leftovers::wait_for(
                    &fleet,
                    &names,
                    &hosts,
                    &run_id,
                    leftover_bound(loaded),
                    &events,
                )
                .await
            } else {
                Vec::new()
            };
            if busy.is_empty() {
                let mut executor =
                    Executor::new(model, &fleet, &events, options, stop_rx).with_pacing(pacing);
                let keep_alive = async {
                    loop {
                        tokio::time::sleep(Duration::from_secs(20)).await;
                        fleet.keep_alive().await;
                    }
                };
                tokio::select! {
                    outcome = executor.walk(steps, first) => outcome,
                    _ = keep_alive => unreachable!("the keep-alive loop never ends"),
                }
            } else {
                Outcome::StillRunning { hosts: busy }
            }
        };
        // Nothing this run started may outlive it: an abort leaves its step's command behind.
        // A run that never walked started nothing, and what an interrupted run left running is
        // the operator's to judge.
        if !matches!(
            outcome,
            Outcome::Unreachable { .. } | Outcome::StillRunning { .. } | Outcome::Invalid { .. }
        ) {
            leftovers::sweep(&fleet, &names, &events).await;
        }
        events.emit(Event::RunFinished {
            outcome: outcome.clone(),
            elapsed_ms: crate::exec::millis(started.elapsed()),
        });
        signals.abort();
        fleet.close().await;
        exit_code(&outcome, signal.load(Ordering::Relaxed))
    });
    let _ = runtime.block_on(deliveries);
    if code == exit::OK {
        Ok(())
    } else {
        Err(Exit(code))
    }
}

/// How long `resume` waits for a command of the interrupted run: the longest deadline a
/// command of the plan has, and the host's grace to kill it.
fn leftover_bound(loaded: &LoadedPlan) -> Duration {
    let model = &loaded.model;
    let longest = model
        .services
        .iter()
        .flat_map(|s| {
            s.instances
                .iter()
                .flat_map(|i| i.health.iter().map(|c| c.timing.timeout))
                .chain([s.restart_timeout])
        })
        .max()
        .unwrap_or_default();
    longest + crate::transport::KILL_GRACE * 2
}

/// The first Ctrl-C, SIGTERM or SIGHUP finishes the step in flight and stops; a second stops at
/// once. `signal` keeps the number of the first, for the exit code (128 + n).
async fn stop_on_signals(stop: watch::Sender<Stop>, signal: Arc<AtomicI32>) {
    use tokio::signal::unix::{SignalKind, signal as listen};
    let (Ok(mut term), Ok(mut hup)) = (
        listen(SignalKind::terminate()),
        listen(SignalKind::hangup()),
    ) else {
        return;
    };
    for wish in [Stop::AfterStep, Stop::Now] {
        let (name, n) = tokio::select! {
            Ok(()) = tokio::signal::ctrl_c() => ("Ctrl-C", 2),
            Some(()) = term.recv() => ("SIGTERM", 15),
            Some(()) = hup.recv() => ("SIGHUP", 1),
            else => return,
        };
        let _ = signal.compare_exchange(0, n, Ordering::Relaxed, Ordering::Relaxed);
        // The terminal may be gone (SIGHUP): a failed write must not end the handler.
        let said = if wish == Stop::AfterStep {
            format!("\n{name}: finishing the step in flight, then stopping (again to stop at once)")
        } else {
            format!("\n{name} again: stopping now, killing the command in flight")
        };
        let _ = writeln!(std::io::stderr(), "{said}");
        let _ = stop.send(wish);
    }
}
