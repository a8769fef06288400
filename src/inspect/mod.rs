//! Read-only looks at a host, over the same transport as everything else: the service's config
//! files, whether the hosts they reference still exist from there, and drift (a config edited
//! after the process started, a binary or library replaced under it); the service managers and
//! the units they run.

mod configs;
mod drift;
mod identity;
pub mod manager;
mod references;
pub(crate) mod unit;
pub(crate) mod unit_state;

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
        .read(host, &with_args(args, script), deadline)
        .await
        .map_err(|e| e.to_string())?;
    if !out.success() {
        return Err(format!("{doing} failed: {}", out.evidence()));
    }
    if out.stdout_dropped > 0 {
        // Cut data would be read as whole: a file without its end, a table without its rows.
        return Err(format!(
            "{doing} failed: the host sent more than {} MiB",
            crate::transport::STDOUT_LIMIT >> 20
        ));
    }
    Ok(out.stdout)
}

/// `set -- 'a' 'b'; ` so a script reads its arguments as "$@": plan values reach the remote
/// shell only as quoted words.
pub(crate) fn with_args<'a>(args: impl IntoIterator<Item = &'a str>, script: &str) -> String {
    let quoted: Vec<String> = args
        .into_iter()
        .map(|a| crate::quote::word(a).into_owned())
        .collect();
    if quoted.is_empty() {
        format!("set --; {script}")
    } else {
        format!("set -- {}; {script}", quoted.join(" "))
    }
}
