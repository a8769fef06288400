//! `connection: local`: commands run on the controller itself, under the same deadline rules.

use super::capture::Keep;
use super::{Output, TransportError, capture_both, output_of};
use std::process::Stdio;
use std::time::Duration;

/// Runs `argv` (see [`super::mark::command_argv`]), keeping `keep` of its stdout; gives up
/// after `backstop`.
pub(super) async fn run(
    host: &str,
    argv: &[String],
    backstop: Duration,
    keep: Keep,
) -> Result<Output, TransportError> {
    let running = async {
        let mut child = tokio::process::Command::new(&argv[0])
            .args(&argv[1..])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        let (stdout, stderr) = capture_both(child.stdout.take(), child.stderr.take(), keep).await?;
        let status = child.wait().await?;
        Ok::<_, std::io::Error>(output_of(status.code(), &stdout, &stderr))
    };
    match tokio::time::timeout(backstop, running).await {
        Ok(Ok(out)) => Ok(out),
        Ok(Err(e)) => Err(TransportError::Spawn {
            host: host.to_string(),
            detail: e.to_string(),
        }),
        Err(_) => Ok(Output {
            code: None,
            timed_out: true,
            ..Output::default()
        }),
    }
}
