//! What a host looks like: host names, IP literals, ports, and the words that only look like
//! hosts (wildcards, file names, Java names).

use rustc_hash::FxHashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

/// Top-level domains that mark a bare dotted word as a host name (not `arpa`: its names are
/// reverse zones, `10.in-addr.arpa`, never a host to reach). File extensions that are also
/// country codes (`.sh`, `.pl`, `.py`, `.rs`, `.md`, `.so`, `.in`, `.am`, `.cc`) are left out on
/// purpose: `deploy.sh` is a file, not a host in Saint Helena.
static TLDS: LazyLock<FxHashSet<&str>> = LazyLock::new(|| {
    [
        "com",
        "net",
        "org",
        "io",
        "dev",
        "app",
        "cloud",
        "info",
        "biz",
        "edu",
        "gov",
        "mil",
        "int",
        "eu",
        "us",
        "uk",
        "de",
        "fr",
        "nl",
        "be",
        "ch",
        "at",
        "se",
        "no",
        "dk",
        "fi",
        "es",
        "it",
        "pt",
        "cz",
        "ru",
        "jp",
        "cn",
        "br",
        "au",
        "ca",
        "nz",
        "za",
        "ie",
        "lu",
        "gr",
        "hu",
        "ro",
        "ua",
        "tr",
        "internal",
        "local",
        "lan",
        "corp",
        "home",
        "intra",
        "intranet",
        "private",
        "localdomain",
        "example",
        "test",
        "invalid",
        "svc",
        "cluster",
        "consul",
        "prod",
        "stage",
        "staging",
    ]
    .into_iter()
    .collect()
});

fn is_tld(label: &str) -> bool {
    (2..=11).contains(&label.len()) && TLDS.contains(label)
}

/// Words that sit where a host could but are settings: `host = localhost` is a host, `on` is not.
fn is_setting_word(word: &[u8]) -> bool {
    let mut buf = [0u8; 8];
    let Some(lower) = buf.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word);
    lower.make_ascii_lowercase();
    matches!(
        &*lower,
        b"true"
            | b"false"
            | b"yes"
            | b"no"
            | b"on"
            | b"off"
            | b"none"
            | b"null"
            | b"nil"
            | b"auto"
            // Ruby's block (`Sidekiq.configure_server do |config|`).
            | b"do"
            // Asterisk's `host=dynamic`, a peer that registers from anywhere.
            | b"dynamic"
            | b"default"
            | b"any"
            | b"all"
            | b"disabled"
            | b"enabled"
            | b"iburst"
            | b"prefer"
            | b"check"
            | b"backup"
            | b"weight"
            | b"ssl"
            | b"tls"
            | b"required"
            | b"optional"
            | b"unix"
            | b"file"
            | b"tcp"
            | b"udp"
            | b"http"
            | b"https"
            // Address families (DRBD's `address ipv6 [fd00::1]:7789`).
            | b"ipv4"
            | b"ipv6"
            | b"inet"
            | b"inet6"
    )
}

/// What each byte is to a host name: one table load per byte on the scanner's hottest check.
#[derive(Clone, Copy, PartialEq)]
enum HostByte {
    Invalid,
    Digit,
    Letter,
    Hyphen,
    Dot,
}

static HOST_BYTES: [HostByte; 256] = {
    let mut table = [HostByte::Invalid; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = match b {
            b'0'..=b'9' => HostByte::Digit,
            b'a'..=b'z' | b'A'..=b'Z' => HostByte::Letter,
            b'-' => HostByte::Hyphen,
            b'.' => HostByte::Dot,
            _ => HostByte::Invalid,
        };
        c += 1;
    }
    table
};

/// A syntactically valid DNS name with at least one letter (all digits is a number, or an IP).
pub(super) fn is_hostname(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    let b = name.as_bytes();
    if b.is_empty() || b.len() > 253 {
        return false;
    }
    let (mut label_len, mut letter, mut previous) = (0, false, HostByte::Dot);
    for &c in b {
        let class = HOST_BYTES[c as usize];
        match class {
            HostByte::Invalid => return false,
            // A label neither empty, nor longer than 63, nor ending in a hyphen.
            HostByte::Dot if !(1..=63).contains(&label_len) || previous == HostByte::Hyphen => {
                return false;
            }
            HostByte::Dot => label_len = 0,
            HostByte::Hyphen if label_len == 0 => return false,
            HostByte::Letter => {
                letter = true;
                label_len += 1;
            }
            HostByte::Digit | HostByte::Hyphen => label_len += 1,
        }
        previous = class;
    }
    letter && (1..=63).contains(&label_len) && previous != HostByte::Hyphen && !is_setting_word(b)
}

/// A single label too long and too mixed to be a host's name: base64 in a URL's place
/// (dnscrypt's `sdns://AQcAAAAAAAAAEjE5OC41…` stamps), a token.
pub(super) fn is_opaque_token(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 20
        && memchr::memchr(b'.', b).is_none()
        && b.iter().any(u8::is_ascii_uppercase)
        && b.iter().any(u8::is_ascii_lowercase)
        && b.iter().any(u8::is_ascii_digit)
}

