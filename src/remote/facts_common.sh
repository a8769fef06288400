# shellcheck disable=SC2034,SC2154 # a fragment: $pids and $pp are set, $estab_awk read, by the
# OS script after it.
# Why: the Linux and FreeBSD fact scripts (linux_facts.sh, freebsd_facts.sh, each put after this
# file) print the same line protocol. What they print alike is written once here: the field
# encoding, pid files, init scripts, the walk from a socket's process up to its ancestors, and the
# awk that folds connections. Definitions only: this prints nothing.
export LC_ALL=C
hex() { od -An -v -tx1 | tr -d ' \n'; }
# A field as `p` and itself when it is plain, else `x` and its hex (in $v): most names and paths
# cost no process at all.
enc() { case $1 in ''|*[!A-Za-z0-9._/:@+=,-]*) v=x$(printf %s "$1" | hex) ;; *) v=p$1 ;; esac; }
# `PIDFILE PID FIELD` for the pid file $1 (its pid, digits only, in $n); false when it is no file.
pid_file() {
  [ -f "$1" ] || return 1
  n=$(head -c 32 "$1"); n=${n#"${n%%[0-9]*}"}; n=${n%%[!0-9]*}; enc "$1"
  printf 'PIDFILE %s %s\n' "$n" "$v"
}
# `INITD NAME` for each executable file among "$@".
init_scripts() {
  for f in "$@"; do [ -f "$f" ] && [ -x "$f" ] && printf 'INITD %s\n' "${f##*/}"; done
  return 0
}
# Each process of $pids and its ancestors up to (not including) pid 1, each once: `proc PID`
# (the OS script's) prints its `PROC` line and sets $pp, its parent, or fails when it is gone.
walk() {
  seen=" "
  for p in $pids; do
    while [ "${p:-0}" -gt 1 ] 2>/dev/null; do
      case "$seen" in *" $p "*) break ;; esac
      seen="$seen$p "
      proc "$p" || break
      p=$pp
    done
  done
}
# awk: `estab(KEY, LOCAL)` counts a connection under KEY (`PEER PIDS`), the first LOCAL in order
# kept; at most `limit` keys, beyond them `t` is set. `flush()` prints them, in the order first
# seen, as `ESTAB LOCAL PEER COUNT PIDS`, then `TRUNCATED` when anything was left out.
estab_awk='function estab(k, local) {
  if (!(k in c)) { if (e >= limit) { t = 1; return }; order[++e] = k; first[k] = local }
  else if (local < first[k]) first[k] = local
  c[k]++
}
function flush(   i, k, kk) {
  for (i = 1; i <= e; i++) { k = order[i]; split(k, kk, " "); print "ESTAB", first[k], kk[1], c[k], kk[2] }
  if (t) print "TRUNCATED"
}
'
