//! Property tests for discovery: whatever a host prints (arbitrary `ss` and `sockstat` text,
//! hostile process names, command lines, unit names and paths), the parsers never panic, and the
//! draft plan built from it still passes `check` and keeps the operator's plan byte for byte.

mod standins;

use comeback::discover::facts::{
    HostFacts, Listener, Manager, Process, freebsd, linux, parse_endpoint, systemd,
};
use comeback::discover::{self, HostScan, identify::identify};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Text with the separators and framing characters a parser could trip on.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "[ \t\n\"'\\\\:,=()\\[\\]{}#*%0-9a-f]{0,40}",
        Just("users:((\"x\",pid=1,fd=3),(\"a b\",pid=99999999999,fd=))".to_string()),
        Just("[::ffff:10.0.0.1]:65536".to_string()),
        Just("\u{1e}FILE 1 /etc/x\n".to_string()),
    ]
}

fn tagged_lines() -> impl Strategy<Value = String> {
    let tag = prop_oneof![
        Just("LISTEN"),
        Just("ESTAB"),
        Just("PROC"),
        Just("PIDFILE"),
        Just("INITD"),
        Just("PKG"),
        Just("SSH"),
        Just("ADDR"),
        Just("ENABLED"),
        Just("TRUNCATED"),
        Just("OS"),
        Just("SD"),
        Just("SD Id="),
        Just("SD MainPID="),
        Just("SD EnvironmentFiles="),
        Just("SDEXE"),
    ];
    prop::collection::vec((tag, hostile()), 0..40).prop_map(|lines| {
        lines
            .into_iter()
            .map(|(t, rest)| format!("{t} {rest}\n"))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_ss_and_script_output_never_panics(text in tagged_lines(), raw in ".*") {
        let _ = linux::parse(&text);
        let _ = linux::parse(&raw);
        let _ = freebsd::parse(&text);
        let _ = freebsd::parse(&raw);
        let _ = parse_endpoint(&raw);
        if let Ok(facts) = linux::parse(&text) {
            let _ = identify(&facts);
        }
    }

    #[test]
    fn arbitrary_systemctl_and_dpkg_answers_never_panic(
        text in tagged_lines(),
        answer in prop::collection::vec((prop_oneof![Just("PKG "), Just("PRIO "), Just("")], hostile()), 0..30),
    ) {
        let answer: String = answer.into_iter().map(|(t, r)| format!("{t}{r}\n")).collect();
        if let Ok(mut facts) = linux::parse(&text) {
            systemd::set_packages(&mut facts, &answer);
            for u in &facts.units {
                prop_assert!(!u.name.is_empty());
            }
            let _ = identify(&facts);
        }
    }

    #[test]
    fn hostile_hosts_still_give_a_plan_that_passes_check(
        units in prop::collection::vec(hostile(), 1..5),
        paths in prop::collection::vec(hostile(), 1..4),
        args in prop::collection::vec(hostile(), 0..4),
        ports in prop::collection::vec(1u16..65535, 1..6),
        loopback in any::<bool>(),
        systemd in any::<bool>(),
    ) {
        let mut facts = HostFacts {
            os: "Linux".into(),
            manager: Some(if systemd { Manager::Systemd } else { Manager::Sysv }),
            init_scripts: units.clone(),
            ..HostFacts::default()
        };
        for (k, unit) in units.iter().enumerate() {
            let pid = 100 + k as u32;
            facts.processes.insert(pid, Process {
                pid,
                ppid: 1,
                name: unit.clone(),
                exe: paths[k % paths.len()].clone(),
                args: args.clone(),
                unit: systemd.then(|| unit.clone()),
                package: None,
            });
            facts.pid_files.push((paths[k % paths.len()].clone(), pid));
            let ip = if loopback { "127.0.0.1" } else { "0.0.0.0" };
            facts.listeners.push(Listener {
                at: parse_endpoint(&format!("{ip}:{}", ports[k % ports.len()])).expect("endpoint"),
                pids: vec![pid],
            });
        }
        // Units that listen on nothing, as systemd would report them.
        for (k, unit) in units.iter().enumerate() {
            facts.units.push(systemd::RunningUnit {
                name: format!("{unit}-quiet"),
                main_pid: 100 + k as u32,
                file: paths[k % paths.len()].clone(),
                environment_files: args.clone(),
                ..Default::default()
            });
        }
        let identified = identify(&facts);
        let configs = identified
            .instances
            .iter()
            .map(|i| (i.unit().to_string(), vec![(paths[0].clone(), args.join("\n"))]))
            .collect();
        let scan = HostScan { facts, identified, configs, resolved: Default::default() };
        let source = "hosts:\n  web-01: { address: 10.0.0.21 }\nservices:\n  app:\n    hosts: [web-01]\n    restart: /srv/app restart\n";
        let model = comeback::plan::parse(source, Path::new(".")).map_err(|_| "plan").expect("valid").model;
        let draft = discover::build(&model, &[(0, scan)], &[(0, "x\n`|".into())]);
        let text = discover::yaml::write_plan(source, &draft).expect("block services");
        prop_assert!(text.starts_with(source), "the operator's plan changed:\n{}", text);
        let parsed = comeback::plan::parse(&text, Path::new("."));
        prop_assert!(parsed.is_ok(), "draft does not pass check:\n{}\n{:?}", text, parsed.err());
        let _ = discover::markdown(&draft, "plan.yaml", "");
    }
}

/// The real Linux script against an `ss` that prints a million sockets, hostile process names
/// among them: its output stays bounded, the host is marked truncated, it parses, and only the
/// sockets' real owner (a live `sleep`, checked against its name) is kept.
#[test]
fn a_million_sockets_stay_bounded() {
    let mut owner = std::process::Command::new("sleep")
        .arg("60")
        .spawn()
        .expect("sleep");
    let pid = owner.id();
    let ss = format!(
        r#"# `ss -Htanp`: every state at once.
echo 'LISTEN 0 128 0.0.0.0:6379 0.0.0.0:* users:(("sleep",pid={pid},fd=6))'
awk 'BEGIN {{ for (i = 0; i < 1000000; i++)
  printf "ESTAB 0 0 10.0.0.21:%d 10.1.%d.%d:6379 users:((\"a\\\",pid=9,fd=1) x\",pid=1,fd=7),(\"sleep\",pid={pid},fd=%d))\n", 1024 + i % 60000, int(i / 256) % 256, i % 256, 8 + i % 40 }}'"#
    );
    let (ok, out) = standins::run(&linux::wrapped_script(), &[("ss", &ss)], &[], &[]);
    let _ = owner.kill();
    let _ = owner.wait();
    assert!(ok);
    assert!(out.len() < 8 << 20, "{} bytes", out.len());
    let facts = linux::parse(&out).expect("facts");
    assert!(facts.truncated);
    assert!(facts.connections.len() <= comeback::discover::facts::SOCKET_LIMIT);
    assert_eq!(facts.listeners.len(), 1);
    assert_eq!(facts.listeners[0].pids, [pid]);
    // Folded: every connection kept carries the real pid only, none of the names' pids.
    assert!(
        facts
            .connections
            .iter()
            .all(|c| c.count >= 1 && c.pids == [pid]),
        "{:?}",
        facts.connections.first()
    );
}

