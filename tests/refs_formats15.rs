//! The scanner on a thirteenth set of formats, written blind (issue 26): Twemproxy, ScyllaDB,
//! Riak, HBase, HTCondor, a FreeSWITCH Sofia profile, OpenSIPS, 3proxy, ExaBGP, a FreeIPA
//! client, a Chef client, Amanda, Jitsi Videobridge, snmptrapd, Quay, Verdaccio, APISIX,
//! JupyterHub, Metabase and k3s. Held out until the rules of the sets before it were written,
//! then scored once here: recall 0.76, precision 0.69, ports 0.95. The rules written from it
//! (`listener.*` keys listen; a port as the word after a server; `x.server_address` is a
//! server's, only `server.address` this service's own) bring it to 0.79, 0.71 and 0.95. Still
//! wrong: bind addresses under plain keys (Scylla's `prometheus_address`, FreeSWITCH's
//! `sip-ip`, 3proxy's `-i` flags); k3s's own addresses (`node-ip`, `tls-san`); JupyterHub's
//! environment for user servers; Jitsi's XMPP `hostname` in a HOCON block.

mod corpus;

corpus::written_blind!(
    "refs_formats15",
    floors: (0.87, 0.82, 0.98),
    secrets: [
        "Zx7-twem-sess-4Rk9pQ",
        "Zx7-scy-ldap-Hq2mW8",
        "Zx7-riak-cookie-P3vN5t",
        "Zx7-hbase-ks-Lm4Tq1",
        "Zx7-fs-trunk-Ka8vR2",
        "Zx7-fs-pg-Wn6cJ4",
        "Zx7-osips-db-Vb3kT9",
        "Zx7-osips-ds-Qe5nM7",
        "Zx7-3proxy-ci-Ua7pD3",
        "$1$kX9c$Zx7Crypt3proxyOnc.1",
        "Zx7-3proxy-parent-Fh2x",
        "Zx7-bgp-tora-Gs5yE1",
        "Zx7-bgp-torb-Jd8wN6",
        "Zx7-chef-proxy-Rt4bY8",
        "Zx7-chef-automate-Pn9sK2",
        "Zx7-amanda-s3-Tn5fH3",
        "Zx7-amanda-dr-Yc1wQ8",
        "Zx7-amanda-ndmp-Bv9eL4",
        "Zx7-jvb-xmpp-Dk3rF7",
        "Zx7-snmp-comm-Xp6hA2",
        "Zx7-snmp-auth-Mc8uZ5",
        "Zx7-snmp-priv-Ow2sG9",
        "Zx7-quay-ldap-Fg5hJ1",
        "Zx7-quay-db-Rs2dC6",
        "Zx7-quay-redis-Nb4vK8",
        "Zx7-quay-rgw-Ht7pW3",
        "Zx7-quay-clairpsk-Vq9mT2",
        "Zx7-quay-smtp-Ly3kB5",
        "Zx7-quay-dbkey-Ce8nX4",
        "Zx7-quay-secret-Iu6rE1",
        "Zx7-verdaccio-partner-Gt4qS9",
        "Zx7-apisix-admin-Qw3eR5",
        "Zx7-apisix-etcd-Tz8yU2",
        "Zx7-jhub-db-Aw5sD3",
        "Zx7-jhub-proxy-Ke2lP6",
        "Zx7-jhub-ldap-Uo9iY4",
        "Zx7-jhub-grader-Hr7tN1",
        "Zx7-metabase-db-Jm2nB7",
        "Zx7-metabase-enc-Wq6eR2tY8uI0oP3a",
        "Zx7-metabase-smtp-Xc4vN9",
        "Zx7-metabase-ldap-Sd1fG5",
        "K10Zx7k3sCaHashEv4bT8::server:Zx7-k3s-join-Lp5oI9",
        "Zx7-k3s-join-Lp5oI9",
        "Zx7-k3s-s3-Qa2wS3",
    ],
);
