//! The scanner's engine: the walk over a file's lines with what each line's context says
//! (blocks, lists under a key, keys that name no host), the classification of its key, and the
//! forms (`forms/`) run on it in turn, most specific first; a span of the line that one form
//! claimed is not read again by the next.

use super::Reference;
use super::bound;
use super::context::{self, KeyKind, KeyValue};
use super::features::Features;
use super::forms::env_pairs;
use super::forms::erlang_nodes::ListOpen;
use super::kinds;
use super::labels;
use super::line::Line;
use super::scope::{Scope, Scopes};
use super::siblings::Siblings;
use super::tokens::{ends_with_ignore_case, parse_ip, split_port, starts_with_ignore_case};
use super::unreached::Unreached;
use super::xml;
use regex::Regex;
use rustc_hash::FxHashMap;

/// What the plan adds per service: hosts to ignore, and patterns (regexes with a named group
/// `host`, optionally `port`) for forms the scanner does not know.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Host names never reported.
    pub ignore: Vec<String>,
    /// Extra forms: regexes with a named group `host` (and optionally `port`).
    pub patterns: Vec<Regex>,
}

/// Every host the text references, in the order they appear.
pub fn scan(text: &str, options: &ScanOptions) -> Vec<Reference> {
    // Names the file itself declares (nginx `upstream backend {`, BIND `key "xfer" {`) are
    // labels, so `proxy_pass http://backend` and `key xfer` name no host.
    let labels = labels::declared(text);
    kinds::reset();
    let mut found = Vec::new();
    // Bare names under keys that name no server, by their place in `found`.
    let mut bare_names = Vec::new();
    // A list of hosts under a key, from this indent on: of listen addresses (`listen`), or
    // under a role key, whose bare words are roles (`needs_evidence`: Salt's
    // `fileserver_backend:` then `- gitfs`).
    let mut list_under: Option<ListUnder> = None;
    let mut siblings = Siblings::default();
    let mut scopes = Scopes::default();
    // The indent of the last key that names no hosts, and whether it is an access rule: lines
    // indented deeper continue its value (LDIF and schema definitions folded over lines, YAML
    // lists, Postfix continuations), though under a mere section name (`zone:`) a `key: value`
    // line is read.
    let mut no_hosts_above: Option<(usize, bool)> = None;
    // A list of a cluster's members that goes on over the next lines (RabbitMQ's Erlang terms).
    let mut members_open = ListOpen::default();
    // Reused from line to line: most lines claim something, and an allocation per line shows.
    let mut claimed: Vec<bool> = Vec::new();
    let mut kinds = KeyKinds::default();
    // Whether an OpenSSH `Host` or `Match` block has opened: only there does `HostName` name
    // the host to reach; before one (collectd's `Hostname "web-01"`) it is this host's own.
    let mut ssh_blocks = false;
    // Inside a `/* … */` or `<!-- … -->` comment over several lines (StatsD's config.js, VCL,
    // XML): what closes it.
    let mut in_comment: Option<&str> = None;
    let mut unreached = Unreached::default();
    let mut named_values = xml::NamedValues::default();
    // The name of the INI section, or top-level YAML block, the line stands in.
    let mut section = "";
    let mut in_ini_section = false;
    let mut line_indent = 0;
    // Where each line that gave references starts (its number, its byte offset), for the
    // passes over references that read their line again.
    let (mut starts, mut previous) = (Vec::new(), (0, 0));
    for (n, line) in lines(text).enumerate() {
        // The references of the line before are of the section it left open.
        unreached.mark(found.len(), siblings.section(), line_indent);
        keep_start(&found, &mut starts, previous);
        previous = (n + 1, line.as_ptr() as usize - text.as_ptr() as usize);
        if let Some(closer) = in_comment {
            // The closing line is read whole when more than the closer stands on it.
            match line.find(closer) {
                Some(at) if !line[at + closer.len()..].trim_ascii().is_empty() => in_comment = None,
                Some(_) => {
                    in_comment = None;
                    continue;
                }
                None => continue,
            }
        } else if let Some(closer) = opens_comment(line) {
            in_comment = Some(closer);
            continue;
        }
        if context::is_blank_or_comment(line) {
            continue;
        }
        line_indent = line.len() - line.trim_ascii_start().len();
        let features = Features::of(line);
        let line = if features.blank_hash() {
            context::without_trailing_comment(line)
        } else {
            line
        };
        let scope = scopes.line(line, features.brace());
        if let Some((indent, access)) = no_hosts_above {
            // PHP's `'trusted_domains' =>` then `array (` on the next line: still its value.
            if matches!(line.trim_ascii(), "array (" | "array(" | "(" | "[" | "{") {
                continue;
            }
            let pair = || context::key_value(line).is_some_and(|kv| !kv.directive);
            if line_indent > indent && (access || !pair()) {
                continue;
            }
            if line_indent <= indent {
                no_hosts_above = None;
            }
        }
        let header = features.bracket() && is_section_header(line) && !reaching_header(line);
        if header {
            unreached.header();
            section = line.trim_ascii().trim_matches(['[', ']', ' ', '"']);
            in_ini_section = true;
        }
        // The tests of elements and calls run only on lines with a `<` or a `(`: most have
        // neither.
        // phpMyAdmin's `$i++;` starts its next server's settings. log4net's `<remoteAddress
        // value="…" />` is a setting (read once here, for both uses).
        let value_element = features.angle().then(|| xml::value_element(line)).flatten();
        if features.brace()
            || header
            || (features.angle()
                && is_tag(line)
                && !xml::is_property_tag(line)
                && value_element.is_none())
            || line.trim_ascii().starts_with('$') && line.trim_ascii().ends_with("++;")
        {
            siblings.next_section();
        }
        // Structure: a section header (`[[inputs.cpu]]`), a block's label alone before its
        // brace (Caddy's `shop.example.com {`), a block of clients, of this host's own names
        // or of labels.
        if header
            || (features.brace() && (is_block_label(line) || is_named_block(line)))
            || (features.colons > 1 && !scope.listens() && is_host_port_block_key(line))
            || scope >= Scope::Own
            || is_hosts_entry(line, &features)
        {
            continue;
        }
        let mut l = Line::new(line, n + 1, &mut claimed, &mut found, options, &labels);
        l.templates(&features);
        l.user_patterns();
        let kv = named_values
            .pair(line, context::key_value(line))
            .or(value_element);
        if let Some(kv) = kv {
            l.value_end = kv.value_start + kv.value.len();
            // Deadwood's `upstream_servers["corp.example.net."] = "10.0.0.53"`: a key written as
            // a subscript names a zone or a record, no server; nor does one written as an
            // attribute (Traccar's `<entry key='filter.invalid'>`), unless it has an address's
            // evidence (`<entry key="10.0.0.6:9000">`).
            // (The key is a slice of the line: where it starts is no search.)
            let at = (kv.key.as_ptr() as usize).wrapping_sub(line.as_ptr() as usize);
            if at <= kv.value_start
                && at >= 2
                && matches!(
                    &line.as_bytes()[at - 2..at],
                    b"[\"" | b"['" | b"='" | b"=\""
                )
                && let (host, None) = split_port(kv.key)
                && parse_ip(host).is_none()
            {
                l.claim(at, at + kv.key.len());
            }
        }
        // A cluster's members, in their exact forms, before any looser form reads the line.
        l.members(kv, &features, &mut members_open);
        l.segment_record();
        if let Some(list) = list_under {
            let item = if list.bracketed {
                bracketed_item(line, list.indent)
            } else {
                context::list_item(line)
            };
            // A bracketed list also ends on its last item's line (`"10.0.0.5:80" ]`).
            let last = list.bracketed
                && line
                    .trim_ascii_end()
                    .trim_end_matches(',')
                    .ends_with([']', ')']);
            match item {
                Some((item_indent, value_start))
                    if item_indent >= list.indent
                        && !line[value_start..].starts_with(['{', '['])
                        && !is_mapping(&line[value_start..]) =>
                {
                    l.listen = list.listen;
                    // A bracketed list holds any value (Amavis's `["CONTSCAN {}\n", "…"]`): a
                    // host there needs an address's evidence, and a sibling port is another
                    // block's as often (Pi-hole's `upstreams = [` beside its own `port`).
                    l.needs_evidence = list.needs_evidence || list.bracketed;
                    l.urls(&features);
                    if !list.listen {
                        l.bracketed(&features);
                    }
                    l.value_tokens(value_start, false);
                    // Storm's `storm.zookeeper.servers:` list beside `storm.zookeeper.port`.
                    if !list.bracketed {
                        siblings.grow(list.prefixes, l.found.len());
                    }
                    if last {
                        list_under = None;
                    }
                    continue;
                }
                Some(_) if last => list_under = None,
                Some(_) => {}
                None => list_under = None,
            }
        }
        // A top-level YAML key over a block (`postgresql_databases:`) names it as a section.
        if let Some(kv) = kv
            && kv.indent == 0
            && !kv.directive
            && !in_ini_section
        {
            section = if kv.value.trim_ascii().is_empty() {
                kv.key
            } else {
                ""
            };
        }
        let kind = kv.map_or(KeyKind::Other, |kv| {
            kind_in(kv, scope, ssh_blocks, section, &mut kinds)
        });
        // NGINX Unit's `"listeners": { "10.0.0.5:443": {`: in a block of listeners, an address
        // written as a key is one of them.
        l.listen |= scope.listens() && is_address_key(line);
        ssh_blocks |= kv.is_some_and(|kv| {
            kv.directive
                && (kv.key.eq_ignore_ascii_case("host") || kv.key.eq_ignore_ascii_case("match"))
        });
        if let Some(kv) = kv {
            // An LDIF entry starts at its `dn:` (Dovecot's `dn = cn=reader,…` is a setting).
            if kv.indent == 0
                && kv.key.eq_ignore_ascii_case("dn")
                && line[..kv.value_start].trim_end().ends_with(':')
            {
                siblings.next_section();
            }
            siblings.key(kv);
            unreached.key(line, kv, siblings.section());
            if context::tells_peers(kv.key) {
                unreached.told(n + 1);
            }
        } else if let Some(flag) = line.trim_ascii_start().strip_prefix("--")
            && context::tells_peers(flag.split(['=', ' ']).next().unwrap_or_default())
        {
            // A gflags file's `--rpc_advertised_addresses=kudu-m1:7051` (Kudu, Impala).
            unreached.told(n + 1);
        }
        if features.colons > 0
            && let Some((host, port, end)) = postfix_service(line)
        {
            // Postfix's master.cf: `10.0.0.5:smtp inet n - y - - smtpd` listens there.
            l.listen = true;
            l.add(host, port, 0, end);
            continue;
        }
        if let Some(value_start) = features
            .angle()
            .then(|| virtual_host(line))
            .flatten()
            .or_else(|| listen_flag(line))
        {
            l.listen = true;
            l.value_tokens(value_start, false);
            continue;
        }
        let first = l.found.len();
        // An Oracle descriptor, `(ADDRESS = (PROTOCOL = TCP)(HOST = db)(PORT = 1521))`, in a
        // listener's block.
        if scope == Scope::Listen && line.trim_ascii_start().starts_with('(') {
            l.listen = true;
        }
        // rsyslog's `input(type="imtcp" port="514" address="10.0.0.5")`: where logs come in.
        if features.paren() && (line.trim_ascii_start().starts_with("input(") || listen_call(line))
            || (features.brace() && endpoint_block(line))
        {
            l.listen = true;
        }
        let element = features.angle().then(|| xml::element(line)).flatten();
        // ActiveMQ's `<transportConnector name="openwire" uri="tcp://10.0.0.5:61616"/>`: an
        // element whose name says it listens, at its one URL.
        if kv.is_none()
            && element.as_ref().is_some_and(is_listen_element)
            && memchr::memmem::find_iter(line.as_bytes(), "://").count() == 1
        {
            l.listen = true;
        }
        // Tomcat's `<Connector address="10.0.0.5" port="8080">`, Shibboleth's `<TCPListener
        // address="10.0.0.5" port="1600"/>`: a listener's address attribute.
        if features.angle() && listener_element(line) {
            l.listen = true;
        }
        if let Some(value_start) = element.as_ref().and_then(host_element) {
            // WildFly's `<host name="default-host">` is a label; a URL beside it is read.
            l.urls(&features);
            l.key = "host";
            l.needs_evidence = true;
            l.value_tokens(value_start, true);
            l.port_keyword(first);
            continue;
        }
        // A line of pairs (Traffic Server's `dest_domain=x parent="a:8080" go_direct=false`):
        // a first key that names no host rules its own value only; the pairs after it are read
        // as any other line's.
        let kind = match kv {
            Some(kv)
                if matches!(kind, KeyKind::NoHosts | KeyKind::Access)
                    && !kv.directive
                    && line[..kv.value_start].trim_ascii_end().ends_with('=') =>
            {
                match env_pairs::more_pairs(line, kv.value_start) {
                    Some(pairs) => {
                        l.claim(0, pairs[0].1.start);
                        // A pair read by its key: one that names no host, or no more than names
                        // without an address or a port (Traffic Server's `search_list="a.com
                        // b.com"`, a `description="…"`), is read by no form.
                        for (key, word) in pairs {
                            let value = &line[key.end + 1..word.end];
                            let addresses = || {
                                value
                                    .split([' ', ',', ';', '|', '"', '\''])
                                    .any(|t| split_port(t).1.is_some() || parse_ip(t).is_some())
                            };
                            match kinds.classify(&line[key]) {
                                KeyKind::NoHosts | KeyKind::Access => l.claim(word.start, word.end),
                                KeyKind::Other if !addresses() => l.claim(word.start, word.end),
                                _ => {}
                            }
                        }
                        KeyKind::Other
                    }
                    None => kind,
                }
            }
            _ => kind,
        };
        match (kind, kv) {
            // A block's `hostname` beside a `port` (the jvb's XMPP shard `{ hostname = x
            // port = 5222 }`, Nextcloud's object store, SOGo's LDAP source): a server's, where a
            // `hostname` alone is this host's own.
            // (Under `server:` or `[web]`, this service's own name and port.)
            (KeyKind::NoHosts, Some(kv))
                if kv.indent > 0 && kv.key.eq_ignore_ascii_case("hostname") && !scope.listens() =>
            {
                l.key = kv.key;
                l.value_tokens(kv.value_start, false);
                siblings.server_if_port(kv.indent, first, l.found.len());
                continue;
            }
            (KeyKind::NoHosts | KeyKind::Access, Some(kv)) => {
                // A block it opens (`zone "x" {`, libvirt's `<domain type='kvm'>`) holds keys
                // of its own.
                if !kv.value.trim_end().ends_with('{') && !line.trim_ascii_start().starts_with('<')
                {
                    no_hosts_above = Some((kv.indent, kind == KeyKind::Access));
                }
                continue;
            }
            (KeyKind::Image, Some(kv)) => {
                l.image(kv.value_start);
                continue;
            }
            (KeyKind::Listen, Some(kv)) => {
                l.listen = true;
                l.listen_by_block = scope.listens() && kinds.classify(kv.key) != KeyKind::Listen;
                l.urls(&features);
                l.bracketed(&features);
                if let Some(bracketed) = opens_list(kv) {
                    list_under = Some(ListUnder {
                        prefixes: siblings.list(kv, l.found.len()),
                        indent: kv.indent + 1,
                        listen: true,
                        needs_evidence: false,
                        bracketed,
                    });
                }
                l.value_tokens(kv.value_start, false);
                siblings.hosts(kv, first, l.found.len(), true);
                continue;
            }
            (KeyKind::Hosts | KeyKind::HostsWithEvidence, Some(kv)) => {
                l.key = kv.key;
                l.needs_evidence = kind == KeyKind::HostsWithEvidence;
            }
            // Asterisk's `stunaddr`, a `databaseHostname`, `s3Endpoint`: a word for a server
            // glued to another still names one (OpenDKIM's `InternalHosts` are its clients).
            (KeyKind::Other, Some(kv))
                if ![
                    "addr",
                    "address",
                    "host",
                    "hostname",
                    "server",
                    "servers",
                    "endpoint",
                    "endpoints",
                    "relay",
                    "resolver",
                    "ldap",
                    "smtp",
                ]
                .iter()
                .any(|w| ends_with_ignore_case(kv.key.as_bytes(), w.as_bytes())) =>
            {
                l.plain_value = Some(kv.value_start);
            }
            _ => {}
        }
        l.urls(&features);
        l.oracle(&features);
        l.bracketed(&features);
        l.rsyslog(&features);
        l.conninfo(&features);
        if features.paren() {
            l.syslog_ng();
        }
        l.remote_paths(&features);
        l.shares(&features);
        if let (KeyKind::Other, Some(kv)) = (kind, kv)
            && features.equals()
            && kv.value.contains('=')
        {
            l.env_pairs(kv.value_start);
        } else if kv.is_none() && features.equals() {
            // Options written `-o key=value` (Postfix's master.cf).
            l.env_pairs(0);
        }
        if let (KeyKind::Hosts | KeyKind::HostsWithEvidence, Some(kv)) = (kind, kv) {
            if let Some(bracketed) = opens_list(kv) {
                list_under = Some(ListUnder {
                    prefixes: siblings.list(kv, l.found.len()),
                    indent: kv.indent + 1,
                    listen: false,
                    needs_evidence: kind == KeyKind::HostsWithEvidence,
                    bracketed,
                });
            } else {
                // A block it opens (keepalived's `real_server 10.0.0.11 443 {`) names a host
                // only with an address's evidence: `peer "x" {` and `upstream shop {` are labels.
                l.needs_evidence |= kv.value.trim_end().ends_with('{');
                l.value_tokens(kv.value_start, kv.directive && names_one_server(kv.key));
                siblings.hosts(kv, first, l.found.len(), true);
            }
        }
        if features.double_colon() || features.colons >= 7 {
            l.ipv6();
        }
        if features.dot_digit() || features.colon_digit() || features.dot_letter() {
            l.words(&features);
        }
        l.port_keyword(first);
        // One address under a key that names none takes the port of a sibling key named as it
        // is (Rspamd's `smtp` beside `smtp_port`); a bare `port` only where the key names an
        // address (APISIX's `ip: 10.0.0.5` above `port: 9080`) or opens a block (OpenBGPD's
        // `rtr 10.0.0.5 {` and its `port`): a `DNS=` or a `Match Address` beside a flat file's
        // own `Port` does not.
        if kind == KeyKind::Other
            && let Some(kv) = kv
            && l.found.len() == first + 1
        {
            let bare = ends_with_address_word(kv.key) || kv.value.trim_end().ends_with('{');
            siblings.hosts(kv, first, first + 1, bare);
        }
        bare_names.append(&mut l.bare_names);
    }
    unreached.mark(found.len(), siblings.section(), line_indent);
    keep_start(&found, &mut starts, previous);
    unreached.weaken(&mut found);
    siblings.give_ports(&mut found, &bare_names);
    bound::listen_where_bound(text, &starts, &mut found);
    if !options.ignore.is_empty() {
        found.retain(|r: &Reference| {
            !options
                .ignore
                .iter()
                .any(|pattern| ignored(pattern, &r.host))
        });
    }
    found
}

