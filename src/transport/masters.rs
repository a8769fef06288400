//! The run's SSH masters, bounded (`ssh.max_connections`): a command leases its host's master
//! for as long as it runs; a host without one waits for a free slot, and the caller that gets
//! the slot opens the master, closing the least recently used idle one first. The policy is
//! [`super::pool::Pool`]'s; this file adds the waiting, and guards so that a caller dropped
//! mid-way (a cancelled step) never leaves a slot taken.

use super::pool::{Grant, Pool};
use crate::plan::model::HostId;
use openssh::Session;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// One open master: its session and the process behind it.
pub(super) struct Master {
    pub(super) session: Session,
    /// The master process (from its control socket), so that a close can wait for it to be gone:
    /// the bound counts processes, not sockets.
    pid: Option<u32>,
    /// When it was connected, until its first command takes it (see [`Master::first_use`]).
    fresh: Mutex<Option<Instant>>,
}

/// How long after its connection a master's first session may wait on the server's host keys
/// notice: sshd sends `hostkeys-00@openssh.com` right after the authentication, before its
/// socket has `TCP_NODELAY` (set when a session starts), so the confirmation of the first
/// session opened meanwhile is held by Nagle until the client acknowledges that notice, which
/// the client's delayed ACK puts off by up to 40 ms (Linux's minimum).
pub(super) const FRESH: Duration = Duration::from_millis(40);

impl Master {
    /// A freshly connected session and, asked over its control socket, the pid of its master.
    pub(super) async fn new(session: Session) -> Master {
        let pid = async {
            let mut mux = openssh_mux_client::Connection::connect(session.control_socket())
                .await
                .ok()?;
            mux.send_alive_check().await.ok().map(u32::from)
        }
        .await;
        Master {
            session,
            pid,
            fresh: Mutex::new(Some(Instant::now())),
        }
    }

    /// When the master was connected, if this is its first command and it is sent within
    /// [`FRESH`] of that (the next one never is).
    pub(super) fn first_use(&self) -> Option<Instant> {
        let mut fresh = self.fresh.lock().unwrap_or_else(|p| p.into_inner());
        fresh.take().filter(|at| at.elapsed() < FRESH)
    }

    /// Closes the master and waits (a little) until its process has exited.
    pub(super) async fn close(self) {
        let pid = self.pid;
        let _ = self.session.close().await;
        if let Some(pid) = pid {
            wait_gone(pid, Duration::from_secs(2)).await;
        }
    }
}

/// Until process `pid` is gone or a zombie (reparented by `ssh -f`, init reaps it), at most
/// `bound`. Without /proc there is nothing to watch.
async fn wait_gone(pid: u32, bound: Duration) {
    let started = Instant::now();
    let stat = format!("/proc/{pid}/stat");
    while started.elapsed() < bound {
        let Ok(text) = tokio::fs::read_to_string(&stat).await else {
            return;
        };
        // The state follows the command name, which is in parentheses and may hold spaces.
        let state = text
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.trim().chars().next());
        if matches!(state, Some('Z') | Some('X') | None) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tracing::debug!(pid, "ssh master still alive after its close");
}

/// Commands at once through one master (the keep-alive's included). sshd refuses a
/// connection's sessions past its `MaxSessions`, 10 unless set: a wide batch whose hooks all run
/// on one balancer would see its 11th refused. Two are left to spare.
const SESSIONS_PER_MASTER: usize = 8;

pub(super) struct Masters {
    pool: Mutex<Pool<HostId, Arc<Master>>>,
    /// Told of every release, open, failure and close: waiters ask again.
    changed: Notify,
}

/// A master in use by one command; released when dropped.
pub(super) struct Lease<'a> {
    masters: &'a Masters,
    host: HostId,
    master: Option<Arc<Master>>,
    /// Whether the use counts for the LRU order.
    touch: bool,
}

impl Lease<'_> {
    pub(super) fn session(&self) -> &Session {
        &self.master.as_ref().expect("held until dropped").session
    }

    /// See [`Master::first_use`].
    pub(super) fn first_use(&self) -> Option<Instant> {
        self.master.as_ref().and_then(|m| m.first_use())
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        // The reference goes before the release: whoever evicts it next must hold the last one.
        drop(self.master.take());
        self.masters.lock().release(self.host, self.touch);
        self.masters.changed.notify_waiters();
    }
}

