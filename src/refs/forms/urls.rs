//! URLs, `scheme://user:pass@host:port,host2/path`: every host of the authority, with the
//! scheme's default port when none is written. The most common way a config names a server.

use crate::refs::Strength;
use crate::refs::context::{self, KeyKind};
use crate::refs::features::Features;
use crate::refs::kinds;
use crate::refs::line::{Line, TEXT_LIMIT};
use crate::refs::tokens::{byte_table, default_port, parse_ip, run_back, split_port};

/// What ends a whole URL, as shown in a reference's text.
static URL_END: [bool; 256] = byte_table(b"'\";", false, true);

impl Line<'_> {
    /// `scheme://user:pass@host:port,host2/path`: every host of the authority.
    pub(in crate::refs) fn urls(&mut self, features: &Features) {
        if !features.scheme() {
            return;
        }
        let text = self.text;
        let mut urls = crate::url::authorities(text).peekable();
        while let Some((scheme_start, mut authority)) = urls.next() {
            // A URL written as a YAML key (Apprise's `- mailtos://…@smtp.example.net:587:`).
            if text[authority.clone()].ends_with(':') {
                authority.end -= 1;
            }
            // The next URL of a list (`https://a,https://b`) ends this one's text.
            let next = urls.peek().map_or(text.len(), |(next, _)| *next);
            let scheme = &text[scheme_start..authority.start - 3];
            // FreeSWITCH's `pgsql://hostaddr=10.0.0.5 port=5432 dbname=fs`: a libpq conninfo
            // after a scheme, read as one (a password's base64 `=` is before an `@`).
            let authority_bytes = text[authority.clone()].as_bytes();
            // (A template may stand in the user info, not where the host is.)
            let host_start = memchr::memrchr(b'@', authority_bytes)
                .map_or(scheme_start, |at| authority.start + at + 1);
            if !self.free(host_start, authority.end)
                || memchr::memchr(b'=', authority_bytes).is_some()
                    && memchr::memchr(b'@', authority_bytes).is_none()
            {
                continue;
            }
            // An XML namespace or schema location names a document, never a server to reach.
            let attribute = text[..scheme_start]
                .strip_suffix(['"', '\''])
                .and_then(|t| t.strip_suffix('='))
                .map(|t| &t[t.rfind([' ', '\t', '<']).map_or(0, |i| i + 1)..]);
            // A long `xsi:schemaLocation` goes on over lines of namespace and `.xsd` pairs,
            // without a tag of their own.
            let schema_pairs = || {
                scheme.starts_with("http")
                    && !text.contains(['<', '='])
                    && memchr::memmem::find(text.as_bytes(), b".xsd").is_some()
            };
            // So does a JSON document's `"$schema": "https://…"`.
            if attribute.is_some_and(|a| a.starts_with("xmlns") || a.ends_with("schemaLocation"))
                || schema_pairs()
                || text.trim_ascii_start().starts_with("\"$schema\"")
            {
                self.claim(scheme_start, authority.end);
                continue;
            }
            // The text shown is the whole URL up to white space or a quote, read no further
            // than it can be shown: a line of URLs without a space stays linear.
            let limit = (scheme_start + TEXT_LIMIT)
                .min(next)
                .clamp(authority.end, text.len());
            let mut end = text.as_bytes()[authority.end..limit]
                .iter()
                .position(|&c| URL_END[c as usize])
                .map_or(limit, |i| authority.end + i);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            self.claim(scheme_start, end.max(authority.end));
            // A schema or DTD's location (D-Bus's `<!DOCTYPE busconfig …
            // "http://…/busconfig.dtd">`) names a document.
            let path = text[authority.end..end.max(authority.end)]
                .trim_end_matches(['"', '\'', '>'])
                .as_bytes();
            if path.len() > 4
                && [b".dtd", b".xsd"]
                    .iter()
                    .any(|x| path[path.len() - 4..].eq_ignore_ascii_case(*x))
            {
                continue;
            }
            // Apache's `balancer://shop` names a pool of `BalancerMember`s, not a host; S3's
            // and GCS's `s3a://bucket/path` a bucket.
            if [
                "unix",
                // OpenLiteSpeed's `uds://tmp/lshttpd/lsphp.sock`: a socket's path.
                "uds",
                "file",
                "ipc",
                "balancer",
                "s3",
                "s3a",
                "s3n",
                "gs",
                // MySQL Router's `metadata-cache://prodCluster/`: a cluster by its name.
                "metadata-cache",
            ]
            .iter()
            .any(|s| s.eq_ignore_ascii_case(scheme))
            {
                continue;
            }
            // A pair inside a value, or an attribute, says what its URL is (Galera's
            // `wsrep_provider_options="gmcast.listen_addr=tcp://10.0.0.5:4567"`, GoCD's
            // `<server siteUrl="https://ci.example.com">`).
            let pair =
                pair_key(&text[..scheme_start]).map(|(key, quoted)| (kinds::classify(key), quoted));
            if pair == Some((KeyKind::NoHosts, true)) {
                continue;
            }
            let listen = self.listen;
            self.listen |= pair.is_some_and(|(kind, _)| kind == KeyKind::Listen);
            let hosts = &text[authority.clone()];
            // oslo.messaging's `rabbit://u:p@mq-01:5672,u:p@mq-02:5672/`: a user for each host.
            let each_user = hosts.split(',').filter(|h| h.contains('@')).count() > 1;
            let hosts = match hosts.rsplit_once('@') {
                Some((_, h)) if !each_user => h,
                _ => hosts,
            };
            let sentinels = sentinels(scheme, hosts, &text[authority.end..end.max(authority.end)]);
            for (i, item) in hosts.split(',').enumerate() {
                if i == 0 && sentinels.is_some() {
                    continue;
                }
                let item = item.rsplit_once('@').map_or(item, |(_, h)| h);
                // SQL Server's `sql-01\\REPORTS`: a named instance, whose port the server
                // chooses, unless the URL writes one.
                let instance = item.find('\\');
                let item = instance.map_or(item, |i| &item[..i]);
                let (host, explicit) = split_port(item);
                // Apache James's `cassandra://var/mail/error/`: a path after the scheme, its
                // first directory where a host would be.
                if explicit.is_none()
                    && text[authority.end..].starts_with('/')
                    && [
                        "var", "etc", "tmp", "opt", "usr", "home", "srv", "run", "mnt",
                    ]
                    .contains(&host)
                {
                    continue;
                }
                let implied = default_port(scheme).filter(|_| instance.is_none());
                let port = explicit.or(sentinels).or(implied);
                // One label and no port under a scheme whose authority is a logical name as
                // often as a host: HDFS's `hdfs://nameservice1/`, FreeSWITCH's
                // `local_stream://moh`, `baremetal://rack12` (`mqtt://broker`, `gcomm://db-09`
                // and a compose service's `redis://cache` are hosts).
                let logical = ["hdfs", "viewfs", "local_stream", "baremetal"]
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(scheme));
                let strength = if logical && explicit.is_none() && !host.contains(['.', ':']) {
                    Strength::Weak
                } else {
                    Strength::Strong
                };
                self.add_as(host, port, scheme_start, end, strength);
            }
            if !["http", "https", "ws", "wss"]
                .iter()
                .any(|s| s.eq_ignore_ascii_case(scheme))
            {
                for (host, port) in query_hosts(&text[authority.end..end]) {
                    let port = port.or_else(|| default_port(scheme));
                    self.add_as(host, port, scheme_start, end, Strength::Strong);
                }
            }
            self.listen = listen;
        }
    }
}

