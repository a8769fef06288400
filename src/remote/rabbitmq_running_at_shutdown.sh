# Why: a RabbitMQ node stopped last must start first: the others wait for the nodes that ran
# when they stopped. For each node under `$mnesia`, `running_at_shutdown=` its
# `nodes_running_at_shutdown` (an Erlang list of node names) on one line.
# shellcheck disable=SC2154 # $mnesia is set by the line put before it
for f in "$mnesia"/*/nodes_running_at_shutdown; do
  [ -r "$f" ] && printf 'running_at_shutdown=%s\n' "$(tr -d '\n' < "$f" | head -c 4096)"
done
exit 0
