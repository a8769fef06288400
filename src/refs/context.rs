//! Where a line says what its words are: `key = value` and `key: value` pairs, directives
//! (`server ntp1 iburst`), and YAML lists under a key. A key like `seeds` or `REDIS_HOST`
//! makes bare names in its value hosts; a key like `server_name` makes none of them, and a key
//! like `bind` makes its addresses the host's own (listen addresses).

use super::tokens::{byte_table, ends_with_ignore_case};
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// Letters, digits, `_`, `.` and `-`: the bytes of a key.
pub(super) static KEY_BYTE: [bool; 256] = byte_table(b"_.-", true, false);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum KeyKind {
    /// Its value names hosts, even bare single words.
    Hosts,
    /// Its value names a host only with an address's evidence (an IP, a dotted name, a
    /// `host:port`): a bare word under `master` or `proxy` is a role, a name defined elsewhere
    /// or a flag (`master agentx`, Knot's `master: primary`, `proxy=y`).
    HostsWithEvidence,
    /// Its value names no other host: this host's own name, a bind address, a version
    /// (`1.2.3.4`) or an image (`redis:7`). Nothing in it is a reference.
    NoHosts,
    /// Its value is where the service listens: addresses that must be the host's own.
    Listen,
    /// An access rule (`acl`, `allow-transfer`, `restrict`, `access-control`, `rocommunity`):
    /// the clients let in or kept out, networks or single addresses, never a server to reach.
    Access,
    /// A container image: its first path component names a registry when it has a dot, a port
    /// or is `localhost` (the rule of `docker pull`).
    Image,
    Other,
}

/// What a key says of its value. A key written in camel case is also read word by word
/// (`accessControlAllowOrigin` as `access_Control_Allow_Origin`, `routerID` as `router_ID`),
/// and that reading is taken where it finds no server: the words of the rules below then
/// apply to keys of every spelling, while the camel-case words they already name (`redirectURI`,
/// `agentAddress`) keep their meaning.
pub(super) fn classify(key: &str) -> KeyKind {
    let kind = classify_segments(key);
    if matches!(kind, KeyKind::NoHosts | KeyKind::Access | KeyKind::Listen) {
        return kind;
    }
    match camel_words(key) {
        // (C#'s and Buildbot's `BaseUrl` is an API's, a `base_url` alone a site's own; Eureka's
        // `defaultZone` lists its servers, a `zone` is DNS's.)
        Some(_) if key.eq_ignore_ascii_case("baseurl") || key.ends_with("Zone") => kind,
        Some(words) => match classify_segments(&words) {
            split @ (KeyKind::NoHosts | KeyKind::Access) => split,
            _ => kind,
        },
        None => kind,
    }
}

/// `key` with a `_` at each camel-case word's start (`logoutURL` -> `logout_URL`,
/// `nsDS5ReplicaHost` -> `ns_DS5_Replica_Host`), or `None` when it has none.
fn camel_words(key: &str) -> Option<String> {
    let bytes = key.as_bytes();
    let starts_word = |i: usize| {
        let (before, c) = (bytes[i - 1], bytes[i]);
        c.is_ascii_uppercase()
            && (before.is_ascii_lowercase()
                || before.is_ascii_digit()
                // The last capital of an acronym starts the next word: `DBHost`.
                || before.is_ascii_uppercase() && bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase))
    };
    let mut words = String::new();
    let mut from = 0;
    for cut in (1..bytes.len()).filter(|&i| starts_word(i)) {
        words.push_str(&key[from..cut]);
        words.push('_');
        from = cut;
    }
    (from > 0).then(|| words + &key[from..])
}

