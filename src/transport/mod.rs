//! How commands reach a host: one trait, an SSH implementation over multiplexed masters and a
//! local one for `connection: local`. Every command carries a deadline that the host itself
//! enforces (`timeout`), so a command we give up on does not keep running there.

pub(crate) mod capture;
mod fleet;
mod local;
pub(crate) mod mark;
mod masters;
mod pool;
mod ssh;

pub(crate) use fleet::{FirstContact, Fleet};
pub(crate) use mark::LiveCommand;

use crate::plan::model::{HostId, ShellCommand};
use capture::{Captured, Keep};
use std::future::Future;
use std::time::Duration;

/// What a remote command left behind, each stream bounded as it arrived (see [`capture`]):
/// a command's streams keep their head and tail ([`COMMAND_KEEP`]); an inspection script's
/// stdout ([`Transport::read`]) is kept whole up to [`STDOUT_LIMIT`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    /// `None` when the command was killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// Bytes of stdout that were not kept: the text says where they were left out.
    pub stdout_dropped: u64,
    /// The deadline ran out and the host killed the command.
    pub timed_out: bool,
}

impl Output {
    /// A command that exited with `code` and printed nothing (the scripted transports).
    #[cfg(test)]
    pub(crate) fn exited(code: i32) -> Output {
        Output {
            code: Some(code),
            ..Output::default()
        }
    }

    pub fn success(&self) -> bool {
        self.code == Some(0) && !self.timed_out
    }

    /// stderr, else stdout, trimmed: what to show an operator about a failure.
    pub fn evidence(&self) -> String {
        let text = if self.stderr.trim().is_empty() {
            &self.stdout
        } else {
            &self.stderr
        };
        bounded(text.trim().as_bytes())
    }
}

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum TransportError {
    #[error("host `{host}` refused its SSH host key: {detail}")]
    HostKey { host: String, detail: String },
    #[error("host `{host}` is unreachable: {detail}")]
    Unreachable { host: String, detail: String },
    #[error("lost the connection to host `{host}`: {detail}")]
    Lost { host: String, detail: String },
    #[error("could not run a command on host `{host}`: {detail}")]
    Spawn { host: String, detail: String },
}

/// A scripted host for the unit tests: the exit code each command (as shown) gets; printing
/// nothing, it is a [`Transport`].
#[cfg(test)]
pub(crate) trait Answers: Send + Sync {
    fn exit_code(&self, command: &str) -> i32;

    /// Hears [`Transport::done_with`].
    fn done_with(&self, host: HostId) {
        let _ = host;
    }
}

#[cfg(test)]
impl<T: Answers> Transport for T {
    async fn run_command(
        &self,
        _: HostId,
        command: &crate::plan::model::ShellCommand,
        _: Duration,
    ) -> Result<Output, TransportError> {
        Ok(Output::exited(self.exit_code(&command.shown)))
    }

    fn done_with(&self, host: HostId) {
        Answers::done_with(self, host);
    }
}

/// Runs shell commands on hosts. Implementations: [`Fleet`] (SSH and local), and test doubles.
pub trait Transport: Send + Sync {
    /// Runs `command` through `sh -c` on `host`, its values in its environment; the host kills
    /// it when `deadline` passes.
    fn run_command(
        &self,
        host: HostId,
        command: &ShellCommand,
        deadline: Duration,
    ) -> impl Future<Output = Result<Output, TransportError>> + Send;

    /// Runs one of comeback's own scripts, which carries no value of the plan.
    fn run(
        &self,
        host: HostId,
        script: &str,
        deadline: Duration,
    ) -> impl Future<Output = Result<Output, TransportError>> + Send {
        let command = ShellCommand::plain(script);
        async move { self.run_command(host, &command, deadline).await }
    }

    /// As [`Transport::run_command`], and the host keeps the command's exit status and end
    /// under `tag` in the run's folder there, for a comeback that died meanwhile to read back (a
    /// restart's). With `after`, once the command exited 0, that read runs in the same round
    /// trip, its output at the end of stdout (see [`mark::split_after`]). Transports that keep
    /// nothing run the command plainly, and leave the read to be done apart.
    fn run_tagged(
        &self,
        host: HostId,
        command: &ShellCommand,
        deadline: Duration,
        tag: &str,
        after: Option<&mark::After>,
    ) -> impl Future<Output = Result<Output, TransportError>> + Send {
        let _ = (tag, after);
        self.run_command(host, command, deadline)
    }

