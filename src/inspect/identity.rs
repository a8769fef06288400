//! Whether a process runs a unit's program, decided from what the host shows of the process (its
//! executable, command name and command line), so that an interpreted daemon (a Python, Java,
//! Node, Ruby, Perl, PHP, Erlang or shell program) is recognised by the script or class it runs,
//! and a pid file left pointing at another program is still refused.

use super::unit::unit_base;

/// Executables that run a program named on their command line. Matched on the executable's
/// file name with its version suffix removed (`python3.11`, `ruby3.1`, `php8.2`).
const INTERPRETERS: &[&str] = &[
    "python",
    "pypy",
    "java",
    "node",
    "nodejs",
    "ruby",
    "perl",
    "php",
    "beam",
    "beam.smp",
    "erl",
    "erlexec",
    "sh",
    "bash",
    "dash",
    "ksh",
    "zsh",
    "dotnet",
    "mono",
    "mono-sgen",
    "tclsh",
    "lua",
    "luajit",
    "rscript",
    "gunicorn",
    "uwsgi",
];

/// File endings a script or archive carries that its daemon's name does not.
const PROGRAM_ENDINGS: &[&str] = &[
    ".py", ".pyc", ".jar", ".war", ".js", ".mjs", ".cjs", ".rb", ".pl", ".php", ".sh", ".dll",
    ".exe", ".lua", ".tcl", ".ez",
];

/// The process whose identity is in question, as the host showed it.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Shown<'a> {
    /// `/proc/PID/exe`, possibly with ` (deleted)`; empty when the host did not show it.
    pub exe: &'a str,
    /// The command name (at most 15 bytes on Linux).
    pub comm: &'a str,
    /// The command line, word by word (argv[0] first); empty when the host did not show it.
    pub args: &'a [String],
}

/// Whether `process` runs `unit`'s program: the script's daemon (by path or by command name:
/// `/usr/bin/redis-server` is a link to `redis-check-rdb`), a path naming the unit
/// (`/usr/lib/postfix/sbin/master` for `postfix`), or an interpreter whose command line names
/// the daemon or the unit (`python3 /usr/local/lib/app/app`, `java ... QuorumPeerMain` of
/// `org.apache.zookeeper`). An executable the host did not show passes.
pub(crate) fn runs_program(process: Shown<'_>, unit: &str, daemon: Option<&str>) -> bool {
    let exe = process
        .exe
        .strip_suffix(" (deleted)")
        .unwrap_or(process.exe);
    let base = unit_base(unit);
    // `DAEMON=/usr/bin/python3`: every Python program runs that; only what it runs tells.
    if daemon.is_some_and(is_interpreter) {
        return exe.is_empty() || names_program(process.args, base, None);
    }
    let daemon_name: String = daemon
        .and_then(|d| d.rsplit('/').next())
        .unwrap_or_default()
        .chars()
        .take(15)
        .collect();
    let comm = process.comm;
    exe.is_empty()
        || daemon == Some(exe)
        || exe.contains(base)
        || (!comm.is_empty() && (comm == daemon_name || comm.contains(base)))
        || (is_interpreter(exe) && names_program(process.args, base, daemon))
}

/// Whether `exe` is a program that runs another one named on its command line.
pub(crate) fn is_interpreter(exe: &str) -> bool {
    let name = exe.rsplit('/').next().unwrap_or(exe).to_ascii_lowercase();
    let name = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '-');
    INTERPRETERS.contains(&name) || name == "beam.smp"
}

