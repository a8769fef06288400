//! A cluster restarted the way its operators do it: every member is asked what the cluster
//! looks like before the walk (the dry run says it too), members that do not lead go first and
//! the leader last, the lead is moved away first where the plan asks, no member goes down while
//! the cluster is not whole, and after each member the cluster must be whole again (the member
//! rejoined) within the cluster's timeout before the next one.

use super::event::{ClusterVerdict, ClusterViewed, ColdStartChosen, Inspected};
use super::{Event, Executor, Phase, Resumed, Sink, StepFailure};
use crate::cluster::{self, Answer, Cluster, View};
use crate::plan::Step;
use crate::plan::model::{HostId, ServiceId};
use crate::transport::Transport;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The check a cluster's verdict is told under.
const CLUSTER: &str = "cluster";
/// The deadline of one member's answer (`rabbitmqctl` alone takes seconds to start).
const ASK_DEADLINE: Duration = Duration::from_secs(30);
/// Between two looks while waiting for the cluster to be whole.
const POLL: Duration = Duration::from_secs(1);

/// When a cluster's view was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Moment {
    /// Before the walk: what decides the order, and whether anything may start.
    Start,
    /// Just before a member is touched.
    Before,
    /// Once the lead was moved away from the member about to restart.
    Switchover,
    /// Once the member restarted: it rejoined and the cluster is whole, or the gate gave up.
    After,
}

impl std::fmt::Display for Moment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Moment::Start => "at the start",
            Moment::Before => "before the restart",
            Moment::Switchover => "after the switchover",
            Moment::After => "after the restart",
        })
    }
}

/// The views of the clusters taken before the walk.
pub(super) type StartViews = HashMap<ServiceId, View>;

/// `--cold-start`: bring back a cluster whose members are all down.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColdStart {
    /// `--bootstrap HOST`: the member to bring up first, instead of comeback's choice.
    pub bootstrap: Option<String>,
}

/// A cold start as planned before the walk: the member that goes first and how it comes up
/// (Galera's `galera_new_cluster`), and how many members come up side by side first (a quorum
/// of etcd or ZooKeeper: each waits for one before it serves).
#[derive(Debug, Clone, Default)]
pub(super) struct Cold {
    pub(super) asked: ColdStart,
    pub(super) first: Option<HostId>,
    pub(super) up_first: Option<cluster::cold::FirstUp>,
    pub(super) together: usize,
}

