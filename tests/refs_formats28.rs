//! The scanner on a twenty-sixth set, written blind (issue 26): getmail, nullmailer, a Swift
//! proxy, SFTPGo, log4net, Riemann, vmalert, flannel, radsecproxy, UnrealIRCd, Pure-FTPd's
//! MySQL backend, Athens, Paperless-ngx, Wiki.js, an MIT Kerberos KDC, Choria, privacyIDEA,
//! Jicofo, WAL-G and Dynomite, every product new to the scanner. Held out while the rules of
//! sets 26 and 27 were written: recall 0.81, precision 0.67 (strong references only) on its
//! first run, against 0.80 and 0.66 for the build before them. The rules written from it
//! (log4net's `<key value="…" />` elements as settings with sibling ports, a Go program's
//! `-flag=value \`, a `stats_address` and a `healthz-ip` where it serves, a `public-ip` its
//! own, a certificate's `ssl_hostname`) bring it to the floors below. Still wrong: Riemann's
//! Clojure maps (`{:host "x" :port 2003}`: the port on the line is missed), SFTPGo's
//! `bindings` and UnrealIRCd's `listen { ip …; }` (where they listen), Jicofo's HOCON blocks,
//! getmail's `-p` argument, privacyIDEA's node names, SFTPGo's passive IP and redirect URL,
//! UnrealIRCd's services and stats servers, and a Mongo URL of an Athens storage not in use.

mod corpus;

corpus::written_blind!(
    "refs_formats28",
    floors: (0.86, 0.73, 0.90),
    secrets: [
        "$argon2id$v=19$m=6144,t=2,p=2$Irc-Oper-Hash-Ww56Ya",
        "AKIAATHENSCORP7Q2X",
        "Ath-Basic-Pw-62Rn",
        "Ath-Mongo-Old-11Qa",
        "Ath-Pg-Index-48Vu",
        "Ath-Redis-Pw-93Lx",
        "Ath-S3-Secret-kP04mWq91ZrT",
        "Chr-Nats-Pass-40Yb",
        "Fln-etcd-Pw-4488xR",
        "Gm6-Imap-Rt48Xq",
        "Irc-Cloak-Key1-a8Fk2mQ0xZ",
        "Irc-Cloak-Key2-b7Gj3nR1yW",
        "Irc-Cloak-Key3-c6Hh4oS2vV",
        "Irc-Die-Pw-3318xx",
        "Irc-Link-Hub-4Kq9s1",
        "Irc-Restart-Pw-2209",
        "Irc-Svc-Link-77Pd3e",
        "Jcf-Focus-Pw-52Mx8n",
        "Jcf-Svc-Pw-19Kb3t",
        "L4n-Smtp-Rr61Vb",
        "L4n-Sql-Orders-X92p",
        "Nm17-Relay-pW93z",
        "PfM-MySQL-Ro-51Tz",
        "Ppl-Django-Secret-x7Qm2Wv9Lp4Rz",
        "Ppl-Oidc-Secret-13Jv",
        "Ppl-Pg-Pass-66Rt",
        "Ppl-Redis-Pw-27Ks",
        "Ppl-Smtp-Pass-92Dn",
        "PrI-Audit-Pw-71Fe",
        "PrI-Db-Pass-34Wc",
        "PrI-Pepper-Ro44Kd9",
        "PrI-Secret-Key-t83Lq0Zx5Vn",
        "Rmn-Influx-3kV8pQ",
        "Rmn-SlackHook-9xTz41",
        "Rsp-FTicks-Key-2207ab",
        "Rsp-KeyPass-73Mm1x",
        "Rsp-Nro1-Tls-5511",
        "Rsp-Nro2-Tls-7730",
        "Rsp-acct-Secret-19Xc",
        "Rsp-int-Secret-88Lp",
        "Rsp-int2-Secret-35Gh",
        "Rsp-local-Secret-04Tn",
        "Rsp-wlc-Secret-61Wq",
        "SG.fallback-Kd82-xT55qLmN0",
        "SfG-Smtp-Hh29Ke",
        "SfG-pg-Wq42Zr8n",
        "Sfg-Sign-Pp-6633-tnb",
        "Sw1ft-Ks-pass-77Qe",
        "VmA-am-Pw-81Hs0d",
        "VmA-ds-Pw-55Kt2r",
        "VmA-http-Zq71Ln",
        "WALGDRORDERS5J8R1T",
        "WALGORDERS7KQ2M4XB",
        "Wg-DR-Secret-Qp27mXe4aY9s",
        "Wg-S3-Secret-Zt81pLc0vQ3n",
        "Wg-Sodium-Key-0c1d2e3f4a5b6c7d8e9f",
        "Wjs-Pg-Pass-58Hc",
        "ghp_AthensCorp0000Tok9x8Lm",
        "oidc-Sftp-Cs81-Lq0v",
    ]
);
