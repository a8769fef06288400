# Why: a Redis member whose config sets `requirepass` answers nothing without it, and the
# password must never leave the host nor appear in a command line. Reads the last
# `requirepass` of the server configs in "$@" (later files win) into `REDISCLI_AUTH`, which
# redis-cli reads; the redis-cli command put after this file then runs with it.
pass=$(sed -n 's/^[[:space:]]*requirepass[[:space:]][[:space:]]*//p' "$@" 2>/dev/null | tail -n 1 | tr -d '\r')
pass=${pass#\"}; pass=${pass%\"}
if [ -n "$pass" ]; then export REDISCLI_AUTH="$pass"; fi