impl<T: Transport> Executor<'_, T> {
    /// One read-only question to a member's host, its answer kept whatever happens.
    async fn answer(
        &self,
        host: HostId,
        question: &crate::plan::model::ShellCommand,
        deadline: Duration,
    ) -> Answer {
        match self.transport.run_command(host, question, deadline).await {
            Ok(out) => Answer {
                code: out.code.filter(|_| !out.timed_out),
                stdout: out.stdout,
                stderr: out.stderr,
            },
            Err(e) => Answer {
                code: None,
                stdout: String::new(),
                stderr: e.to_string(),
            },
        }
    }

    /// Asks every member of `service` at once what the cluster looks like from there.
    pub(super) async fn ask_cluster(&self, service: ServiceId) -> View {
        self.ask_cluster_within(service, ASK_DEADLINE).await
    }

    /// As [`Self::ask_cluster`], each answer within `deadline`.
    async fn ask_cluster_within(&self, service: ServiceId, deadline: Duration) -> View {
        let s = &self.model.services[service];
        let Some(c) = &s.cluster else {
            return View::default();
        };
        let members = s.instances.iter().enumerate().map(|(i, inst)| async move {
            let host = &self.model.hosts[inst.host].name;
            let mut answers = Vec::new();
            for question in cluster::questions(c, i, &inst.configs) {
                answers.push(self.answer(inst.host, &question, deadline).await);
            }
            cluster::read(c.kind, host, &answers)
        });
        View {
            members: futures_util::future::join_all(members).await,
        }
    }

    /// Before the walk: every cluster among `steps` asked and told; the steps in the order the
    /// walk takes them, each cluster's leader after its other members. `pinned` keeps the
    /// first step first (a resume's step in flight).
    pub(super) async fn look_at_clusters(&mut self, steps: &[Step], pinned: bool) -> Vec<Step> {
        let mut services: Vec<ServiceId> = Vec::new();
        for s in steps {
            if self.model.services[s.service].cluster.is_some() && !services.contains(&s.service) {
                services.push(s.service);
            }
        }
        let views =
            futures_util::future::join_all(services.iter().map(|&s| self.ask_cluster(s))).await;
        let mut ordered = steps.to_vec();
        for (&service, view) in services.iter().zip(views) {
            if let Some(leader) = view.leader() {
                let host = self.model.services[service].instances[leader].host;
                leader_last(&mut ordered, service, host, pinned);
            }
            let order = ordered
                .iter()
                .filter(|s| s.service == service)
                .map(|s| self.model.hosts[s.host].name.clone())
                .collect();
            self.tell_view(self.events, service, None, Moment::Start, &view, order);
            self.clusters.insert(service, view);
        }
        ordered
    }

    /// Before a cold start's walk: every member is down (a new run refuses otherwise, naming
    /// the ones that run), the first member is chosen from their own files, and the steps put in
    /// the order the walk takes them: that member first.
    pub(super) async fn plan_cold_start(
        &mut self,
        steps: &[Step],
        resumed: bool,
    ) -> Result<Vec<Step>, super::Outcome> {
        let invalid = |problem: String| super::Outcome::Invalid {
            problems: vec![problem],
        };
        let Some(step) = steps.first() else {
            return Ok(Vec::new());
        };
        let service = &self.model.services[step.service];
        let Some(c) = &service.cluster else {
            return Err(invalid(format!(
                "--cold-start: {} is not a cluster (it has no `cluster:`)",
                service.name
            )));
        };
        cluster::cold::supported(c.kind)
            .map_err(|why| invalid(format!("cold start of {}: {why}", service.name)))?;
        let view = self.ask_cluster(step.service).await;
        self.tell_view(
            self.events,
            step.service,
            None,
            Moment::Start,
            &view,
            Vec::new(),
        );
        let asked = self
            .cold
            .as_ref()
            .map(|c| c.asked.clone())
            .unwrap_or_default();
        // Down means down: the manager and the process say so, not only a silent client (a
        // member starting, or a wrong password, answers nothing and still runs).
        let mut running: Vec<String> = view
            .members
            .iter()
            .filter(|m| m.answered)
            .map(|m| format!("{} ({})", m.host, m.state))
            .collect();
        for s in steps {
            let host = &self.model.hosts[s.host].name;
            if running.iter().any(|r| r.starts_with(&format!("{host} ("))) {
                continue;
            }
            if let Some(why) = self.runs(s).await {
                running.push(format!("{host} ({why})"));
            }
        }
        if resumed {
            // A resumed cold start goes on in the journal's order, from the same first member:
            // a member still coming up must not make it bootstrap another.
            let first = asked
                .bootstrap
                .as_deref()
                .and_then(|b| self.model.host_index(b));
            // A lone etcd or ZooKeeper member never answers: it waits for the others.
            if view.members.iter().all(|m| !m.answered)
                && !running.is_empty()
                && !cluster::cold::waits_for_quorum(c.kind)
            {
                return Err(invalid(format!(
                    "cold start of {}: {} run{} but do{} not answer yet: wait until it is back, then resume",
                    service.name,
                    running.join(", "),
                    if running.len() == 1 { "s" } else { "" },
                    if running.len() == 1 { "es" } else { "" }
                )));
            }
            let nothing_back = view.members.iter().all(|m| !m.answered);
            // The members that run count toward the quorum; the rest of it comes up together.
            let quorum = cluster::cold::together(c.kind, service.instances.len());
            self.cold = Some(Cold {
                up_first: first
                    .filter(|_| nothing_back)
                    .and_then(|_| cluster::cold::up_first(c.kind)),
                first: first.filter(|_| nothing_back),
                asked,
                together: quorum.saturating_sub(running.len()).max(1),
            });
            return Ok(steps.to_vec());
        }
        if !running.is_empty() {
            return Err(invalid(format!(
                "cold start of {} refused: {} still run{}; a cold start is for a cluster whose members are all down (a running cluster restarts with `comeback run` without --cold-start)",
                service.name,
                running.join(", "),
                if running.len() == 1 { "s" } else { "" }
            )));
        }
        let recover = !self.looks_only() && !self.options.mode.read_only();
        let this = &*self;
        let found = futures_util::future::join_all(service.instances.iter().map(|inst| {
            let host = this.model.hosts[inst.host].name.clone();
            async move {
                match cluster::cold::question(c.kind, &inst.configs, recover) {
                    Some(q) => cluster::cold::read(
                        c.kind,
                        &host,
                        &this.answer(inst.host, &q, ASK_DEADLINE * 4).await,
                    ),
                    None => cluster::cold::Found {
                        host,
                        ..Default::default()
                    },
                }
            }
        }))
        .await;
        let crashed: Vec<&str> = found
            .iter()
            .filter(|f| f.seqno == Some(-1))
            .map(|f| f.host.as_str())
            .collect();
        if !recover && !crashed.is_empty() && asked.bootstrap.is_none() {
            // A crash left no position: the real cold start recovers them first.
            self.events.emit(Event::ColdStart(ColdStartChosen {
                service: service.name.clone(),
                first: "the most advanced member".into(),
                how: format!(
                    "once galera_recovery (mysqld --wsrep-recover) has learnt the position of {} (crashed: seqno -1), bootstrapped with galera_new_cluster; then the others one at a time, each Synced before the next",
                    crashed.join(", ")
                ),
                warning: None,
            }));
            return Ok(steps.to_vec());
        }
        let choice = cluster::cold::choose(c.kind, &found, asked.bootstrap.as_deref())
            .map_err(|why| invalid(format!("cold start of {}: {why}", service.name)))?;
        let first = service.instances[choice.first].host;
        self.events.emit(Event::ColdStart(ColdStartChosen {
            service: service.name.clone(),
            first: self.model.hosts[first].name.clone(),
            how: choice.how,
            warning: choice.warning,
        }));
        let mut ordered = steps.to_vec();
        if let Some(at) = ordered.iter().position(|s| s.host == first) {
            let step = ordered.remove(at);
            ordered.insert(0, step);
        }
        self.cold = Some(Cold {
            asked,
            first: Some(first),
            up_first: choice.up_first,
            together: choice.together,
        });
        Ok(ordered)
    }

    /// Why the step's service runs on its host, as its manager or its process says; `None`
    /// when it is down.
    async fn runs(&self, step: &Step) -> Option<String> {
        if self.model.services[step.service].unit.is_some()
            && let Ok(found) = self.manager_preflight(step).await
            && found.not_running.is_none()
        {
            return Some("its service manager says it runs".into());
        }
        match self.processes_of(step.service, step.host).await {
            Some(Ok(found)) => found
                .into_iter()
                .find_map(|f| f.process)
                .map(|p| format!("its process runs as pid {}", p.pid)),
            _ => None,
        }
    }

    /// Tells what the members said at `moment`, as the step numbered `index` (none: the
    /// view before the walk).
    fn tell_view(
        &self,
        events: &super::Events,
        service: ServiceId,
        index: Option<usize>,
        moment: Moment,
        view: &View,
        order: Vec<String>,
    ) {
        let s = &self.model.services[service];
        let Some(c) = &s.cluster else { return };
        events.emit(Event::ClusterViewed(ClusterViewed {
            service: s.name.clone(),
            kind: c.kind,
            index,
            moment,
            members: view.members.clone(),
            problems: view.problems(c.kind),
            order,
        }));
    }

    /// Preflight of a cluster member: the cluster is whole. A look-only walk reads the view
    /// taken before the walk; a real one asks again and journals it, since the members before
    /// this one changed it, and returns it for the switchover. A retried step's own member may
    /// be the one still out.
    pub(super) async fn cluster_whole_before(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        target: &str,
        resumed: Option<Resumed>,
    ) -> Result<Option<View>, StepFailure> {
        let Some(c) = &self.model.services[step.service].cluster else {
            return Ok(None);
        };
        if self.cold.is_some() {
            // Its members are down: that is why it starts cold.
            return Ok(None);
        }
        let view = if self.looks_only() {
            match self.clusters.get(&step.service) {
                Some(view) => view.clone(),
                None => return Ok(None),
            }
        } else {
            let view = self.ask_cluster(step.service).await;
            self.tell_step_view(sink, step, Moment::Before, &view);
            view
        };
        // The member of a resumed step may be the one still out (its restart, or this run's
        // switchover, took it out): only the others must be whole. The precheck, on the view
        // from before the walk, lets every step of that cluster through for it; each step's own
        // look right before its restart asks again.
        let out = match (resumed, self.pinned) {
            (Some(Resumed::Retry), _) => Some(step.host),
            (_, Some((service, host))) if self.options.precheck && service == step.service => {
                Some(host)
            }
            _ => None,
        };
        let problems: Vec<String> = if let Some(out) = out {
            let out = &self.model.hosts[out].name;
            view.members
                .iter()
                .filter(|m| &m.host != out && !m.healthy)
                .map(|m| format!("{} is {}", m.host, m.state))
                .collect()
        } else {
            view.problems(c.kind)
        };
        if problems.is_empty() {
            return Ok(Some(view));
        }
        Err(StepFailure {
            phase: Phase::Preflight,
            target: target.to_string(),
            check: Some(CLUSTER.into()),
            reason: format!(
                "cluster {} is not whole: {}; comeback does not take a member of a degraded cluster down (fix the cluster first, then run again)",
                self.model.services[step.service].name,
                problems.join("; ")
            ),
        })
    }

    fn tell_step_view(&self, sink: &Sink<'_>, step: &Step, moment: Moment, view: &View) {
        self.tell_view(
            sink.events,
            step.service,
            Some(step.index),
            moment,
            view,
            Vec::new(),
        );
    }

    /// With `switchover: true`, a member that leads (in `view`, the cluster as whole-before
    /// just saw it) hands the lead to another before its restart, and the cluster is whole
    /// again under the new leader.
    pub(super) async fn cluster_switchover(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        target: &str,
        view: Option<View>,
    ) -> Result<(), StepFailure> {
        let service = &self.model.services[step.service];
        let (Some(c), Some(view)) = (service.cluster.as_ref().filter(|c| c.switchover), view)
        else {
            return Ok(());
        };
        let host = &self.model.hosts[step.host].name;
        let leads = view.leader().map(|i| &view.members[i].host) == Some(host);
        if !leads || service.instances.len() < 2 {
            return Ok(());
        }
        self.phase(sink, step, Phase::Switchover, 0);
        let fail = |reason: String| StepFailure {
            phase: Phase::Switchover,
            target: target.to_string(),
            check: Some(format!("{} switchover", c.kind)),
            reason,
        };
        let address = &self.model.hosts[step.host].address;
        let Some(command) = cluster::switchover(c, &view, address) else {
            return Err(fail(format!(
                "no healthy member to hand the {} role to",
                c.kind.leader_word()
            )));
        };
        match self
            .transport
            .run_command(step.host, &command, c.timeout.min(ASK_DEADLINE * 4))
            .await
        {
            Ok(out) if out.success() => {}
            Ok(out) => return Err(fail(format!("the switchover failed: {}", out.evidence()))),
            Err(e) => return Err(fail(e.to_string())),
        }
        let moved = |v: &View| v.leader().is_some_and(|i| &v.members[i].host != host);
        let view = self.until_whole(step, c, moved).await;
        self.tell_step_view(sink, step, Moment::Switchover, &view.0);
        match view.1 {
            true => Ok(()),
            false => Err(fail(format!(
                "{host} handed the {} role over, but within {} the cluster was not whole under another one: {}",
                c.kind.leader_word(),
                crate::human::duration(c.timeout),
                describe(&view.0, c)
            ))),
        }
    }

    /// After a member's health gate: it rejoined and the cluster is whole again.
    pub(super) async fn cluster_gate(
        &self,
        sink: &Sink<'_>,
        step: &Step,
        target: &str,
    ) -> Result<(), StepFailure> {
        let Some(c) = &self.model.services[step.service].cluster else {
            return Ok(());
        };
        self.phase(sink, step, Phase::ClusterGate, 1);
        let host = self.model.hosts[step.host].name.clone();
        let (view, whole) = if self.cold.is_some() {
            // Coming back from cold: whole among the members started so far.
            self.until(step, c, |v: &View| {
                let started = v.started();
                started.has_healthy(&host) && started.problems(c.kind).is_empty()
            })
            .await
        } else {
            self.until_whole(step, c, |v: &View| v.has_healthy(&host))
                .await
        };
        self.tell_step_view(sink, step, Moment::After, &view);
        if whole {
            return Ok(());
        }
        Err(StepFailure {
            phase: Phase::ClusterGate,
            target: target.to_string(),
            check: Some(CLUSTER.into()),
            reason: format!(
                "{host} did not rejoin a whole cluster within {}: {}",
                crate::human::duration(c.timeout),
                describe(&view, c)
            ),
        })
    }

    /// Asks the cluster until it is whole and `also` holds, or its timeout passes; the last
    /// view, and whether it got there.
    async fn until_whole(
        &self,
        step: &Step,
        c: &Cluster,
        also: impl Fn(&View) -> bool,
    ) -> (View, bool) {
        self.until(step, c, |v| v.problems(c.kind).is_empty() && also(v))
            .await
    }

    /// Asks the cluster until `done` holds or its timeout passes.
    async fn until(&self, step: &Step, c: &Cluster, done: impl Fn(&View) -> bool) -> (View, bool) {
        let deadline = Instant::now() + c.timeout;
        loop {
            // The last look ends with the timeout, not an ask's own deadline after it.
            let left = deadline.saturating_duration_since(Instant::now());
            let view = self
                .ask_cluster_within(step.service, left.clamp(POLL, ASK_DEADLINE))
                .await;
            if done(&view) {
                return (view, true);
            }
            if Instant::now() + POLL > deadline {
                return (view, false);
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

impl<T: Transport> Executor<'_, T> {
    /// The member references a cluster step's inspection found gone: (member, host, status).
    pub(super) fn members_gone(
        &self,
        steps: &[Step],
        records: &[super::Record],
    ) -> Vec<(ServiceId, cluster::Gone)> {
        let mut gone = Vec::new();
        for r in records {
            let Event::Inspected(Inspected {
                index, references, ..
            }) = &r.event
            else {
                continue;
            };
            let Some(step) = steps
                .iter()
                .find(|s| s.index == *index)
                .map(|s| (s.service, s.host))
            else {
                continue;
            };
            if self.model.services[step.0].cluster.is_none() {
                continue;
            }
            for f in references
                .iter()
                .filter(|f| f.kind == crate::refs::Kind::Member && f.status.blocks())
            {
                gone.push((
                    step.0,
                    (
                        self.model.hosts[step.1].name.clone(),
                        f.host.clone(),
                        f.status.describe().to_string(),
                    ),
                ));
            }
        }
        gone
    }

    /// Tells whether each cluster among `steps` could come back from a full outage; returns
    /// the clusters that could not.
    pub(super) fn tell_verdicts(
        &self,
        steps: &[Step],
        gone: &[(ServiceId, cluster::Gone)],
    ) -> Vec<ServiceId> {
        let mut no = Vec::new();
        let mut told = Vec::new();
        for s in steps {
            let service = &self.model.services[s.service];
            let (Some(c), Some(view)) = (&service.cluster, self.clusters.get(&s.service)) else {
                continue;
            };
            if told.contains(&s.service) {
                continue;
            }
            told.push(s.service);
            let gone: Vec<cluster::Gone> = gone
                .iter()
                .filter(|(id, _)| *id == s.service)
                .map(|(_, g)| g.clone())
                .collect();
            if let Some(verdict) = cluster::verdict(c.kind, view, &gone) {
                if !verdict.comes_back {
                    no.push(s.service);
                }
                self.events.emit(Event::ClusterVerdict(ClusterVerdict {
                    service: service.name.clone(),
                    verdict,
                }));
            }
        }
        no
    }
}

/// A view's problems, or its members' states when it has none.
fn describe(view: &View, c: &Cluster) -> String {
    let problems = view.problems(c.kind);
    if problems.is_empty() {
        cluster::states(&view.members)
    } else {
        problems.join("; ")
    }
}

/// Moves the step of `service` on `leader` after the service's other steps.
fn leader_last(steps: &mut Vec<Step>, service: ServiceId, leader: usize, pinned: bool) {
    let movable = if pinned { 1.min(steps.len()) } else { 0 };
    let Some(at) = steps
        .iter()
        .skip(movable)
        .position(|s| s.service == service && s.host == leader)
        .map(|p| p + movable)
    else {
        return;
    };
    let Some(last) = steps.iter().rposition(|s| s.service == service) else {
        return;
    };
    if last > at {
        let step = steps.remove(at);
        steps.insert(last, step);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(index: usize, service: ServiceId, host: usize) -> Step {
        Step {
            index,
            service,
            instance: host,
            host,
            depends_on: Vec::new(),
        }
    }

    fn order(steps: &[Step]) -> Vec<usize> {
        steps.iter().map(|s| s.index).collect()
    }

    #[test]
    fn the_leader_goes_after_the_other_members_of_its_cluster_only() {
        let plan = vec![step(1, 0, 0), step(2, 0, 1), step(3, 0, 2), step(4, 1, 0)];
        let mut steps = plan.clone();
        leader_last(&mut steps, 0, 0, false);
        assert_eq!(order(&steps), [2, 3, 1, 4]);
        let mut steps = plan.clone();
        leader_last(&mut steps, 0, 2, false);
        assert_eq!(order(&steps), [1, 2, 3, 4], "already last");
        // A resume's first step stays first, even when it leads.
        let mut steps = plan.clone();
        leader_last(&mut steps, 0, 0, true);
        assert_eq!(order(&steps), [1, 2, 3, 4]);
        let mut steps = plan;
        leader_last(&mut steps, 0, 1, true);
        assert_eq!(order(&steps), [1, 3, 2, 4]);
    }
}
