//! Bringing a cluster back from a full outage: which member goes first and how, the kind's way
//! (Galera: the most advanced member, `galera_new_cluster`; Redis and PostgreSQL: the primary),
//! then the others one at a time. Read from what each member's own files say, since none runs.

use super::Kind;
use super::answers::{Answer, value};
use crate::plan::model::ShellCommand;

/// Galera's saved state, where `galera_new_cluster` looks for `safe_to_bootstrap`.
const GRASTATE: &str = "/var/lib/mysql/grastate.dat";

/// What one stopped member's files say.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Found {
    /// The member's host.
    pub host: String,
    /// Galera: the last committed seqno (`-1` after a crash, until recovered).
    pub seqno: Option<i64>,
    /// Galera: `safe_to_bootstrap: 1`, the last member to stop cleanly.
    pub safe: bool,
    /// Redis, PostgreSQL: it was the primary (no `replicaof`, no `standby.signal`).
    pub primary: bool,
    /// What could not be read, if anything.
    pub unreadable: Option<String>,
}

/// The first member of a cold start and how it comes up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Index among the members.
    pub first: usize,
    /// How, and why this one, in words.
    pub how: String,
    /// What may be lost, when the operator's choice is not the most advanced member.
    pub warning: Option<String>,
    /// The command that brings it up first, instead of its restart command (Galera's).
    pub bootstrap: Option<ShellCommand>,
}

/// The command that brings the first member of a cold start up, where the kind has its own
/// (Galera: `safe_to_bootstrap` set, then `galera_new_cluster`).
pub fn bootstrap_command(kind: Kind) -> Option<ShellCommand> {
    (kind == Kind::Galera).then(|| {
        ShellCommand::plain(format!(
            "sed -i 's/^safe_to_bootstrap:.*/safe_to_bootstrap: 1/' {GRASTATE} && galera_new_cluster"
        ))
    })
}

/// Whether comeback brings this kind back one member after another, or why not.
pub fn supported(kind: Kind) -> Result<(), String> {
    match kind {
        Kind::Galera | Kind::Redis | Kind::Postgresql => Ok(()),
        Kind::Etcd | Kind::Zookeeper | Kind::Rabbitmq => Err(format!(
            "a {kind} cluster comes back with every member started together (each waits for a quorum); comeback's cold start brings members up one at a time and does not do that yet: start every member at once (`systemctl start --no-block UNIT` on each)"
        )),
        Kind::Command => Err("a `command` cluster has no known way to come back".into()),
    }
}

/// What each member is asked, read-only unless `recover` (Galera: `galera_recovery` runs
/// `mysqld --wsrep-recover` on a member that crashed, to learn its position).
pub fn question(kind: Kind, configs: &[String], recover: bool) -> Option<ShellCommand> {
    Some(ShellCommand::plain(match kind {
        Kind::Galera => {
            let mut s = format!(
                "f={GRASTATE}\n\
                 if [ ! -r \"$f\" ]; then echo \"unreadable=no $f\"; exit 0; fi\n\
                 sed -n 's/^\\(seqno\\|safe_to_bootstrap\\):[[:space:]]*/\\1=/p' \"$f\"\n"
            );
            if recover {
                s.push_str(
                    "if [ \"$(sed -n 's/^seqno:[[:space:]]*//p' \"$f\")\" = -1 ]; then\n\
                     p=$(galera_recovery 2>/dev/null) && echo \"recovered=${p##*:}\"\n\
                     fi\n",
                );
            }
            s
        }
        Kind::Postgresql => "d=$(pg_lsclusters -h 2>/dev/null | awk 'NR == 1 { print $6 }')\n\
             if [ -z \"$d\" ]; then echo 'unreadable=no cluster in pg_lsclusters'; exit 0; fi\n\
             if [ -e \"$d/standby.signal\" ] || [ -e \"$d/recovery.conf\" ]; then echo primary=no; else echo primary=yes; fi"
            .to_string(),
        Kind::Redis => format!(
            "if grep -Ehsi '^[[:space:]]*(replicaof|slaveof)[[:space:]]' {} | grep -viqE '(replicaof|slaveof)[[:space:]]+no[[:space:]]+one'; then echo primary=no; else echo primary=yes; fi",
            super::redis::server_configs(configs)
        ),
        _ => return None,
    }))
}

/// What a member's answer to [`question`] says.
pub fn read(host: &str, answer: &Answer) -> Found {
    let text = &answer.stdout;
    let unreadable = if !answer.ok() {
        Some(answer.why())
    } else {
        value(text, "unreadable", '=').map(super::one_line)
    };
    let recovered = value(text, "recovered", '=').and_then(|s| s.parse().ok());
    Found {
        host: host.to_string(),
        seqno: recovered.or_else(|| value(text, "seqno", '=').and_then(|s| s.parse().ok())),
        safe: value(text, "safe_to_bootstrap", '=') == Some("1"),
        primary: value(text, "primary", '=') == Some("yes"),
        unreadable,
    }
}

