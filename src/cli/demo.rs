//! `comeback demo`: the takeover week in two minutes on a real little stack (see `crate::demo`).

use super::run::{fail, run};
use super::{Exit, SelectionArgs, load, select};
use super::{LogFormat, RunArgs, RunFlags};
use crate::exit;
use crate::plan::Selection;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// `comeback demo`: the whole job on a real little stack on this machine.
pub(super) fn demo(dir: Option<PathBuf>) -> Result<(), Exit> {
    use crate::demo::Demo;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let bold = std::io::stderr().is_terminal();
    let say = |text: &str| {
        if bold {
            eprintln!("\n\x1b[1m== {text}\x1b[0m");
        } else {
            eprintln!("\n== {text}");
        }
    };
    let in_run = Arc::new(AtomicBool::new(false));
    say(
        "starting a demo stack on this machine: db, cache, app (needs db and cache), proxy (needs app)",
    );
    let demo = Demo::start(dir).map_err(|e| {
        fail(
            format!("cannot start the demo stack: {e}"),
            None,
            exit::INVALID,
        )
    })?;
    crate::demo::stop_on_interrupt(demo.dir.clone(), in_run.clone());
    let plan = demo.plan();
    eprintln!("plan: {}", plan.display());
    let flags = RunFlags {
        yes: true,
        allow_unhealthy: false,
        state_dir: None,
        log_format: LogFormat::Text,
    };
    let args = |dry_run| RunArgs {
        plan: plan.clone(),
        selection: SelectionArgs::default(),
        dry_run,
        cold_start: false,
        bootstrap: None,
        flags: flags.clone(),
        pacing: Default::default(),
    };

    say("comeback plan: the restart order, offline");
    let loaded = load(&plan)?;
    eprint!(
        "{}",
        crate::print::plan::text(&loaded.model, &select(&loaded, &Selection::default())?)
    );

    say("comeback run --dry-run: connect read-only, check health, config references, drift");
    in_run.store(true, Ordering::SeqCst);
    let dry = run(args(true));
    in_run.store(false, Ordering::SeqCst);
    match dry {
        Err(Exit(exit::STALE_REFERENCES)) => eprintln!(
            "\nThe dry run exits 3: app.conf still names a mail relay that no longer exists. A crash would\n\
             have left the app unable to start. The operator removes that line (the demo does it now)."
        ),
        Err(Exit(code)) => return Err(Exit(code)),
        Ok(()) => eprintln!("\nThe dry run found nothing stale (unexpected for the demo)."),
    }
    demo.remove_stale_reference().map_err(|e| {
        fail(
            format!("cannot edit the demo config: {e}"),
            None,
            exit::INVALID,
        )
    })?;

    say(
        "comeback run --yes: every service restarted once, in order, each proven back before the next",
    );
    in_run.store(true, Ordering::SeqCst);
    let real = run(args(false));
    in_run.store(false, Ordering::SeqCst);
    if let Some(report) = latest_report(&demo.dir.join(".comeback")) {
        say("the run's report");
        eprintln!("{}", report.display());
        if let Ok(text) = std::fs::read_to_string(&report)
            && let Some(steps) = text.split("## Steps\n\n").nth(1)
        {
            eprint!("{}", steps.split("\n## ").next().unwrap_or(""));
        }
    }
    say("stopping the demo stack");
    drop(demo);
    real
}

fn latest_report(state_dir: &Path) -> Option<PathBuf> {
    let mut runs: Vec<PathBuf> = std::fs::read_dir(state_dir.join("runs"))
        .ok()?
        .filter_map(|e| Some(e.ok()?.path()))
        .collect();
    runs.sort();
    runs.pop().map(|r| r.join("report.md"))
}
