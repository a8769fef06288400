# shellcheck disable=SC2034 # a fragment: $ss_owners is read by the scripts put after it
# Why: `ss -p` prints each process's name as it is, and a process named `x",pid=1,fd=9)` must
# not pass for pid 1. This defines `$ss_owners`, the text of an awk function `owners()`: the pids
# that own the socket on the current `ss -p` line. A pid counts only where the text before it
# ends with `("` and that process's own name (`/proc/PID/comm`). A forged entry needs 16 bytes; a
# name holds 15. Scripts that read ss put it before their own program: awk "$ss_owners"'...'.
# shellcheck disable=SC2016 # awk's `$0`, not the shell's: single quotes on purpose
ss_owners='function owners(   s, pre, out, p, f, c) {
  if (!index($0, "users:((")) return ""
  s = substr($0, index($0, "users:((")); pre = ""; out = ""
  while (match(s, /",pid=[0-9]+,fd=[0-9]+\)/)) {
    p = substr(s, RSTART + 6); p = substr(p, 1, index(p, ",") - 1)
    pre = pre substr(s, 1, RSTART - 1)
    if (!(p in comms)) { f = "/proc/" p "/comm"; c = ""; if ((getline c < f) <= 0) c = "\001"; close(f); comms[p] = c }
    c = "(\"" comms[p]
    if (length(pre) >= length(c) && substr(pre, length(pre) - length(c) + 1) == c) out = out "," p
    pre = pre substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
  }
  return substr(out, 2)
}
'
