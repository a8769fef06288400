//! How commands reach a host: one trait, an SSH implementation over multiplexed masters and a
//! local one for `connection: local`. Every command carries a deadline that the host itself
//! enforces (`timeout`), so a command we give up on does not keep running there.

mod fleet;
mod local;
pub(crate) mod mark;
mod ssh;

pub(crate) use fleet::Fleet;
pub(crate) use mark::LiveCommand;

use crate::plan::model::{HostId, ShellCommand};
use std::future::Future;
use std::time::Duration;

/// What a remote command left behind: stdout whole up to `STDOUT_LIMIT` (inspection scripts
/// return whole config files and socket tables), stderr bounded to its last few KiB.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    /// `None` when the command was killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// The deadline ran out and the host killed the command.
    pub timed_out: bool,
}

impl Output {
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

/// The most stdout kept from one command: inspection scripts bound their own output below this.
pub(crate) const STDOUT_LIMIT: usize = 64 << 20;

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

fn output_of(out: &std::process::Output) -> Output {
    let code = out.status.code();
    Output {
        code,
        stdout: String::from_utf8_lossy(&out.stdout[..out.stdout.len().min(STDOUT_LIMIT)])
            .into_owned(),
        stderr: bounded(&out.stderr),
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
