//! Galera from cold: the member that committed the most goes first, bootstrapped with
//! `galera_new_cluster`; its position is read from `grastate.dat`, or learnt with
//! `galera_recovery` (`mysqld --wsrep-recover`) after a crash left seqno -1.

use super::{Choice, FirstUp, Found};
use crate::plan::model::ShellCommand;

/// Galera's saved state, where `galera_new_cluster` looks for `safe_to_bootstrap`.
const GRASTATE: &str = "/var/lib/mysql/grastate.dat";

/// The member's seqno and safe flag; with `recover`, the position `galera_recovery` finds when
/// the seqno is -1 (it starts mysqld in recovery mode, so only a real cold start does it).
pub(super) fn question(recover: bool) -> ShellCommand {
    ShellCommand::plain(format!(
        "grastate={GRASTATE} recover={}\n{}",
        if recover { "1" } else { "" },
        include_str!("../../remote/galera_cold_position.sh")
    ))
}

/// Galera's way up: the member is marked safe, then bootstraps a new cluster.
pub(super) fn up_first() -> FirstUp {
    FirstUp::Instead(ShellCommand::plain(format!(
        "sed -i 's/^safe_to_bootstrap:.*/safe_to_bootstrap: 1/' {GRASTATE} && galera_new_cluster"
    )))
}

pub(super) fn choose(found: &[Found], bootstrap: Option<usize>) -> Result<Choice, String> {
    let unknown: Vec<&str> = found
        .iter()
        .filter(|f| f.seqno.is_none_or(|s| s < 0))
        .map(|f| f.host.as_str())
        .collect();
    if !unknown.is_empty() && bootstrap.is_none() {
        return Err(format!(
            "the position of {} is unknown (seqno -1, and galera_recovery found none): bootstrapping another member could lose what it committed; look at its error log, or choose with --bootstrap HOST",
            unknown.join(", ")
        ));
    }
    let best = found
        .iter()
        .filter_map(|f| f.seqno)
        .filter(|&s| s >= 0)
        .max();
    // A safe flag left by an earlier bootstrap does not outrank a member that is further.
    let safe = found.iter().position(|f| f.safe && f.seqno == best);
    let most_advanced = found
        .iter()
        .position(|f| f.seqno.is_some() && f.seqno == best);
    let first = match bootstrap {
        Some(i) => i,
        None => match (safe, most_advanced) {
            (Some(i), _) => i,
            (None, Some(i)) => i,
            (None, None) => {
                return Err("no member knows its position (seqno -1: they crashed); the cold start itself runs galera_recovery (mysqld --wsrep-recover) on each to find the most advanced".into());
            }
        },
    };
    let f = &found[first];
    let seqno = f.seqno.map_or_else(|| "unknown".into(), |s| s.to_string());
    let why = if f.safe {
        format!("grastate.dat safe_to_bootstrap: 1, seqno {seqno}: the last member to stop")
    } else if Some(first) == most_advanced && bootstrap.is_none() {
        format!("seqno {seqno}, the most advanced; safe_to_bootstrap is set to 1 first")
    } else {
        format!("your choice, seqno {seqno}; safe_to_bootstrap is set to 1 first")
    };
    let warning = match (best, f.seqno) {
        (Some(b), Some(s)) if s < b => {
            let ahead = found
                .iter()
                .find(|g| g.seqno == Some(b))
                .map_or("another member", |g| g.host.as_str());
            Some(format!(
                "{} is at seqno {s} and {ahead} at {b}: the transactions after seqno {s} are lost",
                f.host
            ))
        }
        _ => None,
    };
    Ok(Choice {
        first,
        how: format!(
            "bootstrapped with galera_new_cluster ({why}); then the others one at a time, each Synced before the next"
        ),
        warning,
        together: 1,
        up_first: Some(up_first()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real question, through `sh`, on a `grastate.dat` holding `state`.
    fn answer(state: &str, recover: bool) -> String {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("grastate.dat");
        std::fs::write(&file, state).expect("grastate");
        let script = question(recover)
            .script
            .replace(GRASTATE, &file.display().to_string());
        // A `galera_recovery` that finds position 77.
        std::fs::write(
            dir.path().join("galera_recovery"),
            "#!/bin/sh\necho 'uuid:77'\n",
        )
        .expect("stand-in");
        let path = format!(
            "{}:{}",
            dir.path().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        std::process::Command::new("chmod")
            .arg("+x")
            .arg(dir.path().join("galera_recovery"))
            .status()
            .expect("chmod");
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(script)
            .env("PATH", path)
            .output()
            .expect("sh");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    #[test]
    fn the_question_reads_grastate_and_recovers_only_when_asked() {
        let clean =
            "# GALERA saved state\nversion: 2.1\nuuid: x\nseqno:   42\nsafe_to_bootstrap: 1\n";
        assert_eq!(answer(clean, true), "seqno=42\nsafe_to_bootstrap=1\n");
        let crashed = "seqno: -1\nsafe_to_bootstrap: 0\n";
        assert_eq!(answer(crashed, false), "seqno=-1\nsafe_to_bootstrap=0\n");
        assert_eq!(
            answer(crashed, true),
            "seqno=-1\nsafe_to_bootstrap=0\nrecovered=77\n"
        );
    }
}
