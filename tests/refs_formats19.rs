//! The scanner on a seventeenth set, written blind (issue 26): Apache NiFi, Hadoop YARN,
//! ArangoDB, the Db2 driver, a TeamCity agent, a Shibboleth SP, Apereo CAS, SOGo, Haraka,
//! Courier's authlib, a MooseFS chunkserver, H2O, OpenLiteSpeed, Proxmox Backup Server's
//! remotes, a NetworkManager keyfile, the Docker registry, Cloudera Hue, Apache Kudu, Apache
//! Storm and Dremio, every product new to the scanner. Held out until the session's first
//! rules were in, then scored once here: recall 0.87, precision 0.73, ports 0.96 (the same at
//! the session's start). The rules written from it (names matched or written: `*prefix`,
//! `match`, `entityID`; a listener element's address; a list's sibling port; a hostname URL of
//! another protocol than the web's; a gflags file's advertised addresses; a YAML key written
//! `host:port` over a block; an INI `[server]` section's `endpoint`) and those after bring it
//! to the floors below. Still wrong: NiFi's web host and Hue's (listen), Proxmox's section
//! names (`remote: colo`), Shibboleth's `<Host name=>` and discovery URL, SOGo's `WOPort`,
//! OpenLiteSpeed's `map` of a virtual host.

mod corpus;

corpus::written_blind!(
    "refs_formats19",
    floors: (0.93, 0.84, 0.99),
    secrets: [
        "Ad4-hue-Vp9sJc3m",
        "Cr3-courier-Vh8sDm1x",
        "Cs1-cas-Wn4tKp8v",
        "Db2-sales-Rf6kLp9t",
        "Dh5-reg-Zm2cVx8bRt4y",
        "Dk6-dremio-Wr3pMx9v",
        "Du8-cas-Qe5hJr1w3LxV",
        "Hk2-haraka-Mz6wTq4n",
        "Hq2-yarn-Zk8vPw4m",
        "Hs3-reg-Kf8wNb2yLd5q",
        "Hu3-hue-Secret-Xb8rKm5w",
        "Ks4-nifi-Vt8qRz2w",
        "Lb7-sogo-Qw3nVc5z",
        "Ld2-db2-Hx4mQw8z",
        "Ld9-cas-Pz3xRw7m",
        "Lp5-arango-Nq7cVb3e",
        "Mf5-moose-Rk9tLc2b",
        "Nm8-8021x-Gt3vLq6s",
        "Nt4-reg-Jh7sQd1kPw9e",
        "Oc2-nifi-Gm6tWy8d",
        "Pg4-cas-Tm8qLn2c",
        "Pg7-hue-Lq2wTn6c",
        "Rd6-cas-Yc2vNk9s",
        "Rp6-reg-Tc3xWm8v",
        "Sg4-sogo-Lx8pTm2d",
        "Sm3-cas-Bv7kWq2p",
        "St8-storm-Qk4vBn7x",
        "Tc7-agent-Jd3wXk5r9q",
        "Ts9-nifi-Hb5nXc1p",
        "Wf5-cas-signKey8Hn2",
        "Wq7-nifi-Kp3sLm9x",
        "S3k-reg-Vq9mPx4tHz7c",
        "UGIyLXBicy1Ocjd3S3MzZg==",
        "UGIzLXBicy1ZeDRtUWY4aA==",
        "UGI0LXBicy1XbzlkSG4ybA==",
        "UGI5LW9sZC1BYjNjRGU0Zg==",
        "UGI1LXBicy1MbTZ4VnoxYw==",
    ]
);
