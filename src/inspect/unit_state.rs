//! What a service manager says of a unit right now (systemd's `ActiveState`, `SubState`,
//! `Result`, `NRestarts`, `UnitFileState`; an init script's `status` and its boot links), the
//! last lines of its log, and whether its last stop had to be forced: the host's own word on
//! whether a unit runs, failed, loops or will come back after a reboot.

use super::manager::Manager;
use super::run_script;
use crate::transport::Transport;
use std::time::Duration;

/// The properties comeback reads of a systemd unit, in `systemctl show` form.
const SHOWN: &str = "-p Id -p LoadState -p Type -p RemainAfterExit -p MainPID -p ActiveState \
                     -p SubState -p Result -p NRestarts -p UnitFileState -p ConsistsOf \
                     -p PropagatesReloadTo";

/// One unit as `systemctl show` describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct UnitProperties {
    pub id: String,
    pub load_state: String,
    pub kind: String,
    pub remain_after_exit: bool,
    pub main_pid: u32,
    pub active: String,
    pub sub: String,
    pub result: String,
    pub restarts: u32,
    pub file_state: String,
    /// Units that are `PartOf` this one: a restart of this one restarts them.
    pub consists_of: Vec<String>,
    /// Units that a reload of this one reloads.
    pub propagates_reload_to: Vec<String>,
}

/// The `systemctl show` command for `units`, each name quoted.
pub(crate) fn show_command(units: &[&str]) -> String {
    let quoted: Vec<String> = units.iter().map(|u| super::unit::quote(u)).collect();
    format!("systemctl show {SHOWN} -- {}", quoted.join(" "))
}

/// `systemctl show` output: one block per unit, separated by blank lines, in the order asked.
pub(crate) fn parse_show(output: &str) -> Vec<UnitProperties> {
    let mut units = Vec::new();
    let mut unit = UnitProperties::default();
    let mut any = false;
    for line in output.lines().take(10_000) {
        if line.trim().is_empty() {
            if any {
                units.push(std::mem::take(&mut unit));
                any = false;
            }
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        any = true;
        let value: String = value.trim().chars().take(4096).collect();
        let names = || {
            value
                .split_whitespace()
                .take(64)
                .map(str::to_string)
                .collect()
        };
        match key {
            "Id" => unit.id = value,
            "LoadState" => unit.load_state = value,
            "Type" => unit.kind = value,
            "RemainAfterExit" => unit.remain_after_exit = value == "yes",
            "MainPID" => unit.main_pid = value.parse().unwrap_or(0),
            "ActiveState" => unit.active = value,
            "SubState" => unit.sub = value,
            "Result" => unit.result = value,
            "NRestarts" => unit.restarts = value.parse().unwrap_or(0),
            "UnitFileState" => unit.file_state = value,
            "ConsistsOf" => unit.consists_of = names(),
            "PropagatesReloadTo" => unit.propagates_reload_to = names(),
            _ => {}
        }
    }
    if any {
        units.push(unit);
    }
    units
}

impl UnitProperties {
    /// A oneshot without `RemainAfterExit` is inactive whenever it is not running its command:
    /// its state says nothing about whether it is up.
    fn state_means_nothing(&self) -> bool {
        self.kind == "oneshot" && !self.remain_after_exit
    }

    /// The units a restart (or, with `reload`, a reload) of this one really acts on when it
    /// has no process of its own: an umbrella's members (`postgresql` → `postgresql@15-main`).
    pub(crate) fn members(&self, reload: bool) -> Vec<String> {
        if self.main_pid != 0 || self.kind != "oneshot" {
            return Vec::new();
        }
        let listed = if reload {
            &self.propagates_reload_to
        } else {
            &self.consists_of
        };
        listed
            .iter()
            .filter(|u| u.ends_with(".service"))
            .cloned()
            .collect()
    }
}

/// What the manager says of one unit now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnitState {
    /// The unit, as the manager names it.
    pub unit: String,
    /// In the manager's words: `active (running)`, `failed (Result=exit-code)`,
    /// `activating (auto-restart)`, `not running (status exited 3)`.
    pub words: String,
    /// It runs (or, for a state that means nothing, is not known to be down).
    pub up: bool,
    /// It failed, or the manager is restarting it after a crash.
    pub broken: bool,
    /// It is starting, stopping or reloading (not a crash loop): down for now, not lost.
    pub changing: bool,
    /// How many times the manager restarted it by itself (systemd's `NRestarts`).
    pub restarts: Option<u32>,
    /// Whether it starts at boot, when the manager can tell.
    pub enabled: Option<bool>,
}

