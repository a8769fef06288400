# Why: an aborted run must leave nothing of its own running. Kills every live command of run
# `$1` sent to plan host `$3` (TERM to its process group, KILL `$2` seconds later), says `KILLED
# <pgid> <age s> <command>` for each, and removes that host's folder of the run, then the run's
# folder once no other plan host's is left in it (two plan hosts can be one machine and one
# user). A run of an older comeback kept its files in the run's folder itself: they go too.
# After run_ours.sh.
# `kill -s SIG -- "-$p"`: the form dash, bash and procps all read (dash's builtin refuses
# `kill -SIG -- "-$p"`, and the sweep then killed nothing). The clock is read only when a command
# is found: most sweeps find none, and start one process fewer.
# shellcheck disable=SC2034 # read by ours (run_ours.sh)
run=$1
[ -d "${HOME:-}" ] || exit 0
b="$HOME/.comeback/runs/$1"
[ -d "$b" ] || exit 0
d="$b/${3:?a plan host}"
now=
live=""
for f in "$d"/*.pid "$b"/*.pid; do
  [ -f "$f" ] || continue
  p=${f##*/}; p=${p%.pid}
  case "$p" in ''|*[!0-9]*|0|1) continue ;; esac
  if ours "$p" && kill -s TERM -- "-$p" 2>/dev/null; then
    live="$live $p"
    [ -n "$now" ] || now=$(date +%s)
    since=$(stat -c %Y -- "$f" 2>/dev/null)
    printf 'KILLED %s %s %s\n' "$p" "$((now - ${since:-$now}))" "$(head -c 2000 -- "$f" | tr '\n\r' '  ')"
  fi
done
n=0
while [ -n "$live" ] && [ "$n" -lt "$(($2 * 10))" ]; do
  still=""
  for p in $live; do ours "$p" && still="$still $p"; done
  live=$still
  [ -n "$live" ] && sleep 0.1
  n=$((n + 1))
done
for p in $live; do ours "$p" && kill -s KILL -- "-$p" 2>/dev/null; done
rm -f "$d"/*.pid "$d"/*.exit "$b"/*.pid "$b"/*.exit
rmdir "$d" "$b" 2>/dev/null
exit 0
