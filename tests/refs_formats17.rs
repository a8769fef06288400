//! The scanner on a fifteenth set, written blind (issue 26): NSClient++, zrepl, EMQX, a
//! FreeRADIUS proxy, Zuul, MHA, SpamAssassin, OpenBSD's relayd, syslog-ng, Open Liberty,
//! HTCondor, a FreeSWITCH Sofia profile, lsyncd, Corosync, Stubby, Cntlm, GoBGP, ZNC, Apache
//! Druid and xl2tpd (four of them, HTCondor, FreeSWITCH, syslog-ng and Corosync, in formats an
//! earlier set has too). Held out until the rules of the session that wrote it were in, then
//! scored once here: recall 0.81, precision 0.77, ports 0.91 (those rules, written from the
//! errors of sets 4 to 16, changed none of it). The rules written from it then (a numbered INI
//! section's `hostname`; a JDBC `serverName` with its `portNumber`; syslog-ng's `host()`; a
//! conninfo after a scheme; rsync's `host::module`; a forward's `port:host:port`; ZNC's
//! `<Listener>` blocks) bring it to 0.90, 0.81 and 0.94.

mod corpus;

corpus::written_blind!(
    "refs_formats17",
    floors: (0.89, 0.83, 0.93),
    secrets: [
        "Rk8-cntlm-Pw-6Hs1Xa",
        "Rk8-cntlm-socks-Xw8Fb2",
        "Rk8-druid-admin-8Mx0Wt",
        "Rk8-druid-internal-Gc2Nr5",
        "Rk8-druid-meta-Yh3vQp",
        "Rk8-druid-s3-Fq9Lz2",
        "Rk8-emqx-bridge-Zt5Kd1",
        "Rk8-emqx-cookie-9fXtPq2L",
        "Rk8-emqx-dash-4LmWq0",
        "Rk8-emqx-mysql-Q7wPz1",
        "Rk8-emqx-redis-Hc8sNe",
        "Rk8-fs-carrierA-2Wq9Lm",
        "Rk8-fs-carrierB-Pn5Ge3",
        "Rk8-fs-odbc-Kx7Rt4",
        "Rk8-gobgp-md5-Tr4n51t",
        "Rk8-liberty-db-Nc5Tw3",
        "Rk8-liberty-ks-Vr4Tg9",
        "Rk8-liberty-ldap-7Yp2Qe",
        "Rk8-liberty-oidc-Ka1Qe6",
        "Rk8-liberty-rep-Mb8Xs2",
        "Rk8-mha-admin-5TgKw0",
        "Rk8-mha-repl-Zp7Lq3",
        "Rk8-nscp-f3Qw9ZtL",
        "Rk8-nscp-nrdp-Vb61xPq0",
        "Rk8-nscp-nsca-7Hd2Kq",
        "Rk8-radius-coa-Wd6Yh4",
        "Rk8-radius-flr-Xc93mTq",
        "Rk8-radius-nps-Lp2Vz8",
        "Rk8-radius-old-Ye5Jc0",
        "Rk8-sa-prefs-Lw2xB9",
        "Rk8-sa-redis-4mNq8Vd",
        "Rk8-sa-txrep-Gy5cP1",
        "Rk8-slng-es-Dk3vR8",
        "Rk8-slng-pg-Wm6tE1",
        "Rk8-znc-chankey-Qa4Tz9",
        "Rk8-znc-nickserv-Fe3Ws7",
        "Rk8-znc-srvpass-Jd82Lk",
        "Rk8-zrepl-my-Jw4nB8",
        "Rk8-zrepl-pg-Q2mXc7",
        "Rk8-zuul-db-Hq4sWm",
        "Rk8-zuul-gerrit-Tn3fXa",
        "Rk8-zuul-ghwh-Ue7pLs",
        "Rk8-zuul-keystore-8nRwz2Lf",
        "Rk8-zuul-mqtt-Bv9kRq",
        "Rk8-zuul-olddb-Vq1Hn6",
    ],
);
