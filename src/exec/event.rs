//! What happens during a run, as typed events. The executor emits them; the progress display,
//! the JSON log, the journal and the report consume the same stream, so they cannot disagree.

use serde::{Deserialize, Serialize};

/// The phases of a step, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The host answers, the service is healthy now, its references resolve.
    Preflight,
    /// The restart command and its proof.
    Restart,
    /// The service's checks pass, then keep passing for `settle`.
    HealthGate,
    /// The checks of its dependents still pass.
    DependentsGate,
    /// The `before` hooks, between preflight and the restart.
    BeforeHooks,
    /// The `after` hooks, once the health gate passed.
    AfterHooks,
    /// A cluster's leader hands its role to another member before its restart.
    Switchover,
    /// The member rejoined and its cluster is whole again.
    ClusterGate,
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Phase::Preflight => "preflight",
            Phase::Restart => "restart",
            Phase::HealthGate => "health gate",
            Phase::DependentsGate => "dependents gate",
            Phase::BeforeHooks => "before hooks",
            Phase::AfterHooks => "after hooks",
            Phase::Switchover => "switchover",
            Phase::ClusterGate => "cluster gate",
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
    /// comeback died while the restart command ran: the exit status the host kept tells
    /// whether it completed (then its proof and gates run); only when the host cannot tell does
    /// the step run again in full.
    Recover,
}

/// What a run added up to; the exit code follows from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum Outcome {
    /// Every step passed (a dry run: every step could run).
    Completed,
    /// A dry run found config references that no longer resolve or answer, and nothing else.
    StaleReferences {
        /// The steps whose configs name them.
        steps: Vec<String>,
    },
    /// A step failed; nothing after it was touched.
    Halted {
        /// The failed step's number.
        index: usize,
        /// The failed step.
        step: String,
    },
    /// The dry run found problems in these steps.
    Blocked {
        /// The steps that would not pass preflight.
        steps: Vec<String>,
    },
    /// Hosts did not answer at the start: nothing was touched.
    Unreachable {
        /// The hosts that did not answer.
        hosts: Vec<String>,
    },
    /// A unit the plan names is unknown on its host, the host's service manager cannot be
    /// told, or its pid file points at another program: nothing was touched.
    Invalid {
        /// What is wrong, one line each.
        problems: Vec<String>,
    },
    /// Ctrl-C: the step in flight finished and was recorded; the rest did not run.
    Interrupted {
        /// The last step done, if any.
        after: Option<String>,
    },
    /// A second Ctrl-C: the step in flight was abandoned where it stood.
    Aborted {
        /// The step abandoned, if one was in flight.
        step: Option<String>,
    },
    /// `--stop-after N` or the operator's `no` at `--step`: a clean stop; `resume` continues.
    Stopped {
        /// The last step done, if any.
        after: Option<String>,
        /// How many steps this invocation ran.
        steps: usize,
    },
    /// `resume` found commands of the interrupted run still running on these hosts, and they
    /// did not end while it waited: it touched nothing.
    StillRunning {
        /// The hosts where they run.
        hosts: Vec<String>,
    },
}

/// Which of a service's hook lists a command belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HookWhen {
    /// The `before` hooks.
    Before,
    /// The `after` hooks.
    After,
}

impl std::fmt::Display for HookWhen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            HookWhen::Before => "before",
            HookWhen::After => "after",
        })
    }
}

/// What a walk does, chosen once when it starts and carried by its first event, so every
/// consumer (progress, journal, report, notifications) says the same word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The controlled restart.
    #[default]
    Run,
    /// Read-only: every step's preflight, nothing restarted, never halts.
    DryRun,
    /// Read-only like a dry run, for the takeover report; never looks past an unhealthy service.
    Audit,
}

impl Mode {
    /// Whether the walk only looks (dry run, audit).
    pub fn read_only(self) -> bool {
        self != Mode::Run
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Mode::Run => "run",
            Mode::DryRun => "dry run",
            Mode::Audit => "audit",
        })
    }
}

