# Why: after a full outage the Redis member with the newest data must come up first, and its
# own config may still say it is a primary after a failover: its data says more. From the
# server configs in "$@": `primary=no` when one follows another member (`replicaof`), else
# `primary=yes`; then, unless the append-only file is what it loads, `rdb=` and the first
# `$rdb_head` bytes of its snapshot in hex (its replication id and offset are there).
# shellcheck disable=SC2154 # $rdb_head is set by the line put before it
if grep -Ehsi '^[[:space:]]*(replicaof|slaveof)[[:space:]]' "$@" | grep -viqE '(replicaof|slaveof)[[:space:]]+no[[:space:]]+one'; then echo primary=no; else echo primary=yes; fi
last() { k=$1; shift; sed -n "s/^[[:space:]]*${k}[[:space:]][[:space:]]*//p" "$@" 2>/dev/null | tail -n 1 | tr -d '\r"'; }
if [ "$(last appendonly "$@")" = yes ]; then exit 0; fi
dir=$(last dir "$@"); file=$(last dbfilename "$@")
rdb="${dir:-/var/lib/redis}/${file:-dump.rdb}"
if [ -r "$rdb" ]; then printf 'rdb='; head -c "$rdb_head" "$rdb" | od -An -v -tx1 | tr '\n' ' '; echo; fi
