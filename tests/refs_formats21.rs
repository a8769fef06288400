//! The scanner on a nineteenth set, written blind (issue 26): Apache Zeppelin, Apache Pinot,
//! Apache Ignite, Apache Geode, JanusGraph, Grafana Tempo, the Buildkite agent, Spinnaker's
//! halconfig, Redmine, a YugabyteDB flag file, Temporal, Netflix Conductor, Apache Camel,
//! ShardingSphere-Proxy, Cassandra Reaper, Kafka Cruise Control, Alluxio, Dagster, the
//! Prometheus blackbox exporter and Apache Kylin, every product new to the scanner. Its first
//! run: recall 0.88, precision 0.79, ports 0.94. The rules written from it (Geode's
//! `host[port]`; fields after `host:port`, Dynomite's `host:port:rack:password`; a flag file's
//! `--key=value`; a broadcast address; the Buildkite agent's `health-check-addr`; Ignite's
//! `localHost`; a web server's own `http.address`; an avatar server; what a probe sends) bring
//! it to the floors below. Still wrong: own names under plain keys (Alluxio's
//! `worker.hostname`, Pinot's `controller.host`, Camel's `rest.host`, Spinnaker's
//! `overrideBaseUrl`, Temporal's own `rpcAddress`), a TLS block's `serverName`, Ignite's client
//! connector bean, a map of hosts to ports (Reaper's `jmxPorts:`; a review showed the same
//! shape holding AS numbers, MTUs and weights).

mod corpus;

corpus::written_blind!(
    "refs_formats21",
    floors: (0.96, 0.91, 0.98),
    secrets: [
        "Ax21-s3-Oq58Mz",
        "Bb21-oauth-Nk73Dq",
        "Cc21-kafka-Lp37Gu",
        "Cc21-trust-Vx94Ob",
        "Cc21slackHk55Ta",
        "Cd21-amqp-Ry85Fa",
        "Cd21-es-Nu42Zh",
        "Cd21-lock-Ge17Mq",
        "Cd21-pg-Vt63Kb",
        "Cd21-redis-Pj90Ws",
        "Cm21-amq-Jn58Sg",
        "Cm21-kafka-Xr30Pe",
        "Cm21-pg-Fi93Ka",
        "Cm21-s3-Qz46Hc",
        "Cm21-sftp-Te15Vo",
        "Cm21-trust-Wb77Du",
        "Dg21-pg-Ei27Pk",
        "Dg21-reg-Sw64Jb",
        "Gf21-ks-Xe62Bq",
        "Gf21-peer-Rk55Dn",
        "Gf21-ts-Hy40Wz",
        "Ig21-ks-Pr64Ja",
        "Ig21-pg-Wd38Nc",
        "Ig21-ts-Cu07Lm",
        "Jg21-cql-Fs28Vk",
        "Jg21-es-Wm93Gt",
        "Jg21-trust-Qn71Hp",
        "Ky21-ldapEnc-Fm48Ud",
        "Ky21-mail-Wt35Jg",
        "Ky21-meta-Hx62Rc",
        "Pn21-admin-Tz46Ku",
        "Pn21-analyst-Mb19Yd",
        "Pn21-s3-Lw83Ve0Qa",
        "Rm21-cipher-Zg62Tb",
        "Rm21-smtp-Ka39Wp",
        "Rp21-cql-Io83Gn",
        "Rp21-jmx-Ud46Ce",
        "Rp21-jwt-Qo52Nv8HsLw3Tb6YcPzE0aRk",
        "Rp21-ui-Ah19Wj",
        "Sp21-harbor-Ne36Ka",
        "Sp21-jenkins-Oi23Fv",
        "Sp21-s3-Yq80Jc",
        "Ss21-aes-Pf70Yx",
        "Ss21-ds0-Mc84Lq",
        "Ss21-ds1-Rn29Tv",
        "Ss21-rep-Ke63Wd",
        "Tm21-es-Lc26Vd",
        "Tm21-pg-Bw58Ry",
        "Tp21-rw-Gx75Ns",
        "Tp21-s3-Dj48Qu",
        "Yb21-ldap-Hv14Xo",
        "Zp21-ks-Vn52Rw",
        "Zp21-mongo-Hq84Tx",
        "bkct_Bk21tokenR7fW93xLq0ZpV2e",
        "ghp_Sp21githubTk94Lw",
        "hvs.Cm21vaultTk08Ly",
        "xoxb-Sp21-slack-Ua57Rm",
    ]
);
