# Why: nothing comeback starts on a host may outlive a run unseen. Every remote command of a run
# runs through this: `$4` under `timeout` (`$3` seconds, KILL `$2` seconds after TERM) in a new
# session, with `COMEBACK_RUN=<run>` and the arguments after `$8` (`CB_NAME=value`) in its
# environment, and a pid file (its mtime: when the command began; its text: `$5`, the command
# with its secrets masked) in ~/.comeback/runs/$1/ for as long as it runs. `$1` is
# `<run>/<plan host>`: two plan hosts that are one machine and one user (a host listed under two
# names, the demo's local hosts) keep apart folders, so that the sweep of one never touches the
# other's commands or files. The exit status is the
# command's, or timeout's (124, 137 when KILL was needed): the wrapper is outside the group
# timeout signals, so it survives to tell. With a tag (`$6`, a restart's), it also leaves
# `<tag>.exit` (the status; its mtime: the end) for a comeback that died meanwhile to read back
# (run_exit.sh). With a marker (`$7`), once the command exited 0, it runs `$8` (one of
# comeback's own reads: the proof that the process was replaced) in the same round trip, under
# a deadline of its own, its output after a line `$7` and followed by a line `$7 <its status>`:
# the marker is new for each command, so nothing the command prints can pass for it. Few
# processes (`mkdir` once, `setsid`, `timeout`, `env` only for values, `rm`): it wraps every
# command of every step. Without a home there is no pid file (never one in a shared /tmp, where
# another user could have put a symlink first).
d=
if [ -d "${HOME:-}" ]; then
  d="$HOME/.comeback/runs/$1"
  # Every folder it makes private, ~/.comeback and its runs/ too (not only the deepest, as
  # `mkdir -p -m 700` would): a subshell, so the umask stays the command's own.
  [ -d "$d" ] || (umask 077 && mkdir -p "$d") 2>/dev/null
fi
r=${1%/*} k=$2 t=$3 c=$4 m=$5 g=$6 x=$7 a=$8
shift 8
if [ "$#" -gt 0 ]; then
  COMEBACK_RUN="$r" setsid timeout --kill-after="$k" "$t" env "$@" sh -c "$c" &
else
  COMEBACK_RUN="$r" setsid timeout --kill-after="$k" "$t" sh -c "$c" &
fi
p=$!
[ -z "$d" ] || printf '%s\n' "$m" >"$d/$p.pid" 2>/dev/null
wait "$p"
s=$?
[ -z "$d" ] || [ -z "$g" ] || printf '%s\n' "$s" >"$d/$g.exit" 2>/dev/null
[ -z "$d" ] || rm -f "$d/$p.pid"
if [ "$s" = 0 ] && [ -n "$x" ]; then
  printf '\n%s\n' "$x"
  timeout --kill-after="$k" 30 sh -c "$a" comeback-run
  printf '\n%s %s\n' "$x" "$?"
fi
exit "$s"
