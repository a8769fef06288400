//! Read-only looks at a host, over the same transport as everything else: the service's config
//! files, whether the hosts they reference still exist from there, and drift (a config edited
//! after the process started, a binary or library replaced under it); the service managers and
//! the units they run.

/// An awk function, `owners()`: the pids that own the socket on the current `ss -p` line.
/// ss prints each process's name as it is, and a process named `x",pid=1,fd=9)` must not pass
/// for pid 1: a pid counts only where the text before it ends with `("` and that process's own
/// name (`/proc/PID/comm`). A forged entry needs 16 bytes; a name holds 15.
macro_rules! ss_owners {
    () => {
        r#"function owners(   s, pre, out, p, f, c) {
  if (!index($0, "users:((")) return ""
  s = substr($0, index($0, "users:((")); pre = ""; out = ""
  while (match(s, /",pid=[0-9]+,fd=[0-9]+\)/)) {
    p = substr(s, RSTART + 6); p = substr(p, 1, index(p, ",") - 1)
    pre = pre substr(s, 1, RSTART - 1)
    if (!(p in comms)) { f = "/proc/" p "/comm"; c = ""; if ((getline c < f) <= 0) c = "\001"; close(f); comms[p] = c }
    c = "(\"" comms[p]
    if (length(pre) >= length(c) && substr(pre, length(pre) - length(c) + 1) == c) out = out "," p
    pre = pre substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
  }
  return substr(out, 2)
}
"#
    };
}
pub(crate) use ss_owners;

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
fn with_args<'a>(args: impl IntoIterator<Item = &'a str>, script: &str) -> String {
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
