//! What a host looks like: host names, IP literals, ports, and the words that only look like
//! hosts (wildcards, file names, Java names).

use rustc_hash::FxHashSet;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

/// Top-level domains that mark a bare dotted word as a host name. File extensions that are also
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
        "arpa",
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
const NOT_HOSTS: &[&str] = &[
    "true", "false", "yes", "no", "on", "off", "none", "null", "nil", "auto", "default", "any",
    "all", "disabled", "enabled", "iburst", "prefer", "check", "backup", "weight", "ssl", "tls",
    "required", "optional", "unix", "file", "tcp", "udp", "http", "https",
];

pub fn is_label(label: &str) -> bool {
    let b = label.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

/// A syntactically valid DNS name with at least one letter (all digits is a number, or an IP).
pub fn is_hostname(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(is_label)
        && name.bytes().any(|c| c.is_ascii_alphabetic())
        && !NOT_HOSTS.iter().any(|w| w.eq_ignore_ascii_case(name))
}

/// A dotted lower-case name ending in a known top-level domain: a host even without context.
pub fn is_fqdn(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    let Some((first, _)) = name.split_once('.') else {
        return false;
    };
    let (_, last) = name.rsplit_once('.').unwrap_or(("", name));
    let count = name.bytes().filter(|b| *b == b'.').count() + 1;
    is_tld(last)
        && !name.bytes().any(|c| c.is_ascii_uppercase())
        && is_hostname(name)
        // Reversed Java packages (`org.apache.x.Y`, `com.example.app`) are names, not hosts.
        && !(count >= 3 && matches!(first, "org" | "com" | "net" | "java" | "javax" | "io" | "sun"))
}

pub fn parse_ip(text: &str) -> Option<std::net::IpAddr> {
    let inner = text.trim_start_matches('[').trim_end_matches(']');
    // Host names are the common case: neither an IPv4 (digit first) nor an IPv6 (a colon).
    if !inner.as_bytes().first().is_some_and(u8::is_ascii_digit) && !inner.contains(':') {
        return None;
    }
    let inner = inner.split('%').next().unwrap_or(inner);
    inner
        .parse::<Ipv4Addr>()
        .map(Into::into)
        .or_else(|_| inner.parse::<Ipv6Addr>().map(Into::into))
        .ok()
}

/// Binds to every address, not references to one host.
pub fn is_wildcard(host: &str) -> bool {
    matches!(
        host,
        "*" | "0" | "0.0.0.0" | "::" | "[::]" | "::0" | "[::0]"
    ) || parse_ip(host).is_some_and(|ip| {
        ip.is_unspecified() || matches!(ip, std::net::IpAddr::V4(v4) if v4.is_broadcast())
    })
}

/// A netmask (`255.255.255.0`) is an IP literal but names no host.
pub fn is_netmask(host: &str) -> bool {
    host.parse::<Ipv4Addr>().is_ok_and(|ip| {
        let bits = u32::from(ip);
        ip.octets()[0] == 255 && bits.leading_ones() + bits.trailing_zeros() == 32
    })
}

pub fn port(text: &str) -> Option<u16> {
    text.parse::<u16>().ok().filter(|p| *p > 0)
}

/// The port a URL scheme implies when the URL gives none.
pub fn default_port(scheme: &str) -> Option<u16> {
    Some(match scheme.to_ascii_lowercase().as_str() {
        "http" | "ws" => 80,
        "https" | "wss" => 443,
        "postgres" | "postgresql" => 5432,
        "mysql" | "mariadb" => 3306,
        "redis" => 6379,
        "rediss" => 6380,
        "amqp" => 5672,
        "amqps" => 5671,
        "mongodb" => 27017,
        "ldap" => 389,
        "ldaps" => 636,
        "smtp" => 25,
        "smtps" => 465,
        "ftp" => 21,
        "ssh" | "sftp" => 22,
        "nats" => 4222,
        "memcached" => 11211,
        "kafka" => 9092,
        "zk" | "zookeeper" => 2181,
        "gcomm" => 4567,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(is_wildcard("0.0.0.0"));
        assert!(is_wildcard("[::]"));
        assert!(is_netmask("255.255.255.0"));
        assert!(!is_netmask("255.1.2.3"));
    }
}
