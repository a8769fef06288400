//! Which service manager a host runs (systemd, SysV init scripts through `service`, OpenRC,
//! FreeBSD rc.d), told once per host at connect from read-only facts, the way configuration
//! management tools tell it: the OS, PID 1's name, `/run/systemd/system`, `/run/openrc`, then
//! `/etc/init.d`. The facts script and the decision are kept apart: the decision is a pure
//! function of the facts, tested from captured outputs.

use super::run_script;
use crate::transport::Transport;
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// A host's service manager: how a unit is restarted and its process found.
pub enum Manager {
    /// systemd (`systemctl`).
    Systemd,
    /// SysV-style init scripts in `/etc/init.d`, run through `service`.
    Sysv,
    /// OpenRC (`rc-service`).
    Openrc,
    /// FreeBSD's rc.d, through `service`.
    Bsdrc,
}

impl std::fmt::Display for Manager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Manager::Systemd => "systemd",
            Manager::Sysv => "SysV init scripts (service)",
            Manager::Openrc => "OpenRC",
            Manager::Bsdrc => "FreeBSD rc.d",
        })
    }
}

/// What the detection script found on a host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// `uname -s`.
    pub os: String,
    /// PID 1's command name, where the host lets us read it.
    pub pid1: String,
    /// `/run/systemd/system` exists: systemd booted this host (what `sd_booted()` checks).
    pub systemd_booted: bool,
    /// `/run/openrc` exists: OpenRC runs this host.
    pub openrc_running: bool,
    /// `/etc/init.d` exists.
    pub init_d: bool,
    /// A `service` command is installed.
    pub service_command: bool,
}

/// Read-only; every probe answers on its own line, and nothing fails the script.
pub const FACTS_SCRIPT: &str = include_str!("../remote/manager_facts.sh");

/// The facts in the script's output; unknown or garbled lines are ignored.
pub fn parse_facts(output: &str) -> Facts {
    let mut facts = Facts::default();
    for line in output.lines() {
        let (key, value) = line.split_once(' ').unwrap_or((line, ""));
        let value = value.trim();
        match key.trim() {
            "os" => facts.os = value.chars().take(64).collect(),
            "pid1" => facts.pid1 = value.chars().take(64).collect(),
            "systemd_booted" => facts.systemd_booted = true,
            "openrc_running" => facts.openrc_running = true,
            "init_d" => facts.init_d = true,
            "service_command" => facts.service_command = true,
            _ => {}
        }
    }
    facts
}

/// The manager these facts show, or why none can be told.
pub fn decide(facts: &Facts) -> Result<Manager, String> {
    let pid1 = facts.pid1.rsplit('/').next().unwrap_or_default();
    match facts.os.as_str() {
        "FreeBSD" | "DragonFly" => return Ok(Manager::Bsdrc),
        "Linux" => {}
        "" => return Err("it did not answer `uname -s`".into()),
        other => {
            return Err(format!(
                "it runs {other:?}, whose service manager comeback does not know"
            ));
        }
    }
    if facts.systemd_booted || pid1 == "systemd" {
        Ok(Manager::Systemd)
    } else if facts.openrc_running || pid1 == "openrc-init" {
        Ok(Manager::Openrc)
    } else if facts.init_d && facts.service_command {
        Ok(Manager::Sysv)
    } else {
        Err(format!(
            "PID 1 is {pid1:?}, there is no /run/systemd/system, no /run/openrc, and {}",
            if facts.init_d {
                "no `service` command"
            } else {
                "no /etc/init.d"
            }
        ))
    }
}

/// The service manager of `host`, or a sentence saying why it cannot be told.
pub async fn detect<T: Transport>(
    transport: &T,
    host: usize,
    deadline: Duration,
) -> Result<Manager, String> {
    let out = run_script(
        transport,
        host,
        [],
        FACTS_SCRIPT,
        deadline,
        "detecting the service manager",
    )
    .await?;
    decide(&parse_facts(&out)).map_err(|why| format!("cannot tell its service manager: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decided(output: &str) -> Result<Manager, String> {
        decide(&parse_facts(output))
    }

    #[test]
    fn systemd_booted_hosts_are_systemd_whatever_else_they_have() {
        let out = "os Linux\npid1 systemd\nsystemd_booted\ninit_d\nservice_command\n";
        assert_eq!(decided(out), Ok(Manager::Systemd));
        // A container whose /run hides the marker still names its PID 1.
        assert_eq!(
            decided("os Linux\npid1 systemd\ninit_d\n"),
            Ok(Manager::Systemd)
        );
    }

    #[test]
    fn init_scripts_with_service_are_sysv() {
        let out = "os Linux\npid1 bash\ninit_d\nservice_command\n";
        assert_eq!(decided(out), Ok(Manager::Sysv));
        let out = "os Linux\npid1 init\ninit_d\nservice_command\n";
        assert_eq!(decided(out), Ok(Manager::Sysv));
    }

    #[test]
    fn openrc_is_told_by_its_run_folder_or_its_init() {
        let out = "os Linux\npid1 init\nopenrc_running\ninit_d\nservice_command\n";
        assert_eq!(decided(out), Ok(Manager::Openrc));
        assert_eq!(decided("os Linux\npid1 openrc-init\n"), Ok(Manager::Openrc));
    }

    #[test]
    fn freebsd_is_rc_d() {
        // Captured from FreeBSD 14: /proc is not mounted, ps answers for PID 1.
        let out = "os FreeBSD\npid1 init\ninit_d\nservice_command\n";
        assert_eq!(decided(out), Ok(Manager::Bsdrc));
    }

    #[test]
    fn a_host_without_a_known_manager_is_an_error_saying_what_was_seen() {
        let err = decided("os Linux\npid1 tini\n").unwrap_err();
        assert!(err.contains("\"tini\""), "{err}");
        assert!(err.contains("no /etc/init.d"), "{err}");
        let err = decided("os Linux\npid1 tini\ninit_d\n").unwrap_err();
        assert!(err.contains("no `service` command"), "{err}");
        let err = decided("os Darwin\npid1 launchd\n").unwrap_err();
        assert!(err.contains("Darwin"), "{err}");
        assert!(decided("").is_err());
    }

    #[test]
    fn hostile_output_never_panics_and_stays_short() {
        let junk = format!(
            "pid1 {}\nos Linux\n\u{0}\u{1e}weird line\nsystemd_booted extra words\n",
            "x\"y ".repeat(100_000)
        );
        let facts = parse_facts(&junk);
        assert!(facts.pid1.chars().count() <= 64);
        assert_eq!(decide(&facts), Ok(Manager::Systemd));
    }
}