/// Keeps where the line before (`previous`: its number and byte offset) starts, if it gave a
/// reference.
fn keep_start(found: &[Reference], starts: &mut Vec<(usize, usize)>, previous: (usize, usize)) {
    if found.last().is_some_and(|r| r.line == previous.0) {
        starts.push(previous);
    }
}

/// A list of hosts under a key (YAML's `- item` lines), from `indent` on.
#[derive(Clone, Copy)]
struct ListUnder {
    /// How many key prefixes its key registered for sibling ports.
    prefixes: usize,
    indent: usize,
    listen: bool,
    needs_evidence: bool,
    /// Opened by `[` or `(` after its key (`"listen": [`): its items have no dash.
    bracketed: bool,
}

/// What a key's value names, from the key, the form of the line and the block it stands in
/// (`ssh_blocks`: whether an OpenSSH `Host` or `Match` line came before; `section`: the name of
/// the INI section or top-level YAML block).
fn kind_in<'t>(
    kv: KeyValue<'t>,
    scope: Scope,
    ssh_blocks: bool,
    section: &str,
    kinds: &mut KeyKinds<'t>,
) -> KeyKind {
    let kind = kinds.classify(kv.key);
    // `hostname` alone is this host's own name, but in a section named for a server (Gerrit's
    // `[database]`, borgmatic's `postgresql_databases:`) it is that server's, as
    // `database.hostname` would be.
    // Nor is a URL of another protocol than the web's (SOGo's `hostname =
    // "ldaps://ldap1.example.net"`, a Docker daemon's `tcp://`), where Keycloak's
    // `hostname=https://sso.example.com` is its own.
    let other_protocol = || {
        let value = kv.value.trim_start_matches(['"', '\'']);
        value.contains("://")
            && !value
                .get(..4)
                .is_some_and(|s| s.eq_ignore_ascii_case("http"))
    };
    if kind == KeyKind::NoHosts
        && kv.key.eq_ignore_ascii_case("hostname")
        && (names_a_server(section) || other_protocol())
    {
        return KeyKind::Hosts;
    }
    // A port's key holding a URL names what is behind the port (Zigbee2MQTT's serial `port:
    // tcp://10.0.0.5:6638`, a network adapter), where `http_port 10.0.0.5:8080` listens.
    if kind == KeyKind::Listen
        && ends_with_ignore_case(kv.key.as_bytes(), b"port")
        && kv.value.contains("://")
    {
        return KeyKind::Other;
    }
    // A database's or a broker's URL is no link for people, whatever its key's words (SOGo's
    // `OCSFolderInfoURL = "postgresql://…"`).
    if kind == KeyKind::NoHosts && served_by_no_browser(kv.value) {
        return KeyKind::Other;
    }
    // An environment file's plain `HOST=10.0.0.5` beside its `PORT=8888` (Chronograf's,
    // Directus's, a Node app's): where the program listens, an address of this host's; a server
    // it reaches has a prefix (`DB_HOST`), a section (Gitea's `[database]` `HOST = …`) or a
    // name (`HOST=backup.example.net`).
    if kv.key == "HOST"
        && kv.value_start == 5
        && section.is_empty()
        && parse_ip(kv.value.trim().trim_matches(['"', '\''])).is_some()
    {
        return KeyKind::Listen;
    }
    // An Erlang node's own name (VerneMQ's `nodename = VerneMQ@10.0.0.5`), where Slurm's
    // `NodeName=gpu01 NodeAddr=…` lists the nodes it reaches.
    if kv.key.eq_ignore_ascii_case("nodename") && kv.value.contains('@') {
        return KeyKind::NoHosts;
    }
    // Frigate's `genai: base_url: http://ollama.example.net:11434`: a client's block's base URL
    // with its port is the API it calls, where Airflow's `[webserver] base_url` and Kratos's
    // `serve:` ones are this service's own.
    if kind == KeyKind::NoHosts
        && kv.key.eq_ignore_ascii_case("base_url")
        && kv.indent > 0
        && !kv.value.starts_with('>')
        && !scope.listens()
        && scope != Scope::Own
        && crate::url::authorities(kv.value)
            .next()
            .is_some_and(|(_, a)| split_port(&kv.value[a]).1.is_some())
    {
        return KeyKind::Other;
    }
    // ntfy's `smtp-sender-addr: "smtp.example.net:587"`: a mailbox key, but a mailbox has no
    // port; a server does.
    if kind == KeyKind::NoHosts
        && ends_with_address_word(kv.key)
        && context::names_one_mailbox(kv.key.as_bytes())
    {
        let value = kv.value.trim_ascii().trim_matches(['"', '\'']);
        if !value.contains(['@', ' ']) && split_port(value).1.is_some() {
            return KeyKind::HostsWithEvidence;
        }
    }
    let one_word = || {
        let value = kv.value.trim_end_matches([';', ' ', '\t']);
        !value.is_empty() && !value.contains([' ', '\t', '*', '?'])
    };
    // OpenSSH's `HostName db.example.com` in a `Host` block names the host to reach;
    // `hostname = web-01`, Zabbix's `Hostname=` and collectd's `Hostname "web-01"` are this
    // host's own name.
    if ssh_blocks && kv.directive && kv.key.eq_ignore_ascii_case("hostname") {
        return KeyKind::Hosts;
    }
    // A Java bean's `hostName` (Spring's `<property name="hostName" value="redis-01"/>`) is
    // the server's, where `Hostname` and `hostname` are this host's own.
    if kv.key == "hostName" {
        return KeyKind::Hosts;
    }
    // chrony's `pool ntp iburst` names servers; Odyssey's `pool "session"` is a label.
    if kv.directive && kv.key.eq_ignore_ascii_case("pool") && !kv.value.starts_with(['"', '\'']) {
        return KeyKind::Hosts;
    }
    // ODBC's `Servername = 10.0.4.30` is the server; Apache's `ServerName` is its own.
    if !kv.directive && kv.key.eq_ignore_ascii_case("servername") {
        return KeyKind::Hosts;
    }
    // ISC dhcpd's `option domain-name-servers a, b;`: what it hands its clients (OpenWrt's
    // `option server 'x'`, with no `;`, is a setting like any other).
    if kv.directive && kv.key == "option" && kv.value.trim_end().ends_with(';') {
        return KeyKind::NoHosts;
    }
    // Ruby's `YAML.load <<-'EOS'`: the value is the heredoc's lines, read as they come.
    if matches!(kind, KeyKind::Hosts | KeyKind::HostsWithEvidence) && kv.value.contains("<<") {
        return KeyKind::Other;
    }
    // Tor's `ORPort ADDR:9001`, `SocksPort ADDR:9050`: a port of this service, with the address
    // it binds; `HiddenServicePort 80 ADDR:8080` sends its port 80 on to that address.
    if kind == KeyKind::Other && kv.directive && kv.key.len() > 4 && kv.key.ends_with("Port") {
        let first = kv.value.split_ascii_whitespace().next().unwrap_or_default();
        if !first.bytes().all(|c| c.is_ascii_digit()) {
            return KeyKind::Listen;
        }
    }
    // In `listeners:` or `listener "tcp" {`, an address key gives where this service listens
    // (Odyssey's `listen { host "10.0.0.5" }` too; an OpenTelemetry receiver's `protocols:`
    // with their `endpoint:`).
    // A key named for no server (ejabberd's `listen: - ip: "10.0.0.5"`) only with an address.
    let address = || {
        let value = kv.value.trim_ascii().trim_matches(['"', '\'', ',']);
        parse_ip(split_port(value).0.trim_matches(['[', ']'])).is_some()
    };
    // ifupdown's `gateway 10.0.0.1`, netplan's `gateway4`: the router of the host's own
    // network, no server of this service's.
    let bare_address = || {
        let value = kv.value.trim_ascii().trim_matches(['"', '\'', ',', ';']);
        parse_ip(value).is_some()
    };
    if ["gateway", "gateway4", "gateway6"]
        .iter()
        .any(|k| kv.key.eq_ignore_ascii_case(k))
        && bare_address()
    {
        return KeyKind::NoHosts;
    }
    // An address, not a name, there is where this service serves that protocol (a
    // `grpc_host = api.example.com` is reached).
    // (cloudflared's `metrics: 10.0.0.4:20241`: where its metrics are served.)
    if (context::names_a_protocol_address(kv.key) || kv.key.eq_ignore_ascii_case("metrics"))
        && address()
    {
        return KeyKind::Listen;
    }
    if scope.listens()
        && (matches!(kind, KeyKind::Hosts | KeyKind::HostsWithEvidence)
            || kind == KeyKind::Other && address()
            // PeerTube's `listen: hostname: '10.0.0.5'`: an address, not this host's name.
            || kind == KeyKind::NoHosts && kv.key.eq_ignore_ascii_case("hostname") && address())
        && (context::names_an_address(kv.key)
            || kv.key.eq_ignore_ascii_case("hostname")
            || scope == Scope::Endpoints
                && (kv.key.eq_ignore_ascii_case("endpoint") || kv.key.eq_ignore_ascii_case("url")))
    {
        return KeyKind::Listen;
    }
    // OpenSSH's `Host app-*` and pg_hba's `host all all 10.0.0.0/8` are patterns and
    // connection types; Fluent Bit's and msmtp's `Host 10.0.0.5` (one address) is a server.
    if kv.directive && kv.key.eq_ignore_ascii_case("host") {
        return if one_word() {
            KeyKind::HostsWithEvidence
        } else {
            KeyKind::Other
        };
    }
    kind
}

/// Whether a key ends with a word for an address: `ip`, `DirAddress`, `serverAddr`, `cli-ip`.
fn ends_with_address_word(key: &str) -> bool {
    let b = key.as_bytes();
    ["ipaddress", "ipaddr", "address", "addrs", "addr", "ip"]
        .iter()
        .any(|w| {
            let Some(cut) = b.len().checked_sub(w.len()) else {
                return false;
            };
            // The word starts the key, a segment or a camel-case word (not `zip`, `lip`).
            b[cut..].eq_ignore_ascii_case(w.as_bytes())
                && (cut == 0
                    || matches!(b[cut - 1], b'_' | b'-' | b'.')
                    || b[cut].is_ascii_uppercase() && b[cut - 1].is_ascii_lowercase())
        })
}

/// Whether a section's name is a server's: `[database]`, `[ldap]`, `postgresql_databases`.
fn names_a_server(section: &str) -> bool {
    // MHA's `[server1]`, `[binlog1]`: one of a numbered list of servers (not systemd-networkd's
    // `[DHCPv4]`, whose `Hostname=` is this host's own).
    let word = section.trim_end_matches(|c: char| c.is_ascii_digit());
    if word.len() < section.len()
        && [
            "server", "node", "host", "backend", "replica", "member", "peer", "binlog", "db",
        ]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
    {
        return true;
    }
    let section = section.to_ascii_lowercase();
    [
        "database", "db", "mysql", "postgres", "ldap", "smtp", "mail", "redis", "cache", "mongo",
        "broker", "remote", "upstream", "backend", "proxy",
    ]
    .iter()
    .any(|w| {
        section
            .split(['.', '_', '-', ' ', '"'])
            .any(|s| s == *w || (w.len() > 2 && s.starts_with(w)))
    })
}

/// Whether `value` is the URL of a database, a broker or a directory (`postgresql://`,
/// `ldaps://`, `amqp://`), which no browser opens and no user is sent to (a `wss://`, `git://`,
/// `ssh://` or `ftp://` URL may be a service's own).
fn served_by_no_browser(value: &str) -> bool {
    // The value is the URL, whatever marks lead to it (PHP's `=> '`, a quote), not a sentence
    // that names one.
    crate::url::authorities(value)
        .next()
        .is_some_and(|(start, authority)| {
            let scheme = &value[start..authority.start - 3];
            if value[..start].bytes().any(|c| c.is_ascii_alphanumeric()) {
                return false;
            }
            let served_to_users = ["http", "ws", "ftp", "git", "ssh", "sftp", "file"]
                .iter()
                .any(|s| starts_with_ignore_case(scheme.as_bytes(), s.as_bytes()));
            !served_to_users && crate::refs::tokens::default_port(scheme).is_some()
        })
}

/// `context::classify`, once per distinct key of the text: keys repeat from line to line and
/// file to file, and one hash lookup costs less than classifying again.
#[derive(Default)]
struct KeyKinds<'t>(FxHashMap<&'t str, KeyKind>);

impl<'t> KeyKinds<'t> {
    /// Keys remembered at most: a text of distinct keys (generated, or hostile) stays linear
    /// and small.
    const LIMIT: usize = 4096;

    fn classify(&mut self, key: &'t str) -> KeyKind {
        if let Some(&kind) = self.0.get(key) {
            return kind;
        }
        let kind = context::classify(key);
        if self.0.len() < Self::LIMIT {
            self.0.insert(key, kind);
        }
        kind
    }
}

/// Whether a key's value is a list on the lines below: nothing after the key (YAML's dashed
/// items), or only the bracket that opens it (`"listen": [`, HJSON's `Listen: [`), `Some(true)`.
fn opens_list(kv: KeyValue<'_>) -> Option<bool> {
    match kv.value.trim() {
        _ if kv.directive => None,
        "" => Some(false),
        "[" | "(" => Some(true),
        _ => None,
    }
}

/// A bracketed list's item, its indent and where its value starts; `None` at the bracket that
/// closes the list, or at a line less indented than its items (a section's header, a key).
fn bracketed_item(line: &str, items: usize) -> Option<(usize, usize)> {
    let indent = line.len() - line.trim_ascii_start().len();
    (indent >= items && !line[indent..].starts_with([']', ')'])).then_some((indent, indent))
}

