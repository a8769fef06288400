# Why: a comeback killed during a restart reads back what became of it. Says `<status> <end>`
# for the restart tagged `$1` of the run in `COMEBACK_RUN` (every command of a run has it) on plan
# host `$2`, from the `<tag>.exit` file the run wrapper left (run_wrapper.sh; an older one left it
# in the run's own folder): the status it holds, and its mtime
# (when the wrapper wrote it: the command's end, unix seconds) as `date -r` gives it on GNU and
# BSD systems alike. An older wrapper wrote `<status> <end>` itself: its own words come first.
# Nothing at all when there is no such file: the host cannot tell.
f="$HOME/.comeback/runs/$COMEBACK_RUN/$2/$1.exit"
[ -f "$f" ] || f="$HOME/.comeback/runs/$COMEBACK_RUN/$1.exit"
if [ -f "$f" ]; then
  printf '%s %s\n' "$(cat "$f")" "$(date -r "$f" +%s)"
fi
exit 0
