# Why: a failed restart is explained by the unit's own last words. The last `$3` lines of
# systemd unit `$1`'s log (since `$2`, `@UNIX` seconds, when not empty), at most 16 KiB.
if [ -n "$2" ]; then journalctl -u "$1" --since "$2" -n "$3" -o cat --no-pager
else journalctl -u "$1" -n "$3" -o cat --no-pager; fi 2>/dev/null | tail -n "$3" | head -c 16384
