# shellcheck disable=SC2154 # a fragment: enc (and its $v) come from facts_common.sh
# Why: systemd's own word on what runs, read by the Linux fact script (put after this file, which
# calls `systemd_units`). When PID 1 is systemd, it prints `SD KEY=VALUE` lines of `systemctl
# show` for every running service unit (a line `SD` alone ends a unit), adds their main
# processes to $pids, and prints `SDEXE FIELD`, the manager's executable (`enc`, from
# facts_common.sh). Unit names are the manager's own (no blanks, no globs); `set -f` all the same.
systemd_units() {
  [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 || return 0
  set -f
  units=$(systemctl list-units --type=service --state=running --no-legend --plain --full 2>/dev/null | awk '$1 ~ /\.service$/ { print $1 }')
  if [ -n "$units" ]; then
    # shellcheck disable=SC2086 # one word per unit: the names hold no blanks, globs are off
    shown=$(systemctl show -p Id,MainPID,FragmentPath,SourcePath,EnvironmentFiles,RefuseManualStart,RefuseManualStop,TTYPath,BusName -- $units 2>/dev/null)
    printf '%s\n' "$shown" | sed 's/^/SD /'
    printf 'SD\n'
    for m in $(printf '%s\n' "$shown" | sed -n 's/^MainPID=//p'); do pids="$pids $m"; done
  fi
  e=$(readlink /proc/1/exe 2>/dev/null); enc "$e"; printf 'SDEXE %s\n' "$v"
  set +f
}
