# Why: a pid file can outlive its command (its wrapper died with the connection) and pids are
# reused: a group id alone could name anyone's processes. Defines `ours PGID`: whether process
# group PGID is still a command of run `$run`, i.e. some process of the group has
# `COMEBACK_RUN=<run>` in its environment. Where /proc is missing (FreeBSD), no group is ever
# taken for ours. Put before run_find.sh and run_sweep.sh, which set `$run`.
# shellcheck disable=SC2154 # $run is set by the script put after it, before it calls ours
ours() {
  for q in $(pgrep -g "$1" 2>/dev/null); do
    tr '\0' '\n' <"/proc/$q/environ" 2>/dev/null | grep -qxF "COMEBACK_RUN=$run" && return 0
  done
  return 1
}