/// A YAML list item that is a mapping (`- url: http://x`, `- id: primary`): its keys say what
/// its values are, not the list's key.
fn is_mapping(item: &str) -> bool {
    context::key_value(item).is_some_and(|kv| !kv.directive)
}

/// A block's label alone before its brace: Caddy's `shop.example.com {`, `http://x {`.
fn is_block_label(line: &str) -> bool {
    let t = line.trim_ascii();
    t.strip_suffix('{')
        .map(str::trim_ascii_end)
        .is_some_and(|label| !label.is_empty() && !label.contains([' ', '\t', '=', '{', '"']))
}

/// A YAML key alone on its line, written `host:port` (H2O's `"www.example.com:80":` over the
/// virtual host's settings): a block's name, as Caddy's `shop.example.com {` is. In a block
/// of listeners it is an address (`is_address_key`).
fn is_host_port_block_key(line: &str) -> bool {
    let Some(key) = line.trim_ascii().strip_suffix(':') else {
        return false;
    };
    // Quoted: an Ansible inventory's `badwolf.example.com:5309:` is a host to manage.
    let Some(key) = key
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
    else {
        return false;
    };
    let (host, port) = split_port(key);
    !key.contains([' ', '\t', '"', '\'', '/', '=']) && port.is_some() && !host.is_empty()
}

/// A block named in quotes by a key that names no server: Terraform's `credentials
/// "app.terraform.io" {`, whose name is what it looks up (`server "x" {` and an address are
/// read).
fn is_named_block(line: &str) -> bool {
    let Some(head) = line.trim_ascii().strip_suffix('{') else {
        return false;
    };
    let Some((key, label)) = head.trim_ascii_end().split_once([' ', '\t']) else {
        return false;
    };
    let Some(label) = label
        .trim_ascii()
        .strip_prefix('"')
        .and_then(|l| l.strip_suffix('"'))
    else {
        return false;
    };
    // An address, or a name with its port, is a server's.
    !label.contains(['"', ' '])
        && split_port(label).1.is_none()
        && parse_ip(label).is_none()
        && !matches!(
            kinds::classify(key),
            KeyKind::Hosts | KeyKind::HostsWithEvidence | KeyKind::Listen
        )
}

/// Whether the line's key is an address written in quotes, with or without its port
/// (`"10.0.0.5:443": {`, `"[fd00::1]:443": {`).
fn is_address_key(line: &str) -> bool {
    let Some(key) = line.trim_ascii_start().strip_prefix('"') else {
        return false;
    };
    let Some(end) = key.find('"') else {
        return false;
    };
    key[end + 1..].trim_ascii_start().starts_with(':')
        && parse_ip(split_port(&key[..end]).0).is_some()
}

/// memcached's `-l ADDR[,ADDR]`, alone on its line: where the value starts. Addresses only:
/// `-l deploy bastion` continues an `ssh` command.
fn listen_flag(line: &str) -> Option<usize> {
    let t = line.trim_ascii_start();
    let rest = t.strip_prefix("-l ").or_else(|| t.strip_prefix("-l\t"))?;
    rest.trim_ascii()
        .split(',')
        .all(|a| a.parse::<std::net::IpAddr>().is_ok())
        .then(|| line.len() - rest.len())
}

/// An element named for what accepts connections (`Listener`, `TCPListener`, Tomcat's
/// `Connector`) with an `address` attribute, its attributes going on over the next lines or
/// not.
fn listener_element(line: &str) -> bool {
    let Some(tag) = line.trim_ascii_start().strip_prefix('<') else {
        return false;
    };
    let name = tag.split([' ', '\t']).next().unwrap_or_default().as_bytes();
    let listener =
        ends_with_ignore_case(name, b"listener") || name.eq_ignore_ascii_case(b"connector");
    listener && tag.contains(" address=")
}

/// A one-line XML element (`<acceptor … />`) whose name is a listen key's.
fn is_listen_element(element: &xml::Element<'_>) -> bool {
    kinds::classify(element.name) == KeyKind::Listen
}

/// libvirt's `<host name='mon1.example.com' port='6789'/>`, GoCD's `<mailhost
/// hostname="smtp.example.com" port="587"/>`: an element that is a host or a server, named by
/// its `hostname`, `name` or `address` attribute. Where that attribute's value starts.
fn host_element(element: &xml::Element<'_>) -> Option<usize> {
    let name = element.name.as_bytes();
    let exact = ["host", "server"]
        .iter()
        .any(|e| element.name.eq_ignore_ascii_case(e));
    // A longer name (`mailhost`, not JBoss's own `virtual-server`) only with an attribute that
    // names the host: its `name` may be a label, and its address in another attribute.
    let ends = |e: &str| {
        name.len() > e.len() && name[name.len() - e.len()..].eq_ignore_ascii_case(e.as_bytes())
    };
    let named = !exact && (ends("host") || ends("server")) && !name.starts_with(b"virtual");
    if !exact && !named {
        return None;
    }
    element
        .attribute("hostname")
        .or_else(|| exact.then(|| element.attribute("name")).flatten())
        .or_else(|| element.attribute("address"))
        .map(|value| value.start)
}

/// Apache's `<VirtualHost 10.0.0.5:443>`: where the value starts, its addresses this host's own.
fn virtual_host(line: &str) -> Option<usize> {
    let t = line.trim_ascii_start();
    let tag = t.get(..13)?;
    tag.eq_ignore_ascii_case("<VirtualHost ")
        .then(|| line.len() - t.len() + 13)
}

/// `<Plugin network>` or `</Database>` alone on its line: a block of collectd or Apache opens
/// or closes, and what follows is another block.
fn is_tag(line: &str) -> bool {
    let t = line.trim_ascii();
    t.len() > 2
        && t.starts_with('<')
        && t.ends_with('>')
        && t.as_bytes()[1..]
            .first()
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'/')
        && !t[1..t.len() - 1].contains(['<', '>'])
}

/// A comment that opens on this line and goes on over the next ones: `/*` then a blank, a `*` or
/// nothing (a path glob like `/*/cache` opens none), or `<!--`, without its closer on the line
/// (a one-line `/* primary */ host: db` is read). What will close it.
fn opens_comment(line: &str) -> Option<&'static str> {
    let t = line.trim_ascii_start();
    let closer = if t
        .strip_prefix("/*")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '*']))
    {
        "*/"
    } else if t.starts_with("<!--") {
        "-->"
    } else {
        return None;
    };
    (!t[2..].contains(closer)).then_some(closer)
}

/// `10.0.0.11 gitlab.example.com gitlab`: an `/etc/hosts` entry (CoreDNS's `hosts` block too)
/// maps names to an address; it reaches none of them.
fn is_hosts_entry(line: &str, features: &Features) -> bool {
    // Most lines start with a letter: ruled out before any search. An entry may be an item of
    // a quoted list (Pi-hole's `hosts = [ "10.0.0.10 nas.example.net", … ]`).
    let t = line.trim_ascii_start();
    let t = match t.strip_prefix('"') {
        Some(quoted) => quoted
            .trim_end_matches([',', ' ', '\t'])
            .strip_suffix('"')
            .unwrap_or(t),
        None => t,
    };
    let ipv6 = features.colons >= 2 && t.starts_with(|c: char| c.is_ascii_hexdigit() || c == ':');
    if !(ipv6 || t.starts_with(|c: char| c.is_ascii_digit())) {
        return false;
    }
    let line = t.split_once('#').map_or(t, |(entry, _)| entry);
    let mut words = line.split_ascii_whitespace();
    let address = words.next().is_some_and(|w| {
        (w.as_bytes()[0].is_ascii_digit() || w.contains(':'))
            && w.parse::<std::net::IpAddr>().is_ok()
    });
    let mut names = words.peekable();
    address
        && names.peek().is_some()
        && names.all(|w| {
            w.bytes().any(|c| c.is_ascii_alphabetic())
                && w.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-'))
        })
}

/// A Postfix master.cf service of type `inet` bound to an address (`10.0.0.5:smtp inet n - y -
/// - smtpd`): the address, the port its service names, and where the address ends.
fn postfix_service(line: &str) -> Option<(&str, Option<u16>, usize)> {
    let mut words = line.split_ascii_whitespace();
    let (service, kind) = (words.next()?, words.next()?);
    if kind != "inet" || line.starts_with([' ', '\t']) {
        return None;
    }
    let (host, name) = service.rsplit_once(':')?;
    let port = super::tokens::port(name).or_else(|| match name {
        "submission" => Some(587),
        _ => super::tokens::default_port(name),
    });
    Some((host.trim_matches(['[', ']']), port, service.len()))
}

/// `[section]` or TOML's `[[inputs.cpu]]` alone on its line: what follows is another block.
pub(super) fn is_section_header(line: &str) -> bool {
    let t = line.trim_ascii();
    let inner = t.trim_start_matches('[').trim_end_matches(']');
    t.starts_with('[') && t.ends_with(']') && !inner.is_empty() && !inner.contains(['[', ']'])
}

/// A call that makes the service listen, first on its line: Knot Resolver's
/// `net.listen('10.0.0.53', 853)`, dnsdist's `setLocal("10.0.0.53:53")`, `addTLSLocal(…)`.
fn listen_call(line: &str) -> bool {
    let t = line.trim_ascii_start();
    let name_end = t
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b':'))
        .count();
    if name_end == 0 || t.as_bytes().get(name_end) != Some(&b'(') {
        return false;
    }
    let name = t[..name_end]
        .rsplit(['.', ':'])
        .next()
        .unwrap_or_default()
        .as_bytes();
    ends_with_ignore_case(name, b"listen")
        || (starts_with_ignore_case(name, b"add") || starts_with_ignore_case(name, b"set"))
            && ends_with_ignore_case(name, b"local")
}

/// A block that serves at the URLs after its name: maddy's `submission tls://10.0.0.25:465
/// tcp://10.0.0.25:587 {`.
fn endpoint_block(line: &str) -> bool {
    let Some(head) = line.trim_ascii().strip_suffix('{') else {
        return false;
    };
    let mut words = head.split_ascii_whitespace();
    let name = words.next().unwrap_or_default();
    let mut urls = words.peekable();
    // Web URLs there are a proxy's upstreams (Caddy's `reverse_proxy https://backend {`).
    let web = |w: &str| {
        ["http://", "https://", "h2c://", "ws://", "wss://"]
            .iter()
            .any(|s| starts_with_ignore_case(w.as_bytes(), s.as_bytes()))
    };
    !name.is_empty()
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
        && urls.peek().is_some()
        && urls.all(|w| w.contains("://") && !web(w))
}

/// A section named by the URL it reaches: git's `[url "ssh://git@git.example.com/"]` (what
/// `insteadOf` URLs become), Kanidm's `[replication."repl://idm2.example.net:8444"]`. A section
/// of settings for URLs that match (git's `[http "https://…"]`, `[credential "…"]`) is not.
fn reaching_header(line: &str) -> bool {
    let name = line.trim_ascii().trim_start_matches('[');
    ["url ", "url.", "replication ", "replication."]
        .iter()
        .any(|w| {
            name.get(..w.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(w))
        })
        && name.contains("://")
}

/// Directives whose value is one server and its options: HAProxy's `server NAME ADDR check`,
/// nginx's `server ADDR weight=5`, chrony's `server ntp1 iburst`, OpenVPN's `remote HOST PORT`,
/// squid's `cache_peer HOST parent 3128 3130`.
fn names_one_server(key: &str) -> bool {
    let b = key.as_bytes();
    ["server", "pool", "peer", "remote"].iter().any(|name| {
        b.len() >= name.len() && b[b.len() - name.len()..].eq_ignore_ascii_case(name.as_bytes())
    })
}

/// `str::lines` with a SIMD newline search: config lines are short, and the per-line cost shows.
fn lines(text: &str) -> impl Iterator<Item = &str> + '_ {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .chain(std::iter::once(text.len()))
        .filter_map(move |end| {
            let line = &text[start..end];
            let last = end == text.len();
            start = end + 1;
            if last && line.is_empty() {
                return None;
            }
            Some(line.strip_suffix('\r').unwrap_or(line))
        })
}

