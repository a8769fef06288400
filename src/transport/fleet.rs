//! The run's connections: one per host the plan touches, opened concurrently at the start and
//! closed at the end, whatever the end.

use super::{Output, Transport, TransportError, local, ssh};
use crate::plan::model::{Connection, HostId, Model, SshSettings};
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

pub struct Fleet {
    names: Vec<String>,
    links: Vec<Option<Link>>,
    sudo: bool,
    /// Private to this run (0700); removed when the fleet closes.
    control_dir: Option<tempfile::TempDir>,
}

/// A host that could not be connected, and why.
pub type ConnectFailure = (HostId, TransportError);

impl Fleet {
    /// Opens one master per SSH host in `hosts`, at most `connect_concurrency` at a time.
    /// `on_connect` hears of each host as it answers or fails; the hosts that failed come back
    /// with the fleet, where commands to them fail with the same error.
    pub async fn connect(
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
            let dir = match tempfile::Builder::new().prefix("comeback-ssh-").tempdir() {
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

    /// Closes every master; the control directory goes with the last of them.
    pub async fn close(mut self) {
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
    pub async fn keep_alive(&self) {
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
    async fn run(
        &self,
        host: HostId,
        command: &str,
        deadline: Duration,
    ) -> Result<Output, TransportError> {
        let name = &self.names[host];
        match &self.links[host] {
            Some(Link::Local) => local::run(name, command, deadline, self.sudo).await,
            Some(Link::Ssh(session)) => ssh::run(session, name, command, deadline, self.sudo).await,
            Some(Link::Down(error)) => Err(error.clone()),
            None => Err(TransportError::Spawn {
                host: name.clone(),
                detail: "not connected".into(),
            }),
        }
    }
}