/// The member to bring up first, or why none can be chosen. `bootstrap` is the operator's
/// choice (`--bootstrap HOST`).
pub fn choose(kind: Kind, found: &[Found], bootstrap: Option<&str>) -> Result<Choice, String> {
    if let Some(f) = found.iter().find(|f| f.unreadable.is_some()) {
        return Err(format!(
            "{}'s state could not be read: {}",
            f.host,
            f.unreadable.as_deref().unwrap_or_default()
        ));
    }
    let chosen = |host: &str| found.iter().position(|f| f.host == host);
    match kind {
        Kind::Galera => galera(found, bootstrap.map(|b| chosen(b).ok_or(b))),
        _ => {
            let primaries: Vec<usize> = (0..found.len()).filter(|&i| found[i].primary).collect();
            let first = match (bootstrap, primaries.as_slice()) {
                (Some(b), _) => chosen(b).ok_or_else(|| format!("{b} is not a member"))?,
                (None, [one]) => *one,
                (None, []) => return Err(
                    "no member's config says it is the primary: choose one with --bootstrap HOST"
                        .into(),
                ),
                (None, many) => {
                    let names: Vec<&str> = many.iter().map(|&i| found[i].host.as_str()).collect();
                    return Err(format!(
                        "{} all say they are the primary: choose the one with the newest data with --bootstrap HOST",
                        names.join(", ")
                    ));
                }
            };
            let warning = (!found[first].primary).then(|| {
                format!(
                    "{} was a replica: writes the primary took after its last sync are lost",
                    found[first].host
                )
            });
            Ok(Choice {
                first,
                how: format!(
                    "the primary (its config follows no other member), started first; then the {} one at a time, each streaming from it before the next",
                    if kind == Kind::Redis {
                        "replicas"
                    } else {
                        "standbys"
                    }
                ),
                warning,
                bootstrap: None,
            })
        }
    }
}

fn galera(found: &[Found], bootstrap: Option<Result<usize, &str>>) -> Result<Choice, String> {
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
        Some(Ok(i)) => i,
        Some(Err(host)) => return Err(format!("{host} is not a member")),
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
        bootstrap: bootstrap_command(Kind::Galera),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn galera_member(host: &str, seqno: i64, safe: bool) -> Found {
        Found {
            host: host.into(),
            seqno: Some(seqno),
            safe,
            ..Found::default()
        }
    }

    #[test]
    fn galera_comes_back_from_the_safe_member_else_the_most_advanced() {
        let clean = [
            galera_member("db-01", 5, false),
            galera_member("db-02", 7, true),
            galera_member("db-03", 4, false),
        ];
        let c = choose(Kind::Galera, &clean, None).expect("a choice");
        assert_eq!(c.first, 1);
        assert!(c.how.contains("safe_to_bootstrap: 1, seqno 7"), "{}", c.how);
        assert!(c.warning.is_none());
        let crashed = [
            galera_member("db-01", 12, false),
            galera_member("db-02", 10, false),
            galera_member("db-03", 11, false),
        ];
        assert_eq!(
            choose(Kind::Galera, &crashed, None)
                .expect("a choice")
                .first,
            0
        );
        let forced = choose(Kind::Galera, &crashed, Some("db-02")).expect("a choice");
        assert_eq!(forced.first, 1);
        assert_eq!(
            forced.warning.as_deref(),
            Some("db-02 is at seqno 10 and db-01 at 12: the transactions after seqno 10 are lost")
        );
        let unknown = [
            galera_member("db-01", 5, false),
            galera_member("db-02", -1, false),
        ];
        let refused = choose(Kind::Galera, &unknown, None).expect_err("db-02 may be further");
        assert!(
            refused.starts_with("the position of db-02 is unknown"),
            "{refused}"
        );
        let stale_flag = [
            galera_member("db-01", 9, false),
            galera_member("db-02", 7, true),
        ];
        assert_eq!(
            choose(Kind::Galera, &stale_flag, None)
                .expect("a choice")
                .first,
            0
        );
        assert!(choose(Kind::Galera, &clean, Some("db-09")).is_err());
    }

    #[test]
    fn galera_state_is_read_from_grastate_and_galera_recovery() {
        let answer = |stdout: &str| Answer {
            code: Some(0),
            stdout: stdout.into(),
            stderr: String::new(),
        };
        let f = read(
            "db-01",
            &answer("seqno=-1\nsafe_to_bootstrap=0\nrecovered=17\n"),
        );
        assert_eq!((f.seqno, f.safe), (Some(17), false));
        let f = read("db-02", &answer("seqno=5\nsafe_to_bootstrap=1\n"));
        assert_eq!((f.seqno, f.safe), (Some(5), true));
    }

    #[test]
    fn replication_comes_back_from_the_one_primary() {
        let m = |host: &str, primary| Found {
            host: host.into(),
            primary,
            ..Found::default()
        };
        let one = [m("pg-1", false), m("pg-2", true), m("pg-3", false)];
        assert_eq!(
            choose(Kind::Postgresql, &one, None)
                .expect("a choice")
                .first,
            1
        );
        let two = [m("pg-1", true), m("pg-2", true)];
        assert!(choose(Kind::Postgresql, &two, None).is_err());
        assert!(
            choose(Kind::Redis, &one, Some("pg-1"))
                .expect("a choice")
                .warning
                .is_some()
        );
        assert!(supported(Kind::Etcd).is_err());
    }
}