/// Runs on nearly every distinct key: one pass lowers the key into a stack buffer and finds its
/// last segment (skipping a numbered entry's number: `server.1`, `nodes.2`), then byte matches
/// (a few length and word comparisons) classify it.
fn classify_segments(key: &str) -> KeyKind {
    let mut buf = [0u8; 64];
    let Some(lower) = buf.get_mut(..key.len()) else {
        return KeyKind::Other;
    };
    // One pass lowers the key and reads its segments: the last one (a segment of digits only,
    // or an empty one, is never the last: `server.1`), and what any of them says (`allow`,
    // `advertise`).
    let key = key.as_bytes();
    let (mut last, mut previous, mut says) = (0..0, 0..0, Says::Nothing);
    let mut before_last = 0..0;
    let (mut start, mut digits) = (0, true);
    for end in 0..=key.len() {
        if let Some(&c) = key.get(end) {
            lower[end] = c.to_ascii_lowercase();
            if !matches!(c, b'.' | b'_' | b'-' | b' ' | b'[' | b']' | b'\'' | b'"') {
                digits &= c.is_ascii_digit();
                continue;
            }
        }
        // (Two letters: flannel's `healthz-ip`.)
        if end - start >= 2 {
            says = says.max(segment_says(&lower[start..end], &lower[previous.clone()]));
        }
        if !digits {
            (before_last, last) = (last, start..end);
        }
        previous = start..end;
        (start, digits) = (end + 1, true);
    }
    let lower = &*lower;
    // `server.host`, a level of a hierarchy, not `server_host` (JupyterHub's
    // `c.LDAPAuthenticator.server_address` is the LDAP server's).
    let last_is_a_level = last.start > 0 && lower[last.start - 1] == b'.';
    // The last segment as written, for its case.
    let written_last = &key[last.clone()];
    let (last_segment, previous_of_last) = (&lower[last], &lower[before_last.clone()]);
    // `hostname` alone, and after a word that makes it this host's (`visible_hostname`,
    // `primary_hostname`), is its own name; after what names another (Debezium's
    // `database.hostname`, pgpool's `backend_hostname0`), that one's.
    let numbered = last_segment
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    // (pgpool's `hostname0`, one of a numbered list, names a peer; a `vcenter_fqdn` is as
    // `hostname` after a word, where a `local_fqdn` is this host's.)
    let other_hostname = matches!(
        &last_segment[..last_segment.len() - numbered],
        b"hostname" | b"fqdn"
    ) && (!previous_of_last.is_empty() || numbered > 0)
        && !matches!(
            previous_of_last,
            b"visible"
                | b"primary"
                | b"unique"
                | b"my"
                | b"own"
                | b"local"
                | b"public"
                | b"canonical"
                // getmail's `ssl_hostname`: the name its server's certificate must carry.
                | b"ssl"
                | b"tls"
                | b"system"
                | b"this"
                | b"self"
        );
    let whole = KEY_WORDS.get(lower).copied().unwrap_or_default();
    let last = KEY_WORDS.get(last_segment).copied().unwrap_or_default();
    let has = |word: u8, said: KeyWord| word & (1 << said as u8) != 0;
    // In a hierarchy of keys, `server.*` and `web.*` set this service's own server: Kibana's
    // `server.host`, Spring's `server.address`, `xpack.reporting.kibanaServer.hostname`,
    // SonarQube's `sonar.web.host`.
    let own_server = last_is_a_level
        && (previous_of_last.ends_with(b"server") || matches!(previous_of_last, b"web" | b"webui"))
        && matches!(
            last_segment,
            b"host" | b"hostname" | b"address" | b"addr" | b"ip"
        );
    // Where this service's own web server binds: PowerDNS's `webserver-address`, Airflow's
    // `web_server_host` (`http_addr` and `metrics_host` name a server as often as a bind).
    let own_listener = matches!(
        last_segment,
        b"host" | b"address" | b"addr" | b"ip" | b"port"
    ) && (previous_of_last == b"webserver"
        || previous_of_last == b"server" && lower.starts_with(b"web")
        // Cruise Control's `webserver.http.address`.
        || matches!(previous_of_last, b"http" | b"https") && lower.starts_with(b"webserver."));
    // The Buildkite agent's `health-check-addr`: where it answers its health checks (a
    // balancer's `health_check_address` is a backend's, which it probes), and Ignite's
    // `localHost`.
    let own_address = lower == b"health-check-addr" || last_segment == b"localhost";
    // Riak's `listener.protobuf.internal`, RabbitMQ's `listeners.tcp.default`: a listener by
    // its protocol and name.
    // Deeper keys are a listener's options (EMQX's `listeners.ssl.default.ssl_options.ocsp.
    // responder_url` is a server reached).
    let listener_tree = (lower.starts_with(b"listener.") || lower.starts_with(b"listeners."))
        && memchr::memchr_iter(b'.', lower).count() <= 2;
    // Flume's `agent.sources.syslog-in.host`: a source's address is where it listens (its
    // `sinks` are reached), as in Vector's `[sources.x]`.
    let source_address = last_is_a_level
        && matches!(last_segment, b"host" | b"bind" | b"address" | b"addr")
        && lower.windows(9).any(|w| w == b".sources.");
    if has(whole, KeyWord::Listen)
        // Aerospike's `mesh-seed-address-port 10.0.0.12 3002`, TiDB's `local-agent-host-port`:
        // a peer's address and port.
        || has(last, KeyWord::ListenAsLast) && !matches!(previous_of_last, b"address" | b"host")
        || own_listener
        || own_address
        || listener_tree
        || source_address
        || says == Says::Listen
        || own_server
    {
        KeyKind::Listen
    } else if says == Says::Access
        // Conduit's `trusted_servers`: the notaries it asks for other servers' keys.
        && !(previous_of_last == b"trusted" && last_segment == b"servers")
    {
        KeyKind::Access
    } else if says == Says::Own
        // (Syncthing's `globalAnnounceServer` is the discovery server it announces to.)
        && !last_segment.ends_with(b"server")
        || own_url(lower, previous_of_last, last_segment)
        // OpenStack's `my_ip`, k3s's `node-ip` and `node-external-ip`, Rocket.Chat's
        // `INSTANCE_IP`: this host's own address, told to the others.
        || matches!(previous_of_last, b"my" | b"instance") && names_one_address(last_segment)
        // (`REDIS_EXTERNAL_HOST` is a server reached from outside a cluster.)
        || matches!(previous_of_last, b"external" | b"public")
            && matches!(last_segment, b"ip" | b"address" | b"addr")
        // NiFi's `nifi.cluster.node.address`: this node's, told to the cluster (a
        // `primary_node_ip` is another's).
        || matches!(lower, b"node-ip" | b"node_ip" | b"nodeip")
        || lower.ends_with(b"cluster.node.address")
        // What it hands its clients: the kubelet's `clusterDNS`, k3s's `cluster-dns`,
        // Libreswan's `modecfgdns` (a VPN client's resolvers).
        || matches!(last_segment, b"clusterdns" | b"modecfgdns" | b"modecfgwins")
        || previous_of_last == b"cluster" && last_segment == b"dns"
        // sslh's `sni_hostnames`: the names a TLS client asks for, matched.
        || previous_of_last == b"sni"
        // Dendrite's `well_known_server_name`: the name it tells other servers to reach it by.
        || lower.starts_with(b"well_known")
        // Kibana's `server.name`, CAS's `cas.server.name`: this server's own name or URL.
        || last_is_a_level && previous_of_last == b"server" && last_segment == b"name"
        // Asterisk's `external_media_address` and `externhost`: the name this host is reached
        // by from outside (a chart's `externalRedisHost` is a server it reaches).
        || (lower.starts_with(b"external") && matches!(last_segment, b"address" | b"addr" | b"ip"))
        || matches!(last_segment, b"externhost" | b"externip" | b"externaddr")
        || has(whole, KeyWord::NoHosts)
        || has(last, KeyWord::NoHostsAsLast)
        // A Content-Security-Policy's `img-src`: what browsers may load, not a server.
        || last_segment == b"src" && is_csp_directive(previous_of_last)
        // DNS domains written in one word, as `auth0_domain` is in two (frp's `customDomains`,
        // Slurm's `MailDomain`, Asterisk's `fromdomain`): name spaces, not servers.
        || last_segment.ends_with(b"domain")
        || last_segment.ends_with(b"domains")
        // Pulsar's `superUserRoles`: names of roles, whatever they look like; Jenkins's
        // `systemMessage`, prose; Orchestrator's `DetectClusterAliasQuery`, SQL.
        || last_segment.ends_with(b"roles")
        || last_segment.ends_with(b"message")
        || last_segment.ends_with(b"query")
        // A metric name's or a registry mirror's prefix (Graphite's `prefix: "storm.prod"`,
        // StatsD's `globalPrefix`, `registries.conf`'s `prefix = "docker.io"`), what a request
        // or a certificate must match (PJSIP's `match=`, NetworkManager's
        // `domain-suffix-match`), a SAML `entityID` and a certificate's `tls-san`: names,
        // matched or written, never reached.
        || last_segment.ends_with(b"prefix")
        || matches!(last_segment, b"match" | b"entityid" | b"san" | b"sans")
        // kubeadm's `certSANs`: the names its certificate is issued for.
        || last_segment.ends_with(b"certsans")
        || [&b"next-server"[..], b"next_server", b"nextserver"]
            .iter()
            .any(|k| lower.starts_with(k))
        || (lower.contains(&b'v') && lower.windows(7).any(|w| w == b"version"))
        || browser_endpoint(lower, previous_of_last, last_segment)
        // Openfire's `<fqdn>`, Foreman's `:fqdn:`: this host's own full name (a
        // `vcenter_fqdn` is a server's).
        || lower == b"fqdn"
    {
        KeyKind::NoHosts
    } else if matches!(last_segment, b"address" | b"addr") && names_one_mailbox(lower) {
        // Nextcloud's `mail_from_address`, `sender_address`: a mailbox, not a server.
        KeyKind::NoHosts
    } else if last_segment == b"image"
        // kubeadm's `imageRepository`: where its images are pulled from.
        || last_segment == b"imagerepository"
    {
        // `image`, GitLab Runner's `helper_image`: a container image, whose registry is reached.
        KeyKind::Image
    } else if has(last, KeyWord::RoleAsLast)
        // freshclam's `HTTPProxyServer`, Zabbix's `JavaGateway`: a server, or `yes`; i2pd's
        // `ntpservers`, freshclam's `DatabaseMirror`.
        || (last_segment.len() > 6 && last_segment.ends_with(b"server"))
        || (last_segment.len() > 7 && last_segment.ends_with(b"servers"))
        || (last_segment.len() > 6 && last_segment.ends_with(b"mirror"))
        || (last_segment.len() > 7 && last_segment.ends_with(b"gateway"))
        // frp's `serverAddr`, a `DBAddress`: an address, its word in camel case (or a
        // mailbox's, a device's: `adminAddress`, `ip_addrs: [eth0]`).
        || camel_word_last(written_last, b"addr")
        || camel_word_last(written_last, b"address")
    {
        KeyKind::HostsWithEvidence
    } else if has(last, KeyWord::HostsAsLast)
        || lower == b"also-notify"
        || other_hostname
        || (last_segment.len() > 4 && last_segment.ends_with(b"host"))
        // Puppet's `server_list`, a `broker_list`: a list of what the word before names.
        || last_segment == b"list"
            && has(
                KEY_WORDS.get(previous_of_last).copied().unwrap_or_default(),
                KeyWord::HostsAsLast,
            )
    {
        KeyKind::Hosts
    } else {
        KeyKind::Other
    }
}