/// Something that happened during a run. Its JSON form (`event` names the variant) is what the
/// journal and `--log-format json` write: part of the contract.
///
/// New variants come: a consumer outside this crate keeps a `_` arm; inside it, every match
/// lists the variants it ignores, so the compiler names each consumer of a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
#[non_exhaustive]
pub enum Event {
    /// A new run (or dry run, or audit) starts: its first event.
    RunStarted(RunStarted),
    /// `comeback resume` continues the run in the same journal.
    RunResumed(RunResumed),
    /// A host answered at the start.
    HostConnected(HostConnected),
    /// A host did not answer at the start.
    HostUnreachable(HostUnreachable),
    /// The service manager of a host with unit services, told once at connect.
    ManagerDetected(ManagerDetected),
    /// A batch begins: these steps of one service run side by side, one unit of the walk.
    BatchStarted(BatchStarted),
    /// A step begins.
    StepStarted(StepStarted),
    /// A phase of a step begins.
    PhaseStarted(PhaseStarted),
    /// What preflight found on the host: config references and their status, drift.
    Inspected(Inspected),
    /// What every member of a cluster said of it at one moment, in the cluster's own words.
    ClusterViewed(ClusterViewed),
    /// Whether a cluster could come back from a full outage, and from which member (a dry
    /// run's and an audit's).
    ClusterVerdict(ClusterVerdict),
    /// A cold start's plan: which member goes first, and why.
    ColdStart(ColdStartChosen),
    /// A real run's preflight of every step passed, before the first restart.
    Prechecked(Prechecked),
    /// The restart command is about to be sent: the processes it should replace and the host's
    /// clock, journaled first so that a resume after comeback died can prove what it did.
    RestartBegun(RestartBegun),
    /// What a resume found on the host of a restart comeback did not see end: its exit status
    /// and end, as the remote wrapper kept them, or nothing (unknown: the step runs again).
    RestartFound(RestartFound),
    /// The restart command exited 0: from here on, a resume re-runs only the gates.
    Restarted(Restarted),
    /// The process before and after the restart command, and whether that proves a restart
    /// (a new process started after the command) or a reload (the same process).
    RestartEvidence(RestartEvidence),
    /// The service manager had to kill the unit to stop it (its stop timed out): the restart
    /// happened, but the old process did not shut down cleanly.
    StopForced(StopForced),
    /// The service has no `health`: these checks were inferred from its unit and old ports.
    ChecksInferred(ChecksInferred),
    /// Configs changed under the old process that the new one (or the reload) loaded at last.
    ConfigsLoaded(ConfigsLoaded),
    /// A check passed for the first time; it must keep passing for `settle_ms`.
    CheckUp(CheckUp),
    /// A check passed (and, with a settle time, kept passing).
    CheckPassed(CheckPassed),
    /// A step passed every phase.
    StepSucceeded(StepSucceeded),
    /// A step failed: the run halts (a dry run goes on).
    StepFailed(StepFailed),
    /// A command of this run (or of the interrupted run a resume continues) still runs on its
    /// host: `resume` waits for it (at most `wait_ms`) before it touches anything.
    CommandStillRunning(CommandStillRunning),
    /// That command ended (or, when `killed`, comeback killed it: an abort, or the end of a run
    /// that left it behind).
    CommandEnded(CommandEnded),
    /// The run's last event.
    RunFinished(RunFinished),
    /// A `before` or `after` hook finished (or failed); its output is bounded and masked.
    HookRan(HookRan),
    /// The step failed after its `before` hooks ran and before all its `after` hooks did: the
    /// node is still out (drained). These are the commands to run by hand, in order.
    HooksPending(HooksPending),
    /// Expected durations from earlier runs (median per step); `None`: no estimate yet.
    Estimated(Estimated),
    /// `--pause`: waiting before the next step.
    Pausing(Pausing),
    /// `--step`: the operator is being asked whether to run this step (or this batch).
    Asking(Asking),
    /// The operator asked comeback to stop (Ctrl-C, SIGTERM, SIGHUP): the first time it finishes
    /// the step in flight, the second (`now`) it kills the command in flight.
    StopAsked(StopAsked),
    /// A webhook could not be told; the run went on.
    NotifyFailed(NotifyFailed),
}

