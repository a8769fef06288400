//! The run's connections: one per host the plan touches, opened concurrently at the start and
//! closed at the end, whatever the end.

use super::capture::Keep;
use super::mark::{self, LiveCommand};
use super::{
    COMMAND_KEEP, KILL_GRACE, Output, READ_KEEP, Transport, TransportError, backstop, local, ssh,
};
use crate::plan::model::{Connection, Host, HostId, Model, SshSettings};
use futures_util::StreamExt;
use openssh::Session;
use std::sync::Arc;
use std::time::Duration;

enum Link {
    Local,
    Ssh(Session),
    /// Did not connect: every command on it fails with this.
    Down(TransportError),
}

pub(crate) struct Fleet {
    names: Vec<String>,
    links: Vec<Option<Link>>,
    sudo: bool,
    /// Private to this run (0700); removed when the fleet closes.
    control_dir: Option<tempfile::TempDir>,
    /// The run whose mark every command carries (see [`mark`]); none outside a run.
    run: Option<String>,
    /// To open a fresh connection when a master is gone and a command must still be killed.
    hosts: Vec<Host>,
    settings: Arc<SshSettings>,
}

/// What a sweep of a host found and killed, or why it could not look.
pub(super) type Swept = (HostId, Result<Vec<LiveCommand>, TransportError>);

/// A host that could not be connected, and why.
pub(super) type ConnectFailure = (HostId, TransportError);

impl Fleet {
    /// Opens one master per SSH host in `hosts`, at most `connect_concurrency` at a time.
    /// `on_connect` hears of each host as it answers or fails; the hosts that failed come back
    /// with the fleet, where commands to them fail with the same error.
    pub(crate) async fn connect(
        model: &Model,
        hosts: &[HostId],
        mut on_connect: impl FnMut(HostId, Result<(), &TransportError>),
    ) -> (Fleet, Vec<ConnectFailure>) {
        let settings: Arc<SshSettings> = Arc::new(model.ssh.clone());
        let mut fleet = Fleet {
            names: model.hosts.iter().map(|h| h.name.clone()).collect(),
            links: (0..model.hosts.len()).map(|_| None).collect(),
            sudo: model.ssh.sudo,
            control_dir: None,
            run: None,
            hosts: model.hosts.clone(),
            settings: settings.clone(),
        };
        let mut remote = Vec::new();
        for &h in hosts {
            match model.hosts[h].connection {
                Connection::Local => {
                    fleet.links[h] = Some(Link::Local);
                    on_connect(h, Ok(()));
                }
                Connection::Ssh => remote.push(h),
            }
        }
        let mut failures = Vec::new();
        if !remote.is_empty() {
            // Its sockets give a shell on every host: only this user may reach them.
            let private = std::os::unix::fs::PermissionsExt::from_mode(0o700);
            let dir = match tempfile::Builder::new()
                .prefix("comeback-ssh-")
                .permissions(private)
                .tempdir()
            {
                Ok(dir) => dir,
                Err(e) => {
                    let error = TransportError::Spawn {
                        host: model.hosts[remote[0]].name.clone(),
                        detail: format!("cannot create a control directory: {e}"),
                    };
                    for &h in &remote {
                        fleet.links[h] = Some(Link::Down(error.clone()));
                    }
                    return (fleet, remote.iter().map(|&h| (h, error.clone())).collect());
                }
            };
            let path = dir.path().to_path_buf();
            fleet.control_dir = Some(dir);
            let mut connecting = futures_util::stream::iter(remote.into_iter().map(|h| {
                let host = model.hosts[h].clone();
                let settings = settings.clone();
                let path = path.clone();
                async move { (h, ssh::connect(&host, &settings, &path).await) }
            }))
            .buffer_unordered(model.ssh.connect_concurrency);
            while let Some((h, result)) = connecting.next().await {
                match result {
                    Ok(session) => {
                        on_connect(h, Ok(()));
                        fleet.links[h] = Some(Link::Ssh(session));
                    }
                    Err(e) => {
                        on_connect(h, Err(&e));
                        fleet.links[h] = Some(Link::Down(e.clone()));
                        failures.push((h, e));
                    }
                }
            }
        }
        failures.sort_by_key(|(h, _)| *h);
        (fleet, failures)
    }

    /// Marks every command from now on as one of run `run_id`, on its host.
    pub(crate) fn mark(&mut self, run_id: &str) {
        self.run = Some(run_id.to_string());
    }

    /// Runs one of [`mark`]'s scripts, unmarked (it must not find or kill itself).
    async fn script(
        &self,
        host: HostId,
        script: &str,
        args: &[&str],
    ) -> Result<Output, TransportError> {
        let argv = mark::script_argv(script, args, self.sudo);
        self.run_argv(host, &argv, backstop(KILL_GRACE * 2), READ_KEEP)
            .await
    }

    /// The live commands of run `run_id` on `host` (an interrupted run's, for `resume`).
    pub(crate) async fn live_commands(
        &self,
        host: HostId,
        run_id: &str,
    ) -> Result<Vec<LiveCommand>, TransportError> {
        let out = self.script(host, mark::FIND, &[run_id]).await?;
        Ok(mark::parse_live(&out.stdout, "LIVE"))
    }

