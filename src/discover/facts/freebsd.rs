//! FreeBSD: `sockstat` for sockets, `procstat` and `ps` for processes, `service -e` and the rc.d
//! folders for units. Written from the man pages' formats and tested on outputs captured in that
//! format; it has not run on a real FreeBSD yet (the README says so).

use super::{FactsError, HostFacts, Process, common_line, finish, unhex};

/// Read-only, like the Linux one. sockstat's COMMAND column may hold spaces: the awk keys on
/// the columns counted from the right, where nothing a process chooses can shift them.
const SCRIPT: &str = r#"export LC_ALL=C
hex() { od -An -v -tx1 | tr -d ' \n'; }
enc() { case $1 in ''|*[!A-Za-z0-9._/:@+=,-]*) v=x$(printf %s "$1" | hex) ;; *) v=p$1 ;; esac; }
echo "OS FreeBSD"
printf 'SSH %s\n' "$SSH_CONNECTION"
ifconfig -a 2>/dev/null | awk '$1 == "inet" || $1 == "inet6" { print "ADDR", $2 }'
command -v sockstat >/dev/null 2>&1 || { echo NOSOCKSTAT; exit 0; }
socks=$({ sockstat -46 -l -P tcp | sed 's/^/L /'; sockstat -46 -c -P tcp | sed 's/^/C /'; } 2>/dev/null | awk -v limit=LIMIT '
$2 == "USER" { next }
$1 == "L" && NF >= 8 { k = $(NF - 1) " " $(NF - 4); if (!(k in seen)) { seen[k] = 1; if (++l <= limit) print "LISTEN", k; else t = 1 }; next }
$1 == "C" && NF >= 8 {
  k = $NF " " $(NF - 4)
  if (!(k in c)) { if (e >= limit) { t = 1; next }; order[++e] = k; first[k] = $(NF - 1) }
  else if ($(NF - 1) < first[k]) first[k] = $(NF - 1)
  c[k]++
}
END {
  for (i = 1; i <= e; i++) { k = order[i]; split(k, kk, " "); print "ESTAB", first[k], kk[1], c[k], kk[2] }
  if (t) print "TRUNCATED"
}')
printf '%s\n' "$socks"
pids=$(printf '%s\n' "$socks" | awk '$1 == "LISTEN" { print $3 } $1 == "ESTAB" { print $5 }' | sort -un)
seen=" "
for p in $pids; do
  while [ "${p:-0}" -gt 1 ] 2>/dev/null; do
    case "$seen" in *" $p "*) break ;; esac
    seen="$seen$p "
    pp=$(ps -o ppid= -p "$p" 2>/dev/null | tr -dc 0-9)
    [ -n "$pp" ] || break
    printf 'PROC %s %s %s %s %s\n' "$p" "$pp" "$(ps -o comm= -p "$p" | hex)" "$(procstat -h -b "$p" 2>/dev/null | awk '{ print $NF }' | hex)" "$(procstat -h -c "$p" 2>/dev/null | hex)"
    p=$pp
  done
done
for f in /var/run/*.pid /var/run/*/*.pid; do
  [ -f "$f" ] || continue
  n=$(head -c 32 "$f"); n=${n#"${n%%[0-9]*}"}; enc "$f"
  printf 'PIDFILE %s %s\n' "${n%%[!0-9]*}" "$v"
done
for f in /etc/rc.d/* /usr/local/etc/rc.d/*; do [ -f "$f" ] && [ -x "$f" ] && printf 'INITD %s\n' "${f##*/}"; done
service -e 2>/dev/null | sed 's/^/ENABLED /'
exit 0"#;

/// The script, ready to run as one `sh -c` word.
pub fn wrapped_script() -> String {
    format!(
        "( {} )",
        SCRIPT.replace("LIMIT", &super::SOCKET_LIMIT.to_string())
    )
}

/// The script's output to facts (`manager` left to the caller, who detects it apart); an error
/// only when `sockstat` is missing. Lines it does not know are ignored.
pub fn parse(output: &str) -> Result<HostFacts, FactsError> {
    let mut facts = HostFacts {
        os: "FreeBSD".into(),
        ..HostFacts::default()
    };
    for line in output.lines() {
        let (tag, rest) = line.split_once(' ').unwrap_or((line, ""));
        match tag {
            "NOSOCKSTAT" => return Err(FactsError::NoSockstat),
            "PROC" => {
                let w: Vec<&str> = rest.split(' ').collect();
                if let [pid, ppid, name, exe, args, ..] = w[..]
                    && let Ok(pid) = pid.parse::<u32>()
                {
                    facts.processes.insert(
                        pid,
                        Process {
                            pid,
                            ppid: ppid.parse().unwrap_or(0),
                            name: unhex(name).trim_end().to_string(),
                            exe: unhex(exe).trim_end().to_string(),
                            args: procstat_args(&unhex(args)),
                            unit: None,
                            package: None,
                        },
                    );
                }
            }
            "ENABLED" => {
                if let Some(name) = rest.trim().rsplit('/').next().filter(|n| !n.is_empty()) {
                    facts.enabled.push(name.to_string());
                }
            }
            _ => common_line(&mut facts, tag, rest),
        }
    }
    finish(&mut facts);
    Ok(facts)
}

/// `procstat -h -c PID`: `  PID COMM ARGS...`. The arguments were joined with spaces there, so
/// an argument holding a space cannot be told apart: they come back split at spaces.
fn procstat_args(line: &str) -> Vec<String> {
    let line = line.lines().next().unwrap_or("");
    let mut words = line.split_whitespace();
    words.next(); // pid
    words.next(); // comm
    words.map(str::to_string).collect()
}

/// One sockstat line (without its tag) as the awk above reads it: (local, foreign, pid).
/// Kept in Rust too so the property tests can throw arbitrary text at the same column logic.
pub fn sockstat_columns(line: &str) -> Option<(String, String, u32)> {
    let w: Vec<&str> = line.split_whitespace().collect();
    if w.len() < 7 || w[0] == "USER" {
        return None;
    }
    let n = w.len();
    let pid = w[n - 5].parse().ok()?;
    w[n - 3]
        .starts_with("tcp")
        .then(|| (w[n - 2].to_string(), w[n - 1].to_string(), pid))
}

/// A captured `sockstat -l` and `sockstat -c` to the tagged lines the script prints, as its awk
/// does: for the tests of the parser on captured outputs.
pub fn tag_sockstat(listening: &str, connected: &str) -> String {
    let mut out = String::new();
    let mut seen = std::collections::BTreeSet::new();
    for line in listening.lines() {
        if let Some((local, _, pid)) = sockstat_columns(line)
            && seen.insert((local.clone(), pid))
        {
            out.push_str(&format!("LISTEN {local} {pid}\n"));
        }
    }
    let mut conns: Vec<(String, String, u32, usize)> = Vec::new();
    for line in connected.lines() {
        if let Some((local, peer, pid)) = sockstat_columns(line) {
            match conns.iter_mut().find(|c| c.1 == peer && c.2 == pid) {
                Some(c) => c.3 += 1,
                None => conns.push((local, peer, pid, 1)),
            }
        }
    }
    for (local, peer, pid, count) in conns {
        out.push_str(&format!("ESTAB {local} {peer} {count} {pid}\n"));
    }
    out
}
