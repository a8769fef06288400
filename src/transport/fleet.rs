//! The run's connections: every host the plan touches, over at most `ssh.max_connections` SSH
//! masters at once (see [`super::masters`]). A real run connects every host before its first
//! step (it touches nothing unless all answer), its precheck beside the connecting when the
//! masters fit in the pool ([`Fleet::connecting`]); a read-only pass connects each host when it
//! first needs it. A master closed to make room is reopened, host key still checked strictly,
//! when its host is needed again. The hosts the walk is done with are swept beside it
//! ([`Fleet::sweep_as_told`]), the rest at the end; a sweep takes only its own plan host's folder
//! of the run on the machine (`runs/<run>/<plan host>/`, see [`mark`]), so two plan hosts that
//! are one machine and one user never sweep each other's commands or exit files. Everything is
//! closed at the end, whatever the end.

use super::capture::Keep;
use super::mark::{self, LiveCommand};
use super::masters::{self, Lease, Leased, Master, Masters};
use super::{
    COMMAND_KEEP, KILL_GRACE, Output, READ_KEEP, Transport, TransportError, backstop, local, ssh,
};
use crate::plan::model::{Connection, Host, HostId, Model, SshSettings};
use futures_util::StreamExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

/// What the run knows of reaching a host.
#[derive(Clone)]
enum Contact {
    /// Not needed by this run: commands to it are refused.
    Unneeded,
    Local,
    /// Not tried yet.
    Never,
    /// Answered once: a failure to reopen its master is that command's, not the host's.
    Up,
    /// Did not answer its first connection: every command on it fails with this.
    Down(TransportError),
}

/// A host's first connection, as it went: to be told to the operator.
pub(crate) type FirstContact = (HostId, Result<(), TransportError>);

pub(crate) struct Fleet {
    names: Vec<String>,
    contact: Mutex<Vec<Contact>>,
    masters: Masters,
    sudo: bool,
    /// Private to this run (0700); removed when the fleet closes.
    control_dir: Option<tempfile::TempDir>,
    /// The run whose mark every command carries (see [`mark`]); none outside a run.
    run: Option<String>,
    hosts: Vec<Host>,
    settings: Arc<SshSettings>,
    /// Hosts that may hold something of this run (a marked command was sent there, or the run
    /// is resumed): swept before their master closes, or at the end.
    marked: Vec<AtomicBool>,
    /// What the sweeps of closed masters found, told at the end with the final sweep's.
    swept: Mutex<Vec<Swept>>,
    /// Where a lazily connected fleet tells each host's first connection.
    first_contacts: Option<UnboundedSender<FirstContact>>,
    /// A fleet connected beside the work ([`Fleet::connecting`]): only [`Fleet::connect_hosts`]
    /// opens a host's first master; a command for a host not tried yet waits for it.
    connects_first: bool,
    /// Told of every first contact, for the commands that wait for one.
    contacted: tokio::sync::Notify,
    /// Masters being connected now: a fresh master's first command is nudged only when it is
    /// the last one (see `run_argv`).
    opening: std::sync::atomic::AtomicUsize,
    /// A read-only pass sweeps a host as the bound closes its master. A real run sweeps a host
    /// once the walk is done with it ([`Fleet::sweep_early`]), else at its end.
    sweep_on_close: bool,
    /// Where the walk tells the hosts it is done with, to be swept beside the steps still to
    /// come (see [`Fleet::sweep_early`]).
    done: Option<UnboundedSender<HostId>>,
}

/// How long after the first command on a fresh master its nudge is sent (see `run_argv`):
/// after the host keys notice reached the client, which on a LAN is well under this.
const NUDGE_AFTER: Duration = Duration::from_millis(2);
/// The nudge's own bound: `true` in the login shell.
const NUDGE_BOUND: Duration = Duration::from_secs(10);
/// Nudges at most, [`NUDGE_AGAIN`] apart while the command still waits.
const NUDGES: usize = 2;
const NUDGE_AGAIN: Duration = Duration::from_millis(8);
/// How often a fresh master's first command looks whether the connecting has ended.
const NUDGE_POLL: Duration = Duration::from_millis(2);

/// One master being connected, counted for as long as it lives (a cancelled connection too).
struct Connecting<'a>(&'a std::sync::atomic::AtomicUsize);

impl<'a> Connecting<'a> {
    fn new(count: &'a std::sync::atomic::AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Connecting(count)
    }
}

