# shellcheck disable=SC2154 # $d, $exe, $log and $record are set by the lines put before it
# Why: the demo (`comeback demo`) and the test lab restart their demo services the same way, as
# an init script would: one script, checked once. Set before it: `d`, the services' folder
# (NAME.conf, NAME.pid); `exe`, the comeback binary that runs `demo-service`; `log`, the suffix
# of each service's output file (NAME.$log); `record`, when not empty, a timestamped line in
# $d/restarts.log at each restart's start and end.
# NAME [PORT]: stops NAME's old process, if its pid file still names NAME's demo service, then
# starts a new one detached in its own session (on 127.0.0.1:PORT, else at the address in
# NAME.listen) and records its pid.
name=$1
if [ -n "${2:-}" ]; then listen=127.0.0.1:$2; else listen=$(cat "$d/$name.listen"); fi
[ -z "$record" ] || echo "$(date +%s.%N) start $name" >>"$d/restarts.log"
# A killed process may stay a zombie until init reaps it: that is not running. But a leader
# shows as a zombie while its other threads still exit, holding its port: where /proc tells,
# every thread of it must be gone.
running() {
  if [ -d /proc/self/task ]; then
    grep -hs '^State:' /proc/"$1"/task/*/status | grep -qv '[ZX] ('
  else
    s=$(ps -o stat= -p "$1" 2>/dev/null); [ -n "$s" ] && [ "${s#Z}" = "$s" ]
  fi
}
# Only this folder's service: a pid file outlives its process, and pids are reused.
ours() { case $(ps -o args= -p "$1" 2>/dev/null) in *" demo-service "*" --config $d/$2.conf") return 0 ;; esac; return 1; }
if [ -f "$d/$name.pid" ]; then
  pid=$(cat "$d/$name.pid")
  if ours "$pid" "$name"; then
    kill "$pid" 2>/dev/null
    # Up to 5 s: a new process started while the old one still holds the port cannot bind it.
    i=0
    while running "$pid" && [ "$i" -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
  fi
fi
# Its own session where `setsid` exists: nothing that ends the caller's group ends the service.
detach=
command -v setsid >/dev/null 2>&1 && detach=setsid
nohup $detach "$exe" demo-service --listen "$listen" --config "$d/$name.conf" >>"$d/$name.$log" 2>&1 </dev/null &
echo $! >"$d/$name.pid"
[ -z "$record" ] || echo "$(date +%s.%N) end $name" >>"$d/restarts.log"