    /// Kills every command of this run still alive on every host it connected, through a fresh
    /// connection where the master is gone, and removes the run's folder there. Returns the
    /// hosts where it killed something or could not look.
    pub(crate) async fn sweep(&self) -> Vec<Swept> {
        let Some(run) = self.run.as_deref() else {
            return Vec::new();
        };
        let kill_after = KILL_GRACE.as_secs().to_string();
        let args = [run, kill_after.as_str()];
        // A host that never connected ran nothing of this run.
        let sweeps = self.links.iter().enumerate().filter_map(|(h, link)| {
            let ssh = match link.as_ref()? {
                Link::Down(_) => return None,
                link => matches!(link, Link::Ssh(_)),
            };
            let args = &args;
            Some(async move {
                let parse = |out: Output| mark::parse_live(&out.stdout, "KILLED");
                let result = match self.script(h, mark::SWEEP, args).await {
                    Err(_) if ssh => self.fresh_sweep(h, args).await,
                    result => result,
                };
                (h, result.map(parse))
            })
        });
        futures_util::future::join_all(sweeps)
            .await
            .into_iter()
            .filter(|(_, r)| r.as_ref().map_or(true, |killed| !killed.is_empty()))
            .collect()
    }

    /// The sweep through a new master, for a host whose master died.
    async fn fresh_sweep(&self, host: HostId, args: &[&str]) -> Result<Output, TransportError> {
        let dir = self
            .control_dir
            .as_ref()
            .map(|d| d.path().to_path_buf())
            .unwrap_or_else(std::env::temp_dir);
        let session = ssh::connect(&self.hosts[host], &self.settings, &dir).await?;
        let argv = mark::script_argv(mark::SWEEP, args, self.sudo);
        let out = ssh::run(
            &session,
            &self.names[host],
            &argv,
            backstop(KILL_GRACE * 2),
            READ_KEEP,
        )
        .await;
        let _ = session.close().await;
        out
    }

    async fn run_argv(
        &self,
        host: HostId,
        argv: &[String],
        backstop: Duration,
        keep: Keep,
    ) -> Result<Output, TransportError> {
        let name = &self.names[host];
        let start = std::time::Instant::now();
        let result = match &self.links[host] {
            Some(Link::Local) => local::run(name, argv, backstop, keep).await,
            Some(Link::Ssh(session)) => ssh::run(session, name, argv, backstop, keep).await,
            Some(Link::Down(error)) => Err(error.clone()),
            None => Err(TransportError::Spawn {
                host: name.clone(),
                detail: "not connected".into(),
            }),
        };
        // Commands are plan text: only their length is logged, never what they say.
        tracing::debug!(
            host = %name,
            bytes = argv.iter().map(String::len).sum::<usize>(),
            ms = start.elapsed().as_millis() as u64,
            ok = result.as_ref().is_ok_and(Output::success),
            "remote command"
        );
        result
    }

    /// Closes every master; the control directory goes with the last of them.
    pub(crate) async fn close(mut self) {
        let closing = self
            .links
            .drain(..)
            .flatten()
            .filter_map(|link| match link {
                Link::Ssh(session) => Some(session.close()),
                Link::Local | Link::Down(_) => None,
            });
        futures_util::future::join_all(closing).await;
        drop(self.control_dir.take());
    }

    /// Keeps idle masters from reaching their idle exit during a long run.
    pub(crate) async fn keep_alive(&self) {
        let pings = self
            .links
            .iter()
            .enumerate()
            .filter_map(|(h, link)| match link {
                Some(Link::Ssh(_)) => Some(self.run(h, "true", Duration::from_secs(10))),
                _ => None,
            });
        futures_util::future::join_all(pings).await;
    }
}

impl Transport for Fleet {
    async fn run_command(
        &self,
        host: HostId,
        command: &crate::plan::model::ShellCommand,
        deadline: Duration,
    ) -> Result<Output, TransportError> {
        let argv = mark::command_argv(command, deadline, self.sudo, self.run.as_deref(), None);
        self.run_argv(host, &argv, backstop(deadline), COMMAND_KEEP)
            .await
    }

    async fn run_tagged(
        &self,
        host: HostId,
        command: &crate::plan::model::ShellCommand,
        deadline: Duration,
        tag: &str,
    ) -> Result<Output, TransportError> {
        let argv = mark::command_argv(command, deadline, self.sudo, self.run.as_deref(), Some(tag));
        self.run_argv(host, &argv, backstop(deadline), COMMAND_KEEP)
            .await
    }

    async fn read(
        &self,
        host: HostId,
        script: &str,
        deadline: Duration,
    ) -> Result<Output, TransportError> {
        let command = crate::plan::model::ShellCommand::plain(script);
        let argv = mark::command_argv(&command, deadline, self.sudo, self.run.as_deref(), None);
        self.run_argv(host, &argv, backstop(deadline), READ_KEEP)
            .await
    }
}