#[cfg(test)]
impl RunStarted {
    /// A `mode` run of `/srv/plan.yaml` over `steps`, numbered from 1: the consumers' tests.
    pub(crate) fn of(mode: Mode, steps: &[&str]) -> Event {
        Event::RunStarted(RunStarted {
            run_id: "R".into(),
            plan: "/srv/plan.yaml".into(),
            plan_sha256: None,
            mode,
            steps: steps
                .iter()
                .enumerate()
                .map(|(i, s)| (i + 1, s.to_string()))
                .collect(),
            only: Vec::new(),
            limit: Vec::new(),
            with_dependents: false,
        })
    }
}

/// A new run (or dry run, or audit) starts: its first event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunStarted {
    /// The run's id (its folder under `runs/`).
    pub run_id: String,
    /// The plan file, as an absolute path.
    pub plan: String,
    /// The plan file's SHA-256 when the run started: `resume` without `--plan` checks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_sha256: Option<String>,
    /// Run, dry run or audit (a resume starts with `RunResumed` and is always a run).
    pub mode: Mode,
    /// Every step id of the selected order, first to last, with its number.
    pub steps: Vec<(usize, String)>,
    /// The selection that produced the order, for `resume` to compute it again.
    pub only: Vec<String>,
    /// `--limit` of the selection.
    pub limit: Vec<String>,
    /// `--with-dependents` of the selection.
    pub with_dependents: bool,
}

/// `comeback resume` continues the run in the same journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunResumed {
    /// The run's id (its folder under `runs/`).
    pub run_id: String,
    /// The plan file, as an absolute path.
    pub plan: String,
    /// The plan file's SHA-256 when this resume read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_sha256: Option<String>,
    /// Every step of the order, first to last, with its number.
    pub steps: Vec<(usize, String)>,
    /// The number of the step it continues at.
    pub from: usize,
}

/// A host answered at the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostConnected {
    /// The host's name in the plan.
    pub host: String,
}

/// A host did not answer at the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostUnreachable {
    /// The host's name in the plan.
    pub host: String,
    /// Why.
    pub error: String,
}

/// The service manager of a host with unit services, told once at connect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagerDetected {
    /// The host's name in the plan.
    pub host: String,
    /// The service manager found, if one was.
    pub manager: Option<crate::inspect::Manager>,
    /// Why it could not be told, if it could not.
    pub error: Option<String>,
}

/// A batch begins: these steps of one service run side by side, one unit of the walk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchStarted {
    /// The service.
    pub service: String,
    /// The batch's number among this service's batches in the walk, from 1.
    pub batch: usize,
    /// Its steps' numbers in the whole order.
    pub indices: Vec<usize>,
    /// Its steps, `service@host`.
    pub steps: Vec<String>,
}

/// A step begins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepStarted {
    /// The step's number in the whole order.
    pub index: usize,
    /// The step, `service@host`.
    pub step: String,
    /// How it starts again, when a resume runs it.
    pub resumed: Option<Resumed>,
}

/// A phase of a step begins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseStarted {
    /// The step's number in the whole order.
    pub index: usize,
    /// The phase of the step.
    pub phase: Phase,
    /// How many checks the phase waits for (the gates), for progress.
    pub checks: usize,
}