impl From<&UnitProperties> for UnitState {
    fn from(s: &UnitProperties) -> UnitState {
        let unit = s.id.strip_suffix(".service").unwrap_or(&s.id).to_string();
        let mut words = format!("{} ({})", s.active, s.sub);
        if !s.result.is_empty() && s.result != "success" {
            words.push_str(&format!(", Result={}", s.result));
        }
        let looping = s.sub == "auto-restart";
        if looping {
            words.push_str(": restarting it after a crash");
        }
        UnitState {
            unit,
            words,
            up: s.state_means_nothing() || (s.active == "active" && !looping),
            broken: s.active == "failed" || looping,
            changing: matches!(
                s.active.as_str(),
                "activating" | "deactivating" | "reloading"
            ) && !looping,
            restarts: Some(s.restarts),
            // Only "disabled" says it will not start: static, indirect and generated units
            // are started by something else.
            enabled: match s.file_state.as_str() {
                "disabled" => Some(false),
                "enabled" | "enabled-runtime" => Some(true),
                _ => None,
            },
        }
    }
}

/// Asks an init-script manager whether `$1` runs and starts at boot.
const SCRIPT_STATE: &str = include_str!("../remote/init_script_state.sh");

/// The state of `units` on `host` (for systemd several at once, else the first alone).
pub(crate) async fn states<T: Transport>(
    transport: &T,
    host: usize,
    manager: Manager,
    units: &[&str],
    deadline: Duration,
) -> Result<Vec<UnitState>, String> {
    let kind = match manager {
        Manager::Systemd => {
            let out = run_script(
                transport,
                host,
                [],
                &show_command(units),
                deadline,
                "asking systemd",
            )
            .await?;
            return Ok(parse_show(&out).iter().map(UnitState::from).collect());
        }
        Manager::Sysv => "sysv",
        Manager::Openrc => "openrc",
        Manager::Bsdrc => "bsdrc",
    };
    let unit = units.first().copied().unwrap_or_default();
    let out = run_script(
        transport,
        host,
        [kind, unit],
        SCRIPT_STATE,
        deadline,
        "asking the init script",
    )
    .await?;
    Ok(vec![parse_script_state(unit, &out)])
}

fn parse_script_state(unit: &str, output: &str) -> UnitState {
    let code = output
        .lines()
        .find_map(|l| l.strip_prefix("STATUS "))
        .and_then(|c| c.trim().parse::<i32>().ok());
    UnitState {
        unit: unit.to_string(),
        words: match code {
            Some(0) => "running (status exited 0)".to_string(),
            Some(c) => format!("not running (status exited {c})"),
            None => "unknown (status said nothing)".to_string(),
        },
        up: code == Some(0),
        broken: false,
        changing: false,
        restarts: None,
        enabled: Some(output.lines().any(|l| l.trim() == "ENABLED")),
    }
}

/// The last lines of a systemd unit's log (`since`: unix seconds, to read only what followed
/// a restart), bounded; `None` when there is no journal to read.
pub(crate) async fn log_tail<T: Transport>(
    transport: &T,
    host: usize,
    unit: &str,
    since: Option<i64>,
    lines: usize,
    deadline: Duration,
) -> Option<String> {
    let since = since.map(|s| format!("@{s}")).unwrap_or_default();
    let lines = lines.to_string();
    let out = run_script(
        transport,
        host,
        [unit, since.as_str(), lines.as_str()],
        include_str!("../remote/unit_log.sh"),
        deadline,
        "reading the unit's log",
    )
    .await
    .ok()?;
    let text = out.trim_end();
    (!text.is_empty() && !text.starts_with("-- No entries --")).then(|| text.to_string())
}