/// The real FreeBSD fact script (`src/remote/`) with a `sockstat` that prints `listening` for
/// `-l` and `connected` for `-c`, and process tools that know no process (the sockets are what
/// is checked here).
fn freebsd_script_on(listening: &str, connected: &str) -> (bool, String) {
    standins::run(
        &freebsd::wrapped_script(),
        &[
            (
                "sockstat",
                r#"case "$*" in *-l*) cat "$FIX/l.txt" ;; *-c*) cat "$FIX/c.txt" ;; esac"#,
            ),
            ("ps", ":"),
            ("procstat", ":"),
            ("service", ":"),
            ("ifconfig", ":"),
        ],
        &[
            ("l.txt", listening.as_bytes()),
            ("c.txt", connected.as_bytes()),
        ],
        &[],
    )
}

/// One socket as sockstat prints it: `USER COMMAND PID FD PROTO LOCAL FOREIGN`.
#[derive(Debug, Clone)]
struct Socket {
    user: String,
    command: String,
    pid: u32,
    fd: u32,
    local: String,
    foreign: String,
}

impl Socket {
    fn line(&self) -> String {
        format!(
            "{} {} {} {} tcp4 {} {}",
            self.user, self.command, self.pid, self.fd, self.local, self.foreign
        )
    }
}

