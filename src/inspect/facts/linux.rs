//! Linux: `ss` for sockets, `/proc` for processes (hex-encoded on the way, so no byte of a
//! hostile name or command line can break the line protocol), systemd cgroups, pid files,
//! `/etc/init.d` and, on Debian, the package that owns each executable.

use super::{
    CMDLINE_LIMIT, FactsError, HostFacts, Process, SOCKET_LIMIT, common_line, finish, split_args,
    unhex, unit_from_cgroup,
};

/// Read-only: it lists and reads, writes nothing (not even a temporary file).
const SCRIPT: &str = r#"export LC_ALL=C
hex() { od -An -v -tx1 | tr -d ' \n'; }
# A field as `p` and itself when it is plain, else `x` and its hex: most names and paths cost
# no process at all (a host has hundreds of processes; each fork counts on 50 hosts at once).
enc() { case $1 in ''|*[!A-Za-z0-9._/:@+=,-]*) v=x$(printf %s "$1" | hex) ;; *) v=p$1 ;; esac; }
echo "OS Linux"
printf 'SSH %s\n' "$SSH_CONNECTION"
if command -v ip >/dev/null 2>&1; then ip -o addr show 2>/dev/null | awk '{print "ADDR", $4}'
else for a in $(hostname -I 2>/dev/null); do echo "ADDR $a"; done; fi
command -v ss >/dev/null 2>&1 || { echo NOSS; exit 0; }
socks=$({ ss -Htlnp; ss -Htnp; } 2>/dev/null | awk -v limit=LIMIT '
function pids(   s, out, i) {
  s = ""; for (i = 6; i <= NF; i++) s = s " " $i
  out = ""
  while (match(s, /,pid=[0-9]+,/)) { out = out "," substr(s, RSTART + 5, RLENGTH - 6); s = substr(s, RSTART + RLENGTH) }
  return substr(out, 2)
}
$1 == "LISTEN" { if (++l <= limit) print "LISTEN", $4, pids(); else t = 1; next }
$1 == "ESTAB" {
  k = $5 " " pids()
  if (!(k in c)) { if (e >= limit) { t = 1; next }; order[++e] = k; first[k] = $4 }
  else if ($4 < first[k]) first[k] = $4
  c[k]++
}
END {
  for (i = 1; i <= e; i++) { k = order[i]; split(k, kk, " "); print "ESTAB", first[k], kk[1], c[k], kk[2] }
  if (t) print "TRUNCATED"
}')
printf '%s\n' "$socks"
pids=$(printf '%s\n' "$socks" | awk '$1 == "LISTEN" { print $3 } $1 == "ESTAB" { print $5 }' | tr ',' '\n' | sort -un)
seen=" "
for p in $pids; do
  while [ "${p:-0}" -gt 1 ] 2>/dev/null; do
    case "$seen" in *" $p "*) break ;; esac
    seen="$seen$p "
    IFS= read -r st < "/proc/$p/stat" 2>/dev/null || break
    # The fields after the name, which may itself hold ") ".
    set -- ${st##*) }
    pp=$2
    IFS= read -r comm < "/proc/$p/comm"; enc "$comm"; c=$v
    e=$(readlink "/proc/$p/exe" 2>/dev/null); enc "$e"; x=$v
    cg=
    while IFS= read -r l; do
      case $l in *:name=systemd:*) cg=$l ;; 0::*) [ -n "$cg" ] || cg=$l ;; esac
    done < "/proc/$p/cgroup"
    enc "$cg"; g=$v
    printf 'PROC %s %s %s %s x%s %s\n' "$p" "${pp:-0}" "$c" "$x" "$(head -c CMDLINE "/proc/$p/cmdline" | hex)" "$g"
    p=$pp
  done
done
for f in /run/*.pid /run/*/*.pid /var/run/*.pid /var/run/*/*.pid /var/spool/postfix/pid/*.pid; do
  [ -f "$f" ] && printf 'PIDFILE %s %s\n' "$(head -c 32 "$f" | tr -dc 0-9)" "$f"
done
for f in /etc/init.d/*; do [ -f "$f" ] && [ -x "$f" ] && printf 'INITD %s\n' "${f##*/}"; done
exit 0"#;