impl Drop for Connecting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// What a sweep of a host found and killed, or why it could not look.
pub(super) type Swept = (HostId, Result<Vec<LiveCommand>, TransportError>);

/// A host that could not be connected, and why.
pub(super) type ConnectFailure = (HostId, TransportError);

impl Fleet {
    /// Connects every SSH host of `hosts` up front, `ssh.fan_out()` at a time (the masters past
    /// `max_connections` close again, least recently used first). `on_connect` hears of each
    /// host as it answers or fails; the hosts that failed come back with the fleet, where
    /// commands to them fail with the same error.
    pub(crate) async fn connect(
        model: &Model,
        hosts: &[HostId],
        on_connect: impl FnMut(HostId, Result<(), &TransportError>),
    ) -> (Fleet, Vec<ConnectFailure>) {
        let fleet = Fleet::new(model, hosts, None);
        let failures = fleet
            .connect_hosts(hosts, model.ssh.fan_out(), on_connect)
            .await;
        (fleet, failures)
    }

    /// A fleet whose hosts [`Fleet::connect_hosts`] connects while other work goes on: a
    /// command for a host it has not reached yet waits for that host's first connection
    /// (never opens it itself, so that at most `fan_out` connect at once), then runs, or fails
    /// as the connection did. A real run's precheck starts on each host as soon as its master
    /// is up.
    pub(crate) fn connecting(model: &Model, hosts: &[HostId]) -> Fleet {
        let mut fleet = Fleet::new(model, hosts, None);
        fleet.connects_first = true;
        fleet
    }

    /// Connects every SSH host of `hosts`, `fan_out` at a time (see [`Fleet::connect`]), and
    /// returns those that failed.
    pub(crate) async fn connect_hosts(
        &self,
        hosts: &[HostId],
        fan_out: usize,
        mut on_connect: impl FnMut(HostId, Result<(), &TransportError>),
    ) -> Vec<ConnectFailure> {
        let mut failures = Vec::new();
        let mut connecting = futures_util::stream::iter(hosts.iter().map(|&h| async move {
            let result = match self.contact_of(h) {
                Contact::Local => Ok(()),
                _ => self.open(h).await.map(drop),
            };
            (h, result)
        }))
        .buffer_unordered(fan_out);
        while let Some((h, result)) = connecting.next().await {
            match result {
                Ok(()) => on_connect(h, Ok(())),
                Err(e) => {
                    on_connect(h, Err(&e));
                    failures.push((h, e));
                }
            }
        }
        drop(connecting);
        failures.sort_by_key(|(h, _)| *h);
        failures
    }

