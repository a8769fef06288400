//! `connection: local`: commands run on the controller itself, under the same deadline rules.

use super::{Output, TransportError, deadline_argv, output_of};
use std::process::Stdio;
use std::time::Duration;

pub async fn run(
    host: &str,
    command: &str,
    deadline: Duration,
    sudo: bool,
) -> Result<Output, TransportError> {
    let argv = deadline_argv(command, deadline, sudo);
    let child = tokio::process::Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    match tokio::time::timeout(super::backstop(deadline), child).await {
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