/// Whether a key's last segment, as written, ends with `word` (lowercase) as a camel-case word
/// after another: `serverAddr`, not `stunaddr` nor `addr`.
fn camel_word_last(segment: &[u8], word: &[u8]) -> bool {
    let Some(cut) = segment.len().checked_sub(word.len()).filter(|&cut| cut > 0) else {
        return false;
    };
    segment[cut].is_ascii_uppercase() && segment[cut..].eq_ignore_ascii_case(word)
}

/// What a word of the lists below says as a whole key or as a key's last segment: one bit each
/// of the word's flags.
#[derive(Clone, Copy)]
enum KeyWord {
    Listen,
    ListenAsLast,
    NoHosts,
    NoHostsAsLast,
    RoleAsLast,
    HostsAsLast,
}

/// Every word of the lists with what it says: `classify` runs on nearly every line, and two
/// hash lookups cost less than comparing the key with each of the lists' 142 words.
static KEY_WORDS: LazyLock<FxHashMap<&'static [u8], u8>> = LazyLock::new(|| {
    let mut words = FxHashMap::default();
    for (list, flag) in [
        (LISTEN_KEYS, KeyWord::Listen),
        (LISTEN_LAST, KeyWord::ListenAsLast),
        (NO_HOSTS_KEYS, KeyWord::NoHosts),
        (NO_HOSTS_LAST, KeyWord::NoHostsAsLast),
        (ROLE_LAST, KeyWord::RoleAsLast),
        (HOSTS_LAST, KeyWord::HostsAsLast),
    ] {
        for word in list {
            *words.entry(*word).or_default() |= 1 << flag as u8;
        }
    }
    words
});

/// Whether a key names this service's own URL, where users reach it, not a server it reaches:
/// the word right before the URL says so (`root_url`, `APP_URL`, `site_url`, `external_url`,
/// `http_publish_uri`), or begins a camel-case one (`publicBaseUrl`, `WP_SITEURL`), or the key
/// overrides the URL the service tells (Nextcloud's `overwrite.cli.url`). Only there:
/// `APP_API_URL` and `public_api_url` name an API to reach.
fn own_url(lower: &[u8], previous_of_last: &[u8], last_segment: &[u8]) -> bool {
    let url = last_segment.ends_with(b"url") || last_segment.ends_with(b"uri");
    let own = |s: &[u8]| {
        matches!(
            s,
            b"public"
                | b"publish"
                | b"root"
                | b"site"
                | b"app"
                | b"webapp"
                | b"external"
                | b"frontend"
        )
    };
    let camel = ["public", "root", "site", "external", "canonical"]
        .iter()
        .any(|w| last_segment.len() >= w.len() + 3 && last_segment.starts_with(w.as_bytes()));
    // Nagios's `notes_url` and `action_url`, a bug tracker's or a privacy policy's: links for
    // the people reading it.
    // Where clients are sent or fetch from (a login's redirect, a CDN), not this service.
    let link = matches!(
        previous_of_last,
        b"notes"
            | b"action"
            | b"help"
            | b"docs"
            | b"wiki"
            | b"redirect"
            | b"redirection"
            // Where browsers are sent to sign in or out, or back (Kratos's
            // `default_browser_return_url`, ChirpStack's `logout_url`).
            | b"return"
            | b"login"
            | b"logout"
            | b"cdn"
            | b"support"
            | b"feedback"
            | b"privacy"
            | b"terms"
            | b"documentation"
            // What browsers fetch or people open: a framework's assets and media, an admin's
            // web page (Kong's `admin_gui_url`, Graylog's `web_interface_url`).
            | b"asset"
            | b"assets"
            | b"static"
            | b"media"
            | b"gui"
            | b"ui"
            | b"webui"
            | b"interface"
            | b"console"
            | b"dashboard"
            | b"portal"
            | b"homepage"
            | b"runbook"
            // A status badge, a site's title link, a browser SDK, a page's image (Argo CD's
            // `statusbadge.url`, Buildbot's `titleURL`, SmokePing's `imgurl`).
            | b"statusbadge"
            | b"title"
            | b"sdk"
            | b"img"
    ) || (previous_of_last == b"info" && !lower.windows(4).any(|w| w == b"user"))
        || matches!(
            // In camel case: Gerrit's `reportBugUrl`, a `helpUrl`, a `privacyPolicyUrl` (not a
            // `debugUrl` nor a `bugzillaUrl`, which are reached).
            last_segment,
            b"reportbugurl"
            // An OAuth client's `redirectURI`: where browsers are sent back.
            | b"redirecturi"
            | b"redirecturl"
            | b"bugreporturl"
            | b"helpurl"
            | b"docsurl"
            | b"documentationurl"
            | b"supporturl"
            | b"feedbackurl"
            | b"privacyurl"
            | b"privacypolicyurl"
            | b"termsurl"
            | b"termsofserviceurl"
            | b"titleurl"
            | b"imgurl"
            | b"cgiurl"
            // Murmur's `registerUrl`: the address it registers in a public server list.
            | b"registerurl"
        );
    // Keystone's `public_endpoint` (a block named `external_endpoint:` holds a server's keys;
    // Centrifugo's `jwks_public_endpoint` is a server's).
    // Healthchecks' `SITE_ROOT = "https://…"`.
    if matches!(
        lower,
        b"public_endpoint" | b"public-endpoint" | b"site_root"
    ) {
        return true;
    }
    url && (own(previous_of_last)
        || camel
        || link
        || lower == b"base_url"
        // Keystone's `www_authenticate_uri`: sent to clients in a `WWW-Authenticate` header.
        || lower == b"www_authenticate_uri"
        // Redmine's `avatar_server_url`: pictures browsers load.
        || lower.starts_with(b"avatar_server") || lower.starts_with(b"gravatar")
        || segments(lower).any(|s| s == b"overwrite"))
}

/// An OAuth authorization endpoint (`AuthorizationEndpoint`, Node-RED's `authorizationURL`),
/// where browsers are sent to sign in, and a callback URL (`callbackURL`), where they come
/// back to this service: neither is reached by it (its `token` and `userinfo` URLs are, and so
/// is Pomerium's `authorize_service_url`, a service it calls).
fn browser_endpoint(lower: &[u8], previous_of_last: &[u8], last_segment: &[u8]) -> bool {
    let endpoint = |s: &[u8]| {
        [&b"url"[..], b"uri", b"endpoint"]
            .iter()
            .any(|e| s.ends_with(e))
    };
    if !endpoint(last_segment) {
        return false;
    }
    previous_of_last == b"authorization"
        || last_segment
            .strip_suffix(b"endpoint")
            .or_else(|| last_segment.strip_suffix(b"url"))
            .or_else(|| last_segment.strip_suffix(b"uri"))
            .is_some_and(|s| s.ends_with(b"authorization"))
        || lower.len() >= 11 && lower.windows(8).any(|w| w == b"callback")
}

