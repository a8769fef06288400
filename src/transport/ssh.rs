//! SSH through OpenSSH's own client: one ControlMaster per host, commands multiplexed over it
//! natively (real exit codes, no extra `ssh` process per command).

use super::capture::Keep;
use super::{Output, TransportError, capture_both, output_of};
use crate::plan::model::{Host, SshSettings};
use openssh::{ControlPersist, KnownHosts, Session, SessionBuilder, Stdio};
use std::num::NonZeroUsize;
use std::path::Path;
use std::time::Duration;

/// A master left behind by a killed comeback exits after this much idleness.
pub(super) const MASTER_IDLE_EXIT: usize = 60;

pub(super) async fn connect(
    host: &Host,
    settings: &SshSettings,
    control_dir: &Path,
) -> Result<Session, TransportError> {
    let mut builder = SessionBuilder::default();
    builder
        .known_hosts_check(KnownHosts::Strict)
        .connect_timeout(settings.connect_timeout)
        .server_alive_interval(Duration::from_secs(5))
        .control_directory(control_dir)
        .control_persist(ControlPersist::IdleFor(
            NonZeroUsize::new(MASTER_IDLE_EXIT).expect("non-zero"),
        ));
    if let Some(path) = &settings.known_hosts {
        builder.user_known_hosts_file(path);
    }
    if let Some(path) = &settings.config {
        builder.config_file(path);
    }
    if let Some(port) = host.port {
        builder.port(port);
    }
    if let Some(user) = &host.user {
        builder.user(user.clone());
    }
    if let Some(identity) = &host.identity {
        builder.keyfile(identity);
    }
    // The master gets a little longer than ssh's own ConnectTimeout, which covers the TCP
    // connect and the banner; this bound only catches what ssh itself would not.
    let bound = settings.connect_timeout + Duration::from_secs(5);
    let connecting = builder.connect_mux(&host.address);
    match tokio::time::timeout(bound, connecting).await {
        Ok(Ok(session)) => Ok(session),
        Ok(Err(e)) => Err(classify(host, settings, &e)),
        Err(_) => Err(TransportError::Unreachable {
            host: host.name.clone(),
            detail: format!("no SSH answer from {} within {:?}", host.address, bound),
        }),
    }
}

/// Turns ssh's error chain into what the operator must do about it.
fn classify(host: &Host, settings: &SshSettings, e: &openssh::Error) -> TransportError {
    let detail = with_causes(e);
    let key_problem = [
        "Host key verification failed",
        "HOST IDENTIFICATION HAS CHANGED",
        "host key for",
        "No ED25519 host key",
        "No RSA host key",
        "No ECDSA host key",
    ]
    .iter()
    .any(|needle| detail.contains(needle));
    if key_problem {
        let file = settings
            .known_hosts
            .as_ref()
            .map_or("~/.ssh/known_hosts".to_string(), |p| {
                p.display().to_string()
            });
        TransportError::HostKey {
            host: host.name.clone(),
            detail: format!(
                "the key of {} is unknown or changed; verify it out of band, then update {file}",
                host.address
            ),
        }
    } else if detail.contains("Permission denied") {
        let key = match &host.identity {
            Some(path) => format!(
                "the key it tried: {} (identity of the plan)",
                path.display()
            ),
            None => "no identity in the plan: ssh tried the keys of its config and its defaults"
                .to_string(),
        };
        TransportError::Unreachable {
            host: host.name.clone(),
            detail: format!("{detail}; {key}"),
        }
    } else {
        TransportError::Unreachable {
            host: host.name.clone(),
            detail,
        }
    }
}

/// The error and its causes on one line: openssh's own message hides why (`failed to connect to
/// the ssh multiplex server` says nothing of a session the server refused).
fn with_causes(e: &openssh::Error) -> String {
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        detail = format!("{detail}: {s}");
        source = s.source();
    }
    detail.trim().replace('\n', " ").replace('\r', "")
}

/// Opening a session over the master is tried this many times. A refusal comes before the
/// command runs: a master under load, or sshd not yet done closing the sessions just ended
/// (its `MaxSessions`), refuses for a moment and then accepts.
const SESSION_ATTEMPTS: u32 = 6;

/// Runs `argv` (see [`super::mark::command_argv`]), keeping `keep` of its stdout; gives up
/// after `backstop`.
pub(super) async fn run(
    session: &Session,
    host: &str,
    argv: &[String],
    backstop: Duration,
    keep: Keep,
) -> Result<Output, TransportError> {
    if argv.iter().any(|a| a.contains('\0')) {
        return Err(TransportError::Spawn {
            host: host.to_string(),
            detail: "a word of the command holds a NUL byte".to_string(),
        });
    }
    // The remote login shell parses this line: single quotes only (see `crate::quote`).
    let line = crate::quote::join(argv);
    let mut remote = session.raw_command(line);
    remote
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let running = async {
        let mut attempt = 1;
        let mut child = loop {
            match remote.spawn().await {
                Err(openssh::Error::SshMux(_)) if attempt < SESSION_ATTEMPTS => {
                    tokio::time::sleep(Duration::from_millis(100 << attempt)).await;
                    attempt += 1;
                }
                spawned => break spawned?,
            }
        };
        let (stdout, stderr) = capture_both(child.stdout().take(), child.stderr().take(), keep)
            .await
            .map_err(openssh::Error::ChildIo)?;
        // The streams first: the exit status ends them, even with data still on the way.
        let status = child.wait().await?;
        Ok::<_, openssh::Error>(output_of(status.code(), &stdout, &stderr))
    };
    match tokio::time::timeout(backstop, running).await {
        Ok(Ok(out)) => Ok(out),
        // ssh reports a command ended by a signal like a lost connection: the master tells.
        Ok(Err(openssh::Error::RemoteProcessTerminated)) if session.check().await.is_ok() => {
            Ok(Output {
                code: None,
                ..Output::default()
            })
        }
        Ok(Err(e)) => Err(TransportError::Lost {
            host: host.to_string(),
            detail: with_causes(&e),
        }),
        Err(_) => Err(TransportError::Lost {
            host: host.to_string(),
            detail: format!("no answer within {backstop:?}"),
        }),
    }
}
