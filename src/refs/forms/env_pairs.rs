//! Several `KEY=VALUE` pairs on one line (systemd's `Environment=DB_HOST=db-03 DB_PORT=5433`,
//! `env APP_SERVER=app-7:8080 ./run`): a host key among them names hosts, and the `*_PORT` pair
//! of the same prefix gives their port.

use crate::refs::context::{self, KeyKind};
use crate::refs::forms::conninfo::conninfo_value;
use crate::refs::forms::ports::{self, without_transport};
use crate::refs::forms::remote_paths::TARGET_START;
use crate::refs::kinds;
use crate::refs::line::Line;
use crate::refs::siblings::HOST_WORDS;
use crate::refs::tokens::{
    ends_with_ignore_case, is_fqdn, parse_ip, port, quoted_end, run_back, split_port,
};

/// The `KEY=VALUE` pairs of a value from `from` on: the key's range and the value's.
fn pairs(
    text: &str,
    from: usize,
) -> impl Iterator<Item = (usize, usize, std::ops::Range<usize>)> + '_ {
    let b = text.as_bytes();
    memchr::memchr_iter(b'=', &b[from..]).filter_map(move |at| {
        let equals = from + at;
        let start = run_back(b, equals, &context::KEY_BYTE);
        let boundary = start == from || start == 0 || TARGET_START[b[start - 1] as usize];
        (start < equals && boundary).then(|| (start, equals, conninfo_value(text, equals)))
    })
}

/// The pairs after a first value, when the value is one word and every word after it is a
/// `KEY=VALUE` pair (Traffic Server's `dest_domain=x parent="a:8080;b:8080" go_direct=false`):
/// each pair's key and whole word (its quoted value whole), to be read by its own key, whatever
/// the first key says.
pub(in crate::refs) fn more_pairs(
    text: &str,
    value_start: usize,
) -> Option<Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>> {
    let b = text.as_bytes();
    let mut i = value_start;
    let mut pairs = Vec::new();
    while i < b.len() {
        if b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut equals = None;
        // A word: to the next blank outside quotes.
        while i < b.len() && !b[i].is_ascii_whitespace() {
            match b[i] {
                b'"' | b'\'' => i += memchr::memchr(b[i], &b[i + 1..])? + 1,
                b'=' => _ = equals.get_or_insert(i),
                _ => {}
            }
            i += 1;
        }
        if start > value_start {
            let key = start..equals?;
            if key.is_empty()
                || !b[key.clone()]
                    .iter()
                    .all(|c| context::KEY_BYTE[*c as usize])
            {
                return None;
            }
            pairs.push((key, start..i));
        }
    }
    (!pairs.is_empty()).then_some(pairs)
}

/// How many `KEY=VALUE` pairs of one line are read.
const PAIR_LIMIT: usize = 64;

/// Whether `key` is `prefix` + `port` in any case: `DB_PORT` for `DB_`, `-Dhttp.proxyPort` for
/// `-Dhttp.proxy`, and a JDBC data source's `portNumber` for its `serverName`.
fn is_port_of(key: &str, prefix: &str) -> bool {
    key.len() > prefix.len()
        && key.is_char_boundary(prefix.len())
        && key[..prefix.len()].eq_ignore_ascii_case(prefix)
        && ["port", "portnumber"]
            .iter()
            .any(|p| key[prefix.len()..].eq_ignore_ascii_case(p))
}

/// A host key without the word that names the host: `DB_` of `DB_HOST`, `-Dhttp.proxy` of
/// `-Dhttp.proxyHost`, nothing of `serverName`.
fn stem(key: &str) -> &str {
    let b = key.as_bytes();
    HOST_WORDS
        .iter()
        .find(|w| ends_with_ignore_case(b, w.as_bytes()))
        .map_or(key, |w| &key[..key.len() - w.len()])
}

/// The port of the pair among `all` whose key is the host key's prefix and `port`
/// (`DB_PORT` for `DB_HOST`), or the host key itself and `port` (`MASTER_PORT` for `MASTER`).
fn sibling_port(
    text: &str,
    all: &[(usize, usize, std::ops::Range<usize>)],
    key: &str,
) -> Option<u16> {
    let prefix = stem(key);
    all.iter()
        .find(|(s, e, _)| {
            let k = &text[*s..*e];
            is_port_of(k, prefix)
                || k.len() > key.len() + 1
                    && k.is_char_boundary(key.len() + 1)
                    && k[..key.len()].eq_ignore_ascii_case(key)
                    && matches!(k.as_bytes()[key.len()], b'_' | b'-' | b'.')
                    && is_port_of(&k[key.len() + 1..], "")
        })
        .and_then(|(_, _, v)| port(&text[v.clone()]))
}