/// NSQ's `tcp_address`, oauth2-proxy's `http_address`: a protocol and an address, nothing else
/// (not `consul_http_addr` nor `auth_http_address`, servers reached).
pub(super) fn names_a_protocol_address(key: &str) -> bool {
    // Runs on every key: most are too long or too short to be one.
    if !(7..=13).contains(&key.len()) {
        return false;
    }
    let Some(cut) = key.bytes().position(|c| matches!(c, b'_' | b'-' | b'.')) else {
        return false;
    };
    let (protocol, address) = (&key[..cut], &key[cut + 1..]);
    // (A `udp_host` or an `http_host` under `[proxy]` names a server as often.)
    ["tcp", "http", "https", "grpc", "tls"]
        .iter()
        .any(|p| protocol.eq_ignore_ascii_case(p))
        && ["address", "addr"]
            .iter()
            .any(|a| address.eq_ignore_ascii_case(a))
}

/// Whether a key gives the name this service tells its peers and clients to reach it by:
/// Kafka's `advertised.listeners`, Neo4j's `advertised_address`, Pulsar's `advertisedAddress`.
pub(super) fn tells_peers(key: &str) -> bool {
    // Runs on every key: a `v` is rare enough to rule most out in one pass (by hand: a key is
    // shorter than a SIMD search's setup pays for).
    key.len() >= 10
        && key.bytes().any(|c| c | 0x20 == b'v')
        && key
            .as_bytes()
            .windows(10)
            .any(|w| w.eq_ignore_ascii_case(b"advertised"))
}

/// The directives of a Content-Security-Policy that take sources (`img-src`, `connect-src`).
fn is_csp_directive(word: &[u8]) -> bool {
    matches!(
        word,
        b"default"
            | b"img"
            | b"script"
            | b"style"
            | b"font"
            | b"connect"
            | b"media"
            | b"frame"
            | b"object"
            | b"worker"
            | b"child"
            | b"manifest"
    )
}

/// Whether a key (or a block's name) is an access rule, without classifying it otherwise.
pub(super) fn names_an_access_rule(key: &str) -> bool {
    let mut buf = [0u8; 64];
    let Some(lower) = buf.get_mut(..key.len()) else {
        return false;
    };
    for (out, &c) in lower.iter_mut().zip(key.as_bytes()) {
        *out = c.to_ascii_lowercase();
    }
    let mut previous: &[u8] = b"";
    segments(lower).any(|segment| {
        let access = names_access(segment, previous);
        previous = segment;
        access
    })
}

/// What one segment of a key says of its value, whatever the others say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Says {
    Nothing,
    /// This host's own address, told to its peers: `advertise_addr`, `cluster-announce-ip`.
    Own,
    /// Where this service listens, whatever the rest of the key says: a segment starting with
    /// `listen` or `bind` (`ListenIP`, `http_listen_address`, `bindIp`), or keepalived's
    /// `virtual_server`, the address its balancer accepts traffic on.
    Listen,
    /// An access rule, even on a listen key (php-fpm's `listen.allowed_clients`).
    Access,
}

fn segment_says(segment: &[u8], previous: &[u8]) -> Says {
    // Most segments start with none of the rules' letters and are too short for camel case.
    let could = segment.len() >= 7
        || matches!(
            segment[0],
            b'a' | b'b'
                | b'c'
                | b'd'
                | b'e'
                | b'h'
                | b'i'
                | b'l'
                | b'm'
                | b'p'
                | b'r'
                | b't'
                | b'v'
                | b'w'
                | b'x'
        );
    if !could {
        Says::Nothing
    } else if names_access(segment, previous) {
        Says::Access
    } else if segment == b"announce"
        || segment.starts_with(b"advertise") && !segment.starts_with(b"advertised")
        // Orchestrator's `RaftAdvertise`.
        || segment.len() > 9 && segment.ends_with(b"advertise")
        // Temporal's `broadcastAddress`: the address peers are told to use for this node.
        || segment.len() > 9
            && segment.starts_with(b"broadcast")
            && [&b"address"[..], b"addresses", b"addr"]
                .iter()
                .any(|w| segment.ends_with(w))
    {
        // `advertise_addr`, Mattermost's `AdvertiseAddress` (not Kafka's `advertised.listeners`,
        // the name its clients reach it by, which must resolve).
        Says::Own
    } else if (segment.starts_with(b"listen") && !matches!(segment, b"listeners" | b"listener"))
        || (previous == b"listener" && is_address_word(segment))
        || (segment.starts_with(b"bind") && !segment.starts_with(b"binding"))
        // Orchestrator's `RaftBind`.
        || (segment.len() > 4 && segment.ends_with(b"bind"))
        // Asterisk's `udpbindaddr`, vmagent's `-httpListenAddr`.
        || (segment.len() > 8
            && (segment.windows(4).any(|w| w == b"bind")
                || segment.windows(6).any(|w| w == b"listen"))
            && [&b"addr"[..], b"address", b"ip"].iter().any(|w| segment.ends_with(w)))
        || segment == b"virtual"
    {
        Says::Listen
    } else if matches!(
        previous,
        b"metrics"
            | b"debug"
            | b"pprof"
            | b"health"
            | b"healthz"
            | b"healthcheck"
            | b"status"
            | b"stats"
            | b"src"
    ) && (is_address_word(segment) || matches!(segment, b"ip" | b"ipaddr"))
    {
        // Docker's `metrics-addr`, a `debug_address`, the kubelet's `healthzBindAddress`, Choria's
        // `stats_address`,
        // FreeRADIUS's `src_ipaddr`: where this service serves its metrics or its status, or
        // sends from.
        Says::Listen
    } else if matches!(previous, b"jetty" | b"rocket") && names_one_address(segment) {
        // The embedded web server's own address: Solr's and Metabase's `*_JETTY_HOST`,
        // Rocket's `ROCKET_ADDRESS` (Vaultwarden).
        Says::Listen
    } else if previous == b"local" && is_address_word(segment)
        || segment.starts_with(b"local") && segment.ends_with(b"address")
        || segment.starts_with(b"source")
            && (segment.ends_with(b"ip") || segment.ends_with(b"address"))
    {
        // PowerDNS's `query-local-address`, strongSwan's `local_addrs`: this host's own
        // address, which it binds to reach out.
        Says::Listen
    } else if segment.starts_with(b"masquerade") || segment == b"helo" {
        // ProFTPD's `MasqueradeAddress`, the name it tells clients; Roundcube's
        // `smtp_helo_host`, the name it greets with.
        Says::Own
    } else if matches!(previous, b"no" | b"non") && segment == b"proxy" {
        // `no_proxy`, `http_non_proxy_hosts`: where no proxy is used, names and networks.
        Says::Own
    } else if matches!(previous, b"public" | b"publish" | b"broadcast")
        && names_one_address(segment)
        || segment == b"broadcast"
        || segment.len() > 6 && segment.starts_with(b"public") && names_one_address(&segment[6..])
    {
        // Teleport's `public_addr`, a `publicHost`, Elasticsearch's `publish_host`,
        // Cassandra's `broadcast_rpc_address`: the name this service is reached by.
        Says::Own
    } else if matches!(previous, b"fixed" | b"broadcast" | b"network" | b"hardware")
        && is_address_word(segment)
    {
        // ISC dhcpd's `fixed-address`, a reservation; a broadcast or network address.
        Says::Own
    } else if segment.starts_with(b"dhcp") {
        // dnsmasq's `dhcp-range`, `dhcp-host`, `dhcp-option`: what it hands its clients.
        Says::Own
    } else {
        Says::Nothing
    }
}

/// `address`, `addrs`: a key segment that names an address.
fn is_address_word(segment: &[u8]) -> bool {
    matches!(segment, b"address" | b"addresses" | b"addr" | b"addrs")
}

/// A key segment that names one host's address or name: `addr`, `host`, `hostname`, `ip`.
fn names_one_address(segment: &[u8]) -> bool {
    matches!(
        segment,
        b"address" | b"addr" | b"host" | b"hostname" | b"ip"
    )
}

