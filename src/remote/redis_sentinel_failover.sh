# Why: a Redis primary is restarted last, after Sentinel hands its role to a replica. Asks the
# Sentinel on the primary's host (`sentinel ARGS...`, a function put before this file, with
# `$sentinel_port`) to fail this primary over, retried while it answers `NOGOODSLAVE` (its view of
# a replica that just restarted is stale for a few seconds). The primary is the monitored master
# whose address is `$1` or `$2` (the member's plan name and address) and port `$3`; a Sentinel
# that watches one master only needs no match.
# shellcheck disable=SC2154 # $sentinel_port is set by the lines put before it
masters=$(sentinel SENTINEL masters 2>&1)
name=$(printf '%s\n' "$masters" | awk -v a="$1" -v b="$2" -v p="$3" '
NR % 2 == 1 { k = $0; next }
k == "name" { n = $0 }
k == "ip" { ip = $0 }
k == "port" && (ip == a || ip == b) && $0 == p { print n; exit }')
if [ -z "$name" ] && [ "$(printf '%s\n' "$masters" | grep -c '^name$')" = 1 ]; then
  name=$(printf '%s\n' "$masters" | sed -n '/^name$/{n;p;q;}')
fi
if [ -z "$name" ]; then echo "no Sentinel on this host (port $sentinel_port) monitors this member as a primary" >&2; exit 1; fi
tries=0
while :; do
  out=$(sentinel SENTINEL FAILOVER "$name" 2>&1)
  case $out in OK*) echo "sentinel failover $name: $out"; exit 0;; esac
  tries=$((tries + 1))
  if [ $tries -ge 30 ]; then echo "sentinel failover $name: $out" >&2; exit 1; fi
  sleep 1
done
