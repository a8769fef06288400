//! The scanner on a twenty-fifth set, written blind (issue 26): Spring Cloud Config Server,
//! cloudflared, postgres_exporter's `/etc/default` file, isync, OfflineIMAP, XRDP, Directus,
//! PostgREST, Joomla, GitLab Pages, Gitaly, Serilog, systemd-timesyncd, apcupsd, Vault Agent,
//! Calico, Quartz.NET, proxychains-ng, redis_exporter's flags and sSMTP, every product new to
//! the scanner. Held out while the rules of set 26 were written: recall 0.85, precision 0.79
//! (strong references only) on its first run, against 0.87 and 0.80 for the build before
//! them (a camel-case reading took Eureka's `defaultZone` for a DNS zone; mended). The rules
//! written from it (a PHP class's `public $key`, ASP.NET's Kestrel endpoints, a `SOCKS5:`
//! transport, a token's audience, cloudflared's `metrics:` address) bring it to the floors
//! below. Still wrong: isync's port, taken from the account before (its blocks have no
//! header), PostgREST's `server-host` and apcupsd's `NISIP` (where they listen), a Gitaly
//! backup URL's `endpoint=` query, the own names of a Eureka instance and a Serilog
//! enricher, a Vault Agent template's text and proxychains's `dnat` match.

mod corpus;

corpus::written_blind!(
    "refs_formats27",
    floors: (0.95, 0.87, 0.97),
    secrets: [
        "4c7f1e2d8a9b",
        "AKIACMSMEDIA7Q2LX9",
        "Cs88-cfgAdmin-Tq41Vw",
        "Dx40-cmsDb-Hq83Lr",
        "Dx40-jwtSecret-Mw27Kc91Yt",
        "Em22-cmsSmtp-Kf68Xu",
        "Gp66-pagesCookie-Hm48Qw27Rx",
        "Gp66-pagesOauth-Vz13Ks",
        "Gt55-repoRead-Xm20Pz",
        "Gy08-gitalyToken-Rk52Nw",
        "Jm30-intraDb-Rc75Gy",
        "Jm30-siteSecret-Aw19Pe",
        "Mb93-imapArc-Hn47Qe",
        "Oc64-cmsSso-Tj81Ra",
        "Oi57-helpDesk-Vb82Ns",
        "Pc88-buildHttp-Ja14Wu",
        "Pc88-egressSocks-Yo37Nf",
        "Pg13-jwtSecret-Hx90Bd22Nq7Ew4Rt5Lp",
        "Pg13-restAuth-Ys54Cm",
        "Pm61-pgMon-Wr28Fb",
        "Px31-webProxy-Nd84Ka",
        "Qz34-schedDb-Mt71Ha",
        "Rb72-cfgBus-Lk39Hd",
        "Rd19-cmsCache-Gp52Vn",
        "Re45-redisExp-Gw29Lm",
        "Rj77-intraRedis-Lb05Ct",
        "Rj77-intraSess-Mq48Dz",
        "Sm45-intraMail-Ue62Jo",
        "Sq27-logWriter-Ck93Tb",
        "Sq27-ordersApp-Fv60Lh",
        "Sq27-seqIngest-Wn48Jx",
        "Ss52-relayAuth-Qe70Bv",
        "Sx77-cmsMedia-Bn36Wq",
        "Xr59-labVnc-Pd16Zt",
        "b21e4f7a90c3",
    ]
);
