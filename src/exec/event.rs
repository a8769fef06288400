//! What happens during a run, as typed events. The executor emits them; the progress display,
//! the JSON log, the journal and the report consume the same stream, so they cannot disagree.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Preflight,
    Restart,
    HealthGate,
    DependentsGate,
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Phase::Preflight => "preflight",
            Phase::Restart => "restart",
            Phase::HealthGate => "health gate",
            Phase::DependentsGate => "dependents gate",
        })
    }
}

/// How a step starts again on `resume`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resumed {
    /// The step never got past preflight: it runs again in full.
    Full,
    /// Its restart ran and then the step failed: it runs again in full, and its preflight
    /// accepts it being down (this run is what took it down).
    Retry,
    /// comeback died after the restart completed: its gates run again.
    GatesOnly,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum Outcome {
    /// Every step passed (a dry run: every step could run).
    Completed,
    /// A dry run found config references that no longer resolve or answer, and nothing else.
    StaleReferences { steps: Vec<String> },
    /// A step failed; nothing after it was touched.
    Halted { index: usize, step: String },
    /// The dry run found problems in these steps.
    Blocked { steps: Vec<String> },
    /// Hosts did not answer at the start: nothing was touched.
    Unreachable { hosts: Vec<String> },
    /// A unit the plan names is unknown on its host, the host's service manager cannot be
    /// told, or its pid file points at another program: nothing was touched.
    Invalid { problems: Vec<String> },
    /// Ctrl-C: the step in flight finished and was recorded; the rest did not run.
    Interrupted { after: Option<String> },
    /// A second Ctrl-C: the step in flight was abandoned where it stood.
    Aborted { step: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum Event {
    RunStarted {
        run_id: String,
        plan: String,
        dry_run: bool,
        /// Every step id of the selected order, first to last, with its number.
        steps: Vec<(usize, String)>,
        /// The selection that produced the order, for `resume` to compute it again.
        only: Vec<String>,
        limit: Vec<String>,
        with_dependents: bool,
    },
    /// `comeback resume` continues the run in the same journal.
    RunResumed {
        run_id: String,
        plan: String,
        steps: Vec<(usize, String)>,
        from: usize,
    },
    HostConnected {
        host: String,
    },
    HostUnreachable {
        host: String,
        error: String,
    },
    /// The service manager of a host with unit services, told once at connect.
    ManagerDetected {
        host: String,
        manager: Option<crate::inspect::Manager>,
        error: Option<String>,
    },
    StepStarted {
        index: usize,
        step: String,
        resumed: Option<Resumed>,
    },
    PhaseStarted {
        index: usize,
        phase: Phase,
        /// How many checks the phase waits for (the gates), for progress.
        checks: usize,
    },
    /// What preflight found on the host: config references and their status, drift.
    Inspected {
        index: usize,
        step: String,
        missing_configs: Vec<String>,
        unreadable_configs: Vec<String>,
        references: Vec<crate::inspect::ReferenceFinding>,
        process: Option<crate::inspect::ProcessInfo>,
        drift: Vec<crate::inspect::Drift>,
        /// What could not be inspected, and why.
        errors: Vec<String>,
    },
    /// The restart command exited 0: from here on, a resume re-runs only the gates.
    Restarted {
        index: usize,
        elapsed_ms: u64,
    },
    /// The process before and after the restart command, and whether that proves a restart
    /// (a new process started after the command) or a reload (the same process).
    RestartEvidence {
        index: usize,
        action: crate::plan::model::Action,
        command: String,
        before: Option<super::units::Seen>,
        after: Option<super::units::Seen>,
        proved: bool,
    },
    /// The service has no `health`: these checks were inferred from its unit and old ports.
    ChecksInferred {
        index: usize,
        checks: Vec<String>,
    },
    /// Configs changed under the old process that the new one (or the reload) loaded at last.
    ConfigsLoaded {
        index: usize,
        paths: Vec<String>,
    },
    /// A check passed for the first time; it must keep passing for `settle_ms`.
    CheckUp {
        index: usize,
        phase: Phase,
        target: String,
        check: String,
        healthy_after_ms: u64,
        settle_ms: u64,
    },
    CheckPassed {
        index: usize,
        phase: Phase,
        /// The instance whose check it is: this step's, or a dependent's.
        target: String,
        check: String,
        attempts: u32,
        healthy_after_ms: u64,
    },
    StepSucceeded {
        index: usize,
        step: String,
        elapsed_ms: u64,
    },
    StepFailed {
        index: usize,
        step: String,
        phase: Phase,
        target: String,
        check: Option<String>,
        reason: String,
        /// The service's `impact` and `runbook`, so every consumer can tell the operator.
        impact: Option<String>,
        runbook: Option<String>,
    },
    RunFinished {
        outcome: Outcome,
        elapsed_ms: u64,
    },
}

/// Anything that listens to the run: a printer, the journal, a report builder.
pub trait Consumer: Send {
    fn on(&mut self, event: &Event);
}

/// The one place events go out: fans each event to every consumer, in order.
#[derive(Default)]
pub struct Events {
    consumers: std::sync::Mutex<Vec<Box<dyn Consumer>>>,
}

impl Events {
    pub fn new(consumers: Vec<Box<dyn Consumer>>) -> Self {
        Events {
            consumers: std::sync::Mutex::new(consumers),
        }
    }

    pub fn emit(&self, event: Event) {
        let mut consumers = self.consumers.lock().unwrap_or_else(|p| p.into_inner());
        for c in consumers.iter_mut() {
            c.on(&event);
        }
    }
}