/// The port the Sentinels of a Redis URL share, when its first item is the master's name and
/// only its last writes a port (JuiceFS's `redis://mymaster,10.0.0.1,10.0.0.2:26379/1`). Not
/// where a fragment or a query follows, as where the master is named there (Lettuce's
/// `redis-sentinel://a,b:26379/0#mymaster`, `?master=`): every item is a host then.
fn sentinels(scheme: &str, hosts: &str, after: &str) -> Option<u16> {
    let redis = ["redis", "rediss"]
        .iter()
        .any(|s| scheme.eq_ignore_ascii_case(s));
    if !redis || after.contains(['#', '?']) {
        return None;
    }
    let mut items = hosts.split(',');
    let name = items.next()?;
    let name = name.rsplit_once('@').map_or(name, |(_, n)| n);
    let last = items.next_back()?;
    // A name, then addresses (`redis://redis-0,redis-1,redis-2:6379` lists hosts alike).
    let is_name = !name.is_empty()
        && !name.eq_ignore_ascii_case("localhost")
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_'))
        && name.bytes().any(|c| c.is_ascii_alphabetic());
    let address = |item: &str| {
        let host = split_port(item).0;
        parse_ip(host).is_some() || host.contains('.')
    };
    let bare = |item: &str| split_port(item).1.is_none();
    (is_name && address(last) && items.all(|i| bare(i) && address(i)))
        .then(|| split_port(last).1)
        .flatten()
}

/// More servers in a URL's query, by an address's evidence (a port or an IP): go-redis's
/// `redis+sentinel://h1:26379?addr=h2:26379&addr=h3:26379`, libpq's `?host=10.0.0.6&port=5433`
/// (a web page's query is its own business: never read for `http` and `ws`).
fn query_hosts(after_authority: &str) -> impl Iterator<Item = (&str, Option<u16>)> {
    let query = after_authority
        .split_once('?')
        .map_or("", |(_, q)| q.split('#').next().unwrap_or_default());
    let port = query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.eq_ignore_ascii_case("port")
            .then(|| value.parse::<u16>().ok())
            .flatten()
    });
    query.split('&').filter_map(move |pair| {
        let (key, value) = pair.split_once('=')?;
        if !["addr", "address", "host", "server", "sentinel"]
            .iter()
            .any(|k| key.eq_ignore_ascii_case(k))
        {
            return None;
        }
        let (host, written) = split_port(value);
        (written.is_some() || parse_ip(host).is_some()).then_some((host, written.or(port)))
    })
}

/// The key of a `key=` that `before` ends with, glued to the value or to its opening quote
/// (an attribute's, `siteUrl="…"`: `true`).
fn pair_key(before: &str) -> Option<(&str, bool)> {
    let unquoted = before.strip_suffix(['"', '\'']);
    let before = unquoted.unwrap_or(before).strip_suffix('=')?;
    let start = run_back(before.as_bytes(), before.len(), &context::KEY_BYTE);
    (start < before.len()).then(|| (&before[start..], unquoted.is_some()))
}
