# shellcheck disable=SC2034,SC2154 # $estab_awk and $limit are set before it, $pids read by walk
# Why: discovery's look at a FreeBSD host: `sockstat` for sockets, `procstat` and `ps` for
# processes, `service -e` and the rc.d folders for units. After facts_common.sh; `$limit`
# (sockets) is set before it. Read-only, like the Linux one. sockstat's COMMAND column may hold
# spaces: the awk keys on the columns counted from the right, where nothing a process chooses can
# shift them.
echo "OS FreeBSD"
printf 'SSH %s\n' "$SSH_CONNECTION"
ifconfig -a 2>/dev/null | awk '$1 == "inet" || $1 == "inet6" { print "ADDR", $2 }'
command -v sockstat >/dev/null 2>&1 || { echo NOSOCKSTAT; exit 0; }
socks=$({ sockstat -46 -l -P tcp | sed 's/^/L /'; sockstat -46 -c -P tcp | sed 's/^/C /'; } 2>/dev/null | awk -v limit="$limit" "$estab_awk"'
$2 == "USER" { next }
$1 == "L" && NF >= 8 { k = $(NF - 1) " " $(NF - 4); if (!(k in seen)) { seen[k] = 1; if (++l <= limit) print "LISTEN", k; else t = 1 }; next }
$1 == "C" && NF >= 8 { estab($NF " " $(NF - 4), $(NF - 1)) }
END { flush() }')
printf '%s\n' "$socks"
pids=$(printf '%s\n' "$socks" | awk '$1 == "LISTEN" { print $3 } $1 == "ESTAB" { print $5 }' | sort -un)
# `PROC PID PPID NAME EXE ARGS` for process $1, the last three in hex; its parent in $pp.
# shellcheck disable=SC2317 # called by walk (facts_common.sh)
proc() {
  pp=$(ps -o ppid= -p "$1" 2>/dev/null | tr -dc 0-9)
  [ -n "$pp" ] || return 1
  printf 'PROC %s %s %s %s %s\n' "$1" "$pp" "$(ps -o comm= -p "$1" | hex)" "$(procstat -h -b "$1" 2>/dev/null | awk '{ print $NF }' | hex)" "$(procstat -h -c "$1" 2>/dev/null | hex)"
}
walk
for f in /var/run/*.pid /var/run/*/*.pid; do pid_file "$f"; done
init_scripts /etc/rc.d/* /usr/local/etc/rc.d/*
service -e 2>/dev/null | sed 's/^/ENABLED /'
exit 0