/// A command name a process chooses: spaces, tabs, quotes, sockstat's own column words.
fn command_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[!-~][ -~\t]{0,24}",
        "[a-zé€\\\"'][ a-zé€\\\"']{0,12}",
        Just("x\",pid=1,fd=9)".to_string()),
        Just("root sshd 1 3 tcp4 *:22 *:*".to_string()),
        Just("USER COMMAND".to_string()),
    ]
}

fn endpoint() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u8..255, 0u8..4, 1u16..65535).prop_map(|(a, b, p)| format!("10.0.{b}.{a}:{p}")),
        (1u16..65535).prop_map(|p| format!("*:{p}")),
    ]
}

fn socket(foreign: BoxedStrategy<String>) -> impl Strategy<Value = Socket> {
    (
        "[a-z_][a-z0-9_]{0,7}",
        command_name(),
        2u32..1_000_000,
        0u32..64,
        endpoint(),
        foreign,
    )
        .prop_map(|(user, command, pid, fd, local, foreign)| Socket {
            user,
            command,
            pid,
            fd,
            local,
            foreign,
        })
}

/// Hostile lines sockstat's columns cannot be read from (fewer than its seven), the header
/// among them: the script skips them.
fn junk() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(hostile(), 0..6).prop_map(|texts| {
        let mut lines = vec![
            "USER     COMMAND    PID   FD PROTO  LOCAL ADDRESS         FOREIGN ADDRESS".to_string(),
        ];
        for text in texts {
            lines.extend(
                text.lines()
                    .filter(|l| l.split_whitespace().count() < 7)
                    .map(str::to_string),
            );
        }
        lines
    })
}

/// The sockets' lines with the junk lines between them.
fn interleave(sockets: &[Socket], junk: &[String]) -> String {
    let mut out = String::new();
    let mut junk = junk.iter();
    for (k, s) in sockets.iter().enumerate() {
        if k % 2 == 0
            && let Some(j) = junk.next()
        {
            out.push_str(j);
            out.push('\n');
        }
        out.push_str(&s.line());
        out.push('\n');
    }
    for j in junk {
        out.push_str(j);
        out.push('\n');
    }
    out
}

proptest! {
    // Each case runs the script (a dozen processes): a few seconds in all.
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever a process calls itself, the real script reads sockstat's columns from the right:
    /// every listener and every connection comes back with its own address, peer and pid, folded
    /// per (peer, pid) with the count and the first local address; junk lines add nothing.
    #[test]
    fn the_freebsd_script_reads_hostile_sockstat_lines(
        listening in prop::collection::vec(socket(Just("*:*".to_string()).boxed()), 0..8),
        connected in prop::collection::vec(socket(endpoint().boxed()), 0..8),
        junk_l in junk(),
        junk_c in junk(),
    ) {
        let (ok, out) = freebsd_script_on(
            &interleave(&listening, &junk_l),
            &interleave(&connected, &junk_c),
        );
        prop_assert!(ok, "{}", out);
        let facts = freebsd::parse(&out).expect("facts");
        let mut want: BTreeMap<_, BTreeSet<u32>> = BTreeMap::new();
        for s in &listening {
            want.entry(parse_endpoint(&s.local).expect("endpoint")).or_default().insert(s.pid);
        }
        let got: BTreeMap<_, BTreeSet<u32>> = facts
            .listeners
            .iter()
            .map(|l| (l.at, l.pids.iter().copied().collect()))
            .collect();
        prop_assert_eq!(got, want, "{}", out);
        // Folded in the order first seen: (first local in byte order, peer, count, pid).
        let mut folded: Vec<(String, String, usize, u32)> = Vec::new();
        for s in &connected {
            match folded.iter_mut().find(|f| f.1 == s.foreign && f.3 == s.pid) {
                Some(f) => {
                    f.2 += 1;
                    if s.local < f.0 {
                        f.0 = s.local.clone();
                    }
                }
                None => folded.push((s.local.clone(), s.foreign.clone(), 1, s.pid)),
            }
        }
        let want: Vec<_> = folded
            .iter()
            .map(|(local, peer, count, pid)| {
                (parse_endpoint(local), parse_endpoint(peer), *count, vec![*pid])
            })
            .collect();
        let got: Vec<_> = facts
            .connections
            .iter()
            .map(|c| (Some(c.local), Some(c.peer), c.count, c.pids.clone()))
            .collect();
        prop_assert_eq!(got, want, "{}", out);
        prop_assert!(!facts.truncated);
    }

    /// Any text at all as sockstat's answer: the real script still ends well, its output parses,
    /// and it reports no more sockets than lines it was given.
    #[test]
    fn the_freebsd_script_takes_any_sockstat_text(lines in prop::collection::vec(hostile(), 0..30)) {
        let text = lines.join("\n");
        let (ok, out) = freebsd_script_on(&text, &text);
        prop_assert!(ok, "{}", out);
        let facts = freebsd::parse(&out).expect("facts");
        prop_assert!(facts.listeners.len() <= text.lines().count());
        prop_assert!(facts.connections.iter().map(|c| c.count).sum::<usize>() <= text.lines().count());
    }
}

