//! The block a line stands in, for formats that say what an address is by where it stands
//! rather than by its key: Envoy's `listeners:`, Traefik's `entryPoints:`, Vault's `listener
//! "tcp" { }`, Vector's `[sources.x]` and syslog-ng's `source s { }` hold addresses this host
//! listens on; Nomad's `advertise { }` holds its own; BIND's `acl "x" { }` and Knot's `acl:` hold
//! the clients let in, never a server to reach.

use super::context;
use super::scan::is_section_header;

/// What the enclosing blocks say of the addresses in a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(super) enum Scope {
    #[default]
    Plain,
    /// Listen, for the block's own keys only: this service's own `server:` or `frontend`,
    /// whose nested blocks (a chart's `server.config.persistence`, a compose service's
    /// `environment:`) name servers it reaches.
    ListenDirect,
    /// Addresses given by address keys are where this service listens.
    Listen,
    /// Listen, `endpoint` keys too: an OpenTelemetry receiver's `protocols:` (its pull
    /// receivers' own `endpoint`, `receivers: postgresql: endpoint:`, is a server reached).
    Endpoints,
    /// Addresses are this host's own, told to its peers (`advertise`): nothing to check.
    Own,
    /// Labels and tags (Promtail's `labels:`, Kubernetes' `annotations:`): metadata, whatever
    /// its keys say (`host: web-01.example.com`), never a server.
    Labels,
    /// Clients allowed or denied: no reference at all.
    Access,
}

/// The open blocks: an INI or TOML section, braces, and YAML keys by indent. Each brace entry
/// holds the strongest scope up to it, so a line's scope costs no walk over the stack: a file
/// whose braces never balance (templates, a truncated block) opens blocks without end.
#[derive(Default)]
pub(super) struct Scopes {
    section: Scope,
    braces: Vec<Scope>,
    /// Blocks opened beyond `BRACE_DEPTH`: counted, not kept.
    deeper: usize,
    indents: Vec<(usize, Scope)>,
    /// How many blocks of listeners written as tags are open (ZNC's `<Listener l>`).
    listener_tags: usize,
}

/// How many nested brace blocks are kept; deeper ones take the scope around them.
const BRACE_DEPTH: usize = 64;

/// A block's name: the first word of its line, without a list dash, quotes or a colon.
fn block_name(trimmed: &str) -> &str {
    let t = trimmed.strip_prefix("- ").unwrap_or(trimmed).trim_start();
    let t = t.trim_start_matches(['"', '\'', '<', '[']);
    let end = t
        .bytes()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')))
        .unwrap_or(t.len());
    &t[..end]
}

