//! Expected durations from the run history in the state dir: per step, the median time the same
//! step took in earlier real runs. No history, no estimate: "no estimate yet", never a guess.

use crate::exec::event::{Estimated, RunStarted, StepSucceeded};
use crate::exec::{Event, Record, units};
use crate::journal::Journal;
use crate::plan::{Model, Step};
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;
use time::OffsetDateTime;

/// Median durations of earlier real runs, by step id (`service@host`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Estimates(HashMap<String, u64>);

impl Estimates {
    /// Reads every journal under `state_dir/runs`; unreadable or dry runs are skipped.
    pub(crate) fn from_state_dir(state_dir: &Path) -> Estimates {
        let mut seen: HashMap<String, Vec<u64>> = HashMap::new();
        let Ok(runs) = std::fs::read_dir(state_dir.join("runs")) else {
            return Estimates::default();
        };
        for run in runs.flatten() {
            let Ok(records) = Journal::read(&run.path().join("journal.jsonl")) else {
                continue;
            };
            let dry = records
                .iter()
                .any(|r| matches!(r.event, Event::RunStarted(RunStarted { mode, .. }) if mode.read_only()));
            if dry {
                continue;
            }
            for r in records {
                if let Event::StepSucceeded(StepSucceeded {
                    step, elapsed_ms, ..
                }) = r.event
                {
                    seen.entry(step).or_default().push(elapsed_ms);
                }
            }
        }
        Estimates(
            seen.into_iter()
                .map(|(step, mut times)| {
                    times.sort_unstable();
                    (step, median(&times))
                })
                .collect(),
        )
    }

    pub(crate) fn step(&self, id: &str) -> Option<u64> {
        self.0.get(id).copied()
    }

    /// How long `steps` take, only when every one of them has a history: a batch counts as its
    /// slowest member. `first`: as many first steps make a unit of their own (a resumed step
    /// runs alone), as the walk groups them.
    pub(crate) fn total(&self, model: &Model, steps: &[Step], first: usize) -> Option<u64> {
        self.estimated(model, steps, first).total_ms
    }

    /// The `Estimated` event for these steps, grouped as [`Estimates::total`] says.
    pub(crate) fn event(&self, model: &Model, steps: &[Step], first: usize) -> Event {
        Event::Estimated(self.estimated(model, steps, first))
    }

    fn estimated(&self, model: &Model, steps: &[Step], first: usize) -> Estimated {
        let each: HashMap<usize, Option<u64>> = steps
            .iter()
            .map(|s| (s.index, self.step(&s.id(model))))
            .collect();
        let units = units(model, steps, first);
        Estimated {
            steps: steps.iter().map(|s| (s.index, each[&s.index])).collect(),
            total_ms: units
                .iter()
                .map(|unit| slowest(unit.iter().map(|s| each[&s.index])))
                .sum(),
            batches: units
                .iter()
                .filter(|unit| unit.len() > 1)
                .map(|unit| unit.iter().map(|s| s.index).collect())
                .collect(),
        }
    }
}

/// A unit's estimate: its slowest member's, when every member has one.
fn slowest(estimates: impl Iterator<Item = Option<u64>>) -> Option<u64> {
    estimates
        .into_iter()
        .try_fold(0, |slowest, e| e.map(|e| slowest.max(e)))
}

/// The middle value of sorted times (the lower of the two middles for an even count).
fn median(sorted: &[u64]) -> u64 {
    sorted[(sorted.len() - 1) / 2]
}

/// The expected end of a run as it goes, from the estimates and the times the steps started
/// (their events' stamps, never the time a consumer happens to fold them). The run's state
/// feeds it. Units may start in another order than the estimate lists them (a cluster's leader
/// goes last): what remains is every unit not started yet, whatever its place.
#[derive(Debug, Clone, Default)]
pub(crate) struct Clock {
    /// Each unit's estimate, in the order given: its slowest member's (`None`: a member has no
    /// history).
    units: Vec<Option<u64>>,
    /// The unit each step number belongs to.
    unit_of: HashMap<usize, usize>,
    /// The units started so far.
    started: Vec<bool>,
    /// Of the units not started: how many, how many have no estimate, and the sum of the
    /// others' (10,000 steps are not walked at each event).
    waiting: usize,
    waiting_unknown: usize,
    waiting_ms: u64,
    /// The unit in flight and when its first step started.
    current: Option<(usize, OffsetDateTime)>,
    /// The pause before each unit after the current one.
    pause_ms: u64,
}

