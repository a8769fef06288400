# shellcheck disable=SC2154 # $ss_owners and $deleted_code come from the fragments put before it
# Why: what proves a restart is the service's process before and after it. This finds the pid
# the locator names (`$1`: systemd UNIT, pid_files COMM FILE..., pid_file FILE, match PATTERN,
# pid PID), then describes that process: start, executable, name, command line, deleted code,
# listening ports. Portable to FreeBSD's sh and ps; /proc and ss add the executable, deleted code
# and listening ports where they exist. After ss_owners.sh and deleted_code.sh.
how=$1; shift
pid=
alive() { s=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$s" ] && [ "${s#Z}" = "$s" ]; }
case "$how" in
  systemd) pid=$(systemctl show -p MainPID --value -- "$1" 2>/dev/null)
    # No main process (a unit generated from an init script): the eldest process in the
    # unit's own cgroup, as systemd tracks it.
    if [ "${pid:-0}" = 0 ]; then
      cg=$(systemctl show -p ControlGroup --value -- "$1" 2>/dev/null)
      for f in "/sys/fs/cgroup/unified$cg/cgroup.procs" "/sys/fs/cgroup/systemd$cg/cgroup.procs" "/sys/fs/cgroup$cg/cgroup.procs"; do
        [ -n "$cg" ] || break
        [ -r "$f" ] || continue
        pid=$(awk '{ f = "/proc/" $1 "/stat"; if ((getline s < f) > 0) { sub(/.*\) /, "", s); split(s, a, " "); if (best == "" || a[20] + 0 < first) { best = $1; first = a[20] + 0 } } close(f) } END { print best }' "$f")
        echo "CGROUP $cg"
        break
      done
    fi ;;
  pid_files)
    comm=$1; shift
    for f in "$@"; do
      [ -f "$f" ] || continue
      p=$(head -n 1 "$f" 2>/dev/null | tr -dc 0-9 | head -c 12)
      echo "PIDFILE ${p:-none} $f"
      if [ -n "$p" ] && alive "$p"; then pid=$p; break; fi
    done
    if [ -z "$pid" ] && [ -n "$comm" ]; then
      pid=$(pgrep -o -x -- "$comm" 2>/dev/null)
      [ -n "$pid" ] && echo "BYNAME $comm"
    fi ;;
  pid_file) pid=$(head -n 1 "$1" 2>/dev/null) ;;
  match) pid=$(pgrep -o -f -- "$1" 2>/dev/null) ;;
  pid) pid=$1 ;;
esac
pid=$(printf '%s' "$pid" | tr -dc 0-9 | head -c 12)
if [ -z "$pid" ] || [ "$pid" = 0 ] || ! alive "$pid"; then echo NOPROCESS; exit 0; fi
now=$(date +%s)
# Boot time plus the start in clock ticks is stable from one look to the next (ps's elapsed
# seconds are not); elsewhere (FreeBSD), the elapsed seconds.
st=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $20}')
bt=$(awk '/^btime/ {print $2}' /proc/stat 2>/dev/null)
hz=$(getconf CLK_TCK 2>/dev/null)
if [ -n "$st" ] && [ -n "$bt" ] && [ -n "$hz" ]; then started=$((bt + st / hz))
else age=$(ps -o etimes= -p "$pid" | tr -dc 0-9); started=$((now - ${age:-0})); fi
echo "PROCESS $pid $started $now"
echo "EXE $(readlink "/proc/$pid/exe" 2>/dev/null)"
echo "COMM $(ps -o comm= -p "$pid" 2>/dev/null)"
# The command line word by word (US between words, a newline inside a word as a space).
args=$(tr '\n\000' ' \037' < "/proc/$pid/cmdline" 2>/dev/null | head -c 8192)
[ -n "$args" ] || args=$(ps -o args= -p "$pid" 2>/dev/null | head -c 8192 | tr '\n' ' ')
echo "ARGS $args"
exe=$(readlink "/proc/$pid/exe" 2>/dev/null)
case "$exe" in *" (deleted)") echo "DELETED ${exe% (deleted)}" ;; esac
awk "$deleted_code" "/proc/$pid/maps" 2>/dev/null | sort -u
echo "EPHEMERAL $(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)"
ss -Hltnp 2>/dev/null | awk -v pid="$pid" "$ss_owners"'{ n = split(owners(), a, ","); for (i = 1; i <= n; i++) if (a[i] == pid) { print "LISTEN " $4; next } }'
exit 0
