# Why: after a full outage the Galera member that committed the most must bootstrap the cluster.
# Its `seqno=` and `safe_to_bootstrap=` from `$grastate`; with `$recover` not empty, when the
# seqno is -1 (a crash), `recovered=` the position `galera_recovery` finds (it starts mysqld in
# recovery mode, so only a real cold start asks it). `unreadable=why` without the file.
# shellcheck disable=SC2154 # $grastate and $recover are set by the line put before it
f=$grastate
if [ ! -r "$f" ]; then echo "unreadable=no $f"; exit 0; fi
sed -n 's/^\(seqno\|safe_to_bootstrap\):[[:space:]]*/\1=/p' "$f"
if [ -n "$recover" ] && [ "$(sed -n 's/^seqno:[[:space:]]*//p' "$f")" = -1 ]; then
  p=$(galera_recovery 2>/dev/null) && echo "recovered=${p##*:}"
fi