/// Whether a flag's line holds it alone, maybe before a command line's `\` (`--http-address=
/// 10.0.0.5:10902 \`): a line of several (`--bind-address=0.0.0.0 --etcd-servers=https://… \`)
/// has each read on its own.
fn is_one_flag(flag: &[u8]) -> bool {
    let flag = flag.trim_ascii_end();
    let flag = flag.strip_suffix(b"\\").unwrap_or(flag);
    !flag
        .windows(2)
        .any(|w| w[0].is_ascii_whitespace() && w[1] == b'-')
}

/// The segments of a lower-case key: `allow-transfer` -> `allow`, `transfer`.
fn segments(lower: &[u8]) -> impl Iterator<Item = &[u8]> {
    lower.split(|c| matches!(c, b'.' | b'_' | b'-' | b' ' | b'[' | b']' | b'\'' | b'"'))
}

/// Keys of access rules: a segment names the rule (`allow-query`, `hosts allow`, `acl`,
/// `restrict`), or the whole key says so in camel case (`ipAllowList`, `RemoteIPTrustedProxy`).
fn names_access(s: &[u8], previous: &[u8]) -> bool {
    if s.len() < 3 {
        return false;
    }
    let camel = s.len() >= 7
        && (s.ends_with(b"allowlist")
            || s.ends_with(b"whitelist")
            || s.windows(7).any(|w| w == b"trusted" || w == b"allowed")
            // rsyslog's `PermittedPeer`: the names a peer's certificate may carry.
            || s.windows(9).any(|w| w == b"permitted")
            || s.starts_with(b"allow")
            // Nextcloud's `proxyexclude`, a `proxyExcludes`.
            || s.ends_with(b"exclude")
            || s.ends_with(b"excludes"));
    camel
        || (previous == b"access" && s == b"control")
        || (previous == b"provide" && s == b"xfr")
        // Django's `INTERNAL_IPS`: the clients shown its debugging pages.
        || (previous == b"internal" && s == b"ips")
        // ntfy's `visitor-request-limit-exempt-hosts`: clients let past a limit.
        || s == b"exempt"
        // Suricata's `address-groups:`: the networks its rules match (`DNS_SERVERS`).
        || (previous == b"address" && s == b"groups")
        || matches!(
            s,
            b"acl"
                | b"allow"
                | b"deny"
                | b"restrict"
                | b"require"
                | b"trusted"
                | b"blackhole"
                | b"blacklist"
                | b"blocklist"
                | b"ignoreip"
                // Addresses left out or kept out: `ignored_ips`, `blocked_hosts`,
                // `exclude_hosts`.
                | b"ignore"
                | b"ignored"
                | b"exclude"
                | b"excluded"
                | b"blocked"
                | b"banned"
                | b"denied"
                | b"disallowed"
                | b"mynetworks"
                // Django's `ALLOWED_HOSTS` (names this site answers to) and NRPE's
                // `allowed_hosts` (the clients let in): neither a server to reach.
                | b"allowed"
                // Postfix's `smtpd_authorized_xforward_hosts`.
                | b"authorized"
                | b"rocommunity"
                | b"rwcommunity"
                | b"rocommunity6"
                | b"rwcommunity6"
                | b"com2sec"
                | b"com2sec6"
        )
}

/// Last segments of keys whose value is where this service listens: Fluent Bit's
/// `HTTP_Listen`, Unbound's `interface` and `control-interface`, squid's `http_port
/// 10.0.9.5:8080`, compose `ports`, snmpd's `agentAddress`. A key that only gives a port
/// yields nothing here (listen references are addresses).
const LISTEN_LAST: &[&[u8]] = &[
    b"listen",
    b"interface",
    b"interfaces",
    b"port",
    b"ports",
    b"agentaddress",
    b"acceptor",
    b"acceptors",
    // ActiveMQ's `<transportConnector uri=…>`; Vault's `listener "tcp"` (not Icecast's
    // `listener_add`, a URL it calls when a listener comes).
    b"listener",
    b"transportconnector",
    // Hitch's `frontend = "[10.0.0.5]:443"`: where clients come in.
    b"frontend",
    b"frontends",
];

/// Last segments of keys whose value names no host: domains, zones, realms, routing rules
/// (`Host(\`shop.example.com\`)` matches a request, it reaches nothing).
/// An `id` (`server_id`, Salt's `id: web07.example.com`) names, it reaches nothing.
const NO_HOSTS_LAST: &[&[u8]] = &[
    b"zone",
    b"realm",
    b"rule",
    b"rules",
    b"id",
    b"ids",
    // A Python module, a search domain, a DHCP pool.
    b"module",
    b"search",
    b"range",
    // A redirect is sent to the clients, who follow it.
    b"redirect",
    // A route's next hop, a network or broadcast address, a netmask: plumbing, not servers.
    b"via",
    // VyOS's `next-hop 203.0.113.9 {`, a PXE `next-server` (ISC dhcpd, Cobbler's
    // `next_server_v4`): a route's gateway, what clients are told to boot from.
    b"hop",
    b"nexthop",
    b"network",
    b"broadcast",
    b"netmask",
    // The name this host greets with.
    b"helo",
    // Java's `http.nonProxyHosts`, Kannel's `http-proxy-exceptions`.
    b"nonproxyhosts",
    b"exceptions",
    // Words for people: a BGP neighbor's `descr`, a row's `comment`, a notification's `title`.
    b"descr",
    b"description",
    b"comment",
    b"comments",
    b"title",
    b"summary",
    // Text for people: a `login_text`, a page's `footer`, a login `banner`.
    b"text",
    b"footer",
    b"banner",
    b"motd",
    b"label",
    b"labels",
    b"tag",
    b"tags",
    // Other names of this service, and the origins whose browsers it lets in.
    b"alias",
    b"aliases",
    b"origin",
    b"origins",
    // Names matched, never reached: a CSRF filter's `referer`, a CSP's `frame_ancestors`,
    // JavaMail's `mail.smtp.ssl.trust` (the servers whose certificates it trusts).
    b"referer",
    b"referrer",
    b"ancestors",
    // A token's audience (PostgREST's `jwt-aud`, an OIDC `audience`): a name it must carry.
    b"aud",
    b"audience",
    b"audiences",
    b"trust",
    // Names a peer must prove in its certificate (stunnel's `checkHost`, `sni`), not where
    // it is.
    b"identifier",
    b"sni",
    b"checkhost",
    b"cert",
    b"certificate",
    // What a health check sends and expects back (ldirectord's `request`, `receive`), and
    // the `Host:` header it sends.
    b"request",
    b"receive",
    b"response",
    b"expect",
    // blackbox_exporter's `- send: "EHLO prober.example.net"`.
    b"send",
    b"virtualhost",
    // A browser's rules (a Content-Security-Policy), a page's header and links.
    b"policy",
    b"header",
    b"link",
    b"links",
    b"homepage",
    // systemd's `Documentation=https://…`: pages for people.
    b"documentation",
];

/// Last segments of keys that name a peer by its role: a host with an address's evidence,
/// and otherwise a role name, a label defined elsewhere or a flag.
const ROLE_LAST: &[&[u8]] = &[
    b"master",
    b"primary",
    b"gateway",
    b"proxy",
    b"target",
    b"connect",
    b"backend",
    b"mirror",
    b"mirrors",
    b"addrs",
    // sniproxy's `fallback 10.0.0.5:443`; a fallback locale or mode otherwise.
    b"fallback",
    // NTP's `pool 2.debian.pool.ntp.org`; a backup or connection pool's name otherwise.
    b"pool", // A URL, or a bare word that is no URL (Kannel's `field-url = url`).
    b"url",
    b"urls",
    b"uri",
];

