/*

Graphite Required Variable:

(Leave this unset to avoid sending stats to Graphite.
 Set debug flag and leave this unset to run in 'dry' debug mode -
 useful for testing statsd clients without a Graphite server.)

  graphiteHost:     hostname or IP of Graphite server

Optional Variables:

  graphitePort:     port for the graphite text collector [default: 2003]
  servers:          an array of server configurations (see exampleConfig.js)
  backends:         an array of backends to load. Each backend must exist
                    by name in the directory backends/.
  repeater:         an array of hashes of the for host: and port:
                    that details other statsd servers to which the received
                    packets should be "repeated" (duplicated to).

  Local changes: ops, 2019 -- influx backend added, repeater to the DR statsd.
*/
{
  graphitePort: 2003
, graphiteHost: "graphite-relay.mon.example.org"
, mgmt_address: "127.0.0.1"
, mgmt_port: 8126
, backends: [ "./backends/graphite", "statsd-influxdb-backend" ]
, servers: [
    { server: "./servers/udp", address: "10.90.0.40", port: 8125 },
    { server: "./servers/tcp", address: "0.0.0.0", port: 8125 }
  ]
, graphite: {
    legacyNamespace: false,
    globalPrefix: "stats.prod",
    prefixCounter: "counters"
  }
, influxdb: {
    host: "influx-01.mon.example.org",
    port: 8086,
    database: "statsd",
    username: "statsd",
    password: "St@tsdInflux",
    flush: { enable: true },
    proxy: { enable: false, suffix: "raw", flushInterval: 1000 }
  }
, repeater: [ { host: "10.90.5.40", port: 8125 } ]
, repeaterProtocol: "udp4"
, deleteIdleStats: true
, percentThreshold: [ 90, 95, 99 ]
, flushInterval: 10000
, dumpMessages: false
, debug: false
}