/// What preflight found on the host: config references and their status, drift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspected {
    /// The step's number in the whole order.
    pub index: usize,
    /// The step, `service@host`.
    pub step: String,
    /// Configs the plan names that do not exist on the host.
    pub missing_configs: Vec<String>,
    /// Configs that exist but could not be read.
    pub unreadable_configs: Vec<String>,
    /// The hosts its configs name, and whether each resolves and answers.
    pub references: Vec<crate::inspect::ReferenceFinding>,
    /// The service's process, when it could be found.
    pub process: Option<crate::inspect::ProcessInfo>,
    /// What changed under the running process (configs, its binary).
    pub drift: Vec<crate::inspect::Drift>,
    /// What could not be inspected, and why.
    pub errors: Vec<String>,
    /// What the operator should know that does not stop the step: a unit not enabled at
    /// boot, a restart nothing can prove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The units a restart of this umbrella unit really restarts, each proved on its own
    /// (`postgresql@15-main` of `postgresql`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
}

/// What every member of a cluster said of it at one moment, in the cluster's own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterViewed {
    /// The service whose instances form the cluster.
    pub service: String,
    /// Its kind.
    pub kind: crate::cluster::Kind,
    /// The step whose member the view is around; none for the view before the walk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// When it was taken.
    pub moment: super::cluster::Moment,
    /// Each member as it sees itself and the cluster.
    pub members: Vec<crate::cluster::Member>,
    /// Why it is not whole; empty when it is.
    pub problems: Vec<String>,
    /// Before the walk: the members in the order they restart (the leader last).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order: Vec<String>,
}

/// Whether a cluster could come back from a full outage, and from which member (a dry
/// run's and an audit's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterVerdict {
    /// The service whose instances form the cluster.
    pub service: String,
    /// The answer.
    #[serde(flatten)]
    pub verdict: crate::cluster::Verdict,
}

/// A cold start's plan: which member goes first, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColdStartChosen {
    /// The service whose instances form the cluster.
    pub service: String,
    /// The member brought up first.
    pub first: String,
    /// How it comes up first (the kind's way), and why this member.
    pub how: String,
    /// What may be lost, when the operator chose a member that is not the most advanced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// A real run's preflight of every step passed, before the first restart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prechecked {
    /// How many steps were looked at.
    pub steps: usize,
    /// How long it took, in milliseconds.
    pub elapsed_ms: u64,
}

/// The restart command is about to be sent: the processes it should replace and the host's
/// clock, journaled first so that a resume after comeback died can prove what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestartBegun {
    /// The step's number in the whole order.
    pub index: usize,
    /// The processes before the command (none when the plan cannot tell them).
    pub before: Vec<super::proof::Tracked>,
    /// Unix seconds on the host just before the command.
    pub host_now: i64,
}

/// What a resume found on the host of a restart comeback did not see end: its exit status
/// and end, as the remote wrapper kept them, or nothing (unknown: the step runs again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestartFound {
    /// The step's number in the whole order.
    pub index: usize,
    /// The restart command's exit status, if the host kept it.
    pub code: Option<i32>,
    /// When it ended, unix seconds on the host.
    pub ended: Option<i64>,
}

/// The restart command exited 0: from here on, a resume re-runs only the gates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restarted {
    /// The step's number in the whole order.
    pub index: usize,
    /// How long it took, in milliseconds.
    pub elapsed_ms: u64,
}

/// The process before and after the restart command, and whether that proves a restart
/// (a new process started after the command) or a reload (the same process).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestartEvidence {
    /// The step's number in the whole order.
    pub index: usize,
    /// Restart or reload.
    pub action: crate::plan::model::Action,
    /// The command, secrets masked.
    pub command: String,
    /// The member unit whose process this is, when it is not the service's own unit (an
    /// umbrella unit's: `postgresql@15-main` of `postgresql`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The process before the command.
    pub before: Option<super::proof::Seen>,
    /// The process after the command.
    pub after: Option<super::proof::Seen>,
    /// Whether that proves the action (a new process, or the same one for a reload).
    pub proved: bool,
}

/// The service manager had to kill the unit to stop it (its stop timed out): the restart
/// happened, but the old process did not shut down cleanly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopForced {
    /// The step's number in the whole order.
    pub index: usize,
    /// The unit that was killed.
    pub unit: String,
    /// The manager's log line that says so.
    pub log: String,
}