impl Clock {
    /// The run's estimates: each step's, and the batches that restart side by side.
    pub(crate) fn estimated(&mut self, steps: &[(usize, Option<u64>)], batches: &[Vec<usize>]) {
        let batch_of: HashMap<usize, usize> = batches
            .iter()
            .enumerate()
            .flat_map(|(b, members)| members.iter().map(move |&i| (i, b)))
            .collect();
        self.units.clear();
        self.unit_of.clear();
        let mut last_batch = None;
        for &(index, estimate) in steps {
            let batch = batch_of.get(&index).copied();
            match self.units.last_mut() {
                // Another member of the batch: the unit takes as long as its slowest.
                Some(unit) if batch.is_some() && batch == last_batch => {
                    *unit = slowest([*unit, estimate].into_iter());
                }
                _ => self.units.push(estimate),
            }
            last_batch = batch;
            self.unit_of.insert(index, self.units.len() - 1);
        }
        self.started = vec![false; self.units.len()];
        self.waiting = self.units.len();
        self.waiting_unknown = self.units.iter().filter(|e| e.is_none()).count();
        self.waiting_ms = self.units.iter().flatten().sum();
        self.current = None;
    }

    /// Step `index` started at `at`: a new unit starts with its first step.
    pub(crate) fn started(&mut self, index: usize, at: OffsetDateTime) {
        let Some(&unit) = self.unit_of.get(&index) else {
            return;
        };
        if !std::mem::replace(&mut self.started[unit], true) {
            self.waiting -= 1;
            match self.units[unit] {
                Some(ms) => self.waiting_ms -= ms,
                None => self.waiting_unknown -= 1,
            }
            self.current = Some((unit, at));
        }
    }

    /// `--pause`: this long between units.
    pub(crate) fn paused(&mut self, ms: u64) {
        self.pause_ms = ms;
    }

    /// How long from `now` until the last unit ends: the rest of the current unit's estimate
    /// (at least nothing), the estimates of every unit not started, and a pause before each.
    /// A unit's estimate is its slowest member's. `None` when a remaining step has no history.
    pub(crate) fn remaining(&self, now: OffsetDateTime) -> Option<Duration> {
        let (current, started) = self.current?;
        let elapsed = super::exec::millis(Duration::try_from(now - started).unwrap_or_default());
        let this = self.units.get(current).copied().flatten()?;
        if self.waiting_unknown > 0 {
            return None;
        }
        let pauses = self.pause_ms * self.waiting as u64;
        Some(Duration::from_millis(
            this.saturating_sub(elapsed) + self.waiting_ms + pauses,
        ))
    }

    /// The expected end as a UTC clock time (`15:42 UTC`).
    pub(crate) fn expected_end(&self) -> Option<String> {
        let now = OffsetDateTime::now_utc();
        self.remaining(now).map(|left| end_time(now, left))
    }
}

/// When `record` was emitted (now, for a stamp that does not parse: ours always do).
pub(crate) fn stamp(record: &Record) -> OffsetDateTime {
    OffsetDateTime::parse(&record.ts, &time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| OffsetDateTime::now_utc())
}

/// `from + left` as `HH:MM UTC`.
pub(crate) fn end_time(from: OffsetDateTime, left: Duration) -> String {
    let format = time::macros::format_description!("[hour]:[minute] UTC");
    (from + left).format(&format).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_takes_the_middle_not_the_mean() {
        assert_eq!(median(&[1, 2, 100]), 2);
        assert_eq!(median(&[10, 20]), 10);
        assert_eq!(median(&[7]), 7);
    }

    #[test]
    fn a_unit_needs_every_member_known_and_takes_its_slowest() {
        assert_eq!(slowest([Some(1000), Some(500)].into_iter()), Some(1000));
        assert_eq!(slowest([Some(1000), None].into_iter()), None);
    }
}
