//! How values are written for people, the same way in every message: counts, durations,
//! ages, `service@host`, `host:port`. The core (executor, checks, notifications) and the
//! printers both use it, so the core never imports a printer.

use std::time::Duration;

/// `1 host`, `2 hosts`: a count with its noun (regular plurals only).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A duration as an operator reads it: `150ms`, `4.2s`, `2m05s`.
pub fn duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms < 60_000 {
        format!("{:.1}s", d.as_secs_f64())
    } else {
        format!("{}m{:02}s", d.as_secs() / 60, d.as_secs() % 60)
    }
}

/// [`duration`] of a number of milliseconds, as events carry them.
pub fn millis(ms: u64) -> String {
    duration(Duration::from_millis(ms))
}

/// How long a process has been running, in its two largest units: `41d 3h`, `2h 5m`, `4m 10s`.
pub fn uptime(seconds: i64) -> String {
    let (d, h, m) = (
        seconds / 86_400,
        seconds % 86_400 / 3600,
        seconds % 3600 / 60,
    );
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else {
        format!("{m}m {}s", seconds % 60)
    }
}

/// `41 days ago`, `3 min ago`: how an operator says when a process started.
pub fn ago(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..120 => format!("{s} s ago"),
        120..7200 => format!("{} min ago", s / 60),
        7200..172_800 => format!("{} h ago", s / 3600),
        _ => format!("{} days ago", s / 86_400),
    }
}

/// `service@host`: a step, or a service instance, everywhere it is named.
pub fn at(service: &str, host: &str) -> String {
    format!("{service}@{host}")
}

/// `host:port`, an IPv6 address in brackets (`[2001:db8::1]:5432`) so the port stays readable.
pub fn host_port(host: &str, port: u16) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_durations_and_ages_read_as_an_operator_says_them() {
        assert_eq!(count(1, "step"), "1 step");
        assert_eq!(count(0, "step"), "0 steps");
        assert_eq!(duration(Duration::from_millis(150)), "150ms");
        assert_eq!(duration(Duration::from_millis(4_200)), "4.2s");
        assert_eq!(millis(125_000), "2m05s");
        assert_eq!(uptime(41 * 86_400 + 3 * 3600 + 5), "41d 3h");
        assert_eq!(uptime(250), "4m 10s");
        assert_eq!(ago(3 * 86_400), "3 days ago");
    }

    #[test]
    fn an_ipv6_address_gets_brackets_once() {
        assert_eq!(host_port("db-01", 5432), "db-01:5432");
        assert_eq!(host_port("2001:db8::1", 5432), "[2001:db8::1]:5432");
        assert_eq!(host_port("[::1]", 80), "[::1]:80");
        assert_eq!(at("db", "db-01"), "db@db-01");
    }
}
