//! Redis and PostgreSQL from cold: the member with the newest data comes up first, as the
//! primary; its replicas follow. The newest data is read from each member's own files (the
//! replication offset in Redis's snapshot, the end of WAL in PostgreSQL's control file),
//! since after a failover an old primary's config still says it is one.

use super::{Choice, Found, Position, rdb};
use crate::cluster::Kind;
use crate::cluster::answers::value;
use crate::plan::model::ShellCommand;

/// PostgreSQL: whether the member's data directory makes it a standby, and its control file's
/// positions (`pg_controldata`, in English whatever the host's locale).
pub(super) fn postgresql_question() -> ShellCommand {
    ShellCommand::plain(include_str!("../../remote/pg_cold_position.sh"))
}

/// Redis: whether its config follows another member, and the head of its snapshot (see
/// [`rdb`]) unless the append-only file is what it loads.
pub(super) fn redis_question(configs: &[String]) -> ShellCommand {
    ShellCommand::plain(format!(
        "set -- {}\nrdb_head={}\n{}",
        crate::cluster::redis::server_configs(configs),
        rdb::HEAD,
        include_str!("../../remote/redis_cold_position.sh")
    ))
}

/// The position an answer to either question gives, if any.
pub(super) fn position(kind: Kind, text: &str) -> Option<Position> {
    match kind {
        Kind::Redis => {
            let head = value(text, "rdb", '=')?;
            let offset = rdb::repl_offset(head)?;
            Some(Position {
                at: (0, offset),
                shown: format!("replication offset {offset}"),
                history: rdb::repl_id(head),
            })
        }
        Kind::Postgresql => postgresql_position(text),
        _ => None,
    }
}

/// Where the member's WAL ends, as Patroni reads it from a stopped cluster: the checkpoint of
/// a clean shutdown, a standby's minimum recovery point, and after a crash (`in production`)
/// the last checkpoint, which the WAL may go beyond.
fn postgresql_position(text: &str) -> Option<Position> {
    let field = |key| value(text, key, ':');
    let state = field("Database cluster state")?;
    let checkpoint = || {
        Some((
            field("Latest checkpoint's TimeLineID")?.parse().ok()?,
            lsn(field("Latest checkpoint location")?)?,
        ))
    };
    let recovery_end = || {
        let at: (u64, u64) = (
            field("Min recovery ending loc's timeline")?.parse().ok()?,
            lsn(field("Minimum recovery ending location")?)?,
        );
        (at.0 != 0 && at.1 != 0).then_some(at)
    };
    let at = match state {
        "shut down in recovery" | "in archive recovery" => recovery_end().or_else(checkpoint)?,
        _ => checkpoint()?,
    };
    let lsn_shown = format!("{:X}/{:X}", at.1 >> 32, at.1 & 0xFFFF_FFFF);
    let shown = match state {
        "shut down" | "shut down in recovery" => format!("LSN {lsn_shown}, timeline {}", at.0),
        other => format!(
            "LSN {lsn_shown} or later, timeline {} ({})",
            at.0,
            crate::cluster::one_line(other)
        ),
    };
    Some(Position {
        at,
        shown,
        history: None,
    })
}

/// A PostgreSQL LSN, `16/B374D848`.
fn lsn(text: &str) -> Option<u64> {
    let (high, low) = text.split_once('/')?;
    Some((u64::from_str_radix(high, 16).ok()? << 32) | u64::from_str_radix(low, 16).ok()?)
}

