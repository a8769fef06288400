# Why: `resume` continues a run, and must know which of its commands still run on the host.
# Lists the live commands of run `$1` sent to plan host `$2` (and those an older comeback kept in
# the run's own folder): `LIVE <pgid> <age s> <command, one line>`; forgets the pid files of those
# that are gone. After run_ours.sh.
# shellcheck disable=SC2034 # read by ours (run_ours.sh)
run=$1
[ -d "${HOME:-}" ] || exit 0
d="$HOME/.comeback/runs/$1"
now=$(date +%s)
for f in "$d/${2:?a plan host}"/*.pid "$d"/*.pid; do
  [ -f "$f" ] || continue
  p=${f##*/}; p=${p%.pid}
  case "$p" in ''|*[!0-9]*|0|1) continue ;; esac
  if ours "$p"; then
    since=$(stat -c %Y -- "$f" 2>/dev/null)
    printf 'LIVE %s %s %s\n' "$p" "$((now - ${since:-$now}))" "$(head -c 2000 -- "$f" | tr '\n\r' '  ')"
  else
    rm -f "$f"
  fi
done
exit 0
