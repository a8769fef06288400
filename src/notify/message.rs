//! From run events to the words of a message: what a support desk or a manager can paste into
//! a status page, plus the same facts as fields.

use crate::exec::{Outcome, Record};
use crate::plan::model::NotifyEvent;
use crate::run_state::{Moment, RunState};
use serde_json::{Value, json};

/// Follows the run and says, for the events worth a message, what to post.
#[derive(Default)]
pub(crate) struct Messages {
    /// The name people know the platform by (the plan file's name).
    name: String,
    state: RunState,
    /// A start (or resume) waiting for the estimate, which is emitted right after it.
    start_pending: bool,
}

impl Messages {
    /// `plan`: the name people know the platform by (the plan file's name).
    pub(crate) fn new(plan: &str) -> Messages {
        Messages {
            name: plan.to_string(),
            ..Messages::default()
        }
    }

    fn eta(&self) -> (String, Value) {
        match self.state.expected_end() {
            Some(end) => (format!("Expected end {end}."), json!(end)),
            None => ("No ETA yet.".to_string(), Value::Null),
        }
    }

    fn body(&self, event: NotifyEvent, text: String, step: Value, extra: Value) -> Value {
        let (_, eta) = self.eta();
        let mut body = json!({
            "text": text,
            "event": event,
            "plan": self.name,
            "run_id": self.state.run_id,
            "step": step,
            "total_steps": self.state.total,
            "expected_end": eta,
        });
        if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
            body.extend(extra);
        }
        body
    }

    /// The step a message is about: the one that halted the run, else the one in flight (a
    /// batch's members run side by side: the last started is not always the one that failed).
    fn about<'a>(&'a self, outcome: Option<&'a Outcome>) -> Option<(usize, &'a str)> {
        match outcome {
            Some(Outcome::Halted { index, step }) => Some((*index, step.as_str())),
            _ => self.state.current.as_ref().map(|(i, id)| (*i, id.as_str())),
        }
    }

    fn step_fields(&self, outcome: Option<&Outcome>) -> Value {
        match self.about(outcome) {
            Some((index, id)) => {
                let (service, host) = id.split_once('@').unwrap_or((id, ""));
                json!({"index": index, "id": id, "service": service, "host": host})
            }
            None => Value::Null,
        }
    }

    /// `step 3/6 web on host-3`, as people say it.
    fn step_words(&self, outcome: Option<&Outcome>) -> String {
        match self.about(outcome) {
            Some((index, id)) => {
                let (service, host) = id.split_once('@').unwrap_or((id, ""));
                format!("step {index}/{} {service} on {host}", self.state.total)
            }
            None => "before the first step".into(),
        }
    }

    /// The message this event calls for, if any: which kind, and its JSON body.
    pub(crate) fn on(&mut self, record: &Record) -> Option<(NotifyEvent, Value)> {
        let moment = self.state.on(record)?;
        // A dry run tells people nothing but that it started.
        if self.state.mode.read_only() {
            return None;
        }
        match moment {
            Moment::Began => {
                self.start_pending = true;
                None
            }
            Moment::Estimated { total_ms, batched } => {
                if !std::mem::take(&mut self.start_pending) {
                    return None;
                }
                let eta = match total_ms {
                    Some(ms) => format!(
                        "Expected end {}.",
                        crate::eta::end_time(
                            crate::eta::stamp(record),
                            std::time::Duration::from_millis(ms),
                        )
                    ),
                    None => "No ETA yet.".to_string(),
                };
                let (from, total) = (self.state.from, self.state.total);
                let what = if self.state.resumed {
                    format!("resumes at step {from}/{total}")
                } else if batched {
                    format!("starts: {total} steps, one service at a time, a few instances at once")
                } else {
                    format!("starts: {total} steps, one service at a time")
                };
                let text = format!("Restart of {}: {what}. {eta}", self.name);
                Some((
                    NotifyEvent::Start,
                    self.body(NotifyEvent::Start, text, Value::Null, json!({})),
                ))
            }
            Moment::StepStarted => {
                let (eta, _) = self.eta();
                let text = format!("Restart of {}: {}. {eta}", self.name, self.step_words(None));
                Some((
                    NotifyEvent::Step,
                    self.body(NotifyEvent::Step, text, self.step_fields(None), json!({})),
                ))
            }
            Moment::Finished {
                outcome,
                elapsed_ms,
            } => self.finished(outcome, elapsed_ms),
        }
    }

    fn finished(&self, outcome: &Outcome, elapsed_ms: u64) -> Option<(NotifyEvent, Value)> {
        let took = crate::human::duration(std::time::Duration::from_millis(elapsed_ms));
        let outcome_name = serde_json::to_value(outcome)
            .ok()
            .and_then(|v| v["outcome"].as_str().map(String::from));
        let plan = &self.name;
        let (kind, text, extra) = match outcome {
            Outcome::Completed => (
                NotifyEvent::Done,
                format!(
                    "Restart of {plan}: done. All {} steps came back ({took}).",
                    self.state.steps.len()
                ),
                json!({}),
            ),
            Outcome::Stopped { steps, .. } => (
                NotifyEvent::Done,
                format!(
                    "Restart of {plan}: paused as planned after {}; everything restarted so far came back. The rest follows later.",
                    crate::human::count(*steps, "step")
                ),
                json!({}),
            ),
            Outcome::Halted { .. } => {
                let failure = self.state.failure.as_ref();
                let impact = failure
                    .as_ref()
                    .and_then(|f| f.impact.as_deref())
                    .map(str::trim);
                let first_line = failure
                    .as_ref()
                    .and_then(|f| f.runbook.as_deref())
                    .and_then(|r| r.lines().map(str::trim).find(|l| !l.is_empty()));
                let mut text = format!(
                    "Restart of {plan} HALTED at {}.",
                    self.step_words(Some(outcome))
                );
                text.push_str(&match impact {
                    Some(impact) => format!(" Impact: {impact}"),
                    None => " Impact: not described in the plan.".into(),
                });
                if !text.ends_with('.') {
                    text.push('.');
                }
                if let Some(line) = first_line {
                    text.push_str(&format!(" Next: {line}"));
                    if !text.ends_with('.') {
                        text.push('.');
                    }
                }
                text.push_str(
                    " Nothing else is being restarted. No ETA yet: the ops team is on it.",
                );
                (
                    NotifyEvent::Halt,
                    text,
                    json!({"impact": impact, "runbook_first_line": first_line}),
                )
            }
            Outcome::Unreachable { hosts } => (
                NotifyEvent::Halt,
                format!(
                    "Restart of {plan} did not start: {} did not answer. Nothing was touched.",
                    hosts.join(", ")
                ),
                json!({}),
            ),
            Outcome::StillRunning { hosts } => (
                NotifyEvent::Halt,
                format!(
                    "Restart of {plan} did not resume: a command of the interrupted run still runs on {}. Nothing was touched.",
                    hosts.join(", ")
                ),
                json!({}),
            ),
            Outcome::Invalid { .. } => (
                NotifyEvent::Halt,
                format!(
                    "Restart of {plan} did not start: the plan does not match the hosts. Nothing was touched."
                ),
                json!({}),
            ),
            Outcome::Interrupted { .. } | Outcome::Aborted { .. } => (
                NotifyEvent::Halt,
                format!(
                    "Restart of {plan} stopped by the operator at {}. No ETA yet.",
                    self.step_words(None)
                ),
                json!({}),
            ),
            Outcome::StaleReferences { .. } | Outcome::Blocked { .. } => return None,
        };
        let mut body = self.body(kind, text, self.step_fields(Some(outcome)), extra);
        body["outcome"] = json!(outcome_name);
        body["expected_end"] = Value::Null;
        Some((kind, body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::Event;
    use crate::exec::event::{Estimated, RunFinished, RunStarted, StepFailed, StepStarted};

    fn started(m: &mut Messages) {
        m.on(&Record::now(RunStarted::of(
            crate::exec::Mode::Run,
            &["db@db-01", "app@web-01"],
        )));
    }

    #[test]
    fn without_history_every_message_says_no_eta_yet() {
        let mut m = Messages::new("shop");
        started(&mut m);
        let (kind, start) = m
            .on(&Record::now(Event::Estimated(Estimated {
                steps: vec![(1, None), (2, None)],
                total_ms: None,
                batches: vec![],
            })))
            .expect("start");
        assert_eq!(kind, NotifyEvent::Start);
        assert_eq!(
            start["text"],
            "Restart of shop: starts: 2 steps, one service at a time. No ETA yet."
        );
        let (_, step) = m
            .on(&Record::now(Event::StepStarted(StepStarted {
                index: 2,
                step: "app@web-01".into(),
                resumed: None,
            })))
            .expect("step");
        assert_eq!(
            step["text"],
            "Restart of shop: step 2/2 app on web-01. No ETA yet."
        );
        assert_eq!(step["step"]["host"], "web-01");
        assert_eq!(step["expected_end"], Value::Null);
    }

    /// The run's end, halted at step 1 (db@db-01): the message it calls for.
    fn halted_at_db(m: &mut Messages) -> (NotifyEvent, Value) {
        m.on(&Record::now(Event::RunFinished(RunFinished {
            outcome: Outcome::Halted {
                index: 1,
                step: "db@db-01".into(),
            },
            elapsed_ms: 1000,
        })))
        .expect("halt")
    }

    /// Regression: the halt named the batch member started last, not the one that failed.
    #[test]
    fn a_halt_in_a_batch_names_the_member_that_failed() {
        let mut m = Messages::new("shop");
        started(&mut m);
        for (index, step) in [(1, "db@db-01"), (2, "app@web-01")] {
            m.on(&Record::now(Event::StepStarted(StepStarted {
                index,
                step: step.into(),
                resumed: None,
            })));
        }
        let (_, halt) = halted_at_db(&mut m);
        assert!(
            halt["text"]
                .as_str()
                .is_some_and(|t| t.contains("HALTED at step 1/2 db on db-01")),
            "{halt}"
        );
        assert_eq!(halt["step"]["host"], "db-01");
    }

    #[test]
    fn a_batched_run_says_so_when_it_starts() {
        let mut m = Messages::new("shop");
        started(&mut m);
        let (_, start) = m
            .on(&Record::now(Event::Estimated(Estimated {
                steps: vec![(1, None), (2, None)],
                total_ms: None,
                batches: vec![vec![1, 2]],
            })))
            .expect("start");
        assert_eq!(
            start["text"],
            "Restart of shop: starts: 2 steps, one service at a time, a few instances at once. No ETA yet."
        );
        // The estimate of a later event is no second start.
        assert!(
            m.on(&Record::now(Event::Estimated(Estimated {
                steps: vec![],
                total_ms: None,
                batches: vec![],
            })))
            .is_none()
        );
    }

    #[test]
    fn a_halt_says_what_users_feel_and_the_first_runbook_line() {
        let mut m = Messages::new("shop");
        started(&mut m);
        m.on(&Record::now(Event::StepStarted(StepStarted {
            index: 1,
            step: "db@db-01".into(),
            resumed: None,
        })));
        m.on(&Record::now(Event::StepFailed(StepFailed {
            index: 1,
            step: "db@db-01".into(),
            phase: crate::exec::Phase::HealthGate,
            target: "db@db-01".into(),
            check: None,
            reason: "tcp 3306 refused".into(),
            impact: Some("Customers cannot log in\n".into()),
            runbook: Some("\nCheck the galera state.\nThen bootstrap.".into()),
        })));
        let (kind, halt) = halted_at_db(&mut m);
        assert_eq!(kind, NotifyEvent::Halt);
        assert_eq!(
            halt["text"],
            "Restart of shop HALTED at step 1/2 db on db-01. Impact: Customers cannot log in. Next: Check the galera state. Nothing else is being restarted. No ETA yet: the ops team is on it."
        );
        assert_eq!(halt["impact"], "Customers cannot log in");
        assert_eq!(halt["runbook_first_line"], "Check the galera state.");
        assert_eq!(halt["outcome"], "halted");
    }
}
