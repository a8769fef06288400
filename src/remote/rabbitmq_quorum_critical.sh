# Why: a RabbitMQ node is not restarted while stopping it would leave a quorum queue without a
# majority. After the cluster status, a line `--- quorum`, then `exit=CODE` and the first lines
# of `rabbitmq-queues check_if_node_is_quorum_critical`, where that tool exists.
echo '--- quorum'
if command -v rabbitmq-queues >/dev/null 2>&1; then
  out=$(rabbitmq-queues -q check_if_node_is_quorum_critical 2>&1); echo "exit=$?"; printf '%s\n' "$out" | head -n 3
fi
