//! The scanner on a twentieth set, written blind (issue 26): VyOS, BeeGFS's monitoring daemon,
//! an OpenAFS CellServDB, SimpleSAMLphp, Zitadel, Ory Hydra, LemonLDAP::NG, Zulip, Mailu,
//! Liquidsoap, the NetBird management server, Hiawatha, MeshCentral, Cobbler, Deadwood,
//! Nautobot, NTPsec, a Pacemaker CIB, phpIPAM and a LizardFS master, every product new to the
//! scanner. Held out until the rules written from set 21 were in, then scored once here: recall
//! 0.93, precision 0.54, ports 0.97, exactly as at the session's start (set 21's rules carried
//! over to it not at all; 31 of its 96 false ones were an AFS CellServDB's `#name` after each
//! address and its `>cell` lines). The rules written from it (a `#` after a blank starts a
//! comment; `>cell` lines; a key written as a subscript; `serve:` and `self:` blocks; a next
//! hop, a PXE next server; trusted proxies under three more names; `EXTERNAL_HOST`,
//! `HOSTNAMES`) bring it to the floors below. Still wrong: where
//! browsers are sent (Hydra's `urls:`, an IdP's `discoURL`), what a VPN's management server
//! hands its clients (NetBird's relay, signal and OAuth endpoints), Cobbler's settings for the
//! machines it installs, MeshCentral's `_`-prefixed (disabled) keys, Liquidsoap's
//! `settings.x.set(…)` calls, a Pacemaker fencing device's `ip` with its `ipport`.

mod corpus;

corpus::written_blind!(
    "refs_formats22",
    floors: (0.92, 0.73, 0.97),
    secrets: [
        "$6$cbLr0nd$Cb-Root-Crypt-Hash-77aKx91Qz0PmWv3Ts",
        "$6$rT0uNd5$Vy0sEdgeFra01HashQ2wLm8Kp3Zr7Xc9Nb4Hd6Jf1",
        "Bg-M0n-Infl-7734q",
        "Br4nch-ro-Kz81",
        "Cbl-Ldap-Bind-4826Sx",
        "Cbl-Tsig-Key-b64-9QzXw81LmTr3Vp0Ak5YsHe2Nd7Uf",
        "Hw-Challenge-5530Ke",
        "Hy-Cookie-Secret-61cZe4Tm",
        "Hy-Pairwise-Salt-18dKf0Vs",
        "Hy-Pg-Prod-5512Tq",
        "Hy-Sys-Secret-Cur-90aXk2Lp",
        "Hy-Sys-Secret-Old-33bQw7Rn",
        "Ipam-Maria-Prod-3357Ue",
        "Ipam-Proxy-Auth-8894Nq",
        "Lfs-Admin-Meta-2614Wc",
        "Llng-Conf-Pg-6620hW",
        "Llng-Ldap-Mgr-3391pZ",
        "Llng-Smtp-Relay-7713dQ",
        "Lqs-Harbor-Dj-6631Rm",
        "Lqs-Ice-Bkp-5507Hn",
        "Lqs-Ice-Src-1190Tb",
        "Lqs-Np-Token-2284Wy",
        "Mlu-Admin-Pg-3302Kf",
        "Mlu-Init-Admin-4450Zc",
        "Mlu-Rcube-Pg-9917Jx",
        "Mlu-Relay-Isp-7741Hd",
        "Mlu-Secret-Key-58QwErTy",
        "Msh-Ad-Bind-1149Nc",
        "Msh-Backup-Zip-6672Ve",
        "Msh-Db-Enc-5543Lo",
        "Msh-Mongo-8830Yt",
        "Msh-Session-Key-2271Qp",
        "Msh-Smtp-Relay-3018Bw",
        "Nb-Relay-Auth-3356Pq",
        "Nb-Store-Enc-Key-9921Xa=",
        "Nb-Turn-Hmac-7720Ls",
        "Nb-Turn-Static-4418Gv",
        "Nb-Zitadel-Svc-6604Mh",
        "Ntb-Django-Secret-7f3Kq9Lm2Wx8Rt",
        "Ntb-Ibx-Api-6673Ja",
        "Ntb-Napalm-2291Fd",
        "Ntb-Pg-Prod-4412Hc",
        "Ntb-Redis-8830Gy",
        "Pcmk-Ipmi-N1-5518Xe",
        "Pcmk-Ipmi-N2-7724Rb",
        "Rad-Ssp-Shared-8812mn",
        "Rad-Ssp-Shared-9923pk",
        "Ssp-Ldap-Bind-4471kR",
        "Ssp-Pg-Hr-2209vX",
        "Tr4p-fra-Wq55",
        "Zt-Db-Admin-Hh83Pz",
        "Zt-Db-User-Qm41Lw",
        "Zt-Redis-Vk27Nd",
        "Zt-Smtp-Relay-Bx90Fe",
    ]
);
