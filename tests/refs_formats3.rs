//! Recall, precision and port accuracy of the reference scanner on a third set of formats,
//! written blind (issue 26): a tester who had read neither the scanner nor its tests wrote each
//! file under `tests/refs_formats3/` from its format's documentation (keepalived, Icinga 2,
//! Zabbix agent, collectd, Grafana, Promtail, Kibana, MongoDB, Varnish, sssd, Puppet, Salt,
//! GitLab Runner, Django, Debezium, NATS, Mosquitto, WireGuard), and listed every reference in
//! `tests/refs_formats3.expected` before running it. First score: recall 0.90, precision 0.79,
//! ports 0.92; the rules it led to are in `refs::context`, `refs::scope` and `refs::siblings`.

mod corpus;

corpus::written_blind!(
    "refs_formats3",
    floors: (0.98, 0.97, 1.00),
    secrets: [
        "glrt-xxxxxxxxxxxxxxxxxxxx",
        "s3cret",
        "abc123def456",
        ":secret@",
    ],
);
