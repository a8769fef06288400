//! An address the file binds is this host's own: its other settings that give the same address
//! alone or as an address key's value (Scylla's `listen_address` then `prometheus_address`,
//! both `10.0.0.5`; nsqd's `http_address = "10.0.0.5:4151"`) say where more of this service's
//! ports listen, not a server it reaches. Among other references of its line (a cluster's seeds,
//! itself among them), with a port under a key that names no address (a relay's `DESTINATIONS =
//! 10.0.0.5:2004`) or in a URL, it is a service of the same host, reached.

use super::{Kind, Reference};
use rustc_hash::FxHashSet;
use std::net::IpAddr;

/// Turns into `listen` every connect reference to an address the same file listens on, given
/// alone or as the value of an address key (`address_values`, indices into `found` in order).
pub(super) fn bind_where_listening(found: &mut [Reference], address_values: &[usize]) {
    let own: FxHashSet<IpAddr> = found
        .iter()
        .filter(|r| r.kind == Kind::Listen)
        .filter_map(|r| r.host.parse().ok())
        .collect();
    if own.is_empty() {
        return;
    }
    for i in 0..found.len() {
        let line = found[i].line;
        let only_of_its_line = (i == 0 || found[i - 1].line != line)
            && found.get(i + 1).is_none_or(|next| next.line != line);
        let r = &mut found[i];
        let alone = r.text.trim_matches(|c: char| !c.is_ascii_hexdigit()) == r.host
            || address_values.binary_search(&i).is_ok();
        if r.kind == Kind::Connect
            && only_of_its_line
            && alone
            && r.host.parse().is_ok_and(|ip| own.contains(&ip))
        {
            r.kind = Kind::Listen;
        }
    }
}
