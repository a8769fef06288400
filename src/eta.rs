//! Expected durations from the run history in the state dir: per step, the median time the same
//! step took in earlier real runs. No history, no estimate: "no estimate yet", never a guess.

use crate::exec::{Event, Record};
use crate::journal::Journal;
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
                .any(|r| matches!(r.event, Event::RunStarted { mode, .. } if mode.read_only()));
            if dry {
                continue;
            }
            for r in records {
                if let Event::StepSucceeded {
                    step, elapsed_ms, ..
                } = r.event
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

    /// The sum over `ids`, only when every one of them has a history.
    pub(crate) fn total<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> Option<u64> {
        ids.into_iter().map(|id| self.step(id)).sum()
    }

    /// The `Estimated` event for these steps (`(index, id)`).
    pub(crate) fn event(&self, steps: &[(usize, String)]) -> Event {
        Event::Estimated {
            steps: steps.iter().map(|(i, id)| (*i, self.step(id))).collect(),
            total_ms: self.total(steps.iter().map(|(_, id)| id.as_str())),
        }
    }
}

/// The middle value of sorted times (the lower of the two middles for an even count).
fn median(sorted: &[u64]) -> u64 {
    sorted[(sorted.len() - 1) / 2]
}

/// The expected end of a run as it goes, from the `Estimated` and step events and the times
/// they were stamped with (never the time a consumer happens to fold them).
#[derive(Debug, Default)]
pub(crate) struct Clock {
    steps: Vec<(usize, Option<u64>)>,
    current: Option<(usize, OffsetDateTime)>,
    /// Paused this long in total, to add before each remaining step after the current one.
    pause_ms: u64,
}

impl Clock {
    pub(crate) fn on(&mut self, record: &Record) {
        match &record.event {
            Event::Estimated { steps, .. } => self.steps = steps.clone(),
            Event::StepStarted { index, .. } => self.current = Some((*index, stamp(record))),
            Event::Pausing { ms, .. } => self.pause_ms = *ms,
            Event::RunStarted { .. }
            | Event::RunResumed { .. }
            | Event::BatchStarted { .. }
            | Event::HostConnected { .. }
            | Event::HostUnreachable { .. }
            | Event::ManagerDetected { .. }
            | Event::PhaseStarted { .. }
            | Event::Inspected { .. }
            | Event::ClusterViewed { .. }
            | Event::ClusterVerdict { .. }
            | Event::ColdStart { .. }
            | Event::Prechecked { .. }
            | Event::RestartBegun { .. }
            | Event::RestartFound { .. }
            | Event::Restarted { .. }
            | Event::RestartEvidence { .. }
            | Event::StopForced { .. }
            | Event::ChecksInferred { .. }
            | Event::ConfigsLoaded { .. }
            | Event::CheckUp { .. }
            | Event::CheckPassed { .. }
            | Event::StepSucceeded { .. }
            | Event::StepFailed { .. }
            | Event::CommandStillRunning { .. }
            | Event::CommandEnded { .. }
            | Event::RunFinished { .. }
            | Event::HookRan { .. }
            | Event::HooksPending { .. }
            | Event::Asking { .. }
            | Event::StopAsked { .. }
            | Event::NotifyFailed { .. } => {}
        }
    }

    /// How long from `now` until the last step ends: the rest of the current step's median (at
    /// least nothing), the medians of every later step, and the pauses between them. `None`
    /// when a remaining step has no history.
    pub(crate) fn remaining(&self, now: OffsetDateTime) -> Option<Duration> {
        let (current, started) = self.current?;
        let elapsed = Duration::try_from(now - started).unwrap_or_default();
        let mut ms = 0u64;
        for (index, estimate) in self.steps.iter().filter(|(i, _)| *i >= current) {
            let estimate = (*estimate)?;
            if *index == current {
                ms += estimate.saturating_sub(super::exec::millis(elapsed));
            } else {
                ms += estimate + self.pause_ms;
            }
        }
        Some(Duration::from_millis(ms))
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
    fn a_total_needs_every_step_known() {
        let e = Estimates(HashMap::from([
            ("a@h".to_string(), 1000),
            ("b@h".to_string(), 500),
        ]));
        assert_eq!(e.total(["a@h", "b@h"]), Some(1500));
        assert_eq!(e.total(["a@h", "c@h"]), None);
    }

    fn at(event: Event, ts: &str) -> Record {
        Record {
            v: crate::exec::event::VERSION,
            ts: ts.into(),
            event,
        }
    }

    /// Regression: the clock took a step's start from the time it folded the event, so a
    /// progress display or a message built later (or from a replay) was off by the delay.
    #[test]
    fn the_clock_counts_from_the_stamp_not_from_when_it_folds() {
        let mut clock = Clock::default();
        clock.on(&at(
            Event::Estimated {
                steps: vec![(1, Some(60_000)), (2, Some(30_000))],
                total_ms: Some(90_000),
            },
            "2026-01-01T10:00:00Z",
        ));
        clock.on(&at(
            Event::StepStarted {
                index: 1,
                step: "a@h".into(),
                resumed: None,
            },
            "2026-01-01T10:00:00Z",
        ));
        let now = OffsetDateTime::parse(
            "2026-01-01T10:00:40Z",
            &time::format_description::well_known::Rfc3339,
        )
        .expect("time");
        assert_eq!(clock.remaining(now), Some(Duration::from_secs(50)));
        assert_eq!(end_time(now, Duration::from_secs(50)), "10:01 UTC");
    }

    #[test]
    fn the_clock_has_no_end_until_every_remaining_step_has_history() {
        let now = OffsetDateTime::now_utc;
        let mut clock = Clock::default();
        clock.on(&Record::now(Event::Estimated {
            steps: vec![(1, Some(60_000)), (2, None)],
            total_ms: None,
        }));
        clock.on(&Record::now(Event::StepStarted {
            index: 1,
            step: "a@h".into(),
            resumed: None,
        }));
        assert_eq!(clock.remaining(now()), None);
        clock.on(&Record::now(Event::StepStarted {
            index: 2,
            step: "b@h".into(),
            resumed: None,
        }));
        assert_eq!(clock.remaining(now()), None);
        let mut clock = Clock::default();
        clock.on(&Record::now(Event::Estimated {
            steps: vec![(1, Some(60_000)), (2, Some(30_000))],
            total_ms: Some(90_000),
        }));
        clock.on(&Record::now(Event::StepStarted {
            index: 1,
            step: "a@h".into(),
            resumed: None,
        }));
        let left = clock.remaining(now()).expect("known");
        assert!(left <= Duration::from_secs(90) && left > Duration::from_secs(80));
    }
}