/// A dotted lower-case name ending in a known top-level domain: a host even without context.
pub(super) fn is_fqdn(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    let (Some((first, _)), Some((_, last))) = (name.split_once('.'), name.rsplit_once('.')) else {
        return false;
    };
    let labels = memchr::memchr_iter(b'.', name.as_bytes()).count() + 1;
    is_tld(last)
        && !name.bytes().any(|c| c.is_ascii_uppercase())
        && is_hostname(name)
        // Reversed Java packages (`org.apache.x.Y`, `com.example.app`) are names, not hosts.
        && !(labels >= 3 && matches!(first, "org" | "com" | "net" | "java" | "javax" | "io" | "sun"))
}

/// Where the quoted value whose opening quote is `b[open]` closes: its closing quote, or the
/// end of `b` when it never closes.
/// Whether `text` starts with `prefix`, whatever the case of its letters.
pub(super) fn starts_with_ignore_case(text: &[u8], prefix: &[u8]) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// Whether `text` ends with `suffix`, whatever the case of its letters.
pub(super) fn ends_with_ignore_case(text: &[u8], suffix: &[u8]) -> bool {
    text.len() >= suffix.len() && text[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

pub(super) fn quoted_end(b: &[u8], open: usize) -> usize {
    memchr::memchr(b[open], &b[open + 1..]).map_or(b.len(), |i| open + 1 + i)
}

/// `b` without one quote at its end.
pub(super) fn without_closing_quote(b: &[u8]) -> &[u8] {
    b.strip_suffix(b"\"")
        .or_else(|| b.strip_suffix(b"'"))
        .unwrap_or(b)
}

/// A byte class as a table: the hot loops test one byte at a time.
pub(super) const fn byte_table(extra: &[u8], alphanumeric: bool, whitespace: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] =
            (alphanumeric && c.is_ascii_alphanumeric()) || (whitespace && c.is_ascii_whitespace());
        b += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        table[extra[i] as usize] = true;
        i += 1;
    }
    table
}

/// Letters, digits, `.` and `-`: the bytes of a host name.
pub(super) static HOST_BYTE: [bool; 256] = byte_table(b".-", true, false);

/// Where the run of `class` bytes starting at `from` ends.
pub(super) fn run_forward(b: &[u8], from: usize, class: &[bool; 256]) -> usize {
    from + b[from..].iter().take_while(|&&c| class[c as usize]).count()
}

/// Where the run of `class` bytes ending at `end` starts.
pub(super) fn run_back(b: &[u8], end: usize, class: &[bool; 256]) -> usize {
    end - b[..end]
        .iter()
        .rev()
        .take_while(|&&c| class[c as usize])
        .count()
}

pub(super) fn parse_ip(text: &str) -> Option<IpAddr> {
    let inner = text.strip_prefix('[').unwrap_or(text);
    let inner = inner.strip_suffix(']').unwrap_or(inner);
    // Host names are the common case: neither an IPv4 (digit first) nor an IPv6 (a colon).
    let b = inner.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) && memchr::memchr(b':', b).is_none() {
        return None;
    }
    // A zone names an interface (`fe80::1%eth0`): RFC 6874's unreserved bytes, never a `@`.
    let inner = match inner.split_once('%') {
        Some((address, zone))
            if !zone.is_empty()
                && zone.bytes().all(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-' | b'~')
                }) =>
        {
            address
        }
        Some(_) => return None,
        None => inner,
    };
    inner
        .parse::<Ipv4Addr>()
        .map(Into::into)
        .or_else(|_| inner.parse::<Ipv6Addr>().map(Into::into))
        .ok()
}

/// An address that names no host to reach: a wildcard bind (`0.0.0.0`, `::`), the broadcast
/// address, or a netmask (`255.255.255.0`).
pub(super) fn names_no_host(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            let netmask =
                v4.octets()[0] == 255 && bits.leading_ones() + bits.trailing_zeros() == 32;
            // A multicast group is joined, not a host that can be gone.
            v4.is_unspecified() || netmask || v4.is_multicast()
        }
        IpAddr::V6(v6) => v6.is_unspecified() || v6.is_multicast(),
    }
}

pub(super) fn port(text: &str) -> Option<u16> {
    text.parse::<u16>().ok().filter(|p| *p > 0)
}

/// The port a URL scheme implies when the URL gives none.
pub(super) fn default_port(scheme: &str) -> Option<u16> {
    // SQLAlchemy's `postgresql+psycopg2`, Celery's `db+postgresql`: the database's scheme.
    if let Some((first, second)) = scheme.split_once('+') {
        return default_port(second).or_else(|| default_port(first));
    }
    // Lowered on the stack: this runs on every URL.
    let mut buf = [0u8; 16];
    let lower = buf.get_mut(..scheme.len())?;
    lower.copy_from_slice(scheme.as_bytes());
    lower.make_ascii_lowercase();
    Some(match &*lower {
        b"http" | b"ws" => 80,
        b"https" | b"wss" => 443,
        b"postgres" | b"postgresql" => 5432,
        b"mysql" | b"mariadb" => 3306,
        b"redis" => 6379,
        b"rediss" => 6380,
        b"amqp" => 5672,
        b"amqps" => 5671,
        b"mongodb" => 27017,
        b"ldap" => 389,
        b"ldaps" => 636,
        b"smtp" => 25,
        b"smtps" => 465,
        b"ftp" => 21,
        b"ssh" | b"sftp" => 22,
        b"nats" => 4222,
        b"memcached" => 11211,
        b"kafka" => 9092,
        b"zk" | b"zookeeper" => 2181,
        b"gcomm" => 4567,
        b"sqlserver" | b"mssql" => 1433,
        b"oracle" => 1521,
        b"db2" => 50000,
        b"dns" => 53,
        b"rsync" => 873,
        b"ipp" | b"ipps" => 631,
        b"lpd" => 515,
        b"git" => 9418,
        _ => return None,
    })
}

