//! A run's events fed through every consumer (progress, journal, report, notifications), each
//! timed: how `cargo bench --bench consumers` measures a 10,000-step run without the network.
//! The consumers are the crate's own; this is their one door for the benchmark.

use crate::exec::{Consumer, Record};
use crate::plan::Model;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The time each consumer took over the whole stream (the report's includes writing
/// report.md and report.json at the end, the journal's its writes and flushes).
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// The progress display, its lines kept in memory instead of printed.
    pub progress: Duration,
    /// The journal, written under the state folder given.
    pub journal: Duration,
    /// The report, written into the run's folder.
    pub report: Duration,
    /// The notification messages (built, not sent).
    pub notify: Duration,
}

impl Timings {
    /// Each consumer's name and time, in a fixed order.
    pub fn each(&self) -> [(&'static str, Duration); 4] {
        [
            ("progress", self.progress),
            ("journal", self.journal),
            ("report", self.report),
            ("notify", self.notify),
        ]
    }
}

/// Feeds `records` of a run of `model` through every consumer, the journal and the report
/// written under `state_dir`; how long each took.
pub fn through_consumers(
    model: &Model,
    records: &[Record],
    state_dir: &Path,
) -> std::io::Result<Timings> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let mut progress = crate::print::progress::Progress::captured(lines);
    let run_id = crate::journal::new_run_id();
    let mut journal = crate::journal::Journal::create(state_dir, &run_id)?;
    let mut report = crate::report::ReportWriter::new(
        crate::report::Report::new(model),
        state_dir.join("runs").join(&run_id),
    );
    let mut messages = crate::notify::Messages::new("bench");
    let mut timings = Timings::default();
    let time = |total: &mut Duration, each: &mut dyn FnMut(&Record)| {
        let started = Instant::now();
        records.iter().for_each(&mut *each);
        *total += started.elapsed();
    };
    time(&mut timings.progress, &mut |r| progress.on(r));
    time(&mut timings.journal, &mut |r| journal.on(r));
    time(&mut timings.report, &mut |r| report.on(r));
    time(&mut timings.notify, &mut |r| {
        std::hint::black_box(messages.on(r));
    });
    Ok(timings)
}