/// Whether an argument after argv[0] names the daemon: its path, or a word of a path, module or
/// class name (split at `/`, `.`, `=`, `:`) equal to the daemon's or the unit's name (or the
/// unit's first word), a script's ending removed.
fn names_program(args: &[String], base: &str, daemon: Option<&str>) -> bool {
    let daemon_name = daemon
        .and_then(|d| d.rsplit('/').next())
        .unwrap_or_default();
    // `rabbitmq` of `rabbitmq-server`, `shop` of `shop-web`; too short a word says nothing.
    let first_word = base.split(['-', '_']).next().filter(|w| w.len() >= 4);
    let wanted = |word: &str| {
        let word = PROGRAM_ENDINGS
            .iter()
            .find_map(|e| word.strip_suffix(e))
            .unwrap_or(word);
        !word.is_empty()
            && [Some(base), Some(daemon_name), first_word]
                .into_iter()
                .flatten()
                .any(|name| !name.is_empty() && word.eq_ignore_ascii_case(name))
    };
    args.iter().skip(1).take(256).any(|arg| {
        daemon.is_some_and(|d| arg == d)
            || arg
                .split(['/', '=', ':'])
                .any(|part| wanted(part) || part.split('.').any(|w| !w.is_empty() && wanted(w)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split(' ').map(str::to_string).collect()
    }

    fn runs(exe: &str, comm: &str, line: &str, unit: &str, daemon: Option<&str>) -> bool {
        let args = args(line);
        runs_program(
            Shown {
                exe,
                comm,
                args: &args,
            },
            unit,
            daemon,
        )
    }

    #[test]
    fn native_daemons_by_path_or_command_name() {
        let redis = Some("/usr/bin/redis-server");
        assert!(runs(
            "/usr/bin/redis-server",
            "redis-server",
            "",
            "redis-server",
            redis
        ));
        // Debian's redis-server is a link to redis-check-rdb.
        assert!(runs(
            "/usr/bin/redis-check-rdb",
            "redis-server",
            "",
            "redis-server",
            redis
        ));
        assert!(runs(
            "/usr/lib/postfix/sbin/master",
            "master",
            "",
            "postfix",
            Some("/usr/sbin/postfix")
        ));
        assert!(!runs(
            "/usr/bin/sleep",
            "sleep",
            "sleep 100",
            "redis-server",
            redis
        ));
        assert!(!runs(
            "/usr/sbin/sshd",
            "sshd",
            "sshd: /usr/sbin/sshd -D [listener]",
            "redis-server",
            redis
        ));
    }

    #[test]
    fn interpreters_are_recognised_by_what_they_run() {
        // An init script whose DAEMON is the script, or the interpreter with the script in
        // DAEMON_ARGS.
        for daemon in ["/usr/local/lib/app/app", "/usr/bin/python3"] {
            assert!(runs(
                "/usr/bin/python3.11",
                "python3",
                "/usr/bin/python3 /usr/local/lib/app/app --config /etc/app/app.conf",
                "app",
                Some(daemon)
            ));
        }
        assert!(runs(
            "/usr/bin/python3.11",
            "python3",
            "python3 -m shop.server",
            "shop",
            None
        ));
        // Debian's zookeeperd.
        assert!(runs(
            "/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
            "java",
            "/usr/bin/java -cp /etc/zookeeper/conf:/usr/share/java/zookeeper.jar -Xmx256m org.apache.zookeeper.server.quorum.QuorumPeerMain /etc/zookeeper/conf/zoo.cfg",
            "zookeeper",
            None
        ));
        assert!(runs(
            "/usr/bin/java",
            "java",
            "java -jar /opt/billing/billing-2.3.jar",
            "billing-2.3",
            None
        ));
        assert!(runs(
            "/usr/bin/node",
            "node",
            "node /srv/api/api.js",
            "api",
            None
        ));
        // RabbitMQ: the unit's first word (`rabbitmq` of `rabbitmq-server`) in its home.
        assert!(runs(
            "/usr/lib/erlang/erts-13.1.5/bin/beam.smp",
            "beam.smp",
            "/usr/lib/erlang/erts-13.1.5/bin/beam.smp -- -root /usr/lib/erlang -progname erl -- -home /var/lib/rabbitmq -s rabbit boot",
            "rabbitmq-server",
            Some("/usr/sbin/rabbitmq-server")
        ));
        assert!(runs(
            "/usr/bin/perl",
            "perl",
            "/usr/bin/perl /usr/sbin/munin-node",
            "munin-node",
            Some("/usr/sbin/munin-node")
        ));
    }

    #[test]
    fn an_interpreter_running_something_else_is_refused() {
        assert!(!runs(
            "/usr/bin/python3.11",
            "python3",
            "/usr/bin/python3 /usr/local/lib/other/other",
            "app",
            Some("/usr/local/lib/app/app")
        ));
        assert!(!runs(
            "/usr/bin/java",
            "java",
            "java -jar /opt/billing/billing.jar",
            "zookeeper",
            None
        ));
        // DAEMON=/usr/bin/python3 does not make every Python program the daemon.
        assert!(!runs(
            "/usr/bin/python3.11",
            "python3",
            "/usr/bin/python3 /usr/local/lib/other/other",
            "app",
            Some("/usr/bin/python3")
        ));
        // The interpreter's own name is not the daemon's.
        assert!(!runs("/usr/bin/bash", "bash", "-bash", "app", None));
        assert!(!runs("/usr/bin/bash", "bash", "bash", "bash-app", None));
        // A native program is never judged by its arguments.
        assert!(!runs(
            "/usr/bin/sleep",
            "sleep",
            "sleep /usr/local/lib/app/app",
            "app",
            Some("/usr/local/lib/app/app")
        ));
    }

    #[test]
    fn interpreters_by_their_file_name() {
        for exe in [
            "/usr/bin/python3.11",
            "/usr/bin/python3",
            "/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
            "/usr/bin/ruby3.1",
            "/usr/bin/php8.2",
            "/usr/bin/perl5.36.0",
            "/bin/dash",
            "/usr/lib/erlang/erts-13.1.5/bin/beam.smp",
        ] {
            assert!(is_interpreter(exe), "{exe}");
        }
        for exe in [
            "/usr/sbin/nginx",
            "/usr/bin/redis-server",
            "/usr/sbin/php-fpm8.2",
            "",
        ] {
            assert!(!is_interpreter(exe), "{exe}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_command_line_is_judged_without_panic(
            exe in "[ -~]{0,40}",
            line in proptest::collection::vec("[ -~\u{1f}\u{0}é]{0,30}", 0..20),
            unit in "[a-z@.-]{0,12}",
        ) {
            let _ = runs_program(Shown { exe: &exe, comm: "", args: &line }, &unit, Some(&exe));
        }
    }
}
