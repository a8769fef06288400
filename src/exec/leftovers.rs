//! Commands of a run that outlived the comeback that started them (it was killed, or lost its
//! connection): `resume` waits for them to end before it touches anything, and every run kills
//! what it leaves behind, so a service is never restarted by two commands at the same time.

use super::event::{CommandEnded, CommandStillRunning};
use super::{Event, Events};
use crate::plan::model::HostId;
use crate::transport::{Fleet, LiveCommand};
use std::time::{Duration, Instant};

const POLL: Duration = Duration::from_millis(250);

/// Waits (at most `bound`) until no command of run `run_id` runs on any of `hosts`. Returns the
/// hosts where one still runs, or could not be looked for.
pub(crate) async fn wait_for(
    fleet: &Fleet,
    names: &[String],
    hosts: &[HostId],
    run_id: &str,
    bound: Duration,
    events: &Events,
) -> Vec<String> {
    let started = Instant::now();
    let mut seen: Vec<(HostId, LiveCommand)> = Vec::new();
    loop {
        let mut live = Vec::new();
        let mut blind = Vec::new();
        let looks = hosts
            .iter()
            .map(|&h| async move { (h, fleet.live_commands(h, run_id).await) });
        for (h, found) in futures_util::future::join_all(looks).await {
            match found {
                Ok(commands) => live.extend(commands.into_iter().map(|c| (h, c))),
                Err(_) => blind.push(names[h].clone()),
            }
        }
        for (h, c) in &live {
            if !seen.iter().any(|(sh, sc)| sh == h && sc.pgid == c.pgid) {
                let left = bound.saturating_sub(started.elapsed());
                events.emit(Event::CommandStillRunning(CommandStillRunning {
                    host: names[*h].clone(),
                    pgid: c.pgid,
                    age_s: c.age_s,
                    command: c.command.clone(),
                    wait_ms: super::millis(left),
                }));
            }
        }
        for (h, c) in &seen {
            if !live.iter().any(|(lh, lc)| lh == h && lc.pgid == c.pgid) {
                events.emit(Event::CommandEnded(CommandEnded {
                    host: names[*h].clone(),
                    pgid: c.pgid,
                    command: c.command.clone(),
                    killed: false,
                }));
            }
        }
        seen = live;
        if seen.is_empty() || !blind.is_empty() || started.elapsed() >= bound {
            let mut hosts: Vec<String> = seen.iter().map(|(h, _)| names[*h].clone()).collect();
            hosts.extend(blind);
            hosts.sort();
            hosts.dedup();
            return hosts;
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Kills what this run left running on its hosts (see `Fleet::sweep`) and says so.
pub(crate) async fn sweep(fleet: &Fleet, names: &[String], events: &Events) {
    for (h, result) in fleet.sweep().await {
        match result {
            Ok(killed) => {
                for c in killed {
                    events.emit(Event::CommandEnded(CommandEnded {
                        host: names[h].clone(),
                        pgid: c.pgid,
                        command: c.command,
                        killed: true,
                    }));
                }
            }
            Err(e) => tracing::warn!(
                "could not check host {} for commands left running: {e}",
                names[h]
            ),
        }
    }
}