impl Line<'_> {
    /// Several `KEY=VALUE` pairs on one line (systemd `Environment=`, `env A=1 B=2`): a host
    /// key among them names hosts, and a `*_PORT` pair with its prefix gives their port.
    pub(in crate::refs) fn env_pairs(&mut self, from: usize) {
        let text = self.text;
        // A line of more pairs is data: the first ones are read, which keeps the pairing linear.
        let all: Vec<_> = pairs(text, from).take(PAIR_LIMIT).collect();
        for (start, equals, value) in all.iter().cloned() {
            let key = &text[start..equals];
            // ADO.NET's `Data Source=sql-01,1433`: the server, under a key of two words.
            let data_source = key.eq_ignore_ascii_case("source")
                && text
                    .get(start.saturating_sub(5)..start)
                    .is_some_and(|w| w.eq_ignore_ascii_case("data "));
            // A JDBC data source's `serverName="db"` among its properties (a `SERVERNAME=`
            // variable is the service's own name, as Apache's `ServerName`).
            let kind = if data_source || key == "serverName" {
                KeyKind::Hosts
            } else {
                kinds::classify(key)
            };
            // Postfix's `-o smtp_bind_address=10.0.0.5`, `-o mynetworks=10.0.0.0/8,10.0.0.9`:
            // this host's own address, and clients let in.
            if matches!(kind, KeyKind::Listen | KeyKind::Access)
                && !value.is_empty()
                && self.free(start, value.end)
            {
                if kind == KeyKind::Listen {
                    let listen = std::mem::replace(&mut self.listen, true);
                    for item in text[value.clone()].split(',') {
                        let (host, port) = split_port(item);
                        self.add(host, port, start, value.end);
                    }
                    self.listen = listen;
                }
                self.claim(start, value.end);
                continue;
            }
            // A peer by its role (`parent="mid-01:8080;mid-02:8080"`): its words with an
            // address's evidence, as the value of such a key on a line of its own.
            if kind == KeyKind::HostsWithEvidence
                && !value.is_empty()
                && self.free(start, value.end)
                && !text[value.clone()].contains("://")
            {
                // A quoted value goes on to its closing quote, past the `;` that ends a conninfo
                // value (`parent="a:8080|1.0;b:8080|1.0"`).
                let b = text.as_bytes();
                let end = match value.start.checked_sub(1) {
                    Some(open) if matches!(b[open], b'"' | b'\'') => quoted_end(b, open),
                    _ => value.end,
                };
                let saved = (self.key, self.needs_evidence, self.value_end);
                (self.key, self.needs_evidence, self.value_end) = (key, true, end);
                let first = self.found.len();
                self.value_tokens(value.start, false);
                (self.key, self.needs_evidence, self.value_end) = saved;
                // NLog's `smtpServer="mx" smtpPort="25"`.
                if let Some(port) = sibling_port(text, &all, key) {
                    for r in &mut self.found[first..] {
                        r.port.get_or_insert(port);
                    }
                }
                self.claim(start, end);
                continue;
            }
            if kind != KeyKind::Hosts
                || value.is_empty()
                || !self.free(start, value.end)
                || text[value.clone()].contains("://")
            {
                continue;
            }
            let sibling = sibling_port(text, &all, key);
            self.claim(start, value.end);
            let end = value.end;
            let mut value = &text[value];
            if data_source {
                // Oracle's `Data Source=db:1521/ORCL`: a service after the address.
                value = value.split('/').next().unwrap_or(value);
            }
            // SQL Server's `Server=sql-01,1433`: a host and its port, not two hosts.
            let (items, written) = value
                .split_once(',')
                .filter(|(host, _)| split_port(host).1.is_none())
                .and_then(|(host, written)| Some((host, Some(port(written)?))))
                .unwrap_or((value, None));
            for item in items.split(',') {
                // A named instance (`sql-01\\REPORTS`) is a name on that server.
                let item = without_transport(item);
                let item = item.split_once('\\').map_or(item, |(h, _)| h);
                // JGroups' `initial_hosts="10.0.0.21[7800]"`.
                let bracket = item
                    .find('[')
                    .filter(|&at| at > 0)
                    .and_then(|at| Some((at, ports::at_port(item, at)?)))
                    .filter(|&(_, (_, end))| end == item.len());
                let (host, explicit) = match bracket {
                    Some((at, (p, _))) => (&item[..at], Some(p)),
                    None => split_port(item),
                };
                let port = explicit.or(written).or(sibling);
                // `Data Source` names a file (`blog.db`) or a TNS alias (`PRODDB`) as often.
                if data_source && port.is_none() && parse_ip(host).is_none() && !is_fqdn(host) {
                    continue;
                }
                self.add(host, port, start, end);
            }
        }
    }
}