/// `mail_from_address`, `sender_address`, `reply_to_addr` (with an address word last): a key for
/// one mailbox.
pub(super) fn names_one_mailbox(key: &[u8]) -> bool {
    [&b"from"[..], b"sender", b"reply", b"recipient"]
        .iter()
        .any(|w| key.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w)))
}

/// Whether a key's value holds mailboxes: `user@example.com` there is an e-mail address, and
/// its domain no server (`smtp_from`, `errors_to`, `admin_email`, `from_address`).
pub(super) fn names_mailboxes(key: &str) -> bool {
    let key = key.as_bytes();
    [
        &b"mail"[..],
        b"from",
        b"sender",
        b"contact",
        b"recipient",
        b"admin",
        b"owner",
        b"reply",
        b"errors_to",
        // `address`, and a camel-case `alertAddr`.
        b"addr",
    ]
    .iter()
    .any(|w| key.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w)))
}

/// Whether a key gives one address (`address`, `cluster_address`, `host`, `ip`, `bind`): in a
/// block that holds listen addresses (`listeners:`, `entryPoints:`, `listener "tcp" {`), one
/// of them.
pub(super) fn names_an_address(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    let last = lower.rsplit(['.', '_', '-']).next().unwrap_or_default();
    matches!(last, "address" | "addr" | "host" | "ip" | "bind")
}

/// Last segments of keys whose values name other hosts.
const HOSTS_LAST: &[&[u8]] = &[
    b"host",
    b"hosts",
    b"hostaddr",
    b"ipaddr",
    b"ipv4addr",
    b"ipv6addr",
    b"server",
    b"servers",
    b"address",
    b"addresses",
    b"addr",
    b"seeds",
    b"seed",
    b"seedlist",
    b"relayhost",
    b"upstream",
    b"upstreams",
    b"replicaof",
    b"slaveof",
    b"brokers",
    b"broker",
    b"endpoint",
    b"endpoints",
    b"targets",
    b"peer",
    b"peers",
    b"dsn",
    b"zookeeper",
    b"nameserver",
    b"nameservers",
    b"smarthost",
    b"dcsmarthost",
    b"mailhub",
    b"remote",
    b"proxyjump",
    b"join",
    b"nodes",
    b"kdc",
    b"serveractive",
    b"forwarders",
    b"masters",
    b"primaries",
];

/// Whole keys whose value is where this service listens.
const LISTEN_KEYS: &[&[u8]] = &[
    // Kafka's and Kafka Connect's `listeners=PLAINTEXT://10.0.0.5:9092`.
    b"listeners",
    b"bind",
    b"bind-address",
    b"bind_address",
    b"bindaddress",
    b"bind_host",
    b"bind_ip",
    b"listen",
    b"listen_addresses",
    b"listen-address",
    b"listen_address",
    b"listen_addr",
    b"listenaddress",
    b"listen-on",
    b"listen-on-v6",
    b"bind_addr",
    b"client_addr",
    b"rpc_address",
    b"network.host",
    b"network.bind_host",
    b"http.host",
    b"http.bind_host",
    b"transport.host",
    b"transport.bind_host",
    b"inet_interfaces",
    b"ip-address",
    b"admin",
    b"agentxsocket",
    b"listen-peer-urls",
    b"listen-client-urls",
    b"etcd_listen_peer_urls",
    b"etcd_listen_client_urls",
    b"wsrep_node_address",
    // uWSGI's and OpenDKIM's `socket`, a tunnel's `local` end, stunnel's `accept`.
    b"socket",
    b"local",
    b"accept",
];

/// Whole keys that name this host itself or where it listens, or an image (`redis:7`).
const NO_HOSTS_KEYS: &[&[u8]] = &[
    // git's `[url "https://mirror/"] insteadOf = https://github.com/`: the URL rewritten, never
    // fetched (the section's own URL is).
    b"insteadof",
    b"pushinsteadof",
    b"server_name",
    b"servername",
    b"hostname",
    b"myhostname",
    b"myorigin",
    b"mydestination",
    b"node.name",
    b"cluster.name",
    b"cluster.initial_master_nodes",
    b"initial_master_nodes",
    b"mynetworks",
    b"allow",
    b"deny",
    b"ignoreip",
    // nginx's trusted proxies, whose `X-Forwarded-For` it believes (Mailu's `REAL_IP_FROM`,
    // Hiawatha's `HideProxy`, MeshCentral's `TlsOffload`).
    b"set_real_ip_from",
    b"real_ip_from",
    b"hideproxy",
    b"tlsoffload",
    // This service's own names: Zulip's `EXTERNAL_HOST`, Mailu's `HOSTNAMES`.
    b"external_host",
    b"externalhost",
    b"hostnames",
    b"serveralias",
    b"server_alias",
    b"connect_address",
    b"local-data",
    b"local-data-ptr",
    b"wsrep_node_name",
    b"wsrep_cluster_name",
    // CoreDNS's `except corp.example.com`: zones left out.
    b"except",
    // Lines a container's `/etc/hosts` gets (`name:10.0.0.5`).
    b"extra_hosts",
    b"add-host",
    b"advertise",
    // Zones and files, not hosts: BIND's `zone`, resolv.conf's `search`.
    b"zone",
    b"search",
    b"file",
    // Mumble's greeting.
    b"welcometext",
    // HAProxy defaults and options of server lines, not servers.
    b"default-server",
    b"init-addr",
    // MariaDB's character set and collation of the server.
    b"character-set-server",
    b"character_set_server",
    b"collation-server",
    b"collation_server",
    // LDAP schema definitions: OIDs and `MSAD:2` identifiers, never hosts.
    b"attributetype",
    b"attributetypes",
    b"objectclass",
    b"objectclasses",
    b"objectidentifier",
    b"ldapsyntax",
    b"ldapsyntaxes",
    b"ditcontentrule",
    b"olcattributetypes",
    b"olcobjectclasses",
    b"olcobjectidentifier",
    b"olcldapsyntaxes",
    b"olcditcontentrules",
];

/// A line split at its key: `value_start` is the byte offset of the value in the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct KeyValue<'a> {
    pub key: &'a str,
    pub value: &'a str,
    pub value_start: usize,
    /// `key value` with no `=` or `:` (nginx, chrony, redis, postfix master.cf).
    pub directive: bool,
    /// Indentation of the key, for YAML lists under it.
    pub indent: usize,
}

/// A setting written as an XML element that names it: .NET's `<add key="SmtpHost"
/// value="mail.example.com"/>`, Spring's `<property name="serverName" value="db"/>`,
/// Confluence's `<property name="hibernate.connection.url">jdbc:…</property>`. The key is the
/// named attribute; the value the `value` attribute alone, or else the element's text up to the
/// next tag.
fn named_property(line: &str, indent: usize) -> Option<KeyValue<'_>> {
    let element = super::xml::element(line)?;
    let name = element.name.as_bytes();
    let ends = |e: &str| {
        name.len() >= e.len() && name[name.len() - e.len()..].eq_ignore_ascii_case(e.as_bytes())
    };
    // WildFly's `<xa-datasource-property name="ServerName">`, a resource adapter's
    // `<config-property>`: named by their last word.
    if !(element.name.eq_ignore_ascii_case("add")
        || [
            "property",
            "entry",
            "param",
            "parameter",
            "setting",
            "option",
        ]
        .iter()
        .any(|e| ends(e)))
    {
        return None;
    }
    let key = element
        .attribute("key")
        .or_else(|| element.attribute("name"))?;
    let value = match element.attribute("value") {
        Some(value) => value,
        None if !element.self_closing() => {
            let text = element.text_start();
            text..memchr::memchr(b'<', &line.as_bytes()[text..]).map_or(line.len(), |i| text + i)
        }
        None => return None,
    };
    Some(KeyValue {
        key: &line[key],
        value: &line[value.clone()],
        value_start: value.start,
        directive: false,
        indent,
    })
}