/// The line of a unit's log since its restart that says systemd had to kill it to stop it,
/// if one does.
pub(crate) fn forced_stop(log: &str) -> Option<&str> {
    log.lines().map(str::trim).find(|l| {
        l.contains("timed out. Killing")
            || l.contains("with signal SIGKILL")
            || l.contains("Failed with result 'timeout'")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Captured from Debian 12's systemd 252 in a test host.
    const UMBRELLA: &str = "Id=postgresql.service\nLoadState=loaded\nType=oneshot\n\
        RemainAfterExit=yes\nMainPID=0\nActiveState=active\nSubState=exited\nResult=success\n\
        NRestarts=0\nUnitFileState=enabled\nConsistsOf=postgresql@15-main.service\n\
        PropagatesReloadTo=postgresql@15-main.service\n\nId=postgresql@15-main.service\n\
        LoadState=loaded\nType=forking\nRemainAfterExit=no\nMainPID=1023\nActiveState=active\n\
        SubState=running\nResult=success\nNRestarts=0\nUnitFileState=enabled-runtime\n\
        ConsistsOf=\nPropagatesReloadTo=\n";

    #[test]
    fn an_umbrella_unit_gives_its_members() {
        let shown = parse_show(UMBRELLA);
        assert_eq!(shown.len(), 2);
        assert_eq!(shown[0].members(false), ["postgresql@15-main.service"]);
        assert_eq!(shown[0].members(true), ["postgresql@15-main.service"]);
        assert!(shown[1].members(false).is_empty());
        assert_eq!(shown[1].main_pid, 1023);
        let state = UnitState::from(&shown[0]);
        assert!(state.up && !state.broken);
        assert_eq!(state.words, "active (exited)");
        assert_eq!(state.enabled, Some(true));
        assert_eq!(UnitState::from(&shown[1]).unit, "postgresql@15-main");
    }

    #[test]
    fn stopped_failed_and_looping_units_in_systemd_words() {
        let one = |text: &str| UnitState::from(&parse_show(text)[0]);
        let stopped = one("Id=memcached.service\nType=forking\nActiveState=inactive\n\
                           SubState=dead\nResult=success\nUnitFileState=disabled\n");
        assert!(!stopped.up && !stopped.broken);
        assert_eq!(stopped.words, "inactive (dead)");
        assert_eq!(stopped.enabled, Some(false));
        let failed = one("Id=varnish.service\nActiveState=failed\nSubState=failed\n\
                          Result=exit-code\nNRestarts=0\n");
        assert!(failed.broken && !failed.up);
        assert_eq!(failed.words, "failed (failed), Result=exit-code");
        let looping = one(
            "Id=app.service\nActiveState=activating\nSubState=auto-restart\n\
                           Result=exit-code\nNRestarts=4\n",
        );
        assert!(looping.broken && !looping.up && !looping.changing);
        let starting =
            one("Id=postgresql@15-main.service\nActiveState=activating\nSubState=start\n");
        assert!(starting.changing && !starting.up && !starting.broken);
        assert_eq!(
            looping.words,
            "activating (auto-restart), Result=exit-code: restarting it after a crash"
        );
        assert_eq!(looping.restarts, Some(4));
        // A oneshot that ran and exited is neither up nor down.
        let oneshot = one("Id=setup.service\nType=oneshot\nRemainAfterExit=no\n\
                           ActiveState=inactive\nSubState=dead\n");
        assert!(oneshot.up);
        assert_eq!(one("Id=x.service\nUnitFileState=static\n").enabled, None);
    }

    #[test]
    fn init_script_states() {
        let s = parse_script_state("redis-server", "STATUS 0\nENABLED\n");
        assert!(s.up && s.enabled == Some(true));
        let s = parse_script_state("redis-server", "STATUS 3\n");
        assert_eq!(s.words, "not running (status exited 3)");
        assert!(!s.up && s.enabled == Some(false));
    }

    #[test]
    fn a_forced_stop_in_systemd_words() {
        let log = "Stopping pgbouncer.service - connection pooler for PostgreSQL...\n\
                   pgbouncer.service: State 'stop-sigterm' timed out. Killing.\n\
                   pgbouncer.service: Killing process 88 (pgbouncer) with signal SIGKILL.\n\
                   pgbouncer.service: Failed with result 'timeout'.\n";
        assert_eq!(
            forced_stop(log),
            Some("pgbouncer.service: State 'stop-sigterm' timed out. Killing.")
        );
        assert_eq!(
            forced_stop("Stopped nginx.service.\nStarted nginx.service.\n"),
            None
        );
    }

    proptest::proptest! {
        #[test]
        fn any_show_output_parses(text in "([A-Za-z]{0,12}=[ -~]{0,20}\n?|\n){0,40}") {
            for s in parse_show(&text) {
                let _ = UnitState::from(&s);
                let _ = s.members(true);
            }
            let _ = parse_script_state("x", &text);
            let _ = forced_stop(&text);
        }
    }
}
