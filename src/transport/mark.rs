//! Every remote command of a run is marked on its host, so that nothing comeback started can
//! outlive it unseen: the command runs in its own session and process group (`setsid`), with
//! `COMEBACK_RUN=<run id>` in its environment and `comeback-run <run id>/<plan host>` in its
//! wrapper's argv, and a pid file in `~/.comeback/runs/<run id>/<plan host>/` that lives as long
//! as the command does (each plan host its own folder: two of them can be one machine and one
//! user, and the sweep of one must not touch the other's). An
//! abort kills those process groups; `resume` finds the live ones of the run it continues.
//!
//! Every value reaches the scripts below as a positional argument: nothing from a plan or a
//! host's output is ever part of a script's text. A command's own values follow as
//! `CB_NAME=value` arguments, which `env` puts in its environment.

use super::KILL_GRACE;
use crate::plan::model::ShellCommand;
use std::time::Duration;

/// Runs a command under `timeout` in a new session, marked with its run, with a pid file for as
/// long as it runs (`src/remote/run_wrapper.sh` says how).
const WRAPPER: &str = include_str!("../remote/run_wrapper.sh");

/// Lists the live commands of run `$1` sent to plan host `$2`: `LIVE <pgid> <age s> <command,
/// one line>`; forgets the pid files of those that are gone.
pub(crate) const FIND: &str = concat!(
    include_str!("../remote/run_ours.sh"),
    include_str!("../remote/run_find.sh"),
);

/// Kills every live command of run `$1` sent to plan host `$3` (TERM to its process group, KILL
/// `$2` seconds later), says `KILLED <pgid> <age s> <command>` for each, and removes that plan
/// host's folder of the run on the machine (and the run's, once empty).
pub(crate) const SWEEP: &str = concat!(
    include_str!("../remote/run_ours.sh"),
    include_str!("../remote/run_sweep.sh"),
);

/// One of comeback's own reads run right after a marked command exited 0, in the same round
/// trip (the proof that a restart replaced the process, read as the restart ends): its output
/// follows the command's, between lines that carry `marker`, new for each command (see
/// [`After::new`] and [`split_after`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct After {
    pub(crate) marker: String,
    /// The script, its values as quoted `set --` words (see `inspect::with_args`).
    pub(crate) script: String,
}

impl After {
    /// `script` behind a marker no output can hold by chance: 128 random bits.
    pub(crate) fn new(script: String) -> Self {
        use std::hash::{BuildHasher, Hasher};
        let random = || {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(
                std::time::UNIX_EPOCH
                    .elapsed()
                    .unwrap_or_default()
                    .as_nanos(),
            );
            h.finish()
        };
        After {
            marker: format!("comeback-after-{:016x}{:016x}", random(), random()),
            script,
        }
    }
}

/// The read folded after a command, as [`split_after`] finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AfterOutput {
    /// The read's exit status.
    pub(crate) code: Option<i32>,
    /// Its stdout.
    pub(crate) stdout: String,
}

/// Splits a marked command's stdout into the command's own and the read folded after it (see
/// [`After`]), when the whole of that read is there: not when the command failed (it is not
/// run), nor when its output was cut (the read is then done apart). Lines the command printed
/// that look like a marker do not hold this command's marker, and are its own.
pub(crate) fn split_after(stdout: &str, marker: &str) -> (String, Option<AfterOutput>) {
    let whole = || (stdout.to_string(), None);
    if marker.is_empty() {
        return whole();
    }
    // `\n<marker>\n<its output>\n<marker> <status>\n`, at the very end.
    let Some(rest) = stdout.strip_suffix('\n') else {
        return whole();
    };
    let end_line = format!("\n{marker} ");
    let Some(end) = rest.rfind(&end_line) else {
        return whole();
    };
    let status = &rest[end + end_line.len()..];
    if status.is_empty() || status.len() > 3 || !status.bytes().all(|b| b.is_ascii_digit()) {
        return whole();
    }
    let begin_line = format!("\n{marker}\n");
    let Some(begin) = rest[..end + 1].rfind(&begin_line) else {
        return whole();
    };
    let read = &rest[(begin + begin_line.len()).min(end)..end];
    (
        stdout[..begin].to_string(),
        Some(AfterOutput {
            code: status.parse().ok(),
            stdout: read.to_string(),
        }),
    )
}