/// The member to bring up first: the one with the newest data, which must be a primary by its
/// own config (comeback does not promote); without positions, the one primary by config.
pub(super) fn choose(
    kind: Kind,
    found: &[Found],
    bootstrap: Option<usize>,
) -> Result<Choice, String> {
    let replicas = if kind == Kind::Redis {
        "replicas"
    } else {
        "standbys"
    };
    // On one PostgreSQL timeline the primary has every record its standbys got (it sends only
    // what it flushed), though its clean stop says where its last checkpoint starts and a
    // standby's says where replay ended, past that record: the primary ranks first there.
    let at = |f: &Found| {
        let rank = u64::from(kind == Kind::Postgresql && f.primary);
        f.position.as_ref().map(|p| (p.at.0, rank, p.at.1))
    };
    // Positions compare only when every member has one.
    let newest = found
        .iter()
        .map(at)
        .collect::<Option<Vec<_>>>()
        .and_then(|v| v.into_iter().max());
    let is_newest = |f: &Found| newest.is_none() || at(f) == newest;
    let names = |ix: &[usize]| -> String {
        ix.iter()
            .map(|&i| found[i].host.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let primaries: Vec<usize> = (0..found.len()).filter(|&i| found[i].primary).collect();
    // Two primaries of different histories (a failover while one was down): their offsets
    // do not say which is newer.
    let history = |i: usize| {
        found[i]
            .position
            .as_ref()
            .and_then(|p| p.history.as_deref())
    };
    if bootstrap.is_none()
        && primaries
            .iter()
            .any(|&i| history(i).is_some() && history(i) != history(primaries[0]))
    {
        return Err(format!(
            "{} all say they are the primary, each in a replication history of its own (a failover while one was down?): their offsets do not say which is newer; the {replicas} followed the one to choose: choose it with --bootstrap HOST",
            names(&primaries)
        ));
    }
    let first = match bootstrap {
        Some(i) => i,
        None => {
            let candidates: Vec<usize> = primaries
                .iter()
                .copied()
                .filter(|&i| is_newest(&found[i]))
                .collect();
            match (candidates.as_slice(), primaries.as_slice()) {
                ([one], _) => *one,
                ([], []) => {
                    return Err(
                        "no member's config says it is the primary: choose one with --bootstrap HOST"
                            .into(),
                    );
                }
                ([], _) => {
                    let ahead = found
                        .iter()
                        .find(|f| is_newest(f))
                        .expect("a newest member");
                    return Err(format!(
                        "{} has the newest data ({}) but its config makes it one of the {replicas}; bringing up {} first would lose what came after: promote {} by hand first, or choose with --bootstrap HOST and accept the loss",
                        ahead.host,
                        shown(ahead),
                        names(&primaries),
                        ahead.host
                    ));
                }
                (many, _) => {
                    let data = if newest.is_some() {
                        "with the same data"
                    } else {
                        "and where their data ends could not be read"
                    };
                    return Err(format!(
                        "{} all say they are the primary, {data}: choose one with --bootstrap HOST",
                        names(many)
                    ));
                }
            }
        }
    };
    let f = &found[first];
    let mut warnings = Vec::new();
    if !f.primary {
        warnings.push(format!(
            "{}'s config makes it one of the {replicas}: it comes up following a primary that is down, until you promote it",
            f.host
        ));
    }
    if let Some(ahead) = found.iter().find(|g| at(g) > at(f) && newest.is_some()) {
        warnings.push(format!(
            "{} is at {} and {} at {}: what came after is lost",
            f.host,
            shown(f),
            ahead.host,
            shown(ahead)
        ));
    }
    let others: Vec<usize> = primaries.iter().copied().filter(|&i| i != first).collect();
    if !others.is_empty() {
        warnings.push(format!(
            "{} also say{} it is the primary (an old primary after a failover?): it will not follow {}; rebuild it as one of the {replicas} before its turn",
            names(&others),
            if others.len() == 1 { "s" } else { "" },
            f.host
        ));
    }
    let data = match &f.position {
        Some(_) if newest.is_some() && at(f) == newest => format!("the newest data, {}", shown(f)),
        Some(_) => shown(f).to_string(),
        None => "its config follows no other member".into(),
    };
    Ok(Choice {
        first,
        how: format!(
            "the primary ({data}), started first; then the {replicas} one at a time, each streaming from it before the next"
        ),
        warning: (!warnings.is_empty()).then(|| warnings.join("; ")),
        together: 1,
        up_first: None,
    })
}

fn shown(f: &Found) -> &str {
    f.position
        .as_ref()
        .map_or("an unknown position", |p| p.shown.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `pg_controldata` of PostgreSQL 15 printed on a standby shut down cleanly.
    const STANDBY: &str = "primary=no
Database cluster state:               shut down in recovery
Latest checkpoint location:           0/3000060
Latest checkpoint's TimeLineID:       1
Minimum recovery ending location:     0/3000108
Min recovery ending loc's timeline:   1
";

    fn member(host: &str, primary: bool, at: Option<(u64, u64)>) -> Found {
        Found {
            host: host.into(),
            primary,
            position: at.map(|at| Position {
                at,
                shown: format!("{at:?}"),
                history: None,
            }),
            ..Found::default()
        }
    }

    #[test]
    fn positions_are_read_from_the_control_file_and_the_snapshot() {
        let p = postgresql_position(STANDBY).expect("a position");
        assert_eq!(p.at, (1, 0x3000108));
        assert_eq!(p.shown, "LSN 0/3000108, timeline 1");
        let crashed = "Database cluster state: in production\nLatest checkpoint location: 16/B374D848\nLatest checkpoint's TimeLineID: 3\n";
        let p = postgresql_position(crashed).expect("a position");
        assert_eq!(p.at, (3, (0x16 << 32) | 0xB374D848));
        assert_eq!(
            p.shown,
            "LSN 16/B374D848 or later, timeline 3 (in production)"
        );
        assert!(
            postgresql_position(
                "Database cluster state: shut down\nLatest checkpoint location: junk\n"
            )
            .is_none()
        );
        assert!(position(Kind::Redis, "primary=yes\nrdb=52 45 44\n").is_none());
    }

    #[test]
    fn the_newest_primary_goes_first_and_a_newer_standby_is_not_demoted_silently() {
        let clean = [
            member("pg-1", false, Some((1, 90))),
            member("pg-2", true, Some((1, 100))),
            member("pg-3", false, Some((1, 100))),
        ];
        let c = choose(Kind::Postgresql, &clean, None).expect("a choice");
        assert_eq!(c.first, 1);
        assert!(
            c.how.starts_with("the primary (the newest data"),
            "{}",
            c.how
        );
        assert_eq!(c.warning, None);
        // A standby's replay end is past the primary's last checkpoint on the same timeline.
        let stopped = [
            member("pg-1", true, Some((1, 0x4000028))),
            member("pg-2", false, Some((1, 0x40000A0))),
        ];
        let c = choose(Kind::Postgresql, &stopped, None).expect("a choice");
        assert_eq!((c.first, c.warning), (0, None));
        // After a failover: both say primary; the promoted one is on a later timeline.
        let failover = [
            member("pg-1", true, Some((1, 200))),
            member("pg-2", true, Some((2, 150))),
            member("pg-3", false, Some((2, 150))),
        ];
        let c = choose(Kind::Postgresql, &failover, None).expect("a choice");
        assert_eq!(c.first, 1);
        let warning = c.warning.expect("the old primary is named");
        assert!(
            warning.starts_with("pg-1 also says it is the primary"),
            "{warning}"
        );
        let behind = [
            member("r-1", true, Some((0, 10))),
            member("r-2", false, Some((0, 12))),
        ];
        let refused = choose(Kind::Redis, &behind, None).expect_err("r-2 is ahead");
        assert!(refused.starts_with("r-2 has the newest data"), "{refused}");
        let forced = choose(Kind::Redis, &behind, Some(0)).expect("the operator's choice");
        assert!(
            forced
                .warning
                .expect("a loss")
                .contains("what came after is lost")
        );
        // Two primaries of two histories: offsets do not compare, the operator chooses.
        let mut old = member("r-1", true, Some((0, 1000)));
        let mut new = member("r-2", true, Some((0, 995)));
        for (m, id) in [(&mut old, "a"), (&mut new, "b")] {
            if let Some(p) = m.position.as_mut() {
                p.history = Some(id.repeat(40));
            }
        }
        let refused =
            choose(Kind::Redis, &[old.clone(), new.clone()], None).expect_err("histories differ");
        assert!(
            refused.contains("a replication history of its own"),
            "{refused}"
        );
        assert_eq!(
            choose(Kind::Redis, &[old, new], Some(1))
                .expect("chosen")
                .first,
            1
        );
        // Without every position, the config decides.
        let partial = [
            member("r-1", true, None),
            member("r-2", false, Some((0, 12))),
        ];
        assert_eq!(
            choose(Kind::Redis, &partial, None).expect("a choice").first,
            0
        );
    }

    /// The real question, through `sh`, on a member whose config is `config`.
    fn redis_answer(dir: &std::path::Path, config: &str) -> String {
        let conf = dir.join("my redis.conf");
        std::fs::write(&conf, config).expect("config");
        let question = redis_question(&[conf.display().to_string()]);
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&question.script)
            .output()
            .expect("sh");
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    #[test]
    fn the_redis_question_reads_the_role_and_the_snapshot_the_config_names() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        std::fs::write(d.join("my dump.rdb"), b"REDIS0010\xfa").expect("rdb");
        let files = format!("dir \"{}\"\r\ndbfilename \"my dump.rdb\"\n", d.display());
        assert_eq!(
            redis_answer(d, &files),
            "primary=yes\nrdb= 52 45 44 49 53 30 30 31 30 fa \n"
        );
        let replica = format!("replicaof 10.0.0.1 6379\n{files}");
        assert!(redis_answer(d, &replica).starts_with("primary=no\n"));
        let no_one = format!("replicaof no one\n{files}appendonly yes\n");
        assert_eq!(redis_answer(d, &no_one), "primary=yes\n");
    }
}
