# Why: a host named in a config must still exist and answer *from the host that reads the
# config* (its resolver, its routes, its firewall), not from the operator's machine. "$@" is
# pairs NAME PORT (`-` for no port); `$probe` (seconds) bounds each lookup and each connect.
# One line per pair, all probed at once: `NAME PORT RESOLVED CONNECTED ADDRESSES...` (RESOLVED
# and CONNECTED 1 or 0, CONNECTED `-` when not tried).
# shellcheck disable=SC2154 # $probe is set by the line put before it
probe() {
  # The addresses too: a name the inventory knows by its address is the inventory's.
  if a=$(timeout "$probe" getent ahosts "$1" 2>/dev/null); then r=1; else r=0; fi
  a=$(printf '%s\n' "$a" | awk '{ print $1 }' | sort -u | tr '\n' ' ')
  t=-
  if [ "$r" = 1 ] && [ "$2" != - ]; then
    if command -v bash >/dev/null 2>&1; then
      # shellcheck disable=SC2016 # bash's own $0 and $1: the name and port, as arguments
      if timeout "$probe" bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null; then t=1; else t=0; fi
    elif command -v nc >/dev/null 2>&1; then
      if nc -z -w "$probe" "$1" "$2" 2>/dev/null; then t=1; else t=0; fi
    fi
  fi
  printf '%s %s %s %s %s\n' "$1" "$2" "$r" "$t" "$a"
}
while [ $# -ge 2 ]; do probe "$1" "$2" & shift 2; done
wait
