//! FreeBSD: `sockstat` for sockets, `procstat` and `ps` for processes, `service -e` and the rc.d
//! folders for units. Written from the man pages' formats and tested on outputs captured in that
//! format; it has not run on a real FreeBSD yet (the README says so).

use super::{FactsError, HostFacts, Process, common_line, finish, unhex};

/// The fact script: the fragments both OSes share, then FreeBSD's own (`src/remote/`).
const SCRIPT: &str = concat!(
    include_str!("../../remote/facts_common.sh"),
    include_str!("../../remote/freebsd_facts.sh"),
);

/// The script, ready to run as one `sh -c` word.
pub fn wrapped_script() -> String {
    format!("( limit={}\n{SCRIPT})", super::SOCKET_LIMIT)
}

/// The script's output to facts (`manager` left to the caller, who detects it apart); an error
/// only when `sockstat` is missing. Lines it does not know are ignored.
pub fn parse(output: &str) -> Result<HostFacts, FactsError> {
    let mut facts = HostFacts {
        os: "FreeBSD".into(),
        ..HostFacts::default()
    };
    for line in output.lines() {
        let (tag, rest) = line.split_once(' ').unwrap_or((line, ""));
        match tag {
            "NOSOCKSTAT" => return Err(FactsError::NoSockstat),
            "PROC" => {
                let w: Vec<&str> = rest.split(' ').collect();
                if let [pid, ppid, name, exe, args, ..] = w[..]
                    && let Ok(pid) = pid.parse::<u32>()
                {
                    facts.processes.insert(
                        pid,
                        Process {
                            pid,
                            ppid: ppid.parse().unwrap_or(0),
                            name: unhex(name).trim_end().to_string(),
                            exe: unhex(exe).trim_end().to_string(),
                            args: procstat_args(&unhex(args)),
                            unit: None,
                            package: None,
                        },
                    );
                }
            }
            "ENABLED" => {
                if let Some(name) = rest.trim().rsplit('/').next().filter(|n| !n.is_empty()) {
                    facts.enabled.push(name.to_string());
                }
            }
            _ => common_line(&mut facts, tag, rest),
        }
    }
    finish(&mut facts);
    Ok(facts)
}

/// `procstat -h -c PID`: `  PID COMM ARGS...`. The arguments were joined with spaces there, so
/// an argument holding a space cannot be told apart: they come back split at spaces.
fn procstat_args(line: &str) -> Vec<String> {
    let line = line.lines().next().unwrap_or("");
    let mut words = line.split_whitespace();
    words.next(); // pid
    words.next(); // comm
    words.map(str::to_string).collect()
}