/// `command` as the argv that runs it under a deadline the host enforces, through `sudo -n`
/// when asked, marked with `run` (`<run id>/<plan host>`) when given (and its exit status left under `tag`, when
/// given; with `after`, that read run after it in the same round trip: only a marked command).
/// The script is one word and each value one `CB_NAME=value` word for `env`: no value
/// is ever part of a text a shell parses.
pub(crate) fn command_argv(
    command: &ShellCommand,
    deadline: Duration,
    sudo: bool,
    run: Option<&str>,
    tag: Option<&str>,
    after: Option<&After>,
) -> Vec<String> {
    let mut argv = Vec::with_capacity(13 + command.env.len());
    let env = command
        .env
        .iter()
        .map(|(name, value)| format!("{name}={value}"));
    if sudo {
        argv.extend(["sudo", "-n"].map(String::from));
    }
    let kill_after = KILL_GRACE.as_secs().to_string();
    let seconds = format!("{:.3}", deadline.as_secs_f64().max(0.001));
    match run {
        Some(run) => argv.extend([
            "sh".to_string(),
            "-c".to_string(),
            WRAPPER.to_string(),
            "comeback-run".to_string(),
            run.to_string(),
            kill_after,
            seconds,
            command.script.clone(),
            // The pid file keeps the command as people read it, masked.
            crate::redact::secrets(&command.shown).into_owned(),
            tag.unwrap_or_default().to_string(),
            after.map(|a| a.marker.clone()).unwrap_or_default(),
            after.map(|a| a.script.clone()).unwrap_or_default(),
        ]),
        None => {
            argv.extend([
                "timeout".to_string(),
                format!("--kill-after={kill_after}"),
                seconds,
            ]);
            if !command.env.is_empty() {
                argv.push("env".to_string());
            }
        }
    }
    argv.extend(env);
    if run.is_none() {
        argv.extend(["sh".to_string(), "-c".to_string(), command.script.clone()]);
    }
    argv
}

/// `script` with its positional arguments, as an argv (through `sudo -n` when asked).
pub(crate) fn script_argv(script: &str, args: &[&str], sudo: bool) -> Vec<String> {
    let mut argv = Vec::with_capacity(6 + args.len());
    if sudo {
        argv.extend(["sudo", "-n"].map(String::from));
    }
    argv.extend(["sh", "-c", script, "comeback-run"].map(String::from));
    argv.extend(args.iter().map(|a| a.to_string()));
    argv
}

/// A command of the run still alive on its host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LiveCommand {
    pub(crate) pgid: u32,
    pub(crate) age_s: u64,
    pub(crate) command: String,
}

