//! Read-only looks at a host, over the same transport as everything else: the service's config
//! files, whether the hosts they reference still exist from there, and drift (a config edited
//! after the process started, a binary or library replaced under it).

mod configs;
mod drift;
mod references;

pub use configs::{ConfigFile, fetch_configs};
pub use drift::{Drift, ProcessInfo, drift, process_info};
pub use references::{ReferenceFinding, ReferenceStatus, check_references};

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
