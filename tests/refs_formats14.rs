//! The scanner on a twelfth set of formats, written blind (issue 26): MinIO's environment file,
//! a Kafka client's properties, NGINX Unit, Traffic Server's parent.config, the Woodpecker and
//! Drone agents, Rundeck, a Salt master, PuppetDB's client config, carbon-c-relay, Mumble,
//! Asterisk's chan_sip, NSCA, Guacamole, repmgr, the Galera arbitrator, a Zabbix proxy,
//! Heartbeat, Dex and oauth2-proxy. Held out until the rules of the sets before it were
//! written, then scored once here: recall 0.68, precision 0.58, ports 0.86 (its tester wrote a
//! port only where the host's own line gives it, so a port the scanner takes from a sibling key,
//! `host:` then `port: 5432`, counts as a miss and a false reference here; without ports the
//! first score is 0.79 and 0.68). The rules written from it then (a bind address in one word,
//! `udpbindaddr`; a health check's address; a listen key inside a value, Galera's
//! `gmcast.listen_addr=`; weights after `|` in a list of parents; every domain written in one
//! word; an external host; text, footers and HTTP headers; an OAuth `redirectURI`; the roles
//! listed under a role key; a daemon's `--address` flag; NGINX Unit's listeners, written as
//! keys) bring it to 0.75, 0.68 and 0.87; a line of pairs read pair by pair (Traffic Server's
//! `dest_domain=x parent="a:8080|1.0"`), to 0.78, 0.68 and 0.88. Still wrong: the listen addresses of carbon-c-relay's
//! `listen` block and of Mumble's `host=`; own public URLs under plain keys (`issuer`,
//! `framework.server.url`, `MINIO_SERVER_URL`); Asterisk's `register =>`.

mod corpus;

corpus::written_blind!(
    "refs_formats14",
    floors: (0.80, 0.71, 0.88),
    secrets: [
        "Vq8#mZ2r!pLs7TnE",
        "minio-0ld-r00t",
        "Ld4p-b1nd-2023!q",
        "oidc-Zt9k2WqRx7vB",
        "kfk-Ev3nts-pR0d",
        "pgEv-44xLm",
        "r3d1s-N0tify",
        "aud1t-7f3c9e2b",
        "kAfk4-0rd3rs-Scr4m",
        "tRust-St0re-91",
        "sR-b4sic-Auth-55",
        "Sh0p-DB-pw-2024",
        "4f2a9c1e",
        "wp-4g3nt-S3cr3t-d9f1c0",
        "changeme-wp-2021",
        "dr0ne-RPC-7a61e5b2c4",
        "runnerUI-p4ss-88",
        "secPlug-Tk-3f9a",
        "regPlug-Tk-c21e",
        "Rdk-cl1-Adm1n-x7",
        "J1ra-Rdk-n0tif-5",
        "xq8mb3tfhjgz5k1w7c4n2p6rda",
        "pd-9c2e4a7b1f",
        "sAlt-JobC4che-19",
        "r3d-SaltC-0420",
        "5b1a7f3e-salt-master",
        "9e4d-salt-secret-id-7c2b",
        "sAlt-LdapB1nd-3",
        "Murmur-Db-6tq2",
        "ic3-R34d-s3cret",
        "ic3-Wr1te-s3cret",
        "V0ice-J01n-2024",
        "reg1ster-Vo1ce-k",
        "Tr0nk-Reg-p4ss",
        "Bkp-Reg-88q",
        "oldTrunk-pw-01",
        "Tr0nk-Peer-s3c",
        "Ext1001-x9Rq",
        "nsca-0ld-DMZ",
        "Nsca-Dmz-k3y-2020",
        "Guac-My5ql-pw-61",
        "guacTrust-0815",
        "Guac-Ld4p-b1nd-7",
        "r4dius-Guac-Shared",
        "repmgr-0ld-pw",
        "Rpm-n0tify-T0k",
        "Zbx-Pr0xy-DB-33",
        "hvs.zbxOLDvaultTOKEN9",
        "Kib-Setup-hb-21",
        "Hb-Wr1ter-es-58",
        "Dex-Pg-st0re-12",
        "gr4fana-dex-Cl1ent",
        "Dex-Ld4p-b1nd-90",
        "ghe-0auth-s3cr3t-4e",
        "partner-oidc-S3c-77",
        "oa2p-Cl1ent-S3cret-k8",
        "q3Yx0pT8vN2mK5sR7wA1cE4fH6jL9bZd",
        "Oa2p-R3dis-pw-40",
    ],
);