    /// A fleet that connects each host of `hosts` when a command first needs it (a read-only
    /// pass: each host is connected once, by the work it is needed for). Each host's first
    /// connection is told on the receiver.
    pub(crate) fn lazy(
        model: &Model,
        hosts: &[HostId],
    ) -> (Fleet, UnboundedReceiver<FirstContact>) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let mut fleet = Fleet::new(model, hosts, Some(tx));
        fleet.sweep_on_close = true;
        (fleet, rx)
    }

    fn new(model: &Model, hosts: &[HostId], first: Option<UnboundedSender<FirstContact>>) -> Self {
        let mut contact = vec![Contact::Unneeded; model.hosts.len()];
        for &h in hosts {
            contact[h] = match model.hosts[h].connection {
                Connection::Local => Contact::Local,
                Connection::Ssh => Contact::Never,
            };
        }
        let mut fleet = Fleet {
            names: model.hosts.iter().map(|h| h.name.clone()).collect(),
            contact: Mutex::new(contact),
            masters: Masters::new(model.ssh.max_connections),
            sudo: model.ssh.sudo,
            control_dir: None,
            run: None,
            hosts: model.hosts.clone(),
            settings: Arc::new(model.ssh.clone()),
            marked: (0..model.hosts.len())
                .map(|_| AtomicBool::new(false))
                .collect(),
            swept: Mutex::new(Vec::new()),
            first_contacts: first,
            connects_first: false,
            contacted: tokio::sync::Notify::new(),
            opening: Default::default(),
            sweep_on_close: false,
            done: None,
        };
        let remote: Vec<HostId> = hosts
            .iter()
            .copied()
            .filter(|&h| matches!(fleet.contact_of(h), Contact::Never))
            .collect();
        if remote.is_empty() {
            return fleet;
        }
        // Its sockets give a shell on every host: only this user may reach them.
        let private = std::os::unix::fs::PermissionsExt::from_mode(0o700);
        match tempfile::Builder::new()
            .prefix("comeback-ssh-")
            .permissions(private)
            .tempdir()
        {
            Ok(dir) => fleet.control_dir = Some(dir),
            Err(e) => {
                let error = TransportError::Spawn {
                    host: model.hosts[remote[0]].name.clone(),
                    detail: format!("cannot create a control directory: {e}"),
                };
                for h in remote {
                    fleet.first_contact(h, Err(error.clone()));
                }
            }
        }
        fleet
    }

    fn contacts(&self) -> std::sync::MutexGuard<'_, Vec<Contact>> {
        self.contact.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn contact_of(&self, h: HostId) -> Contact {
        self.contacts()[h].clone()
    }

    /// Records how `h`'s first connection went, and tells it when the fleet is lazy.
    fn first_contact(&self, h: HostId, result: Result<(), TransportError>) {
        {
            let mut contacts = self.contacts();
            if !matches!(contacts[h], Contact::Never) {
                return;
            }
            contacts[h] = match &result {
                Ok(()) => Contact::Up,
                Err(e) => Contact::Down(e.clone()),
            };
        }
        self.contacted.notify_waiters();
        if let Some(tx) = &self.first_contacts {
            let _ = tx.send((h, result));
        }
    }

    /// `h`'s master, opened (and another closed) when needed; in a fleet connected beside the
    /// work, its first connection is awaited instead.
    async fn lease(&self, h: HostId) -> Result<Lease<'_>, TransportError> {
        if self.connects_first {
            loop {
                // Registered before looking, so that a contact between the look and the wait
                // wakes it.
                let contacted = self.contacted.notified();
                let mut contacted = std::pin::pin!(contacted);
                contacted.as_mut().enable();
                if !matches!(self.contact_of(h), Contact::Never) {
                    break;
                }
                contacted.await;
            }
        }
        self.open(h).await
    }

    /// `h`'s master, opened (and another closed) when needed.
    async fn open(&self, h: HostId) -> Result<Lease<'_>, TransportError> {
        let give_up = || match self.contact_of(h) {
            Contact::Down(e) => Some(e),
            _ => None,
        };
        let mut opening = match self.masters.lease(h, give_up).await? {
            Leased::Ready(lease) => return Ok(lease),
            Leased::Open(opening) => opening,
        };
        if let Some((victim, master)) = opening.take_evict() {
            self.retire(victim, master).await;
            opening.evicted();
        }
        let dir = match &self.control_dir {
            Some(dir) => dir.path().to_path_buf(),
            None => std::env::temp_dir(),
        };
        let connected = {
            let _connecting = Connecting::new(&self.opening);
            ssh::connect(&self.hosts[h], &self.settings, &dir).await
        };
        match connected {
            Ok(session) => {
                let master = Master::new(session).await;
                self.first_contact(h, Ok(()));
                let lease = opening.opened(master);
                // The bound, as a test or an operator can watch it (`COMEBACK_LOG=comeback=debug`).
                tracing::debug!(host = %self.names[h], open = self.masters.used(), "ssh master opened");
                Ok(lease)
            }
            Err(e) => {
                self.first_contact(h, Err(e.clone()));
                Err(e)
            }
        }
    }

    /// The first command `run` on a master connected at `opened`: when it is still waiting on
    /// the server's host keys notice (see `masters::FRESH`) as the last master of the run is
    /// connected, it is the run's critical path; a second session opened then carries the
    /// acknowledgement the server waits for. While other masters connect, the wait costs
    /// nothing and is left alone (a session more per host would cost their connecting CPU).
    async fn nudged(
        &self,
        lease: &Lease<'_>,
        name: &str,
        opened: std::time::Instant,
        run: impl std::future::Future<Output = Result<Output, TransportError>>,
    ) -> Result<Output, TransportError> {
        let sent = std::time::Instant::now();
        let mut run = std::pin::pin!(run);
        let nudge_now = async {
            while opened.elapsed() < masters::FRESH {
                if self.none_connecting() {
                    // After the notice reached the client, so that the second session's
                    // open acknowledges it.
                    tokio::time::sleep(
                        (sent + NUDGE_AFTER).saturating_duration_since(std::time::Instant::now()),
                    )
                    .await;
                    return true;
                }
                tokio::time::sleep(NUDGE_POLL).await;
            }
            false
        };
        let nudge = tokio::select! {
            result = &mut run => return result,
            nudge = nudge_now => nudge,
        };
        if !nudge {
            return run.await;
        }
        // Under load the master may send both opens in one go, which acknowledges nothing new:
        // one more a little later, if the command still waits. A nudge runs to its end.
        let done = AtomicBool::new(false);
        let nudges = async {
            let argv = [String::from("true")];
            for n in 0..NUDGES {
                if n > 0 {
                    tokio::time::sleep(NUDGE_AGAIN).await;
                }
                if done.load(Ordering::Relaxed) {
                    break;
                }
                tracing::debug!(host = %name, n, "nudge: a session beside a fresh master's first");
                let _ = ssh::run(lease.session(), name, &argv, NUDGE_BOUND, COMMAND_KEEP).await;
            }
        };
        let run = async {
            let result = run.await;
            done.store(true, Ordering::Relaxed);
            result
        };
        tokio::join!(run, nudges).0
    }

    /// Whether no master is being connected now, nor waits to be in a fleet connected beside
    /// the work.
    fn none_connecting(&self) -> bool {
        self.opening.load(Ordering::Relaxed) == 0
            && !(self.connects_first && self.contacts().iter().any(|c| matches!(c, Contact::Never)))
    }

    /// Closes a master taken out of the pool. In a read-only pass its host is swept first,
    /// when this pass may have left something there: once closed, the host would be reopened
    /// only to be swept. A real run's keeps its mark for the closing sweep ([`Fleet::sweep_on_close`]).
    async fn retire(&self, h: HostId, master: Arc<Master>) {
        if self.sweep_on_close
            && self.marked[h].load(Ordering::Relaxed)
            && let Some(run) = self.run.as_deref()
        {
            let result = self.sweep_over(&master.session, h, run).await;
            if result.is_ok() {
                self.marked[h].store(false, Ordering::Relaxed);
            }
            if let Ok(found) = result
                && !found.is_empty()
            {
                self.lock_swept().push((h, Ok(found)));
            }
        }
        masters::close(master).await;
        tracing::debug!(host = %self.names[h], "ssh master closed: least recently used");
    }

    fn lock_swept(&self) -> std::sync::MutexGuard<'_, Vec<Swept>> {
        self.swept.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Marks every command from now on as one of run `run_id`, on its host.
    pub(crate) fn mark(&mut self, run_id: &str) {
        self.run = Some(run_id.to_string());
    }

    /// The hosts the walk is done with ([`Transport::done_with`]) come out of the receiver, to
    /// be swept by [`Fleet::sweep_as_told`] while the walk goes on.
    pub(crate) fn sweep_early(&mut self) -> UnboundedReceiver<HostId> {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        self.done = Some(tx);
        rx
    }

    /// Sweeps each host `told` names, as soon as it is named, until `ended`; then finishes the
    /// sweeps under way (none is cut off, so that what one kills is told) and returns. A host
    /// named after the end, or whose sweep failed, keeps its mark: the closing sweep takes it.
    pub(crate) async fn sweep_as_told(
        &self,
        mut told: UnboundedReceiver<HostId>,
        ended: impl std::future::Future<Output = ()>,
    ) {
        let mut ended = std::pin::pin!(ended);
        let mut sweeps = futures_util::stream::FuturesUnordered::new();
        let mut open = true;
        while open || !sweeps.is_empty() {
            tokio::select! {
                Some(h) = told.recv(), if open => sweeps.push(self.sweep_done(h)),
                Some(()) = sweeps.next(), if !sweeps.is_empty() => {}
                () = &mut ended, if open => open = false,
                else => break,
            }
        }
    }

    /// The sweep of a host the walk is done with: its mark goes first, so that a command sent
    /// there meanwhile (the walk is done with it: none should be) marks it again.
    async fn sweep_done(&self, h: HostId) {
        let Some(run) = self.run.as_deref() else {
            return;
        };
        if !self.marked[h].swap(false, Ordering::Relaxed) {
            return;
        }
        match self.sweep_host(h, run).await {
            Ok(found) if found.is_empty() => {}
            Ok(found) => self.lock_swept().push((h, Ok(found))),
            Err(_) => self.marked[h].store(true, Ordering::Relaxed),
        }
    }

    /// `hosts` may hold commands or files of this run already (a resumed run's): they are
    /// swept even when this process sends them nothing.
    pub(crate) fn inherit(&self, hosts: &[HostId]) {
        for &h in hosts {
            self.marked[h].store(true, Ordering::Relaxed);
        }
    }

    /// Runs one of [`mark`]'s scripts, unmarked (it must not find or kill itself).
    async fn script(
        &self,
        host: HostId,
        script: &str,
        args: &[&str],
    ) -> Result<Output, TransportError> {
        let argv = mark::script_argv(script, args, self.sudo);
        self.run_argv(host, &argv, backstop(KILL_GRACE * 2), READ_KEEP, "marks")
            .await
    }

    /// The live commands of run `run_id` on `host` (an interrupted run's, for `resume`).
    pub(crate) async fn live_commands(
        &self,
        host: HostId,
        run_id: &str,
    ) -> Result<Vec<LiveCommand>, TransportError> {
        let out = self
            .script(host, mark::FIND, &[run_id, &self.names[host]])
            .await?;
        Ok(mark::parse_live(&out.stdout, "LIVE"))
    }

    /// Kills every command of this run still alive on every host that may hold one (through
    /// a fresh master where the old one is gone), and removes the run's folder there. Returns
    /// the hosts where it killed something or could not look, those swept when their master
    /// closed during the run included.
    pub(crate) async fn sweep(&self) -> Vec<Swept> {
        let Some(run) = self.run.as_deref() else {
            return Vec::new();
        };
        let sweeps = (0..self.names.len())
            .filter(|&h| self.marked[h].load(Ordering::Relaxed))
            .map(|h| async move { (h, self.sweep_host(h, run).await) });
        let mut found = std::mem::take(&mut *self.lock_swept());
        found.extend(
            futures_util::future::join_all(sweeps)
                .await
                .into_iter()
                .filter(|(_, r)| r.as_ref().map_or(true, |killed| !killed.is_empty())),
        );
        found.sort_by_key(|(h, _)| *h);
        found
    }

    async fn sweep_host(&self, h: HostId, run: &str) -> Result<Vec<LiveCommand>, TransportError> {
        let kill_after = KILL_GRACE.as_secs().to_string();
        let args = [run, kill_after.as_str(), self.names[h].as_str()];
        let parse = |out: Output| mark::parse_live(&out.stdout, "KILLED");
        match self.contact_of(h) {
            Contact::Local => self.script(h, mark::SWEEP, &args).await.map(parse),
            // A host that never connected ran nothing of this run.
            Contact::Unneeded | Contact::Never | Contact::Down(_) => Ok(Vec::new()),
            Contact::Up => match self.script(h, mark::SWEEP, &args).await {
                Ok(out) => Ok(parse(out)),
                // Its master died: a fresh one.
                Err(_) => {
                    if let Some(dead) = self.masters.take_idle(h) {
                        masters::close(dead).await;
                        self.masters.closed(h);
                    }
                    self.script(h, mark::SWEEP, &args).await.map(parse)
                }
            },
        }
    }

    /// The sweep over an open master (one about to close).
    async fn sweep_over(
        &self,
        session: &openssh::Session,
        h: HostId,
        run: &str,
    ) -> Result<Vec<LiveCommand>, TransportError> {
        let kill_after = KILL_GRACE.as_secs().to_string();
        let argv = mark::script_argv(mark::SWEEP, &[run, &kill_after, &self.names[h]], self.sudo);
        let out = ssh::run(
            session,
            &self.names[h],
            &argv,
            backstop(KILL_GRACE * 2),
            READ_KEEP,
        )
        .await?;
        Ok(mark::parse_live(&out.stdout, "KILLED"))
    }

    /// Runs `argv` on `host`; `kind` names it in the debug log (`COMEBACK_LOG=comeback=debug`
    /// lists every remote command of a step: its kind, its phase from the executor's spans and
    /// its time).
    async fn run_argv(
        &self,
        host: HostId,
        argv: &[String],
        backstop: Duration,
        keep: Keep,
        kind: &'static str,
    ) -> Result<Output, TransportError> {
        let name = &self.names[host];
        let start = std::time::Instant::now();
        let result = match self.contact_of(host) {
            Contact::Local => local::run(name, argv, backstop, keep).await,
            Contact::Unneeded => Err(TransportError::Spawn {
                host: name.clone(),
                detail: "not connected".into(),
            }),
            Contact::Down(error) => Err(error),
            Contact::Never | Contact::Up => match self.lease(host).await {
                Ok(lease) => {
                    let run = ssh::run(lease.session(), name, argv, backstop, keep);
                    match lease.first_use() {
                        Some(opened) => self.nudged(&lease, name, opened, run).await,
                        None => run.await,
                    }
                }
                Err(e) => Err(e),
            },
        };
        // Commands are plan text: only their length is logged, never what they say.
        tracing::debug!(
            host = %name,
            kind,
            bytes = argv.iter().map(String::len).sum::<usize>(),
            ms = start.elapsed().as_millis() as u64,
            ok = result.as_ref().is_ok_and(Output::success),
            "remote command"
        );
        result
    }

    /// The run's folder for `host`'s commands on its machine (`<run>/<plan host>`, see
    /// [`mark`]), when the fleet marks them.
    fn folder(&self, host: HostId) -> Option<String> {
        let run = self.run.as_deref()?;
        Some(format!("{run}/{}", self.names[host]))
    }

    /// A command of this run goes to `host`: it is swept before its master closes.
    fn sweep_later(&self, host: HostId) {
        if self.run.is_some() {
            self.marked[host].store(true, Ordering::Relaxed);
        }
    }

    /// `command` marked with this run (untagged), keeping `keep` of its stdout.
    async fn run_marked_command(
        &self,
        host: HostId,
        command: &crate::plan::model::ShellCommand,
        deadline: Duration,
        keep: Keep,
        kind: &'static str,
    ) -> Result<Output, TransportError> {
        let run = self.folder(host);
        let argv = mark::command_argv(command, deadline, self.sudo, run.as_deref(), None, None);
        self.sweep_later(host);
        self.run_argv(host, &argv, backstop(deadline), keep, kind)
            .await
    }

    /// Closes every master; the control directory goes with the last of them.
    pub(crate) async fn close(mut self) {
        let closing = self
            .masters
            .drain()
            .into_iter()
            .map(|(_, m)| masters::close(m));
        futures_util::future::join_all(closing).await;
        drop(self.control_dir.take());
    }

    /// Keeps idle masters from reaching their idle exit during a long run; never opens one,
    /// nor changes which is the least recently used.
    pub(crate) async fn keep_alive(&self) {
        let argv = mark::script_argv("true", &[], false);
        let pings = self.masters.open_hosts().into_iter().map(|h| {
            let argv = &argv;
            async move {
                if let Some(lease) = self.masters.lease_open(h) {
                    let deadline = Duration::from_secs(10);
                    let _ =
                        ssh::run(lease.session(), &self.names[h], argv, deadline, READ_KEEP).await;
                }
            }
        });
        futures_util::future::join_all(pings).await;
    }
}