/// `host:port`, `[v6]:port` or a bare host; an IPv6 literal keeps its colons.
pub(super) fn split_port(item: &str) -> (&str, Option<u16>) {
    let item = item.trim_ascii();
    if let Some(rest) = item.strip_prefix('[')
        && let Some((host, after)) = rest.split_once(']')
    {
        return (host, after.strip_prefix(':').and_then(port));
    }
    let b = item.as_bytes();
    let mut colons = (0..b.len()).filter(|&i| b[i] == b':');
    let Some(colon) = colons.next() else {
        return (item, None);
    };
    if colons.next().is_none() {
        if let Some(p) = port(&item[colon + 1..]) {
            return (&item[..colon], Some(p));
        }
        // Docker's `extra_hosts` and `--add-host`: `name:10.0.5.17` maps a name to an address.
        if item[colon + 1..].parse::<std::net::Ipv4Addr>().is_ok() {
            return (&item[colon + 1..], None);
        }
        return (item, None);
    }
    // ZooKeeper's `host:2888:3888` (the first port) and exim's `host::587`; not IPv6, whose
    // first group is hex digits.
    let host = &item[..colon];
    let ports = item[colon + 1..].trim_start_matches(':');
    let first = ports.split(':').next().unwrap_or_default();
    let all_ports = ports.split(':').all(|p| port(p).is_some());
    let hex_group = host.len() <= 4 && host.bytes().all(|c| c.is_ascii_hexdigit());
    let named = is_hostname(host) || host.parse::<std::net::Ipv4Addr>().is_ok();
    if all_ports && !hex_group && named {
        return (host, port(first));
    }
    (item, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definition `is_hostname` implements in one pass.
    fn is_hostname_by_definition(name: &str) -> bool {
        let name = name.strip_suffix('.').unwrap_or(name);
        let is_label = |l: &str| {
            let b = l.as_bytes();
            (1..=63).contains(&b.len())
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        };
        (1..=253).contains(&name.len())
            && name.split('.').all(is_label)
            && name.bytes().any(|c| c.is_ascii_alphabetic())
            && !is_setting_word(name.as_bytes())
    }

    proptest! {
        #[test]
        fn is_hostname_follows_its_definition(name in "[a-zA-Z0-9.-]{0,70}|[a-z]{60,66}(\\.[a-z]{1,3})?") {
            prop_assert_eq!(is_hostname(&name), is_hostname_by_definition(&name));
        }
    }

    #[test]
    fn names_that_look_like_hosts_but_are_not() {
        assert!(!is_fqdn("app.log"));
        assert!(!is_fqdn("log4j2.xml"));
        assert!(!is_fqdn("deploy.sh"));
        assert!(!is_fqdn("org.apache.cassandra.locator.SimpleSeedProvider"));
        assert!(!is_fqdn("java.net.preferIPv4Stack"));
        assert!(!is_fqdn("1.2.3"));
        assert!(is_fqdn("ntp1.example.com"));
        assert!(is_fqdn("db-01.prod.internal"));
        let no_host = |text| parse_ip(text).is_some_and(names_no_host);
        assert!(no_host("0.0.0.0"));
        assert!(no_host("[::]"));
        assert!(no_host("255.255.255.255"));
        assert!(no_host("255.255.255.0"));
        assert!(!no_host("255.1.2.3"));
        assert!(!no_host("10.0.0.1"));
        // A zone is an interface's name; hostile text after a `%` makes no address.
        assert!(parse_ip("fe80::1%eth0").is_some());
        assert!(parse_ip("[fe80::1%enp0s3.10]").is_some());
        assert!(parse_ip("::a%rabbit@").is_none());
        assert!(parse_ip("::a%").is_none());
        assert!(parse_ip("::a%r@h").is_none());
        assert!(is_hostname("db-01.prod"));
        assert!(is_hostname("a"));
        assert!(!is_hostname("-db"));
        assert!(!is_hostname("db-"));
        assert!(!is_hostname("db..prod"));
        assert!(!is_hostname("10.0.0.1"));
        assert!(!is_hostname("on"));
        assert!(!is_hostname("db_01"));
        assert!(!is_hostname(&"a".repeat(64)));
        assert!(!is_hostname(&format!("{}.example.com", "a".repeat(64))));
        assert!(is_hostname(&format!("{}.example.com", "a".repeat(63))));
    }
}
