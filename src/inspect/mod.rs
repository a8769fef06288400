//! Read-only looks at a host, over the same transport as everything else: the service's config
//! files, whether the hosts they reference still exist from there, and drift (a config edited
//! after the process started, a binary or library replaced under it); and, for `comeback
//! discover`, what a host runs ([`facts`]).

mod configs;
mod drift;
pub mod facts;
pub mod manager;
mod references;
pub(crate) mod unit;

pub(crate) use configs::{ConfigFile, fetch_configs};
pub use drift::Drift;
pub(crate) use drift::drift;
pub use manager::Manager;
pub(crate) use references::check_references;
pub use references::{ReferenceFinding, ReferenceStatus};
pub use unit::ProcessInfo;
pub(crate) use unit::locate;

use crate::transport::Transport;
use std::time::Duration;

/// Runs one of the inspection scripts on `host` with `args` as its "$@": its stdout, or what
/// went wrong while `doing` it.
pub(crate) async fn run_script<'a, T: Transport>(
    transport: &T,
    host: usize,
    args: impl IntoIterator<Item = &'a str>,
    script: &str,
    deadline: Duration,
    doing: &str,
) -> Result<String, String> {
    let out = transport
        .run(host, &with_args(args, script), deadline)
        .await
        .map_err(|e| e.to_string())?;
    if !out.success() {
        return Err(format!("{doing} failed: {}", out.evidence()));
    }
    Ok(out.stdout)
}

/// `set -- 'a' 'b'; ` so a script reads its arguments as "$@": plan values reach the remote
/// shell only as quoted words.
fn with_args<'a>(args: impl IntoIterator<Item = &'a str>, script: &str) -> String {
    let quoted: Vec<String> = args
        .into_iter()
        .map(|a| {
            shlex::try_quote(a)
                .map(|q| q.into_owned())
                .unwrap_or_else(|_| "''".into())
        })
        .collect();
    if quoted.is_empty() {
        format!("set --; {script}")
    } else {
        format!("set -- {}; {script}", quoted.join(" "))
    }
}