/// Whether a word names listeners: `listen`, `listener`, `listeners`.
fn names_listeners(word: &str) -> bool {
    ["listen", "listener", "listeners"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
}

/// APISIX's `node_listen:` and `admin_listen:`: a block named for what listens (not
/// `advertised-listeners:`, the addresses told to clients).
fn named_for_listeners(name: &str) -> bool {
    let last_word = name.rsplit(['_', '-']).next().unwrap_or_default();
    last_word.len() < name.len()
        && !name
            .get(..9)
            .is_some_and(|w| w.eq_ignore_ascii_case("advertise"))
        && names_listeners(last_word)
}

/// `http_server`, `grpc-server`, `web_server`: a block for this service's own server of a
/// protocol it serves, not one it reaches.
fn serves_the_web(name: &str) -> bool {
    let b = name.as_bytes();
    let Some(cut) = b.len().checked_sub(7) else {
        return false;
    };
    matches!(b[cut], b'_' | b'-')
        && b[cut + 1..].eq_ignore_ascii_case(b"server")
        && ["http", "https", "grpc", "web"]
            .iter()
            .any(|p| b[..cut].eq_ignore_ascii_case(p.as_bytes()))
}

/// A block of listeners written as tags, `<Listener l>` to `</Listener>` (ZNC): an opening tag
/// alone on its line (other tags, `<source>` of ClickHouse or Fluentd, hold servers reached as
/// often), or its closing tag (`</Listener> <!-- web -->`), which this says.
fn listener_tag(trimmed: &str) -> Option<bool> {
    let inner = trimmed.strip_prefix('<')?;
    if let Some(closing) = inner.strip_prefix('/') {
        let name = block_name(closing);
        return (names_listeners(name) && closing[name.len()..].starts_with('>')).then_some(true);
    }
    let inner = inner.strip_suffix('>')?;
    (names_listeners(block_name(inner))
        && !inner.ends_with('/')
        && !inner.contains(['=', '<', '>', '"', '\'']))
    .then_some(false)
}

/// How a block opens, which says what its name can mean.
#[derive(Clone, Copy)]
enum Opening {
    /// `[name]`.
    Section,
    /// `name {`; `top`: a JSON object in the top one.
    Braces { top: bool },
    /// `name:` or `name =` with its value below; `top`: at the file's top level.
    Key { top: bool },
}

/// Blocks of metadata, whatever their keys say.
const LABELS: &[&str] = &["labels", "tags", "annotations", "headers"];

/// What a block of that name holds. `source` alone is a syslog-ng statement only in braces; a
/// TOML `[api]` section is Vector's own API server, an INI `[server]` section (Grafana's,
/// MariaDB's, Mercurial's `[web]`) this service's own. At the top level, `server:` and `web:`
/// are this service's own too (Gatus's `web:`, Ghost's `"server": {`), not a compose service
/// named `web`.
fn scope_of(name: &str, opening: Opening) -> Scope {
    let first = name.split('.').next().unwrap_or_default();
    let is = |words: &[&str]| words.iter().any(|w| first.eq_ignore_ascii_case(w));
    // TiKV's `[server.labels]`: labels of the server's, not its listeners.
    let last = name.rsplit('.').next().unwrap_or_default();
    if LABELS.iter().any(|w| last.eq_ignore_ascii_case(w)) {
        return Scope::Labels;
    }
    let (braces, section, top) = match opening {
        Opening::Section => (false, true, false),
        Opening::Braces { top } => (true, false, top),
        Opening::Key { top } => (false, false, top),
    };
    if is(&[
        "listeners",
        "listener",
        "listen",
        "entrypoints",
        "entrypoint",
        "sources",
    ]) || named_for_listeners(first)
        || (braces && is(&["source"]))
        // Ory Hydra's and Kratos's `serve:` with a `public:` and an `admin:` listener, also
        // nested in a ConfigMap or a chart's values.
        || (!braces && !section && is(&["serve"]))
        || (section && is(&["api", "server", "web"]))
    {
        Scope::Listen
    } else if (top && is(&["server", "web"]))
        // Home Assistant's `http:` (its `server_host`), PeerTube's `webserver:` (its own
        // `hostname`; nested too, in a chart's values; an INI `[webserver]` is as often an
        // Ansible group) and i2pd's `[http]`: this service's own web server.
        || ((top || section) && is(&["http"]))
        || (!braces && !section && is(&["webserver"]))
        // Centrifugo's `"http_server": {`, a `grpc_server:`: where this service serves that
        // protocol (an `smtp_server:` is reached).
        || serves_the_web(first)
        || is(&["frontend", "frontends"])
        || (section && is(&["debug", "metrics"]))
        || (braces && is(&["service"]))
    {
        // Hitch's `frontend = {`, where clients come in (its `backend` is reached);
        // containerd's `[debug]` and `[metrics]`, Aerospike's `service {`: where it serves.
        Scope::ListenDirect
    } else if is(&["protocols", "kestrel"]) {
        // An OpenTelemetry receiver's `protocols:`, ASP.NET's `"Kestrel": { "Endpoints": {`.
        Scope::Endpoints
    } else if is(&["advertise", "advertise_addrs"])
        // Hydra's `urls: self: issuer: https://…`: the service's own URLs.
        || !braces && !section && is(&["self"])
        || section
            && first
                .get(..4)
                .is_some_and(|w| w.eq_ignore_ascii_case("dhcp"))
    {
        // Pi-hole's `[dhcp]`, systemd-networkd's `[DHCPServer]`: what it hands its clients
        // (a router, a range, DNS servers), as dnsmasq's `dhcp-*` keys.
        Scope::Own
    } else if is(LABELS) {
        Scope::Labels
    } else if context::names_an_access_rule(first) {
        Scope::Access
    } else {
        Scope::Plain
    }
}

impl Scopes {
    /// The scope of `line`, then the blocks it opens or closes. `braces` says whether the line
    /// has a `{` or `}` at all.
    pub(super) fn line(&mut self, line: &str, braces: bool) -> Scope {
        let trimmed = line.trim_ascii();
        let indent = line.len() - line.trim_ascii_start().len();
        if trimmed.starts_with('[') && is_section_header(trimmed) {
            let name = trimmed.trim_matches(['[', ']', ' ']);
            self.section = scope_of(name, Opening::Section);
            self.braces.clear();
            self.indents.clear();
            self.listener_tags = 0;
            return Scope::Plain;
        }
        let list_item = trimmed.starts_with("- ");
        // libconfig's `listen:` with its list's `(` on the next line, as sslh writes it: a list of
        // listeners only (sslh's `protocols:` list holds its backends).
        let list_below = matches!(trimmed, "(" | "[")
            && self
                .indents
                .last()
                .is_some_and(|&(open, scope)| open == indent && scope == Scope::Listen);
        while let Some(&(open, _)) = self.indents.last() {
            if indent < open || (indent == open && !list_item && !list_below) {
                self.indents.pop();
            } else {
                break;
            }
        }
        // Only the innermost block's `ListenDirect` holds for this line.
        let inner = self.indents.len().saturating_sub(1);
        let around = self
            .indents
            .iter()
            .enumerate()
            .map(|(i, (_, s))| if i < inner { s.outside() } else { *s })
            .fold(self.section, Scope::max)
            .max(self.braces.last().copied().unwrap_or_default())
            .max(if self.listener_tags > 0 {
                Scope::Listen
            } else {
                Scope::Plain
            });
        if let Some(closing) = listener_tag(trimmed) {
            if closing {
                self.listener_tags = self.listener_tags.saturating_sub(1);
            } else {
                self.listener_tags += 1;
            }
            return around;
        }
        if braces {
            let b = trimmed.as_bytes();
            let opens = memchr::memchr_iter(b'{', b).count();
            let closes = memchr::memchr_iter(b'}', b).count();
            // A JSON object in the top one (Ghost's `"server": {`), not nginx's `server {`.
            let top = self.braces.len() == 1 && trimmed.starts_with('"');
            // Asked only of a line that opens a block: a closing brace's line has no name.
            let own = || scope_of(block_name(trimmed), Opening::Braces { top });
            if opens > closes {
                let outer = self.braces.last().copied().unwrap_or_default().outside();
                let own = own();
                self.open(outer.max(own));
                for _ in 1..opens - closes {
                    self.open(outer.max(own));
                }
            } else if closes > opens {
                for _ in 0..closes - opens {
                    if self.deeper > 0 {
                        self.deeper -= 1;
                    } else {
                        self.braces.pop();
                    }
                }
            } else if opens > 0 {
                // A block on one line (`source s_net { network(...); };`) is its own scope.
                return around.max(own());
            }
        } else if trimmed.ends_with(':') {
            // A YAML key with its value below; a list item's key stands after its dash.
            let at = if list_item { indent + 2 } else { indent };
            let top = indent == 0 && !list_item;
            self.indents
                .push((at, scope_of(block_name(trimmed), Opening::Key { top })));
        } else if opens_a_list(trimmed) {
            // A list opened after its key, JSON's `"listen": [` or libconfig's `listen: (`: only
            // a list of listeners says where its addresses are (a JSON `"sources": [` lists
            // servers polled).
            let name = block_name(trimmed);
            let scope = scope_of(name, Opening::Key { top: false });
            self.indents.push((
                indent,
                if names_listeners(name)
                    || named_for_listeners(name)
                    || matches!(scope, Scope::Labels | Scope::Access)
                {
                    scope
                } else {
                    Scope::Plain
                },
            ));
        } else if trimmed.ends_with('=') {
            // Oracle's `LISTENER_PROD =`, its descriptor below: where the listener listens.
            let name = block_name(trimmed);
            let listener = name
                .get(..8)
                .is_some_and(|w| w.eq_ignore_ascii_case("listener"));
            self.indents.push((
                indent,
                if listener {
                    Scope::Listen
                } else {
                    scope_of(name, Opening::Key { top: false })
                },
            ));
        }
        around
    }
}

/// Whether a key's line opens its value's list: `"listen": [`, `listen: (`, `listen = (`.
fn opens_a_list(trimmed: &str) -> bool {
    trimmed
        .strip_suffix(['[', '('])
        .map(str::trim_end)
        .is_some_and(|key| key.ends_with([':', '=']) && key.len() > 1)
}

impl Scope {
    /// What the scope holds for blocks nested inside the one that opened it.
    fn outside(self) -> Scope {
        if self == Scope::ListenDirect {
            Scope::Plain
        } else {
            self
        }
    }

    /// Whether address keys give where this service listens.
    pub(super) fn listens(self) -> bool {
        matches!(self, Scope::Listen | Scope::ListenDirect | Scope::Endpoints)
    }
}

impl Scopes {
    fn open(&mut self, scope: Scope) {
        if self.braces.len() < BRACE_DEPTH {
            self.braces.push(scope);
        } else {
            self.deeper += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(text: &str) -> Vec<Scope> {
        let mut s = Scopes::default();
        text.lines()
            .map(|l| s.line(l, l.contains(['{', '}'])))
            .collect()
    }

    #[test]
    fn yaml_blocks_end_where_the_indent_returns() {
        use Scope::*;
        assert_eq!(
            scopes("listeners:\n- name: a\n  address:\n    address: 10.0.0.5\nclusters:\n- x: 1"),
            [Plain, Listen, Listen, Listen, Plain, Plain]
        );
        assert_eq!(
            scopes("acl:\n  - address: 10.0.0.0/8\nremote:\n  - address: 10.0.0.5"),
            [Plain, Access, Plain, Plain]
        );
    }

    #[test]
    fn brace_blocks_and_sections() {
        use Scope::*;
        assert_eq!(
            scopes(
                "listener \"tcp\" {\n  address = \"10.0.0.5:8200\"\n}\nseal {\n  address = x\n}"
            ),
            [Plain, Listen, Listen, Plain, Plain, Plain]
        );
        assert_eq!(
            scopes("source s { network(ip(10.0.0.5)); };\nacl \"t\" {\n 10.0.0.1;\n};\nx 1"),
            [Listen, Plain, Access, Access, Plain]
        );
        assert_eq!(
            scopes("[sources.in]\naddress = \"10.0.0.5:80\"\n[sinks.out]\naddress = y"),
            [Plain, Listen, Plain, Plain]
        );
        assert_eq!(
            scopes("advertise {\n  http = \"10.0.0.5\"\n}"),
            [Plain, Own, Own]
        );
        assert_eq!(
            scopes("- job: x\n  labels:\n    host: web-01.example.com\n  targets: [y]"),
            [Plain, Plain, Labels, Plain]
        );
        assert_eq!(
            scopes(
                "<Listener l>\n  Host = 10.0.0.5\n</Listener>\n<Network x>\nServer = y\n</Network>"
            ),
            [Plain, Listen, Listen, Plain, Plain, Plain]
        );
        // Other tags hold servers reached (ClickHouse's dictionary `<source>`); a closing tag
        // with a comment after it closes; advertised listeners are told to clients.
        assert_eq!(
            scopes("<source>\n<host>10.0.0.5</host>\n</source>"),
            [Plain, Plain, Plain]
        );
        assert_eq!(
            scopes("<listener>\nx\n</Listener> <!-- web -->\ny"),
            [Plain, Listen, Listen, Plain]
        );
        assert_eq!(
            scopes("advertised-listeners:\n  - address: 203.0.113.20\nnode_listen:\n  - ip: x"),
            [Plain, Plain, Plain, Listen]
        );
    }
}