impl Transport for Fleet {
    fn done_with(&self, host: HostId) {
        if let Some(done) = &self.done
            && self.marked[host].load(Ordering::Relaxed)
        {
            let _ = done.send(host);
        }
    }

    async fn run_command(
        &self,
        host: HostId,
        command: &crate::plan::model::ShellCommand,
        deadline: Duration,
    ) -> Result<Output, TransportError> {
        self.run_marked_command(host, command, deadline, COMMAND_KEEP, "command")
            .await
    }

    async fn run_tagged(
        &self,
        host: HostId,
        command: &crate::plan::model::ShellCommand,
        deadline: Duration,
        tag: &str,
        after: Option<&mark::After>,
    ) -> Result<Output, TransportError> {
        let run = self.folder(host);
        let argv = mark::command_argv(
            command,
            deadline,
            self.sudo,
            run.as_deref(),
            Some(tag),
            after,
        );
        self.sweep_later(host);
        self.run_argv(host, &argv, backstop(deadline), COMMAND_KEEP, "tagged")
            .await
    }

    async fn answer(&self, host: HostId, deadline: Duration) -> Result<Output, TransportError> {
        // `true` outlives nothing: no mark, no pid file; the host still enforces the deadline.
        let command = crate::plan::model::ShellCommand::plain("true");
        let argv = mark::command_argv(&command, deadline, self.sudo, None, None, None);
        self.run_argv(host, &argv, backstop(deadline), COMMAND_KEEP, "answer")
            .await
    }

    async fn read(
        &self,
        host: HostId,
        script: &str,
        deadline: Duration,
    ) -> Result<Output, TransportError> {
        let command = crate::plan::model::ShellCommand::plain(script);
        self.run_marked_command(host, &command, deadline, READ_KEEP, "read")
            .await
    }
}
