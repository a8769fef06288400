//! The scanner on a twenty-first set, written blind (issue 26): Openfire, Apache James's mailet
//! container, Apache Flume, Apache Drill, Centrifugo, PeerTube, i2pd, apt-cacher-ng, Frigate,
//! Home Assistant, Collabora Online, Outline, Foreman, Node-RED, Traccar, Matomo, OpenStack
//! Keystone, Alfresco, sslh and Frappe, every product new to the scanner. Held out until it was
//! scored once, with every rule of the sets before it: recall 0.87, precision 0.72, ports 1.00.
//! The rules written from it (a `listen:` block's `hostname` and its libconfig or JSON list, an
//! object on one line, the `http:` and `webserver:` blocks, a source's address, a key written
//! as an attribute, PHP INI lists, names matched and never reached: `sni`, `referer`,
//! `frame_ancestors`, `ssl.trust`; an OAuth authorization or callback URL, `fqdn`, a path after
//! a scheme, a template in a URL's user info, servers in a URL's query, a client block's
//! `base_url` with its port, a section named for its item) bring it to the floors below, and
//! two of them corrected older sets (AdGuard's and the registry's `http:` addresses). Still
//! wrong: Centrifugo's and i2pd's listeners named `address` at the top or in a protocol's
//! section, Traccar's protocol addresses, Node-RED's `uiHost`, an OIDC `issuer` it only
//! compares, own names under plain keys (`alfresco.host`, `URL=`, `host_name`, `web.url`).

mod corpus;

corpus::written_blind!(
    "refs_formats23",
    floors: (0.94, 0.86, 0.99),
    secrets: [
        "7702114455:AAH-Tr42tg-Kq55Wd",
        "Ac71-admin-Hy40Kp",
        "Ac71-proxy-Se95Ud",
        "Af36-amq-Ty52Gc",
        "Af36-db-Mz91Ks",
        "Af36-ldap-Ni44Wu",
        "Af36-solr-Ew07Rb",
        "Cf83-admin-Lp64Qs",
        "Cf83-adminsec-Ve19Ka",
        "Cf83-api-Gd27Wx",
        "Cf83-pg-Bt70Ry",
        "Cf83-redis-Jn52Hu",
        "Co31-admin-Hg72Yr",
        "Co31-deepl-Wf58Ip",
        "Dr55-ks-Hq12Lw",
        "Dr55-ts-Yc47Ob",
        "Ep50-root-Vn63Lp",
        "Ep50-rq-Dm84Ue",
        "Ep50-smtp-Xh17Ra",
        "Ep50enc-q3ZbX8tY1vR6wK2mN9pL4sD7fG0hJ5cB=",
        "Fg66-camN-Rt41Bv",
        "Fg66-camS-Jw08Hz",
        "Fg66-onvif-Mc90Ej",
        "Fg66-rtsp-Nu27Kd",
        "Fl62-kafka-Rw88Nd",
        "Fm20-oauth-Qa81Xv",
        "Fm20kGd9F2vXq8WmZc",
        "Ha24-db-Pv61Wg",
        "Ha24-influx-Xt09Ls",
        "Ha24-tariff-Dy85Ao",
        "I2-ctl-Ob38Rq",
        "I2-web-Nz73Fh",
        "Jm58-relay-Tk03Vb",
        "Ks77-db-Vr29Lf",
        "Ks77-ldap-Ho58Zq",
        "Ks77-osprofiler-Yt40Bg",
        "Ks77-rabbit-Pd13Ew",
        "Mt09-db-Jr44Sd",
        "Mt09-dbro-Wy18Gk",
        "Mt09-ldap-Fq63Tn",
        "Mt09-proxy-Ak02Xe",
        "Mt09-redis-Cu86Ni",
        "Mt09-smtp-Ob75Yh",
        "Mt09salt5f2e8a1c7d3b49e06f7a2c1d8b3e",
        "Nr13-cred-Yw56Ta",
        "Nr13-oidc-Kc84Ms",
        "Nr13-redis-Ge29Dn",
        "Of47-db-Xq81Tz",
        "Of47-ldap-Wm29Pe",
        "Ol88-db-Nw35Jc",
        "Ol88-iframely-Zb46Lc",
        "Ol88-oidc-Vh93Gd",
        "Ol88-redis-Tq24Ke",
        "Ol88-s3-Pm17Ux",
        "Ol88-secret-4b7e19c2d05af63e8c1d",
        "Ol88-smtp-Ej50Wo",
        "Ol88-utils-Ra62Bs",
        "Pt19-db-Qw83Zn",
        "Pt19-redis-Ua46Ce",
        "Pt19-s3-Ge64Vt",
        "Pt19-secret-9f3c2a7e41d8b6",
        "Pt19-smtp-Kx57Mb",
        "Tr42-db-Fs63Hn",
        "Tr42-hook-Ua08Pc",
        "Tr42-ldap-Cx36Vm",
        "Tr42-smtp-Lb71Qe",
        "ol88sentrykey4f1d2c",
    ]
);