    /// Whether `host` answers a command now (a preflight's first question): `true`, under a
    /// deadline the host enforces. Nothing of it can outlive the answer, so an implementation
    /// may leave it unmarked (see [`mark`]): the [`Fleet`] does, which spares every step the
    /// run wrapper's processes on this round trip.
    fn answer(
        &self,
        host: HostId,
        deadline: Duration,
    ) -> impl Future<Output = Result<Output, TransportError>> + Send {
        self.run(host, "true", deadline)
    }

    /// The walk will send nothing more to `host`: what this run may have left there (its
    /// folder, a command cut off) can be swept now, beside the steps still to come, instead
    /// of at the end. Transports that leave nothing behind ignore it.
    fn done_with(&self, host: HostId) {
        let _ = host;
    }

    /// Like [`Transport::run`], for an inspection script whose stdout is data to parse (config
    /// files, socket tables): its stdout is kept whole up to [`STDOUT_LIMIT`], and
    /// [`Output::stdout_dropped`] says when it was longer.
    fn read(
        &self,
        host: HostId,
        script: &str,
        deadline: Duration,
    ) -> impl Future<Output = Result<Output, TransportError>> + Send {
        self.run(host, script, deadline)
    }
}

/// Extra time the controller waits beyond a command's deadline before it gives up on the host:
/// `timeout` sends TERM at the deadline and KILL this much later.
pub(crate) const KILL_GRACE: Duration = Duration::from_secs(5);

/// How long the controller waits for a command before giving up on the host: the deadline,
/// the host's TERM-to-KILL grace, and as much again for the answer to travel back.
fn backstop(deadline: Duration) -> Duration {
    deadline + KILL_GRACE * 2
}

/// `timeout` exits 124 when the deadline killed the command (137 after KILL).
fn timed_out(code: Option<i32>) -> bool {
    matches!(code, Some(124) | Some(137))
}

const OUTPUT_LIMIT: usize = 4096;

/// What is kept of a command's stdout and stderr: enough to say what happened, whatever it
/// prints.
pub(crate) const COMMAND_KEEP: Keep = Keep {
    head: 8 << 10,
    tail: 8 << 10,
};

/// The most stdout kept from an inspection script: they bound their own output below this.
pub(crate) const STDOUT_LIMIT: usize = 64 << 20;

/// What is kept of an inspection script's stdout: all of it up to [`STDOUT_LIMIT`].
const READ_KEEP: Keep = Keep {
    head: STDOUT_LIMIT,
    tail: 0,
};

/// The last `OUTPUT_LIMIT` bytes of a stream, on a character boundary.
pub(crate) fn bounded(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if text.len() <= OUTPUT_LIMIT {
        return text.into_owned();
    }
    let mut start = text.len() - OUTPUT_LIMIT;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    format!("[…]{}", &text[start..])
}

/// Reads a command's stdout (keeping `keep` of it) and stderr together, as they arrive: a
/// command blocked on a full stderr pipe must not wait for its stdout to be read.
async fn capture_both<O, E>(
    stdout: Option<O>,
    stderr: Option<E>,
    keep: Keep,
) -> std::io::Result<(Captured, Captured)>
where
    O: tokio::io::AsyncRead + Unpin,
    E: tokio::io::AsyncRead + Unpin,
{
    tokio::try_join!(
        capture::read(stdout, keep),
        capture::read(stderr, COMMAND_KEEP)
    )
}

fn output_of(code: Option<i32>, stdout: &Captured, stderr: &Captured) -> Output {
    Output {
        code,
        stdout: stdout.text(),
        stdout_dropped: stdout.dropped(),
        stderr: stderr.text(),
        timed_out: timed_out(code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_is_one_word_after_sh_c() {
        let argv = mark::command_argv(
            &ShellCommand::plain("echo $(id) ; rm -rf /tmp/x"),
            Duration::from_millis(1500),
            true,
            None,
            None,
            None,
        );
        assert_eq!(
            argv,
            [
                "sudo",
                "-n",
                "timeout",
                "--kill-after=5",
                "1.500",
                "sh",
                "-c",
                "echo $(id) ; rm -rf /tmp/x"
            ]
        );
    }

    #[test]
    fn output_is_bounded_to_its_tail() {
        let long = "x".repeat(10_000) + "the end";
        let shown = bounded(long.as_bytes());
        assert!(shown.len() < 4200);
        assert!(shown.ends_with("the end"));
    }
}
