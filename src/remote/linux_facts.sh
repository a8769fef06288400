# shellcheck disable=SC2154 # $ss_owners, $estab_awk, $v, $limit and $cmdline_limit are set by
# the fragments and assignments put before it
# Why: discovery's look at a Linux host: `ss` for sockets, `/proc` for processes (hex-encoded on
# the way, so no byte of a hostile name or command line can break the line protocol), systemd's
# units, pid files and `/etc/init.d`. After facts_common.sh, ss_owners.sh and systemd_units.sh;
# `$limit` (sockets) and `$cmdline_limit` (bytes of a command line) are set before it.
# Read-only: it lists and reads, writes nothing (not even a temporary file). Forks are what it
# costs (a host has hundreds of processes, and discovery reads 50 hosts at once on the
# controller's cores): builtins wherever they do, two small commands per process.
echo "OS Linux"
printf 'SSH %s\n' "$SSH_CONNECTION"
# `N: IFACE inet ADDR/LEN ...` lines as they are (the parser reads them: no awk spent).
if command -v ip >/dev/null 2>&1; then ip -o addr show 2>/dev/null
else for a in $(hostname -I 2>/dev/null); do echo "ADDR $a"; done; fi
command -v ss >/dev/null 2>&1 || { echo NOSS; exit 0; }
# The sockets, then (last line) every pid that holds one. Our own SSH connection is left out:
# its processes are comeback's session, not a service (and each costs two processes below).
socks=$(ss -Htanp 2>/dev/null | awk -v limit="$limit" -v me="$SSH_CONNECTION" "$ss_owners$estab_awk"'
function pids(   o, n, i, a) { o = owners(); n = split(o, a, ","); for (i = 1; i <= n; i++) all[a[i]] = 1; return o }
$1 == "LISTEN" { if (++l <= limit) print "LISTEN", $4, pids(); else t = 1; next }
# `ip:port` as ss writes it: `10.0.0.1:22`, `[::1]:22`, `[::ffff:10.0.0.1]:22`.
function is(a, ip, port,   want) { gsub(/[][]/, "", a); want = ip ":" port; return ip != "" && (a == want || a == "::ffff:" want) }
BEGIN { split(me, m, " ") }
$1 == "ESTAB" && is($4, m[3], m[4]) && is($5, m[1], m[2]) { next }
$1 == "ESTAB" { estab($5 " " pids(), $4) }
END {
  flush()
  printf "PIDS"; for (p in all) printf " %s", p; print ""
}')
pids=${socks##*PIDS}
printf '%s\n' "${socks%PIDS*}"
systemd_units
# Pid files before the processes: a live one adds its process (an init script's daemon that
# listens on nothing is still a service).
for f in /run/*.pid /run/*/*.pid /var/run/*.pid /var/run/*/*.pid /var/spool/postfix/pid/*.pid; do
  pid_file "$f" || continue
  [ -n "$n" ] && [ -d "/proc/$n" ] && pids="$pids $n"
done
# `PROC PID PPID NAME EXE CGROUP xCMDLINE` for process $1; its parent in $pp.
# shellcheck disable=SC2317 # called by walk (facts_common.sh)
proc() {
  IFS= read -r st < "/proc/$1/stat" 2>/dev/null || return 1
  # The fields after the name, which may itself hold ") ".
  # shellcheck disable=SC2086 # split into words on purpose: the fields are numbers and letters
  set -- "$1" ${st##*) }
  pp=$3
  IFS= read -r comm < "/proc/$1/comm"; enc "$comm"; c=$v
  e=$(readlink "/proc/$1/exe" 2>/dev/null); enc "$e"; x=$v
  cg=
  while IFS= read -r l; do
    case $l in *:name=systemd:*) cg=$l ;; 0::*) [ -n "$cg" ] || cg=$l ;; esac
  done < "/proc/$1/cgroup"
  enc "$cg"
  # The command line last, as od writes it: hex bytes and spaces, on one line.
  a=$(od -An -v -tx1 -w"$cmdline_limit" -N"$cmdline_limit" "/proc/$1/cmdline" 2>/dev/null)
  printf 'PROC %s %s %s %s %s x%s\n' "$1" "${pp:-0}" "$c" "$x" "$v" "$a"
}
walk
init_scripts /etc/init.d/*
exit 0
