//! `connection: local`: commands run on the controller itself, under the same deadline rules.

use super::{Output, TransportError, output_of};
use std::process::Stdio;
use std::time::Duration;

/// Runs `argv` (see [`super::mark::command_argv`]); gives up after `backstop`.
pub(super) async fn run(
    host: &str,
    argv: &[String],
    backstop: Duration,
) -> Result<Output, TransportError> {
    let child = tokio::process::Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    match tokio::time::timeout(backstop, child).await {
        Ok(Ok(out)) => Ok(output_of(&out)),
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
