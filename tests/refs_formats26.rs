//! The scanner on a twenty-fourth set, written blind (issue 26): Metricbeat, Thanos Query, the
//! LINSTOR controller, ISC dhcrelay, Jaeger v2, 389 Directory Server, Redash, Nacos,
//! Zigbee2MQTT, zot, MetalLB, a Stolon keeper, BigBlueButton, RethinkDB, Syncthing, MRTG,
//! Luigi, Conduit, CockroachDB and Misskey, every product new to the scanner. Held out while
//! the rules of set 25 were written: recall 0.87, precision 0.75 (strong references only) on
//! its first run. The rules written from it (a camel-case key read word by word where that
//! finds no server: `accessControlAllowOrigin`, `routerID`, `logoutURL`; a flag before a
//! command line's `\`; a database's URL under any key; a port under a mapping's opening key;
//! an LDIF entry's `dn:`; Conduit's `trusted_servers`; a port key holding a URL) bring it to
//! the floors below. Still wrong: MRTG's `Target[…]:` lines (community@host, read as a
//! comment after its `#`), the own listeners of Conduit's `[global]`, Syncthing's `<gui>` and
//! a Jaeger pull exporter, the own URLs of BigBlueButton, Redash, Misskey and Zigbee2MQTT's
//! frontend, Nacos's own `ip-address` and RethinkDB's `canonical-address`, and Misskey's
//! proxy bypass list.

mod corpus;

corpus::written_blind!(
    "refs_formats26",
    floors: (0.94, 0.83, 0.97),
    secrets: [
        "Bbb7-redis-Lk38Wz",
        "Bbb7-salt-Xe62Tn-Qa19",
        "Cdt9-reg-Ju46Ym",
        "Cdt9-turn-Lq83Vb",
        "Dsr9-chain-Bn84Tc",
        "Dsr9-cons-Pv71Xh",
        "Dsr9-repl-Mf35Kw",
        "Dsr9-root-Yt62Bq",
        "Jg2-es-Kd48Wm",
        "Lg6-dd-api-Pn52Ht",
        "Lg6-dd-app-Mz19Xa",
        "Lg6-hist-Cv38Rk",
        "Lg6-smtp-Ws71Dq",
        "Ls4-db-Tq81Nc",
        "Ls4-ks-Vm27Pd",
        "Ls4-luks-Gz59Wq",
        "Ls4-ts-Hx64Rb",
        "Mb7-es-Hn26Vk",
        "Mb7-mysql-Rq42Xz",
        "Mb7-pg-Wv58Ty",
        "Mb7-redis-Lp93Jd",
        "Mlb-bgp-Ra58Qe",
        "Mlb-bgp-Tw17Kc",
        "Mr2-auth-Wd54Lc",
        "Mr2-priv-Yn81Qs",
        "Mr2-ro-Fk39Zp",
        "Msk5-db-Ry73Ca",
        "Msk5-dbro-Ge29Np",
        "Msk5-jobs-Kv18Hx",
        "Msk5-meili-Bz52Qf",
        "Msk5-redis-Tw64Jd",
        "Nc3-db0-Wq74Rz",
        "Nc3-db1-Hy28Mc",
        "Nc3-ident-Pb65Ju",
        "Nc3-ldap-Xs93Gv",
        "Rd5-cookie-Tg48Lx",
        "Rd5-ldap-Ke36Bu",
        "Rd5-meta-Zc27Hq",
        "Rd5-redis-Nw63Fp",
        "Rd5-secret-Jm92Ve",
        "Rd5-smtp-Qa51Ys",
        "Rdb4-admin-Hs57Gy",
        "Stk1-repl-Gd94Vh",
        "Stk1-su-Nm26Ce",
        "Syn3-api-Wb82Hq-Tc45",
        "TmMzLXRva2VuLUtyNDFEYS1jb3JwLWV4YW1wbGUtbmV0LXByb2Q=",
        "ZOTPRODACCESS7Q2K",
        "Zb2-mqtt-Fe47Ns",
        "Zb2-ui-Wr83Kt",
        "Zt8-s3-Bv41Lr-Kp06",
    ]
);