/// The `LIVE`/`KILLED` lines of [`FIND`] and [`SWEEP`]; anything else is ignored.
pub(crate) fn parse_live(stdout: &str, tag: &str) -> Vec<LiveCommand> {
    stdout
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix(tag)?.strip_prefix(' ')?;
            let mut words = rest.splitn(3, ' ');
            let pgid = words.next()?.parse().ok()?;
            let age_s = words.next()?.parse().unwrap_or(0);
            let command = words.next().unwrap_or("").trim();
            Some(LiveCommand {
                pgid,
                age_s,
                command: crate::redact::secrets(command).into_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_is_one_word_after_the_wrapper_and_the_run_id() {
        let argv = command_argv(
            &ShellCommand::plain("echo $(id) ; rm -rf /tmp/x --password hunter2"),
            Duration::from_millis(1500),
            true,
            Some("R1"),
            Some("restart-1"),
            None,
        );
        assert_eq!(argv[..3], ["sudo", "-n", "sh"]);
        assert_eq!(argv[5..9], ["comeback-run", "R1", "5", "1.500"]);
        assert_eq!(argv[9], "echo $(id) ; rm -rf /tmp/x --password hunter2");
        // The pid file on the host gets the command masked.
        assert!(argv[10].starts_with("echo $(id)"), "{}", argv[10]);
        assert!(!argv[10].contains("hunter2"), "{}", argv[10]);
        assert_eq!(argv[11], "restart-1");
        assert_eq!(argv[12..], ["", ""], "no read after it");
        assert_eq!(argv.len(), 14);
    }

    /// The wrapper as the host runs it, with `HOME` as given.
    fn wrapped(command: &str, run: &str, home: Option<&std::path::Path>) -> std::process::Output {
        run_wrapped(&ShellCommand::plain(command), run, home)
    }

    fn run_wrapped(
        command: &ShellCommand,
        run: &str,
        home: Option<&std::path::Path>,
    ) -> std::process::Output {
        let argv = command_argv(
            command,
            Duration::from_secs(10),
            false,
            Some(run),
            None,
            None,
        );
        let mut sh = std::process::Command::new(&argv[0]);
        sh.args(&argv[1..]).env_remove("HOME");
        if let Some(home) = home {
            sh.env("HOME", home);
        }
        sh.output().expect("sh")
    }

    #[test]
    fn the_pid_file_holds_the_command_masked_and_only_under_a_home() {
        let home = tempfile::tempdir().expect("tempdir");
        // The command reads its own pid file while it runs, once the wrapper has written it
        // (just after starting the command: on a loaded machine, the command can be first).
        let out = wrapped(
            "i=0; while [ $i -lt 500 ] && ! [ -f \"$HOME\"/.comeback/runs/R-mask/*.pid ]; do sleep 0.01; i=$((i+1)); done; cat \"$HOME\"/.comeback/runs/R-mask/*.pid # --password hunter2",
            "R-mask",
            Some(home.path()),
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{out:?}");
        assert!(text.starts_with("i=0; while "), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        let runs = home.path().join(".comeback/runs/R-mask");
        assert_eq!(
            std::fs::read_dir(&runs).expect("runs").count(),
            0,
            "removed after"
        );

        let run = format!("R-nohome-{}", std::process::id());
        let out = wrapped("echo ran", &run, None);
        assert_eq!(String::from_utf8_lossy(&out.stdout), "ran\n");
        assert!(
            !std::path::Path::new("/tmp/.comeback/runs")
                .join(&run)
                .exists()
        );
    }

    /// Values reach the command through its environment, marked or not, byte for byte.
    #[test]
    fn values_reach_the_command_as_its_environment() {
        let value = "\\丁\"; touch pwned; # $(id) it's";
        let command = ShellCommand {
            script: "printf %s \"${CB_V1}\"".to_string(),
            env: vec![("CB_V1".to_string(), value.to_string())],
            shown: format!("printf %s {value}"),
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let out = run_wrapped(&command, "R-env", Some(dir.path()));
        assert_eq!(String::from_utf8_lossy(&out.stdout), value);
        let argv = command_argv(&command, Duration::from_secs(10), false, None, None, None);
        assert_eq!(argv[3..5], ["env", &format!("CB_V1={value}")]);
        let out = std::process::Command::new(&argv[0])
            .args(&argv[1..])
            .current_dir(dir.path())
            .output()
            .expect("timeout");
        assert_eq!(String::from_utf8_lossy(&out.stdout), value);
        assert!(!dir.path().join("pwned").exists());
    }

    /// The wrapper runs the read after a command that exited 0, in the same round trip, and
    /// its output comes apart from the command's whatever the command printed.
    #[test]
    fn a_read_after_the_command_comes_apart_from_its_output() {
        let home = tempfile::tempdir().expect("home");
        let after = After::new("set -- 'a b'; printf 'PROCESS %s\\n' \"$1\"; exit 3".into());
        let run = |command: &str| {
            let argv = command_argv(
                &ShellCommand::plain(command),
                Duration::from_secs(10),
                false,
                Some("R-after"),
                Some("restart-1"),
                Some(&after),
            );
            let out = std::process::Command::new(&argv[0])
                .args(&argv[1..])
                .env("HOME", home.path())
                .output()
                .expect("wrapper");
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
            )
        };
        // The command prints what looks like a marker, without a newline at its end.
        let (code, stdout) = run("printf 'restarted\\ncomeback-after-0 0\\nPROCESS 1 2 3'");
        assert_eq!(code, Some(0));
        let (own, read) = split_after(&stdout, &after.marker);
        assert_eq!(own, "restarted\ncomeback-after-0 0\nPROCESS 1 2 3");
        let read = read.expect("the read after");
        assert_eq!(read.code, Some(3));
        assert_eq!(read.stdout, "PROCESS a b\n");
        // A command that failed: no read after it, its status kept.
        let (code, stdout) = run("echo no; exit 7");
        assert_eq!(code, Some(7));
        assert_eq!(split_after(&stdout, &after.marker), ("no\n".into(), None));
    }

    #[test]
    fn a_read_after_is_found_only_whole_and_behind_its_own_marker() {
        let m = "comeback-after-0123";
        let ok = format!("out\n\n{m}\nPROCESS 1 2 3\n\n{m} 0\n");
        assert_eq!(
            split_after(&ok, m),
            (
                "out\n".to_string(),
                Some(AfterOutput {
                    code: Some(0),
                    stdout: "PROCESS 1 2 3\n".into()
                })
            )
        );
        let empty = format!("\n{m}\n\n{m} 1\n");
        assert_eq!(split_after(&empty, m).1.expect("read").stdout, "");
        // Junk, truncated, another marker, a status that is not one, no marker asked.
        for text in [
            String::new(),
            "junk".to_string(),
            format!("out\n\n{m}\nPROCESS 1 2 3\n"),
            format!("out\n\n{m}\nPROCESS 1 2 3\n\n{m} 0"),
            format!("out\n[… 900 bytes left out …]PROCESS 1 2 3\n\n{m} 0\n"),
            "out\n\ncomeback-after-9\nPROCESS\n\ncomeback-after-9 0\n".to_string(),
            format!("out\n\n{m}\nPROCESS\n\n{m} x\n"),
            format!("out\n\n{m}\nPROCESS\n\n{m} 0 0\n"),
            format!("out\n\n{m}\nPROCESS\n\n{m} 99999\n"),
        ] {
            assert_eq!(split_after(&text, m), (text.clone(), None), "{text:?}");
        }
        assert_eq!(split_after(&ok, "").1, None);
        // Huge output before it, and markers of the command's own making.
        let huge = format!("{}\n{m}\n{m} 0\n", "x\n".repeat(1 << 20));
        let text = format!("{huge}\n{m}\nPROCESS 9 9 9\n\n{m} 0\n");
        let (own, read) = split_after(&text, m);
        assert_eq!(own, huge);
        assert_eq!(read.expect("read").stdout, "PROCESS 9 9 9\n");
        let two = After::new(String::new());
        assert_ne!(two.marker, After::new(String::new()).marker);
        assert!(!two.marker.contains(char::is_whitespace));
    }

    #[test]
    fn live_lines_with_hostile_commands_parse() {
        let found = parse_live(
            "LIVE 12 3 sleep 8; restart --password hunter2\nLIVE x 1 y\njunk\nLIVE 13 0 \n",
            "LIVE",
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].pgid, 12);
        assert_eq!(found[0].age_s, 3);
        assert!(!found[0].command.contains("hunter2"), "{found:?}");
        assert_eq!(found[1].command, "");
    }

    /// A pid file that outlived its command names a process group that may now be anyone's:
    /// the sweep kills only groups that carry the run's mark.
    #[test]
    fn the_sweep_kills_the_runs_commands_and_never_a_stranger_behind_a_stale_pid_file() {
        let home = tempfile::tempdir().expect("tempdir");
        let runs = home.path().join(".comeback/runs/R-test/h");
        std::fs::create_dir_all(&runs).expect("runs");
        let start = |run: Option<&str>| {
            let mut cmd = std::process::Command::new("setsid");
            cmd.args(["sleep", "30"]);
            if let Some(run) = run {
                cmd.env("COMEBACK_RUN", run);
            }
            let child = cmd.spawn().expect("setsid sleep");
            // setsid has made its group once the process leads one.
            let leads = || {
                std::process::Command::new("ps")
                    .args(["-o", "pgid=", "-p", &child.id().to_string()])
                    .output()
                    .is_ok_and(|o| {
                        String::from_utf8_lossy(&o.stdout).trim() == child.id().to_string()
                    })
            };
            for _ in 0..200 {
                if leads() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            std::fs::write(runs.join(format!("{}.pid", child.id())), "sleep 30").expect("pid");
            child
        };
        let mut ours = start(Some("R-test"));
        let mut stranger = start(None);
        let mut other_run = start(Some("R-test-2"));
        let out = std::process::Command::new("sh")
            .args(["-c", SWEEP, "comeback-run", "R-test", "1", "h"])
            .env("HOME", home.path())
            .output()
            .expect("sweep");
        let killed = parse_live(&String::from_utf8_lossy(&out.stdout), "KILLED");
        assert_eq!(
            killed.iter().map(|c| c.pgid).collect::<Vec<_>>(),
            [ours.id()],
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(ours.wait().is_ok());
        for child in [&mut stranger, &mut other_run] {
            assert!(
                child.try_wait().expect("status").is_none(),
                "a stranger was killed"
            );
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Two plan hosts that are one machine and one user (a host listed under two names, the
    /// demo's local hosts): each keeps its commands and exit files in its own folder of the run,
    /// so the sweep of one, early as the walk is done with it, leaves the other's step alone.
    #[test]
    fn the_sweep_of_one_plan_host_leaves_another_on_the_same_machine_alone() {
        let home = tempfile::tempdir().expect("home");
        let wrapped = |host: &str, command: &str, tag: &str| {
            let argv = command_argv(
                &ShellCommand::plain(command),
                Duration::from_secs(30),
                false,
                Some(&format!("R-two/{host}")),
                Some(tag),
                None,
            );
            let mut cmd = std::process::Command::new(&argv[0]);
            cmd.args(&argv[1..]).env("HOME", home.path());
            cmd
        };
        let out = wrapped("b", "exit 0", "restart-1")
            .output()
            .expect("b's step");
        assert!(out.status.success(), "{out:?}");
        let mut a = wrapped("a", "sleep 30", "restart-2")
            .spawn()
            .expect("a's step");
        let a_dir = home.path().join(".comeback/runs/R-two/a");
        for _ in 0..200 {
            let pids = std::fs::read_dir(&a_dir)
                .map(|d| {
                    d.flatten()
                        .any(|e| e.path().extension() == Some("pid".as_ref()))
                })
                .unwrap_or(false);
            if pids {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let sweep = |host: &str| {
            let out = std::process::Command::new("sh")
                .args(["-c", SWEEP, "comeback-run", "R-two", "1", host])
                .env("HOME", home.path())
                .output()
                .expect("sweep");
            assert!(out.status.success(), "{out:?}");
            parse_live(&String::from_utf8_lossy(&out.stdout), "KILLED")
        };
        // b's sweep: its own exit file goes, a's command runs on.
        assert_eq!(sweep("b"), []);
        assert!(!home.path().join(".comeback/runs/R-two/b").exists());
        assert!(a.try_wait().expect("a").is_none(), "a's step was killed");
        assert!(a_dir.exists());
        // a's own sweep kills it, and the run's folder goes with the last plan host's.
        let killed = sweep("a");
        assert_eq!(killed.len(), 1, "{killed:?}");
        let status = a.wait().expect("a ends");
        assert!(!status.success());
        assert!(!home.path().join(".comeback/runs/R-two").exists());
    }
}