/// A slot reserved to open `host`'s master. Dropped without [`Opening::opened`], the slot is
/// freed (and an evicted master not yet closed is closed by its drop).
pub(super) struct Opening<'a> {
    masters: &'a Masters,
    host: HostId,
    evict: Option<(HostId, Arc<Master>)>,
    /// The evicted host, until its master is closed.
    closing: Option<HostId>,
    done: bool,
}

impl<'a> Opening<'a> {
    /// The master to close before connecting (its host waits until [`Opening::evicted`]).
    pub(super) fn take_evict(&mut self) -> Option<(HostId, Arc<Master>)> {
        self.evict.take()
    }

    /// The evicted master is closed: its host may be opened again.
    pub(super) fn evicted(&mut self) {
        if let Some(victim) = self.closing.take() {
            self.masters.lock().closed(victim);
            self.masters.changed.notify_waiters();
        }
    }

    pub(super) fn opened(mut self, master: Master) -> Lease<'a> {
        self.evicted();
        let master = Arc::new(master);
        self.masters.lock().opened(self.host, master.clone());
        self.masters.changed.notify_waiters();
        self.done = true;
        Lease {
            masters: self.masters,
            host: self.host,
            master: Some(master),
            touch: true,
        }
    }
}

impl Drop for Opening<'_> {
    fn drop(&mut self) {
        // Dropping the evicted master's last reference shuts it down (openssh's own drop).
        drop(self.evict.take());
        self.evicted();
        if !self.done {
            self.masters.lock().failed(self.host);
            self.masters.changed.notify_waiters();
        }
    }
}

/// What [`Masters::lease`] gives: a master to use, or a slot to open one in.
pub(super) enum Leased<'a> {
    Ready(Lease<'a>),
    Open(Opening<'a>),
}

impl Masters {
    pub(super) fn new(capacity: usize) -> Masters {
        Masters {
            pool: Mutex::new(Pool::new(capacity, SESSIONS_PER_MASTER)),
            changed: Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Pool<HostId, Arc<Master>>> {
        self.pool.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `host`'s master, or the slot to open it in, waiting while every slot is busy; `None`
    /// as soon as `give_up` says so (the host was found unreachable meanwhile).
    pub(super) async fn lease<E>(
        &self,
        host: HostId,
        give_up: impl Fn() -> Option<E>,
    ) -> Result<Leased<'_>, E> {
        loop {
            // Registered before looking, so that a change between the look and the wait wakes it.
            let changed = self.changed.notified();
            let mut changed = std::pin::pin!(changed);
            changed.as_mut().enable();
            if let Some(e) = give_up() {
                return Err(e);
            }
            let grant = self.lock().acquire(host);
            match grant {
                Grant::Ready(master) => {
                    return Ok(Leased::Ready(Lease {
                        masters: self,
                        host,
                        master: Some(master),
                        touch: true,
                    }));
                }
                Grant::Open { evict } => {
                    return Ok(Leased::Open(Opening {
                        masters: self,
                        host,
                        closing: evict.as_ref().map(|(victim, _)| *victim),
                        evict,
                        done: false,
                    }));
                }
                Grant::Wait => changed.await,
            }
        }
    }

    /// `host`'s master if it is open now, not counted as a use (a keep-alive ping).
    pub(super) fn lease_open(&self, host: HostId) -> Option<Lease<'_>> {
        let master = self.lock().acquire_open(host)?;
        Some(Lease {
            masters: self,
            host,
            master: Some(master),
            touch: false,
        })
    }

    /// Takes out `host`'s master when open and idle, to be replaced (it died); the returned
    /// slot reopens it.
    pub(super) fn take_idle(&self, host: HostId) -> Option<Arc<Master>> {
        self.lock().take_idle(host)
    }

    /// `host`'s master, taken out by [`Masters::take_idle`], is closed.
    pub(super) fn closed(&self, host: HostId) {
        self.lock().closed(host);
        self.changed.notify_waiters();
    }

    /// Masters open or opening now.
    pub(super) fn used(&self) -> usize {
        self.lock().used()
    }

    /// The hosts whose master is open now.
    pub(super) fn open_hosts(&self) -> Vec<HostId> {
        self.lock().open_keys()
    }

    /// Every open master, taken out to be closed.
    pub(super) fn drain(&self) -> Vec<(HostId, Arc<Master>)> {
        self.lock().drain()
    }
}

/// Closes a master taken out of the pool; its last reference is the caller's (no lease holds
/// one), else dropping it shuts it down all the same.
pub(super) async fn close(master: Arc<Master>) {
    if let Ok(master) = Arc::try_unwrap(master) {
        master.close().await;
    }
}