/// A process's name as the kernel keeps it: its executable's file name, cut at 15 bytes (in
/// the middle of a character, maybe).
fn comm_of(name: &str) -> &[u8] {
    &name.as_bytes()[..name.len().min(15)]
}

proptest! {
    // Each case starts a process and runs the script: a few seconds in all.
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A real process with a hostile name (quotes, spaces, ss's own `",pid=1,fd=9)`) and a
    /// hostile command line (newlines, quotes, the script's record words), holding a socket an
    /// `ss` stand-in lists: the real Linux script reads it back whole, its socket its own.
    #[test]
    fn the_linux_script_reads_hostile_names_and_command_lines(
        name in prop_oneof![
            "[^/\0\n.][^/\0\n]{0,20}",
            Just("x\",pid=1,fd=9)".to_string()),
            Just("a b\"c'd".to_string()),
        ],
        args in prop::collection::vec("[^\0]{1,30}", 0..4),
        port in 1024u16..65535,
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let exe = dir.path().join(&name);
        std::os::unix::fs::symlink("/bin/sh", &exe).expect("symlink");
        // The shell itself waits (`read`, a builtin, on a pipe left open): no other process
        // to outlive the case.
        let mut child = std::process::Command::new(&exe)
            .args(["-c", "read -r x; :", "sh"])
            .args(&args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        let pid = child.id();
        let comm = comm_of(&name);
        for _ in 0..200 {
            if std::fs::read(format!("/proc/{pid}/comm")).is_ok_and(|c| c.strip_suffix(b"\n") == Some(comm)) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        // As ss prints it: the name's bytes as they are, between quotes.
        let mut ss = format!("LISTEN 0 128 127.0.0.1:{port} 0.0.0.0:* users:((\"").into_bytes();
        ss.extend_from_slice(comm);
        ss.extend_from_slice(format!("\",pid={pid},fd=3))\n").as_bytes());
        let (ok, out) = standins::run(
            &linux::wrapped_script(),
            &[("ss", r#"cat "$FIX/ss.txt""#)],
            &[("ss.txt", &ss)],
            &[],
        );
        let _ = child.kill();
        let _ = child.wait();
        prop_assert!(ok, "{}", out);
        let facts = linux::parse(&out).expect("facts");
        prop_assert_eq!(facts.listeners.len(), 1, "{}", out);
        prop_assert_eq!(&facts.listeners[0].pids, &vec![pid], "{}", out);
        let p = facts.processes.get(&pid).expect("the process");
        prop_assert_eq!(&p.name, &String::from_utf8_lossy(comm));
        let mut want = vec![exe.display().to_string(), "-c".into(), "read -r x; :".into(), "sh".into()];
        want.extend(args.iter().cloned());
        prop_assert_eq!(&p.args, &want);
    }
}
