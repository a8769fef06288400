# Why: comeback restarts through the host's service manager (systemd, OpenRC, SysV init scripts,
# BSD rc.d), and must know which it is before it says a command. Read-only; every probe answers
# on its own line (`os NAME`, `pid1 NAME`, then flags), and nothing fails the script.
echo "os $(uname -s 2>/dev/null)"
{ IFS= read -r p < /proc/1/comm; } 2>/dev/null || p=
[ -n "$p" ] || p=$(ps -o comm= -p 1 2>/dev/null)
echo "pid1 $p"
[ -d /run/systemd/system ] && echo systemd_booted
[ -d /run/openrc ] && echo openrc_running
[ -d /etc/init.d ] && echo init_d
command -v service >/dev/null 2>&1 && echo service_command
exit 0
