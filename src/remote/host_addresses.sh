# Why: a config that listens on an address is right only if the address is the host's own. The
# host's addresses, one a line (`ADDR/LEN` or `ADDR`), from whichever tool it has.
if command -v ip >/dev/null 2>&1; then ip -o addr show | awk '{print $4}'
elif command -v ifconfig >/dev/null 2>&1; then ifconfig -a | awk '$1 == "inet" || $1 == "inet6" {print $2}'
else hostname -I 2>/dev/null | tr ' ' '\n'; fi