/// `key = value`, `key: value`, `"key": value`, `- key: value` or `key value`. Hand-written:
/// it runs on every line, where a regex with captures costs more than the rest of the scan.
pub(super) fn key_value(line: &str) -> Option<KeyValue<'_>> {
    let kv = pair(line)?;
    if line.trim_ascii_start().starts_with('{') {
        return first_of_object(kv, classify(kv.key));
    }
    // Lua's `local ok, err = red:connect("10.0.0.5", 6379)` declares a variable: the assignment
    // is the pair (OpenVPN's `local 10.0.0.5` is where it listens).
    if kv.directive && kv.key == "local" && kv.value.contains(" = ") {
        let inner = pair(&line[kv.value_start..])?;
        return Some(KeyValue {
            value_start: kv.value_start + inner.value_start,
            indent: kv.indent,
            ..inner
        });
    }
    // A value that is an object on one line (OnlyOffice's `"server": {"port": 8000, "mode":
    // "production"}`, nginx's `server { listen 10.0.0.5:80; }`) is read as a line of its own:
    // its keys say what it holds, where its key names the block. Not under a key that names no
    // server (`labels: {instance: 10.0.0.5:9100}`) nor where it listens (`bind: {address: …,
    // port: 80}`).
    let value = kv.value.trim_ascii_end();
    if value.len() > 2
        && value.starts_with('{')
        && !value.starts_with("{{")
        && !matches!(
            classify(kv.key),
            KeyKind::NoHosts | KeyKind::Access | KeyKind::Listen
        )
    {
        let open = kv.value_start + 1;
        let start = open + (line.len() - open - line[open..].trim_ascii_start().len());
        // A pair, not a list's item (`servers = { "10.0.0.5" }`, `{ db01 }`) nor a nested block
        // (syslog-ng's `log { filter { host("web01"); }; … };`), each read by its own forms.
        let named = |inner: &KeyValue<'_>| {
            (!inner.directive || !inner.value.starts_with('}')) && !inner.value.starts_with('{')
        };
        if let Some(inner) = pair(&line[start..]).filter(named) {
            let inner = KeyValue {
                value_start: start + inner.value_start,
                indent: kv.indent,
                ..inner
            };
            // nginx's `listen` leads its one-line block; a port first leaves the object to the
            // forms that read every pair, as on a line of its own.
            let kind = classify(inner.key);
            let listens =
                kind == KeyKind::Listen && !ends_with_ignore_case(inner.key.as_bytes(), b"port");
            return if listens {
                Some(ending_at_next_pair(inner))
            } else {
                first_of_object(inner, kind)
            };
        }
    }
    Some(kv)
}

/// An object on one line: its first key's value ends at the next pair (v2ray's `{ "address":
/// "10.0.0.5", "port": 8388, "method": "aes-256-gcm" }`). Only a first key that names servers:
/// any other (`{ _id: 0, host: "mongo1:27017" }`, `{ "type": "field", "domain": [...] }`) leaves
/// the line to the forms that read every pair.
/// (`kind`: its key's, classified once by the caller.)
fn first_of_object(kv: KeyValue<'_>, kind: KeyKind) -> Option<KeyValue<'_>> {
    matches!(kind, KeyKind::Hosts | KeyKind::HostsWithEvidence).then(|| ending_at_next_pair(kv))
}

/// `kv`, its value ending at the next pair of its object (a `,`, `;` or `}` outside quotes).
fn ending_at_next_pair(mut kv: KeyValue<'_>) -> KeyValue<'_> {
    let mut quote = None;
    let end = kv.value.bytes().position(|c| match quote {
        Some(q) => {
            if c == q {
                quote = None;
            }
            false
        }
        None if matches!(c, b'"' | b'\'') => {
            quote = Some(c);
            false
        }
        None => matches!(c, b',' | b';' | b'}'),
    });
    kv.value = &kv.value[..end.unwrap_or(kv.value.len())];
    kv
}

/// [`key_value`], its value to the line's end.
fn pair(line: &str) -> Option<KeyValue<'_>> {
    let b = line.as_bytes();
    let skip_space = |mut i: usize| {
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        i
    };
    let indent = skip_space(0);
    let mut i = indent;
    // A list item's `- key: value`; a comma-first object's `, key: value` (StatsD's config.js);
    // an object on one line, `{ host: "10.0.0.5"; port: "443"; }` (libconfig, JSON), by its
    // first key.
    if matches!(b.get(i), Some(b'-' | b',' | b'{')) && matches!(b.get(i + 1), Some(b' ' | b'\t')) {
        i = skip_space(i + 1);
    }
    // Request Tracker's `Set($DatabaseHost, 'db.example.net');`: the variable is the key.
    if b.get(i..i + 5) == Some(b"Set($") {
        let start = i + 5;
        let end = start
            + b[start..]
                .iter()
                .take_while(|c| KEY_BYTE[**c as usize])
                .count();
        if end > start && b.get(end) == Some(&b',') {
            let value_start = skip_space(end + 1);
            return Some(KeyValue {
                key: &line[start..end],
                value: &line[value_start..],
                value_start,
                directive: false,
                indent,
            });
        }
    }
    // `<host>db</host>`: an XML element is a key and its text the value; with attributes
    // too (Artemis's `<acceptor name="amqp">tcp://…</acceptor>`).
    if b.get(i) == Some(&b'<') && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
        let start = i + 1;
        let end = start
            + b[start..]
                .iter()
                .take_while(|c| KEY_BYTE[**c as usize])
                .count();
        let close = match b.get(end) {
            Some(b'>') => end,
            Some(b' ' | b'\t') => end + memchr::memchr(b'>', &b[end..])?,
            _ => return None,
        };
        if let Some(kv) = named_property(line, indent) {
            return Some(kv);
        }
        if b[close - 1] == b'/' {
            return None;
        }
        return Some(KeyValue {
            key: &line[start..end],
            value: &line[close + 1..],
            value_start: close + 1,
            directive: false,
            indent,
        });
    }
    // PHP's `define( 'WP_REDIS_HOST', '10.0.0.12' );`: the constant is the key.
    if let Some(rest) = line[i..].strip_prefix("define(") {
        let args = rest.trim_ascii_start();
        let quote = *args.as_bytes().first()?;
        if !matches!(quote, b'\'' | b'"') {
            return None;
        }
        let key_start = line.len() - args.len() + 1;
        let key_len = memchr::memchr(quote, &b[key_start..])?;
        let comma = key_start + key_len + 1;
        if b.get(comma) != Some(&b',') {
            return None;
        }
        let value_start = skip_space(comma + 1);
        return Some(KeyValue {
            key: &line[key_start..key_start + key_len],
            value: &line[value_start..],
            value_start,
            directive: false,
            indent,
        });
    }
    let quote = matches!(b.get(i), Some(b'"' | b'\'')).then(|| b[i]);
    if quote.is_some() {
        i += 1;
    } else if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
        // Varnish's backend fields: `.host = "db";` and `.port = "5432";`.
        i += 1;
    }
    // A flag file's `--rpc_bind_addresses=10.0.0.5` (gflags: Kudu, YugabyteDB, Impala), a Go
    // program's `-healthz-ip=10.0.0.5 \` (flannel, vmalert; Java's `-Dkey=` is read as its own
    // form).
    let dashes = b[i..].iter().take(2).take_while(|&&c| c == b'-').count();
    let flag = quote.is_none()
        && dashes > 0
        && b.get(i + dashes).is_some_and(|c| match dashes {
            2 => c.is_ascii_alphabetic(),
            _ => c.is_ascii_lowercase(),
        })
        && is_one_flag(&b[i + dashes..]);
    if flag {
        i += dashes;
    }
    // A PHP class's property (Joomla's `public $smtphost = '10.0.0.25';`): the variable is the
    // key.
    if quote.is_none() {
        for visibility in [&b"public $"[..], b"private $", b"protected $", b"var $"] {
            if b.get(i..i + visibility.len()) == Some(visibility) {
                i += visibility.len() - 1;
                break;
            }
        }
    }
    if quote.is_none() && matches!(b.get(i), Some(b'$' | b'@' | b'%')) {
        // PHP's `$CONFIG['dbhost'] = …`, Perl's `@inet_acl = qw( … )`.
        i += 1;
    }
    let start = i;
    if !b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    {
        return None;
    }
    loop {
        while i < b.len() && KEY_BYTE[b[i] as usize] {
            i += 1;
        }
        // An index inside the key: open-iscsi's `node.conn[0].address`, `servers[1].host`.
        if b.get(i) != Some(&b'[') {
            break;
        }
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 || b.get(i + 1 + digits) != Some(&b']') {
            break;
        }
        i += digits + 2;
    }
    let key_end = i;
    // PHP INI's list, one `trusted_hosts[] = "x"` an item.
    if quote.is_none() && b.get(i..i + 2) == Some(b"[]") {
        i += 2;
    }
    if quote.is_none()
        && let Some((key, end)) = subscripts(line, i)
    {
        let value_start = skip_space(end + 1);
        return (b.get(end) == Some(&b'=') && b.get(end + 1) != Some(&b'=')).then(|| KeyValue {
            key,
            value: &line[value_start..],
            value_start,
            directive: false,
            indent,
        });
    }
    let key = &line[start..key_end];
    if let Some(q) = quote
        && b.get(i) == Some(&q)
    {
        i += 1;
    }
    let after_key = skip_space(i);
    let (value_start, directive) = match b.get(after_key) {
        Some(b'=') => (skip_space(after_key + 1), false),
        Some(b':') if matches!(b.get(after_key + 1), None | Some(b' ' | b'\t')) => {
            (skip_space(after_key + 1), false)
        }
        _ if after_key > i && after_key < b.len() => {
            // Samba's words before ` = ` are one key: `password server = dc1`, `server role =
            // standalone server` (whose `server` is no host).
            let words_end = after_key
                + b[after_key..]
                    .iter()
                    .take_while(|c| KEY_BYTE[**c as usize] || matches!(c, b' ' | b'\t'))
                    .count();
            if words_end > after_key
                && b.get(words_end) == Some(&b'=')
                && matches!(b[words_end - 1], b' ' | b'\t')
            {
                let key = line[start..words_end].trim_end();
                let value_start = skip_space(words_end + 1);
                return Some(KeyValue {
                    key,
                    value: &line[value_start..],
                    value_start,
                    directive: false,
                    indent,
                });
            }
            (after_key, true)
        }
        _ => return None,
    };
    let mut value = &line[value_start..];
    if flag {
        // A command line's flag: its `\` continues the command, it is no part of the value.
        value = value.trim_end();
        value = value.strip_suffix('\\').unwrap_or(value).trim_end();
    }
    Some(KeyValue {
        key,
        value,
        value_start,
        directive,
        indent,
    })
}

