//! Drift: what changed under a running process since it started. A config edited afterwards was
//! never loaded (the restart will load it for the first time); a binary or library deleted or
//! replaced on disk means the process runs code that no longer exists (as needrestart reports).

use super::run_script;
use crate::plan::model::ProcessSource;
use crate::transport::Transport;
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessInfo {
    pub pid: u32,
    /// Unix seconds.
    pub started: i64,
    /// Unix seconds on the host, when asked.
    pub now: i64,
    /// The executable and mapped libraries that were deleted or replaced since start.
    pub deleted: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Drift {
    /// Modified after the process started: the running service never loaded it.
    ConfigNewerThanProcess {
        path: String,
        modified: i64,
        started: i64,
    },
    /// The process maps a file that is gone from disk.
    DeletedCode { path: String },
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::ConfigNewerThanProcess { path, .. } => {
                write!(
                    f,
                    "{path} changed after the process started: never loaded, the restart loads it for the first time"
                )
            }
            Drift::DeletedCode { path } => {
                write!(f, "the process runs {path}, deleted or replaced on disk")
            }
        }
    }
}

const SCRIPT: &str = r#"case "$1" in
  systemd) pid=$(systemctl show -p MainPID --value "$2" 2>/dev/null) ;;
  pid_file) pid=$(cat "$2" 2>/dev/null) ;;
  match) pid=$(pgrep -o -f "$2" 2>/dev/null) ;;
esac
pid=$(printf '%s' "$pid" | tr -dc 0-9)
if [ -z "$pid" ] || [ "$pid" = 0 ] || ! [ -d "/proc/$pid" ]; then echo NOPROCESS; exit 0; fi
now=$(date +%s)
age=$(ps -o etimes= -p "$pid" | tr -dc 0-9)
echo "PROCESS $pid $((now - age)) $now"
exe=$(readlink "/proc/$pid/exe" 2>/dev/null)
case "$exe" in *" (deleted)") echo "DELETED ${exe% (deleted)}" ;; esac
awk "$3" "/proc/$pid/maps" 2>/dev/null | sort -u"#;

/// The mapped files that are code and gone from disk: executable mappings only, so a shared
/// anonymous mapping (`/dev/zero (deleted)`, `/SYSV…`, `memfd:`), which is data, never is one.
const DELETED_CODE: &str = r#"$2 ~ /x/ && / \(deleted\)$/ && $6 ~ /^\// {print "DELETED " $6}"#;

/// Files whose "(deleted)" mark means shared memory, not replaced code.
fn is_code(path: &str) -> bool {
    !(path.starts_with("/dev/zero")
        || path.starts_with("/SYSV")
        || path.starts_with("/memfd:")
        || path.starts_with("/dev/shm/")
        || path.starts_with("/[aio]"))
}

/// The service's process, if the plan says how to find it and it runs.
pub async fn process_info<T: Transport>(
    transport: &T,
    host: usize,
    source: &ProcessSource,
    deadline: Duration,
) -> Result<Option<ProcessInfo>, String> {
    let (kind, value) = match source {
        ProcessSource::Systemd(unit) => ("systemd", unit),
        ProcessSource::PidFile(path) => ("pid_file", path),
        ProcessSource::Match(pattern) => ("match", pattern),
    };
    let args = [kind, value.as_str(), DELETED_CODE];
    let stdout = run_script(
        transport,
        host,
        args,
        SCRIPT,
        deadline,
        "inspecting the process",
    )
    .await?;
    let mut info: Option<ProcessInfo> = None;
    for line in stdout.lines() {
        let words: Vec<&str> = line.splitn(2, ' ').collect();
        match words[..] {
            ["PROCESS", rest] => {
                let n: Vec<i64> = rest.split(' ').filter_map(|w| w.parse().ok()).collect();
                if let [pid, started, now] = n[..] {
                    info = Some(ProcessInfo {
                        pid: pid as u32,
                        started,
                        now,
                        deleted: Vec::new(),
                    });
                }
            }
            // The executable is also among the mapped files: report each path once.
            ["DELETED", path] => {
                if let Some(info) = info.as_mut()
                    && is_code(path)
                    && !info.deleted.iter().any(|d| d == path)
                {
                    info.deleted.push(path.to_string());
                }
            }
            _ => {}
        }
    }
    Ok(info)
}

/// Drift findings from the process and the configs' modification times.
pub fn drift(process: &ProcessInfo, configs: &[super::ConfigFile]) -> Vec<Drift> {
    let mut found: Vec<Drift> = configs
        .iter()
        .filter_map(|c| match c {
            super::ConfigFile::Read { path, modified, .. } if *modified > process.started => {
                Some(Drift::ConfigNewerThanProcess {
                    path: path.clone(),
                    modified: *modified,
                    started: process.started,
                })
            }
            _ => None,
        })
        .collect();
    found.extend(
        process
            .deleted
            .iter()
            .map(|path| Drift::DeletedCode { path: path.clone() }),
    );
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// /proc/PID/maps of an nginx worker after an upgrade: shared memory zones are data.
    const MAPS: &str = "\
55d0c0a00000-55d0c0a2a000 r--p 00000000 fe:01 1311 /usr/sbin/nginx
55d0c0a2a000-55d0c0b20000 r-xp 0002a000 fe:01 1311 /usr/sbin/nginx
7f1c00000000-7f1c00100000 rw-s 00000000 00:01 4128 /dev/zero (deleted)
7f1c00200000-7f1c00300000 rw-s 00000000 00:01 4129 /SYSV00000000 (deleted)
7f1c00400000-7f1c00500000 r-xs 00000000 00:01 4130 /memfd:jit (deleted)
7f1c00600000-7f1c00700000 r-xp 00000000 fe:01 2001 /usr/lib/x86_64-linux-gnu/libssl.so.3 (deleted)
7f1c00800000-7f1c00900000 r--p 00000000 fe:01 2002 /usr/lib/x86_64-linux-gnu/libz.so.1 (deleted)
";

    #[test]
    fn shared_anonymous_mappings_are_not_deleted_code() {
        let dir = tempfile::tempdir().expect("tempdir");
        let maps = dir.path().join("maps");
        std::fs::write(&maps, MAPS).expect("maps");
        let out = std::process::Command::new("awk")
            .arg(DELETED_CODE)
            .arg(&maps)
            .output()
            .expect("awk");
        let found: Vec<&str> = std::str::from_utf8(&out.stdout)
            .expect("utf8")
            .lines()
            .map(|l| l.trim_start_matches("DELETED "))
            .filter(|p| is_code(p))
            .collect();
        assert_eq!(found, ["/usr/lib/x86_64-linux-gnu/libssl.so.3"]);
    }
}
