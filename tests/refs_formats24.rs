//! The scanner on a twenty-second set, written blind (issue 26): Infinispan, Accumulo,
//! BookKeeper, VerneMQ, the Qpid Dispatch Router, KeyDB, nghttpx, sniproxy, Gravitee, WSO2 API
//! Manager, Dgraph, LibreNMS, Cacti, an OpenNMS Minion, Pulp, aptly, Gogs, reprepro, HiveMQ and
//! KrakenD, every product new to the scanner. Held out while the rules of set 23 were written,
//! then scored with and without them: recall 0.89, precision 0.80, ports 0.95 both times (set
//! 23's rules carried over to it not at all). The rules written from it (JGroups'
//! `initial_hosts` of `host[port]`, which also mended WildFly's in set 9; a value that is a
//! path; a class path with a digit before its capital; an Erlang node's own `nodename`; a JSON
//! document's `$schema`) bring it to the floors below. Still wrong: nghttpx's `backend=host,port;
//! pattern`, KeyDB's `replicaof` (a member here, a server to its tester), Infinispan's
//! `<inet-address>` and Gravitee's nested `http: host:` listeners, a KrakenD JWT `issuer` it
//! only compares.

mod corpus;

corpus::written_blind!(
    "refs_formats24",
    floors: (0.91, 0.85, 0.94),
    secrets: [
        "APTLYS3RW4K9D",
        "Acc-Inst-Sec-9Jd2Lq57",
        "Acc-Repl-Pw-4tHs81Qe",
        "Aptly-S3-Secret-Mv27Hs8q",
        "Aptly-Swift-Kj61Wn4e",
        "Cacti-Local-Wq83Ne6t",
        "Cacti-Main-Dz46Ho9y",
        "Dg-Admin-Token-Rs81Ln3w",
        "Dg-Cdc-Kafka-Hp52Qe9v",
        "Gogs-Pg-Ub84Ze3r",
        "Gogs-Secret-Ra29Lx7nFw",
        "Gogs-Sess-Rd44Mk8t",
        "Gogs-Slack-Hook-Xq61Pa9e",
        "Gogs-Smtp-Ia53Cv1o",
        "Grv-Core-Ux09Pb6r",
        "Grv-Es-Qa74Ty3n",
        "Grv-Ks-Lm82Qp4t",
        "Grv-Mongo-Xc51Hd7e",
        "Grv-Proxy-Fe67Wz2m",
        "Grv-Redis-Sn36Vk1o",
        "Hmq-Key-Ov38Sn2u",
        "Hmq-Ks-Ea71Gy6w",
        "Ispn-Ks-Mw48Zr0p",
        "Ispn-Ldap-Vb93Ke2s",
        "Ispn-Pg-7fQx21Lw",
        "Kd-Partner-Key-Wb72Nc5s",
        "KeyDB-Auth-Pn47Hq2v",
        "KeyDB-Repl-Zt81Ww6c",
        "Lnms-Db-Tw94Kc1z",
        "Lnms-Influx-Ju75Wd2s",
        "Lnms-Ldap-Ye28Pq5k",
        "Lnms-Smtp-Fx37Rb0n",
        "Lnms-Snmp-Ro-Ga63Mv",
        "Ngx-Proxy-Wr62Ld9k",
        "Onms-Kafka-Sg18Vt4p",
        "PULPMINIO7Q2XZ",
        "Pulp-Django-Secret-Nc73Ba1xQe",
        "Pulp-Kafka-Tg19Xw6u",
        "Pulp-Ldap-Qe57Fc4h",
        "Pulp-Minio-Secret-Lr85Vd3f",
        "Pulp-Pg-Hy42Ds8m",
        "Pulp-Redis-Wm60Kt2b",
        "Qdr-Artemis-Jk29Rm5w",
        "Qdr-Key-Pass-Ux64Bn2a",
        "Rpr-Vendor-Nz58Ew2c",
        "Vmq-Brg-Tq50Gm7yC",
        "Vmq-Pg-Rk28sN4qZe",
        "Vmq-Redis-Lp31Xw8d",
        "Wso2-Admin-Gh58Ns3x",
        "Wso2-Shared-Db-Ky20Jr7q",
        "Wso2-Tls-Ks-Bd39Ux5e",
        "Wso2-Trust-Vm14Ca8r",
        "fad9ccd99fcb2a41221bf38030986bd8f3170da1614988dea42724445013c849",
        "vmq-cookie-Hc72Pw9LxT",
    ]
);