/// An ignore entry: an exact host, or `*.domain` / `prefix*`.
fn ignored(pattern: &str, host: &str) -> bool {
    let (p, h) = (pattern.to_ascii_lowercase(), host.to_ascii_lowercase());
    match (p.strip_prefix('*'), p.strip_suffix('*')) {
        (Some(suffix), _) => h.ends_with(suffix),
        (_, Some(prefix)) => h.starts_with(prefix),
        _ => p == h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        scan(text, &ScanOptions::default())
            .into_iter()
            .map(|r| match r.port {
                Some(port) => format!("{}:{port}", r.host),
                None => r.host,
            })
            .collect()
    }

    #[test]
    fn rsyslog_actions_with_options_and_default_port() {
        assert_eq!(
            found("*.* @@(o)logs.example.com:10514"),
            ["logs.example.com:10514"]
        );
        assert_eq!(found("kern.* @(z9)10.0.0.5"), ["10.0.0.5:514"]);
        assert_eq!(found("*.* @@(bad option)logs"), Vec::<String>::new());
        assert_eq!(found("admin_email = ops@example.com"), Vec::<String>::new());
    }

    #[test]
    fn bracketed_names_and_addresses_but_not_sections() {
        assert_eq!(
            found("relayhost = [smtp.example.com]:587"),
            ["smtp.example.com:587"]
        );
        assert_eq!(found("upstream = [2001:db8::1]:5432"), ["2001:db8::1:5432"]);
        assert_eq!(found("[mysqld]"), Vec::<String>::new());
        assert_eq!(found("[cluster.settings]"), Vec::<String>::new());
        assert_eq!(found("[mx.example.com]:25"), ["mx.example.com:25"]);
    }

    #[test]
    fn redis_replication_and_sentinel_lines() {
        assert_eq!(found("slaveof 10.0.0.9 6379"), ["10.0.0.9:6379"]);
        assert_eq!(
            found("  SENTINEL known-replica m 10.0.0.2 6380"),
            ["10.0.0.2:6380"]
        );
        assert_eq!(
            found("sentinel monitor m cache-01 6379 2"),
            ["cache-01:6379"]
        );
        assert_eq!(
            found("sentinel down-after-milliseconds m 5000"),
            Vec::<String>::new()
        );
        // A primary's own file: it replicates from no one (not a host `one`).
        assert_eq!(found("replicaof no one"), Vec::<String>::new());
        assert_eq!(found("SLAVEOF NO ONE"), Vec::<String>::new());
    }

    #[test]
    fn conninfo_hosts_take_their_ports_in_order() {
        assert_eq!(
            found("primary_conninfo = 'host=a.example.com,b.example.com port=5432,5433'"),
            ["a.example.com:5432", "b.example.com:5433"]
        );
        assert_eq!(
            found("conn = \"hostaddr = 10.0.0.7 port = 6432 user=x\""),
            ["10.0.0.7:6432"]
        );
        assert_eq!(found("opts = ghost=1 host_name=x"), Vec::<String>::new());
        assert_eq!(found("dsn = \"host = db port = 5433\""), ["db:5433"]);
    }

    use crate::refs::found::described;

    #[test]
    fn copy_targets_shares_and_ssh() {
        assert_eq!(
            found("0 1 * * * rsync -a /srv/ bk@backup-01:/srv/bk/"),
            ["backup-01"]
        );
        assert_eq!(found("scp x.tgz ops@10.0.0.4:dumps/"), ["10.0.0.4"]);
        assert_eq!(found("ssh -p 22 deploy@bastion 'uptime'"), ["bastion:22"]);
        assert_eq!(found("fs-01:/export /mnt nfs rw 0 0"), ["fs-01"]);
        assert_eq!(found("//fs-02/share /mnt/s cifs guest 0 0"), ["fs-02"]);
        assert_eq!(
            found(r"path = \\fs-03.corp.internal\share"),
            ["fs-03.corp.internal"]
        );
        assert_eq!(found(r"unc = \\fs-04\public"), ["fs-04"]);
        assert_eq!(found(r"unc = \\\\fs-06\\public"), ["fs-06"]);
        assert_eq!(found("media -fstype=cifs ://fs-05/media"), ["fs-05"]);
        // Search paths, sockets, e-mail addresses and drive letters are no targets.
        assert_eq!(found("LD_LIBRARY_PATH=lib:/usr/lib"), Vec::<String>::new());
        assert_eq!(found("socket = unix:/run/app.sock"), Vec::<String>::new());
        assert_eq!(found("notify = ops@example.com"), Vec::<String>::new());
        assert_eq!(found("data = C:/data"), Vec::<String>::new());
        assert_eq!(found("x = 1 // see /etc/x"), Vec::<String>::new());
    }

    #[test]
    fn keyword_values_and_numbered_keys() {
        assert_eq!(found("Host b\n  HostName bastion-02"), ["bastion-02"]);
        // Before any `Host` block it is this host's own name (collectd's `Hostname`).
        assert_eq!(
            found("Hostname \"web-07.example.com\""),
            Vec::<String>::new()
        );
        assert_eq!(found("hostname = web-01"), Vec::<String>::new());
        assert_eq!(found("Host app-*"), Vec::<String>::new());
        assert_eq!(found("ProxyJump ops@jump-01:2222"), ["jump-01:2222"]);
        assert_eq!(found("relayhost: mx-01"), ["mx-01"]);
        assert_eq!(found("krb5_server kdc-01"), ["kdc-01"]);
        assert_eq!(
            found("remote vpn-01.example.com 1194 udp"),
            ["vpn-01.example.com:1194"]
        );
        assert_eq!(found("server.2=zk-02:2888:3888;2181"), ["zk-02:3888"]);
        assert_eq!(found("server.3=10.0.1.3:2888:3888"), ["10.0.1.3:3888"]);
        assert_eq!(found("nodes.1 = rabbit@mq-01"), ["mq-01"]);
        assert_eq!(found("password server = dc-01"), ["dc-01"]);
        assert_eq!(
            found("server role = standalone server"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("character-set-server = utf8mb4"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("default-server init-addr last,libc,none"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn sibling_ports_in_the_same_section_with_the_same_prefix() {
        assert_eq!(found("[client]\nhost = db-r\nport = 3307\n"), ["db-r:3307"]);
        assert_eq!(
            found("spring.mail.host=mx-02\nspring.mail.port=2525\nserver.port=8080\n"),
            ["mx-02:2525"]
        );
        assert_eq!(
            found("syslog {\n host => \"siem\"\n port => 1514\n}"),
            ["siem:1514"]
        );
        // Another section's port, or another prefix's, is not this host's.
        assert_eq!(found("[a]\nhost = db-a\n[b]\nport = 3307\n"), ["db-a"]);
        assert_eq!(found("upstream_host = up-1\nport = 8080\n"), ["up-1"]);
        assert_eq!(found("db:\n  host: db-y\ncache:\n  port: 6379\n"), ["db-y"]);
        // What listens takes the port named without `listen`.
        assert_eq!(
            described("listen_addresses = '10.0.0.5'\nport = 5433\n"),
            ["10.0.0.5:5433 listen"]
        );
        assert_eq!(
            described("pcp_listen_addresses = '10.0.0.5'\nport = 1\npcp_port = 9898\n"),
            ["10.0.0.5:9898 listen"]
        );
    }

    #[test]
    fn pairs_on_one_line_with_their_port() {
        assert_eq!(
            found("Environment=DB_HOST=db-03 DB_PORT=5433 WORKERS=4"),
            ["db-03:5433"]
        );
        assert_eq!(found("env APP_SERVER=app-7:8080 ./run"), ["app-7:8080"]);
        assert_eq!(
            found("Environment=\"CACHE_HOST=c-1\" \"C_PORT=1\""),
            ["c-1"]
        );
        assert_eq!(found("opts = a=1 b=2 mode=x"), Vec::<String>::new());
    }

    #[test]
    fn listen_keys_by_what_their_segments_say() {
        // A segment that starts with `listen` or `bind`, keepalived's virtual servers, and a
        // service's own `server.*` settings, with a bare number beside the address its port.
        assert_eq!(described("ListenIP=10.0.0.5"), ["10.0.0.5 listen"]);
        assert_eq!(
            described("http_listen_address: 10.0.0.5"),
            ["10.0.0.5 listen"]
        );
        assert_eq!(
            described("net:\n  port: 27017\n  bindIp: 127.0.0.1,10.0.0.6"),
            ["10.0.0.6:27017 listen"]
        );
        assert_eq!(
            described("virtual_server 10.0.0.100 443 {"),
            ["10.0.0.100:443 listen"]
        );
        assert_eq!(
            described("listener 1883 10.0.0.7"),
            ["10.0.0.7:1883 listen"]
        );
        assert_eq!(
            described("Listen \"10.0.0.8\" \"25826\""),
            ["10.0.0.8:25826 listen"]
        );
        assert_eq!(described("server.host: \"10.0.0.9\""), ["10.0.0.9 listen"]);
        assert_eq!(
            described("[server]\nhttp_addr = 10.0.0.10"),
            ["10.0.0.10 listen"]
        );
        assert_eq!(
            described("ListenPort=10050\nListenIP=10.0.0.11"),
            ["10.0.0.11:10050 listen"]
        );
        // Clients let in on a listen key are an access rule.
        assert_eq!(
            described("listen.allowed_clients = 10.0.2.10"),
            Vec::<String>::new()
        );
        // A block it opens names a server with an address's evidence only.
        assert_eq!(found("real_server 10.0.0.11 443 {"), ["10.0.0.11:443"]);
        assert_eq!(found("peer shop {"), Vec::<String>::new());
    }

    #[test]
    fn forms_of_the_second_blind_check() {
        // PHP's `define()` and quoted keys; a sibling port glued to its prefix; numbered keys.
        assert_eq!(
            found("define( 'WP_REDIS_HOST', '10.0.0.12' );\ndefine( 'WP_REDIS_PORT', 6379 );"),
            ["10.0.0.12:6379"]
        );
        assert_eq!(found("'memcache.local' => 'x',"), Vec::<String>::new());
        assert_eq!(
            found("'mail_smtphost' => 'mail.example.org',\n'mail_smtpport' => 465,"),
            ["mail.example.org:465"]
        );
        assert_eq!(
            found(
                "backend_hostname0 = 'pg-01'\nbackend_port0 = 5432\nbackend_hostname1 = 'pg-02'\nbackend_port1 = 5433"
            ),
            ["pg-01:5432", "pg-02:5433"]
        );
        // dnsmasq: `#port`, and what DHCP hands its clients.
        assert_eq!(found("server=10.0.0.53#5353"), ["10.0.0.53:5353"]);
        assert_eq!(
            found("server=/corp.example.com/10.0.0.54#53"),
            ["10.0.0.54:53"]
        );
        assert_eq!(
            found("dhcp-range=192.168.50.100,192.168.50.200,12h"),
            Vec::<String>::new()
        );
        // Code, namespaces, networks with a mask and mailboxes name no server.
        assert_eq!(
            found("pool: <%= ENV.fetch(\"MAX\") { 5 } %>"),
            Vec::<String>::new()
        );
        assert_eq!(
            found(r"'memcache' => '\\OC\\Memcache\\APCu',"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("by peername.ip=10.0.0.0%255.255.0.0 read"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("'mail_from_address' => 'nextcloud',"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("<c xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"),
            Vec::<String>::new()
        );
        // Own URLs; blocks and sections named elsewhere; a list of URLs.
        assert_eq!(
            found("APP_URL=https://admin.example.com"),
            Vec::<String>::new()
        );
        // Only the word right before the URL says it is the service's own.
        assert_eq!(
            found("APP_API_URL=https://api.example.com"),
            ["api.example.com:443"]
        );
        assert_eq!(
            found("http_external_uri = https://g.example.com/"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("[db-01]\naddress=10.0.0.1\n[svc]\nservers=db-01"),
            ["10.0.0.1"]
        );
        assert_eq!(
            described("<acceptor name=\"amqp\">tcp://10.0.0.11:5672</acceptor>"),
            ["10.0.0.11:5672 listen"]
        );
    }

    #[test]
    fn a_block_switched_off_lists_its_servers_weak() {
        assert_eq!(
            described(
                "[old]\nbaseurl=https://repo.example.com/el9\nenabled=0\n[new]\nbaseurl=https://mirror.example.com/el9\nenabled=1"
            ),
            ["repo.example.com:443 weak", "mirror.example.com:443"]
        );
        assert_eq!(
            described(
                "agent:\n  enabled: false\n  url: https://agent.example.com:5005\nlogs:\n  url: https://logs.example.com"
            ),
            ["agent.example.com:5005 weak", "logs.example.com:443"]
        );
        // A switch of a deeper block, or one among a file's top settings, switches off nothing
        // around it; nor does a key that ends in `enabled`.
        assert_eq!(
            described("agent:\n  url: https://agent.example.com\n  tls:\n    enabled: false"),
            ["agent.example.com:443"]
        );
        assert_eq!(
            described("enabled = false\nserver = db.example.com"),
            ["db.example.com"]
        );
        assert_eq!(
            described("[db]\nhost = db.example.com\ntls_enabled = false"),
            ["db.example.com"]
        );
    }

    #[test]
    fn forms_of_xml_elements_and_commands() {
        assert_eq!(
            found("<host name='mon1.example.com' port='6789'/>\n<host name=\"default-host\">"),
            ["mon1.example.com:6789"]
        );
        assert_eq!(
            described("<transportConnector name=\"openwire\" uri=\"tcp://10.0.0.5:61616\"/>"),
            ["10.0.0.5:61616 listen"]
        );
        // The children of a block whose name names no host are read.
        assert_eq!(
            found("<domain type='kvm'>\n  <devices>\n    <host name='10.0.0.7' port='6789'/>"),
            ["10.0.0.7:6789"]
        );
        assert_eq!(
            found(
                "xsi:schemaLocation=\"http://www.example.org/schema/beans\n  http://www.example.org/schema/beans/beans.xsd\">"
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            found("command[pg]=/usr/lib/nagios/plugins/check_pgsql -H db.example.net -P 5433"),
            ["db.example.net:5433"]
        );
        assert_eq!(found("iperf -c 10.0.0.9 -P 4"), ["10.0.0.9"]);
        assert_eq!(
            described("accept = 10.0.0.15:6380\nconnect = cache.example.com:6379"),
            ["10.0.0.15:6380 listen", "cache.example.com:6379"]
        );
        assert_eq!(
            found("backup\trsync://mirror.example.org/module/\tmirror/"),
            ["mirror.example.org:873"]
        );
    }

    #[test]
    fn settings_written_as_elements_that_name_them() {
        assert_eq!(
            found(
                "<add key=\"SmtpHost\" value=\"mail.example.com\"/>\n<add key=\"AppVersion\" value=\"4.12.0.1\"/>\n<add key=\"PublicSiteUrl\" value=\"https://shop.example.com/\"/>"
            ),
            ["mail.example.com"]
        );
        assert_eq!(
            found("<property name=\"confluence.cluster.address\">10.0.0.5</property>"),
            ["10.0.0.5"]
        );
        // Icecast's `listener_add` is a URL it calls, not where it listens.
        assert_eq!(
            described("<option name=\"listener_add\" value=\"https://auth.example.org/add\"/>"),
            ["auth.example.org:443"]
        );
        assert_eq!(found("<system.net>"), Vec::<String>::new());
    }

    #[test]
    fn sql_server_connection_strings() {
        assert_eq!(
            found("\"Orders\": \"Server=sql-01.example.net,1433;Database=Orders;\""),
            ["sql-01.example.net:1433"]
        );
        assert_eq!(
            found(
                "connectionString=\"Data Source=tcp:10.0.2.30\\REPORTING,1444;Initial Catalog=R\""
            ),
            ["10.0.2.30:1444"]
        );
        assert_eq!(
            found("Environment=DB_HOST=a.example.com,b.example.com"),
            ["a.example.com", "b.example.com"]
        );
    }

    #[test]
    fn camel_case_keys_of_own_addresses_and_text() {
        assert_eq!(
            described("\"RaftBind\": \"10.0.1.11\","),
            ["10.0.1.11 listen"]
        );
        assert_eq!(
            found("\"RaftAdvertise\": \"orc1.example.com\","),
            Vec::<String>::new()
        );
        assert_eq!(
            found("\"DetectClusterAliasQuery\": \"SELECT x FROM meta.cluster\","),
            Vec::<String>::new()
        );
        assert_eq!(
            found("systemMessage: \"Runbook: https://wiki.example.com/ci\""),
            Vec::<String>::new()
        );
        assert_eq!(
            found("\"img-src\": [\"'self'\", \"https://tiles.example.org\"],"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("destinations=metadata-cache://prodCluster/?role=PRIMARY"),
            Vec::<String>::new()
        );
        // A pool needs an address's evidence: NTP's is one, a backup pool's name is not.
        assert_eq!(
            found("pool 2.debian.pool.ntp.org iburst\nPool = Incremental"),
            ["2.debian.pool.ntp.org"]
        );
    }

    #[test]
    fn what_the_review_found() {
        // A setting's value is its quoted attribute or its text, never the rest of the line.
        assert_eq!(
            found("<add key=\"host\" value=\"db01\" type=\"primary\"/> <!-- was relay01 -->"),
            ["db01"]
        );
        assert_eq!(
            found("<property name=\"hostName\" value=\"redis.example.com\"/>"),
            ["redis.example.com"]
        );
        // `Data Source` names a file or a TNS alias as often as a server.
        assert_eq!(
            found("\"Sqlite\": \"Data Source=blog.db\""),
            Vec::<String>::new()
        );
        assert_eq!(
            found("\"Ora\": \"Data Source=PRODDB;User Id=x\""),
            Vec::<String>::new()
        );
        assert_eq!(
            found("\"Ora\": \"Data Source=db.example.com:1521/ORCL;User Id=x\""),
            ["db.example.com:1521"]
        );
        // A switch among a file's top-level keys, YAML's or a JSON root object's, switches
        // nothing off.
        assert_eq!(
            described(
                "redis:\n  host: redis.example.com\nenabled: false\ndatabase:\n  host: db.example.com"
            ),
            ["redis.example.com", "db.example.com"]
        );
        assert_eq!(
            described("{\n  \"enabled\": false,\n  \"server\": \"db.example.com\"\n}"),
            ["db.example.com"]
        );
        assert_eq!(
            found("check_snmp -H switch1.example.com -P 3 -U monitor"),
            ["switch1.example.com"]
        );
        assert_eq!(
            found("<server name=\"primary\" url=\"ldap://ldap1.example.com:389\"/>"),
            ["ldap1.example.com:389"]
        );
        assert_eq!(found("pool ntp iburst"), ["ntp"]);
        assert_eq!(
            found(
                "<sws:dynamic-wsdl locationUri=\"http://ws.example.com/orders\"><sws:xsd location=\"/orders.xsd\"/>"
            ),
            ["ws.example.com:80"]
        );
    }

    #[test]
    fn arguments_after_an_address_are_no_hosts() {
        // A user and a password among a fencing device's arguments never show.
        assert_eq!(
            found(
                "stonith_host\tlb01.example.com external/ipmi lb02.example.com 10.0.9.12 ADMIN Pa55word lan"
            ),
            ["lb01.example.com", "lb02.example.com", "10.0.9.12"]
        );
        assert_eq!(found("hosts = db1 db2 db3"), ["db1", "db2", "db3"]);
        assert_eq!(
            found("peers = db1, a.example.com, db3"),
            ["db1", "a.example.com", "db3"]
        );
    }

    #[test]
    fn an_oracle_listener_listens_on_its_addresses() {
        assert_eq!(
            described(
                "LISTENER_PROD =\n  (DESCRIPTION =\n    (ADDRESS = (PROTOCOL = TCP)(HOST = 10.0.1.11)(PORT = 1521))\n  )\nORCL =\n  (DESCRIPTION =\n    (ADDRESS = (PROTOCOL = TCP)(HOST = 10.0.1.12)(PORT = 1521))\n  )"
            ),
            ["10.0.1.11:1521 listen", "10.0.1.12:1521"]
        );
    }

    #[test]
    fn names_told_to_clients_and_comment_lines() {
        assert_eq!(
            found("MasqueradeAddress ftp.example.com"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("$config['smtp_helo_host'] = 'webmail.example.com';"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("canonicalWebUrl = https://review.example.org/"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("/* Roundcube for webmail.example.com */"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("/* primary */ host: db.example.com"),
            ["db.example.com"]
        );
        assert_eq!(
            described("[pg-legacy]\nconninfo = host=pg.example.com user=barman\nactive = false"),
            ["pg.example.com weak"]
        );
        assert_eq!(
            found("seedlist = couchdb@c1.example.com,couchdb@c2.example.com"),
            ["c1.example.com", "c2.example.com"]
        );
    }

    #[test]
    fn groups_descriptions_and_certificate_names_are_no_servers() {
        assert_eq!(found("mcast_join = 239.2.11.71"), Vec::<String>::new());
        assert_eq!(found("group ff02::1:3"), Vec::<String>::new());
        assert_eq!(
            found("neighbor 10.0.0.2 {\n  descr \"transit-a.example.net\"\n}"),
            ["10.0.0.2"]
        );
        assert_eq!(
            found("comment = \"replica-2.mysql.example.com\""),
            Vec::<String>::new()
        );
        assert_eq!(found("checkHost = api.example.com"), Vec::<String>::new());
        // A domain is a name space, in camel case as in snake case (`auth0_domain`): even an
        // identity provider's tenant, reached at URLs the service builds from it.
        assert_eq!(
            found("auth0Domain: tenant.eu.auth0.com"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("default_redirection_url: https://www.example.com"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("extra_hosts = [\"gitlab.example.com:10.0.0.10\"]"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn own_names_labels_and_class_paths_are_no_servers() {
        assert_eq!(
            found("root_url = https://grafana.example.com/"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("server.publicBaseUrl: \"https://kibana.example.com\""),
            Vec::<String>::new()
        );
        assert_eq!(
            found("ALLOWED_HOSTS = [\"shop.example.com\"]"),
            Vec::<String>::new()
        );
        assert_eq!(found("id: web07.example.com"), Vec::<String>::new());
        assert_eq!(
            found("visible_hostname proxy.example.com"),
            Vec::<String>::new()
        );
        // In a hierarchy of keys, `x.hostname` is x's: Debezium's database, with its port.
        assert_eq!(
            found("\"database.hostname\": \"10.0.0.31\",\n\"database.port\": \"3306\","),
            ["10.0.0.31:3306"]
        );
        assert_eq!(
            found("scrape:\n  labels:\n    host: app23.example.com\n  url: http://lb.example.com"),
            ["lb.example.com:80"]
        );
        assert_eq!(
            found("BACKEND = \"django.core.cache.backends.redis.RedisCache\""),
            Vec::<String>::new()
        );
        assert_eq!(
            found(
                "object Endpoint \"sat-1\" {\n  host = \"10.0.0.21\"\n}\nendpoints = [ \"sat-1\" ]"
            ),
            ["10.0.0.21"]
        );
        // collectd's blocks are sections: a `Port` in one gives no port to the next.
        assert_eq!(
            found(
                "<Plugin a>\n  Host \"g.example.com\"\n  Port \"2003\"\n</Plugin>\n<Plugin b>\n  Server \"10.0.0.9\"\n</Plugin>"
            ),
            ["g.example.com:2003", "10.0.0.9"]
        );
    }

    #[test]
    fn listen_addresses_are_their_own_kind_and_never_wildcards_or_loopback() {
        assert_eq!(described("bind-address = 10.0.0.5"), ["10.0.0.5 listen"]);
        assert_eq!(described("listen 10.0.0.5:80 ssl;"), ["10.0.0.5:80 listen"]);
        assert_eq!(described("ListenAddress 10.0.0.6"), ["10.0.0.6 listen"]);
        assert_eq!(described("network.host: 10.0.0.7"), ["10.0.0.7 listen"]);
        assert_eq!(
            described("listen_addresses = 'localhost,10.0.0.8'"),
            ["10.0.0.8 listen"]
        );
        for wildcard in [
            "bind 127.0.0.1 ::1",
            "bind-address = 0.0.0.0",
            "listen [::]:80",
            "listen = *:8080",
            "ListenAddress ::",
            "listen 80;",
        ] {
            assert_eq!(described(wildcard), Vec::<String>::new(), "{wildcard}");
        }
    }

    #[test]
    fn single_labels_are_strong_only_in_host_keys_or_known_forms() {
        assert_eq!(described("seeds = es-01"), ["es-01"]);
        assert_eq!(described("targets = app-01:9100"), ["app-01:9100"]);
        assert_eq!(described("run = app-01:9100"), ["app-01:9100 weak"]);
        assert_eq!(
            described("run = 10.0.0.1:9100 db.example.com:5432"),
            ["10.0.0.1:9100", "db.example.com:5432"]
        );
        // Options, CSS, schema identifiers and ratios are not even weak references.
        for not_hosts in [
            "options timeout:2 attempts:3 ndots:5",
            "opts = rw,timeo:30,soft",
            "body { width:100%; z-index:10; }",
            "( MSADat2:104 NAME 'x' )",
            "ratio 16:9 at 12:30:45",
            "version: 2.14.1-rc2",
        ] {
            assert_eq!(described(not_hosts), Vec::<String>::new(), "{not_hosts}");
        }
    }

    #[test]
    fn contexts_that_rule_words_out() {
        for text in [
            "@include common-auth",
            "printer admin = @lpadmin",
            "hosts = ${if exists{CONFDIR/hubbed}{a}{b}}",
            "upstream = {{ db_host }}",
            "upstream = %{host}",
            "old_servers=$(awk '/^server / {print $2}' f)",
            "relay_hosts = 127.0.0.0/8 : 10.0.0.0/8 : fe80::/10",
            "olcAttributeTypes: ( 2.5.4.2 NAME 'knowledgeInformation'",
            "attributetype ( 2.5.6.9 NAME 'groupOfNames'",
            "zone \"10.in-addr.arpa\" { type master; };",
            "search corp.internal",
            "(SERVICE_NAME = shop.corp.internal)",
            "[domain/LDAP]",
        ] {
            assert_eq!(found(text), Vec::<String>::new(), "{text}");
        }
        // An LDIF definition folded over lines stays a definition.
        assert_eq!(
            found(
                "olcAttributeTypes: ( 1.3.6.1.4.1.1466.115.1\n 21.1.5 NAME 'x' DESC 'any\n URI can be used' )\n"
            ),
            Vec::<String>::new()
        );
        // rsyslog still forwards.
        assert_eq!(found("*.* @@logs-01:514"), ["logs-01:514"]);
    }

    #[test]
    fn lines_split_like_str_lines() {
        for text in ["", "a", "a\n", "a\r\nb", "a\n\nb\n", "\n", "a\rb\n"] {
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn keys_of_the_fifth_corpus_say_where_the_service_listens() {
        // Ruby's and PHP's subscripts are keys.
        assert_eq!(
            described("nginx['listen_addresses'] = ['10.0.0.50']"),
            ["10.0.0.50 listen"]
        );
        assert_eq!(
            described("gitlab_rails['db_host'] = 'db.example.com'\ngitlab_rails['db_port'] = 6432"),
            ["db.example.com:6432"]
        );
        assert_eq!(
            described("$db['default']['hostname'] = 'db-01';"),
            ["db-01"]
        );
        // Tor's ports with the address they bind; a forwarded port's target is reached.
        assert_eq!(
            described("ORPort 198.51.100.20:9001\nORPort [2001:db8::20]:9001"),
            ["198.51.100.20:9001 listen", "2001:db8::20:9001 listen"]
        );
        assert_eq!(
            described("HiddenServicePort 443 wiki.example.com:8443"),
            ["wiki.example.com:8443"]
        );
        // This host's own addresses: a local one, its web or metrics server's.
        assert_eq!(
            described("query-local-address=10.0.0.5\nlocal_addrs = 10.0.0.6"),
            ["10.0.0.5 listen", "10.0.0.6 listen"]
        );
        assert_eq!(
            described(
                "webserver-address=10.0.0.7\nweb_server_host = 10.0.0.8\ngrpc_host = api.example.com"
            ),
            ["10.0.0.7 listen", "10.0.0.8 listen", "api.example.com"]
        );
        assert_eq!(
            described("smtp_server_host = mx.example.com"),
            ["mx.example.com"]
        );
    }

    #[test]
    fn keys_and_lines_of_the_fifth_corpus_that_name_no_server() {
        for text in [
            "option domain-name-servers ns1.example.com, 10.0.0.54;",
            "range 10.0.30.100 10.0.30.250;",
            "fixed-address build-01.example.com;",
            "DJANGO_SETTINGS_MODULE=billing.settings.prod",
            "\"dns-search\": [\"corp.example.com\"]",
            "\"no-proxy\": \"localhost,registry.example.com\"",
            "url.redirect = ( \"^/(.*)\" => \"https://www.example.com/$1\" )",
            "notes_url https://wiki.example.com/db",
            "base_url = https://airflow.example.com",
            "external_media_address=pbx.example.com",
            "remote_base_log_folder = s3://airflow-logs/prod",
            "10.40.0.11 gitlab.example.com gitlab",
            "bgp router-id 10.0.0.1",
            "server.log.info(\"ready on %s\", bind)",
            "$HTTP[\"host\"] == \"assets.example.com\" {",
            "ldap_servers = YAML.load <<-'EOS'",
        ] {
            assert_eq!(described(text), Vec::<String>::new(), "{text}");
        }
        // What the rules leave: the forwarder after the zone, an unquoted comparison's URL.
        assert_eq!(
            described("forward-zones=corp.example.com=10.0.0.53"),
            ["10.0.0.53"]
        );
        assert_eq!(
            described("x == https://db.example.com"),
            ["db.example.com:443"]
        );
    }

    #[test]
    fn ports_a_scheme_implies_behind_a_driver() {
        assert_eq!(
            found("result_backend = db+postgresql://u:p@pg.example.com/airflow"),
            ["pg.example.com:5432"]
        );
        assert_eq!(found("forward . dns://10.0.0.53"), ["10.0.0.53:53"]);
    }

    #[test]
    fn forms_of_the_sixth_corpus() {
        // A comment over several lines is prose; a path glob opens none.
        assert_eq!(
            described("/*/cache\nhost = db.example.com"),
            ["db.example.com"]
        );
        assert_eq!(
            described("/*\n graphiteHost: hostname or IP of the server\n*/\nhost = db.example.com"),
            ["db.example.com"]
        );
        // Postfix's master.cf: a service bound to an address, and its `-o` options.
        assert_eq!(
            described(
                "10.0.0.25:smtp inet n - y - - smtpd\n  -o smtp_bind_address=10.0.0.25\n  -o mynetworks=10.0.0.41"
            ),
            ["10.0.0.25:25 listen", "10.0.0.25 listen"]
        );
        // A milter's socket, port first.
        assert_eq!(
            described("Socket inet:8891@10.0.0.40"),
            ["10.0.0.40:8891 listen"]
        );
        // A picking strategy before the hosts.
        assert_eq!(
            described(
                "hosts = \"round-robin:scan-01.example.org:11333,scan-02.example.org:11333\";"
            ),
            ["scan-01.example.org:11333", "scan-02.example.org:11333"]
        );
        // Patterns, next hops, networks and greetings.
        for text in [
            "HeadRequire \"Host: .*www.shop.example.com.*\"",
            "  via: 10.0.4.1",
            "network 10.0.8.0",
            "helo = \"mx1.example.org\";",
        ] {
            assert_eq!(described(text), Vec::<String>::new(), "{text}");
        }
        // Ports: an indexed key's sibling, a host key's own `_port`, a one-line object's,
        // a pair's stem on one line.
        assert_eq!(
            described("node.conn[0].address = 10.0.0.21\nnode.conn[0].port = 3260"),
            ["10.0.0.21:3260"]
        );
        assert_eq!(
            described(
                "<master-server>studio.example.org</master-server>\n<master-server-port>8000</master-server-port>"
            ),
            ["studio.example.org:8000"]
        );
        assert_eq!(
            described(", repeater: [ { host: \"10.0.5.40\", port: 8125 } ]"),
            ["10.0.5.40:8125"]
        );
        assert_eq!(
            described("OPTS=\"-Dhttp.proxyHost=10.0.0.8 -Dhttp.proxyPort=3128\""),
            ["10.0.0.8:3128"]
        );
        assert_eq!(
            described("HTTPProxyServer proxy.example.com\nHTTPProxyPort 3128"),
            ["proxy.example.com:3128"]
        );
        // `socket`, a tunnel's `local` end and a `listen:` block's host listen.
        assert_eq!(
            described("socket = 10.0.2.15:3031\nlocal 10.0.8.40"),
            ["10.0.2.15:3031 listen", "10.0.8.40 listen"]
        );
        assert_eq!(
            described("listen:\n  host: 10.0.3.17\n  port: 4242"),
            ["10.0.3.17:4242 listen"]
        );
    }

    #[test]
    fn forms_of_the_seventh_corpus() {
        for text in [
            // Comments: after a value, over several XML lines, Lua's.
            "$max_servers = 4;  # num of pre-forked children (2..30 is common)",
            "<!--\n  docs: https://documentation.example.com\n-->",
            "-- see https://prosody.example.im/doc",
            // Perl's arrays of access rules.
            "@inet_acl = qw( 127.0.0.1 10.0.0.25 10.0.0.27 );",
            // This host's own addresses and access lists in camel case.
            "\"AdvertiseAddress\": \"10.0.0.5\",",
            "StatsAllowedIP=127.0.0.1,10.0.1.5",
            "\"AllowCorsFrom\": \"https://intranet.example.net\",",
        ] {
            assert_eq!(described(text), Vec::<String>::new(), "{text}");
        }
        assert_eq!(described("SourceIP=10.0.0.10"), ["10.0.0.10 listen"]);
        assert_eq!(
            described("-m 64\n-l 127.0.0.1\n-l 10.0.4.31,10.0.40.31"),
            ["10.0.4.31 listen", "10.0.40.31 listen"]
        );
        assert_eq!(
            described("JavaGateway=10.0.0.15\nJavaGatewayPort=10052"),
            ["10.0.0.15:10052"]
        );
        // Kafka's advertised listener is the name its clients reach, not a server it reaches:
        // listed, and checked only where the inventory knows it.
        assert_eq!(
            described("advertised.listeners=PLAINTEXT://kafka-01.example.com:9092"),
            ["kafka-01.example.com:9092 weak"]
        );
    }

    #[test]
    fn where_a_server_listens_by_the_block_it_stands_in() {
        // A `listen` block's `host` directive, not OpenSSH's `Host`.
        assert_eq!(
            described("listen {\n  host \"10.0.0.10\"\n  port 6432\n}"),
            ["10.0.0.10:6432 listen"]
        );
        // This service's own server, at the top of a YAML, JSON or INI file, or in a key.
        assert_eq!(
            described("web:\n  address: 10.0.0.8\n  port: 8080"),
            ["10.0.0.8:8080 listen"]
        );
        assert_eq!(
            described(
                "{\n  \"server\": {\n    \"host\": \"10.0.0.12\",\n    \"port\": 2368\n  }\n}"
            ),
            ["10.0.0.12:2368 listen"]
        );
        assert_eq!(
            described("[web]\naddress = 10.0.0.10\nport = 8000"),
            ["10.0.0.10:8000 listen"]
        );
        assert_eq!(described("sonar.web.host=10.0.0.20"), ["10.0.0.20 listen"]);
        // A compose service named `web` is no server block; nginx's `server {` neither.
        assert_eq!(
            described("services:\n  web:\n    environment:\n      DATABASE_HOST: pg.example.com"),
            ["pg.example.com"]
        );
        // A name in such a block is reached (a PMM agent's server); nested blocks (a chart's
        // `server.config`, a compose service named `frontend`) name servers it reaches.
        assert_eq!(
            described("server:\n  address: pmm.example.com:443\n  config:\n    host: 10.0.0.9"),
            ["pmm.example.com:443", "10.0.0.9"]
        );
        assert_eq!(
            described("services:\n  frontend:\n    environment:\n      API_HOST: api.example.com"),
            ["api.example.com"]
        );
        assert_eq!(
            described(
                "frontend = {\n  host = \"10.0.0.50\"\n  port = \"443\"\n}\nbackend = \"[10.0.0.9]:8080\""
            ),
            ["10.0.0.50:443 listen", "10.0.0.9:8080"]
        );
    }

    #[test]
    fn hadoop_settings_are_a_name_and_the_value_below_it() {
        let site = "<configuration>\n  <property>\n    <name>hive.server2.thrift.bind.host</name>\n\
                    \x20   <value>10.0.0.31</value>\n  </property>\n  <property>\n\
                    \x20   <name>hive.server2.thrift.port</name>\n    <value>10000</value>\n\
                    \x20 </property>\n  <property>\n    <name>hive.metastore.uris</name>\n\
                    \x20   <description>where clients go</description>\n\
                    \x20   <value>thrift://hms.example.com:9083</value>\n  </property>\n\
                    <property><name>fs.defaultFS.comment</name><value>nn.example.com</value></property>\n\
                    </configuration>";
        assert_eq!(
            described(site),
            ["10.0.0.31:10000 listen", "hms.example.com:9083"]
        );
    }

    #[test]
    fn own_names_exclusions_comparisons_and_tokens_are_no_servers() {
        for text in [
            "public_addr: grafana.example.com",
            "publicHost = 10.0.0.5",
            "http_non_proxy_hosts = localhost,10.0.0.5,*.example.com",
            "INTERNAL_IPS = ('10.0.0.5',)",
            "\"ignored_ips\": [\"10.0.0.5\"],",
            "blocked_hosts:\n  - version.bind",
            "'proxyexclude' => ['10.0.0.5'],",
            "ids:\n  - 10.0.0.5",
            "if (src_ip==10.0.0.5) {",
            "stamp = 'sdns://AQcAAAAAAAAAEjE5OC41MS4xMDAuNzc6ODQ0MyBnyEe4yHWM0SAkVUO'",
            ":hostname, isequal, \"web01.example.com\"     /var/log/web01.log",
            "PermittedPeer=[\"relay.example.net\"]",
            "super.users=User:admin;User:CN=kafka-3.example.net",
            // A request's header, the name it asks another server for.
            "        \"Host: shop.example.com\"",
            ".request = \"GET / HTTP/1.1\\r\\nHost: shop.example.com\\r\\n\";",
            // Names this service tells its peers and clients.
            "broadcast_rpc_address: 10.0.0.5",
            "network.publish_host: es1.example.com",
            // Domains written in one word: name spaces, not servers.
            "customDomains = [\"nas.example.com\"]",
            "MailDomain=hpc.example.com",
            "defaultdomain: example.com",
            "fromdomain=example.com",
            // This service's own public name, text for people, an HTTP request's headers.
            "externhost=pbx.example.com",
            "welcometext=\"Rules and help: https://wiki.example.com/voice\"",
            "footer = \"See <a href=\\\"https://wiki.example.com/sso\\\">the FAQ</a>\"",
            "headers:\n  Host: api.example.com",
            "redirectURI: https://dex.example.com/dex/callback",
            // The roles of a list under a role key.
            "fileserver_backend:\n  - gitfs\n  - roots",
            // Pages for browsers and people: assets, an admin's web page.
            "ASSET_URL=https://cdn.shop.example.com",
            "admin_gui_url = https://kong-admin.example.net",
            "transport_email_web_interface_url = https://graylog.example.com",
            // Ranges and networks with their masks, a URL git rewrites.
            "\"pools\": [ { \"pool\": \"10.0.0.100 - 10.0.0.200\" } ],",
            "range6 2001:db8::100-2001:db8::1ff",
            "route 10.40.0.0 255.255.0.0",
            "\tinsteadOf = https://github.com/",
        ] {
            assert_eq!(found(text), Vec::<String>::new(), "{text}");
        }
        // A word after a dash is no address's range, nor an address after it a netmask.
        assert_eq!(found("server 10.0.0.5 -backup"), ["10.0.0.5"]);
        assert_eq!(found("servers 10.0.0.5 10.0.0.6"), ["10.0.0.5", "10.0.0.6"]);
        // A chart's external dependencies, a context, a list of search servers.
        assert_eq!(
            found("externalRedisHost: redis-01.example.com"),
            ["redis-01.example.com"]
        );
        assert_eq!(found("ssl_context: db.example.com"), ["db.example.com"]);
        assert_eq!(found("fulltext:\n  - es1.example.com"), ["es1.example.com"]);
        // Under a host key, a long mixed-case word is a name.
        assert_eq!(
            found("DB_HOST=SqlServerProd2019Primary"),
            ["SqlServerProd2019Primary"]
        );
        // An object's name that its `host` repeats is reached there.
        assert_eq!(
            found("object Endpoint \"m2.example.com\" {\n  host = \"m2.example.com\"\n}"),
            ["m2.example.com"]
        );
    }

    #[test]
    fn where_a_service_serves_its_metrics_takes_logs_in_or_sends_from() {
        let text = "\"metrics-addr\": \"10.0.0.7:9323\",\nsrc_ipaddr = 10.0.0.8\n\
            input(type=\"imtcp\" port=\"514\" address=\"10.0.0.9\")\n\
            [debug]\n  address = \"10.0.0.10:1338\"\n[proxy]\n  address = \"10.0.0.11:1339\"\n\
            network {\n  service {\n    address 10.0.0.12\n    port 3000\n  }\n}\n";
        assert_eq!(
            described(text),
            [
                "10.0.0.7:9323 listen",
                "10.0.0.8 listen",
                "10.0.0.9:514 listen",
                "10.0.0.10:1338 listen",
                "10.0.0.11:1339",
                "10.0.0.12:3000 listen"
            ]
        );
        // Bound in a word of its own (Asterisk's `udpbindaddr`), a health check's address, a
        // pair inside a value (Galera's options).
        assert_eq!(
            described(
                "udpbindaddr=192.0.2.60:5060\nWOODPECKER_HEALTHCHECK_ADDR=10.0.0.8:3000\n\
                 wsrep_provider_options=\"gmcast.listen_addr=tcp://10.0.0.9:4567; gcache.size=1G\"\n"
            ),
            [
                "192.0.2.60:5060 listen",
                "10.0.0.8:3000 listen",
                "10.0.0.9:4567 listen"
            ]
        );
        // A daemon's options bind with `--address` or `--bind`; a client's URL after a flag is
        // reached; NGINX Unit's listeners are keys.
        assert_eq!(
            described(
                "MINIO_OPTS=\"--address 10.0.0.5:9000 --console-address :9001\"\n\
                 ARGS='--bind 10.0.0.6'\nvault status --address https://10.0.0.7:8200\n\
                 {\n  \"listeners\": {\n    \"10.0.0.8:443\": {\n      \"pass\": \"routes\"\n    }\n  }\n}\n"
            ),
            [
                "10.0.0.5:9000 listen",
                "10.0.0.6 listen",
                "10.0.0.7:8200",
                "10.0.0.8:443 listen"
            ]
        );
        // A list of weighted parents, after other pairs.
        assert_eq!(
            found("dest_host=a parent=\"198.51.100.44:3128|1.0;198.51.100.45:3128|1.0\""),
            ["a", "198.51.100.44:3128", "198.51.100.45:3128"]
        );
        // The OpenTelemetry Collector receives at its receivers' endpoints, exports to others.
        // Its pull receivers and Vector's sources fetch from theirs.
        let collector = "receivers:\n  otlp:\n    protocols:\n      grpc:\n        \
            endpoint: 10.0.0.7:4317\n  postgresql:\n    endpoint: 10.0.3.20:5432\n\
            exporters:\n  otlp:\n    endpoint: tempo.example.com:4317\n\
            [sources.minio_logs]\nendpoint = \"http://10.0.0.5:9000\"\n";
        assert_eq!(
            described(collector),
            [
                "10.0.0.7:4317 listen",
                "10.0.3.20:5432",
                "tempo.example.com:4317",
                "10.0.0.5:9000"
            ]
        );
    }

    #[test]
    fn pairs_patterns_and_links() {
        // A host and its port as a pair; what follows is a role.
        assert_eq!(
            found("servers = [[\"pg.example.com\", 5432, \"primary\"]]"),
            ["pg.example.com:5432"]
        );
        assert_eq!(found("  (\"10.0.0.5\", 8125),"), ["10.0.0.5:8125"]);
        assert_eq!(
            found(
                "servers = [[\"pg-primary\", 5432, \"primary\"], [\"pg-replica\", 5432, \"replica\"]]"
            ),
            ["pg-primary:5432", "pg-replica:5432"]
        );
        // A weight or a status code is no port.
        assert_eq!(
            found("RING = [(\"cache1.example.com\", 100)]"),
            ["cache1.example.com"]
        );
        // A regular expression matches names.
        assert_eq!(
            found("<add address=\"[a-z]+\\.example\\.com$\" />"),
            Vec::<String>::new()
        );
        // A URL key with a bare word is no URL; a bug tracker is for people.
        assert_eq!(found("field-url = url"), Vec::<String>::new());
        // `hostname` is this host's, or in a server's section that server's.
        assert_eq!(
            found(
                "[agent]\nhostname = web-01.example.com\n[database]\nhostname = pg.example.com\nport = 5432"
            ),
            ["pg.example.com:5432"]
        );
        assert_eq!(
            found(
                "hostname: backup-01.example.com\npostgresql_databases:\n  - name: app\n    hostname: pg.example.com\n    port: 5433"
            ),
            ["pg.example.com:5433"]
        );
        // A JDBC data source's properties; an image's registry under any `*_image` key.
        assert_eq!(
            found(
                "<bean>\n  <property name=\"serverName\" value=\"pg.example.net\"/>\n  <property name=\"portNumber\" value=\"5433\"/>\n</bean>"
            ),
            ["pg.example.net:5433"]
        );
        assert_eq!(
            found(
                "<xa-datasource-property name=\"ServerName\">ora.example.net</xa-datasource-property>"
            ),
            ["ora.example.net"]
        );
        assert_eq!(
            found("helper_image = \"registry.example.com/gitlab-runner-helper:v16\""),
            ["registry.example.com"]
        );
        // A fingerprint is no IPv6 address.
        assert_eq!(
            found("fingerprint 4f:2b:9c:7d:11:e0:5a:88"),
            Vec::<String>::new()
        );
        assert_eq!(found("peer 2001:db8:0:0:1:0:0:1"), ["2001:db8:0:0:1:0:0:1"]);
        assert_eq!(
            found("url = db01.example.com:5432"),
            ["db01.example.com:5432"]
        );
        assert_eq!(
            found("reportBugUrl = https://jira.example.org/projects/SCM"),
            Vec::<String>::new()
        );
        assert_eq!(
            found("debugUrl: http://chrome.example.com:9222"),
            ["chrome.example.com:9222"]
        );
    }

    #[test]
    fn a_line_of_pairs_is_read_pair_by_pair() {
        // Traffic Server's parent.config: the first key names a domain, the next its parents.
        assert_eq!(
            described(
                "dest_domain=media.example.com parent=\"mid-01.example.net:8080|1.0;mid-02.example.net:8080\" \
                 round_robin=consistent_hash go_direct=false"
            ),
            ["mid-01.example.net:8080", "mid-02.example.net:8080"]
        );
        // Not a value with words after it (a prose `description=` stays whole).
        assert_eq!(
            described("description=cache for db.example.com nodes"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_pair_or_a_password_beside_a_server_is_read_by_its_own_key() {
        for (text, expected) in [
            // Traffic Server's splitdns.config: search domains name no server.
            (
                "dest_domain=internal.corp.com named=\"10.0.1.5 10.0.1.6\" \
                 search_list=\"corp.com corp1.com\"",
                &["10.0.1.5", "10.0.1.6"][..],
            ),
            ("id=7 description=\"mirror of db01.example.com\"", &[]),
            ("cgroup_parent: system.slice", &[]),
            // ProxySQL: the pair's key names the server.
            (
                "mysql_servers = ({ hostname=\"10.0.0.13\", port=3306, hostgroup=0 })",
                &["10.0.0.13:3306"],
            ),
            // A password, in a YAML flow map or in JSON, is never a host.
            ("servers: {host: db01, password: Zx7-pg-Wn6c}", &["db01"]),
            (
                "\"servers\": [{\"host\": \"db01.internal\", \"port\": 5432, \"password\": \"Zx7-pg-Wn6c\"}],",
                &["db01.internal:5432"],
            ),
            // A listener's options name servers it reaches.
            (
                "listeners.ssl.default.ssl_options.ocsp.responder_url = \"http://ocsp.example.com:8080\"",
                &["ocsp.example.com:8080"],
            ),
            (
                "listener.protobuf.internal = 10.30.2.13:8087",
                &["10.30.2.13:8087 listen"],
            ),
            // A pair under a role key: its words with an address's evidence.
            (
                "Environment=A=1 PROXY=\"squid-01.example.net:3128;squid-02:3128\"",
                &["squid-01.example.net:3128", "squid-02:3128"],
            ),
            ("url = cn=postgres://u:p@dbx/db", &["dbx:5432"]),
        ] {
            assert_eq!(described(text), expected, "{text}");
        }
    }

    #[test]
    fn a_port_is_read_where_the_format_puts_it_beside_the_address() {
        for (text, expected) in [
            // The next word of a line of words, when a port could be that number.
            (
                "parent 1000 http 10.80.2.8 3128 user",
                &["10.80.2.8:3128"][..],
            ),
            (
                "tcppm -i10.80.4.4 2525 smtp.example.net 25",
                &["smtp.example.net:25"],
            ),
            ("parent 10.0.0.7 5 weight", &["10.0.0.7"]),
            (
                "hostname = \"ldaps://ldap1.example.net:636\";",
                &["ldap1.example.net:636"],
            ),
            ("hostname=https://sso.example.com", &[]),
            // A block's `hostname` beside a `port` is a server's; alone, or beside a probe's
            // port nested deeper, this host's own.
            (
                "spec:\n  hostname: web-0\n  containers:\n  - name: nginx\n    readinessProbe:\n      tcpSocket:\n        port: 80",
                &[],
            ),
            (
                "[agent]\n  hostname = \"web-01\"\nshard {\n  hostname = \"xmpp.example.com\"\n  port = 5222\n}\nother {\n  hostname = \"2001:db8::15\"\n}",
                &["xmpp.example.com:5222"],
            ),
            (
                "--rpc_advertised_addresses=kudu-m1.example.net:7051",
                &["kudu-m1.example.net:7051 weak"],
            ),
            // A list's sibling port.
            (
                "storm.zookeeper.servers:\n  - \"zk1.example.net\"\n  - \"zk2.example.net\"\nstorm.zookeeper.port: 2181",
                &["zk1.example.net:2181", "zk2.example.net:2181"],
            ),
            ("parent 10.0.0.7 3128.5", &["10.0.0.7"]),
            // A sibling `port` of an address under a key that names none.
            (
                "control:\n  ip: 10.0.0.9\n  port: 9090\n",
                &["10.0.0.9:9090"],
            ),
            // A block named for what listens.
            (
                "node_listen:\n  - ip: 10.0.0.12\n    port: 9080\n",
                &["10.0.0.12:9080 listen"],
            ),
            (
                "[Read-Write-Listener]\naddress=10.0.0.5\nport=4006\n",
                &["10.0.0.5:4006 listen"],
            ),
            // A quoted port of an inline map, and an element named for a server.
            (
                "{\"host\": \"10.31.4.21\", \"password\": \"\", \"port\": \"6379\"}",
                &["10.31.4.21:6379"],
            ),
            (
                "<mailhost hostname=\"smtp.example.net\" port=\"587\" tls=\"true\"/>",
                &["smtp.example.net:587"],
            ),
            // A JDBC data source's properties.
            (
                "<properties.postgresql serverName=\"pg.example.net\" portNumber=\"5433\"",
                &["pg.example.net:5433"],
            ),
            // A forward's remote side, after the local port.
            (
                "Tunnel 10.0.4.25:2222:bastion.example.com:22",
                &["10.0.4.25:2222", "bastion.example.com:22"],
            ),
            ("macaddress: \"3c:ec:ef:12:a4:10\"", &[]),
            // A peer's address and port, under a key ending in `port`.
            ("mesh-seed-address-port 10.0.0.12 3002", &["10.0.0.12:3002"]),
        ] {
            assert_eq!(described(text), expected, "{text}");
        }
    }

    #[test]
    fn what_a_host_hands_out_or_calls_its_own_is_no_server() {
        for (text, expected) in [
            // A comment after the value, in TOML, YAML, INI or a directive.
            (
                "host = \"a.example.com\"  # was b.example.com",
                &["a.example.com"][..],
            ),
            (
                "server = \"ntp.example.net\" ### CHANGED, default = \"pool.ntp.org\"",
                &["ntp.example.net"],
            ),
            ("server=10.0.0.53#5353", &["10.0.0.53:5353"]),
            // Local records in a quoted list; what a DHCP server hands out; this host's own.
            ("hosts = [\n  \"10.0.1.10 nas.example.net\",\n]", &[]),
            (
                "[dhcp]\nrouter = \"10.0.0.1\"\n[ntp]\nserver = ntp.example.net",
                &["ntp.example.net"],
            ),
            ("my_ip = 10.20.0.12", &[]),
            ("node-ip: 10.160.0.12\nnode-external-ip: 203.0.113.162", &[]),
            (
                "INSTANCE_IP=10.44.2.31\nREDIS_EXTERNAL_HOST=redis.example.net",
                &["redis.example.net"],
            ),
            ("logout_url = \"https://sso.example.net/logout\"", &[]),
            // Where users reach this service, or what their browsers load.
            ("app.frontend-url=https://shop.example.com", &[]),
            // A monitoring agent's `status_url` is the page it reads (Zuul's own is one too).
            ("status_url: http://10.0.0.12/status", &["10.0.0.12:80"]),
            (
                "nginx_status_url: http://10.0.0.5:81/nginx_status",
                &["10.0.0.5:81"],
            ),
            ("c['titleURL'] = \"https://platform.example.com/\"", &[]),
            (
                "www_authenticate_uri = https://keystone.example.com:5000/",
                &[],
            ),
            ("imgurl   = https://smokeping.example.com/cache", &[]),
            ("default_browser_return_url: https://app.example.com/", &[]),
            // The embedded web server's address is where it listens.
            (
                "MB_JETTY_HOST=10.0.1.9\nMB_JETTY_PORT=3000",
                &["10.0.1.9:3000 listen"],
            ),
            // A peer's host and port under a key ending in `port`.
            (
                "local-agent-host-port = \"jaeger.example.net:6831\"",
                &["jaeger.example.net:6831"],
            ),
            // A user for each host of a URL.
            (
                "transport_url = rabbit://u:Tz5-x@mq-01.example.net:5672,u:Tz5-x@mq-02.example.net:5672/",
                &["mq-01.example.net:5672", "mq-02.example.net:5672"],
            ),
            // A role key's pair and its port pair.
            (
                "Environment=A=1 MASTER=db01.example.net MASTER_PORT=3307",
                &["db01.example.net:3307"],
            ),
            // Names a metric, a request or a certificate is matched against or written with.
            ("graphite.prefix: \"storm.prod\"\ngraphite.port: 2003", &[]),
            ("CARBON_METRIC_PREFIX = carbon.agents.graphite-01.corp", &[]),
            ("[carrier]\nmatch=sip.carrier.example.net", &[]),
            ("domain-suffix-match=radius.corp.example.net", &[]),
            (
                "<ApplicationDefaults entityID=\"https://portal.example.edu/shibboleth\"",
                &[],
            ),
            ("tls-san:\n  - k8s-api.example.com\n  - 203.0.113.160", &[]),
            ("cas.server.name=https://login.example.edu", &[]),
            ("[fax]\nhost=dynamic", &[]),
            ("address uds://tmp/lshttpd/lsphp.sock", &[]),
            // ArangoDB's `[server] endpoint` is where the server listens, and in the same
            // format where its client tools connect.
            (
                "[server]\nendpoint = tcp://10.0.5.21:8530",
                &["10.0.5.21:8530"],
            ),
            (
                "example.com {\n\treverse_proxy https://backend.example.net {\n\t}\n}",
                &["backend.example.net:443"],
            ),
            (
                "net.listen('192.0.2.53', 853, { kind = 'tls' })\nsetLocal(\"192.0.2.54:53\")",
                &["192.0.2.53:853 listen", "192.0.2.54:53 listen"],
            ),
            (
                "smtp-sender-addr: \"smtp.example.net:587\"\nsender_address = noreply@example.com",
                &["smtp.example.net:587"],
            ),
            ("well_known_server_name: \"matrix.example.com:443\"", &[]),
            (
                "visitor-request-limit-exempt-hosts: \"10.0.0.0/8,monitor01.example.net\"",
                &[],
            ),
            (
                "submission tls://10.0.0.25:465 tcp://10.0.0.25:587 {\n  hostname mx1\n}",
                &["10.0.0.25:465 listen", "10.0.0.25:587 listen"],
            ),
            (
                "credentials \"app.terraform.io\" {\n  token = \"x\"\n}\nnode \"10.0.0.5\" {\n}",
                &["10.0.0.5"],
            ),
            // A protocol and an address: where it serves that protocol.
            (
                "tcp_address = \"10.0.1.21:4150\"\nhttp-host=10.0.1.22\nauth_http_address = [\"auth.example.com:4181\"]\nudp_host: 10.0.0.9",
                &[
                    "10.0.1.21:4150 listen",
                    "10.0.1.22",
                    "auth.example.com:4181",
                    "10.0.0.9",
                ],
            ),
            (
                "listeners=PLAINTEXT://10.0.1.13:9092,CONTROLLER://10.0.1.13:9093\nadvertised.listeners=PLAINTEXT://kafka-1.example.net:9092",
                &[
                    "10.0.1.13:9092 listen",
                    "10.0.1.13:9093 listen",
                    "kafka-1.example.net:9092 weak",
                ],
            ),
            (
                "iface eth0 inet static\n    gateway 10.0.8.1\n    gateway6 2001:db8::1",
                &[],
            ),
            ("gateway = 10.0.0.5:8080", &["10.0.0.5:8080"]),
            // One label without a port under a scheme of no known service: a logical name as
            // often as a host.
            (
                "spark.eventLog.dir hdfs://analytics/spark-history\nurl = redis://cache/0\nbroker = mqtt://broker",
                &["analytics weak", "cache:6379", "broker"],
            ),
            (
                "server:\n  hostname: gitea.example.com\n  port: 3000\nnode \"db1.example.com:5432\" {\n}",
                &["db1.example.com:5432"],
            ),
            // A section named by the URL it reaches, or by URLs it matches.
            (
                "[url \"ssh://git@git.example.com:2222/\"]\n\tinsteadOf = https://git.example.com/\n[http \"https://github.com/\"]\n\tsslVerify = true",
                &["git.example.com:2222"],
            ),
            (
                "vars:\n  address-groups:\n    DNS_SERVERS: \"[10.80.0.53,10.80.0.54]\"",
                &[],
            ),
            ("cluster-dns: 10.43.0.10\nclusterDNS:\n  - 10.96.0.10", &[]),
            ("modecfgdns=10.10.0.53,10.10.0.54", &[]),
            // A virtual host's settings under its name.
            (
                "hosts:\n  \"www.example.com:80\":\n    listen:\n      port: 80\n  'www2.example.com:443':\n    paths: x",
                &[],
            ),
            (
                "webservers:\n  hosts:\n    badwolf.example.com:5309:\n      ansible_user: ops",
                &["badwolf.example.com:5309"],
            ),
            // Where a listener element listens.
            (
                "<Connector address=\"10.0.4.21\" port=\"8080\" protocol=\"HTTP/1.1\"\n  redirectPort=\"8443\" />",
                &["10.0.4.21:8080 listen"],
            ),
            (
                "<TCPListener address=\"10.0.3.40\" port=\"1600\" acl=\"10.0.3.0/24\"/>",
                &["10.0.3.40:1600 listen"],
            ),
        ] {
            assert_eq!(described(text), expected, "{text}");
        }
    }

    #[test]
    fn a_number_or_a_port_key_nearby_is_no_port_of_another_address() {
        for (text, expected) in [
            // A DNS TTL, a route's metric, a secret in ppp's file, nginx's `geo` value (the
            // record's name, under a command that names no server, is weak).
            (
                "update add www.example.com 3600 A 10.0.0.5",
                &["www.example.com weak", "10.0.0.5"][..],
            ),
            ("route 10.8.0.0 255.255.255.0 10.8.0.1 2000", &["10.8.0.1"]),
            ("bob vpn.example.com 54321 *", &["vpn.example.com weak"]),
            ("geo $x {\n    10.0.0.5 8192;\n}", &["10.0.0.5"]),
            // A flat file's own port is not the port of an address under another key (and
            // sshd's `Match Address` names the clients matched, no server).
            ("Port 2222\nMatch Address 10.0.0.5", &[]),
            ("PORT=3000\nDNS=10.0.0.53", &["10.0.0.53"]),
            (
                "port=5060\nstunaddr=stun.example.com",
                &["stun.example.com"],
            ),
            ("smtp = \"10.0.0.25\";\nsmtp_port = 25;", &["10.0.0.25:25"]),
            // A password's base64 `=` is no conninfo; an IPv6 address is no rsync module.
            (
                "url = amqp://celery:c2VjcmV0cGFzcw==@mq.example.com/prod",
                &["mq.example.com:5672"],
            ),
            ("ssh -i key admin@fd00::5 uptime", &["fd00::5"]),
            // The service's own name; a syslog-ng filter's host (matched, not reached: weak);
            // JBoss's own virtual server.
            ("Environment=SERVERNAME=www.example.com APP_ENV=prod", &[]),
            (
                "log { filter { host(\"web01.example.com\"); }; destination { tcp(\"10.0.0.9\" port(514)); }; };",
                &["10.0.0.9:514", "web01.example.com weak"],
            ),
            (
                "<virtual-server name=\"www.example.com\" default-web-module=\"x\"/>",
                &[],
            ),
            (
                "<mailhost name=\"relay\" ip=\"10.0.0.25\" port=\"25\"/>",
                &["10.0.0.25:25"],
            ),
            ("[DHCPv4]\nHostname=web01.example.com", &[]),
        ] {
            assert_eq!(described(text), expected, "{text}");
        }
    }

    #[test]
    fn servers_named_by_the_entry_they_stand_in() {
        for (text, expected) in [
            // An entry of a numbered list of servers (MHA), not this host's own name.
            (
                "[server1]\nhostname=10.0.0.11\nport=3306\n",
                &["10.0.0.11:3306"][..],
            ),
            ("[main]\nhostname=web-01\n", &[]),
            // A libpq conninfo after a scheme; rsync's daemon module.
            (
                "<param name=\"odbc-dsn\" value=\"pgsql://hostaddr=10.0.0.40 port=5432 dbname=fs\"/>",
                &["10.0.0.40:5432"],
            ),
            (
                "target = \"backup@backup01.example.net::www\",",
                &["backup01.example.net"],
            ),
            // ZNC's `<Listener>` block: where it listens.
            (
                "<Listener l>\n  Port = 6697\n  Host = 10.0.0.60\n</Listener>\nServer = irc.example.net",
                &["10.0.0.60:6697 listen", "irc.example.net"],
            ),
        ] {
            assert_eq!(described(text), expected, "{text}");
        }
    }

    #[test]
    fn notations_and_keys_of_set_21() {
        for (text, expected) in [
            // Geode's and JGroups' `host[port]`; an index is no port.
            (
                "locators=loc-1.example.net[10334],10.0.0.7[10334]",
                &["loc-1.example.net:10334", "10.0.0.7:10334"][..],
            ),
            ("x = items.example.com[0]", &["items.example.com weak"]),
            ("note: see wiki.example.com[2]", &["wiki.example.com weak"]),
            // Dynomite's `host:port:rack:password`: the fields after the port name nothing.
            (
                "redis.hosts=r1.example.net:26379:rack-a:Pw9secret;r2.example.net:26379:rack-b",
                &["r1.example.net:26379", "r2.example.net:26379"],
            ),
            // A flag file's `--key=value` is read by its key.
            (
                "--server_broadcast_addresses=yb-2.example.net:9100\n--webserver_interface=10.0.1.12\n--webserver_port=9000",
                &["10.0.1.12:9000 listen"],
            ),
            // A forward's two addresses: not cut after the first, its local end.
            ("forward_host = 10.2.0.5:8080:db2.example.net:5432", &[]),
            // Flags on a command line's continuation are each read by their own key.
            (
                "  --bind-address=0.0.0.0 --etcd-servers=https://10.1.0.13:2379 \\",
                &["10.1.0.13:2379"],
            ),
            ("broadcastAddress: \"10.80.3.14\"", &[]),
            (
                "<property name=\"localHost\" value=\"10.52.0.12\"/>",
                &["10.52.0.12 listen"],
            ),
            (
                "webserver.http.port=9090\nwebserver.http.address=10.90.2.7",
                &["10.90.2.7:9090 listen"],
            ),
            (
                "health-check-addr=\"10.20.30.57:3901\"",
                &["10.20.30.57:3901 listen"],
            ),
            (
                "health_check_url = http://10.20.30.58:80/",
                &["10.20.30.58:80"],
            ),
            ("avatar_server_url: https://avatars.example.net", &[]),
            ("- send: \"EHLO prober.example.net\\r\"", &[]),
        ] {
            assert_eq!(described(text), expected, "{text}");
        }
    }

    #[test]
    fn comments_names_and_handed_out_addresses_of_set_22() {
        for (text, expected) in [
            // A `#` after a blank starts a comment, whatever follows it; glued, it is a port.
            (
                "10.30.1.11     #afsdb1.example.net\nserver=10.0.0.53#5353",
                &["10.30.1.11", "10.0.0.53:5353"][..],
            ),
            (
                ">corp.example.net   #Example Corp cell\n10.30.1.12 #afsdb2",
                &["10.30.1.12"],
            ),
            // A key written as a subscript names a zone or a record.
            (
                "upstream_servers[\"corp.example.net.\"] = \"10.20.0.53, 10.20.1.53\"",
                &["10.20.0.53", "10.20.1.53"],
            ),
            // Ory Hydra's `serve:` listeners and its own `urls: self:`.
            (
                "serve:\n  public:\n    host: 10.40.6.15\n    port: 4444\nurls:\n  self:\n    issuer: https://oauth.example.net/\ndsn: postgres://h:pw@db.example.net/hydra",
                &["10.40.6.15:4444 listen", "db.example.net:5432"],
            ),
            // A route's next hop, a PXE next server, trusted proxies, own names.
            ("next-hop 203.0.113.9 {\nnext_server_v4: 10.40.14.5", &[]),
            (
                "REAL_IP_FROM=10.40.0.5,10.40.0.6\nHideProxy = 10.40.0.7",
                &[],
            ),
            (
                "EXTERNAL_HOST = \"chat.example.net\"\nHOSTNAMES=mx1.example.net",
                &[],
            ),
        ] {
            assert_eq!(described(text), expected, "{text}");
        }
    }

    #[test]
    fn blocks_objects_and_names_matched_of_set_23() {
        for (text, expected) in [
            // A `listen:` block's `hostname` is an address; sslh's libconfig list below it, by
            // its objects on one line; a name under `hostname` stays this host's own.
            (
                "listen:\n  hostname: '10.70.1.8'\n  port: 9000\nwebserver:\n  hostname: 'videos.example.com'",
                &["10.70.1.8:9000 listen"][..],
            ),
            (
                "listen:\n(\n    { host: \"203.0.113.80\"; port: \"443\"; },\n);\nprotocols:\n(\n  { name: \"ssh\"; host: \"10.0.0.5\"; port: \"22\"; }\n);",
                &["203.0.113.80:443 listen", "10.0.0.5:22"],
            ),
            // One object's first pair ends at its comma.
            (
                "{ \"address\": \"203.0.113.80\", \"port\": 8388, \"method\": \"aes-256-gcm\" }",
                &["203.0.113.80:8388"],
            ),
            // Home Assistant's `http:`, a Flume source's address.
            (
                "http:\n  server_host: 10.110.0.40\nrecorder:\n  db_url: mysql://ha:pw@10.110.0.9/ha",
                &["10.110.0.40 listen", "10.110.0.9:3306"],
            ),
            (
                "a.sources.syslog-in.host = 10.31.4.10\na.sinks.k1.hostname = 10.31.4.20",
                &["10.31.4.10 listen", "10.31.4.20"],
            ),
            // A key written as an attribute, PHP INI's list items, a section named for its item.
            (
                "<entry key='filter.invalid'>true</entry>\n<entry key='database.url'>jdbc:mysql://db.example.net:3306/t</entry>",
                &["db.example.net:3306"],
            ),
            (
                "trusted_hosts[] = \"analytics.example.com\"\nservers[] = \"corpdc\"\n[LoginLdap_corpdc]\nhost = \"ldap.example.net\"",
                &["ldap.example.net"],
            ),
            // Names matched, never reached.
            (
                "sni = ldap.example.net\nmail.smtp.ssl.trust = smtp.example.net\ncsrf.filter.referer = https://ecm.example.com/.*\nframe_ancestors = https://cloud.example.com",
                &[],
            ),
            // Where browsers are sent to sign in and come back; this host's own full name.
            (
                "authorizationURL: \"https://sso.example.net/auth\",\ncallbackURL: \"https://app.example.net/cb\",\ntokenURL: \"https://sso.example.net/token\",\n<fqdn>xmpp01.example.net</fqdn>",
                &["sso.example.net:443"],
            ),
            // A path after a scheme; a template in the user info; servers in the query.
            (
                "repositoryPath = cassandra://var/mail/error/\npath: rtsp://viewer:{PASSWORD}@10.100.20.11:554/live",
                &["10.100.20.11:554"],
            ),
            (
                "address: redis+sentinel://:pw@10.60.3.11:26379?name=m&addr=10.60.3.12:26379&x=1.2.3",
                &["10.60.3.11:26379", "10.60.3.12:26379"],
            ),
            // A client block's `base_url` with its port is the API it calls; Airflow's own.
            (
                "genai:\n  base_url: http://ollama.example.net:11434\n[webserver]\nbase_url = https://airflow.example.com",
                &["ollama.example.net:11434"],
            ),
            // Keystone's own endpoint, a server's JWKS endpoint.
            (
                "public_endpoint = https://identity.example.com:5000\njwks_public_endpoint: https://sso.example.net/certs",
                &["sso.example.net:443"],
            ),
        ] {
            assert_eq!(described(text), expected, "{text}");
        }
    }

    #[test]
    fn the_review_of_set_23_and_the_forms_of_set_24() {
        for (text, expected) in [
            // An object on one line whose first key names no server is read pair by pair.
            (
                "{ _id: 0, host: \"mongo1.example.net:27017\" },",
                &["mongo1.example.net:27017"][..],
            ),
            // sslh's `protocols:` list holds backends; a JSON `"sources": [` list servers polled.
            (
                "protocols:\n(\n  { host: \"10.0.0.7\"; port: \"1194\"; name: \"openvpn\"; }\n);",
                &["10.0.0.7:1194"],
            ),
            (
                "{\n  \"sources\": [\n    { \"host\": \"10.0.0.25\", \"port\": 15550 }\n  ]\n}",
                &["10.0.0.25:15550"],
            ),
            // Kratos's `serve:` nested in a ConfigMap; a `*_hostname` under `server:`.
            (
                "data:\n  kratos.yml: |\n    serve:\n      admin:\n        base_url: http://kratos:4434/",
                &[],
            ),
            ("server:\n  redis_hostname: 10.0.0.6", &["10.0.0.6"]),
            // Services called, where a browser's endpoints are not.
            (
                "authorize_service_url: https://authz.example.net:5443\nvcenter_fqdn: vc.example.net\nkeystone_internal_url: http://10.0.0.10:5000",
                &["authz.example.net:5443", "vc.example.net", "10.0.0.10:5000"],
            ),
            // `[session_redis]` names no label `redis`.
            (
                "[session_redis]\nurl = redis://redis:6379/0",
                &["redis:6379"],
            ),
            // A web page's query is its own; libpq's `host=` takes its `port=`.
            (
                "novnc: https://vnc.example.com/vnc.html?host=10.0.0.5&port=5900\ndsn: postgresql:///app?host=10.0.0.6&port=5433",
                &["vnc.example.com:443", "10.0.0.6:5433"],
            ),
            // A key attribute with an address's evidence stays a host.
            (
                "<entry key=\"10.0.0.6:9000\">primary</entry>\n<entry note=\"€x\" key=\"host\">10.0.0.5</entry>",
                &["10.0.0.6:9000", "10.0.0.5"],
            ),
            // JGroups' `host[port]` in a value; a path; a class path; an Erlang node's name.
            (
                "<TCPPING initial_hosts=\"10.42.8.21[7800],a.example.net[7800]\" port_range=\"0\"/>\ninitial_hosts = 10.42.8.23[7800]",
                &["10.42.8.21:7800", "a.example.net:7800", "10.42.8.23:7800"],
            ),
            (
                "\"endpoint\": \"/v1/users/{id}\",\nBACKEND = \"storages.backends.s3boto3.S3Boto3Storage\"\nnodename = VerneMQ@10.61.4.12\nNodeName=gpu01 NodeAddr=10.150.2.11",
                &["10.150.2.11"],
            ),
            (
                "{\n  \"$schema\": \"https://www.krakend.io/schema/v2.7/krakend.json\",\n  \"host\": [\"http://10.0.0.9:8080\"]\n}",
                &["10.0.0.9:8080"],
            ),
        ] {
            assert_eq!(described(text), expected, "{text}");
        }
    }

    #[test]
    fn a_protocol_s_own_server_block_listens_and_a_fallback_is_reached() {
        for (text, expected) in [
            // A listener's `fallback` is a server it reaches.
            (
                "listener 203.0.113.10:443 {\n    fallback 192.168.60.10:443\n}",
                &["203.0.113.10:443 listen", "192.168.60.10:443"][..],
            ),
            // A protocol's own server block; an `smtp_server:` is reached.
            (
                "{\n  \"http_server\": {\n    \"address\": \"10.0.0.14\",\n    \"port\": 8000\n  }\n}",
                &["10.0.0.14:8000 listen"],
            ),
            (
                "grpc-server:\n  host: 10.0.0.15\nsmtp_server:\n  host: 10.0.0.16",
                &["10.0.0.15 listen", "10.0.0.16"],
            ),
        ] {
            assert_eq!(described(text), expected, "{text}");
        }
    }

    #[test]
    fn a_bare_name_under_a_key_that_names_no_server_is_weak() {
        for (text, expected) in [
            // No evidence: listed, never blocking.
            (
                "defaultHostnameIfEmpty = \"analytics.example.com\"",
                &["analytics.example.com weak"][..],
            ),
            (
                "Set($rtname, 'corp.example.net');",
                &["corp.example.net weak"],
            ),
            // Evidence: a port, a host flag, a key of its own, a key that names a server.
            ("relay = smtp.example.com 25", &["smtp.example.com:25"]),
            (
                "mailcommand = \"bsmtp -h smtp.example.com -f x\"",
                &["smtp.example.com"],
            ),
            (
                "dbname = \"b\"; DB Address = db.example.com; DB Port = 5432",
                &["db.example.com:5432"],
            ),
            (
                "serverAddr = \"relay.example.net\"\nserver_list = a.example.com\nntpservers = ntp1.example.net\nhostname0 = 'pg.example.com'\nvcenter_fqdn: vc.example.net\nstunaddr=stun.example.com",
                &[
                    "relay.example.net",
                    "a.example.com",
                    "ntp1.example.net",
                    "pg.example.com",
                    "vc.example.net",
                    "stun.example.com",
                ],
            ),
            // A port given later, by a tuple or a sibling key, is evidence too.
            (
                "MEMCACHE = ('cache.example.com', 11211)\nsmtp = mail.example.com\nsmtp_port = 587",
                &["cache.example.com:11211", "mail.example.com:587"],
            ),
            // A mailbox under a camel-case address key; this host's own full name.
            (
                "alertAddr: ops@corp.example.net\nlocal_fqdn = me.example.com",
                &["me.example.com weak"],
            ),
            // A section named with non-ASCII text is read, never cut inside a character.
            ("[\u{e9}abcde]\nhost = 10.0.0.1:80", &["10.0.0.1:80"]),
            // Request Tracker's variables, phpMyAdmin's servers each with its port.
            (
                "Set($DatabaseHost, 'pg.example.net');\nSet($DatabasePort, 5434);",
                &["pg.example.net:5434"],
            ),
            (
                "$i++;\n$cfg['Servers'][$i]['host'] = 'a.example.net';\n$cfg['Servers'][$i]['port'] = '4006';\n$i++;\n$cfg['Servers'][$i]['host'] = 'b.example.net';\n$cfg['Servers'][$i]['port'] = '3307';",
                &["a.example.net:4006", "b.example.net:3307"],
            ),
            // kubeadm: the certificate's names; the registry its images come from.
            (
                "apiServer:\n  certSANs:\n    - k8s-api.example.net\n    - 10.0.0.10\nimageRepository: registry.example.net/k8s",
                &["registry.example.net"],
            ),
        ] {
            assert_eq!(described(text), expected, "{text}");
        }
    }

    #[test]
    fn keys_in_camel_case_are_read_word_by_word_where_that_finds_no_server() {
        for (text, expected) in [
            // An origin browsers come from, the clients kept out, an ID, where browsers go.
            (
                "accessControlAllowOrigin=https://lms.example.com\ninsertDocumentBlockedHosts=127.0.0.1,10.0.0.0/8\nrouterID: 10.77.0.254\nlogoutURL=https://lms.example.com/logout\npublic_url = wss://chat.example.com\ncanonicalGitUrl = git://git.example.com/",
                &[][..],
            ),
            // What the words already name keeps its meaning: an API's `BaseUrl`, a discovery
            // server announced to, a user's info endpoint, a database's URL under any key.
            (
                "BaseUrl: https://api.example.com\nglobalAnnounceServer: https://disco.example.net:8443\nuserInfoURL: https://sso.example.net/userinfo\nOCSFolderInfoURL = \"postgresql://sogo@pg.example.net:5432/sogo\"",
                &[
                    "api.example.com:443",
                    "disco.example.net:8443",
                    "sso.example.net:443",
                    "pg.example.net:5432",
                ],
            ),
        ] {
            assert_eq!(described(text), expected, "{text}");
        }
    }

    #[test]
    fn a_command_line_s_flags_and_a_mapping_s_ports_are_read_by_their_keys() {
        for (text, expected) in [
            // One flag before the command line's `\`: read by its key.
            (
                "ExecStart=/usr/bin/thanos query \\\n  --http-address=10.0.1.15:10902 \\\n  --advertise-addr=crdb-04.example.net:26257 \\\n  --join=crdb-01.example.net:26257",
                &["10.0.1.15:10902 listen", "crdb-01.example.net:26257"][..],
            ),
            // The port under a mapping's key, not the file's own before it.
            (
                "port: 3000\ndb:\n  host: pg.example.net\n  port: 5432",
                &["pg.example.net:5432"],
            ),
            // An LDIF entry's port, not the entry's before it.
            (
                "dn: cn=a\nnsDS5ReplicaHost: a.example.net\nnsDS5ReplicaPort: 636\n\ndn: cn=b\nnsDS5ReplicaHost: b.example.net\nnsDS5ReplicaPort: 389",
                &["a.example.net:636", "b.example.net:389"],
            ),
            // Dovecot's `dn =` is a setting, no LDIF entry.
            (
                "host = ldap.example.net\ndn = cn=reader,dc=example,dc=net\nport = 1636",
                &["ldap.example.net:1636"],
            ),
            // A port key holding a URL; the servers a key trusts for keys.
            (
                "serial:\n  port: tcp://192.168.1.25:6638\ntrusted_servers = [\"notary.example.org\"]",
                &["192.168.1.25:6638", "notary.example.org"],
            ),
        ] {
            assert_eq!(described(text), expected, "{text}");
        }
    }

    #[test]
    fn a_php_class_s_properties_kestrel_s_endpoints_and_a_token_s_audience() {
        for (text, expected) in [
            (
                "class JConfig {\n\tpublic $smtphost = '10.8.1.25';\n\tpublic $smtpport = 587;\n\tpublic $helpurl = 'https://help.example.org/x';\n}",
                &["10.8.1.25:587"][..],
            ),
            (
                "{\n  \"Kestrel\": {\n    \"Endpoints\": {\n      \"Https\": {\n        \"Url\": \"https://10.14.2.19:5001\"\n      }\n    }\n  }\n}",
                &["10.14.2.19:5001 listen"],
            ),
            (
                "jwt-aud = \"https://api.example.com\"\nmetrics: 10.60.1.4:20241\nproxy = SOCKS5:10.77.0.9:1080",
                &["10.60.1.4:20241 listen", "10.77.0.9:1080"],
            ),
        ] {
            assert_eq!(described(text), expected, "{text}");
        }
    }

    #[test]
    fn log4net_s_settings_and_a_go_program_s_flags() {
        for (text, expected) in [
            (
                "<appender name=\"R\" type=\"x\">\n  <remoteAddress value=\"10.80.4.15\" />\n  <remotePort value=\"514\" />\n</appender>",
                &["10.80.4.15:514"][..],
            ),
            (
                "FLANNEL_OPTIONS=\"\\\n  -public-ip=10.110.8.57 \\\n  -healthz-ip=10.110.8.57 \\\n  -healthz-port=8471 \\\n  -etcd-endpoints=https://10.110.0.11:2379\"",
                &["10.110.8.57:8471 listen", "10.110.0.11:2379"],
            ),
            (
                "plugin.choria.stats_address = 10.180.14.33\nssl_hostname = imap.example.com",
                &["10.180.14.33 listen"],
            ),
        ] {
            assert_eq!(described(text), expected, "{text}");
        }
    }

    #[test]
    fn the_forms_of_sets_29_and_30() {
        for (text, expected) in [
            // A listen key's bracketed list, HJSON's or JSON's, its URLs too; any value there
            // needs an address's evidence.
            (
                "Listen: [\n  tls://10.77.0.21:7443\n  tls://[::]:7443\n]\n\"listen\": [\n  \"10.77.0.22:7443\",\n]",
                &["10.77.0.21:7443 listen", "10.77.0.22:7443 listen"][..],
            ),
            (
                "\"servers\": [\n  \"CONTSCAN {}\",\n  \"10.40.0.40:3310\"\n]",
                &["10.40.0.40:3310"],
            ),
            // An object on one line read by its own keys; a one-line nginx block.
            (
                "\"server\": {\"port\": 8000, \"mode\": \"production\"},\nserver { listen 10.0.0.5:80; }",
                &["10.0.0.5:80 listen"],
            ),
            // Greenplum's segments; a Sentinel URL's master name and shared port.
            (
                "sdw1~sdw1~6000~/data1/primary/gpseg0~2~0\nQD=mdw~5432\nx = ~/bin",
                &["sdw1:6000"],
            ),
            (
                "--meta redis://mymaster,10.88.2.11,10.88.2.12:26379/3",
                &["10.88.2.11:26379", "10.88.2.12:26379"],
            ),
            // A URL written as a YAML key; Lua's `local`, OpenVPN's.
            (
                "- mailtos://smtp.example.net:587:\n    - to: noc@example.net",
                &["smtp.example.net:587"],
            ),
            (
                "local ok, err = red:connect(\"10.20.9.5\", 6379)\nlocal 10.0.0.5",
                &["10.20.9.5:6379", "10.0.0.5 listen"],
            ),
            // A plain `HOST=` where the program listens (a section's is a server); labels; a
            // Ruby block; own URLs.
            (
                "HOST=10.12.4.30\nPORT=8888\n[database]\nHOST = db.example.net:5432",
                &["10.12.4.30:8888 listen", "db.example.net:5432"],
            ),
            (
                "[server.labels]\nhost = \"tikv-3\"\n[pd]\nendpoints = [\"10.70.1.11:2379\"]",
                &["10.70.1.11:2379"],
            ),
            (
                "Sidekiq.configure_server do |config|\nWEBAPP_URL=https://etl.example.com/\nSITE_ROOT = \"https://hc.example.com\"",
                &[],
            ),
            // From the review: a port first, a listen block, hosts alike in a Redis URL, a list
            // closed on its last item's line, a name under `HOST=`, a sentence naming a URL.
            (
                "{ \"port\": 8388, \"address\": \"10.0.0.5\" }\nbind: {address: 10.0.0.8, port: 80}",
                &["10.0.0.5:8388", "10.0.0.8:80 listen"],
            ),
            (
                "url = redis://redis-0,redis-1:6379/0\nlisten = [\n  \"0.0.0.0:80\" ]\n[backend]\nservers = \"10.7.7.7:5432\"",
                &["redis-0:6379", "redis-1:6379", "10.7.7.7:5432"],
            ),
            (
                "HOST=backup.example.net\nPORT=22\ndescription: \"see postgres://db.example.net/x\"",
                &["backup.example.net:22"],
            ),
        ] {
            assert_eq!(described(text), expected, "{text}");
        }
    }
}