/// Ruby's and PHP's `gitlab_rails['db_host'] = …`, `$db['default']['hostname'] = …` from
/// `at`, after the variable: the subscripts as the key (`db_host`, `default']['hostname`, whose
/// quotes and brackets `classify` reads as separators), and where the `=` should stand.
fn subscripts(line: &str, at: usize) -> Option<(&str, usize)> {
    let b = line.as_bytes();
    let (mut i, mut first, mut last) = (at, None, at);
    while b.get(i) == Some(&b'[') {
        // phpMyAdmin's `$cfg['Servers'][$i]['host']`: a variable's subscript, inside the key.
        if b.get(i + 1) == Some(&b'$') && first.is_some() {
            let len = b[i..].iter().take(32).position(|&c| c == b']')?;
            i += len + 1;
            continue;
        }
        let quote = *b.get(i + 1).filter(|q| matches!(q, b'\'' | b'"'))?;
        let content = i + 2;
        let len = memchr::memchr(quote, &b[content..])?;
        if b.get(content + len + 1) != Some(&b']') {
            return None;
        }
        first.get_or_insert(content);
        last = content + len;
        i = content + len + 2;
    }
    let key = &line[first?..last];
    let eq = i + b[i..]
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t'))
        .count();
    (!key.is_empty()).then_some((key, eq))
}

pub(super) fn list_item(line: &str) -> Option<(usize, usize)> {
    let indent = line.len() - line.trim_start().len();
    let rest = line[indent..].strip_prefix('-')?;
    let value = rest.trim_start();
    (rest.len() != value.len() || value.is_empty()).then_some((indent, line.len() - value.len()))
}

/// `host/share` after `//` at the start of a line: an fstab or autofs CIFS entry, not a comment.
fn is_share(rest: &[u8]) -> bool {
    let host = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-'))
        .count();
    host > 0 && rest.get(host) == Some(&b'/')
}

/// A line with nothing to read: blank, or a comment in one of the usual syntaxes.
pub(super) fn is_blank_or_comment(line: &str) -> bool {
    let b = line.as_bytes();
    let Some(first) = b.iter().position(|c| !c.is_ascii_whitespace()) else {
        return true;
    };
    let t = &b[first..];
    matches!(t[0], b'#' | b';')
        || (t.starts_with(b"//") && !is_share(&t[2..]))
        || t.starts_with(b"<!--")
        // An AFS CellServDB's `>cell.example.com` (a cell's name), a quoted mail line.
        || t[0] == b'>' && t.get(1).is_some_and(u8::is_ascii_alphabetic)
        // Lua's and SQL's `-- comment` (not a `--flag`).
        || t == b"--"
        || t.starts_with(b"-- ")
        // `/* a comment */` alone on its line (with text after its end, it is read).
        || (t.starts_with(b"/*")
            && memchr::memmem::find(t, b"*/").is_some_and(|end| t[end + 2..].trim_ascii().is_empty()))
}

/// The line without a comment after its content: a `#` after a blank, outside quotes
/// (`host = "a.example.com"  # was b.example.com`, Pi-hole's `### CHANGED, default = …`, an AFS
/// CellServDB's `10.0.0.11   #afsdb1.example.com`). Not a `#` glued to a word: dnsmasq's
/// `10.0.0.53#5353`, a colour `#fff` or a URL's `#/anchor`.
pub(super) fn without_trailing_comment(line: &str) -> &str {
    let b = line.as_bytes();
    let mut quote = None;
    for (i, &c) in b.iter().enumerate() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'#') if i > 0 && b[i - 1].is_ascii_whitespace() => {
                return &line[..i];
            }
            _ => {}
        }
    }
    line
}
