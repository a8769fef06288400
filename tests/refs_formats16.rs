//! The scanner on a fourteenth set of formats, written blind (issue 26): OpenSearch
//! Dashboards, Sentry, Rocket.Chat, Couchbase Sync Gateway, a SeaweedFS filer, GoCD, a
//! Concourse worker, Argo CD, the kubelet, Vaultwarden, Gotify, ejabberd, restic, HAProxy's
//! Data Plane API, vmagent, Grafana Mimir, pg_service.conf, pgAdmin, Auditbeat and Blocky.
//! Held out until the rules of the sets before it were written, then scored once here: recall
//! 0.84, precision 0.65, ports 0.94. The rules written from it (a quoted key of an inline map
//! is no host; an attribute's URL follows its key, GoCD's `siteUrl`; systemd's
//! `Documentation=`; Perforce depot views; Mimir's `dns+` addresses; vmagent's
//! `-httpListenAddr`; the `ip` of an address in a listen block) bring it to 0.87, 0.70 and
//! 0.93. Still wrong: DNS servers handed to containers and pods
//! (`clusterDNS`); Blocky's own records; Argo CD's own URLs; Sentry's and Vaultwarden's bind
//! addresses under plain keys.

mod corpus;

corpus::written_blind!(
    "refs_formats16",
    floors: (0.90, 0.76, 0.95),
    secrets: [
        "Qp4-osd-kS7vRm2wL9",
        "Qp4-osd-oidc-Hn3xT8",
        "Qp4-sentry-db-Vb72kQ",
        "Qp4-sentry-sk-9fLm2PzRw7Yt",
        "Qp4-sentry-mq-Tq5n",
        "Qp4-rc-mongo-W8z1pK",
        "Qp4-rc-ldap-Mv6d",
        "Qp4-sgw-cb-Jr5tXa",
        "Qp4-swfs-pg-Lx3cN7",
        "Qp4-swfs-rc-Fz8e",
        "Qp4-gocd-agentkey-R2m8Zc",
        "Qp4-gocd-ldap-Pw41nV",
        "Qp4-gocd-smtp-Tz90",
        "Qp4-gocd-p4-Kw73",
        "Qp4-argo-dexdb-Yk83Hs",
        "Qp4-kubelet-manifest-Ud5rW2",
        "Qp4-vw-db-Ns41Lq",
        "Qp4-vw-admin-Gq2LmZ8rT",
        "Qp4-vw-push-Ce7yHb",
        "Qp4-vw-sso-Hd93Pw",
        "Qp4-vw-duo-Rt5sYv",
        "Qp4-gotify-oidc-Bm6tKc",
        "Qp4-gotify-db-Wz2f",
        "Qp4-gotify-admin-Jn8r",
        "Qp4-ejd-sql-Gk72",
        "Qp4-ejd-redis-Vp1x",
        "Qp4-ejd-ldap-Ce44",
        "Qp4-restic-rest-Hv3n",
        "Qp4-restic-s3-Zr8wLk1eT5",
        "Qp4-dpapi-deploy-Lk29Rs",
        "Qp4-vmagent-rw-Nf62Xd",
        "Qp4-vmagent-dr-Ua40",
        "Qp4-mimir-s3-Dv9kPw3x",
        "Qp4-pgsvc-report-Tm52",
        "Qp4-pga-cfg-Wd71Mx",
        "Qp4-pga-smtp-Ke38",
        "Qp4-pga-ldap-Zq09",
        "Qp4-pga-oidc-Vb55Rt",
        "Qp4-abeat-apikey-Rx41Mn",
        "Qp4-abeat-mon-Pk07",
        "Qp4-blocky-qlog-Sd62",
        "Qp4-blocky-redis-Hb90",
    ],
);