/// The service has no `health`: these checks were inferred from its unit and old ports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecksInferred {
    /// The step's number in the whole order.
    pub index: usize,
    /// The checks, as the operator reads them.
    pub checks: Vec<String>,
}

/// Configs changed under the old process that the new one (or the reload) loaded at last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigsLoaded {
    /// The step's number in the whole order.
    pub index: usize,
    /// The configs.
    pub paths: Vec<String>,
}

/// A check passed for the first time; it must keep passing for `settle_ms`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckUp {
    /// The step's number in the whole order.
    pub index: usize,
    /// The phase of the step.
    pub phase: Phase,
    /// `service@host` whose check it is: this step's, or a dependent's.
    pub target: String,
    /// The check, as the operator reads it (`tcp 5432`).
    pub check: String,
    /// From the start of the gate to the check passing, in milliseconds.
    pub healthy_after_ms: u64,
    /// How long it must keep passing, in milliseconds.
    pub settle_ms: u64,
}

/// A check passed (and, with a settle time, kept passing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckPassed {
    /// The step's number in the whole order.
    pub index: usize,
    /// The phase of the step.
    pub phase: Phase,
    /// The instance whose check it is: this step's, or a dependent's.
    pub target: String,
    /// The check, as the operator reads it (`tcp 5432`).
    pub check: String,
    /// How many tries it took.
    pub attempts: u32,
    /// From the start of the gate to the check passing, in milliseconds.
    pub healthy_after_ms: u64,
}

/// A step passed every phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepSucceeded {
    /// The step's number in the whole order.
    pub index: usize,
    /// The step, `service@host`.
    pub step: String,
    /// How long it took, in milliseconds.
    pub elapsed_ms: u64,
}

/// A step failed: the run halts (a dry run goes on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepFailed {
    /// The step's number in the whole order.
    pub index: usize,
    /// The step, `service@host`.
    pub step: String,
    /// The phase of the step.
    pub phase: Phase,
    /// `service@host` whose check it is: this step's, or a dependent's.
    pub target: String,
    /// The check that failed, if a check did.
    pub check: Option<String>,
    /// What the operator reads about the failure.
    pub reason: String,
    /// The service's `impact` and `runbook`, so every consumer can tell the operator.
    pub impact: Option<String>,
    /// The service's `runbook`.
    pub runbook: Option<String>,
}

/// A command of this run (or of the interrupted run a resume continues) still runs on its
/// host: `resume` waits for it (at most `wait_ms`) before it touches anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandStillRunning {
    /// The host's name in the plan.
    pub host: String,
    /// Its process group on the host.
    pub pgid: u32,
    /// How long it has been running, in seconds.
    pub age_s: u64,
    /// Secrets masked.
    pub command: String,
    /// How long `resume` waits for it at most, in milliseconds.
    pub wait_ms: u64,
}

/// That command ended (or, when `killed`, comeback killed it: an abort, or the end of a run
/// that left it behind).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandEnded {
    /// The host's name in the plan.
    pub host: String,
    /// Its process group on the host.
    pub pgid: u32,
    /// The command, secrets masked.
    pub command: String,
    /// comeback killed it.
    pub killed: bool,
}

/// The run's last event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunFinished {
    /// What the run added up to.
    pub outcome: Outcome,
    /// How long it took, in milliseconds.
    pub elapsed_ms: u64,
}

/// A `before` or `after` hook finished (or failed); its output is bounded and masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookRan {
    /// The step's number in the whole order.
    pub index: usize,
    /// Before or after the restart.
    pub when: HookWhen,
    /// The host's name in the plan.
    pub host: String,
    /// The command, secrets masked.
    pub command: String,
    /// It exited 0.
    pub ok: bool,
    /// Its exit code, if it exited.
    pub code: Option<i32>,
    /// The deadline killed it.
    pub timed_out: bool,
    /// The last lines of its output, bounded and masked.
    pub output: String,
    /// How long it took, in milliseconds.
    pub elapsed_ms: u64,
}

