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
    /// slowest member.
    pub(crate) fn total(&self, model: &Model, steps: &[Step]) -> Option<u64> {
        units(model, steps, 0)
            .iter()
            .map(|unit| slowest(unit.iter().map(|s| self.step(&s.id(model)))))
            .sum()
    }

    /// The `Estimated` event for these steps.
    pub(crate) fn event(&self, model: &Model, steps: &[Step]) -> Event {
        Event::Estimated(Estimated {
            steps: steps
                .iter()
                .map(|s| (s.index, self.step(&s.id(model))))
                .collect(),
            total_ms: self.total(model, steps),
            batches: units(model, steps, 0)
                .iter()
                .filter(|unit| unit.len() > 1)
                .map(|unit| unit.iter().map(|s| s.index).collect())
                .collect(),
        })
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
/// feeds it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Clock {
    /// The walk's units in order (a step alone, or a batch side by side), each its members'
    /// estimates.
    units: Vec<Vec<Option<u64>>>,
    /// The unit each step number belongs to.
    unit_of: HashMap<usize, usize>,
    /// From each unit to the last, the sum of their estimates (`None`: one has no history),
    /// and one past the last: the rest of a run is known without a walk of its 10,000 steps.
    after: Vec<Option<u64>>,
    /// The unit in flight and when its first step started.
    current: Option<(usize, OffsetDateTime)>,
    /// Paused this long in total, to add before each remaining unit after the current one.
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
        self.after.clear();
        let mut last_batch = None;
        for &(index, estimate) in steps {
            let batch = batch_of.get(&index).copied();
            if batch.is_none() || batch != last_batch {
                self.units.push(Vec::new());
            }
            last_batch = batch;
            self.unit_of.insert(index, self.units.len() - 1);
            if let Some(unit) = self.units.last_mut() {
                unit.push(estimate);
            }
        }
        self.after = vec![Some(0)];
        for unit in self.units.iter().rev() {
            let later = self.after[self.after.len() - 1];
            let this = slowest(unit.iter().copied());
            self.after.push(this.zip(later).map(|(a, b)| a + b));
        }
        self.after.reverse();
    }

    /// Step `index` started at `at`: a new unit starts with its first step.
    pub(crate) fn started(&mut self, index: usize, at: OffsetDateTime) {
        let Some(&unit) = self.unit_of.get(&index) else {
            return;
        };
        if self.current.is_none_or(|(current, _)| current != unit) {
            self.current = Some((unit, at));
        }
    }

    /// `--pause`: this long between units.
    pub(crate) fn paused(&mut self, ms: u64) {
        self.pause_ms = ms;
    }

    /// How long from `now` until the last unit ends: the rest of the current unit's estimate
    /// (at least nothing), the estimates of every later unit, and the pauses between them. A
    /// unit's estimate is its slowest member's. `None` when a remaining step has no history.
    pub(crate) fn remaining(&self, now: OffsetDateTime) -> Option<Duration> {
        let (current, started) = self.current?;
        let elapsed = super::exec::millis(Duration::try_from(now - started).unwrap_or_default());
        let this = slowest(self.units.get(current)?.iter().copied())?;
        let later = (*self.after.get(current + 1)?)?;
        let pauses = self.pause_ms * (self.units.len() - current - 1) as u64;
        Some(Duration::from_millis(
            this.saturating_sub(elapsed) + later + pauses,
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