/// Debian: the package that owns each executable in "$@". Asked only when a listener's unit was
/// not found otherwise: it reads every package's file list.
const PACKAGES: &str = r#"[ -d /var/lib/dpkg/info ] || exit 0
printf '%s\n' "$@" | grep -sxF -f - /var/lib/dpkg/info/*.list | sed 's/^/PKG /'
exit 0"#;

/// Sets the package of every process whose executable one of `exes` is, from the host's dpkg.
pub(crate) async fn find_packages<T: crate::transport::Transport>(
    transport: &T,
    host: usize,
    facts: &mut HostFacts,
    exes: &[String],
    deadline: std::time::Duration,
) -> Result<(), String> {
    let out = crate::inspect::run_script(
        transport,
        host,
        exes.iter().map(String::as_str),
        PACKAGES,
        deadline,
        "looking up packages",
    )
    .await?;
    set_packages(facts, &out);
    Ok(())
}

/// `PKG /var/lib/dpkg/info/postfix.list:/usr/lib/postfix/sbin/master` lines to packages.
fn set_packages(facts: &mut HostFacts, output: &str) {
    let mut packages: Vec<(&str, &str)> = Vec::new();
    for rest in output.lines().filter_map(|l| l.strip_prefix("PKG ")) {
        if let Some((list, exe)) = rest.split_once(':')
            && let Some(name) = list
                .rsplit('/')
                .next()
                .and_then(|f| f.strip_suffix(".list"))
        {
            // `pkg:arch.list` for multi-arch packages.
            packages.push((exe, name.split(':').next().unwrap_or(name)));
        }
    }
    for p in facts.processes.values_mut() {
        if let Some((_, name)) = packages.iter().find(|(exe, _)| *exe == p.exe) {
            p.package = Some(name.to_string());
        }
    }
}

/// The script, ready to run as one `sh -c` word.
pub fn wrapped_script() -> String {
    let script = SCRIPT
        .replace("LIMIT", &SOCKET_LIMIT.to_string())
        .replace("CMDLINE", &CMDLINE_LIMIT.to_string());
    format!("( {script} )")
}

/// The script's output to facts. Lines it does not know are ignored: they can only come from
/// hostile bytes that slipped through, never from the script itself.
pub fn parse(output: &str) -> Result<HostFacts, FactsError> {
    let mut facts = HostFacts {
        os: "Linux".into(),
        ..HostFacts::default()
    };
    for line in output.lines() {
        let (tag, rest) = line.split_once(' ').unwrap_or((line, ""));
        match tag {
            "NOSS" => return Err(FactsError::NoSs),
            "PROC" => {
                if let Some(p) = process(rest) {
                    facts.processes.insert(p.pid, p);
                }
            }
            _ => common_line(&mut facts, tag, rest),
        }
    }
    set_packages(&mut facts, output);
    finish(&mut facts);
    Ok(facts)
}

/// `pNAME` as is, `xHEX` decoded (and bare hex, as older scripts sent every field).
fn field(word: &str) -> String {
    match (word.strip_prefix('p'), word.strip_prefix('x')) {
        (Some(plain), _) => plain.to_string(),
        (_, Some(hex)) => unhex(hex),
        _ => unhex(word),
    }
}

fn process(rest: &str) -> Option<Process> {
    let w: Vec<&str> = rest.split(' ').collect();
    let [pid, ppid, name, exe, cmdline, cgroup, ..] = w[..] else {
        // Empty hex fields come out as empty words; fewer than six means a broken line.
        return None;
    };
    Some(Process {
        pid: pid.parse().ok()?,
        ppid: ppid.parse().unwrap_or(0),
        name: field(name).trim_end_matches('\n').to_string(),
        exe: field(exe).trim_end().to_string(),
        args: split_args(&field(cmdline)),
        unit: unit_from_cgroup(&field(cgroup)),
        package: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> String {
        s.bytes().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn a_debian_host_running_its_init_scripts() {
        let out = format!(
            "OS Linux\nSSH 10.0.0.1 50000 10.0.0.21 22\nADDR 127.0.0.1/8\nADDR 10.0.0.21/24\nADDR fe80::1/64\n\
             LISTEN 0.0.0.0:6379 812\nLISTEN [::]:22 90,91\nLISTEN 127.0.0.1:25 \n\
             ESTAB 10.0.0.21:51234 10.0.0.31:6379 3 812\nESTAB 10.0.0.21:22 10.0.0.1:50000 1 91\n\
             PROC 812 1 {} {} {} {}\n\
             PIDFILE 812 /run/redis/redis-server.pid\nINITD redis-server\nINITD ssh\n\
             PKG /var/lib/dpkg/info/redis-tools.list:/usr/bin/redis-check-rdb\n",
            hex("redis-server\n"),
            hex("/usr/bin/redis-check-rdb"),
            hex("/usr/bin/redis-server 0.0.0.0:6379\0--daemonize\0yes\0"),
            hex("0::/\n"),
        );
        let facts = parse(&out).expect("facts");
        assert_eq!(
            facts.ssh.map(|e| e.to_string()).as_deref(),
            Some("10.0.0.21:22")
        );
        assert_eq!(
            facts.addresses.len(),
            2,
            "loopback left out: {:?}",
            facts.addresses
        );
        // One per address, in address order.
        let listening: Vec<String> = facts
            .listeners
            .iter()
            .map(|l| format!("{} {:?}", l.at, l.pids))
            .collect();
        assert_eq!(
            listening,
            ["0.0.0.0:6379 [812]", "127.0.0.1:25 []", "[::]:22 [90, 91]"]
        );
        assert_eq!(facts.connections[0].count, 3);
        let p = &facts.processes[&812];
        assert_eq!(p.name, "redis-server");
        assert_eq!(
            p.args,
            ["/usr/bin/redis-server 0.0.0.0:6379", "--daemonize", "yes"]
        );
        assert_eq!(p.package.as_deref(), Some("redis-tools"));
        assert_eq!(p.unit, None);
        assert_eq!(
            facts.pid_files,
            [("/run/redis/redis-server.pid".to_string(), 812)]
        );
    }

    #[test]
    fn plain_fields_travel_as_they_are_and_others_in_hex() {
        assert_eq!(field("p/usr/sbin/nginx"), "/usr/sbin/nginx");
        assert_eq!(field(&format!("x{}", hex("a b\n\"c"))), "a b\n\"c");
        assert_eq!(field("x"), "");
    }

    #[test]
    fn a_missing_ss_is_said() {
        assert_eq!(parse("OS Linux\nNOSS\n"), Err(FactsError::NoSs));
    }

    #[test]
    fn the_script_runs_here_and_parses() {
        // The machine running the tests is a Linux host too: the real script, the real parser.
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(wrapped_script())
            .output()
            .expect("sh");
        let text = String::from_utf8_lossy(&out.stdout);
        if text.contains("NOSS") {
            return; // ss is installed by scripts/test; without it the parser says so (above).
        }
        let facts = parse(&text).expect("facts");
        assert!(
            facts.processes.values().all(|p| p.pid > 1),
            "{:?}",
            facts.processes
        );
    }
}