/// The step failed after its `before` hooks ran and before all its `after` hooks did: the
/// node is still out (drained). These are the commands to run by hand, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HooksPending {
    /// The step's number in the whole order.
    pub index: usize,
    /// The step, `service@host`.
    pub step: String,
    /// (host, command)
    pub after: Vec<(String, String)>,
}

/// Expected durations from earlier runs (median per step); `None`: no estimate yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Estimated {
    /// Each step's median from earlier runs (`None`: no history).
    pub steps: Vec<(usize, Option<u64>)>,
    /// The run's expected length when every step has a median: a batch counts as its
    /// slowest member, since its members restart side by side.
    pub total_ms: Option<u64>,
    /// The batches of the walk, each the step numbers that restart side by side (a step
    /// in none restarts alone).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub batches: Vec<Vec<usize>>,
}

/// `--pause`: waiting before the next step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pausing {
    /// The number of the step it waits before.
    pub before: usize,
    /// How long, in milliseconds.
    pub ms: u64,
}

/// `--step`: the operator is being asked whether to run this step (or this batch).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asking {
    /// The step's number in the whole order (a batch's first).
    pub index: usize,
    /// The step, `service@host` (a batch's first).
    pub step: String,
    /// A batch's steps, all of them, when the question is about a batch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub batch: Vec<String>,
}

/// The operator asked comeback to stop (Ctrl-C, SIGTERM, SIGHUP): the first time it finishes
/// the step in flight, the second (`now`) it kills the command in flight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopAsked {
    /// The signal's name (`Ctrl-C`, `SIGTERM`, `SIGHUP`).
    pub signal: String,
    /// A second request: the command in flight is killed.
    pub now: bool,
}

/// A webhook could not be told; the run went on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifyFailed {
    /// The webhook, its secrets masked.
    pub url: String,
    /// start, step, halt or done.
    pub message: String,
    /// Why.
    pub error: String,
}

/// The version of the recorded form of events (journal, JSON log). 2: `RunStarted` says its
/// `mode` (was `dry_run`). 3: each journal line ends with its seal (`h`), and the run's start
/// and resumes carry the plan's hash.
pub const VERSION: u32 = 3;

/// An event as it was emitted: stamped once, so the journal, the log, the progress display and
/// the report (even one rebuilt from the journal after a resume) all tell the same time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The version of this recorded form ([`VERSION`]).
    pub v: u32,
    /// RFC 3339, UTC.
    pub ts: String,
    #[serde(flatten)]
    /// The event.
    pub event: Event,
}

impl Record {
    /// The event, stamped now, its secrets masked: no consumer ever sees one.
    pub fn now(event: Event) -> Record {
        Record {
            v: VERSION,
            ts: now_rfc3339(),
            event: crate::redact::masked(event),
        }
    }
}

pub(crate) fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Anything that listens to the run: a printer, the journal, a report builder.
pub trait Consumer: Send {
    /// Called with every event of the run, in order, as it is emitted.
    fn on(&mut self, record: &Record);
}

/// The one place events go out: fans each event to every consumer, in order.
#[derive(Default)]
pub struct Events {
    consumers: std::sync::Mutex<Vec<Box<dyn Consumer>>>,
}

impl Events {
    /// Events fanned out to `consumers`, in this order.
    pub fn new(consumers: Vec<Box<dyn Consumer>>) -> Self {
        Events {
            consumers: std::sync::Mutex::new(consumers),
        }
    }

    /// Stamps `event` and hands it to every consumer.
    pub fn emit(&self, event: Event) {
        self.forward(&Record::now(event));
    }

    /// Hands on an event stamped earlier (replayed in order), keeping its time.
    pub fn forward(&self, record: &Record) {
        let mut consumers = self.consumers.lock().unwrap_or_else(|p| p.into_inner());
        for c in consumers.iter_mut() {
            c.on(record);
        }
    }
}
